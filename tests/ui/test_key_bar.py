"""The lesson screen's key bar: one widget that shows, highlights and presses the keys as Textual's Footer does."""

from __future__ import annotations

from textual.pilot import Pilot

from tutor.ui.screens.lesson_screen import LessonScreen
from tutor.ui.widgets.footer import KeyBar


def bar_text(pilot: Pilot) -> str:
    return pilot.app.screen.query_one(KeyBar).render().plain


def key_x(pilot: Pilot, label: str) -> int:
    """The column of the key whose label is ``label``."""
    bar = pilot.app.screen.query_one(KeyBar)
    bar.render()
    index = next(i for i, key in enumerate(bar.keys()) if key[2] == label)
    return bar._spans[index][0]


def test_the_bar_shows_the_shown_keys_once_each_with_their_labels(drive) -> None:
    async def body(pilot: Pilot) -> None:
        text = bar_text(pilot)
        assert text.startswith("→ Next e Edit ")  # no g: shopping's groups are its primitives; no ←: at the start
        assert text.endswith("? Help q Quit")
        assert text.count("Next") == 1  # →, l and space share one action: one key shown
        assert "Start" not in text  # a binding with show=False
    drive("shopping", body)


def test_the_bar_follows_the_bindings(drive) -> None:
    async def body(pilot: Pilot) -> None:
        assert "1 Step" not in bar_text(pilot)
        await pilot.press("3")  # forward mode: the way back to step mode is offered
        await pilot.pause()
        assert "1 Step" in bar_text(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "1 Step" not in bar_text(pilot)
    drive("two_paths", body)


def test_clicking_a_key_presses_it(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen) and screen.k == 0
        await pilot.click(KeyBar, offset=(key_x(pilot, "Next"), 0))
        await pilot.pause()
        assert screen.k == 1
        await pilot.click(KeyBar, offset=(key_x(pilot, "Back"), 0))
        await pilot.pause()
        assert screen.k == 0
    drive("shopping", body)


def test_the_key_under_the_mouse_is_highlighted_and_gives_its_tooltip(drive) -> None:
    async def body(pilot: Pilot) -> None:
        bar = pilot.app.screen.query_one(KeyBar)
        plain = bar.render()
        x = key_x(pilot, "Help")
        await pilot.hover(KeyBar, offset=(x, 0))
        await pilot.pause()
        hovered = bar.render()
        assert hovered.plain == plain.plain
        assert hovered.get_style_at_offset(pilot.app.console, x) != plain.get_style_at_offset(pilot.app.console, x)
        assert bar.tooltip == "List every key"
        await pilot.hover(KeyBar, offset=(key_x(pilot, "Quit"), 0))
        await pilot.pause()
        assert bar.tooltip == "Quit the tutor"
    drive("shopping", body)
