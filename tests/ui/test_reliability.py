"""The app never crashes on a theme, a typed value or a title: themes from the palette, the edit dialog."""

from __future__ import annotations

import asyncio
import io

import pytest
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from tutor.ui.dialogs.edit import EditScreen
from tutor.ui.screens.lesson_screen import LessonScreen
from tutor.ui.widgets.stage import Stage
from tutor.ui.screens.picker import PickerScreen
from tutor.ui.theme import graph_styles, text_styles
from tutor.ui.widgets.step_panel import StepPanel

THEMES = sorted(App().available_themes)


def test_every_textual_theme_gives_styles_rich_can_render() -> None:
    console = Console(file=io.StringIO(), color_system="truecolor", width=20)
    themes = App().available_themes
    assert {"ansi-dark", "ansi-light", "rose-pine", "textual-dark", "textual-light"} <= set(themes)
    for name, theme in themes.items():
        for style in [*graph_styles(theme).values(), *text_styles(theme).values()]:
            console.print(Text("x", style=style))


async def palette_theme(pilot: Pilot, name: str) -> None:
    """Choose a theme the way a learner does: Ctrl+P, "theme", Enter, the name, Enter."""
    await pilot.press("ctrl+p")
    await pilot.pause(0.05)
    await pilot.press(*"theme")
    await pilot.pause(0.2)
    await pilot.press("enter")
    await pilot.pause(0.2)
    await pilot.press(*name)
    await pilot.pause(0.2)
    await pilot.press("enter")
    await pilot.pause(0.05)
    assert pilot.app.theme == name


def test_rose_pine_from_the_palette_on_the_picker_then_a_lesson(drive) -> None:
    async def body(pilot: Pilot) -> None:
        assert isinstance(pilot.app.screen, PickerScreen)
        await palette_theme(pilot, "rose-pine")
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, LessonScreen)
        for _ in range(6):
            await pilot.press("right")
        await palette_theme(pilot, "ansi-dark")
        await pilot.press("end", "left")
        await pilot.pause()

    drive(None, body)


def test_every_theme_switched_on_every_screen(drive) -> None:
    """Each theme once on the lesson (each mode sees several); a few on the picker, help and edit."""

    async def body(pilot: Pilot) -> None:
        app = pilot.app
        for name in ("ansi-light", "rose-pine", "textual-light"):  # the picker
            app.theme = name
            await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, LessonScreen)
        for k, name in enumerate(THEMES):
            app.theme = name
            await pilot.press("123456"[k % 6], "right", "right")
        await pilot.press("question_mark")
        for name in ("ansi-dark", "nord"):
            app.theme = name
            await pilot.pause()
        await pilot.press("escape", "e")
        for name in ("ansi-light", "gruvbox"):
            app.theme = name
            await pilot.pause()
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)

    drive(None, body)


# -- the edit dialog reads arithmetic and warns on overflow ---------------------------------


async def edit(pilot: Pilot, leaf: str, text: str) -> None:
    screen = pilot.app.screen
    for _ in range(len(screen.lesson.nodes) + 1):
        if screen.selected == leaf:
            break
        await pilot.press("tab")
    await pilot.press("e")
    assert isinstance(pilot.app.screen, EditScreen)
    pilot.app.screen.query_one("#value", Input).value = ""
    await pilot.press(*text, "enter")


def hint(pilot: Pilot) -> str:
    return str(pilot.app.screen.query_one("#dialog-hint").render())


def test_edit_accepts_arithmetic_as_the_quiz_does(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        await edit(pilot, "apple", "2*2*50")
        assert pilot.app.screen is screen
        assert screen.lesson.trace.value("apple") == 200
        await edit(pilot, "apple", "__import__('os')")
        assert isinstance(pilot.app.screen, EditScreen)
        assert "Not a number: unknown function '__import__'" in hint(pilot)
        await pilot.press("escape")
        assert screen.lesson.trace.value("apple") == 200

    drive("shopping", body)


def test_edit_warns_before_an_overflow_and_never_shows_inf_arithmetic(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        await edit(pilot, "apple", "1e308")
        assert isinstance(pilot.app.screen, EditScreen)
        assert "with apple = 1e308 the output price overflows to inf" in hint(pilot)
        assert screen.lesson.trace.value("apple") == 100  # not applied yet
        await pilot.press("enter")  # a second Enter applies it anyway
        assert pilot.app.screen is screen
        assert screen.lesson.trace.output_value == float("inf")
        panel = screen.query_one(StepPanel).words()
        assert "no change to compare" in panel and "= inf" not in panel
        await edit(pilot, "apple", "100")
        panel = screen.query_one(StepPanel).words()
        assert "price went inf → 220" in panel
        assert "-inf" not in panel
        await edit(pilot, "apple", "1e308*10")
        assert "Not a number: that evaluates to inf" in hint(pilot)
        await pilot.press("escape")

    drive("shopping", body)


# -- the error screen shows any name on one line -----------------------------------------


def test_error_screen_shows_surrogates_and_escapes_visibly(drive, tmp_path) -> None:
    from tutor.ui.screens.error import ErrorScreen

    bad = tmp_path / "bad.yaml"
    bad.write_text('inputs:\n  a: 1\nnodes:\n  "\\x1b[2J\\u202e": a\noutput: a\n', encoding="utf-8")

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, ErrorScreen)
        text = str(screen.query_one("#error-location").render())
        assert text == rf"{bad}:4:3: error: a control character \x1b (U+001B) is not allowed in '\x1b[2J\u202e'"
        pilot.app.open_scenario(str(tmp_path / "missing\udcff.yaml"))
        await pilot.pause()
        text = str(pilot.app.screen.query_one("#error-location").render())
        assert text.endswith(r"missing\udcff.yaml:1:1: error: no such file or built-in scenario")

    drive(str(bad), body)


def test_ctrl_p_while_the_palette_is_still_closing(drive) -> None:
    """Typed ahead, Esc then Ctrl+P reached the app before the first palette was gone: two palettes, one id."""

    async def body(pilot: Pilot) -> None:
        app = pilot.app
        await pilot.press("ctrl+p")
        await pilot.pause()
        app.pop_screen()  # the first palette starts closing ...
        app.action_command_palette()  # ... and Ctrl+P arrives before it is gone: ignored
        await pilot.pause(0.1)
        assert isinstance(app.screen, LessonScreen), app.screen
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.has_class("--textual-command-palette")
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert isinstance(app.screen, LessonScreen), app.screen

    drive("shopping", body)


def test_a_refit_queued_before_leaving_the_lesson_does_nothing_after(drive) -> None:
    """Found by 1,200 random keys on sigmoid: a zoom queued a refit, Esc left the lesson, then the refit
    ran on a screen whose widgets were gone (NoMatches: Stage)."""

    async def body(pilot: Pilot) -> None:
        assert isinstance(pilot.app.screen, PickerScreen)
        await pilot.press("enter")  # a lesson opened from the picker is closed (not kept) by Esc
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        stage = screen.query_one(Stage)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickerScreen) and not screen.is_attached
        stage.share_rows()  # queued by a zoom or a resize: the stage is gone with the screen
        screen._rows_shared()
        screen._mark_panel()
        screen._refill_mode_widget()
        screen._refill_training()
        assert pilot.app.is_running

    drive(None, body)


def test_a_dialog_asked_twice_to_close_closes_once(drive) -> None:
    """Found by 2,000 random keys on curve: Enter twice on the row list popped a screen that was not there."""
    from tutor.ui.dialogs.rows import RowScreen

    async def body(pilot: Pilot) -> None:
        lesson = pilot.app.screen
        await pilot.press("d")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, RowScreen)
        dialog.dismiss(2)
        dialog.dismiss(3)  # a second Enter, queued before the first closed it
        dialog.dismiss(None)
        await pilot.pause()
        assert pilot.app.screen is lesson and pilot.app.is_running
        assert lesson.place.row == 2

    drive("xor", body)


@pytest.mark.parametrize("name", ["shopping_ja", "tiny_net", "spiral"])
def test_a_wide_window_settles(drive, monkeypatch, name: str) -> None:
    """Beside the graph at 200 columns, the stage fits the graph twice (to learn its width, then in the room the
    panel leaves); each fit reports a refit, and answering those reports shared the rows for ever."""
    calls: list[int] = []
    share = Stage.share_rows

    def counted(self, size=None) -> None:
        calls.append(1)
        share(self, size)

    monkeypatch.setattr(Stage, "share_rows", counted)

    async def body(pilot: Pilot) -> None:
        for key in ["right", "right", "ctrl+end", "left", "n", "up"]:
            await pilot.press(key)
            await asyncio.wait_for(pilot.pause(), 20)
        before = len(calls)
        await asyncio.wait_for(pilot.pause(0.3), 20)
        assert len(calls) == before, "the stage kept sharing its rows with nothing changing"

    drive(name, body, size=(200, 60))
