"""Write SVG screenshots of the key screens, made by the app itself.

    python -m tutor.ui.screenshots [DIR] [--only NAME ...] [--list]   (default DIR: screenshots/)

Each shot starts the app headless at a fixed size and theme, presses keys,
and saves what the terminal shows.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from tutor.ui.app import TutorApp

SIZE = (120, 40)
SMALL = (80, 24)
"""Shots whose name ends in ``_80x24`` are taken at this size: the classic terminal."""
THEME = "textual-dark"

# (file name, scenario or None for the picker, keys to press)
SHOTS: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("picker", None, ()),
    ("shopping_forward", "shopping_oranges", ("right", "right", "right")),
    ("shopping_backward", "shopping_oranges", ("end",)),
    ("two_paths_fanout", "two_paths", ("end",)),
    ("sigmoid_expanded", "sigmoid_expanded", ("end", "left", "left")),
    ("sigmoid_grouped", "sigmoid_expanded", ("g", "end")),
    ("tiny_net_groups", "tiny_net", ("f", "right", "right", "right")),
    ("edited_input", "shopping_oranges", ("end", "tab", "e", "ctrl+a", "backspace", "2", "0", "0", "enter")),
    ("help", "shopping", ("question_mark",)),
    ("quiz", "two_paths", ("2", "right", "4", "enter", "right")),
    ("forward_mode", "two_paths", ("tab", "tab", "3", "end")),
    ("paths", "two_paths", ("tab", "tab", "4")),
    ("numeric_check", "tiny_net", ("5",)),
    ("training", "tiny_net", ("6", "t", "T")),
    ("tiny_net_80x24", "tiny_net", ()),
    ("tiny_net_end_80x24", "tiny_net", ("end",)),
    ("shopping_oranges_80x24", "shopping_oranges", ()),
    ("shopping_oranges_end_80x24", "shopping_oranges", ("end",)),
    ("training_80x24", "tiny_net", ("6", "t", "T")),
    # Classification: the softmax layer's δ = p − t step, and the spiral's decision map after training.
    ("spiral_softmax_80x24", "spiral", ("f", "right", "right")),
    ("spiral_trained_80x24", "spiral", ("6", "T")),
    # The Japanese interface (a shot whose name starts with ja_).
    ("ja_shopping_backward_80x24", "shopping_ja", ("f", "right")),
    ("ja_tiny_net_end_80x24", "tiny_net", ("end",)),
    ("ja_quiz_80x24", "two_paths", ("2", "right", "4", "enter")),
    ("ja_spiral_softmax_80x24", "spiral", ("f", "right", "right")),
]


def size_of(name: str) -> tuple[int, int]:
    """The terminal size a shot is taken at."""
    return SMALL if name.endswith("_80x24") else SIZE


def language_of(name: str) -> str:
    """The language a shot is taken in: Japanese for a name starting with ``ja_``, else English."""
    return "ja" if name.startswith("ja_") else "en"


async def _shoot(directory: Path, name: str, scenario: str | None, keys: tuple[str, ...]) -> Path:
    app = TutorApp(scenario, remember=False, language=language_of(name))
    app.theme = THEME
    async with app.run_test(size=size_of(name)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        if "T" in keys:  # a training run: wait for it to end
            for _ in range(3000):
                if not getattr(app.screen, "running", False):
                    break
                await pilot.pause(0.02)
        await pilot.pause(0.05)
        path = app.save_screenshot(f"{name}.svg", str(directory))
    return Path(path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tutor.ui.screenshots",
        description=f"Write the README's screenshots ({len(SHOTS)} SVG files at {SIZE[0]}x{SIZE[1]}, those "
        f"named *_80x24 at {SMALL[0]}x{SMALL[1]}, those named ja_* in Japanese; "
        f"theme {THEME}), each made by the app itself. For one lesson at any step, see `tutor export`.",
    )
    parser.add_argument("directory", nargs="?", default="screenshots", metavar="DIR",
                        help="folder to write into (default: screenshots)")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=[name for name, _, _ in SHOTS],
                        help="make only these shots")
    parser.add_argument("--list", action="store_true", help="list the shots' names and stop")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.list:
        for name, scenario, keys in SHOTS:
            print(f"{name}: {scenario or 'picker'} {' '.join(keys)}".rstrip())
        return 0
    directory = Path(args.directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"screenshots: error: cannot create {directory}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for name, scenario, keys in SHOTS:
        if args.only and name not in args.only:
            continue
        path = asyncio.run(_shoot(directory, name, scenario, keys))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
