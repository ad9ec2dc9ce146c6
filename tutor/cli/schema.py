"""``tutor schema``: the JSON Schema of the scenario format, for editors."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from tutor.i18n import N_
from tutor.scenario.schema import schema

HELP = N_("print the JSON Schema of the scenario format")


def arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace, console: Console) -> int:
    print(json.dumps(schema(), indent=2, ensure_ascii=False))
    return 0
