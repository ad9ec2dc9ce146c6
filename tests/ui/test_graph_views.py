"""The graph's views in the real app at 80×24 and 120×40: every view fits or pans a useful way.

Pilot tests of what the graph pane shows (tutor.ui.widgets.graph_view):
tiny_net's expanded view fits the classic window whole, ``0`` fits it
again after a zoom, and a pan key moves a quarter of the pane.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tutor.teach.lesson import EXPANDED
from tutor.ui.widgets.graph_view import PAN_SHARE, GraphView

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


async def _view(pilot: Pilot, view: str) -> GraphView:
    """Press g until the lesson shows ``view``."""
    graph = pilot.app.screen.query_one(GraphView)
    for _ in range(3):
        if graph.lesson.view == view:
            break
        await pilot.press("g")
        await pilot.pause()
    assert graph.lesson.view == view
    return graph


def _whole(graph: GraphView) -> bool:
    width, height = graph.scrollable_content_region.size
    return graph.virtual_size.width <= width and graph.virtual_size.height <= height


@pytest.mark.parametrize("size", list(SIZES))
def test_tiny_nets_expanded_view_fits_and_0_fits_it_again(drive, size: str) -> None:
    async def body(pilot: Pilot) -> None:
        graph = await _view(pilot, EXPANDED)
        assert _whole(graph), (graph.level, graph.virtual_size, graph.scrollable_content_region.size)
        await pilot.press("end")
        await pilot.pause()
        assert _whole(graph)
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press("0")
        await pilot.pause()
        assert _whole(graph), (graph.level, graph.virtual_size)

    drive("tiny_net", body, size=SIZES[size])


@pytest.mark.parametrize("size", list(SIZES))
def test_a_pan_key_moves_a_quarter_of_the_pane(drive, size: str) -> None:
    async def body(pilot: Pilot) -> None:
        graph = await _view(pilot, EXPANDED)
        for _ in range(3):  # zoom in until the drawing is wider than the pane
            if graph.virtual_size.width > graph.scrollable_content_region.width:
                break
            await pilot.press("plus")
            await pilot.pause()
        width, height = graph.scrollable_content_region.size
        assert graph.virtual_size.width > width
        await pilot.press("home")
        await pilot.pause()
        graph.scroll_to(0, 0, animate=False, immediate=True)
        await pilot.pause()
        await pilot.press("shift+right")
        await pilot.pause()
        assert graph.scroll_x == min(width // PAN_SHARE, graph.max_scroll_x)
        await pilot.press("shift+left")
        await pilot.pause()
        assert graph.scroll_x == 0
        if graph.max_scroll_y > 0:
            await pilot.press("shift+down")
            await pilot.pause()
            assert graph.scroll_y == min(height // PAN_SHARE, graph.max_scroll_y)

    drive("tiny_net", body, size=SIZES[size])
