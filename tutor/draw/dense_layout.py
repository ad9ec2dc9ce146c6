"""Where nodes and lines go at the dense levels (compact, line, names): see ``tutor.draw.density``.

Every level is laid out by the same layering, ordering and routing as the
boxes, with three rules of its own, so that a line never seems to go where
it does not:

* **Every line enters a node on its first row** (its name), never on the
  compact level's second row (its value): ``apple_count──▶200 ∂1.1`` would
  read as if apple_count sent 200.
* **A line into a node runs on no other node's row.** A node sits on a row
  where no other source of the layer before it starts a line (a source there
  feeds it, straight), nor a line passes through; placement moves it to the
  nearest row that keeps this (``clear_rows``). So ``w21─┐`` never starts on
  the row where z1's inputs arrive.
* **The inputs of different nodes never merge.** The lines into a node share
  its arrow row (a bus: the node has one row to arrive at), and the lines out
  of a node share its row (a fan-out); each (source, node) pair has a track of
  its own in the channel. So a line only ever joins lines of its own source or
  of its own target, and where two lines meet otherwise they cross straight
  (``┼`` is always a crossing, never a join): a source's track never runs on
  through one node's bus to reach another's, which would seem to feed the
  first node's other inputs to both.

Pure Python (no Textual).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field

from rich.cells import cell_len

from tutor.startup import paused_gc
from tutor.draw.order import Items, chain_and_order, longest_path_layers
from tutor.draw.place import place_rows
from tutor.draw.route import chain_routes, route_channels
from tutor.draw.specs import MARGIN, ROW_GAP, EdgeSpec, GraphSpec, NodeSpec, Point, Rect
from tutor.records import record

COMPACT = "compact"
LINE = "line"
NAMES = "names"

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


GEOMETRY = {
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
    leaves: frozenset[str] = frozenset()
    """Nodes without inputs: no arrow arrives, so their text starts at the box's first cell."""
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

    def text_x(self, key: str) -> int:
        """The first cell of a node's text: after its arrow cell, or its box's first cell for a leaf."""
        box = self.boxes[key]
        return box.x if key in self.leaves else box.x + 1


def title_row(node: NodeSpec, level: str) -> str:
    """The first row of a dense node: the name, and the op symbol when there is room.

    At the names level a node with a ``brief`` title (a primitive inside a named
    group: ``×`` for ``z1.mul1``) shows that, so a big expanded view fits.
    """
    if level == COMPACT and node.kind in ("op",) and node.subtitle:
        return f"{node.title} {node.subtitle}"
    if level == NAMES and node.brief:
        return node.brief
    return node.title


Numbers = Mapping[str, tuple[int, int]]
"""Cells each node's value and gradient text needs (at most); others get ``NUMBER_WIDTH``."""


def text_width(node: NodeSpec, level: str, cells: tuple[int, int]) -> int:
    title = cell_len(title_row(node, level))
    value, grad = cells
    if level == COMPACT:
        return max(title, value + 1 + grad)
    if level == LINE:
        return title + 1 + max(value, grad)
    return title


def number_cells(numbers: Numbers | None, key: str) -> tuple[int, int]:
    if numbers is None or key not in numbers:
        return NUMBER_WIDTH - 1, NUMBER_WIDTH
    return numbers[key]


@record
class Shape:
    """What every level's drawing of one spec starts from: node indices, layers, ports, senders."""

    index: dict[str, int]
    layer: list[int]
    ports: list[int]
    """Inputs of each node (one past its highest input position)."""
    has_out: list[bool]


_LAST_SHAPE: list = [None, None]
"""The last spec whose shape was worked out, and its shape (fitting asks once per level)."""


def shape(spec: GraphSpec) -> Shape:
    """The spec's :class:`Shape`, kept for the last spec asked about; checks the spec on the way."""
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
    result = Shape(index, longest_path_layers(spec, index), ports, has_out)
    _LAST_SHAPE[:] = [spec, result]
    return result


def node_sizes(spec: GraphSpec, level: str, numbers: Numbers | None) -> list[tuple[int, int]]:
    """(width, rows) of every node at a dense level: the arrow cell (none for a leaf), the text, the out-port cell."""
    rows = GEOMETRY[level].rows
    ports = shape(spec).ports
    if level == NAMES:  # no numbers: the names level never reads them
        return [(cell_len(title_row(node, NAMES)) + 1 + (ports[i] > 0), rows) for i, node in enumerate(spec.nodes)]
    return [
        (text_width(node, level, number_cells(numbers, node.key)) + 1 + (ports[i] > 0), rows)
        for i, node in enumerate(spec.nodes)
    ]


def dense_layout(spec: GraphSpec, level: str, numbers: Numbers | None = None) -> DenseLayout:
    """Place and route ``spec`` at a dense level (compact, line or names)."""
    with paused_gc():  # many small objects, none of them garbage: the collector would only walk them
        return _dense_layout(spec, level, numbers)


def _dense_layout(spec: GraphSpec, level: str, numbers: Numbers | None) -> DenseLayout:
    geometry = GEOMETRY[level]
    found = shape(spec)
    index, layer, nports, has_out = found.index, found.layer, found.ports, found.has_out
    n = len(spec.nodes)
    sizes = node_sizes(spec, level, numbers)
    rows = geometry.rows
    # Placement spaces items by their height plus one blank row; a gapless
    # level counts each item one row shorter to pack the rows together.
    shrink = ROW_GAP - geometry.gap

    items = Items()
    for i in range(n):
        # Every input arrives on the node's first row (a bus into one arrow).
        items.add(layer[i], rows - shrink, 0, [0] * max(1, nports[i]), float(i), False)
    chains, order = chain_and_order(items, spec.edges, index, layer, 1 - shrink)
    nl = len(order)
    y = [v - MARGIN + geometry.margin for v in place_rows(items, order)]
    heights = [rows if it < n else 1 for it in range(len(y))]
    clear_rows(items, order, y, heights, geometry.gap)

    gaps = route_channels(items, order, y, units=True, busy=_busy_rows(order, y, heights))

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
    bottom = max((y[it] + heights[it] for it in range(len(y))), default=0)
    height = max(bottom + geometry.margin, 1)

    track_x = [col_x[i] + col_w[i] for i in range(nl)]
    routes = chain_routes(chains, items, y, gaps, track_x, step, boxes, units=True)
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
        numbers={} if level == NAMES else {key: number_cells(numbers, key) for key in keys},
        leaves=frozenset(keys[i] for i in range(n) if not nports[i]),
    )
    result.senders = {keys[i]: _sender_start(result, keys[i]) for i in range(n) if has_out[i]}
    return result


def _sender_start(lay: DenseLayout, key: str) -> int:
    """First cell of the line a sending node's row ends with (its out port: ``box.right``)."""
    box = lay.boxes[key]
    # A compact node's line leaves right after its name, not after the padding.
    start = lay.text_x(key) + cell_len(title_row(lay.nodes[key], lay.level)) if lay.level == COMPACT else box.right
    return min(start, box.right)


def clear_rows(items: Items, order: list[list[int]], y: list[int], heights: list[int], gap: int) -> None:
    """Move items so none sits on a row where a line of the layer before starts or runs that is not its own.

    A line arrives on its target's first row (``y``); the items of layer i - 1 send
    theirs from their first rows, and their other rows (a compact node's
    value) carry no line. An item of layer i on the row of an item of layer
    i - 1 that does not feed it would seem fed by it, and a line arriving beside
    a value would seem to carry that value: the item moves to the nearest row
    where only its own sources send, or none does, keeping its layer's order
    and gaps (a row near by whose sender feeds only it is preferred: a sender
    feeding others too splits its line there, among the item's inputs). Layers
    are cleared left to right, each against the rows the one before it has by then.
    """
    succs = items.succs
    top = min(y, default=0)
    for i in range(1, len(order)):
        senders: dict[int, set[int]] = {}
        quiet: set[int] = set()
        for u in order[i - 1]:
            if succs[u]:
                senders.setdefault(y[u], set()).update(v for v, _ in succs[u])
            quiet.update(range(y[u] + 1, y[u] + heights[u]))
        floor: int | None = None
        for it in order[i]:
            row = _nearest_clear(y[it], floor, it, heights[it], senders, quiet)
            y[it] = row
            floor = row + heights[it] + gap
    shift = top - min(y, default=0)
    if shift > 0:  # a row moved up past the margin: everything down by as much
        y[:] = [v + shift for v in y]


PURE_REACH = 2
"""Rows an item may move for a row whose sender feeds only it (see ``clear_rows``)."""


def _nearest_clear(
    want: int, floor: int | None, it: int, height: int, senders: dict[int, set[int]], quiet: set[int],
) -> int:
    """The row nearest ``want`` (not above ``floor``) where no line but one into ``it`` would run on its rows."""

    def clear(row: int) -> bool:
        if row < 0 or (floor is not None and row < floor):
            return False
        for r in range(row, row + height):
            fed = senders.get(r)
            if (fed is not None and (r != row or it not in fed)) or (r == row and r in quiet):
                return False
        return True

    def pure(row: int) -> bool:
        return clear(row) and len(senders.get(row, ())) <= 1

    start = want if floor is None else max(want, floor)
    for d in range(PURE_REACH + 1):
        for row in (start - d, start + d):
            if pure(row):
                return row
    for d in range(10_000):
        for row in (start - d, start + d):
            if clear(row):
                return row
    raise AssertionError("no clear row")  # pragma: no cover


def _busy_rows(order: list[list[int]], y: list[int], heights: list[int]) -> list[set[int]]:
    """Per channel: the rows of the items on either side, which a dodging line must not use."""
    rows = [{r for it in row for r in range(y[it], y[it] + heights[it])} for row in order]
    return [rows[i] | rows[i + 1] for i in range(len(order) - 1)]
