"""``tutor list``: the scenarios in lesson order, the built-ins and ``./scenarios/*.yaml`` together."""

from __future__ import annotations

import argparse
import os

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tutor.i18n import N_, _
from tutor.scenario import ScenarioError, load
from tutor.scenario.builtins import lesson_files

HELP = N_("list the scenarios in lesson order: the built-ins and ./scenarios/*.yaml")
TITLE = N_("Scenarios, in lesson order (built-ins, and ./scenarios/*.yaml)")
YOURS = N_("(yours)")


def arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace, console: Console) -> int:
    table = Table(title=_(TITLE), title_justify="left")
    table.add_column(_("name"), style="bold")
    table.add_column(_("title"))
    yours = f" [dim]{escape(_(YOURS))}[/]"
    for spec, path in lesson_files():
        try:
            title = escape(load(path).title)
        except ScenarioError as exc:
            title = f"[red]{escape(str(exc))}[/]"
        local = spec != path.stem
        table.add_row(escape(os.path.relpath(path) if local else spec), title + (yours if local else ""))
    console.print(table)
    return 0
