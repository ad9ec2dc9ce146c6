"""The step panel: the current step in words and numbers, whole or in its compact form.

The panel shows the full explanation when it fits the rows it may take, the
compact one (one line per edge) when not, and scrolls only when even that is
too tall: its frame then says "more below" and which keys scroll.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tutor.i18n import N_, _
from tutor.teach.text import Line, plain, wrap
from tutor.ui.theme import text_styles

MORE_BELOW = N_("▼ more below: PgDn")
MORE_ABOVE = "▲ PgUp"


def to_text(lines: list[Line], styles: dict) -> Text:
    """Styled fragments -> one Rich Text, a line per row (the rows already wrapped by ``tutor.teach.text.wrap``)."""
    text = Text()
    for i, line in enumerate(lines):
        if i:
            text.append("\n")
        for fragment, style in line:
            text.append(fragment, styles.get(style, ""))
    return text


class StepPanel(Static):
    """Explains the current step; below it, the selected node and any edit."""

    _lines: list[Line] | None = None
    _compact: list[Line] | None = None
    _height: int = -1
    _text: Text | None = None
    compact_shown = False
    """Whether the compact form is on screen."""

    def show(
        self, lines: list[Line], compact: list[Line] | None = None, rows: int | None = None, width: int | None = None
    ) -> int:
        """Show ``lines`` (or ``compact`` when ``lines`` need more than ``rows``); return the rows used.

        ``width``: the width to wrap at (default: the panel's own, as last laid out). The panel takes its
        height when its frame's is known: ``fill``.
        """
        self._lines = lines
        self._compact = compact
        return self.paint(rows, width, fill=False)

    def measure(self, lines: list[Line], width: int) -> tuple[Text, int]:
        """The lines wrapped to ``width`` cells (with hanging indents), as text, and how many rows they take."""
        rows = wrap(lines, max(1, width))
        return to_text(rows, text_styles(self.app.current_theme)), len(rows)

    _width: int | None = None

    def words(self) -> str:
        """The words shown (the full or the compact form), a line per line as written, before wrapping."""
        shown = self._compact if self.compact_shown else self._lines
        return "\n".join(plain(line) for line in shown or [])

    def paint(self, rows: int | None = None, width: int | None = None, fill: bool = True) -> int:
        """Wrap the words at ``width`` (the stage's; kept for repaints of the same words) and show them.

        ``fill``: take the height now (else the stage gives it with ``fill``, once the frame's is known)."""
        width = self._width = width or self._width or self.content_region.width or self.app.size.width - 6
        text, needed = self.measure(self._lines or [], width)
        self.compact_shown = False
        if rows is not None and needed > rows and self._compact:
            text, needed = self.measure(self._compact, width)
            self.compact_shown = True
        self._needed = needed
        if fill:
            self.fill(self._inside)
        if text != self._text:  # refitting the same words (a resize, a refit) repaints nothing
            self._text = text
            self.update(text, layout=False)
        return needed

    _needed: int = -1
    """Rows the words shown take."""
    _inside: int = 0
    """Rows inside the panel's frame, as the stage last shared them."""

    def fill(self, inside: int) -> None:
        """Be as tall as the words, and at least the ``inside`` rows of the frame: words of another length in
        the same frame then lay nothing out again. (A layout pass costs more than everything else a step
        does, and the panel's height changed at most steps.)"""
        self._inside = inside
        height = max(self._needed, inside)
        if height != self._height:
            self._height = height
            self.styles.height = height

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._lines is not None and self.is_mounted:
            self.paint(None if self._needed < 0 else self._needed if self.compact_shown else None)


class PanelBox(VerticalScroll):
    """The panel's frame: scrolls with PgUp/PgDn and marks what lies below."""

    BINDINGS = [
        Binding("pagedown", "page_down", "More", show=False),
        Binding("pageup", "page_up", "Back up", show=False),
    ]

    DEFAULT_CSS = """
    PanelBox { scrollbar-size-vertical: 1; }
    """

    class MoreBelow(Message):
        """Whether more of the panel lies below the rows shown changed (the key bar offers PgDn meanwhile)."""

        def __init__(self, more: bool) -> None:
            super().__init__()
            self.more = more

    _more: bool | None = None

    def mark(self) -> None:
        """Say in the frame whether more lies below (or above) the visible rows."""
        if self.max_scroll_y <= 0:
            self.border_subtitle = ""
        elif self.scroll_y < self.max_scroll_y:
            self.border_subtitle = _(MORE_BELOW)
        else:
            self.border_subtitle = MORE_ABOVE
        more = self.scroll_y < self.max_scroll_y
        if more != self._more:
            self._more = more
            self.post_message(self.MoreBelow(more))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.mark()

    def watch_virtual_size(self, size) -> None:  # noqa: ANN001 - textual.geometry.Size
        self.call_after_refresh(self.mark)
