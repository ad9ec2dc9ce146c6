"""The help screen: every key of the lesson screen, with what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.widgets import Static

from tutor.i18n import N_, _
from tutor.ui.dialogs.dialog import Dialog
from tutor.ui.widgets.prose import Prose, Wrapped, has_wide
from tutor.teach.screen_words import HELP_COLUMNS, HELP_EXTRA_ROWS, HELP_SCROLL, HELP_TITLE, backprop_in_brief

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

    BINDINGS = [Binding("escape,q,question_mark", "close", N_("Close"), tooltip=N_("Close help"))]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        table = Table(title=_(HELP_TITLE), title_justify="left",
                      expand=True, show_edge=False)
        key_column, what_column = HELP_COLUMNS
        table.add_column(_(key_column), style="bold", no_wrap=True)
        table.add_column(_(what_column))
        for key, what in [(key_text(b.key), b.tooltip or b.description) for b in self.bindings] + list(HELP_EXTRA_ROWS):
            what = _(what)
            table.add_row(key, Wrapped([(what, "")]) if has_wide(what) else what)  # Japanese: wrapped by cells
        with VerticalScroll(id="help"):
            yield Static(table)
            yield Prose(backprop_in_brief() + "  " + _(HELP_SCROLL), id="help-footer")

    def relabel(self) -> None:
        """Everything again, in the current language."""
        self.refresh(recompose=True)

    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
