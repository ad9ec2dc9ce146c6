"""The argument parsers: ``tutor COMMAND ...`` (one subparser per command of the table) and ``tutor [SCENARIO]``.

Usage lines and hints name the command the tutor was run as (``tutor``, or
``python -m tutor``), so a suggested command can be typed as it stands.
Every parser takes ``--lang``; ``main`` reads it before any parser is built
(``language_option``), so their help is in the language asked for.

argparse's own words (``usage:``, ``options``, its error messages) come from
the tutor's catalogue too: argparse looks each one up through the module's
``_`` and ``ngettext`` (``from gettext import gettext as _``) when it is
shown, and ``_translate_argparse`` points those two names at the tutor's.
They are the only names of another module this package replaces;
``tests/unit/test_i18n_cli.py`` fails when argparse stops looking its words
up that way.
"""

from __future__ import annotations

import argparse

from tutor import __version__
from tutor.cli.commands import COMMANDS, command
from tutor.i18n import LANGUAGES, N_, _, ngettext
from tutor.cli.wrapping import rows as _cell_rows
from tutor.scenario.program import program_name

LANG = "--lang"

ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("show program's version number and exit"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"), N_("expected at least one argument"), N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)
"""argparse's own words as Python 3.11 writes them, for the catalogue (see the module's docstring)."""


def _translate_argparse() -> None:
    """argparse's words in the tutor's language: its module-level ``_`` and ``ngettext``, the tutor's."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


_translate_argparse()


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, but text that is not ASCII is wrapped by terminal cells (``tutor.cli.wrapping``:
    argparse counts characters, and a kanji takes two cells); English is unchanged."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return super()._split_lines(text, width) if text.isascii() else _cell_rows(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.isascii():
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + row for row in _cell_rows(text, width - len(indent)))


class RawDescriptionHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter that keeps descriptions as written; options' help wrapped by cells as above."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return super()._split_lines(text, width) if text.isascii() else _cell_rows(text, width)


def version() -> str:
    return f"tutor {__version__}"


def language_option(argv: list[str]) -> str | None:
    """The value of ``--lang`` in ``argv`` (before any ``--``), or None without one."""
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == LANG and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in LANGUAGES else None
        if word.startswith(LANG + "="):
            value = word.partition("=")[2]
            return value if value in LANGUAGES else None
    return None


def first_word(argv: list[str]) -> str | None:
    """The first word of ``argv`` after a leading ``--lang CODE``: the command, the scenario, or an option."""
    i = 0
    while i < len(argv) and (argv[i] == LANG or argv[i].startswith(LANG + "=")):
        i += 2 if argv[i] == LANG else 1
    return argv[i] if i < len(argv) else None


def add_language(parser: argparse.ArgumentParser, app: bool = False) -> None:
    """``--lang CODE``: the language of the tutor's words. On a command (and the parser above the commands)
    the value is left alone when absent, so either place may give it; the app also reads the saved choice."""
    if app:
        default = _("default: the language last chosen in the app, else the locale's, else en")
    else:
        default = _("default: the locale's, else en")
    parser.add_argument(
        LANG, choices=tuple(LANGUAGES), metavar="CODE", default=None if app else argparse.SUPPRESS,
        help=_("the language of the tutor's words: {codes} ({default})").format(
            codes=", ".join(LANGUAGES), default=default),
    )


def command_parser() -> argparse.ArgumentParser:
    """The parser of ``tutor COMMAND ...``: each command adds its own options."""
    prog = program_name()
    parser = argparse.ArgumentParser(
        prog=prog,
        description=_("Step through backpropagation on a computational graph."),
        epilog=_("Run `{prog} list` to see the scenarios.").format(prog=prog),
        formatter_class=HelpFormatter,
    )
    add_language(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = command(name)
        help_text = _(module.HELP)
        description = getattr(module, "DESCRIPTION", "")
        if description:
            description = _(description)
        else:  # the one-line help as a sentence
            description = _("{sentence}.").format(sentence=help_text[0].upper() + help_text[1:])
        child = sub.add_parser(name, help=help_text, description=description, formatter_class=HelpFormatter)
        module.arguments(child)
        add_language(child)
    return parser


def command_help() -> list[tuple[str, str]]:
    """Each command with its one-line help."""
    return [(name, _(command(name).HELP)) for name in COMMANDS]


class _AppParser(argparse.ArgumentParser):
    """The app's parser; its help lists the commands (their modules are imported only then, not at every launch)."""

    def format_help(self) -> str:
        prog = program_name()
        listing = "\n".join(f"  {name:<8}  {text}" for name, text in command_help())
        self.epilog = (_("commands ({prog} COMMAND --help for each):").format(prog=prog) + f"\n{listing}\n\n"
                       + _("Run `{prog} list` to see the scenarios.").format(prog=prog))
        return super().format_help()


def app_parser() -> argparse.ArgumentParser:
    """The parser of ``tutor [SCENARIO] [--watch] [--screenshots DIR]``, the interactive tutor."""
    prog = program_name()
    parser = _AppParser(
        prog=prog,
        usage=f"{prog} [SCENARIO] [--watch] [--screenshots DIR] [--lang CODE] | {prog} COMMAND ... | {prog} --version",
        description=_("Step through backpropagation on a computational graph. "
                      "With no SCENARIO, opens a scenario picker."),
        formatter_class=RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", nargs="?", help=_("a scenario file or a built-in name such as shopping"))
    parser.add_argument(
        "--watch", action="store_true", help=_("reload the scenario file when it changes (for authors)")
    )
    parser.add_argument(
        "--screenshots", metavar="DIR", help=_("folder for the palette's Screenshot (default: the current folder)")
    )
    add_language(parser, app=True)
    parser.add_argument("--version", action="version", version=version(), help=_("show program's version number and exit"))
    return parser
