"""The training panel: the loss curve and what the net learned, updated live.

What it shows is built in ``tutor.draw.training_rows`` (pure text runs); this
widget only turns the runs into styled text with the theme's colours.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.draw.learned import Row
from tutor.ui.theme import learned_styles, text_styles


class TrainingPanel(Static):
    """Rows of (text, style name) runs, drawn with the current theme."""

    DEFAULT_CSS = """
    TrainingPanel { height: auto; padding: 0 1; }
    """

    _styles: tuple[object, dict] | None = None
    """The drawing's styles and the theme they were made for: a class map has hundreds, and a run of
    epochs redraws the panel many times a second."""

    def show(self, lines: list[list[tuple[str, str]]], rows: list[Row]) -> None:
        """``lines``: the status in the panel's words (lesson styles); ``rows``: the drawing."""
        theme = self.app.current_theme
        words = text_styles(theme)
        if self._styles is None or self._styles[0] is not theme:
            self._styles = (theme, learned_styles(theme))
        drawing = self._styles[1]
        text = Text(no_wrap=True, overflow="crop")
        for line in lines:
            for fragment, style in line:
                text.append(fragment, words.get(style, words[""]))
            text.append("\n")
        for i, row in enumerate(rows):
            for fragment, style in row:
                text.append(fragment, drawing.get(style, drawing[""]))
            if i < len(rows) - 1:
                text.append("\n")
        self.update(text)
