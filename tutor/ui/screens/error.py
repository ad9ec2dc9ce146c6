"""Shown when a scenario fails to load: where, what, and a way back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.scenario import ScenarioError


class ErrorScreen(Screen):
    """The file:line:col error and its hint; Esc goes back to the scenario list."""

    BINDINGS = [
        Binding("escape,b", "back", "Scenarios", tooltip="Back to the scenario list"),
        Binding("q", "app.quit", "Quit", tooltip="Quit the tutor"),
    ]

    def __init__(self, error: ScenarioError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="error"):
            yield Static("[b]This scenario could not be loaded[/b]", id="error-title")
            yield Static(str(self.error), id="error-location", markup=False)
            if self.error.hint:
                yield Static(f"hint: {self.error.hint}", id="error-hint", markup=False)
            yield Static("Fix the file and open it again, or press Esc to pick another scenario.", id="error-help")
        yield Footer()

    def action_back(self) -> None:
        """Back to the scenario list."""
        self.app.action_show_picker()
