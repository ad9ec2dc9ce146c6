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


async def _select(pilot: Pilot, key: str) -> None:
    """Press Tab until ``key`` is selected."""
    screen = pilot.app.screen
    for _ in range(len(screen.lesson.nodes) + 1):
        if screen.selected == key:
            return
        await pilot.press("tab")
        await pilot.pause()
    assert screen.selected == key


@pytest.mark.parametrize("size", list(SIZES))
def test_forward_modes_tangent_is_never_cut(drive, size: str) -> None:
    """``715 ṫ6…`` where the panel said 650: the cells grow for the widest tangent."""

    async def body(pilot: Pilot) -> None:
        await pilot.press("3")
        await pilot.pause()
        await _select(pilot, "tax")
        await pilot.press("end")
        await pilot.pause()
        graph = pilot.app.screen.query_one(GraphView)
        drawn = "\n".join("".join(t for t, _ in row) for row in graph.rows())
        assert "ṫ650" in drawn and "…" not in drawn, drawn
        assert "∂" not in drawn and "δ" not in drawn

    drive("shopping_oranges", body, size=SIZES[size])


NETS = ("tiny_net", "xor", "curve", "softmax", "spiral")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", NETS)
def test_the_neuron_view_draws_the_whole_net_with_its_wires(drive, name: str, size: str) -> None:
    """Inputs → weighted sums → activations → next layer → loss, whole in the pane, at the start and the end."""
    from tutor.teach.lesson import NEURONS

    async def body(pilot: Pilot) -> None:
        graph = await _view(pilot, NEURONS)
        for key in ("home", "end"):
            await pilot.press(key)
            await pilot.pause()
            assert _whole(graph), (graph.virtual_size, graph.scrollable_content_region.size)
            drawn = "\n".join("".join(t for t, _ in row) for row in graph.rows())
            assert "▶" in drawn and "▼" in drawn and "loss" in drawn, drawn
            for neuron in graph.lesson.network.neurons:
                assert neuron.name in drawn

    drive(name, body, size=SIZES[size])
