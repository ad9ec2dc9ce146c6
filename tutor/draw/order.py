"""Layering and ordering: which column each node goes in, and the order within a column.

Layers by longest path from the leaves (a leaf sits just left of its first
consumer); the layout adds a dummy waypoint in every layer a long edge
crosses; then barycenter sweeps (down and up) reorder each layer to cut edge
crossings. Nothing depends on set or hash order.
"""

from __future__ import annotations

from tutor.draw.specs import EdgeSpec, GraphSpec

Hop = tuple[int, int, int]
"""One connection between items of adjacent layers: (source item, target item, target's input port)."""


class Items:
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


def longest_path_layers(spec: GraphSpec, index: dict[str, int]) -> list[int]:
    """Each node's column: one past its deepest input; leaves just left of their nearest consumer."""
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


def chain_and_order(
    items: Items, edges: tuple[EdgeSpec, ...], index: dict[str, int], layer: list[int], dummy_height: int
) -> tuple[dict[EdgeSpec, list[Hop]], list[list[int]]]:
    """Connect the items along every edge and order the layers.

    An edge spanning several layers gets a dummy waypoint (``dummy_height``
    rows) in each layer between; the edges of one source share its
    waypoints. Returns each edge's hops, source to target, and the items of
    each layer in order (see ``order_layers``). ``items`` holds the real
    nodes, item ``i`` being node ``i``; the waypoints are added to it.
    """
    dummies: dict[tuple[int, int], int] = {}
    conns: set[Hop] = set()
    chains: dict[EdgeSpec, list[Hop]] = {}
    add = items.add
    succs, preds = items.succs, items.preds
    for e in edges:
        s, t = index[e.source], index[e.target]
        hops = []
        prev = s
        for mid in range(layer[s] + 1, layer[t]):
            d = dummies.get((s, mid))
            if d is None:
                d = dummies[(s, mid)] = add(mid, dummy_height, 0, [0], s + 0.5, True)
            hops.append((prev, d, 0))
            prev = d
        hops.append((prev, t, e.position))
        chains[e] = hops
        for hop in hops:
            if hop not in conns:
                conns.add(hop)
                u, v, p = hop
                succs[u].append((v, p))
                preds[v].append((u, p))
    nl = (max(layer) + 1) if layer else 0
    order: list[list[int]] = [[] for _ in range(nl)]
    rank = items.rank
    for it in sorted(range(len(items.layer)), key=rank.__getitem__):
        order[items.layer[it]].append(it)
    return chains, order_layers(items, order)


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


def order_layers(items: Items, order: list[list[int]], iterations: int = 8) -> list[list[int]]:
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
