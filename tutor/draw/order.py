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


def _inversions(lows: list[tuple[int, int]]) -> int:
    """Pairs of connections that cross, given their lower ends (position, port) in the order of their upper ends."""
    if len(lows) <= 16:
        # Few connections (most channels): count the inversions directly.
        crossings = 0
        for j in range(1, len(lows)):
            b = lows[j]
            for k in range(j):
                if lows[k] > b:
                    crossings += 1
        return crossings
    ranks = {b: r for r, b in enumerate(sorted(set(lows)), start=1)}
    size = len(ranks)
    tree = [0] * (size + 1)
    crossings = 0
    seen = 0
    for b in lows:
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


SWEEP_BUDGET = 8_000
"""Items times sweeps (down and up) the ordering makes at most: up to 8 sweeps for a
graph of up to 1,000 items (nodes and waypoints), fewer beyond, one from 4,000 on."""


def order_layers(items: Items, order: list[list[int]], iterations: int = 8) -> list[list[int]]:
    """Barycenter sweeps (down and up) keeping the order with the fewest crossings.

    Sweeps stop after two that bring no fewer crossings, or one that brings
    fewer by less than one in a hundred (which needs a hundred crossings or
    more), and a big graph makes fewer (``SWEEP_BUDGET``).
    """
    nl = len(order)
    iterations = max(1, min(iterations, SWEEP_BUDGET // max(1, len(items.layer))))
    pos = [0] * len(items.layer)
    rank = items.rank
    preds = items.preds
    # Each item's successors with the fraction of the target's height its port sits at.
    nports = [max(1, len(offs)) for offs in items.in_offs]
    below = [[(w, (q + 1) / (nports[w] + 1)) for w, q in ss] for ss in items.succs]
    # Per layer, its items' connections to the next layer (their targets and ports).
    succs = items.succs

    for row in order:
        for p, it in enumerate(row):
            pos[it] = p

    counted: list[tuple[list[int], list[int], int] | None] = [None] * nl
    """Per layer i: the orders of layers i and i + 1 when their crossings were last counted, and the count."""

    def crossings() -> int:
        total = 0
        for i in range(nl - 1):
            upper, lower = order[i], order[i + 1]
            known = counted[i]
            if known is not None and known[0] == upper and known[1] == lower:
                total += known[2]  # neither layer moved since (rows are replaced, never changed in place)
                continue
            # The connections' lower ends, in the order of their upper ends (one item's by their own).
            lows: list[tuple[int, int]] = []
            for u in upper:
                ss = succs[u]
                if len(ss) == 1:
                    w, p = ss[0]
                    lows.append((pos[w], p))
                elif ss:
                    lows += sorted([(pos[w], p) for w, p in ss])
            count = _inversions(lows) if len(lows) > 1 else 0
            counted[i] = (upper, lower, count)
            total += count
        return total

    best = [row[:] for row in order]
    best_count = crossings()
    if best_count == 0:
        return best
    stale = 0

    def resort(i: int, keyed: list[tuple[float, float, int]]) -> None:
        keyed.sort()
        row = order[i] = [it for _, _, it in keyed]
        for p, it in enumerate(row):
            pos[it] = p

    # Each layer is reordered by the barycenter of its items' neighbours in the
    # layer above (a down sweep), then below (an up sweep); items without
    # neighbours there keep their relative place.
    for _ in range(iterations):
        for i in range(1, nl):
            row = order[i]
            size, scale = len(row), 0.5 * len(order[i - 1])
            keyed = []
            for p, it in enumerate(row):
                ps = preds[it]
                if not ps:
                    keyed.append(((p + 0.5) / size, rank[it], it))
                elif len(ps) == 1:
                    keyed.append(((pos[ps[0][0]] + 0.5) / (2 * scale), rank[it], it))
                else:
                    total = 0.0
                    for u, _ in ps:
                        total += pos[u] + 0.5
                    keyed.append((total / (len(ps) * 2 * scale), rank[it], it))
            resort(i, keyed)
        for i in range(nl - 2, -1, -1):
            row = order[i]
            size, size_next = len(row), len(order[i + 1])
            keyed = []
            for p, it in enumerate(row):
                ss = below[it]
                if not ss:
                    keyed.append(((p + 0.5) / size, rank[it], it))
                else:
                    total = 0
                    for w, f in ss:
                        total += pos[w] + f
                    keyed.append((total / (len(ss) * size_next), rank[it], it))
            resort(i, keyed)
        count = crossings()
        if count < best_count - best_count // 100:
            best_count = count
            best = [row[:] for row in order]
            stale = 0
        elif count < best_count:
            # Fewer crossings, but by less than one in a hundred: the sweeps have
            # done their work (a big graph's would go on for next to nothing).
            return [row[:] for row in order]
        else:
            stale += 1
        if best_count == 0 or stale >= 2:
            break
    return best
