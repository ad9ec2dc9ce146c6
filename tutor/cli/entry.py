"""``main``: the app or one command, and the one error policy of the command line.

Every scenario problem prints as ``FILE:LINE:COL: error: message`` with its
hint and exits with status 1; a bad command-line value prints as
``tutor: error: ...`` and exits with 2; never a traceback.

The language (``--lang``, before or after the command; else the locale) is
chosen first, so the parsers' help and every message are in it.
"""

from __future__ import annotations

import sys

from rich.console import Console

from tutor.cli import app
from tutor.cli.arguments import UsageError
from tutor.cli.commands import COMMANDS, command
from tutor.cli.parser import app_parser, command_parser, first_word, language_option, version
from tutor.i18n import _, set_language
from tutor.scenario.errors import ScenarioError


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = language_option(argv)
    if chosen is not None:
        set_language(chosen)  # a language it does not speak is refused by the parser, in the locale's
    first = first_word(argv)
    if first in ("-V", "--version"):
        print(version())
        return 0
    if first in ("-h", "--help"):
        app_parser().print_help()
        return 0
    if first not in COMMANDS:
        return app.run(argv)
    args = command_parser().parse_args(argv)
    try:
        return command(args.command).run(args, Console())
    except ScenarioError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(_("tutor: error: {message}").format(message=exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print(_("tutor: interrupted"), file=sys.stderr)
        return 130
