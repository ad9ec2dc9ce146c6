"""The Textual app: picker, lesson, error and help screens."""

from __future__ import annotations

import os
from typing import Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from tutor.scenario import Scenario, ScenarioError, resolve
from tutor.ui.screens.error import ErrorScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.picker import PickerScreen


class TutorApp(App):
    """Step through backpropagation on a computational graph."""

    CSS_PATH = "tutor.tcss"
    TITLE = "tutor"

    def __init__(self, scenario: str | None = None, watch: bool = False) -> None:
        super().__init__()
        self.start_spec = scenario
        self.watch = watch

    def get_default_screen(self) -> Screen:
        """The first screen: the scenario asked for (or its error), else the picker.

        Opening a scenario directly builds no picker and no extra screen, so
        the first frame comes as fast as Textual allows.
        """
        if self.start_spec:
            return self.scenario_screen(self.start_spec)
        return PickerScreen()

    def scenario_screen(self, spec: str) -> Screen:
        """A lesson for ``spec``, or an error screen saying why it did not load."""
        watch = spec if self.watch and os.path.isfile(spec) else None
        try:
            scenario = resolve(spec)
        except ScenarioError as error:
            return ErrorScreen(error, watch=watch)
        return self.lesson_screen(scenario, watch=watch)

    def lesson_screen(self, scenario: Scenario, watch: str | None = None) -> Screen:
        """The lesson screen for a loaded scenario (``watch``: the file to reload when it changes)."""
        return LessonScreen(scenario, watch=watch)

    def open_scenario(self, spec: str) -> None:
        """Load ``spec`` and show it, or show why it did not load."""
        self.push_screen(self.scenario_screen(spec))

    def action_show_picker(self) -> None:
        """Back to the scenario list."""
        stack = self.screen_stack
        if any(isinstance(screen, PickerScreen) for screen in stack):
            while not isinstance(self.screen, PickerScreen):
                self.pop_screen()
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(PickerScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, LessonScreen):
            for binding in screen.BINDINGS:
                if binding.action.startswith("app."):
                    continue
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or binding.description,
                    lambda action=binding.action: screen.run_action(action),
                )
        yield SystemCommand("Scenarios", "Back to the scenario list", self.action_show_picker)


def run(scenario: str | None = None, watch: bool = False) -> None:
    TutorApp(scenario, watch=watch).run()
