"""What the dense levels' lines say (tutor.draw.dense_layout): each line reads as the edge it draws.

A line into a node arrives on the node's name row, never its value row; on the
row where a node's inputs arrive runs no line of any other node's; where lines
of different sources and different targets meet, they cross straight (``┼``
is never a join), so no bus carries one node's inputs on to another node.
Checked on the built-ins' views, hand-made graphs and random ones.
"""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len

from tutor.draw.density import COMPACT, LINE, NAMES, draw, choose_level, render_drawing
from tutor.draw.layout import ARROW, E, JOIN, N, S, W, EdgeSpec, GraphSpec, RenderState
from tutor.scenario import resolve
from tutor.teach.lesson import EXPANDED, GROUPS, Lesson
from tutor.ui.widgets.graph_state import graph_spec, number_cells

from test_layout import GRAPHS, random_dag

DENSE = (COMPACT, LINE, NAMES)
MASK_OF = {ch: m for m, ch in JOIN.items() if m and ch != " "}
MASK_OF["─"] = E | W
MASK_OF["│"] = N | S
OPPOSITE = {N: S, S: N, E: W, W: E}
BUILT_INS = ("tiny_net", "xor", "curve", "softmax", "spiral", "two_paths", "shopping_oranges", "sigmoid_expanded")


def _steps(route):
    for (x0, y0), (x1, y1) in zip(route, route[1:]):
        dx, dy = (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)
        d = E if dx > 0 else W if dx < 0 else S if dy > 0 else N
        x, y = x0, y0
        while (x, y) != (x1, y1):
            yield (x, y), (x + dx, y + dy), d
            x, y = x + dx, y + dy


def _cells(runs) -> list[str]:
    """A rendered row as one string a cell (a wide character's right half: "")."""
    out = []
    for text, _ in runs:
        for ch in text:
            out.append(ch)
            if cell_len(ch) == 2:
                out.append("")
    return out


def _near(rows: list[list[str]], x: int, y: int) -> str:
    """The drawing around cell (x, y), for a failure's message."""
    return "\n".join("".join(row[max(0, x - 40): x + 40]) for row in rows[max(0, y - 6): y + 7])


def lines_read_as_drawn(spec: GraphSpec, lay) -> None:
    """The three rules of the module docstring, on the layout's routes and on the drawn characters."""
    rows = [_cells(row) for row in render_drawing(lay, RenderState())]
    boxes = lay.boxes
    # Which edges leave each cell in which directions (border cells excluded).
    at: dict[tuple[int, int], dict[EdgeSpec, int]] = {}
    for e in spec.edges:
        route = lay.routes[e]
        assert route[-1] == (boxes[e.target].x, boxes[e.target].y), f"{e} arrives off its target's name row"
        for a, b, d in _steps(route):
            for cell, direction in ((a, d), (b, OPPOSITE[d])):
                if cell in (route[0], route[-1]):
                    continue  # the out port and the arrow head are the nodes' own cells
                at.setdefault(cell, {})
                at[cell][e] = at[cell].get(e, 0) | direction
    for (x, y), per in at.items():
        union = 0
        for mask in per.values():
            union |= mask
        ch = rows[y][x]
        if ch == ARROW:
            continue
        assert MASK_OF.get(ch) == union, f"{ch!r} at {(x, y)} but lines go {union}\n" + _near(rows, x, y)
        edges = list(per)
        for i, a in enumerate(edges):
            for b in edges[i + 1:]:
                if a.source == b.source or a.target == b.target:
                    continue
                assert sorted((per[a], per[b])) == sorted((E | W, N | S)), (
                    f"{a} and {b} join at {(x, y)}\n" + _near(rows, x, y))
        if union == N | S | E | W:
            assert all(m in (E | W, N | S) for m in per.values()), f"a join drawn ┼ at {(x, y)}\n" + _near(rows, x, y)
    # On the row a node's inputs arrive on, between the layer before and the node, only its own lines run.
    into: dict[int, list] = {}
    for key, box in boxes.items():
        into.setdefault(box.y, []).append(key)
    for (x, y), per in at.items():
        if not any(m & (E | W) for m in per.values()):
            continue
        for key in into.get(y, ()):
            box = boxes[key]
            left = max((b.x + b.w for k, b in boxes.items() if b.x + b.w <= box.x), default=0)
            if left <= x < box.x:
                for e, m in per.items():
                    if m & (E | W):
                        # Its own input, or the line of one of its sources on its way to others too.
                        ok = e.target == key or any(f.target == key and f.source == e.source for f in spec.edges)
                        assert ok, f"{e} runs on the row {key}'s inputs arrive on at {(x, y)}\n" + _near(rows, x, y)
    # No line runs along a node's second row (a compact node's value).
    for key, box in boxes.items():
        for y in range(box.y + 1, box.y + box.h):
            for x in range(box.x + box.w, lay.width):
                per = at.get((x, y), {})
                assert not any(m & (E | W) for m in per.values()) or x > min(
                    (b.x for b in boxes.values() if b.x > box.x), default=lay.width), (
                    f"a line runs along {key}'s value row at {(x, y)}\n" + _near(rows, x, y))


@pytest.mark.parametrize("level", DENSE)
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_hand_made_graphs_read_as_drawn(name: str, level: str) -> None:
    spec = GRAPHS[name]()
    lines_read_as_drawn(spec, draw(spec, level))


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_read_as_drawn(seed: int) -> None:
    rng = random.Random(seed)
    spec = random_dag(rng.randrange(5, 80), seed, fan_in=rng.choice([1, 2, 3, 4]), window=rng.choice([None, 3, 8]))
    for level in DENSE:
        lines_read_as_drawn(spec, draw(spec, level))


@pytest.mark.parametrize("name", BUILT_INS)
def test_the_built_ins_read_as_drawn(name: str) -> None:
    for view in (GROUPS, EXPANDED):
        lesson = Lesson(resolve(name), {}, view)
        spec = graph_spec(lesson)
        for level in DENSE:
            lines_read_as_drawn(spec, draw(spec, level, numbers=number_cells(lesson)))


def test_tiny_nets_groups_view_keeps_each_neurons_inputs_apart() -> None:
    """The issue's picture: w21 on z1's row, and x1's track running through z2's inputs to z3's."""
    lesson = Lesson(resolve("tiny_net"), {}, GROUPS)
    spec = graph_spec(lesson)
    lay = draw(spec, NAMES)
    rows = ["".join(t for t, _ in row) for row in render_drawing(lay, RenderState())]
    for z in ("z1", "z2", "z3"):
        row = rows[lay.boxes[z].y]
        sources = {e.source for e in spec.edges if e.target == z}
        first = row.split()[0].split("─")[0]
        assert first in sources, row  # the row starts with one of z's own inputs


def test_compact_lines_enter_the_name_row_never_the_value_row() -> None:
    """``apple_count─────▶200 ∂1.1`` read as if apple_count sent 200: every arrow is on a name row."""
    lesson = Lesson(resolve("shopping"), {}, GROUPS)
    spec = graph_spec(lesson)
    lay = draw(spec, COMPACT, numbers=number_cells(lesson))
    rows = ["".join(t for t, _ in row) for row in render_drawing(lay, RenderState(values={"apple_price": "200"}))]
    for e in spec.edges:
        box = lay.boxes[e.target]
        assert lay.routes[e][-1][1] == box.y
    arrow_row = rows[lay.boxes["apple_price"].y]
    assert "▶apple_price" in arrow_row and "▶200" not in "".join(rows)


def test_the_expanded_tiny_net_fits_an_80_by_24_window_whole() -> None:
    """err and loss were off the right edge, and no level fitted (the pane is 80 × 13 there)."""
    lesson = Lesson(resolve("tiny_net"), {}, EXPANDED)
    level, drawing = choose_level(graph_spec(lesson), 80, 13, numbers=number_cells(lesson))
    assert drawing.width <= 80 and drawing.height <= 13, (level, drawing.width, drawing.height)
    rows = ["".join(t for t, _ in row) for row in render_drawing(drawing, RenderState())]
    assert "err" in "".join(rows) and "loss" in "".join(rows)
    # A primitive inside a group shows its op there; its group's own node keeps its name.
    assert drawing.nodes["z1.mul1"].brief == "×" and "z1" in "".join(rows)
