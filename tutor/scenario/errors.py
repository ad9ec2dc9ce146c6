"""The one error type of the scenario format: FILE:LINE:COL, a message and a hint."""

from __future__ import annotations

from yaml.nodes import Node

from tutor.scenario.visible import visible


class ScenarioError(Exception):
    """A problem in a scenario file, at a 1-based line and column."""

    def __init__(self, path: str, line: int, col: int, message: str, hint: str = "") -> None:
        # Names and values quoted from the file are made visible here, so a
        # message is always one printable line (no newline, escape sequence,
        # bidi override or lone surrogate reaches the terminal).
        message = visible(message, 400)
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.col = col
        self.message = message
        self.hint = visible(hint, 400)
        self.files: tuple[str, ...] = ()
        """Every file the load read or tried to read (the scenario file, its data CSV), so that
        ``--watch`` can wait for any of them to change; empty for text loaded with ``loads``."""

    def add_files(self, *paths: str) -> ScenarioError:
        """Note that the load read (or tried to read) ``paths`` too; returns the error."""
        self.files = tuple(dict.fromkeys((*self.files, *(str(p) for p in paths))))
        return self

    def __str__(self) -> str:
        return f"{visible(self.path)}:{self.line}:{self.col}: error: {self.message}"

    def report(self) -> str:
        """The error line, plus the hint on an indented second line."""
        return str(self) + (f"\n    hint: {self.hint}" if self.hint else "")


def error_at(path: str, node: Node, message: str, hint: str = "") -> ScenarioError:
    """An error at the start of a YAML node."""
    mark = node.start_mark
    return ScenarioError(path, mark.line + 1, mark.column + 1, message, hint)
