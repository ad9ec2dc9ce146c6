"""Every row of the speed table, each a ratio measured in this one run (not part of the test run).

    pip install -e '.[test,bench]'
    python tests/bench/bench_all.py [--repeat 5] [--skip-tmux]

Runs bench_micrograd, bench_ui, bench_tmux and bench_cli in turn (each
interleaves its own runs and reports medians) and prints one table.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cli  # noqa: E402
import bench_micrograd  # noqa: E402
import bench_tmux  # noqa: E402
import bench_ui  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-tmux", action="store_true", help="leave out the rows that need tmux")
    args = parser.parse_args()
    table: list[tuple[str, str, str, str, str]] = []

    def add(what: str, base: str, measured: str, ratio: float | None, target: str) -> None:
        table.append((what, base, measured, f"{ratio:.2f}x" if ratio is not None else "", target))
        print(f"  done: {what}", file=sys.stderr, flush=True)

    for what, mg, tu, ratio, target in bench_micrograd.rows(max(10, args.repeat * 6)):
        add(f"engine vs micrograd: {what}", mg, tu, ratio, target)
    for row in bench_ui.rows(args.repeat):
        add(*row)
    if not args.skip_tmux and shutil.which("tmux"):
        for what, small, big, ratio, target in bench_tmux.rows(args.repeat):
            add(what, f"{small * 1000:.0f} ms", f"{big * 1000:.0f} ms", ratio, target)
    for what, floor, command, ratio, target, wall_ratio in bench_cli.rows(args.repeat):
        add(f"{what} (CPU; wall {wall_ratio:.2f}x)", f"{floor:.2f} s", f"{command:.2f} s", ratio, target)

    print()
    print("| what | baseline | measured | ratio | target |")
    print("|---|---|---|---|---|")
    for row in table:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
