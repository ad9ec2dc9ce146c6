"""Snapshot tests of key screens (pytest-textual-snapshot).

Update with ``python -m pytest tests/ui --snapshot-update`` only after looking
at the report: each SVG must show what its test name says.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tutor.scenario import builtin_names
from tutor.ui.screens.lesson_screen import LessonScreen
from tutor.ui.widgets.step_panel import StepPanel

POINTS = {
    "start": (),
    "forward": ("right",),
    "first_backward": ("f", "right"),
    "last": ("end",),
}


@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("name", builtin_names())
def test_scenario_steps(snap, name: str, point: str) -> None:
    assert snap(name, press=POINTS[point])


def select(key: str):
    """A ``run_before`` that presses Tab until ``key`` is selected."""

    async def run(pilot: Pilot) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        for _ in range(len(screen.lesson.nodes)):
            if screen.selected == key:
                break
            await pilot.press("tab")
        assert screen.selected == key

    return run


def go_to_fan_out(leaf: str, count: int):
    """A ``run_before`` that steps to where ``leaf`` has received ``count`` contributions."""

    async def run(pilot: Pilot) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        lesson = screen.lesson
        target = next(
            k for k in range(lesson.forward_end + 1, lesson.last + 1)
            if any(edge.input == leaf for edge in lesson.step(k).edges) and len(lesson.contributions(k, leaf)) == count
        )
        while screen.k < target:
            await pilot.press("right")
        # Nodes in general; neurons (δⱼ·wⱼ) when every contribution comes from a neuron's weighted sum.
        panel = screen.query_one(StepPanel).words()
        compact = f"(fan-out: {leaf} feeds {count} nodes)" in panel  # the compact form's line for the input
        compact = compact or f"(fan-out: {count} neurons)" in panel  # the compact form's Σⱼ δⱼ·wⱼ line
        assert f"fan-out: {leaf} feeds {count} nodes" in panel or f"fan-out: {leaf} feeds {count} neurons" in panel or (
            compact)  # the compact form, when the full one does not fit the panel

    return run


def test_two_paths_fan_out(snap) -> None:
    assert snap("two_paths", run_before=go_to_fan_out("b", 2))


def in_groups(then):
    """A ``run_before`` that leaves the neuron view for the groups view (g), then runs ``then``."""

    async def run(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("g")
        assert pilot.app.screen.lesson.view == "groups"
        await then(pilot)

    return run


def test_tiny_net_fan_out_over_three_neurons(snap) -> None:
    assert snap("tiny_net", run_before=in_groups(go_to_fan_out("x1", 3)))


def test_picker(snap) -> None:
    assert snap(None)


def test_error_screen(snap) -> None:
    Path("bad.yaml").write_text("inputs:\n  a: 1\nnodes:\n  b: a +* 2\noutput: b\n", encoding="utf-8")
    assert snap("bad.yaml")


def test_help(snap) -> None:
    assert snap("shopping", press=("question_mark",))


def test_sigmoid_expanded_collapsed_to_groups(snap) -> None:
    assert snap("sigmoid_expanded", press=("g", "end"))


def test_tiny_net_groups_hidden_deltas(snap) -> None:
    assert snap("tiny_net", press=("g", "f", "right", "right", "right", "right", "right"))


def test_tiny_net_expanded(snap) -> None:
    assert snap("tiny_net", press=("g", "g", "f", "right"))


# --- the neuron view and training on data, at 80x24 -------------------------------

SMALL = (80, 24)


def test_neuron_view_forward_80x24(snap) -> None:
    # the whole 2-3-1 net with every weight; the second hidden neuron is being computed
    assert snap("tiny_net", press=("right", "right"), size=SMALL)


def test_neuron_view_stage_four_80x24(snap) -> None:
    # the last step: h1's delta, its weights' gradients and x1's fan-out sum
    assert snap("tiny_net", press=("end",), size=SMALL)


def test_neuron_view_error_arriving_80x24(snap) -> None:
    # backward stage 1 at a hidden neuron: the error arrives from the output neuron
    assert snap("tiny_net", press=("f", "right", "right", "right", "right", "right", "right", "right"), size=SMALL)


def test_neuron_view_4_8_8_3_at_120x40(snap) -> None:
    Path("big.yaml").write_text(
        "inputs: {x1: 0.1, x2: 0.2, x3: 0.3, x4: 0.4, t: 1}\n"
        "network:\n  inputs: [x1, x2, x3, x4]\n  seed: 2\n  layers:\n"
        "    - {size: 8, activation: relu}\n    - {size: 8, activation: tanh}\n    - {size: 3, activation: sigmoid}\n"
        "nodes:\n  loss: (a3_1 - t) ** 2 + a3_2 ** 2 + a3_3 ** 2\noutput: loss\n",
        encoding="utf-8",
    )
    assert snap("big.yaml", press=("end",), size=(120, 40))


def run_epochs(pilot_keys: tuple[str, ...]):
    """A ``run_before`` that presses keys in training mode and waits for a run (T) to finish."""

    async def run(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("6", *pilot_keys)
        screen = pilot.app.screen
        for _ in range(600):
            if not screen.running:
                break
            await pilot.pause(0.02)
        assert not screen.running
        await pilot.pause()

    return run


def test_xor_decision_map_after_training_80x24(snap) -> None:
    assert snap("xor", run_before=run_epochs(("T",)), size=SMALL)


def test_curve_fitted_after_training_80x24(snap) -> None:
    assert snap("curve", run_before=run_epochs(("T",)), size=SMALL)


def test_row_picker_80x24(snap) -> None:
    assert snap("xor", press=("d", "down"), size=SMALL)


def test_edit_dialog(snap) -> None:
    assert snap("shopping", run_before=select("apple"), press=("e",))


def test_edited_input(snap) -> None:
    assert snap("shopping", run_before=select("apple"), press=("e", "2", "0", "0", "enter"))


def test_quiz_question(snap) -> None:
    assert snap("shopping", press=("2", "right"))


def test_forward_mode_at_its_end(snap) -> None:
    assert snap("two_paths", run_before=select("b"), press=("3", "end"))


def test_paths(snap) -> None:
    assert snap("two_paths", run_before=select("b"), press=("4",))


def test_numeric_check(snap) -> None:
    assert snap("shopping_oranges", press=("5",))


def test_training_after_three_steps(snap) -> None:
    assert snap("tiny_net", press=("6", "t", "t", "t"))


def test_80x24(snap) -> None:
    assert snap("shopping_oranges", press=("f", "right"), size=(80, 24))


def test_too_small(snap) -> None:
    assert snap("shopping_oranges", size=(50, 15))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("point", ["start", "last"])
@pytest.mark.parametrize("name", builtin_names())
def test_every_lesson_fits(snap, name: str, point: str, size: tuple[int, int]) -> None:
    """The whole graph and the whole explanation, at step 0 and at the last step, in common windows."""
    assert snap(name, press=POINTS[point], size=size)


# --- Japanese, at 80x24: the screens a reader of the textbook meets ------------------


def until_panel_says(*texts: str, limit: int = 400):
    """A ``run_before`` that steps forward until the step panel holds every one of ``texts``."""

    async def run(pilot: Pilot) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        for _ in range(limit):
            words = screen.query_one(StepPanel).words()
            if all(text in words for text in texts):
                return
            await pilot.press("right")
        raise AssertionError(f"no step says {texts!r}")

    return run


def test_japanese_two_paths_start_80x24(snap) -> None:
    assert snap("two_paths", size=SMALL, language="ja")


def test_japanese_two_paths_last_80x24(snap) -> None:
    assert snap("two_paths", press=("end",), size=SMALL, language="ja")


def test_japanese_shopping_ja_first_backward_80x24(snap) -> None:
    assert snap("shopping_ja", press=("f", "right"), size=SMALL, language="ja")


def test_japanese_quiz_after_a_wrong_answer_80x24(snap) -> None:
    # the first question (apple × count = 200) answered 1: the op's hint and a second try
    assert snap("shopping_ja", press=("2", "right", "1", "enter"), size=SMALL, language="ja")


def test_japanese_neuron_stage_four_80x24(snap) -> None:
    assert snap("tiny_net", press=("end",), size=SMALL, language="ja")


def test_japanese_spiral_softmax_delta_80x24(snap) -> None:
    # the softmax layer's backward step: δ = p − t for each class
    assert snap("spiral", run_before=until_panel_says("a2_1 − t1"), size=SMALL, language="ja")
