"""Shown when a scenario fails to load: where, what, and a way back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from tutor.scenario import Scenario, ScenarioError
from tutor.ui.file_watch import FileWatch
from tutor.ui.widgets.footer import Footer
from tutor.teach.screen_words import ERROR_TITLE, error_help, error_hint


class ErrorScreen(Screen):
    """The file:line:col error and its hint; Esc goes back to the scenario list.

    With ``--watch``, the file is polled and the lesson opens as soon as the
    file loads.
    """

    BINDINGS = [
        Binding("escape,b", "back", "Scenarios", tooltip="Back to the scenario list"),
        Binding("q", "app.quit", "Quit", tooltip="Quit the tutor"),
    ]

    def __init__(self, error: ScenarioError, watch: str | None = None) -> None:
        super().__init__()
        self.error = error
        self.file_watch = FileWatch(watch, self.retry, error)

    def compose(self) -> ComposeResult:
        with Vertical(id="error"):
            yield Static(Text(ERROR_TITLE, style="bold"), id="error-title")
            yield Static(str(self.error), id="error-location", markup=False)
            yield Static(error_hint(self.error.hint), id="error-hint", markup=False)
            yield Static(error_help(self.file_watch.files), id="error-help", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.file_watch.start(self)

    async def check_file(self) -> None:
        """Try the watched file again if it changed (the timer calls this too)."""
        await self.file_watch.check()

    def retry(self, loaded: Scenario | ScenarioError) -> None:
        """Show the new error, or open the lesson once the file loads."""
        if isinstance(loaded, ScenarioError):
            error = loaded
            self.error = error
            self.query_one("#error-location", Static).update(str(error))
            self.query_one("#error-hint", Static).update(f"hint: {error.hint}" if error.hint else "")
            self.query_one("#error-help", Static).update(error_help(self.file_watch.files))
            return
        self.file_watch.stop()
        self.app.push_screen(self.app.lesson_screen(loaded, watch=self.file_watch.path))

    def action_back(self) -> None:
        """Back to the scenario list."""
        self.app.action_show_picker()
