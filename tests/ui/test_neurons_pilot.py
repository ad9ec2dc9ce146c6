"""Pilot tests of the neuron view, training on a data set and the row picker, at 80x24."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from tests.ui.test_pilot import graph_text, lesson_screen, panel_text
from tutor.engine.trace import run
from tutor.scenario import resolve
from tutor.ui.dialogs.rows import RowScreen
from tutor.ui.widgets.graph_view import GraphView

SMALL = (80, 24)


def whole_net_in_view(screen) -> bool:
    """Every neuron, input and weight label is inside the graph's viewport, without scrolling."""
    graph = screen.query_one(GraphView)
    width, height = graph.scrollable_content_region.size
    return graph.virtual_size.width <= width and graph.virtual_size.height <= height


def test_tiny_net_opens_in_the_neuron_view_with_the_whole_net_at_80x24(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        assert screen.lesson.view == "neurons"
        assert whole_net_in_view(screen)
        drawn = "\n".join(graph_text(screen))
        for weight in ("0.15", "0.2", "0.35", "0.25", "0.3", "−0.35", "0.4", "−0.45", "0.5", "0.1"):
            assert weight in drawn
        await pilot.press("end")
        drawn = "\n".join(graph_text(screen))
        trace = run(resolve("tiny_net").graph)
        assert "δ−0.0620" in drawn and f"∂{trace.grad('x1'):.3}" in drawn
        assert whole_net_in_view(screen)
        assert "stage 4 of 4" in panel_text(screen)

    drive("tiny_net", body, size=SMALL)


def test_forward_is_one_neuron_per_step_and_backward_four_stages(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("right")
        assert screen.lesson.frame(screen.k).current == "h1"
        assert "h1 = sigmoid(z1)" in panel_text(screen)
        await pilot.press("f", "right", "right", "right")
        assert "stage 1 of 4: the error arriving" in panel_text(screen)
        for stage in (2, 3, 4):
            await pilot.press("right")
            assert f"stage {stage} of 4" in panel_text(screen)

    drive("tiny_net", body, size=SMALL)


@pytest.mark.parametrize("presses", [(), ("right", "right"), ("f", "right", "right", "right", "right")])
def test_g_cycles_the_three_views_and_keeps_the_place(drive, presses) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press(*presses)
        step = screen.lesson.step(screen.k)
        await pilot.press("g")
        assert screen.lesson.view == "groups"
        if step is not None:
            group = screen.lesson.step(screen.k)
            assert group.node in (step.node, step.neuron) and screen.lesson.position(screen.k).phase == step.phase
        await pilot.press("g")
        assert screen.lesson.view == "expanded"
        await pilot.press("g")
        assert screen.lesson.view == "neurons"
        back = screen.lesson.step(screen.k)
        assert (back is None) == (step is None)
        if step is not None:
            assert back.neuron == step.neuron and back.phase == step.phase

    drive("tiny_net", body, size=SMALL)


def test_quiz_in_the_neuron_view_asks_about_neurons(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("2", "right")
        assert "output of neuron h1" in panel_text(screen)
        answer = f"{run(resolve('tiny_net').graph).value('h1'):.6f}"
        box = screen.query_one(Input)
        box.value = answer
        await pilot.press("enter")
        await pilot.pause()
        assert "Right" in panel_text(screen)

    drive("tiny_net", body, size=SMALL)


@pytest.mark.parametrize("key", ["3", "4", "5"])
def test_forward_mode_paths_and_numeric_check_draw_in_the_neuron_view(drive, key: str) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press(key, "end")
        assert screen.lesson.view == "neurons"
        drawn = "\n".join(graph_text(screen))
        assert "h1" in drawn and "y" in drawn
        assert panel_text(screen).strip()

    drive("tiny_net", body, size=SMALL)


async def wait_for_run(pilot: Pilot) -> None:
    screen = lesson_screen(pilot)
    for _ in range(600):
        if not screen.running:
            return
        await pilot.pause(0.02)
    raise AssertionError("the run did not finish")


def test_training_xor_live_reaches_four_of_four_and_resets(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("6")
        panel = screen.query_one("#training-panel")
        assert panel.display and "epoch 0" in panel_text(screen)
        await pilot.press("t")
        mode = screen.modes["train"]
        assert mode.training_session().epochs == 1
        # T, then p before the run's next chunk (both handled before the event loop runs again)
        screen.action_mode_key("train", "run", 50)
        screen.action_mode_key("train", "pause")
        assert screen.running
        assert mode.paused and "paused" in panel_text(screen)
        epochs = mode.training_session().epochs
        await pilot.pause(0.3)
        assert mode.training_session().epochs == epochs  # paused: nothing runs
        await pilot.press("p")
        await wait_for_run(pilot)
        assert mode.training_session().epochs == 501
        assert "4/4 right" in panel_text(screen)
        # the lesson shows the trained params
        assert screen.lesson.leaf_values()["w1_1_1"] == mode.training_session().params()["w1_1_1"]
        await pilot.press("right_square_bracket")
        assert mode.learning_rate == 4 and "lr 4" in panel_text(screen)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert mode.learning_rate == 1
        await pilot.press("r")
        assert mode.training_session().epochs == 0 and mode.learning_rate == 2
        assert screen.lesson.leaf_values()["w1_1_1"] == resolve("xor").params["w1_1_1"]

    drive("xor", body, size=SMALL)


def test_training_panel_fits_80x24_with_the_map_and_the_net(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("6", "t")
        panel = screen.query_one("#training-panel")
        assert panel.region.bottom <= 23 and panel.region.height >= 5  # above the footer
        assert whole_net_in_view(screen)
        text = str(panel.render())
        assert "●" in text and "○" in text and "epoch 0" in text

    drive("xor", body, size=SMALL)


def test_curve_training_draws_the_fitted_curve(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("6", "t", "t")
        text = str(screen.query_one("#training-panel").render())
        assert "●" in text and "x" in text

    drive("curve", body, size=SMALL)


def test_row_picker_steps_through_the_chosen_row(drive) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        await pilot.press("d")
        assert isinstance(pilot.app.screen, RowScreen)
        options = pilot.app.screen.query_one(OptionList)
        assert options.option_count == 4
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        screen = lesson_screen(pilot)
        assert screen.lesson.leaf_values()["x1"] == 1 and screen.lesson.leaf_values()["x2"] == 0
        assert "Row 3 of 4" in panel_text(screen)
        await pilot.press("end")
        assert "Row 3 of 4" in panel_text(screen)
        await pilot.press("d", "escape")
        assert lesson_screen(pilot).place.row == 3

    drive("xor", body, size=SMALL)


def test_row_picker_without_data_says_so(drive) -> None:
    async def body(pilot: Pilot) -> None:
        await pilot.press("d")
        assert not isinstance(pilot.app.screen, RowScreen)

    drive("tiny_net", body, size=SMALL)


def footer_label(screen, key: str) -> str:
    """The description the footer shows for ``key`` now."""
    return screen.active_bindings[key].binding.description


@pytest.mark.parametrize("scenario, cycle", [
    ("tiny_net", [("neurons", "Groups"), ("groups", "Expand"), ("expanded", "Neurons")]),
    ("two_paths", [("groups", "Expand"), ("expanded", "Groups")]),
])
def test_the_view_key_is_labelled_with_the_view_it_shows_next(drive, scenario, cycle) -> None:
    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        start = [view for view, _ in cycle].index(screen.lesson.view)
        for view, label in cycle[start:] + cycle[:start] + cycle[start:start + 1]:
            assert screen.lesson.view == view
            assert footer_label(screen, "g") == label
            await pilot.press("g")
        await pilot.press("question_mark")
        help_rows = [row for row in pilot.app.screen.bindings if row.key == "g"]
        assert len(help_rows) == 1

    drive(scenario, body, size=SMALL)


def test_a_scenario_with_one_view_offers_no_view_key(drive) -> None:
    """shopping's named nodes are its primitives: g would redraw the same graph, so it is not offered."""

    async def body(pilot: Pilot) -> None:
        screen = lesson_screen(pilot)
        assert "g" not in {k for k, a in screen.active_bindings.items() if a.binding.show and a.enabled}
        await pilot.press("g")
        assert screen.lesson.view == "expanded"
        assert "view" not in str(screen.query_one("#progress").render())

    drive("shopping", body)
