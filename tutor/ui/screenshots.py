"""Write SVG screenshots of the key screens, made by the app itself.

    python -m tutor.ui.screenshots [DIR]      (default: screenshots/)

Each shot starts the app headless at a fixed size and theme, presses keys,
and saves what the terminal shows.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tutor.ui.app import TutorApp

SIZE = (120, 36)
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
]


async def _shoot(directory: Path, name: str, scenario: str | None, keys: tuple[str, ...]) -> Path:
    app = TutorApp(scenario)
    app.theme = THEME
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.5 if "T" in keys else 0.05)
        path = app.save_screenshot(f"{name}.svg", str(directory))
    return Path(path)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    directory = Path(argv[0] if argv else "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    for name, scenario, keys in SHOTS:
        path = asyncio.run(_shoot(directory, name, scenario, keys))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
