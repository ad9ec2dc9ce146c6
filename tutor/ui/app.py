"""The Textual app: picker, lesson, error and help screens.

Its language is the one ``--lang`` asks for, else the one last chosen in the
app (the palette's Language, saved in the settings), else the locale's
(``tutor.i18n``). Choosing another redraws every screen in it.
"""

from __future__ import annotations

from tutor import startup

with startup.importing():  # Textual and the tutor: objects that live until the process ends, and no garbage
    import os
    import time
    from pathlib import Path
    from typing import Iterable

    from textual.actions import parse as parse_action
    from textual.app import App, SystemCommand
    from textual.command import CommandPalette
    from textual.screen import Screen
    from textual.theme import Theme

    from tutor import i18n, settings
    from tutor.i18n import N_, _
    from tutor.scenario import Scenario, ScenarioError, resolve
    from tutor.startup import paused_gc
    from tutor.teach.screen_words import language_saved, screenshot_failed, screenshot_saved
    from tutor.teach.screen_words import unknown_saved_theme
    from tutor.ui import textual_patches
    from tutor.ui.screens import error, picker  # deferred (tutor.startup): opening a scenario shows neither
    from tutor.ui.screens.lesson_screen import LessonScreen

textual_patches.apply()

TEXTUAL_COMMANDS = (
    N_("Theme"), N_("Change the current theme"), N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"), N_("Maximize"),
    N_("Maximize the focused widget"), N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
)
"""The words of Textual's own palette commands, for the catalogue: the palette shows them translated."""


class TutorApp(App):
    """Step through backpropagation on a computational graph."""

    CSS_PATH = "tutor.tcss"
    TITLE = "tutor"

    def __init__(
        self,
        scenario: str | Scenario | None = None,
        watch: bool = False,
        screenshot_dir: str | None = None,
        remember: bool = True,
        language: str | None = None,
    ) -> None:
        super().__init__()
        self.start_spec = scenario
        self.watch = watch
        self.screenshot_dir = screenshot_dir
        """Where the palette's Screenshot saves (default: the current folder)."""
        self.remember = remember
        """Read and save the learner's settings (off for pictures made for handouts)."""
        self.settings = settings.load() if remember else settings.Settings()
        if language is not None:  # --lang: this run's, whatever was saved
            i18n.set_language(language)
        elif self.settings.language:
            i18n.set_language(self.settings.language)
        self._apply_saved_theme()
        self._first_frame = startup.FirstFrame()

    def _apply_saved_theme(self) -> None:
        """The theme the learner picked last time, unless TEXTUAL_THEME asks for one for this run."""
        name = self.settings.theme
        if not name or os.environ.get("TEXTUAL_THEME"):
            return
        if name in self.available_themes:
            self.theme = name
        else:
            self.settings.warnings.append(unknown_saved_theme(name))

    freeze_after_start = False
    """Set by :func:`run`: once the first lesson is drawn, move what exists then (the scenario, its
    trace and layout, the widgets) out of the cyclic collector's way (``gc.freeze``), so its
    passes while the learner steps scan only new objects, whatever the graph's size."""

    def on_mount(self) -> None:
        for warning in self.settings.warnings:
            self.notify(warning, title=_("Settings"), severity="warning")
        if self.remember:
            self.theme_changed_signal.subscribe(self, self._remember_theme)
        # After the first screen's on_mount, its lesson is built: once drawn, the collector may work again.
        self.call_after_refresh(self._first_frame.drawn, self.freeze_after_start)

    def on_unmount(self) -> None:
        self._first_frame.drawn()  # an app that quits before its first frame leaves the collector on

    def on_app_focus(self) -> None:
        """Give the keyboard back to the screen when the window (or browser tab) gets focus.

        A browser tab opens unfocused: Textual then blurs the picker's list before
        anything remembers it, and Enter would do nothing after the first click.
        """
        if self.screen.focused is None:
            self.screen.focus_next()

    def _remember_theme(self, theme: Theme) -> None:
        """Save the learner's theme choice for the next run (not from a browser tab: tabs share the server's folder)."""
        if theme.name == self.settings.theme or self.is_web:
            return
        self.settings.theme = theme.name
        problem = settings.save(self.settings)
        if problem:
            self.notify(problem, title=_("Settings"), severity="warning")

    _last_notice: tuple = ()
    _last_notice_at = 0.0

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Textual's notification, but the same words again while they are still shown (a key pressed
        twice) do not stack a second copy over the step panel."""
        now = time.monotonic()
        shown_for = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        if self._last_notice == (message, title, severity) and now - self._last_notice_at < shown_for:
            return
        self._last_notice, self._last_notice_at = (message, title, severity), now
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Save an SVG of the screen in the current folder (or ``path``) and say where.

        In a browser the file is sent to the browser instead, as Textual does.
        """
        if self.is_web:
            return super().deliver_screenshot(filename, path, time_format)
        folder = Path(path or self.screenshot_dir or ".")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = Path(self.save_screenshot(filename, str(folder), time_format)).resolve()
        except OSError as exc:
            self.notify(screenshot_failed(str(folder), str(exc.strerror or exc)), severity="error")
            return None
        self.notify(screenshot_saved(str(saved)), title=_("Screenshot"))
        return str(saved)

    def get_default_screen(self) -> Screen:
        """The first screen: the scenario asked for (or its error), else the picker.

        Opening a scenario directly builds no picker and no extra screen, so
        the first frame comes as fast as Textual allows. Opening makes many
        objects (the scenario, its trace and layout, the widgets) and no
        garbage cycles, so the cyclic collector waits until the first frame is
        drawn instead of walking them again and again meanwhile (a tenth of the
        time a big graph takes to open).
        """
        self._first_frame.building()
        if self.start_spec:
            return self.scenario_screen(self.start_spec)
        return picker.PickerScreen()

    def scenario_screen(self, spec: str | Scenario) -> Screen:
        """A lesson for ``spec`` (a file, a built-in's name or a loaded scenario), or an error screen saying
        why it did not load."""
        if isinstance(spec, Scenario):  # tutor.show: a graph built in Python, already read
            return self.lesson_screen(spec)
        watch = spec if self.watch and os.path.isfile(spec) else None
        with paused_gc():  # a big scenario is many small objects and no cycles
            try:
                scenario = resolve(spec)
            except ScenarioError as problem:
                return error.ErrorScreen(problem, watch=watch)
            return self.lesson_screen(scenario, watch=watch)

    def lesson_screen(self, scenario: Scenario, watch: str | None = None) -> Screen:
        """The lesson screen for a loaded scenario (``watch``: the file to reload when it changes)."""
        return LessonScreen(scenario, watch=watch)

    def open_scenario(self, spec: str) -> None:
        """Load ``spec`` and show it, or show why it did not load."""
        self.push_screen(self.scenario_screen(spec))

    def action_command_palette(self) -> None:
        """Open the command palette, unless one is still open or still closing.

        Textual only looks at the screen in front: with keys typed ahead, a
        second Ctrl+P while the first palette was closing made two screens
        with the same id (DuplicateIds) and the app exited.
        """
        if any(child.id == "--command-palette" for child in self._nodes):  # every screen, closing ones too
            return
        if self.use_command_palette and not CommandPalette.is_open(self):  # as Textual's, its prompt translated
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def action_show_picker(self) -> None:
        """Back to the scenario list."""
        PickerScreen = picker.PickerScreen  # noqa: N806 - the class, read once
        stack = self.screen_stack
        if any(isinstance(screen, PickerScreen) for screen in stack):
            while not isinstance(self.screen, PickerScreen):
                self.pop_screen()
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(PickerScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            yield SystemCommand(_(command.title), _(command.help), command.callback, command.discover)
        yield SystemCommand(_("Language"), _("Choose the language of the tutor's words"), self.action_change_language)
        if isinstance(screen, LessonScreen):
            for binding in screen.BINDINGS:
                if binding.action.startswith("app."):
                    continue
                _destination, name, parameters = parse_action(binding.action)
                if not screen.check_action(name, parameters):
                    continue  # a command that would do nothing here (a view this lesson does not have) is not offered
                yield SystemCommand(
                    _(binding.description),
                    _(binding.tooltip or binding.description),
                    lambda action=binding.action: screen.run_action(action),
                )
        yield SystemCommand(_("Scenarios"), _("Back to the scenario list"), self.action_show_picker)

    def action_change_language(self) -> None:
        """A list of the languages the tutor speaks; the one picked is used at once (and saved)."""
        self.search_commands(
            [(name, lambda code=code: self.use_language(code), code) for code, name in i18n.LANGUAGES.items()],
            placeholder=_("Search for a language…"),
        )

    def use_language(self, code: str) -> None:
        """Speak ``code`` from now on: every screen redrawn in it, and the choice saved for the next run
        (not from a browser tab: tabs share the server's folder)."""
        if code != i18n.language():
            i18n.set_language(code)
            for screen in self.screen_stack:
                self._redraw_words(screen)
        if not self.remember or self.is_web or code == self.settings.language:
            return
        self.settings.language = code
        problem = settings.save(self.settings)
        self.notify(problem or language_saved(i18n.LANGUAGES[code]), title=_("Settings"),
                    severity="warning" if problem else "information")

    def _redraw_words(self, screen: Screen) -> None:
        """``screen``'s words again, in the current language."""
        if hasattr(screen, "relabel"):  # the lesson, the picker and the error screen
            screen.relabel()
        screen.refresh_bindings()


def run(
    scenario: str | None = None, watch: bool = False, screenshot_dir: str | None = None, language: str | None = None
) -> None:
    app = TutorApp(scenario, watch=watch, screenshot_dir=screenshot_dir, language=language)
    app.freeze_after_start = True  # one app per process here (tests run many, and skip this)
    app.run()
