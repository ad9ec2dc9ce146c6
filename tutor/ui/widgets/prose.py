"""A paragraph of the app's own words that wraps Japanese as a reader expects.

Textual wraps text between words only, so a Japanese sentence, which has no
blanks between its words, breaks at the few blanks it has (around numbers
and names) and leaves rows half empty. Text with wide (CJK) characters is
wrapped here instead, to the widget's width in terminal cells, by the rules
of ``tutor.teach.text.wrap`` (between any two Japanese characters, never a
row starting with 。、）). Other text is left to Textual, as before.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.widgets import Static

from tutor.teach.text import Line, cells, wrap


def has_wide(text: str) -> bool:
    """Whether ``text`` holds a character two cells wide (CJK)."""
    return not text.isascii() and cells(text) > len(text)


def wrapped(line: Line, width: int) -> Text:
    """``line`` (fragments of text and a Rich style) as rows of ``width`` cells, in one Rich text."""
    text = Text()
    for k, row in enumerate(wrap([line], width)):
        if k:
            text.append("\n")
        for fragment, style in row:
            text.append(fragment, style or None)
    return text


class Wrapped:
    """A Rich renderable: ``line`` wrapped to the width it is given (by cells, see ``wrapped``)."""

    def __init__(self, line: Line) -> None:
        self.line = line

    def __str__(self) -> str:
        return "".join(fragment for fragment, _style in self.line)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield wrapped(self.line, max(1, options.max_width))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = sum(cells(fragment) for fragment, _style in self.line)
        return Measurement(min(widest, 2), min(widest, options.max_width))


class Prose(Static):
    """A paragraph (fragments of text and a Rich style each); Japanese is wrapped by cells (see the module)."""

    DEFAULT_CSS = "Prose { height: auto; }"

    def __init__(self, line: Line | str = "", *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, markup=False)
        self._line: Line = [(line, "")] if isinstance(line, str) else list(line)

    def show(self, line: Line | str) -> None:
        """Show ``line`` instead."""
        self._line = [(line, "")] if isinstance(line, str) else list(line)
        self.refresh(layout=True)

    def render(self) -> Text | Wrapped:
        if has_wide("".join(fragment for fragment, _style in self._line)):
            return Wrapped(self._line)
        text = Text()
        for fragment, style in self._line:
            text.append(fragment, style or None)
        return text
