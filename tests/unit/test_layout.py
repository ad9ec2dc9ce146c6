"""The graph layout and its character-canvas renderer (tutor.draw.layout)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from tutor.draw.layout import (
    ARROW,
    E,
    JOIN,
    N,
    OUT_PORT,
    S,
    W,
    EdgeSpec,
    GraphSpec,
    Layout,
    NodeSpec,
    RenderState,
    clip,
    layout,
    plain,
    render,
)

MASK_OF = {ch: m for m, ch in JOIN.items() if m and ch != " "}
MASK_OF["─"] = E | W
MASK_OF["│"] = N | S

# --- graphs -----------------------------------------------------------------------


def graph(nodes, edges) -> GraphSpec:
    specs = []
    for n in nodes:
        key, sub, kind = (n + ("", "op"))[:3] if isinstance(n, tuple) else (n, "", "op")
        specs.append(NodeSpec(key, key, sub, kind))
    return GraphSpec(tuple(specs), tuple(EdgeSpec(s, t, p) for s, t, p in edges))


def shopping() -> GraphSpec:
    return graph(
        [("apple", "", "input"), ("apple_count", "", "input"), ("apple_price", "×")]
        + [("tax", "", "input"), ("price", "×")],
        [("apple", "apple_price", 0), ("apple_count", "apple_price", 1)]
        + [("apple_price", "price", 0), ("tax", "price", 1)],
    )


def shopping_ja() -> GraphSpec:
    return graph(
        [("りんごの値段", "", "input"), ("りんごの個数", "", "input"), ("りんごの合計", "×")]
        + [("消費税", "", "input"), ("支払金額", "×")],
        [
            ("りんごの値段", "りんごの合計", 0),
            ("りんごの個数", "りんごの合計", 1),
            ("りんごの合計", "支払金額", 0),
            ("消費税", "支払金額", 1),
        ],
    )


def two_paths() -> GraphSpec:
    return graph(
        [("a", "", "input"), ("b", "", "input"), ("c", "+"), ("1", "", "const"), ("d", "+"), ("e", "×")],
        [("a", "c", 0), ("b", "c", 1), ("b", "d", 0), ("1", "d", 1), ("c", "e", 0), ("d", "e", 1)],
    )


def square() -> GraphSpec:
    return graph(
        [("x", "", "input"), ("y", "", "input"), ("s", "+"), ("sq", "×"), ("out", "exp")],
        [("x", "s", 0), ("y", "s", 1), ("s", "sq", 0), ("s", "sq", 1), ("sq", "out", 0)],
    )


def skip() -> GraphSpec:
    """A long edge from the first node to the last, past a chain."""
    nodes = ["x", "a", "b", "c", "d", "out"]
    edges = [("x", "a", 0), ("a", "b", 0), ("b", "c", 0), ("c", "d", 0), ("d", "out", 0), ("x", "out", 1)]
    return graph(nodes, edges)


def tiny_net() -> GraphSpec:
    nodes: list = [("x1", "", "input"), ("x2", "", "input")]
    edges: list = []
    for j in (1, 2, 3):
        nodes += [(f"w{j}1", "", "param"), (f"w{j}2", "", "param"), (f"b{j}", "", "param")]
        nodes += [(f"m{j}1", "×"), (f"m{j}2", "×"), (f"s{j}", "+"), (f"z{j}", "+"), (f"h{j}", "sigmoid")]
        edges += [(f"w{j}1", f"m{j}1", 0), ("x1", f"m{j}1", 1), (f"w{j}2", f"m{j}2", 0), ("x2", f"m{j}2", 1)]
        edges += [(f"m{j}1", f"s{j}", 0), (f"m{j}2", f"s{j}", 1), (f"s{j}", f"z{j}", 0), (f"b{j}", f"z{j}", 1)]
        edges += [(f"z{j}", f"h{j}", 0)]
    nodes += [("v1", "", "param"), ("v2", "", "param"), ("v3", "", "param"), ("c", "", "param")]
    nodes += [("p1", "×"), ("p2", "×"), ("p3", "×"), ("y", "+")]
    edges += [("v1", "p1", 0), ("h1", "p1", 1), ("v2", "p2", 0), ("h2", "p2", 1), ("v3", "p3", 0), ("h3", "p3", 1)]
    edges += [("p1", "y", 0), ("p2", "y", 1), ("p3", "y", 2), ("c", "y", 3)]
    nodes += [("target", "", "input"), ("err", "−"), ("sq", "x²"), ("half", "", "const"), ("loss", "×")]
    edges += [("y", "err", 0), ("target", "err", 1), ("err", "sq", 0), ("half", "loss", 0), ("sq", "loss", 1)]
    return graph(nodes, edges)


def grouped_net() -> GraphSpec:
    """Group view: a neuron box with five inputs."""
    nodes = [("x1", "", "input"), ("x2", "", "input"), ("w1", "", "param"), ("w2", "", "param"), ("b", "", "param")]
    nodes += [("z", "w1·x1+w2·x2+b", "group"), ("h", "sigmoid"), ("t", "", "input"), ("loss", "½(h−t)²", "group")]
    edges = [("w1", "z", 0), ("x1", "z", 1), ("w2", "z", 2), ("x2", "z", 3), ("b", "z", 4)]
    edges += [("z", "h", 0), ("h", "loss", 0), ("t", "loss", 1)]
    return graph(nodes, edges)


def random_dag(n: int, seed: int, fan_in: int = 2, window: int | None = None) -> GraphSpec:
    rng = random.Random(seed)
    leaves = max(2, n // 10)
    nodes = [f"n{i}" for i in range(n)]
    edges = []
    for i in range(leaves, n):
        lo = 0 if window is None else max(0, i - window)
        for p in range(fan_in):
            edges.append((f"n{rng.randrange(lo, i)}", f"n{i}", p))
    return graph(nodes, edges)


GRAPHS = {
    "shopping": shopping,
    "shopping_ja": shopping_ja,
    "two_paths": two_paths,
    "square": square,
    "skip": skip,
    "tiny_net": tiny_net,
    "grouped_net": grouped_net,
    "random200": lambda: random_dag(200, seed=7),
    "random200_local": lambda: random_dag(200, seed=11, window=12),
}

# --- checks ------------------------------------------------------------------------


def cells(rows: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """Per canvas cell: (character, style); the right half of a wide char is ("", style)."""
    grid = []
    for runs in rows:
        line = []
        for text, style in runs:
            for ch in text:
                line.append((ch, style))
                if cell_len(ch) == 2:
                    line.append(("", style))
        grid.append(line)
    return grid


def full_state(spec: GraphSpec) -> RenderState:
    values = {n.key: f"{i * 1.5:g}" for i, n in enumerate(spec.nodes)}
    return RenderState(
        values=values,
        grads={n.key: f"∂{i * 0.25:g}" for i, n in enumerate(spec.nodes)},
        edge_value={e: values[e.source] for e in spec.edges},
        edge_grad={e: f"∂{k}.5" for k, e in enumerate(spec.edges)},
    )


def unit_steps(route):
    """Consecutive cells of a route as ((x, y), (x2, y2), direction from the first)."""
    for (x0, y0), (x1, y1) in zip(route, route[1:]):
        assert x0 == x1 or y0 == y1, f"diagonal step in {route}"
        assert (x0, y0) != (x1, y1), f"repeated point in {route}"
        dx = (x1 > x0) - (x1 < x0)
        dy = (y1 > y0) - (y1 < y0)
        d = E if dx > 0 else W if dx < 0 else S if dy > 0 else N
        x, y = x0, y0
        while (x, y) != (x1, y1):
            yield (x, y), (x + dx, y + dy), d
            x, y = x + dx, y + dy


OPPOSITE = {N: S, S: N, E: W, W: E}


def check(spec: GraphSpec, lay: Layout) -> None:
    rows = render(lay, full_state(spec))
    grid = cells(rows)
    assert len(grid) == lay.height
    for y, line in enumerate(grid):
        assert len(line) == lay.width, f"row {y} is {len(line)} cells, not {lay.width}"
        assert sum(cell_len(text) for text, _ in rows[y]) == lay.width

    # boxes: inside the canvas, apart, borders intact
    keys = [n.key for n in spec.nodes]
    assert set(lay.boxes) == set(keys)
    for key, box in lay.boxes.items():
        assert box.x >= 1 and box.y >= 1 and box.x + box.w < lay.width and box.y + box.h < lay.height
        assert box.h >= 6
    by_layer = sorted(lay.boxes.items(), key=lambda kv: (kv[1].x, kv[1].y))
    for (ka, a), (kb, b) in zip(by_layer, by_layer[1:]):
        if a.x == b.x:
            assert a.y + a.h + 1 <= b.y, f"{ka} and {kb} touch"
    rects = list(lay.boxes.items())
    for i, (ka, a) in enumerate(rects):
        for kb, b in rects[i + 1 :]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, f"{ka} overlaps {kb}"
    for key, box in lay.boxes.items():
        top = "".join(grid[box.y][x][0] for x in range(box.x, box.x + box.w))
        bottom = "".join(grid[box.bottom][x][0] for x in range(box.x, box.x + box.w))
        assert top == "┌" + "─" * (box.w - 2) + "┐", key
        assert bottom == "└" + "─" * (box.w - 2) + "┘", key
        out = lay.out_ports.get(key)
        for y in range(box.y + 1, box.bottom):
            assert grid[y][box.x][0] == "│", (key, y)
            want = OUT_PORT if out == (box.right, y) else "│"
            assert grid[y][box.right][0] == want, (key, y)
        for y in range(box.y, box.y + box.h):
            for x in range(box.x, box.x + box.w):
                style = grid[y][x][1]
                assert style.split(".")[0] in ("box", "title", "text"), (key, x, y, style)

    # edges: rightwards, connected from out port to in port, drawn as routed
    owner: dict[tuple[tuple[int, int], tuple[int, int]], str] = {}
    dirs_at: dict[tuple[int, int], dict[str, int]] = {}
    for e in spec.edges:
        src, dst = lay.boxes[e.source], lay.boxes[e.target]
        assert lay.layer_of[e.source] < lay.layer_of[e.target]
        assert src.x + src.w <= dst.x
        route = lay.routes[e]
        assert route[0] == lay.out_ports[e.source]
        assert route[0][0] == src.right and src.y < route[0][1] < src.bottom
        assert route[-1] == lay.in_ports[(e.target, e.position)]
        assert route[-1][0] == dst.x and dst.y < route[-1][1] < dst.bottom
        assert lay.arrows[e] == (dst.x - 1, route[-1][1])
        assert grid[dst.y + 1 + 0][dst.x][0] == "│"
        assert grid[route[-1][1]][dst.x - 1][0] == ARROW
        for a, b, d in unit_steps(route):
            prev = owner.setdefault((a, b), e.source)
            assert prev == e.source, f"lines from {prev} and {e.source} overlap at {a}->{b}"
            owner.setdefault((b, a), e.source)
            for cell, direction in ((a, d), (b, OPPOSITE[d])):
                per = dirs_at.setdefault(cell, {})
                per[e.source] = per.get(e.source, 0) | direction
        for (x, y), _, _ in list(unit_steps(route))[1:]:
            assert not any(box.contains(x, y) for box in lay.boxes.values()), (e, x, y)
    arrows = set(lay.arrows.values())
    ports = set(lay.out_ports.values()) | {lay.in_ports[(e.target, e.position)] for e in spec.edges}
    for (x, y), per in dirs_at.items():
        if (x, y) in ports:
            continue
        ch, style = grid[y][x]
        assert style.startswith("edge."), (x, y, ch, style)
        if (x, y) in arrows:
            assert ch == ARROW
            continue
        union = 0
        for m in per.values():
            union |= m
        assert MASK_OF[ch] == union, f"{ch!r} at {(x, y)} but lines go {union}"
        if len(per) > 1:  # unrelated lines may only cross straight through each other
            assert sorted(per.values()) == sorted([E | W, N | S]), f"lines join at {(x, y)}: {per}"
    # every line cell belongs to a route; no stray drawing
    for y, line in enumerate(grid):
        for x, (ch, style) in enumerate(line):
            if style.startswith("edge."):
                assert (x, y) in dirs_at, (x, y, ch)
            elif style == "":
                assert ch == " ", (x, y, ch)

    # labels: in their slots, clear of boxes, lines and each other
    taken: dict[tuple[int, int], object] = {}
    for e in spec.edges:
        for slot in (lay.value_slots[e], lay.grad_slots[e]):
            assert abs(slot.y - route_end_row(lay, e)) == 1
            assert slot.w >= lay.value_width + 2
            for x in range(slot.x, slot.x + slot.w):
                assert (x, slot.y) not in dirs_at, (e, x, slot.y)
                assert not any(box.contains(x, slot.y) for box in lay.boxes.values()), (e, x)
                assert taken.setdefault((x, slot.y), e) == e, (e, x, slot.y)
            # the last horizontal run passes under (or over) the whole slot
            ex, ey = lay.routes[e][-2]
            assert ex < slot.x


def route_end_row(lay: Layout, e: EdgeSpec) -> int:
    return lay.routes[e][-1][1]


# --- tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_layout_is_well_formed(name: str) -> None:
    spec = GRAPHS[name]()
    check(spec, layout(spec))


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_are_well_formed(seed: int) -> None:
    rng = random.Random(seed)
    spec = random_dag(rng.randrange(5, 60), seed, fan_in=rng.choice([1, 2, 3]), window=rng.choice([None, 4, 10]))
    check(spec, layout(spec, value_width=rng.choice([5, 9])))


@pytest.mark.parametrize("name", ["two_paths", "tiny_net", "random200"])
def test_output_is_deterministic(name: str) -> None:
    first = render(layout(GRAPHS[name]()), full_state(GRAPHS[name]()))
    second = render(layout(GRAPHS[name]()), full_state(GRAPHS[name]()))
    assert first == second


def test_output_does_not_depend_on_hash_seed() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests/unit'); import test_layout as t;"
        "from tutor.draw.layout import layout, render_text;"
        "s = t.GRAPHS['tiny_net'](); print(render_text(layout(s), t.full_state(s)))"
    )
    root = Path(__file__).resolve().parents[2]
    outs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(root))
        done = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outs.add(done.stdout)
    assert len(outs) == 1


def test_runs_merge_adjacent_cells_of_one_style() -> None:
    spec = two_paths()
    for runs in render(layout(spec), full_state(spec)):
        assert all(a[1] != b[1] for a, b in zip(runs, runs[1:]))
        assert all(text for text, _ in runs)


def test_layers_follow_longest_path_and_leaves_move_right() -> None:
    lay = layout(shopping())
    assert lay.layer_of == {"apple": 0, "apple_count": 0, "apple_price": 1, "tax": 1, "price": 2}
    assert lay.layers == (("apple", "apple_count"), ("apple_price", "tax"), ("price",))
    # the first input of a node sits above its second
    assert lay.boxes["apple"].y < lay.boxes["apple_count"].y
    assert lay.boxes["apple_price"].y < lay.boxes["tax"].y


def test_ports_are_three_rows_apart_and_in_order() -> None:
    lay = layout(grouped_net())
    rows = [lay.in_ports[("z", p)][1] for p in range(5)]
    assert rows == sorted(rows)
    assert all(b - a >= 3 for a, b in zip(rows, rows[1:]))
    box = lay.boxes["z"]
    assert box.y < rows[0] and rows[-1] < box.bottom


def test_same_input_twice_gets_two_ports() -> None:
    spec = square()
    lay = layout(spec)
    e0, e1 = (e for e in spec.edges if e.target == "sq")
    assert lay.routes[e0][0] == lay.routes[e1][0] == lay.out_ports["s"]
    assert lay.routes[e0][-1][1] + 3 <= lay.routes[e1][-1][1]


def test_long_edge_goes_around_boxes() -> None:
    spec = skip()
    lay = layout(spec)
    long = next(e for e in spec.edges if e.source == "x" and e.target == "out")
    assert lay.layer_of["out"] - lay.layer_of["x"] == 5
    check(spec, lay)  # no line cell inside a box
    assert len(lay.routes[long]) <= 6  # a few bends, no wandering


def test_a_straight_chain_is_straight() -> None:
    spec = graph(["a", "b", "c"], [("a", "b", 0), ("b", "c", 0)])
    lay = layout(spec)
    assert all(len(r) == 2 for r in lay.routes.values())
    assert len({b.y for b in lay.boxes.values()}) == 1


def test_cjk_titles_keep_borders_aligned() -> None:
    spec = shopping_ja()
    lay = layout(spec)
    grid = cells(render(lay, full_state(spec)))
    for key, box in lay.boxes.items():
        assert box.w == max(cell_len(key), 9) + 4
        for y in range(box.y, box.y + box.h):
            assert grid[y][box.x][0] in "┌│└"
            assert grid[y][box.right][0] in "┐│┘├"
        title = "".join(ch for ch, _ in grid[box.y + 1][box.x + 1 : box.right])
        assert title.strip() == key
    text = plain(render(lay, RenderState()))
    for line in text.splitlines():
        assert cell_len(line) <= lay.width


def test_labels_sit_above_and_below_the_incoming_edge() -> None:
    spec = two_paths()
    lay = layout(spec)
    state = RenderState(
        values={"a": "2", "e": "30"},
        grads={"e": "∂1"},
        edge_value={EdgeSpec("c", "e", 0): "5.5", EdgeSpec("b", "d", 0): "3"},
        edge_grad={EdgeSpec("c", "e", 0): "∂6", EdgeSpec("b", "d", 0): "∂-7.25"},
        edge_style={EdgeSpec("c", "e", 0): "active"},
    )
    rows = render(lay, state)
    lines = [plain([r]) for r in rows]
    for e, value, grad in ((EdgeSpec("c", "e", 0), "5.5", "∂6"), (EdgeSpec("b", "d", 0), "3", "∂-7.25")):
        ax, ay = lay.arrows[e]
        vs, gs = lay.value_slots[e], lay.grad_slots[e]
        assert (vs.y, gs.y) == (ay - 1, ay + 1)
        assert value in cut(lines[ay - 1], vs.x, vs.w)
        assert grad in cut(lines[ay + 1], gs.x, gs.w)
        # the labelled row right under the value is the edge itself
        assert set(cut(lines[ay], vs.x, vs.w)) == {"─"}
    active = EdgeSpec("c", "e", 0)
    ax, ay = lay.arrows[active]
    grid = cells(rows)
    assert grid[ay][ax] == (ARROW, "edge.active")
    assert ("5.5", "value.active") in rows[ay - 1]
    assert ("∂6", "grad.active") in rows[ay + 1]
    box = lay.boxes["e"]
    assert "30" in lines[box.y + 3] and "∂1" in lines[box.y + 4]


def cut(line: str, x: int, w: int) -> str:
    """Cells x .. x+w of a plain line (ASCII-width content assumed left of x)."""
    return line.ljust(x + w)[x : x + w]


def test_long_labels_are_cut_with_an_ellipsis() -> None:
    spec = two_paths()
    lay = layout(spec, value_width=5)
    e = EdgeSpec("c", "e", 0)
    long = "12345678901234567890"
    rows = render(lay, RenderState(values={"c": long}, edge_value={e: long}))
    text = plain(rows)
    assert long not in text
    slot = lay.value_slots[e]
    assert clip(long, slot.w) in text
    assert clip(long, 5) in text
    assert all(sum(cell_len(t) for t, _ in r) == lay.width for r in rows)


def test_clip_counts_cells() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab…"
    assert clip("りんご", 4) == "り…"
    assert cell_len(clip("りんごの値段", 5)) <= 5


def test_styles_follow_the_state() -> None:
    spec = two_paths()
    lay = layout(spec)
    state = RenderState(node_style={"c": "current", "a": "pending"}, edge_style={EdgeSpec("a", "c", 0): "pending"})
    grid = cells(render(lay, state))
    c, a = lay.boxes["c"], lay.boxes["a"]
    assert grid[c.y][c.x][1] == "box.current"
    assert grid[c.y + 1][c.x + 1][1] == "text.current"
    assert {s for _, s in grid[c.y + 1][c.x + 2 : c.right - 1]} >= {"title.current"}
    assert grid[a.y][a.x][1] == "box.pending"
    ax, ay = lay.arrows[EdgeSpec("a", "c", 0)]
    assert grid[ay][ax][1] == "edge.pending"
    bx, by = lay.arrows[EdgeSpec("b", "c", 1)]
    assert grid[by][bx][1] == "edge.done"


def test_shared_trunk_takes_the_strongest_style() -> None:
    spec = two_paths()
    lay = layout(spec)
    bc, bd = EdgeSpec("b", "c", 1), EdgeSpec("b", "d", 0)
    grid = cells(render(lay, RenderState(edge_style={bc: "pending", bd: "active"})))
    x, y = lay.out_ports["b"]
    assert grid[y][x + 1][1] == "edge.active"  # the stub both lines share
    ax, ay = lay.arrows[bc]
    assert grid[ay][ax][1] == "edge.pending"


def test_empty_and_single_node_graphs() -> None:
    lay = layout(GraphSpec((), ()))
    assert render(lay, RenderState()) == [[(" " * lay.width, "")] for _ in range(lay.height)]
    one = graph(["only"], [])
    lay = layout(one)
    check(one, lay)


def test_bad_specs_are_refused() -> None:
    with pytest.raises(ValueError):
        layout(graph(["a", "b"], [("b", "a", 0)]))
    with pytest.raises(ValueError):
        layout(graph(["a", "b"], [("a", "zz", 0)]))
    with pytest.raises(ValueError):
        layout(graph(["a", "b", "c"], [("a", "c", 0), ("b", "c", 0)]))


def test_500_nodes_are_fast() -> None:
    spec = random_dag(500, seed=3)
    t0 = time.perf_counter()
    lay = layout(spec)
    t1 = time.perf_counter()
    render(lay, full_state(spec))
    t2 = time.perf_counter()
    # generous bounds for slow CI machines; typical figures are far lower
    assert t1 - t0 < 3.0
    assert t2 - t1 < 1.0


def test_any_window_renders_like_the_same_rows_of_the_whole() -> None:
    # A vertical line wholly above the window once styled rows inside it.
    spec = GRAPHS["random200"]()
    lay = layout(spec)
    state = full_state(spec)
    whole = render(lay, state)
    for top in range(0, lay.height - 10, 7):
        assert render(lay, state, top, top + 10) == whole[top : top + 10], top


def styled_state(spec: GraphSpec, seed: int) -> RenderState:
    """Labels plus a random mix of node and edge styles."""
    rng = random.Random(seed)
    state = full_state(spec)
    state.node_style = {n.key: rng.choice(("current", "selected", "done", "pending", "highlight")) for n in spec.nodes}
    state.edge_style = {e: rng.choice(("active", "done", "pending", "highlight")) for e in spec.edges}
    return state


@pytest.mark.parametrize("name", ["shopping_ja", "tiny_net", "random200", "random200_local"])
def test_a_window_is_the_same_cells_as_the_full_canvas(name: str) -> None:
    """Rendering a window (as a scrolled view does) gives exactly that part of the full drawing;
    a wide character cut by the window's edge shows as a blank."""
    spec = GRAPHS[name]()
    lay = layout(spec)
    rng = random.Random(5)
    for k in range(12):
        state = styled_state(spec, k)
        full = cells(render(lay, state))
        top, left = rng.randrange(lay.height), rng.randrange(lay.width)
        bottom, right = top + rng.randrange(1, 70), left + rng.randrange(1, 300)
        part = cells(render(lay, state, top, bottom, left, right))
        assert len(part) == min(bottom, lay.height) - top
        for y, row in enumerate(part):
            expected = full[top + y][left:right]
            if expected and expected[0][0] == "":
                expected[0] = (" ", expected[0][1])
            if right < lay.width and expected and cell_len(expected[-1][0]) == 2:
                expected[-1] = (" ", expected[-1][1])
            assert row == expected, (name, k, top + y, left, right)


def test_rows_below_a_line_take_no_style_from_it() -> None:
    """Rendering rows below a vertical line leaves those rows unstyled by it."""
    spec = random_dag(200, seed=7)
    lay = layout(spec)
    state = styled_state(spec, 1)
    full = render(lay, state)
    for top in range(0, lay.height, 17):
        assert render(lay, state, top, top + 17) == full[top : top + 17]
