"""``tutor check FILE...``: validate scenario files, reporting every mistake of each."""

from __future__ import annotations

import argparse

from rich.console import Console

from tutor.i18n import N_, _, ngettext
from tutor.scenario import ScenarioError, load
from tutor.scenario.targets import target_warnings
from tutor.scenario.visible import visible
from tutor.startup import paused_gc

HELP = N_("validate scenario files, reporting every mistake in each")
SHOWN = 20
"""Most errors printed for one file; the rest are counted."""


def more(path: str, count: int) -> str:
    return ngettext("{path}: and {count} more error (fix these and check again)",
                    "{path}: and {count} more errors (fix these and check again)", count).format(
        path=visible(path), count=f"{count:,}")


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=_("a scenario file (.yaml) to validate; give several "
                        "to check them all"))


def run(args: argparse.Namespace, console: Console) -> int:
    with paused_gc():  # loading a big file makes no cycles
        return _check(args.files)


def _check(files: list[str]) -> int:
    failed = 0
    for name in files:
        try:
            scenario = load(name)
        except ScenarioError as exc:
            failed += 1
            for error in exc.errors[:SHOWN]:
                print(error.report())
            if len(exc.errors) > SHOWN:
                print(more(name, len(exc.errors) - SHOWN))
            continue
        count = len(scenario.graph)
        print(ngettext("{file}: ok ({count} node)", "{file}: ok ({count} nodes)", count).format(file=name, count=count))
        for warning in target_warnings(scenario):  # loads and trains, but probably not what was meant
            print(warning.report())
    return 1 if failed else 0
