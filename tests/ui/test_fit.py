"""Fitting the lesson to the window: the whole graph, the whole explanation, tables and plots.

Pilot tests at the classic 80×24, at 120×40, and wide enough for the panel to
stand beside the graph.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from tutor.draw.density import BOXES, LEVELS, NAMES
from tutor.scenario import builtin_names
from tutor.ui.screens.lesson_screen import LessonScreen
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.step_panel import MORE_BELOW, PanelBox, StepPanel

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def lesson_screen(pilot: Pilot) -> LessonScreen:
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen), type(screen).__name__
    return screen


def assert_whole_graph_in_view(graph: GraphView) -> None:
    width, height = graph.scrollable_content_region.size
    drawing = graph.virtual_size
    assert drawing.width <= width and drawing.height <= height, (graph.level, drawing, (width, height))
    assert graph.scroll_offset == (0, 0)


def assert_nothing_cut_silently(screen: LessonScreen) -> None:
    box = screen.query_one(PanelBox)
    if box.max_scroll_y > 0:
        assert box.border_subtitle == MORE_BELOW or box.scroll_y >= box.max_scroll_y
    else:
        assert not box.border_subtitle


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", builtin_names())
def test_whole_graph_in_view_at_the_start_and_at_the_end(drive, name: str, size: str) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        graph = screen.query_one(GraphView)
        assert_whole_graph_in_view(graph)
        assert_nothing_cut_silently(screen)
        await pilot.press("end")
        await pilot.pause()
        assert_whole_graph_in_view(graph)
        assert_nothing_cut_silently(screen)

    drive(name, body, size=SIZES[size])


def test_zoom_in_out_and_fit(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        graph = screen.query_one(GraphView)
        await pilot.press("g")  # from the neuron view tiny_net opens in to the groups view's graph
        assert screen.lesson.view == "groups"
        fitted = graph.level
        assert fitted == NAMES  # tiny_net at 80×24
        await pilot.press("plus")
        assert graph.level == LEVELS[LEVELS.index(fitted) - 1]
        await pilot.press("plus", "plus", "plus")
        assert graph.level == BOXES
        await pilot.press("minus")
        assert graph.level == LEVELS[1]
        await pilot.press("0")
        assert graph.level == fitted
        assert_whole_graph_in_view(graph)

    drive("tiny_net", body, size=(80, 24))


def test_resizing_refits(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        graph = screen.query_one(GraphView)
        small = graph.level
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert LEVELS.index(graph.level) < LEVELS.index(small)
        assert screen.query_one("#stage").has_class("wide")  # the panel stands beside the graph
        panel = screen.query_one(PanelBox)
        assert panel.region.x > graph.region.x and panel.region.y == graph.region.y
        assert_whole_graph_in_view(graph)

    drive("shopping_oranges", body, size=(80, 24))


def test_panel_scrolls_with_page_keys_and_says_more_below(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("g")  # tiny_net opens as neurons: this is about the groups view's graph
        await pilot.press("end")
        await pilot.pause()
        box, panel = screen.query_one(PanelBox), screen.query_one(StepPanel)
        assert panel.compact_shown  # the full form does not fit: one line per edge
        assert box.max_scroll_y > 0 and box.border_subtitle == MORE_BELOW
        shown = {key for key, active in screen.active_bindings.items() if active.binding.show and active.enabled}
        assert "pagedown" in shown  # the footer says which key scrolls
        for _ in range(5):  # a page at a time, to the bottom
            await pilot.press("pagedown")
            await pilot.pause()
            if box.scroll_y == box.max_scroll_y:
                break
            assert box.border_subtitle == MORE_BELOW
        assert box.scroll_y == box.max_scroll_y
        assert box.border_subtitle != MORE_BELOW
        shown = {key for key, active in screen.active_bindings.items() if active.binding.show and active.enabled}
        assert "pagedown" not in shown  # nothing more below: the footer stops offering PgDn
        for _ in range(5):
            await pilot.press("pageup")
            await pilot.pause()
            if box.scroll_y == 0:
                break
        assert box.scroll_y == 0
        shown = {key for key, active in screen.active_bindings.items() if active.binding.show and active.enabled}
        assert "pagedown" in shown

    drive("tiny_net", body, size=(80, 24))


def test_stepping_back_restores_the_scroll_positions(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("g")  # tiny_net opens as neurons: this is about the groups view's graph
        graph = screen.query_one(GraphView)
        await pilot.press("plus", "plus", "plus")  # boxes: far larger than the window
        assert graph.level == BOXES
        seen = {}
        for k in range(1, screen.lesson.last + 1):
            await pilot.press("right")
            await pilot.pause()
            if k == screen.lesson.last:
                await pilot.press("pagedown")
                await pilot.pause()
            seen[k] = (graph.scroll_offset, screen.query_one(PanelBox).scroll_y)
        assert len({offset for offset, _ in seen.values()}) > 3  # the view really moved
        await pilot.press("shift+down", "shift+down")  # the learner pans at the last step
        await pilot.pause()
        seen[screen.lesson.last] = (graph.scroll_offset, screen.query_one(PanelBox).scroll_y)
        for k in range(screen.lesson.last - 1, 0, -1):
            await pilot.press("left")
            await pilot.pause()
            assert (graph.scroll_offset, screen.query_one(PanelBox).scroll_y) == seen[k], k
        await pilot.press("end")
        await pilot.pause()
        assert (graph.scroll_offset, screen.query_one(PanelBox).scroll_y) == seen[screen.lesson.last]

    drive("tiny_net", body, size=(80, 24))


def test_current_node_and_its_inputs_in_view_when_zoomed_in(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        graph = screen.query_one(GraphView)
        await pilot.press("plus", "plus")
        for _ in range(screen.lesson.last):
            await pilot.press("right")
            await pilot.pause()
            current = screen.lesson.frame(screen.k).current
            box = graph.box_of(current)
            x, y = graph.scroll_offset
            width, height = graph.scrollable_content_region.size
            assert x <= box.x and box.x + box.w <= x + width and y <= box.y and box.y + box.h <= y + height

    drive("sigmoid_expanded", body, size=(80, 24))


def test_paths_mode_scrolls_to_the_highlighted_path(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("g")  # tiny_net opens as neurons: this is about the groups view's graph
        graph = screen.query_one(GraphView)
        await pilot.press("plus", "plus", "plus")
        while screen.selected != "w31":
            await pilot.press("tab")
        await pilot.press("4")
        await pilot.pause()
        for _ in range(2):
            nodes = screen.mode.view().highlight_nodes
            x, y = graph.scroll_offset
            width, height = graph.scrollable_content_region.size
            visible = [k for k in nodes if (b := graph.box_of(k)) and x <= b.x < x + width and y <= b.y < y + height]
            assert visible, (nodes, graph.scroll_offset)
            await pilot.press("right")
            await pilot.pause()

    drive("tiny_net", body, size=(80, 24))


@pytest.mark.parametrize("name", ["two_paths", "tiny_net"])
def test_numeric_check_table_shows_every_row(drive, name: str) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("5")
        await pilot.pause()
        table = screen.query_one("#check-table", DataTable)
        assert table.row_count == len(screen.scenario.leaves)
        assert not screen.query_one(GraphView).display  # the table takes the graph's place
        shown = table.scrollable_content_region.height - 1  # header row
        assert shown >= min(table.row_count, 10)  # every row, or scrolls
        if shown < table.row_count:
            assert table.max_scroll_y > 0

    drive(name, body, size=(80, 24))


def test_loss_curve_takes_the_graphs_place_and_is_tall(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("6", "t", "t", "t")
        await pilot.pause()
        await pilot.pause()
        plot = screen.query_one("#loss-plot")
        assert plot.display and not screen.query_one(GraphView).display
        rows = [row for row in str(plot.render()).splitlines() if "┤" in row]
        assert len(rows) >= 6

    drive("tiny_net", body, size=(80, 24))


@pytest.mark.parametrize("keys", [("plus",), ("plus", "plus", "plus"), ("plus", "plus", "0")])
def test_zooming_keeps_the_current_node_in_view(drive, keys) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("end", "left")  # stepping back restores the remembered scroll: then zoom
        await pilot.pause()
        graph = screen.query_one(GraphView)
        current = screen.lesson.frame(screen.k).current
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
        box = graph._box(current)
        visible_x, visible_y = int(graph.scroll_x), int(graph.scroll_y)
        width, height = graph.scrollable_content_region.size
        assert visible_x <= box.x and box.x + box.w <= visible_x + width, (box, graph.scroll_offset)
        assert visible_y <= box.y and box.y + box.h <= visible_y + height, (box, graph.scroll_offset)

    drive("shopping_oranges", body, size=(80, 24))


@pytest.mark.parametrize("name", ["xor", "curve"])
def test_training_status_takes_only_its_rows_and_the_net_gets_the_rest(drive, name: str) -> None:
    """At 80x24 the training panel's status is two lines: its frame has no blank rows below
    them, and the net is fitted to every row above (not to the rows a step's words would need)."""

    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("6")
        await pilot.pause()
        box, panel, graph = screen.query_one(PanelBox), screen.query_one(StepPanel), screen.query_one(GraphView)
        lines = str(panel.render()).rstrip("\n").split("\n")
        assert box.size.height == len(lines) and not any(not line.strip() for line in lines)
        assert graph.room == (graph.size.width, graph.size.height)
        assert graph.drawing_height <= graph.size.height  # the whole net in view

    drive(name, body, size=(80, 24))
