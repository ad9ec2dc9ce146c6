"""The teaching pass in the real app: what a learner sees at 80×24, 120×40 and 200×50."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tutor.ui.screens.lesson_screen import LessonScreen
from tutor.ui.widgets.footer import KeyBar
from tutor.ui.widgets.step_panel import PanelBox, StepPanel


def keys(screen: LessonScreen) -> list[str]:
    return [label for _key, _shown, label, _enabled, _tooltip in screen.query_one(KeyBar).keys()]


@pytest.mark.parametrize("name", ["shopping_oranges", "two_paths", "sigmoid_expanded", "square_of_sum"])
def test_the_full_explanation_stays_on_screen_at_80x24_when_it_can(drive, name: str) -> None:
    """The compact form once took over at the steps that teach the most, though the full form fitted beside a
    denser drawing; now the panel keeps room for the tallest step, and no step scrolls or shortens."""

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        panel, box = screen.query_one(StepPanel), screen.query_one(PanelBox)
        for _ in range(screen.lesson.last + 1):
            await pilot.pause()
            assert not panel.compact_shown, screen.k
            assert box.max_scroll_y == 0, screen.k
            await pilot.press("right")

    drive(name, body, size=(80, 24))


def test_beside_the_graph_the_panel_takes_the_columns_the_graph_leaves(drive) -> None:
    async def body(pilot: Pilot) -> None:
        await pilot.pause()
        box = pilot.app.screen.query_one(PanelBox)
        assert box.size.width > 64  # it stayed 64 wide at 200 columns, wrapping beside 75 empty ones

    drive("two_paths", body, size=(200, 50))


def test_next_and_back_show_only_where_they_move_and_keep_their_order(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        await pilot.pause()
        assert "Next" in keys(screen) and "Back" not in keys(screen)  # at the start nothing lies behind
        await pilot.press("right")
        await pilot.pause()
        assert keys(screen).index("Next") < keys(screen).index("Back")
        await pilot.press("5")  # the numeric check's table has arrow keys of its own
        await pilot.pause()
        assert keys(screen).index("Next") < keys(screen).index("Back")
        await pilot.press("1", "end")
        await pilot.pause()
        assert "Next" not in keys(screen) and "Back" in keys(screen)  # at the end → does nothing

    drive("two_paths", body, size=(120, 40))


def test_the_palette_offers_no_view_a_lesson_does_not_have(drive) -> None:
    from textual.actions import parse

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        titles = [command.title for command in pilot.app.get_system_commands(screen)]
        assert "Groups" not in titles and "Neurons" not in titles and "Expand" not in titles  # one view only
        for binding in screen.BINDINGS:
            if binding.description in titles and not binding.action.startswith("app."):
                _destination, name, parameters = parse(binding.action)
                assert screen.check_action(name, parameters)

    drive("shopping", body, size=(120, 40))
