"""Shown when a scenario fails to load: where, what, and a way back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.scenario import ScenarioError
from tutor.ui.screens.watching import FileStamp, load_in_thread


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
        self.watch_path = watch
        self.stamp = FileStamp(watch)

    def compose(self) -> ComposeResult:
        with Vertical(id="error"):
            yield Static("[b]This scenario could not be loaded[/b]", id="error-title")
            yield Static(str(self.error), id="error-location", markup=False)
            yield Static(f"hint: {self.error.hint}" if self.error.hint else "", id="error-hint", markup=False)
            waiting = "Watching the file: it opens as soon as it loads. " if self.watch_path else ""
            yield Static(
                waiting + "Fix the file and open it again, or press Esc to pick another scenario.", id="error-help"
            )
        yield Footer()

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.3, self.check_file) if self.watch_path else None

    _loading = False

    async def check_file(self) -> None:
        """Try the watched file again whenever it changes (read in a worker thread)."""
        if self._loading or not self.stamp.changed():
            return
        self._loading = True
        try:
            scenario = await load_in_thread(self.watch_path)
        finally:
            self._loading = False
        if not self.is_attached:
            return
        if isinstance(scenario, ScenarioError):
            error = scenario
            self.error = error
            self.query_one("#error-location", Static).update(str(error))
            self.query_one("#error-hint", Static).update(f"hint: {error.hint}" if error.hint else "")
            return
        from tutor.ui.screens.lesson import LessonScreen

        if self._timer is not None:
            self._timer.stop()
        self.app.push_screen(LessonScreen(scenario, watch=self.watch_path))

    def action_back(self) -> None:
        """Back to the scenario list."""
        self.app.action_show_picker()
