"""The step panel: the current step in words and numbers."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.lesson import Line
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

    def show(self, lines: list[Line]) -> None:
        self._lines = lines
        self.update(to_text(lines, text_styles(self.app.current_theme)))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        lines = getattr(self, "_lines", None)
        if lines is not None and self.is_mounted:
            self.update(to_text(lines, text_styles(self.app.current_theme)))
