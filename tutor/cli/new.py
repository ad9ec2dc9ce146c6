"""``tutor new PATH``: write a commented starter scenario that passes ``check`` (never overwriting a file)."""

from __future__ import annotations

import argparse
import shlex

from rich.console import Console

from tutor.cli.arguments import UsageError
from tutor.i18n import N_, _
from tutor.scenario.program import program_name
from tutor.scenario.starter import starter_path, write_starter

HELP = N_("write a commented starter scenario (never overwrites)")


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help=_("the file to write, e.g. scenarios/my_lesson "
                        "(.yaml is added when missing)"))


def run(args: argparse.Namespace, console: Console) -> int:
    try:
        path = starter_path(args.path)
        write_starter(path, program_name())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except FileExistsError:
        raise UsageError(_("{path} already exists; not overwriting it").format(path=path)) from None
    except OSError as exc:
        raise UsageError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    prog, shown = program_name(), shlex.quote(str(path))
    print(_("wrote {path}; check it with: {prog} check {shown}; open it with: {prog} {shown}").format(
        path=path, prog=prog, shown=shown))
    return 0
