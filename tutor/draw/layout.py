"""A layered, left-to-right drawing of a computational graph on a character canvas.

Leaves sit on the left, the output on the right, every node is a box, and
every edge is a line of box-drawing characters ending in an arrow head at the
input port of its target. The forward value travelling along an edge is
written just above the edge's last horizontal run, its gradient just below,
as in textbook figures.

The drawing is made in two parts:

* :func:`layout` places boxes and routes edges once per graph (Sugiyama
  style: layers by longest path, dummy waypoints on long edges, barycenter
  ordering, isotonic vertical placement, then one vertical track per source
  in each channel between layers);
* :func:`render` fills in the labels and styles for one step and returns the
  canvas as runs of ``(text, style_name)``, one list per row.

This module runs the pipeline; each job has its own module: ``specs`` (what
goes in and comes out), ``order`` (layers and the order within them),
``place`` (box sizes and rows), ``route`` (lines through the channels) and
``canvas`` (characters and styles). Everything callers need is importable
from here.

Pure Python (no Textual); widths are terminal cells (``rich.cells.cell_len``)
so CJK names, two cells per character, keep the borders aligned. Nothing
that affects the output depends on set or hash order.
"""

from __future__ import annotations

from tutor.startup import paused_gc
from tutor.draw.canvas import draw_static, plain, render, render_text
from tutor.draw.order import Items, chain_and_order, longest_path_layers
from tutor.draw.place import box_size, in_offsets, place_rows
from tutor.draw.route import chain_routes, route_channels
from tutor.draw.specs import (
    ARROW, EDGE_STYLES, JOIN, MARGIN, NODE_STYLES, OUT_PORT, TRACK_STEP, E, EdgeSpec, GraphSpec, Layout, N,
    NodeSpec, Point, Rect, RenderState, S, Slot, W, clip,
)

__all__ = [
    "ARROW", "EDGE_STYLES", "JOIN", "NODE_STYLES", "OUT_PORT", "E", "EdgeSpec", "GraphSpec", "Layout", "N",
    "NodeSpec", "Rect", "RenderState", "S", "Slot", "W", "clip", "layout", "plain", "render", "render_text",
]


def layout(spec: GraphSpec, value_width: int = 9) -> Layout:
    """Place every box and route every edge of ``spec``; see the module docstring."""
    with paused_gc():
        return _layout(spec, value_width)


def _layout(spec: GraphSpec, value_width: int) -> Layout:
    value_width = max(1, value_width)
    index: dict[str, int] = {}
    for i, node in enumerate(spec.nodes):
        if node.key in index:
            raise ValueError(f"node {node.key!r} is listed twice")
        index[node.key] = i
    seen_ports: set[tuple[str, int]] = set()
    for e in spec.edges:
        if e.source not in index or e.target not in index:
            raise ValueError(f"edge {e} names an unknown node")
        if index[e.source] >= index[e.target]:
            raise ValueError(f"edge {e} does not go from an earlier node to a later one")
        if e.position < 0 or (e.target, e.position) in seen_ports:
            raise ValueError(f"edge {e} reuses or misnumbers an input position")
        seen_ports.add((e.target, e.position))

    n = len(spec.nodes)
    layer = longest_path_layers(spec, index)
    nports = [0] * n
    for e in spec.edges:
        t = index[e.target]
        nports[t] = max(nports[t], e.position + 1)
    has_out = [False] * n
    for e in spec.edges:
        has_out[index[e.source]] = True

    items = Items()
    sizes: list[tuple[int, int]] = []
    for i, node in enumerate(spec.nodes):
        w, h = box_size(node, nports[i], value_width)
        sizes.append((w, h))
        out_off = (h - 1) // 2
        items.add(layer[i], h, out_off, in_offsets(nports[i], h, out_off), float(i), False)

    chains, order = chain_and_order(items, spec.edges, index, layer, 1)
    nl = len(order)
    y = place_rows(items, order)

    gaps = route_channels(items, order, y)

    # columns
    label_w = value_width + 2
    col_w = [0] * nl
    for i in range(n):
        col_w[layer[i]] = max(col_w[layer[i]], sizes[i][0])
    col_x = [0] * nl
    x = MARGIN
    for i in range(nl):
        if i > 0:
            tracks = gaps[i - 1].tracks
            x += 1 + TRACK_STEP * tracks + label_w + 1
        col_x[i] = x
        x += col_w[i]
    width = x + MARGIN if nl else 2 * MARGIN

    keys = [node.key for node in spec.nodes]
    boxes: dict[str, Rect] = {}
    for i in range(n):
        boxes[keys[i]] = Rect(col_x[layer[i]], y[i], sizes[i][0], sizes[i][1])
    height = max((y[it] + items.height[it] for it in range(len(y))), default=0) + MARGIN
    height = max(height, 2 * MARGIN)

    out_ports = {keys[i]: (boxes[keys[i]].right, y[i] + items.out_off[i]) for i in range(n) if has_out[i]}
    in_offs = items.in_offs
    in_ports = {
        (keys[i], p): (boxes[keys[i]].x, y[i] + in_offs[i][p]) for i in range(n) for p in range(nports[i])
    }

    track_x = [col_x[i] + col_w[i] + 1 for i in range(nl)]
    routes = chain_routes(chains, items, y, gaps, track_x, TRACK_STEP, boxes)
    arrows: dict[EdgeSpec, Point] = {}
    value_slots: dict[EdgeSpec, Slot] = {}
    grad_slots: dict[EdgeSpec, Slot] = {}
    for e, route in routes.items():
        x, row = route[-1]
        arrows[e] = (x - 1, row)
        lx = x - 1 - label_w
        value_slots[e] = Slot(lx, row - 1, label_w)
        grad_slots[e] = Slot(lx, row + 1, label_w)

    result = Layout(
        width=width,
        height=height,
        value_width=value_width,
        nodes={node.key: node for node in spec.nodes},
        boxes=boxes,
        layers=tuple(tuple(keys[it] for it in row if it < n) for row in order),
        layer_of={keys[i]: layer[i] for i in range(n)},
        out_ports=out_ports,
        in_ports=in_ports,
        routes=routes,
        arrows=arrows,
        value_slots=value_slots,
        grad_slots=grad_slots,
    )
    draw_static(result)
    return result


# --- demo -------------------------------------------------------------------------


def _demo_specs() -> dict[str, GraphSpec]:
    def g(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str, int]]) -> GraphSpec:
        return GraphSpec(
            tuple(NodeSpec(k, k, sub, kind) for k, sub, kind in nodes),
            tuple(EdgeSpec(s, t, p) for s, t, p in edges),
        )

    two_paths = g(
        [("a", "", "input"), ("b", "", "input"), ("c", "+", "op")]
        + [("one", "", "const"), ("d", "+", "op"), ("e", "×", "op")],
        [("a", "c", 0), ("b", "c", 1), ("b", "d", 0), ("one", "d", 1), ("c", "e", 0), ("d", "e", 1)],
    )
    nodes: list[tuple[str, str, str]] = [("x1", "", "input"), ("x2", "", "input")]
    edges: list[tuple[str, str, int]] = []
    for j in (1, 2):
        nodes += [(f"w{j}1", "", "param"), (f"w{j}2", "", "param"), (f"b{j}", "", "param")]
        nodes += [(f"m{j}1", "×", "op"), (f"m{j}2", "×", "op"), (f"s{j}", "+", "op")]
        nodes += [(f"z{j}", "+", "op"), (f"h{j}", "sigmoid", "op")]
        edges += [(f"w{j}1", f"m{j}1", 0), ("x1", f"m{j}1", 1), (f"w{j}2", f"m{j}2", 0), ("x2", f"m{j}2", 1)]
        edges += [(f"m{j}1", f"s{j}", 0), (f"m{j}2", f"s{j}", 1), (f"s{j}", f"z{j}", 0)]
        edges += [(f"b{j}", f"z{j}", 1), (f"z{j}", f"h{j}", 0)]
    nodes += [("v1", "", "param"), ("v2", "", "param"), ("p1", "×", "op"), ("p2", "×", "op"), ("y", "+", "op")]
    edges += [("v1", "p1", 0), ("h1", "p1", 1), ("v2", "p2", 0), ("h2", "p2", 1), ("p1", "y", 0), ("p2", "y", 1)]
    nodes += [("target", "", "input"), ("err", "−", "op"), ("sq", "x²", "op")]
    edges += [("y", "err", 0), ("target", "err", 1), ("err", "sq", 0)]
    return {"two_paths": two_paths, "tiny_net": g(nodes, edges)}


def _demo_state(spec: GraphSpec) -> RenderState:
    values = {n.key: f"{(i * 0.37) % 3:.3g}" for i, n in enumerate(spec.nodes)}
    grads = {n.key: f"∂{(i * 0.21) % 2:.3g}" for i, n in enumerate(spec.nodes)}
    return RenderState(
        values=values,
        grads=grads,
        edge_value={e: values[e.source] for e in spec.edges},
        edge_grad={e: f"∂{(k * 0.13) % 1:.2g}" for k, e in enumerate(spec.edges)},
    )


if __name__ == "__main__":  # pragma: no cover - a look at the drawing
    import time

    for name, spec in _demo_specs().items():
        t0 = time.perf_counter()
        lay = layout(spec)
        t1 = time.perf_counter()
        text = render_text(lay, _demo_state(spec))
        t2 = time.perf_counter()
        print(f"{name}: {len(spec.nodes)} nodes, {lay.width}x{lay.height}, "
              f"layout {1000 * (t1 - t0):.1f} ms, render {1000 * (t2 - t1):.1f} ms")
        print(text)
        print()
