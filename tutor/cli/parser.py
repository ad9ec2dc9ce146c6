"""The argument parsers: ``tutor COMMAND ...`` (one subparser per command of the table) and ``tutor [SCENARIO]``.

Usage lines and hints name the command the tutor was run as (``tutor``, or
``python -m tutor``), so a suggested command can be typed as it stands.
"""

from __future__ import annotations

import argparse

from tutor import __version__
from tutor.cli.commands import COMMANDS, command
from tutor.scenario.program import program_name


def version() -> str:
    return f"tutor {__version__}"


def command_parser() -> argparse.ArgumentParser:
    """The parser of ``tutor COMMAND ...``: each command adds its own options."""
    prog = program_name()
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Step through backpropagation on a computational graph.",
        epilog=f"Run `{prog} list` to see the scenarios.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = command(name)
        description = getattr(module, "DESCRIPTION", "") or f"{module.HELP[0].upper()}{module.HELP[1:]}."
        module.arguments(sub.add_parser(name, help=module.HELP, description=description))
    return parser


def command_help() -> list[tuple[str, str]]:
    """Each command with its one-line help."""
    return [(name, command(name).HELP) for name in COMMANDS]


class _AppParser(argparse.ArgumentParser):
    """The app's parser; its help lists the commands (their modules are imported only then, not at every launch)."""

    def format_help(self) -> str:
        prog = program_name()
        listing = "\n".join(f"  {name:<8}  {text}" for name, text in command_help())
        self.epilog = (f"commands ({prog} COMMAND --help for each):\n{listing}\n\n"
                       f"Run `{prog} list` to see the scenarios.")
        return super().format_help()


def app_parser() -> argparse.ArgumentParser:
    """The parser of ``tutor [SCENARIO] [--watch] [--screenshots DIR]``, the interactive tutor."""
    prog = program_name()
    parser = _AppParser(
        prog=prog,
        usage=f"{prog} [SCENARIO] [--watch] [--screenshots DIR] | {prog} COMMAND ... | {prog} --version",
        description="Step through backpropagation on a computational graph. "
        "With no SCENARIO, opens a scenario picker.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", nargs="?", help="a scenario file or a built-in name such as shopping")
    parser.add_argument(
        "--watch", action="store_true", help="reload the scenario file when it changes (for authors)"
    )
    parser.add_argument(
        "--screenshots", metavar="DIR", help="folder for the palette's Screenshot (default: the current folder)"
    )
    parser.add_argument("--version", action="version", version=version())
    return parser
