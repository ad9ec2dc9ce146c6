"""Density levels of the graph drawing and the choice of the level that fits (tutor.draw.density)."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len

from tutor.draw.density import (
    BOXES,
    COMPACT,
    LEVELS,
    LINE,
    NAMES,
    DenseLayout,
    draw,
    choose_level,
    lower_bound,
    render_drawing,
)
from tutor.draw.layout import ARROW, EdgeSpec, GraphSpec, Layout, NodeSpec, RenderState, plain
from test_layout import GRAPHS, full_state, random_dag

DENSE = (COMPACT, LINE, NAMES)


def rows_text(drawing, state: RenderState) -> list[str]:
    return ["".join(text for text, _ in row) for row in render_drawing(drawing, state)]


def check_dense(spec: GraphSpec, lay: DenseLayout) -> None:
    """Every node on the canvas without overlap, every route axis-aligned and ending at an arrow."""
    cells: dict[tuple[int, int], str] = {}
    for key, box in lay.boxes.items():
        assert 0 <= box.x and box.x + box.w <= lay.width, key
        assert 0 <= box.y and box.y + box.h <= lay.height, key
        for y in range(box.y, box.y + box.h):
            for x in range(box.x, box.x + box.w):
                assert cells.setdefault((x, y), key) == key, (key, cells[(x, y)])
    base = lay._base
    for e in spec.edges:
        route = lay.routes[e]
        for (x0, y0), (x1, y1) in zip(route, route[1:]):
            assert x0 == x1 or y0 == y1, (e, route)
            assert 0 <= x0 < lay.width and 0 <= y0 < lay.height
        source, target = lay.boxes[e.source], lay.boxes[e.target]
        assert route[0] == (source.right, source.y)
        x, y = route[-1]
        assert x == target.x and target.y <= y < target.y + target.h
        assert base[y][x] == ARROW
        # between the nodes the line never runs through another node's text
        for (x0, y0), (x1, y1) in zip(route[1:-1], route[2:-1]):
            for cx in range(min(x0, x1), max(x0, x1) + 1):
                for cy in range(min(y0, y1), max(y0, y1) + 1):
                    assert (cx, cy) not in cells, (e, cx, cy, cells.get((cx, cy)))


@pytest.mark.parametrize("level", DENSE)
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_dense_layouts_are_well_formed(name: str, level: str) -> None:
    spec = GRAPHS[name]()
    lay = draw(spec, level)
    assert isinstance(lay, DenseLayout)
    check_dense(spec, lay)
    rows = rows_text(lay, full_state(spec))
    assert len(rows) == lay.height
    assert all(cell_len(row) == lay.width for row in rows)


@pytest.mark.parametrize("seed", range(10))
def test_random_graphs_are_well_formed_at_every_dense_level(seed: int) -> None:
    rng = random.Random(seed)
    spec = random_dag(rng.randrange(5, 60), seed, fan_in=rng.choice([1, 2, 3]), window=rng.choice([None, 4, 10]))
    for level in DENSE:
        check_dense(spec, draw(spec, level))


def test_levels_get_smaller() -> None:
    spec = GRAPHS["tiny_net"]()
    sizes = [(d.width, d.height) for d in (draw(spec, level) for level in LEVELS)]
    areas = [w * h for w, h in sizes]
    assert areas == sorted(areas, reverse=True), sizes
    assert sizes[-1][1] < sizes[0][1] / 3


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_lower_bound_is_a_bound(name: str, level: str) -> None:
    spec = GRAPHS[name]()
    w, h = lower_bound(spec, level)
    drawing = draw(spec, level)
    assert w <= drawing.width and h <= drawing.height


def test_each_level_shows_what_it_promises() -> None:
    spec = GraphSpec(
        (NodeSpec("a", "a", "", "input"), NodeSpec("b", "b", "", "input"), NodeSpec("c", "c", "×", "op")),
        (EdgeSpec("a", "c", 0), EdgeSpec("b", "c", 1)),
    )
    state = RenderState(values={"a": "2", "b": "3", "c": "6"}, grads={"a": "∂3", "c": "∂1"})
    compact = [row.replace(ARROW, " ").split() for row in rows_text(draw(spec, COMPACT), state)]
    assert any(row[-2:] == ["c", "×"] for row in compact), compact
    assert any(row[-2:] == ["6", "∂1"] for row in compact), compact
    assert any(row[:2] == ["2", "∂3"] for row in compact), compact
    line = "\n".join(rows_text(draw(spec, LINE), state))
    assert "a ∂3" in line and "b 3" in line and "c ∂1" in line  # the gradient once it has arrived
    names = "\n".join(rows_text(draw(spec, NAMES), state))
    assert "a" in names and "6" not in names and "∂" not in names
    assert isinstance(draw(spec, BOXES), Layout)


def test_choose_level_picks_the_most_detailed_level_that_fits() -> None:
    spec = GRAPHS["two_paths"]()
    sizes = {level: (d.width, d.height) for level in LEVELS for d in [draw(spec, level)]}
    for level in LEVELS:
        w, h = sizes[level]
        chosen, drawing = choose_level(spec, w, h)
        assert LEVELS.index(chosen) <= LEVELS.index(level)
        assert drawing.width <= w and drawing.height <= h
    assert choose_level(spec, 1000, 1000)[0] == BOXES
    assert choose_level(spec, 3, 3)[0] == NAMES  # nothing fits: the smallest, scrolled


def test_current_node_is_marked_without_a_border() -> None:
    spec = GRAPHS["shopping"]()
    lay = draw(spec, NAMES)
    state = RenderState(node_style={"price": "current"})
    styled = {style for row in render_drawing(lay, state) for text, style in row if "price" in text}
    assert "chip.current" in styled


def test_render_of_a_window_equals_the_same_rows_of_the_whole() -> None:
    spec = GRAPHS["random200"]()
    lay = draw(spec, LINE)
    state = full_state(spec)
    whole = render_drawing(lay, state)
    assert render_drawing(lay, state, 5, 17) == whole[5:17]
    assert plain(whole).count(ARROW) >= 1


@pytest.mark.parametrize("level", DENSE)
@pytest.mark.parametrize("name", ["shopping_ja", "random200"])
def test_a_window_of_columns_is_the_same_cells_as_the_whole(name: str, level: str) -> None:
    spec = GRAPHS[name]()
    lay = draw(spec, level)
    state = full_state(spec)
    whole = rows_text(lay, state)
    rng = random.Random(3)
    for _ in range(10):
        top, left = rng.randrange(lay.height), rng.randrange(lay.width)
        bottom, right = top + rng.randrange(1, 30), left + rng.randrange(1, 200)
        part = ["".join(text for text, _ in row) for row in render_drawing(lay, state, top, bottom, left, right)]
        assert len(part) == min(bottom, lay.height) - top
        for y, row in enumerate(part, start=top):
            assert cell_len(row) == right - left
            expected = whole[y][left:right] if "" not in lay._base[y] else None
            if expected is not None and name != "shopping_ja":
                assert row == expected.ljust(right - left), (y, left, right)


def cells(rows: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """Each row as one (character, style) pair a cell (a wide character's right half: "")."""
    out = []
    for row in rows:
        line = []
        for text, style in row:
            for ch in text:
                line.append((ch, style))
                if cell_len(ch) == 2:
                    line.append(("", style))
        out.append(line)
    return out


@pytest.mark.parametrize("level", DENSE)
def test_a_window_has_the_same_styles_as_the_whole(level: str) -> None:
    spec = GRAPHS["random200"]()
    lay = draw(spec, level)
    keys = [n.key for n in spec.nodes]
    state = full_state(spec)
    state.node_style = {k: ("current", "pending", "done", "highlight")[i % 4] for i, k in enumerate(keys)}
    state.edge_style = {e: ("active", "pending", "done", "highlight")[i % 4] for i, e in enumerate(spec.edges)}
    whole = cells(render_drawing(lay, state))
    rng = random.Random(5)
    for _ in range(20):
        top, left = rng.randrange(lay.height), rng.randrange(lay.width)
        bottom, right = top + rng.randrange(1, 40), left + rng.randrange(1, 150)
        part = cells(render_drawing(lay, state, top, bottom, left, right))
        for y, row in enumerate(part, start=top):
            expected = whole[y][left:right]
            expected += [(" ", "")] * (right - left - len(expected))
            # A wide character cut by the window's edge shows as a blank.
            same = [a == b for a, b in zip(row, expected)]
            assert all(ok or a[0] == " " for ok, a in zip(same, row)), (y, left, right)


class CountingStyles(dict):
    """A node-style mapping that records which keys were looked up."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key, default=None):  # noqa: ANN001, ANN201
        self.asked.add(key)
        return super().get(key, default)


@pytest.mark.parametrize("level", DENSE)
def test_a_window_looks_only_at_the_nodes_near_it(level: str) -> None:
    spec = random_dag(600, 11)
    lay = draw(spec, level)
    state = full_state(spec)
    state.node_style = CountingStyles()
    render_drawing(lay, state, 0, 24, 0, 80)
    near = {k for k, b in lay.boxes.items() if b.y < 32 + 32 and b.x < 256 + 128}
    assert state.node_style.asked <= near
    assert len(state.node_style.asked) < len(lay.boxes) // 2


class _Unread(dict):
    """Number widths that fail the test if anything reads them."""

    def __contains__(self, key: object) -> bool:
        raise AssertionError("the names level read the number widths")

    def __getitem__(self, key: object):  # noqa: ANN204
        raise AssertionError("the names level read the number widths")


def test_the_names_level_never_reads_the_number_widths() -> None:
    spec = GRAPHS["random200"]()
    drawing = draw(spec, NAMES, numbers=_Unread())
    check_dense(spec, drawing)
    assert rows_text(drawing, full_state(spec)) == rows_text(draw(spec, NAMES), full_state(spec))
    # Too many layers for the room at any level: fitting reads no widths either.
    assert choose_level(spec, 5, 10, numbers=_Unread())[0] == NAMES


@pytest.mark.parametrize("name", ["tiny_net", "random200", "random200_local"])
def test_every_level_orders_each_layer_as_the_boxes_do(name: str) -> None:
    """One layering and ordering serves every level: zooming keeps the picture's shape."""
    spec = GRAPHS[name]()
    boxes = draw(spec, BOXES)
    for level in DENSE:
        lay = draw(spec, level)
        for layer in boxes.layers:
            assert len({lay.boxes[key].x for key in layer}) == 1, (level, layer)
            assert sorted(layer, key=lambda key: lay.boxes[key].y) == list(layer), (level, layer)


def test_a_graph_past_the_sweep_budget_is_well_formed() -> None:
    spec = random_dag(700, seed=5, window=30)  # about 1,500 nodes and waypoints: 5 sweeps, not 6 or 8
    for level in DENSE:
        check_dense(spec, draw(spec, level))
    lay = draw(spec, BOXES)  # (the full check of a boxes layout this size takes seconds)
    for e in spec.edges:
        route = lay.routes[e]
        assert route[0] == lay.out_ports[e.source] and route[-1] == lay.in_ports[(e.target, e.position)]
        assert all(x0 == x1 or y0 == y1 for (x0, y0), (x1, y1) in zip(route, route[1:]))


def test_plot_labels_differ_when_the_values_do() -> None:
    """After one epoch on xor the mean loss went 0.12514 → 0.12506: both labels read 0.1251 before."""
    from tutor.draw.plot import plot

    lines = plot([0.12514, 0.12506], width=30, height=4)
    assert lines[0].startswith("0.12514 ┤") and lines[3].startswith("0.12506 ┤")
    assert plot([1.0, 0.5], width=30, height=3)[0].startswith("  1 ┤")  # four digits when they suffice
