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

Pure Python (no Textual); widths are terminal cells (``rich.cells.cell_len``)
so CJK names, two cells per character, keep the borders aligned. Nothing
that affects the output depends on set or hash order.
"""

from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass, field

from rich.cells import cell_len

from tutor.engine.bulk import paused_gc

__all__ = [
    "EdgeSpec",
    "GraphSpec",
    "Layout",
    "NodeSpec",
    "Rect",
    "RenderState",
    "Slot",
    "fit",
    "layout",
    "plain",
    "render",
    "render_text",
]

# --- geometry constants -----------------------------------------------------

MARGIN = 1
"""Blank cells around the drawing."""
ROW_GAP = 1
"""Blank rows between two boxes (or waypoints) of one layer."""
PORT_STEP = 3
"""Rows between two input ports: room for a value label above, a gradient below."""
MIN_HEIGHT = 6
"""Border, title, subtitle, value, gradient, border."""
TRACK_STEP = 2
"""Columns from one vertical track of a channel to the next."""
ARROW = "▶"
OUT_PORT = "├"

N, E, S, W = 1, 2, 4, 8
JOIN = {
    0: " ",
    N: "│",
    S: "│",
    N | S: "│",
    E: "─",
    W: "─",
    E | W: "─",
    E | S: "┌",
    W | S: "┐",
    N | E: "└",
    N | W: "┘",
    N | S | E: "├",
    N | S | W: "┤",
    E | W | S: "┬",
    E | W | N: "┴",
    N | E | S | W: "┼",
}
"""Box-drawing character for the set of directions a line leaves a cell in."""

NODE_STYLES = ("current", "selected", "done", "pending", "highlight")
EDGE_STYLES = ("active", "done", "pending", "highlight")
_EDGE_PRIORITY = {"pending": 0, "done": 1, "highlight": 2, "active": 3}
"""Where edges share cells (a fan-out trunk), the higher style wins."""


# --- the input: what to draw ------------------------------------------------


@dataclass(frozen=True)
class NodeSpec:
    """One box: ``title`` is the node's name, ``subtitle`` its op (``×``, ``sigmoid``)."""

    key: str
    title: str
    subtitle: str = ""
    kind: str = "op"
    """``input``, ``param``, ``const``, ``op`` or ``group``."""


@dataclass(frozen=True)
class EdgeSpec:
    """``source`` feeds input number ``position`` of ``target``."""

    source: str
    target: str
    position: int = 0


@dataclass(frozen=True)
class GraphSpec:
    """Nodes in topological order (the author's order) and the edges between them."""

    nodes: tuple[NodeSpec, ...]
    edges: tuple[EdgeSpec, ...]


# --- the output: where things are ---------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        """Column of the right border."""
        return self.x + self.w - 1

    @property
    def bottom(self) -> int:
        """Row of the bottom border."""
        return self.y + self.h - 1

    def contains(self, x: int, y: int) -> bool:
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h


@dataclass(frozen=True)
class Slot:
    """Room for one label: ``w`` cells from column ``x`` on row ``y``."""

    x: int
    y: int
    w: int


Point = tuple[int, int]


@dataclass
class Layout:
    """Where every box, line and label goes. Deterministic for a given spec."""

    width: int
    height: int
    value_width: int
    nodes: dict[str, NodeSpec]
    boxes: dict[str, Rect]
    layers: tuple[tuple[str, ...], ...]
    """Node keys per layer, left to right, each top to bottom."""
    layer_of: dict[str, int]
    out_ports: dict[str, Point]
    """Right-border cell where a node's outgoing lines start (nodes with consumers only)."""
    in_ports: dict[tuple[str, int], Point]
    """Left-border cell of input ``position`` of a node."""
    routes: dict[EdgeSpec, tuple[Point, ...]]
    """Corners of each edge's line, from the source's out port to the target's in port
    (both on box borders); consecutive points share a row or a column."""
    arrows: dict[EdgeSpec, Point]
    """The arrow-head cell, just left of the target's in port."""
    value_slots: dict[EdgeSpec, Slot]
    grad_slots: dict[EdgeSpec, Slot]
    _titles: dict[str, tuple[int, int]] = field(repr=False, default_factory=dict)
    """Key -> (first column, cells) of the title text."""
    _edge_segments: dict[EdgeSpec, tuple[tuple[int, int, int, int], ...]] = field(
        repr=False, default_factory=dict
    )
    """Cells of each edge's line to colour: (x0, y0, x1, y1) inclusive, axis-aligned."""
    _tiles: dict[tuple[int, int], _Tile] = field(repr=False, default_factory=dict)
    """What touches each tile of the canvas (``TILE_W`` x ``TILE_H`` cells), by tile column and row."""
    _static: dict[tuple[int, int], list[list[str]]] = field(repr=False, default_factory=dict)
    """Static characters of each tile drawn so far; "" marks the right half of a wide char."""
    _edge_order: dict[EdgeSpec, int] = field(repr=False, default_factory=dict)
    _box_order: dict[str, int] = field(repr=False, default_factory=dict)

    def node_at(self, x: int, y: int) -> str | None:
        """The node whose box covers cell (x, y), if any."""
        for key, box in self.boxes.items():
            if box.contains(x, y):
                return key
        return None


@dataclass
class RenderState:
    """Everything that changes from one step to the next."""

    values: dict[str, str] = field(default_factory=dict)
    grads: dict[str, str] = field(default_factory=dict)
    edge_value: dict[EdgeSpec, str] = field(default_factory=dict)
    edge_grad: dict[EdgeSpec, str] = field(default_factory=dict)
    node_style: dict[str, str] = field(default_factory=dict)
    """``current``, ``selected``, ``done`` (default), ``pending`` or ``highlight``."""
    edge_style: dict[EdgeSpec, str] = field(default_factory=dict)
    """``active``, ``done`` (default), ``pending`` or ``highlight``."""


# --- text helpers -------------------------------------------------------------------


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending in ``…`` when cut."""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    out: list[str] = []
    used = 0
    for ch in text:
        cw = cell_len(ch)
        if used + cw > width - 1:
            break
        out.append(ch)
        used += cw
    return "".join(out) + "…"


def _put(chars: list[str], x: int, text: str) -> int:
    """Write ``text`` into a row of cells from column ``x``; return the end column."""
    for ch in text:
        cw = cell_len(ch)
        if cw <= 0:
            continue
        chars[x] = ch
        if cw == 2:
            chars[x + 1] = ""
        x += cw
    return x


def _centered(chars: list[str], x: int, width: int, text: str) -> tuple[int, int]:
    """Centre ``text`` (already fitted) in ``width`` cells from ``x``; return its span."""
    tw = cell_len(text)
    start = x + (width - tw) // 2
    return start, _put(chars, start, text)


# --- layout -------------------------------------------------------------------------


class _Items:
    """Real nodes and dummy waypoints, as parallel lists indexed by item id."""

    def __init__(self) -> None:
        self.layer: list[int] = []
        self.height: list[int] = []
        self.out_off: list[int] = []
        self.in_offs: list[list[int]] = []
        self.rank: list[float] = []
        self.dummy: list[bool] = []
        self.preds: list[list[tuple[int, int]]] = []
        self.succs: list[list[tuple[int, int]]] = []

    def add(self, layer: int, height: int, out_off: int, in_offs: list[int], rank: float, dummy: bool) -> int:
        self.layer.append(layer)
        self.height.append(height)
        self.out_off.append(out_off)
        self.in_offs.append(in_offs)
        self.rank.append(rank)
        self.dummy.append(dummy)
        self.preds.append([])
        self.succs.append([])
        return len(self.layer) - 1


def _box_size(node: NodeSpec, ports: int, value_width: int) -> tuple[int, int]:
    w = max(cell_len(node.title), cell_len(node.subtitle), value_width) + 4
    h = max(MIN_HEIGHT, PORT_STEP * ports)
    return w, h


def _in_offsets(ports: int, h: int, out_off: int) -> list[int]:
    if ports == 1:
        return [out_off]
    return [1 + PORT_STEP * p for p in range(ports)]


def _layers(spec: GraphSpec, index: dict[str, int]) -> list[int]:
    n = len(spec.nodes)
    inputs: list[list[int]] = [[] for _ in range(n)]
    consumers: list[list[int]] = [[] for _ in range(n)]
    for e in spec.edges:
        s, t = index[e.source], index[e.target]
        inputs[t].append(s)
        consumers[s].append(t)
    layer = [0] * n
    for i in range(n):
        if inputs[i]:
            layer[i] = 1 + max(layer[s] for s in inputs[i])
    for i in range(n):
        if not inputs[i] and consumers[i]:
            layer[i] = min(layer[c] for c in consumers[i]) - 1
    return layer


def _count_crossings(pairs: list[tuple[int, tuple[int, int]]]) -> int:
    """Pairs of connections (upper position, lower position) that cross."""
    if len(pairs) < 2:
        return 0
    pairs.sort()
    ranks = {b: r for r, b in enumerate(sorted({b for _, b in pairs}), start=1)}
    size = len(ranks)
    tree = [0] * (size + 1)
    crossings = 0
    seen = 0
    for _, b in pairs:
        r = ranks[b]
        # count earlier entries with rank > r
        i, le = r, 0
        while i > 0:
            le += tree[i]
            i -= i & -i
        crossings += seen - le
        seen += 1
        i = r
        while i <= size:
            tree[i] += 1
            i += i & -i
    return crossings


def _order(items: _Items, order: list[list[int]], iterations: int = 8) -> list[list[int]]:
    """Barycenter sweeps (down and up) keeping the order with the fewest crossings."""
    nl = len(order)
    pos = [0] * len(items.layer)
    nports = [max(1, len(offs)) for offs in items.in_offs]

    def index(layers: list[list[int]]) -> None:
        for row in layers:
            for p, it in enumerate(row):
                pos[it] = p

    def crossings(layers: list[list[int]]) -> int:
        total = 0
        for i in range(nl - 1):
            pairs = [(pos[u], (pos[w], p)) for u in layers[i] for w, p in items.succs[u]]
            total += _count_crossings(pairs)
        return total

    index(order)
    best = [row[:] for row in order]
    best_count = crossings(order)
    if best_count == 0:
        return best
    stale = 0
    rank = items.rank
    def from_above(it: int, size_prev: int) -> float | None:
        ps = items.preds[it]
        return sum(pos[u] + 0.5 for u, _ in ps) / (len(ps) * size_prev) if ps else None

    def from_below(it: int, size_next: int) -> float | None:
        ss = items.succs[it]
        return sum(pos[w] + (q + 1) / (nports[w] + 1) for w, q in ss) / (len(ss) * size_next) if ss else None

    def resort(i: int, neighbour: int, barycenter) -> None:  # noqa: ANN001 - one of the two above
        """Reorder layer i by barycenter against layer ``neighbour``; items without
        neighbours there keep their relative place."""
        size, size_other = len(order[i]), len(order[neighbour])
        keyed = []
        for p, it in enumerate(order[i]):
            b = barycenter(it, size_other)
            keyed.append(((p + 0.5) / size if b is None else b, rank[it], it))
        keyed.sort()
        order[i] = [it for _, _, it in keyed]
        for p, it in enumerate(order[i]):
            pos[it] = p

    for _ in range(iterations):
        for i in range(1, nl):
            resort(i, i - 1, from_above)
        for i in range(nl - 2, -1, -1):
            resort(i, i + 1, from_below)
        count = crossings(order)
        if count < best_count:
            best_count = count
            best = [row[:] for row in order]
            stale = 0
        else:
            stale += 1
        if best_count == 0 or stale >= 2:
            break
    return best


def _isotonic(targets: list[float], weights: list[float]) -> list[float]:
    """Weighted least-squares non-decreasing fit (pool adjacent violators)."""
    vals: list[float] = []
    wts: list[float] = []
    counts: list[int] = []
    for t, w in zip(targets, weights):
        v, ww, c = t, w, 1
        while vals and vals[-1] > v:
            pv, pw, pc = vals.pop(), wts.pop(), counts.pop()
            v = (pv * pw + v * ww) / (pw + ww)
            ww += pw
            c += pc
        vals.append(v)
        wts.append(ww)
        counts.append(c)
    out: list[float] = []
    for v, c in zip(vals, counts):
        out.extend([v] * c)
    return out


def _place_rows(items: _Items, order: list[list[int]], sweeps: int = 6) -> list[int]:
    """Top row of every item: keep each layer's order and gaps, straighten edges."""
    y = [0] * len(items.layer)
    offsets: list[list[int]] = []
    for row in order:
        offs = []
        at = 0
        for it in row:
            offs.append(at)
            y[it] = at
            at += items.height[it] + ROW_GAP
        offsets.append(offs)

    dummy = items.dummy
    out_off = items.out_off
    in_offs = items.in_offs

    def weight(a: int, b: int) -> float:
        if dummy[a] and dummy[b]:
            return 8.0
        if dummy[a] or dummy[b]:
            return 2.0
        return 1.0

    # Each item's neighbours with their weights and fixed offsets, worked out once for every sweep:
    # a predecessor u pulls item it towards y[u] + out_off[u] - in_offs[it][p], a successor likewise.
    pulls_down = [
        [(u, weight(u, it), out_off[u] - in_offs[it][p]) for u, p in items.preds[it]] for it in range(len(y))
    ]
    pulls_up = [
        [(v, weight(it, v), in_offs[v][p] - out_off[it]) for v, p in items.succs[it]] for it in range(len(y))
    ]

    def place(i: int, down: bool, up: bool) -> None:
        row = order[i]
        targets = []
        weights = []
        for it, off in zip(row, offsets[i]):
            total = 0.0
            wsum = 0.0
            if down:
                for u, w, shift in pulls_down[it]:
                    total += w * (y[u] + shift)
                    wsum += w
            if up:
                for v, w, shift in pulls_up[it]:
                    total += w * (y[v] + shift)
                    wsum += w
            if wsum == 0:
                targets.append(y[it] - off)
                weights.append(1e-3)
            else:
                targets.append(total / wsum - off)
                weights.append(wsum)
        fitted = _isotonic(targets, weights)
        for it, off, z in zip(row, offsets[i], fitted):
            y[it] = math.floor(z + 0.5) + off

    nl = len(order)
    for _ in range(sweeps):
        for i in range(1, nl):
            place(i, True, False)
        for i in range(nl - 2, -1, -1):
            place(i, False, True)
    for _ in range(2):
        for i in range(nl):
            place(i, True, True)
    top = min(y) if y else 0
    return [v - top + MARGIN for v in y]


@dataclass
class _Gap:
    """Routing of one channel between layer ``i`` and ``i + 1``."""

    track: dict[int, int] = field(default_factory=dict)
    """Source item -> its vertical track."""
    detour: dict[tuple[int, int, int], tuple[int, int]] = field(default_factory=dict)
    """(source, target, port) -> (free row, jog track) for a line that must dodge."""
    tracks: int = 0


def _route_gap(sources: list[tuple[int, int, list[tuple[int, int, int]]]], rank: list[float]) -> _Gap:
    """Give each source that needs one a vertical track.

    ``sources``: (source item, its out row, [(target item, port, in row)]).
    Two tracks whose vertical spans meet never share a column. A source whose
    out row is another source's target row must be left of that one (or its
    horizontal would run into the other's); when those rules form a cycle,
    the offending line jogs through a free row to an extra track on the right.
    """
    gap = _Gap()
    need = [(u, s, ts) for u, s, ts in sources if any(t != s for _, _, t in ts)]
    if not need:
        return gap
    used_rows: set[int] = set()
    for _, s, ts in sources:
        used_rows.add(s)
        for _, _, t in ts:
            used_rows.add(t)
    row_source = {s: u for u, s, _ in need}
    src_row = {u: s for u, s, _ in need}
    targets = {u: ts for u, _, ts in need}

    def key(u: int) -> tuple[int, int, float]:
        s = src_row[u]
        rows = [t for _, _, t in targets[u]]
        if all(t >= s for t in rows):
            return (0, -s, rank[u])  # going down: lower sources further left
        if all(t <= s for t in rows):
            return (2, s, rank[u])  # going up: higher sources further left
        return (1, s, rank[u])

    # constraints: a -> b means a's track must be left of b's
    incoming: dict[int, list[int]] = {u: [] for u, _, _ in need}
    outgoing: dict[int, list[int]] = {u: [] for u, _, _ in need}
    for b, _, ts in need:
        for _, _, t in ts:
            a = row_source.get(t)
            if a is not None and a != b:
                incoming[b].append(a)
                outgoing[a].append(b)
    indeg = {u: len(incoming[u]) for u in incoming}
    removed: set[tuple[int, int]] = set()
    heap = [(key(u), u) for u in incoming if indeg[u] == 0]
    heapq.heapify(heap)
    done: set[int] = set()
    topo: list[int] = []
    jogs: list[tuple[int, int, int, int]] = []  # (source, target, port, free row)
    while len(topo) < len(need):
        if not heap:
            # a cycle: free the first remaining source by detouring its blocked lines
            b = min((u for u in incoming if u not in done), key=key)
            for a in incoming[b]:
                if a in done or (a, b) in removed:
                    continue
                removed.add((a, b))
                indeg[b] -= 1
                blocked = src_row[a]
                for w, p, t in targets[b]:
                    if t == blocked:
                        f = _free_row(t, src_row[b], used_rows)
                        used_rows.add(f)
                        jogs.append((b, w, p, f))
            heapq.heappush(heap, (key(b), b))
        _, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        topo.append(u)
        for b in outgoing[u]:
            if (u, b) in removed:
                continue
            indeg[b] -= 1
            if indeg[b] == 0:
                heapq.heappush(heap, (key(b), b))

    jogged = {(b, w, p): f for b, w, p, f in jogs}
    placed: list[tuple[int, int, int]] = []
    for u in topo:
        s = src_row[u]
        rows = [s]
        for w, p, t in targets[u]:
            f = jogged.get((u, w, p))
            rows.append(t if f is None else f)
        lo, hi = min(rows), max(rows)
        track = 0
        for plo, phi, ptrack in placed:
            if plo <= hi and lo <= phi and ptrack >= track:
                track = ptrack + 1
        placed.append((lo, hi, track))
        gap.track[u] = track
    normal = 1 + max(t for _, _, t in placed)
    placed = []
    for b, w, p, f in jogs:
        t = next(t for ww, pp, t in targets[b] if ww == w and pp == p)
        lo, hi = min(f, t), max(f, t)
        track = normal
        for plo, phi, ptrack in placed:
            if plo <= hi and lo <= phi and ptrack >= track:
                track = ptrack + 1
        placed.append((lo, hi, track))
        gap.detour[(b, w, p)] = (f, track)
    gap.tracks = max([normal] + [t + 1 for _, _, t in placed])
    return gap


def _free_row(t: int, s: int, used: set[int]) -> int:
    """A row near ``t`` (towards ``s`` first) that no line of the channel uses."""
    toward = -1 if s < t else 1
    for d in range(1, 10_000):
        for f in (t + toward * d, t - toward * d):
            if f >= MARGIN and f not in used:
                return f
    raise AssertionError("no free row")  # pragma: no cover


def _simplify(points: list[Point]) -> tuple[Point, ...]:
    out: list[Point] = []
    for p in points:
        if out and out[-1] == p:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            if (ax == bx == p[0]) or (ay == by == p[1]):
                out[-1] = p
                continue
        out.append(p)
    return tuple(out)


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
    layer = _layers(spec, index)
    nports = [0] * n
    for e in spec.edges:
        t = index[e.target]
        nports[t] = max(nports[t], e.position + 1)
    has_out = [False] * n
    for e in spec.edges:
        has_out[index[e.source]] = True

    items = _Items()
    sizes: list[tuple[int, int]] = []
    for i, node in enumerate(spec.nodes):
        w, h = _box_size(node, nports[i], value_width)
        sizes.append((w, h))
        out_off = (h - 1) // 2
        items.add(layer[i], h, out_off, _in_offsets(nports[i], h, out_off), float(i), False)

    dummies: dict[tuple[int, int], int] = {}
    conns: dict[tuple[int, int, int], None] = {}
    chains: dict[EdgeSpec, list[tuple[int, int, int]]] = {}
    for e in spec.edges:
        s, t = index[e.source], index[e.target]
        hops = []
        prev = s
        for mid in range(layer[s] + 1, layer[t]):
            d = dummies.get((s, mid))
            if d is None:
                d = items.add(mid, 1, 0, [0], s + 0.5, True)
                dummies[(s, mid)] = d
            hops.append((prev, d, 0))
            prev = d
        hops.append((prev, t, e.position))
        chains[e] = hops
        for hop in hops:
            if hop not in conns:
                conns[hop] = None
                u, v, p = hop
                items.succs[u].append((v, p))
                items.preds[v].append((u, p))

    nl = (max(layer) + 1) if n else 0
    order: list[list[int]] = [[] for _ in range(nl)]
    for it in sorted(range(len(items.layer)), key=lambda it: items.rank[it]):
        order[items.layer[it]].append(it)
    order = _order(items, order)
    y = _place_rows(items, order)

    def out_row(it: int) -> int:
        return y[it] + items.out_off[it]

    def in_row(it: int, p: int) -> int:
        return y[it] + items.in_offs[it][p]

    # channels between layers
    gaps: list[_Gap] = []
    for i in range(nl - 1):
        sources = []
        for u in order[i]:
            if items.succs[u]:
                sources.append((u, out_row(u), [(w, p, in_row(w, p)) for w, p in items.succs[u]]))
        gaps.append(_route_gap(sources, items.rank))

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

    def track_x(i: int, t: int) -> int:
        return col_x[i] + col_w[i] + 1 + TRACK_STEP * t

    keys = [node.key for node in spec.nodes]
    boxes: dict[str, Rect] = {}
    for i in range(n):
        boxes[keys[i]] = Rect(col_x[layer[i]], y[i], sizes[i][0], sizes[i][1])
    height = max((y[it] + items.height[it] for it in range(len(y))), default=0) + MARGIN
    height = max(height, 2 * MARGIN)

    out_ports = {keys[i]: (boxes[keys[i]].right, out_row(i)) for i in range(n) if has_out[i]}
    in_ports = {
        (keys[i], p): (boxes[keys[i]].x, in_row(i, p)) for i in range(n) for p in range(nports[i])
    }

    routes: dict[EdgeSpec, tuple[Point, ...]] = {}
    arrows: dict[EdgeSpec, Point] = {}
    value_slots: dict[EdgeSpec, Slot] = {}
    grad_slots: dict[EdgeSpec, Slot] = {}
    for e, hops in chains.items():
        pts: list[Point] = [out_ports[e.source]]
        for u, v, p in hops:
            i = items.layer[u]
            sr, tr = out_row(u), in_row(v, p)
            jog = gaps[i].detour.get((u, v, p))
            if jog is not None:
                f, jt = jog
                tx, jx = track_x(i, gaps[i].track[u]), track_x(i, jt)
                pts += [(tx, sr), (tx, f), (jx, f), (jx, tr)]
            elif sr != tr:
                tx = track_x(i, gaps[i].track[u])
                pts += [(tx, sr), (tx, tr)]
        end = in_ports[(e.target, e.position)]
        pts.append(end)
        routes[e] = _simplify(pts)
        arrows[e] = (end[0] - 1, end[1])
        lx = end[0] - 1 - label_w
        value_slots[e] = Slot(lx, end[1] - 1, label_w)
        grad_slots[e] = Slot(lx, end[1] + 1, label_w)

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
    _draw_static(result)
    return result


def _segments(route: tuple[Point, ...]) -> list[tuple[int, int, int, int]]:
    """The route's cells minus the two border cells, as inclusive axis-aligned runs."""
    segs = []
    last = len(route) - 2
    for k in range(len(route) - 1):
        (x0, y0), (x1, y1) = route[k], route[k + 1]
        if k == 0:
            x0 += 1  # leave the out port (a border cell) alone
        if k == last:
            x1 -= 1  # and the in port
        if x0 > x1 or y0 > y1:
            x0, x1 = min(x0, x1), max(x0, x1)
            y0, y1 = min(y0, y1), max(y0, y1)
        segs.append((x0, y0, x1, y1))
    return segs


TILE_W = 128
"""Canvas columns per tile: drawing work is done per tile, only for tiles in view."""
TILE_H = 32
"""Canvas rows per tile."""


@dataclass
class _Tile:
    """Everything drawn in one tile, in drawing order (each list in the layout's own order)."""

    lines: list[tuple[Point, Point]] = field(default_factory=list)
    arrows: list[Point] = field(default_factory=list)
    boxes: list[str] = field(default_factory=list)
    ports: list[Point] = field(default_factory=list)
    edges: list[EdgeSpec] = field(default_factory=list)
    """Edges with a line cell or a label slot here, in route order."""


def _draw_static(lay: Layout) -> None:
    """Index lines, arrow heads, boxes and ports by tile; tiles are drawn when first rendered.

    The work here is proportional to the number of boxes and line corners
    (plus one entry per tile a long line crosses), not to the canvas area.
    """
    tiles: dict[tuple[int, int], _Tile] = {}

    def tile(tx: int, ty: int) -> _Tile:
        t = tiles.get((tx, ty))
        if t is None:
            t = tiles[(tx, ty)] = _Tile()
        return t

    def covering(x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
        """Tiles touched by the cells from (x0, y0) to (x1, y1), any corner order."""
        tx0, tx1 = sorted((x0 // TILE_W, x1 // TILE_W))
        ty0, ty1 = sorted((y0 // TILE_H, y1 // TILE_H))
        if tx0 == tx1 and ty0 == ty1:
            return [(tx0, ty0)]
        return [(tx, ty) for ty in range(ty0, ty1 + 1) for tx in range(tx0, tx1 + 1)]

    seen: set[tuple[Point, Point]] = set()
    for route in lay.routes.values():
        for k in range(len(route) - 1):
            a, b = route[k], route[k + 1]
            if (a, b) in seen:
                continue
            seen.add((a, b))
            for key in covering(a[0], a[1], b[0], b[1]):
                tile(*key).lines.append((a, b))
    for x, yy in lay.arrows.values():
        tile(x // TILE_W, yy // TILE_H).arrows.append((x, yy))
    for key, box in lay.boxes.items():
        for cell in covering(box.x, box.y, box.right, box.bottom):
            tile(*cell).boxes.append(key)
    for x, yy in lay.out_ports.values():
        tile(x // TILE_W, yy // TILE_H).ports.append((x, yy))
    lay._titles = {}
    for key, box in lay.boxes.items():
        inner = box.w - 4
        tw = cell_len(fit(lay.nodes[key].title, inner))
        lay._titles[key] = (box.x + 2 + (inner - tw) // 2, tw)
    lay._edge_segments = {e: tuple(_segments(r)) for e, r in lay.routes.items()}
    value_slots, grad_slots = lay.value_slots, lay.grad_slots
    for e, segs in lay._edge_segments.items():
        touched: dict[tuple[int, int], None] = {}
        for x0, y0, x1, y1 in segs:
            touched.update(dict.fromkeys(covering(x0, y0, x1, y1)))
        for slot in (value_slots.get(e), grad_slots.get(e)):
            if slot is not None:
                touched.update(dict.fromkeys(covering(slot.x, slot.y, slot.x + slot.w - 1, slot.y)))
        for key in touched:
            tile(*key).edges.append(e)
    lay._tiles = tiles
    lay._static = {}
    lay._edge_order = {e: k for k, e in enumerate(lay.routes)}
    lay._box_order = {key: k for k, key in enumerate(lay.boxes)}


def _put_clipped(chars: list[str], left: int, x: int, text: str) -> int:
    """``_put`` into a row holding canvas columns ``left`` onwards; cells outside are skipped."""
    size = len(chars)
    for ch in text:
        cw = cell_len(ch)
        if cw <= 0:
            continue
        at = x - left
        if 0 <= at < size:
            chars[at] = ch
        if cw == 2 and 0 <= at + 1 < size:
            chars[at + 1] = ""
        x += cw
    return x


def _centered_clipped(chars: list[str], left: int, x: int, width: int, text: str) -> tuple[int, int]:
    """``_centered`` into a row holding canvas columns ``left`` onwards; returns the canvas span."""
    tw = cell_len(text)
    start = x + (width - tw) // 2
    return start, _put_clipped(chars, left, start, text)


def _static_tile(lay: Layout, tx: int, ty: int) -> list[list[str]]:
    """The static characters of one tile (lines with their joins, arrow heads, boxes, titles)."""
    cached = lay._static.get((tx, ty))
    if cached is not None:
        return cached
    left, top = tx * TILE_W, ty * TILE_H
    w = max(0, min(TILE_W, lay.width - left))
    h = max(0, min(TILE_H, lay.height - top))
    content = lay._tiles.get((tx, ty))
    if content is None:
        grid = [[" "] * w for _ in range(h)]
        lay._static[(tx, ty)] = grid
        return grid
    masks = [0] * (w * h)
    right, bottom = left + w - 1, top + h - 1
    for (x0, y0), (x1, y1) in content.lines:
        if y0 == y1:
            if not top <= y0 <= bottom:
                continue
            lo, hi = (x0, x1) if x0 < x1 else (x1, x0)
            base = (y0 - top) * w - left
            for x in range(max(lo, left), min(hi - 1, right) + 1):
                masks[base + x] |= E
            for x in range(max(lo + 1, left), min(hi, right) + 1):
                masks[base + x] |= W
        else:
            if not left <= x0 <= right:
                continue
            lo, hi = (y0, y1) if y0 < y1 else (y1, y0)
            col = x0 - left
            for yy in range(max(lo, top), min(hi - 1, bottom) + 1):
                masks[(yy - top) * w + col] |= S
            for yy in range(max(lo + 1, top), min(hi, bottom) + 1):
                masks[(yy - top) * w + col] |= N
    join = [JOIN[m] for m in range(16)]
    grid = [list(map(join.__getitem__, masks[r * w : (r + 1) * w])) for r in range(h)]
    for x, yy in content.arrows:
        grid[yy - top][x - left] = ARROW
    for key in content.boxes:
        box = lay.boxes[key]
        node = lay.nodes[key]
        a, b = max(box.x, left), min(box.x + box.w, left + w)
        for yy in range(max(box.y, top), min(box.y + box.h, top + h)):
            row = grid[yy - top]
            if yy in (box.y, box.bottom):
                row[a - left : b - left] = ["─"] * (b - a)
                ends = ("┌", "┐") if yy == box.y else ("└", "┘")
            else:
                row[a - left : b - left] = [" "] * (b - a)
                ends = ("│", "│")
            if box.x >= left:
                row[box.x - left] = ends[0]
            if box.right < left + w:
                row[box.right - left] = ends[1]
        inner = box.w - 4
        for yy, text in ((box.y + 1, node.title), (box.y + 2, node.subtitle)):
            if top <= yy <= bottom:
                _centered_clipped(grid[yy - top], left, box.x + 2, inner, fit(text, inner))
    for x, yy in content.ports:
        grid[yy - top][x - left] = OUT_PORT
    lay._static[(tx, ty)] = grid
    return grid


# --- rendering ------------------------------------------------------------------


_RUN_PATTERNS: dict[int, re.Pattern[bytes]] = {}


def _runs_pattern(count: int) -> re.Pattern[bytes]:
    """Matches one run of equal style codes 0 .. count-1 (much faster than a backreference)."""
    pattern = _RUN_PATTERNS.get(count)
    if pattern is None:
        pattern = re.compile(b"|".join(re.escape(bytes((i,))) + b"+" for i in range(count)))
        _RUN_PATTERNS[count] = pattern
    return pattern


def render(
    lay: Layout,
    state: RenderState,
    top: int = 0,
    bottom: int | None = None,
    left: int = 0,
    right: int | None = None,
) -> list[list[tuple[str, str]]]:
    """The canvas for one step: per row, runs of (text, style name) filling ``lay.width`` cells.

    ``top`` and ``bottom``, ``left`` and ``right`` (exclusive) limit the work
    to that window, e.g. the visible part of a scrolled view; the result then
    holds only those rows, each ``right - left`` cells wide (a wide character
    cut by the window's edge shows as a blank). The work depends on what lies
    in the window, not on the size of the graph. The state's mappings are only
    looked up (``get``) for the nodes and edges in the window.
    """
    bottom = lay.height if bottom is None else min(bottom, lay.height)
    top = max(0, top)
    right = lay.width if right is None else min(right, lay.width)
    left = max(0, left)
    if bottom <= top or right <= left:
        return [] if bottom <= top else [[] for _ in range(top, bottom)]
    width = right - left
    names: list[str] = [""]
    ids: dict[str, int] = {"": 0}

    def sid(name: str) -> int:
        i = ids.get(name)
        if i is None:
            i = ids[name] = len(names)
            if i > 255:
                raise ValueError("too many distinct style names")
            names.append(name)
        return i

    # the static characters of the window, copied from the tiles it overlaps
    txs = range(left // TILE_W, (right - 1) // TILE_W + 1)
    tys = range(top // TILE_H, (bottom - 1) // TILE_H + 1)
    chars: list[list[str]] = []
    for ty in tys:
        tiles = [_static_tile(lay, tx, ty) for tx in txs]
        r0, r1 = max(top, ty * TILE_H), min(bottom, (ty + 1) * TILE_H)
        a = left - txs[0] * TILE_W
        for yy in range(r0, r1):
            r = yy - ty * TILE_H
            if len(tiles) == 1:
                row = tiles[0][r][a : a + width]
            else:
                row = [cell for grid in tiles for cell in grid[r]][a : a + width]
            chars.append(row)

    # what the window touches, each once, in the layout's order
    boxes: dict[str, None] = {}
    edges: dict[EdgeSpec, None] = {}
    for ty in tys:
        for tx in txs:
            content = lay._tiles.get((tx, ty))
            if content is not None:
                boxes.update(dict.fromkeys(content.boxes))
                edges.update(dict.fromkeys(content.edges))
    if len(txs) * len(tys) > 1:
        order = lay._edge_order
        edge_list = sorted(edges, key=order.__getitem__)
        box_order = lay._box_order
        box_list = sorted(boxes, key=box_order.__getitem__)
    else:
        edge_list, box_list = list(edges), list(boxes)

    styles = [bytearray(width) for _ in range(bottom - top)]

    # lines, lowest priority first so shared cells take the strongest style
    by_style: dict[str, list[EdgeSpec]] = {}
    edge_style = state.edge_style
    style_of: dict[EdgeSpec, str] = {}
    for e in edge_list:
        style = style_of[e] = edge_style.get(e, "done")
        by_style.setdefault(style, []).append(e)
    for style in sorted(by_style, key=lambda s: _EDGE_PRIORITY.get(s, 1)):
        code = sid("edge." + style)
        one = bytes((code,))
        painted: set[tuple[int, int, int, int]] = set()
        for e in by_style[style]:
            for seg in lay._edge_segments[e]:
                if seg in painted:
                    continue
                painted.add(seg)
                x0, y0, x1, y1 = seg
                if y0 == y1:
                    if top <= y0 < bottom:
                        a, b = max(x0, left), min(x1 + 1, right)
                        if a < b:
                            styles[y0 - top][a - left : b - left] = one * (b - a)
                elif left <= x0 < right and y1 >= top and y0 < bottom:
                    col = x0 - left
                    for row in styles[max(y0, top) - top : min(y1 + 1, bottom) - top]:
                        row[col] = code

    def paint(yy: int, a: int, b: int, code: int) -> None:
        a, b = max(a, left), min(b, right)
        if a < b:
            styles[yy - top][a - left : b - left] = bytes((code,)) * (b - a)

    # labels above and below each edge's last horizontal run
    for labels, slots, prefix in (
        (state.edge_value, lay.value_slots, "value."),
        (state.edge_grad, lay.grad_slots, "grad."),
    ):
        for e in edge_list:
            slot = slots.get(e)
            if slot is None or not top <= slot.y < bottom:
                continue
            text = labels.get(e)
            if not text:
                continue
            a, b = _centered_clipped(chars[slot.y - top], left, slot.x, slot.w, fit(text, slot.w))
            paint(slot.y, a, b, sid(prefix + style_of[e]))

    # boxes
    node_style = state.node_style
    for key in box_list:
        box = lay.boxes[key]
        ns = node_style.get(key, "done")
        border = sid("box." + ns)
        text_code = sid("text." + ns)
        x0, x1 = box.x, box.x + box.w
        for yy in range(max(box.y, top), min(box.y + box.h, bottom)):
            if yy in (box.y, box.bottom):
                paint(yy, x0, x1, border)
            else:
                paint(yy, x0, x1, text_code)
                paint(yy, x0, x0 + 1, border)
                paint(yy, x1 - 1, x1, border)
        tx, tw = lay._titles[key]
        if top <= box.y + 1 < bottom:
            paint(box.y + 1, tx, tx + tw, sid("title." + ns))
        inner = box.w - 4
        for yy, text in ((box.y + 3, state.values.get(key)), (box.y + 4, state.grads.get(key))):
            if text and top <= yy < bottom:
                _centered_clipped(chars[yy - top], left, box.x + 2, inner, fit(text, inner))

    rows: list[list[tuple[str, str]]] = []
    finditer = _runs_pattern(len(names)).finditer
    for srow, crow in zip(styles, chars):
        if crow and crow[0] == "":
            crow[0] = " "  # the left half of this wide character lies outside the window
        if crow and right < lay.width and crow[-1] != "" and cell_len(crow[-1]) == 2:
            crow[-1] = " "  # and the right half of this one
        if "" in crow:
            rows.append([("".join(crow[a:b]), names[srow[a]]) for a, b in (m.span() for m in finditer(srow))])
            continue
        line = "".join(crow)
        rows.append([(line[a:b], names[srow[a]]) for a, b in (m.span() for m in finditer(srow))])
    return rows


def plain(rows: list[list[tuple[str, str]]]) -> str:
    """The rendered canvas as plain text (styles dropped)."""
    return "\n".join("".join(text for text, _ in runs).rstrip() for runs in rows)


def render_text(lay: Layout, state: RenderState | None = None) -> str:
    """Plain-text drawing, e.g. for snapshots and ``python -m tutor.draw.layout``."""
    return plain(render(lay, state or RenderState()))


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
