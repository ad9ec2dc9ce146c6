"""Pick the data row the lesson steps through."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList

from tutor.i18n import N_, _
from tutor.teach import training
from tutor.teach.screen_words import ROW_PROMPT
from tutor.ui.dialogs.dialog import Dialog


class RowScreen(Dialog[int | None]):
    """A list of the data rows; Enter picks one (its number, from 1), Escape keeps the current one."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), tooltip=N_("Keep the current row"))]

    def __init__(self, scenario, current: int | None) -> None:  # noqa: ANN001 - a Scenario with data
        super().__init__()
        self.labels = training.row_labels(scenario)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="rows-dialog"):
            yield Label(_(ROW_PROMPT))
            yield OptionList(*self.labels, id="rows")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current:
            options.highlighted = self.current - 1
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index + 1)

    def action_cancel(self) -> None:
        """Close without changing the row."""
        self.dismiss(None)
