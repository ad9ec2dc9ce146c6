"""The command table: every ``tutor COMMAND`` with the module that holds it.

A command's module has its one-line ``HELP``, ``arguments(parser)`` adding
its options, and ``run(args, console)`` returning the exit status (an optional
``DESCRIPTION`` heads its ``--help``); every sentence it prints is in that
module. Adding a command is one such module and one line here. Modules are
imported only when their command runs (or ``--help`` lists them), so opening
the app loads none of them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

COMMANDS: dict[str, str] = {
    "trace": "tutor.cli.trace",
    "check": "tutor.cli.check",
    "train": "tutor.cli.train",
    "list": "tutor.cli.list",
    "new": "tutor.cli.new",
    "schema": "tutor.cli.schema",
    "serve": "tutor.cli.serve",
    "export": "tutor.cli.export",
}


def command(name: str) -> ModuleType:
    """The module of command ``name``."""
    return importlib.import_module(COMMANDS[name])
