"""``tutor new PATH``: write a commented starter scenario that passes ``check`` (never overwriting a file)."""

from __future__ import annotations

import argparse
import shlex

from rich.console import Console

from tutor.cli.arguments import UsageError
from tutor.scenario.program import program_name
from tutor.scenario.starter import starter_path, write_starter

HELP = "write a commented starter scenario (never overwrites)"


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="the file to write, e.g. scenarios/my_lesson "
                        "(.yaml is added when missing)")


def run(args: argparse.Namespace, console: Console) -> int:
    try:
        path = starter_path(args.path)
        write_starter(path, program_name())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except FileExistsError:
        raise UsageError(f"{path} already exists; not overwriting it") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    prog, shown = program_name(), shlex.quote(str(path))
    print(f"wrote {path}; check it with: {prog} check {shown}; open it with: {prog} {shown}")
    return 0
