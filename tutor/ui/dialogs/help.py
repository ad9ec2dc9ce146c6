"""The help screen: every key of the lesson screen, with what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.widgets import Static

from tutor.ui.dialogs.dialog import Dialog
from tutor.teach.screen_words import BACKPROP_IN_BRIEF, HELP_EXTRA_ROWS, HELP_SCROLL, HELP_TITLE

KEY_NAMES = {
    "right": "→", "left": "←", "up": "↑", "down": "↓", "space": "space", "home": "Home", "end": "End",
    "tab": "Tab", "shift+tab": "Shift+Tab", "question_mark": "?", "escape": "Esc", "ctrl+p": "Ctrl+P",
    "pageup": "PgUp", "pagedown": "PgDn", "shift+left": "Shift+←", "shift+right": "Shift+→",
    "shift+up": "Shift+↑", "shift+down": "Shift+↓", "plus": "+", "minus": "-", "equals_sign": "=",
}


def key_text(keys: str) -> str:
    """Keys as a learner types them: ``left_square_bracket`` is ``[``."""
    return ", ".join(KEY_NAMES.get(k) or format_key(k) for k in keys.split(","))


class HelpScreen(Dialog[None]):
    """Lists the keys; any of Escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", tooltip="Close help")]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        table = Table(title=HELP_TITLE, title_justify="left",
                      expand=True, show_edge=False)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("what it does")
        for binding in self.bindings:
            table.add_row(key_text(binding.key), binding.tooltip or binding.description)
        for key, what in HELP_EXTRA_ROWS:
            table.add_row(key, what)
        with VerticalScroll(id="help"):
            yield Static(table)
            yield Static(BACKPROP_IN_BRIEF + "  " + HELP_SCROLL, id="help-footer")

    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
