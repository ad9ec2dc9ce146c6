"""A small dialog to type a new value for an input or param."""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tutor.engine.numbers import fmt


class EditScreen(ModalScreen[float | None]):
    """Ask for a number; Enter accepts, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Keep the old value")]

    def __init__(self, name: str, value: float) -> None:
        super().__init__()
        self.leaf = name
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"New value for [b]{self.leaf}[/b] (now {fmt(self.value)}):")
            yield Input(value=fmt(self.value), id="value")
            yield Label("Enter to apply, Escape to cancel", id="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            value = float(event.value.strip())
        except ValueError:
            self.query_one("#dialog-hint", Label).update("[b red]Not a number.[/] Type e.g. 150 or 0.5")
            return
        if not math.isfinite(value):
            self.query_one("#dialog-hint", Label).update("[b red]Use a finite number.[/]")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
