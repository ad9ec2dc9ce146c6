"""A picture of the lesson at a chosen step, drawn by the app itself, for handouts.

The app runs headless at a fixed size and theme; the keys a learner would
press bring it to the step, view and mode asked for; then the screen is
exported as SVG (and, for ``.html``, wrapped in a page that shows it).
"""

from __future__ import annotations

import asyncio
import html

from textual.theme import BUILTIN_THEMES

from tutor.i18n import _, language
from tutor.records import record
from tutor.teach import modes
from tutor.ui.app import TutorApp
from tutor.ui.screens.lesson_screen import LessonScreen

MODE_CLASSES = {m.name: m for m in modes.MODES if m.pictured}
"""Modes a picture can show; the quiz waits for answers, so it has no picture of its own."""
MODES = modes.PICTURED
MODE_KEYS = {name: m.key for name, m in MODE_CLASSES.items()}
DEFAULT_SIZE = (100, 32)
DEFAULT_THEME = "textual-dark"


class ExportError(Exception):
    """A step, view, mode or leaf the scenario does not have."""


@record
class Shot:
    """What to draw: ``step`` is a number, or ``end`` for the last step."""

    scenario: str
    step: int | str = 0
    view: str | None = None
    mode: str = "step"
    wrt: str | None = None
    size: tuple[int, int] = DEFAULT_SIZE
    theme: str = DEFAULT_THEME
    row: int | None = None
    """A data row (from 1) to step through, as the d key picks one."""


def parse_size(text: str) -> tuple[int, int]:
    """``100x32`` -> (100, 32); at least the app's smallest window."""
    cols, sep, rows = text.lower().partition("x")
    if not sep or not cols.isdigit() or not rows.isdigit():
        raise ExportError(_("--size expects COLSxROWS such as 100x32, got {text}").format(text=repr(text)))
    size = int(cols), int(rows)
    if not (60 <= size[0] <= 1000 and 18 <= size[1] <= 500):
        raise ExportError(_("--size {text}: columns must be 60 to 1000 and rows 18 to 500").format(text=text))
    return size


def theme_problem(name: str) -> str:
    """What is wrong with ``--theme name`` (naming the themes there are), or ""."""
    if name in BUILTIN_THEMES:
        return ""
    shown = repr(name) if name else _("(empty)")
    return _("--theme {name} is not a theme; choose one of: {themes}").format(
        name=shown, themes=", ".join(sorted(BUILTIN_THEMES)))


async def _steps(pilot, count: int) -> None:  # noqa: ANN001 - a textual Pilot
    for _step in range(count):
        await pilot.press("right")


async def _draw(shot: Shot) -> str:
    if problem := theme_problem(shot.theme):
        raise ExportError(problem)
    app = TutorApp(shot.scenario, remember=False)
    app.theme = shot.theme
    async with app.run_test(size=shot.size) as pilot:
        await pilot.pause()
        screen = app.screen
        if not isinstance(screen, LessonScreen):
            raise ExportError(_("{scenario} did not open as a lesson").format(scenario=shot.scenario))
        if shot.row is not None:
            screen.use_row(shot.row)
            await pilot.pause()
        if shot.view and screen.lesson.view != shot.view:
            await pilot.press("g")
            if screen.lesson.view != shot.view:
                raise ExportError(_("no view {view}").format(view=repr(shot.view)))
        last = screen.lesson.last
        moves_in_mode = MODE_CLASSES[shot.mode].own_steps
        if not moves_in_mode:
            if shot.step == "end":
                await pilot.press("end")
            else:
                if not 0 <= int(shot.step) <= last:
                    raise ExportError(_("--step {step}: {scenario} has steps 0 to {last} (or 'end')").format(
                        step=shot.step, scenario=shot.scenario, last=last))
                await _steps(pilot, int(shot.step))
        if shot.mode != "step":
            reason = screen.modes[shot.mode].unavailable()
            if reason:
                raise ExportError(_("no {mode} for {scenario}: {reason}").format(
                    mode=_(MODE_CLASSES[shot.mode].title), scenario=shot.scenario, reason=reason))
            # Without --wrt the mode starts from the first leaf, as --help says.
            wrt = shot.wrt or next(iter(screen.scenario.leaves), None)
            if moves_in_mode and wrt:
                if wrt not in screen.scenario.leaves:
                    raise ExportError(_("--wrt: {leaf} is not an input or param of {scenario}").format(
                        leaf=repr(wrt), scenario=shot.scenario))
                for _node in range(len(screen.lesson.nodes)):
                    if screen.selected == wrt:
                        break
                    await pilot.press("tab")
            await pilot.press(MODE_KEYS[shot.mode])
            if moves_in_mode:
                if shot.step != "end":
                    progress = screen.modes[shot.mode].progress()
                    own_last = progress.total - progress.done if progress is not None else 0
                    if not 0 <= int(shot.step) <= own_last:
                        raise ExportError(_("--step {step}: {mode} from {leaf} has steps 0 to {last} (or 'end')").format(
                            step=shot.step, mode=_(MODE_CLASSES[shot.mode].title), leaf=wrt, last=own_last))
                await (pilot.press("end") if shot.step == "end" else _steps(pilot, int(shot.step)))
        await pilot.pause()
        return app.export_screenshot(title=screen.scenario.title)


def svg(shot: Shot) -> str:
    """The screen for ``shot`` as an SVG document."""
    if shot.mode not in MODES:
        raise ExportError(_("--mode must be one of {modes}").format(modes=", ".join(MODES)))
    return asyncio.run(_draw(shot))


def html_page(svg_text: str, title: str) -> str:
    """A page that shows the SVG as it is (no scripts, no external files)."""
    return (
        f"<!DOCTYPE html>\n<html lang=\"{language()}\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{margin:1rem;background:#fff}svg{max-width:100%;height:auto}</style>\n"
        f"</head>\n<body>\n{svg_text}\n</body>\n</html>\n"
    )
