"""The step panel: the current step in words and numbers."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.teach.lesson import Line
from tutor.ui.theme import text_styles


def to_text(lines: list[Line], styles: dict) -> Text:
    """Styled fragments -> one Rich Text, a line per explanation line."""
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
    _height: int = -1

    def show(self, lines: list[Line]) -> None:
        self._lines = lines
        self._paint()

    def _paint(self) -> None:
        text = to_text(self._lines or [], text_styles(self.app.current_theme))
        # Re-layout the screen only when the panel's height changes: a layout
        # pass costs more than everything else a step does.
        # Heights go in buckets of 6 lines so most steps need no re-layout.
        width = max(1, self.content_region.width or self.app.size.width - 6)
        needed = len(text.wrap(self.app.console, width))
        height = max(6, -(-needed // 6) * 6)
        if height != self._height:
            self._height = height
            self.styles.height = height
        self.update(text, layout=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._lines is not None and self.is_mounted:
            self._paint()
