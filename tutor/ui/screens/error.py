"""Shown when a scenario fails to load: where, what, and a way back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from tutor.i18n import N_, _
from tutor.scenario import Scenario, ScenarioError
from tutor.ui.file_watch import FileWatch
from tutor.ui.widgets.footer import Footer
from tutor.ui.widgets.prose import Prose
from tutor.teach.screen_words import ERROR_TITLE, error_help, error_hint


class ErrorScreen(Screen):
    """The file:line:col error and its hint; Esc goes back to the scenario list.

    With ``--watch``, the file is polled and the lesson opens as soon as the
    file loads.
    """

    BINDINGS = [
        Binding("escape,b", "back", N_("Scenarios"), tooltip=N_("Back to the scenario list")),
        Binding("q", "app.quit", N_("Quit"), tooltip=N_("Quit the tutor")),
    ]

    def __init__(self, error: ScenarioError, watch: str | None = None) -> None:
        super().__init__()
        self.error = error
        self.file_watch = FileWatch(watch, self.retry, error)

    def compose(self) -> ComposeResult:
        with Vertical(id="error"):
            yield Static(Text(_(ERROR_TITLE), style="bold"), id="error-title")
            yield Prose(str(self.error), id="error-location")
            yield Prose(error_hint(self.error.hint), id="error-hint")
            yield Prose(error_help(self.file_watch.files), id="error-help")
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
            self.relabel()
            return
        self.file_watch.stop()
        self.app.push_screen(self.app.lesson_screen(loaded, watch=self.file_watch.path))

    def relabel(self) -> None:
        """The error and the words around it again (a new error, or another language)."""
        self.query_one("#error-title", Static).update(Text(_(ERROR_TITLE), style="bold"))
        self.query_one("#error-location", Prose).show(str(self.error))
        self.query_one("#error-hint", Prose).show(error_hint(self.error.hint))
        self.query_one("#error-help", Prose).show(error_help(self.file_watch.files))

    def action_back(self) -> None:
        """Back to the scenario list."""
        self.app.action_show_picker()
