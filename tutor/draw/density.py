"""Density levels of the graph drawing, and the choice of the level that fits.

A learner's window is often 80×24, where the boxes of :mod:`tutor.draw.layout`
(six rows each) show three nodes at most. The same graph can be drawn denser:

* ``boxes``: today's bordered boxes, edge labels above and below each line;
* ``compact``: two rows a node, no border: ``name op`` over ``value ∂gradient``;
* ``line``: one row a node: ``name`` and one number (the gradient once it
  has arrived, the value before);
* ``names``: one row a node, the name only: the smallest form, for big graphs.

Every level is laid out by the same layering, ordering and routing as the
boxes (so the picture keeps its shape when zooming), and every drawing has
the same interface: ``width``, ``height``, ``boxes`` (where each node is, for
scrolling and clicks) and :func:`render_drawing` for one step's rows. The
graph view, and any other view that lays out nodes and edges (a network view),
uses :func:`fit_level` to pick the level that fits its window.

Pure Python (no Textual).
"""

from __future__ import annotations

from dataclasses import field
from typing import Mapping, Union

from rich.cells import cell_len

from tutor.startup import paused_gc
from tutor.draw.canvas import render
from tutor.draw.layout import layout
from tutor.draw.order import Items, chain_and_order, longest_path_layers
from tutor.draw.place import box_size, place_rows
from tutor.draw.route import chain_routes, route_channels
from tutor.draw.specs import (
    MARGIN,
    ROW_GAP,
    EdgeSpec,
    GraphSpec,
    Layout,
    NodeSpec,
    Point,
    Rect,
    RenderState,
)
from tutor.records import record

__all__ = [
    "BOXES",
    "COMPACT",
    "LEVELS",
    "LINE",
    "NAMES",
    "DenseLayout",
    "Drawing",
    "dense_layout",
    "draw",
    "fit_level",
    "render_drawing",
]

BOXES = "boxes"
COMPACT = "compact"
LINE = "line"
NAMES = "names"
LEVELS = (BOXES, COMPACT, LINE, NAMES)
"""From the most detailed to the smallest."""

NUMBER_WIDTH = 8
"""Cells for one number in the dense levels (``∂`` included for a gradient)."""


@record
class _Geometry:
    rows: int
    """Rows a node takes."""
    gap: int
    """Blank rows between two nodes of a layer."""
    track_step: int
    margin: int


_GEOMETRY = {
    COMPACT: _Geometry(rows=2, gap=1, track_step=2, margin=1),
    LINE: _Geometry(rows=1, gap=0, track_step=1, margin=0),
    NAMES: _Geometry(rows=1, gap=0, track_step=1, margin=0),
}


@record(frozen=False)
class DenseLayout:
    """Where every node, line and arrow goes at one of the dense levels."""

    level: str
    width: int
    height: int
    nodes: dict[str, NodeSpec]
    boxes: dict[str, Rect]
    """Each node's cells: the arrow cell, the text, the out-port cell."""
    routes: dict[EdgeSpec, tuple[Point, ...]]
    numbers: dict[str, tuple[int, int]]
    """Cells for each node's value and gradient (none at the names level, which shows no numbers)."""
    _base: object = field(repr=False, default=None)
    """The static canvas (lines, joins, arrow heads) by row: ``_base[y][x]``, made on demand."""
    _masks: dict[tuple[int, int], bytearray] = field(repr=False, default_factory=dict)
    """By tile, made when first shown: the directions lines leave each cell in (see ``specs.JOIN``)."""
    senders: dict[str, int] = field(repr=False, default_factory=dict)
    """Nodes with an output line: the first cell of that line in the node's row."""
    _edge_segments: dict[EdgeSpec, tuple[tuple[int, int, int, int], ...]] = field(
        repr=False, default_factory=dict
    )
    _dense_tiles: dict | None = field(repr=False, default=None)
    """Lines and nodes by tile (made on first render): a window renders only what it touches."""
    _edge_list: list[EdgeSpec] = field(repr=False, default_factory=list)
    _route_list: list[tuple[Point, ...]] = field(repr=False, default_factory=list)
    _box_rank: dict[str, int] = field(repr=False, default_factory=dict)

    def node_at(self, x: int, y: int) -> str | None:
        for key, box in self.boxes.items():
            if box.contains(x, y):
                return key
        return None


Drawing = Union[Layout, DenseLayout]


def _title_row(node: NodeSpec, level: str) -> str:
    """The first row of a dense node: the name, and the op symbol when there is room."""
    if level == COMPACT and node.kind in ("op",) and node.subtitle:
        return f"{node.title} {node.subtitle}"
    return node.title


Numbers = Mapping[str, tuple[int, int]]
"""Cells each node's value and gradient text needs (at most); others get ``NUMBER_WIDTH``."""


def _text_width(node: NodeSpec, level: str, cells: tuple[int, int]) -> int:
    title = cell_len(_title_row(node, level))
    value, grad = cells
    if level == COMPACT:
        return max(title, value + 1 + grad)
    if level == LINE:
        return title + 1 + max(value, grad)
    return title


def _cells(numbers: Numbers | None, key: str) -> tuple[int, int]:
    if numbers is None or key not in numbers:
        return NUMBER_WIDTH - 1, NUMBER_WIDTH
    return numbers[key]


@record
class _Shape:
    """What every level's drawing of one spec starts from: node indices, layers, ports, senders."""

    index: dict[str, int]
    layer: list[int]
    ports: list[int]
    """Inputs of each node (one past its highest input position)."""
    has_out: list[bool]


_LAST_SHAPE: list = [None, None]
"""The last spec whose shape was worked out, and its shape (fitting asks once per level)."""


def _shape(spec: GraphSpec) -> _Shape:
    """The spec's :class:`_Shape`, kept for the last spec asked about; checks the spec on the way."""
    if _LAST_SHAPE[0] is spec:
        return _LAST_SHAPE[1]
    index: dict[str, int] = {}
    for i, node in enumerate(spec.nodes):
        if node.key in index:
            raise ValueError(f"node {node.key!r} is listed twice")
        index[node.key] = i
    n = len(spec.nodes)
    ports = [0] * n
    has_out = [False] * n
    for e in spec.edges:
        s, t = index.get(e.source), index.get(e.target)
        if s is None or t is None or s >= t:
            raise ValueError(f"edge {e} does not go from an earlier node to a later one")
        if e.position >= ports[t]:
            ports[t] = e.position + 1
        has_out[s] = True
    shape = _Shape(index, longest_path_layers(spec, index), ports, has_out)
    _LAST_SHAPE[:] = [spec, shape]
    return shape


def _sizes(spec: GraphSpec, level: str, numbers: Numbers | None, value_width: int) -> list[tuple[int, int]]:
    if level == BOXES:
        ports = _shape(spec).ports
        return [box_size(node, ports[i], value_width) for i, node in enumerate(spec.nodes)]
    rows = _GEOMETRY[level].rows
    if level == NAMES:  # no numbers: the names level never reads them
        return [(cell_len(node.title) + 2, rows) for node in spec.nodes]
    # One cell for the arrow head, the text, one cell for the out port.
    return [(_text_width(node, level, _cells(numbers, node.key)) + 2, rows) for node in spec.nodes]


def _layers(spec: GraphSpec) -> list[int]:
    """Each node's layer (see ``longest_path_layers``), kept for the last spec asked about."""
    return _shape(spec).layer


def _narrowest(spec: GraphSpec, level: str, value_width: int) -> int:
    """A width no drawing of ``spec`` at ``level`` is narrower than, from the number of layers alone."""
    if not spec.nodes:
        return 0
    nl = max(_layers(spec)) + 1
    # A box is at least its value wide plus borders and padding, a channel at least its labels;
    # a dense node at least its arrow and out-port cells, a channel at least one column.
    node, between = (value_width + 4, value_width + 4) if level == BOXES else (2, 1)
    return node * nl + between * (nl - 1)


def lower_bound(spec: GraphSpec, level: str, numbers: Numbers | None = None, value_width: int = 10) -> tuple[int, int]:
    """A quick (width, height) that the level's drawing cannot be smaller than.

    Lets :func:`fit_level` skip levels that cannot fit without laying them out.
    """
    if not spec.nodes:
        return 0, 0
    layer = _layers(spec)
    sizes = _sizes(spec, level, numbers, value_width)
    nl = max(layer) + 1
    col_w = [0] * nl
    col_h = [0] * nl
    gap = ROW_GAP if level == BOXES else _GEOMETRY[level].gap
    for i, (w, h) in enumerate(sizes):
        col_w[layer[i]] = max(col_w[layer[i]], w)
        col_h[layer[i]] += h + gap
    between = (value_width + 4) if level == BOXES else 1
    return sum(col_w) + between * (nl - 1), max(col_h) - gap


def dense_layout(spec: GraphSpec, level: str, numbers: Numbers | None = None) -> DenseLayout:
    """Place and route ``spec`` at a dense level (compact, line or names)."""
    with paused_gc():  # many small objects, none of them garbage: the collector would only walk them
        return _dense_layout(spec, level, numbers)


def _dense_layout(spec: GraphSpec, level: str, numbers: Numbers | None) -> DenseLayout:
    geometry = _GEOMETRY[level]
    shape = _shape(spec)
    index, layer, nports, has_out = shape.index, shape.layer, shape.ports, shape.has_out
    n = len(spec.nodes)
    sizes = _sizes(spec, level, numbers, 0)
    rows = geometry.rows
    # Placement spaces items by their height plus one blank row; a gapless
    # level counts each item one row shorter to pack the rows together.
    shrink = ROW_GAP - geometry.gap

    items = Items()
    for i in range(n):
        # Inputs beyond the node's rows share its last row (a bus into one arrow).
        in_offs = [min(p, rows - 1) for p in range(max(1, nports[i]))]
        if nports[i] <= 1:
            in_offs = [0]
        items.add(layer[i], rows - shrink, 0, in_offs, float(i), False)
    chains, order = chain_and_order(items, spec.edges, index, layer, 1 - shrink)
    nl = len(order)
    y = [v - MARGIN + geometry.margin for v in place_rows(items, order)]

    gaps = route_channels(items, order, y)

    col_w = [0] * nl
    for i in range(n):
        col_w[layer[i]] = max(col_w[layer[i]], sizes[i][0])
    col_x = [0] * nl
    x = geometry.margin
    step = geometry.track_step
    for i in range(nl):
        if i > 0:
            x += 1 + step * gaps[i - 1].tracks
        col_x[i] = x
        x += col_w[i]
    width = x + geometry.margin if nl else 2 * geometry.margin

    keys = [node.key for node in spec.nodes]
    boxes = {keys[i]: Rect(col_x[layer[i]], y[i], sizes[i][0], rows) for i in range(n)}
    bottom = max((y[it] + (rows if it < n else 1) for it in range(len(y))), default=0)
    height = max(bottom + geometry.margin, 1)

    routes = chain_routes(chains, items, y, gaps, [col_x[i] + col_w[i] for i in range(nl)], step, boxes)
    # A line that dodges through a free row may use a row below every node (every other
    # corner of a line is on a node's or a waypoint's row).
    lowest = max((row for gap in gaps for row, _ in gap.detour.values()), default=0)
    height = max(height, lowest + 1 + geometry.margin)

    result = DenseLayout(
        level=level,
        width=width,
        height=height,
        nodes={node.key: node for node in spec.nodes},
        boxes=boxes,
        routes=routes,
        numbers={} if level == NAMES else {key: _cells(numbers, key) for key in keys},
    )
    from tutor.draw.dense_canvas import draw_lines  # the canvas module reads this one's classes

    draw_lines(result, [keys[i] for i in range(n) if has_out[i]])
    return result


def draw(spec: GraphSpec, level: str, value_width: int = 10, numbers: Numbers | None = None) -> Drawing:
    """``spec`` laid out at ``level``; ``numbers``: see :data:`Numbers`."""
    if level == BOXES:
        return layout(spec, value_width=value_width)
    return dense_layout(spec, level, numbers)


def render_drawing(
    drawing: Drawing, state: RenderState, top: int = 0, bottom: int | None = None,
    left: int = 0, right: int | None = None,
) -> list[list[tuple[str, str]]]:
    """One step's rows of any level's drawing: runs of (text, style name) per row, ``left`` to ``right``."""
    if isinstance(drawing, DenseLayout):
        from tutor.draw.dense_canvas import render_dense

        return render_dense(drawing, state, top, bottom, left, right)
    return render(drawing, state, top, bottom, left, right)


def fit_level(
    spec: GraphSpec,
    width: int,
    height: int,
    value_width: int = 10,
    numbers: Numbers | None = None,
    levels: tuple[str, ...] = LEVELS,
    cache: dict[str, Drawing] | None = None,
) -> tuple[str, Drawing]:
    """The most detailed level whose drawing fits ``width`` × ``height`` cells.

    The smallest level is used (and scrolled) when none fits. Levels that
    cannot fit by a quick bound are never laid out, so a big graph costs one
    layout, not four; ``cache`` (level -> drawing, for one spec) keeps them
    for the next fit (a resize).
    """
    with paused_gc():  # sizing and laying out make many objects and no garbage
        return _fit_level(spec, width, height, value_width, numbers, levels, cache)


def _fit_level(
    spec: GraphSpec, width: int, height: int, value_width: int, numbers: Numbers | None,
    levels: tuple[str, ...], cache: dict[str, Drawing] | None,
) -> tuple[str, Drawing]:
    for level in levels[:-1]:
        if _narrowest(spec, level, value_width) > width:
            continue  # too many layers side by side, whatever their nodes
        w, h = lower_bound(spec, level, numbers, value_width)
        if w > width or h > height:
            continue
        drawing = _cached(cache, level, lambda: draw(spec, level, value_width, numbers))
        if drawing.width <= width and drawing.height <= height:
            return level, drawing
    level = levels[-1]
    return level, _cached(cache, level, lambda: draw(spec, level, value_width, numbers))


def _cached(cache: dict[str, Drawing] | None, level: str, make) -> Drawing:  # noqa: ANN001 - () -> Drawing
    """A level's drawing from ``cache`` (same spec and numbers), made once."""
    if cache is None:
        return make()
    if level not in cache:
        cache[level] = make()
    return cache[level]
