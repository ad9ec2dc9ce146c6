"""The neuron drawing (tutor.draw.network): its wires, labels and numbers.

Nets of every shape are drawn with numbers of every kind (tiny, huge,
negative, many digits, inf, nan) in windows from tiny to unlimited, and every
form is checked: each text keeps a blank cell from the next and stays in its
block, and each wire, read back from its arrow against the flow, reaches the
nodes the arrow's node reads and no other (a ``┼`` is a crossing).
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from tutor.draw.network import (
    COMPACT, DOWN, FULL, INLINE, SUMMARY, _Look, _Numbers, _draw, _layout, activation_symbol, column_cells,
    draw_network, other_nodes, plain,
)
from tutor.draw.number_columns import written
from tutor.draw.specs import ARROW, E, N, S, W
from tutor.scenario import loads, resolve
from tutor.teach.lesson import NEURONS, Lesson
from tutor.teach.modes.forward import TANGENT_MARK, tangent_walk

NASTY = [
    0.0, 1.0, -1.0, 0.5, -0.0004319, 1e-12, -1.23456789e-7, 9.87654321e-5, -0.000123456, 3.14159265358979,
    -2.718281828, 99999.5, -123456789.123, 1e300, -1e-300, 7.7777777e15, -0.099999999, float("inf"),
    float("-inf"), float("nan"),
]
ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
SIZES = [(0, 0), (80, 13), (78, 9), (118, 29), (60, 6), (40, 5), (30, 3), (200, 60)]
PANE_80x24 = (80, 13)
"""The graph's pane at 80×24 (the step panel keeps eight rows under it)."""
BUILT_IN_NETS = ("tiny_net", "xor", "curve", "softmax", "spiral")


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


SKIP = """
inputs: {x1: 0.5, x2: -1.5, target: 1}
params: {w1: 0.1, w2: -0.2, b: 0.3, v: 0.7, u: 0.4, c: -0.1}
nodes:
  z: w1 * x1 + w2 * x2 + b
  h: tanh(z)
  y: v * h + u * x1 + c
  loss: 0.5 * (y - target) ** 2
output: loss
"""
"""A weight on an input two columns back (a skip connection): named, not wired."""


def lessons() -> list[Lesson]:
    out = [Lesson(resolve(name), {}, NEURONS) for name in BUILT_IN_NETS]
    out.append(Lesson(loads(LONG_BIAS), {}, NEURONS))
    out.append(Lesson(loads(SKIP), {}, NEURONS))
    out += [Lesson(loads(generated(seed)), {}, NEURONS) for seed in range(10)]
    return out


LESSONS = len(BUILT_IN_NETS) + 2 + 10


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


def draw(lesson: Lesson, frame, width: int = 0, height: int = 0, **kwargs):
    others = other_nodes(lesson.network, [n.key for n in lesson.nodes])
    cells = column_cells(lesson.network, [lesson.frame(k) for k in range(lesson.last + 1)], others)
    return draw_network(lesson.network, frame, others, height=height, width=width, edges=lesson.edges, cells=cells,
                        **kwargs)


def assert_labels_apart(canvas) -> None:
    """At least one blank cell between any two texts of a row; every text inside the drawing and its block."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    for row, start, end in canvas.labels:
        by_row.setdefault(row, []).append((start, end))
        assert 0 <= start < end <= canvas.width, plain(canvas)
        for key, block in canvas.blocks.items():
            if block.y <= row < block.y + block.h and block.x <= start < block.x + block.w:
                assert end <= block.x + block.w, f"{key}'s text runs out of its block\n{plain(canvas)}"
        for x in range(start, end):
            assert (x, row) not in canvas.wires, f"a wire under a text at {(x, row)}\n{plain(canvas)}"
    for row, spans in by_row.items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert start > end, f"row {row}: two labels touch\n{plain(canvas)}"


# --- reading the wires --------------------------------------------------------------------

STEP = {N: (0, -1), S: (0, 1), W: (-1, 0), E: (1, 0)}
BACK = {N: S, S: N, E: W, W: E}


def senders(canvas, head: tuple[int, int]) -> set[str]:
    """The blocks whose lines reach the arrow head at ``head``, read back against the flow.

    Lines flow east along rows, so reading back never goes east; a ``┼`` is a
    crossing (straight on); a line's first cell (only east) is where a block sends.
    """
    wires = canvas.wires
    found: set[str] = set()
    direction = {ARROW: W, DOWN: N}[canvas.arrows[head]]
    seen: set[tuple[int, int, int]] = set()
    todo = [(head, direction)]
    while todo:
        (x, y), moving = todo.pop()
        dx, dy = STEP[moving]
        cell = (x + dx, y + dy)
        if (cell, moving) in seen or cell not in wires:
            continue
        seen.add((cell, moving))
        mask = wires[cell]
        if not mask & BACK[moving]:
            continue  # the line does not continue into this cell from where we come
        if mask == E:
            found.add(_block_before(canvas, cell))
            continue
        if mask == N | S | E | W:
            todo.append((cell, moving))  # a crossing: straight on
            continue
        for way in (W, N, S):
            if mask & way and way != BACK[moving]:
                todo.append((cell, way))
    return found


def _block_before(canvas, cell: tuple[int, int]) -> str:
    x, y = cell
    best = None
    for key, b in canvas.blocks.items():
        if b.y <= y < b.y + b.h and b.x < x and (best is None or b.x > canvas.blocks[best].x):
            best = key
    assert best is not None, cell
    return best


def arrows_into(canvas, key: str) -> list[tuple[int, int]]:
    b = canvas.blocks[key]
    return [(x, y) for (x, y) in canvas.arrows if (b.x == x and b.y <= y < b.y + b.h) or (b.x == x and y == b.y - 1)]


def assert_wires_read_right(lesson: Lesson, canvas) -> None:
    """Every arrow into a neuron or a node after the net is reached from its own inputs only, each one's."""
    network = lesson.network
    columns = [list(network.inputs)] + [[n.name for n in layer] for layer in network.layers]
    column_of = {key: k for k, col in enumerate(columns) for key in col}
    reads: dict[str, set[str]] = {}
    for e in lesson.edges:
        reads.setdefault(e.target, set()).add(e.source)
    for neuron in network.neurons:
        wired = {s.source for s in neuron.synapses if column_of.get(s.source) == neuron.layer - 1}
        if canvas.compact:  # a bus: the inputs of the column before that every neuron of the layer reads
            layer = network.layers[neuron.layer - 1]
            wired = {key for key in wired if all(key in n.inputs for n in layer)}
        heads = arrows_into(canvas, neuron.name)
        if not wired:
            continue
        assert heads, f"no wire into {neuron.name}\n{plain(canvas)}"
        got = set().union(*(senders(canvas, h) for h in heads))
        if canvas.compact:
            assert got == wired, (neuron.name, got, wired, plain(canvas))
        else:
            block = canvas.blocks[neuron.name]
            for h in heads:
                source = neuron.synapses[h[1] - block.y].source
                assert senders(canvas, h) == {source}, (neuron.name, h, senders(canvas, h), plain(canvas))
            assert got == wired
    for key in canvas.blocks:
        heads = [h for h in canvas.arrows if canvas.arrows[h] == DOWN and h == (canvas.blocks[key].x, canvas.blocks[key].y - 1)]
        for h in heads:
            got = senders(canvas, h)
            own = reads[key] & set(canvas.blocks)
            chained = {s for s in own if canvas.blocks[s].x == canvas.blocks[key].x}
            assert got == own - chained, (key, got, own, plain(canvas))


# --- tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(LESSONS))
def test_no_two_labels_touch_and_every_wire_reads_right_in_any_form(index: int) -> None:
    lesson = lessons()[index]
    others = other_nodes(lesson.network, [n.key for n in lesson.nodes])
    for frame in frames(lesson, index):
        for width, height in SIZES:
            canvas = draw(lesson, frame, width, height)
            assert_labels_apart(canvas)
            assert_wires_read_right(lesson, canvas)
        for form in (FULL, COMPACT, INLINE, SUMMARY):
            for named in (True, False):
                look = _Look(form, True, named, 2)
                current = replace(frame, current=lesson.network.neurons[-1].name)
                for shown in (frame, current):
                    numbers = _Numbers(lesson.network, shown, others, look, {})
                    plan = _layout(lesson.network, others, lesson.edges, look, numbers, shown.current, 12)
                    canvas = _draw(lesson.network, shown, lesson.edges, None, frozenset(), frozenset(), look,
                                   numbers, plan)
                    assert_labels_apart(canvas)
                    assert_wires_read_right(lesson, canvas)


@pytest.mark.parametrize("name", BUILT_IN_NETS)
def test_the_built_in_nets_are_drawn_with_their_wires_at_80x24_and_120x40(name: str) -> None:
    """Inputs → weighted sums → activations → next layer → loss, each wire into the node that reads it."""
    lesson = Lesson(resolve(name), {}, NEURONS)
    for width, height in (PANE_80x24, (120, 29)):
        for k in (0, lesson.forward_end, lesson.last):
            canvas = draw(lesson, lesson.frame(k), width, height)
            assert canvas.width <= width and canvas.height <= height, (name, canvas.width, canvas.height)
            assert_wires_read_right(lesson, canvas)
            drawn = plain(canvas)
            assert ARROW in drawn and DOWN in drawn and "loss" in drawn, drawn


def test_tiny_net_is_drawn_whole_at_80x24_with_a_wire_for_every_weight() -> None:
    lesson = Lesson(resolve("tiny_net"), {}, NEURONS)
    canvas = draw(lesson, lesson.frame(lesson.last), *PANE_80x24)
    assert not canvas.compact
    drawn = plain(canvas)
    for weight in ("w11", "w12", "w21", "w22", "w31", "w32", "v1", "v2", "v3"):
        assert re.search(rf"▶{weight} ", drawn), drawn
    for bias in ("b1", "b2", "b3", " c"):
        assert re.search(rf"[ ]{bias.strip()} +∂", drawn), drawn
    assert "y identity" in drawn and "target 1" in drawn and "err" in drawn and "loss" in drawn


def test_a_bias_row_carries_the_biases_own_name() -> None:
    tiny = Lesson(resolve("tiny_net"), {}, NEURONS)
    drawing = plain(draw(tiny, tiny.frame(tiny.forward_end), *PANE_80x24))
    for bias in ("b1", "b2", "b3"):
        assert re.search(rf"(^|\s){bias} +0\.\d+ ─┘", drawing, re.M), drawing
    assert re.search(r"\s c +0\.1 ─┘", drawing), drawing
    xor = Lesson(resolve("xor"), {}, NEURONS)
    wide = plain(draw(xor, xor.frame(xor.forward_end), 118, 29))
    assert "b1_1" in wide and "b2_1" in wide


def test_every_weight_in_the_small_forms_is_named_by_its_own_name() -> None:
    """A weight's row is named by the weight (``w2_1_3 0.43``), never by its input: ``a1_3 ∂…`` beside
    the neuron a1_3 would read as a1_3's own gradient."""
    xor = Lesson(resolve("xor"), {}, NEURONS)
    drawing = plain(draw(xor, xor.frame(xor.last), *PANE_80x24))
    params = set(xor.scenario.params)
    for line in drawing.splitlines():
        for match in re.finditer(r"(?<![\w.−])([A-Za-z_]\w*) +(∂\S+)", line):
            assert match.group(1) in params | {"x1", "x2", "t", "loss"}, line


def test_long_bias_names_fall_back_to_b_in_the_whole_drawing() -> None:
    lesson = Lesson(loads(LONG_BIAS), {}, NEURONS)
    frame = lesson.frame(lesson.index_of("forward", "h"))
    wide = plain(draw(lesson, frame))
    assert "bias_of_the_hidden_neuron" in wide and "output_bias" in wide
    narrow = plain(draw(lesson, frame, 80, 0))
    assert "bias_of_the_hidden_neuron" not in narrow and "output_bias" not in narrow
    assert len(re.findall(r"(^|\s)b +−?0\.\d+", narrow)) == 2, narrow


def test_the_identity_activation_is_written_as_the_panel_says_it() -> None:
    tiny = Lesson(resolve("tiny_net"), {}, NEURONS)
    assert activation_symbol("identity") == "identity" and activation_symbol("softmax") == "softmax"
    assert "y identity" in plain(draw(tiny, tiny.frame(0), *PANE_80x24))
    words = "\n".join("".join(t for t, _ in line) for line in tiny.explain(tiny.index_of("forward", "y")))
    assert "activation: identity" in words


def test_one_format_per_column_and_one_minus_sign() -> None:
    """``∂-0.0031``, ``∂-0.00394`` and ``∂0.003507`` stood in one column: now one count of digits for all."""
    tiny = Lesson(resolve("tiny_net"), {}, NEURONS)
    frame = tiny.frame(tiny.last)
    drawn = plain(draw(tiny, frame, *PANE_80x24))
    weights = ("w11", "w12", "w21", "w22", "w31", "w32")
    shown = {w: re.search(rf"{w} +∂(\S+)", drawn).group(1) for w in weights}
    digits = {len(t.lstrip("−").replace(".", "").lstrip("0")) for t in shown.values()}
    assert len(digits) == 1, shown
    assert all(shown[w] == written(frame.grads[w], *digits) for w in weights), shown
    assert not re.search(r"-\d", drawn) and "−" in drawn


def test_forward_modes_tangents_are_marked_as_tangents_in_the_neuron_view() -> None:
    """The neuron view marked forward mode's tangents with δ and ∂, reverse mode's very marks."""
    tiny = Lesson(resolve("tiny_net"), {}, NEURONS)
    walk = tangent_walk(tiny, "x1")
    for frame in (walk.frames[1], walk.frames[-1]):
        drawn = plain(draw(tiny, frame, *PANE_80x24))
        assert TANGENT_MARK in drawn and "δ" not in drawn and "∂" not in drawn, drawn
        assert "…" not in drawn


def test_the_current_and_selected_neurons_are_marked_without_colour() -> None:
    tiny = Lesson(resolve("tiny_net"), {}, NEURONS)
    k = tiny.index_of("forward", "h2")
    canvas = draw(tiny, tiny.frame(k), *PANE_80x24, selected="h3")
    styled = [(t.strip(), s) for row in canvas.rows for t, s in row if t.strip()]
    assert ("h2", "chip.current") in styled and ("h3", "chip.selected") in styled
    assert ("h1", "title.done") in styled
    assert any(s == "edge.active" for _, s in styled)
    # The current neuron's own wires are the active ones: every wire into h2's weight rows.
    block = canvas.blocks["h2"]
    for (x, y), head in canvas.arrows.items():
        if x == block.x and block.y <= y < block.y + block.h:
            row = canvas.rows[y]
            at = 0
            for text, style in row:
                if at <= x < at + len(text):
                    assert style == "edge.active", (text, style)
                at += len(text)


def test_a_highlighted_path_marks_its_wires() -> None:
    tiny = Lesson(resolve("tiny_net"), {}, NEURONS)
    edges = frozenset(e for e in tiny.edges if e.source == "x1" and e.target == "z2")
    canvas = draw(tiny, tiny.frame(tiny.last), *PANE_80x24, highlight_edges=edges, highlight_nodes=frozenset({"x1"}))
    styles = {s for row in canvas.rows for _, s in row}
    assert "edge.highlight" in styles


def test_column_cells_fit_every_number_a_lesson_shows() -> None:
    for name in BUILT_IN_NETS:
        lesson = Lesson(resolve(name), {}, NEURONS)
        others = other_nodes(lesson.network, [n.key for n in lesson.nodes])
        cells = column_cells(lesson.network, [lesson.frame(k) for k in range(lesson.last + 1)], others)
        assert all(7 <= c <= 8 for c in cells.values()), cells
