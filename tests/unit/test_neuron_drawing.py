"""The neuron drawing's labels (tutor.draw.layer_columns): never touching, every number named, biases by name.

Nets of every shape are drawn with numbers of every kind (tiny, huge,
negative, many digits, inf, nan) in windows from tiny to unlimited, and every
row of every form is checked: each text written keeps at least one blank
cell from the next, and stays inside its column.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from tutor.draw.layer_columns import (
    COMPACT, FULL, INLINE, SUMMARY, activation_symbol, _draw, _layout, _Look, draw_network, other_nodes, plain,
)
from tutor.engine.numbers import fmt_short
from tutor.scenario import loads, resolve
from tutor.teach.lesson import NEURONS, Lesson

NASTY = [
    0.0, 1.0, -1.0, 0.5, -0.0004319, 1e-12, -1.23456789e-7, 9.87654321e-5, -0.000123456, 3.14159265358979,
    -2.718281828, 99999.5, -123456789.123, 1e300, -1e-300, 7.7777777e15, -0.099999999, float("inf"),
    float("-inf"), float("nan"),
]
ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
SIZES = [(0, 0), (78, 9), (78, 13), (118, 26), (60, 6), (40, 5), (30, 3), (200, 60)]


def generated(seed: int) -> str:
    """A net built by the ``network:`` section: 1-4 inputs of assorted names, 1-3 layers of 1-5 neurons."""
    rng = random.Random(seed)
    inputs = rng.sample(["x", "x1", "x2", "pixel_7", "temperature", "u"], rng.randint(1, 4))
    sizes = [rng.randint(1, 5) for _ in range(rng.randint(1, 3))]
    layers = "".join(f"    - {{size: {n}, activation: {rng.choice(ACTIVATIONS)}}}\n" for n in sizes)
    values = ", ".join(f"{name}: {rng.uniform(-3, 3):.3f}" for name in inputs)
    last = len(sizes)
    return (
        f"inputs: {{{values}, t: 1}}\nnetwork:\n  inputs: [{', '.join(inputs)}]\n  seed: {seed}\n  layers:\n{layers}"
        f"nodes:\n  loss: (a{last}_1 - t) ** 2\noutput: loss\n"
    )


LONG_BIAS = """
inputs: {x1: 0.5, x2: -1.5, target: 1}
params: {w1: 0.1, w2: -0.2, bias_of_the_hidden_neuron: 0.3, v: 0.7, output_bias: -0.1}
nodes:
  z: w1 * x1 + w2 * x2 + bias_of_the_hidden_neuron
  h: tanh(z)
  y: v * h + output_bias
  loss: 0.5 * (y - target) ** 2
output: loss
"""


def lessons() -> list[Lesson]:
    out = [Lesson(resolve(name), {}, NEURONS) for name in ("tiny_net", "xor", "curve")]
    out.append(Lesson(loads(LONG_BIAS), {}, NEURONS))
    out += [Lesson(loads(generated(seed)), {}, NEURONS) for seed in range(10)]
    return out


def frames(lesson: Lesson, seed: int):
    """Frames forward, backward and at the end, then the last one with nasty numbers everywhere."""
    rng = random.Random(seed)
    for k in sorted({0, 1, lesson.forward_end, (lesson.forward_end + lesson.last) // 2, lesson.last}):
        yield lesson.frame(k)
    last = lesson.frame(lesson.last)
    for _ in range(3):
        yield replace(
            last,
            values={key: rng.choice(NASTY) for key in last.values},
            grads={key: rng.choice(NASTY) for key in last.grads},
        )


def assert_labels_apart(canvas) -> None:
    """At least one blank cell between any two texts of a row; every text inside the drawing and its block."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    for row, start, end in canvas.labels:
        by_row.setdefault(row, []).append((start, end))
        assert 0 <= start < end <= canvas.width, plain(canvas)
        for key, block in canvas.blocks.items():
            if block.y <= row < block.y + block.h and block.x <= start < block.x + block.w:
                assert end <= block.x + block.w, f"{key}'s text runs out of its column\n{plain(canvas)}"
    for row, spans in by_row.items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert start > end, f"row {row}: two labels touch\n{plain(canvas)}"


@pytest.mark.parametrize("index", range(14))
def test_no_two_labels_touch_in_any_form(index: int) -> None:
    lesson = lessons()[index]
    others = other_nodes(lesson.network, [n.key for n in lesson.nodes])
    for frame in frames(lesson, index):
        for width, height in SIZES:
            assert_labels_apart(draw_network(lesson.network, frame, others, height=height, width=width))
        for form in (FULL, COMPACT, INLINE, SUMMARY):
            for named in (True, False):
                look = _Look(form, True, named, 2)
                current = replace(frame, current=lesson.network.neurons[-1].name)
                for shown in (frame, current):
                    canvas = _draw(lesson.network, shown, others, None, frozenset(), frozenset(), look,
                                   _layout(lesson.network, others, look, 12))
                    assert_labels_apart(canvas)


def test_the_short_numbers_fit_the_cells_the_columns_are_made_for() -> None:
    rng = random.Random(3)
    samples = NASTY + [rng.uniform(-1, 1) * 10 ** rng.randint(-320, 308) for _ in range(2000)]
    for cells in (7, 8):
        assert max(len(fmt_short(x, cells)) for x in samples) <= cells


def _labels(lesson: Lesson, k: int, width: int, height: int) -> str:
    others = other_nodes(lesson.network, [n.key for n in lesson.nodes])
    return plain(draw_network(lesson.network, lesson.frame(k), others, height=height, width=width))


def test_every_weight_in_the_small_forms_is_named_by_its_own_name() -> None:
    """A weight's row is named by the weight (``w2_1_3 0.43``), never by its input: ``a1_3 ∂…`` beside
    the neuron a1_3 would read as a1_3's own gradient."""
    curve = Lesson(resolve("curve"), {}, NEURONS)
    output = curve.network.layers[-1][0]
    k = curve.index_of("forward", output.name)
    drawing = _labels(curve, k, 78, 13)  # the graph's pane at 80x24
    values = curve.frame(k).values
    for synapse in output.synapses:
        assert re.search(rf"{synapse.weight} +{re.escape(fmt_short(values[synapse.weight], 7))}\b", drawing), drawing
    assert f"{output.bias} 0" in drawing
    # Backward, every gradient too, and no number stands without its name.
    xor = Lesson(resolve("xor"), {}, NEURONS)
    drawing = _labels(xor, xor.last, 78, 8)
    assert "∂" in drawing and not re.search(r"(^|\s)∂", drawing.split("\n", 2)[0])
    params = set(xor.scenario.params)
    for line in drawing.splitlines():
        for match in re.finditer(r"(\S+) +(∂\S+)", line):
            assert match.group(1) in params | {"x1", "x2", "t", "loss"} or match.group(1).startswith(
                ("-", "0", "1", "δ")), line


def test_a_bias_row_carries_the_biases_own_name() -> None:
    tiny = Lesson(resolve("tiny_net"), {}, NEURONS)
    drawing = _labels(tiny, tiny.forward_end, 78, 9)
    for bias in ("b1", "b2", "b3"):
        assert re.search(rf"(^|\s){bias} +0\.\d+ ─┘", drawing, re.M), drawing
    assert re.search(r"\s c +0\.1 ─┘", drawing), drawing
    xor = Lesson(resolve("xor"), {}, NEURONS)
    assert "b1_1" in _labels(xor, xor.forward_end, 78, 13) and "b2_1" in _labels(xor, xor.forward_end, 78, 13)


def test_long_bias_names_fall_back_to_b_in_the_whole_drawing() -> None:
    lesson = Lesson(loads(LONG_BIAS), {}, NEURONS)
    wide = _labels(lesson, lesson.forward_end, 0, 0)
    assert "bias_of_the_hidden_neuron" in wide and "output_bias" in wide
    narrow = _labels(lesson, lesson.forward_end, 70, 0)
    assert "bias_of_the_hidden_neuron" not in narrow and "output_bias" not in narrow
    assert len(re.findall(r"(^|\s)b +-?0\.\d+ ─┘", narrow)) == 2, narrow


def test_the_identity_activation_is_written_as_the_panel_says_it() -> None:
    tiny = Lesson(resolve("tiny_net"), {}, NEURONS)
    assert activation_symbol("identity") == "identity"
    assert "y identity" in _labels(tiny, 0, 78, 9)
    words = "\n".join("".join(t for t, _ in line) for line in tiny.explain(tiny.index_of("forward", "y")))
    assert "activation: identity" in words
