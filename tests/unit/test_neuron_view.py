"""The neuron view: its steps and words (tutor.teach.lesson.neuron_narration) and its drawing (tutor.draw.network)."""

from __future__ import annotations

import pytest

from tutor.draw.network import column_cells, draw_network, other_nodes, plain
from tutor.engine.numbers import fmt
from tutor.engine.trace import run
from tutor.scenario import loads, resolve
from tutor.teach.lesson import EXPANDED, GROUPS, Lesson
from tutor.teach.lesson import NEURONS

BIG = """
inputs: {x1: 0.1, x2: 0.2, x3: 0.3, x4: 0.4, t: 1}
network:
  inputs: [x1, x2, x3, x4]
  seed: 2
  layers:
    - {size: 8, activation: relu}
    - {size: 8, activation: tanh}
    - {size: 3, activation: sigmoid}
nodes:
  loss: (a3_1 - t) ** 2 + a3_2 ** 2 + a3_3 ** 2
output: loss
"""


def text(lines) -> str:
    return "\n".join("".join(fragment for fragment, _ in line) for line in lines)


@pytest.fixture(scope="module")
def tiny() -> Lesson:
    return Lesson(resolve("tiny_net"), {}, NEURONS)


def test_forward_is_one_neuron_per_step(tiny: Lesson) -> None:
    assert [(s.node, s.op) for s in tiny.forward] == [
        ("h1", "neuron"), ("h2", "neuron"), ("h3", "neuron"), ("y", "neuron"), ("err", "sub"), ("loss", "group"),
    ]
    words = text(tiny.explain(1))
    assert "weighted sum z1 = w11·x1 + w12·x2 + b1" in words
    assert "0.15×0.05 + 0.2×0.1 + 0.35 = 0.3775" in words
    assert "h1 = sigmoid(z1) = sigmoid(0.3775) = 0.59327" in words


def test_backward_has_four_stages_per_neuron(tiny: Lesson) -> None:
    stages = [(s.neuron, s.stage) for s in tiny.backward if s.neuron]
    assert stages == [(n, k) for n in ("y", "h3", "h2", "h1") for k in (1, 2, 3, 4)]
    assert [s.node for s in tiny.backward if s.neuron is None] == ["loss", "err"]
    assert len(tiny) == 1 + 6 + 2 + 16


def _at(lesson: Lesson, neuron: str, stage: int) -> int:
    for i, step in enumerate(lesson.backward):
        if step.neuron == neuron and step.stage == stage:
            return lesson.forward_end + 1 + i
    raise AssertionError


def test_stage_words_carry_the_traces_numbers(tiny: Lesson) -> None:
    trace = run(resolve("tiny_net").graph)
    one = text(tiny.explain(_at(tiny, "h2", 1)))
    assert "error ∂loss/∂h2 = 0.288899" in one and "from y: δ × v2 = (-0.641998) × (-0.45) = 0.288899" in one
    two = text(tiny.explain(_at(tiny, "h2", 2)))
    assert "σ(z)(1 − σ(z)) = 0.584798 × (1 − 0.584798) = 0.242809" in two
    three = text(tiny.explain(_at(tiny, "h2", 3)))
    assert "∂z/∂w21 = x1 = 0.05" in three and "∂z/∂b2 = 1" in three and "∂z/∂x2 = w22 = 0.3" in three
    four = text(tiny.explain(_at(tiny, "h1", 4)))
    assert f"= {trace.grad('z1'):.6g}" in four.replace("-0.0619658", f"{trace.grad('z1'):.6g}")
    assert "∂w11 = δ·x1 = (-0.0619658) × 0.05 = -0.00309829" in four
    assert "→ x1: δ·w11 = (-0.0619658) × 0.15 = -0.00929487" in four
    # x1 feeds three neurons: the running sum ends at x1's gradient
    assert "∂loss/∂x1 = Σⱼ δⱼ·wⱼ₁ = 0.0275724 + 0.0175368 − 0.00929487 = 0.0358143  (fan-out: all 3 add up)" in four
    # the last step lists every δ with its weights' and bias's gradients, then the inputs'
    assert "δ(h1)=-0.0619658:  ∂loss/∂w11=-0.00309829  ∂loss/∂w12=-0.00619658  ∂loss/∂b1=-0.0619658" in four
    assert "∂loss/∂x1=0.0358143  ∂loss/∂x2=-0.0228602" in four
    two = text(tiny.explain(_at(tiny, "h2", 4)))
    assert "∂loss/∂x1 so far 0.0275724 + 0.0175368 = 0.0451092  (2 of 3 neurons)" in two
    assert f"{trace.grad('x1'):.6g}" == "0.0358143"


def test_output_neuron_error_comes_from_the_loss(tiny: Lesson) -> None:
    words = text(tiny.explain(_at(tiny, "y", 1)))
    assert "error arriving from the loss: ∂loss/∂y = -0.641998" in words
    assert "activation′ ∂y/∂z = 1  (identity: y = z)" in text(tiny.explain(_at(tiny, "y", 2)))


def test_frames_reveal_delta_and_weight_gradients_at_stage_four(tiny: Lesson) -> None:
    before = tiny.frame(_at(tiny, "h2", 3))
    after = tiny.frame(_at(tiny, "h2", 4))
    assert before.current == after.current == "h2"
    assert "z2" not in before.grads and "w21" not in before.grads
    assert after.grads["z2"] == pytest.approx(0.0701474, rel=1e-5)
    assert "w21" in after.grads and "b2" in after.grads
    last = tiny.frame(tiny.last)
    trace = run(resolve("tiny_net").graph)
    for name in resolve("tiny_net").params:
        assert last.grads[name] == trace.grad(name)


@pytest.mark.parametrize("view", [GROUPS, EXPANDED])
def test_switching_views_keeps_the_place(tiny: Lesson, view: str) -> None:
    other = Lesson(tiny.scenario, {}, view)
    for k in range(len(tiny)):
        step = tiny.step(k)
        there = tiny.map_position(k, other)
        back = other.map_position(there, tiny)
        if step is None:
            assert there == 0 and back == 0
            continue
        other_step = other.step(there)
        group = other.graph.node(other_step.node).group
        assert group in (step.node, step.neuron) or step.node == other_step.node, (k, step, other_step)
        assert tiny.step(back).neuron == step.neuron or tiny.step(back).node == step.node


def test_lesson_built_with_the_neurons_view_is_a_neuron_lesson() -> None:
    lesson = Lesson(resolve("xor"), {}, NEURONS)
    assert lesson.view == NEURONS
    assert lesson.with_values({"x1": 1.0}).view == NEURONS
    assert lesson.with_view(GROUPS).view == GROUPS


def test_quiz_questions_in_the_neuron_view(tiny: Lesson) -> None:
    trace = run(resolve("tiny_net").graph)
    forward = tiny.questions(2)
    assert forward[0].answer == trace.value("h2")
    four = tiny.questions(_at(tiny, "h1", 4))
    assert four[0].answer == trace.grad("z1")
    assert {q.input for q in four[1:]} == {"w11", "w12", "x1", "x2"}  # the weights, then the inputs in all
    loss = tiny.questions(tiny.forward_end + 1)
    assert loss and all(q.k == tiny.forward_end + 1 for q in loss)


# --- drawing --------------------------------------------------------------------


def _draw(lesson: Lesson, k: int, height: int, width: int):
    others = other_nodes(lesson.network, [n.key for n in lesson.nodes])
    cells = column_cells(lesson.network, [lesson.frame(j) for j in range(lesson.last + 1)], others)
    return draw_network(lesson.network, lesson.frame(k), others, height=height, width=width, edges=lesson.edges,
                        cells=cells)


def test_tiny_net_fits_80_columns_with_every_weight(tiny: Lesson) -> None:
    forward = _draw(tiny, tiny.forward_end, 13, 80)  # the graph's pane at 80x24
    assert not forward.compact and forward.width <= 80 and forward.height <= 13
    drawing = plain(forward)
    for weight in ("0.15", "0.2", "0.25", "0.3", "−0.35", "0.4", "−0.45", "0.5"):
        assert weight in drawing
    for neuron in ("h1 σ", "h2 σ", "h3 σ", "y identity"):
        assert neuron in drawing
    assert "0.5933" in drawing and "loss" in drawing and "0.2061" in drawing
    backward = plain(_draw(tiny, tiny.last, 13, 80))
    assert "∂−0.00310" in backward and "δ−0.0620" in backward and "∂0.0358" in backward


def test_current_neuron_and_its_edges_are_highlighted(tiny: Lesson) -> None:
    canvas = _draw(tiny, 2, 13, 80)
    styled = [(t, s) for row in canvas.rows for t, s in row if t.strip()]
    assert ("h2", "chip.current") in styled
    assert any(s == "edge.active" for _, s in styled)
    assert ("h1", "title.done") in styled


def test_a_4_8_8_3_net_fits_120_by_40() -> None:
    lesson = Lesson(loads(BIG), {}, NEURONS)
    canvas = _draw(lesson, lesson.last, 29, 120)
    assert canvas.width <= 120 and canvas.height <= 29
    drawing = plain(canvas)
    assert all(f"a2_{j}" in drawing for j in range(1, 9)) and "a3_3" in drawing
    assert "tanh" in drawing and "σ" in drawing
    assert set(canvas.blocks) >= {n.name for n in lesson.network.neurons}


def test_too_small_a_window_still_draws_everything() -> None:
    lesson = Lesson(loads(BIG), {}, NEURONS)
    canvas = _draw(lesson, 0, 5, 40)
    assert canvas.compact and len(canvas.rows) == canvas.height
    assert all(sum(len(t) for t, _ in row) == canvas.width for row in canvas.rows)


def test_the_neuron_view_of_a_graph_without_a_net_falls_back_to_groups() -> None:
    lesson = Lesson(resolve("shopping"), {}, NEURONS)
    assert lesson.network is None and lesson.view == GROUPS
    tiny = Lesson(resolve("tiny_net"), {}, NEURONS)
    reloaded, k = tiny.reloaded(resolve("two_paths"), 3)
    assert reloaded.view == GROUPS and 0 <= k <= reloaded.last


def test_the_quiz_does_not_ask_for_an_error_the_step_before_showed() -> None:
    """tiny_net: each neuron's error arrives from one reader, whose step already sent it back."""
    lesson = Lesson(resolve("tiny_net"), view=NEURONS)
    asked = [q for k in range(len(lesson)) for q in lesson.questions(k)]
    assert asked and not any(q.prompt.startswith("Error arriving") for q in asked)
    assert any(q.prompt.startswith("δ of h1") for q in asked)


def test_the_quiz_asks_for_an_error_summed_over_several_readers() -> None:
    text = (
        "inputs: {x: 0.5, t: 1}\nnetwork:\n  inputs: [x]\n  seed: 3\n  layers:\n"
        "    - {size: 2, activation: tanh}\n    - {size: 2, activation: sigmoid}\n"
        "nodes:\n  loss: (a2_1 - t) ** 2 + a2_2 ** 2\noutput: loss\n"
    )
    lesson = Lesson(loads(text), view=NEURONS)
    prompts = [q.prompt for k in range(len(lesson)) for q in lesson.questions(k)]
    assert any(p.startswith("Error arriving at a1_1") for p in prompts)  # a1_1 feeds both output neurons


def test_every_neuron_question_says_what_is_known_and_never_what_the_graph_shows() -> None:
    """The quiz's known: line in the neuron view; an identity neuron's δ (its error, on screen) is not asked."""
    lesson = Lesson(resolve("tiny_net"), view=NEURONS)
    asked = [q for k in range(len(lesson)) for q in lesson.questions(k)]
    assert all(q.given for q in asked if q.node in {"h1", "h2", "h3", "y", "z1", "z2", "z3"})
    assert not any(q.prompt == "δ of y?" for q in asked)
    delta_h1 = next(q for q in asked if q.prompt == "δ of h1?")
    trace = run(resolve("tiny_net").graph)
    assert delta_h1.given == f"error = {fmt(trace.grad('h1'))}, activation′ = {fmt(trace.value('h1') * (1 - trace.value('h1')))}"
    forward = next(q for q in asked if q.phase == "forward" and q.node == "h1")
    assert forward.given == "w11 = 0.15, w12 = 0.2, x1 = 0.05, x2 = 0.1, b1 = 0.35"


def test_the_quiz_asks_an_inputs_whole_gradient_where_its_fan_out_completes() -> None:
    """The classic pitfall: x1 feeds three neurons; the step sending its last share asks for the sum."""
    lesson = Lesson(resolve("tiny_net"), view=NEURONS)
    asked = [q for k in range(len(lesson)) for q in lesson.questions(k)]
    totals = [q for q in asked if q.label.endswith("in all")]
    assert [q.label for q in totals] == ["∂loss/∂x1 in all", "∂loss/∂x2 in all"]
    x1 = totals[0]
    assert x1.k == lesson.last and x1.answer == pytest.approx(0.0358143, abs=1e-7)
    assert x1.given == "sent earlier: 0.0275724, 0.0175368; δ = -0.0619658, w11 = 0.15"
    assert x1.prompt == "∂loss/∂x1 in all, Σⱼ δⱼ·wⱼ₁ over the 3 neurons?"
