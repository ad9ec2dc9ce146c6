"""``tutor [SCENARIO]``: the interactive tutor, in a terminal or (under ``tutor serve``) a browser tab."""

from __future__ import annotations

import os
import sys

from tutor.cli.parser import app_parser
from tutor.i18n import _
from tutor.scenario.program import program_name


def needs_a_terminal() -> str:
    return _("tutor: the interactive tutor needs a terminal; for non-interactive output use "
             "`{prog} trace SCENARIO` (add --json for JSON).").format(prog=program_name())


def run(argv: list[str]) -> int:
    """Open the Textual app: on a real terminal, or under a driver set in the environment (a browser tab)."""
    args = app_parser().parse_args(argv)
    driver_set = bool(os.environ.get("TEXTUAL_DRIVER"))  # textual-serve sets its web driver here
    if not driver_set and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(needs_a_terminal(), file=sys.stderr)
        return 2
    if driver_set and not sys.stdin.isatty() and hasattr(os, "setsid"):
        # Served to a browser: the server ends this lesson when it stops. Leave the
        # terminal's process group, so a Ctrl+C meant for the server does not reach
        # (and race) every lesson at once.
        try:
            os.setsid()
        except OSError:
            pass
    from tutor.ui.app import run as run_app

    run_app(args.scenario, watch=args.watch, screenshot_dir=args.screenshots, language=args.lang)
    return 0
