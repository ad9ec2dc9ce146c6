"""The one error type of the scenario format: FILE:LINE:COL, a message and a hint; and the errors of a file.

A file with several independent mistakes gets them all reported at once, as
compilers do: the loader notes each error in ``Problems`` and reads on, then
raises the first it found, carrying every one in ``errors``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn, TypeVar

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
        self.errors: tuple[ScenarioError, ...] = (self,)
        """Every independent error the load found, in file order, this one among them
        (``tutor check`` prints them all; the app and ``trace`` show this one, the first found)."""

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


T = TypeVar("T")


class Problems:
    """The errors found in one file so far: a check that fails adds its error, and reading goes on.

    Only where an error leaves the rest meaningful: unreadable YAML, or a part
    whose names later parts use (a ``network:``), stops at once (``stop``).
    """

    def __init__(self) -> None:
        self.found: list[ScenarioError] = []

    def add(self, error: ScenarioError) -> None:
        self.found.append(error)

    def attempt(self, read: Callable[..., T], *args: object, default: T, **kwargs: object) -> T:
        """``read(*args, **kwargs)``; on a ScenarioError, note it and give ``default``."""
        try:
            return read(*args, **kwargs)
        except ScenarioError as error:
            self.found.append(error)
            return default

    def stop(self, error: ScenarioError) -> NoReturn:
        """Note ``error`` and raise what was found: nothing after it can be read meaningfully."""
        self.found.append(error)
        raise self.first()

    def raise_any(self) -> None:
        """Raise what was found, if anything."""
        if self.found:
            raise self.first()

    def first(self) -> ScenarioError:
        """The first error found, carrying every error (in file order) and every file they name."""
        first = self.found[0]
        files = list(dict.fromkeys(error.path for error in self.found))
        first.errors = tuple(sorted(self.found, key=lambda e: (files.index(e.path), e.line, e.col)))
        for error in self.found[1:]:
            first.add_files(*error.files)
        return first
