"""Routing: the edges' lines through the channel between two layers.

Each source whose lines change row gets one vertical track in the channel
(the boxes, where every input has a port row of its own), or each (source,
target) pair does (the dense levels, where a target's inputs share its one
arrow row: a track shared by two targets would join their inputs, see
``tutor.draw.dense_layout``). Tracks whose vertical spans meet never share a
column, and when the left-of rules between them form a cycle, a line jogs
through a free row to an extra track. Finished routes are lists of corner
points.
"""

from __future__ import annotations

import heapq
from dataclasses import field

from tutor.draw.order import Hop, Items
from collections.abc import Hashable

from tutor.draw.specs import MARGIN, EdgeSpec, Point, Rect
from tutor.records import record


@record(frozen=False)
class Gap:
    """Routing of one channel between layer ``i`` and ``i + 1``."""

    track: dict[Hashable, int] = field(default_factory=dict)
    """Line owner -> its vertical track: the source item, or the (source, target) pair at the dense levels."""
    detour: dict[tuple[Hashable, int, int], tuple[int, int]] = field(default_factory=dict)
    """(owner, target, port) -> (free row, jog track) for a line that must dodge."""
    tracks: int = 0
    owners: dict[tuple[int, int], Hashable] = field(default_factory=dict)
    """(source, target) -> the owner of its track, at the dense levels (else the source owns it)."""


def route_gap(
    sources: list[tuple[Hashable, int, list[tuple[int, int, int]]]], rank: dict[Hashable, object],
    busy: set[int] | None = None, passing: dict[Hashable, set[int]] | None = None,
    left_of: list[tuple[Hashable, Hashable]] = (),
) -> Gap:
    """Give each line owner that needs one a vertical track.

    ``sources``: (owner, its out row, [(target item, port, in row)]); an owner is
    a source, or a (source, target) pair, and several may share an out row (a
    source's pairs). Two tracks whose vertical spans meet never share a column.
    An owner whose out row is another owner's target row must be left of that
    one (or its horizontal would run into the other's); when those rules form
    a cycle, the offending line jogs through a free row (none of ``busy``) to an
    extra track on the right. ``passing``: an owner's rows where its track runs on
    past a branch into a target's row; it must be left of every other owner
    joining that row (so the branch is the row's first join, not a crossing);
    ``left_of``: more (a, b) pairs whose a must be left of b.
    """
    gap = Gap()
    need = []
    row_source: dict[int, list[Hashable]] = {}
    src_row: dict[Hashable, int] = {}
    targets: dict[Hashable, list[tuple[int, int, int]]] = {}
    keys: dict[Hashable, tuple] = {}
    spans: dict[Hashable, tuple[int, int]] = {}
    for u, s, ts in sources:
        lo = hi = s
        for _, _, t in ts:
            if t < lo:
                lo = t
            elif t > hi:
                hi = t
        if lo == hi:
            continue  # every line stays on the source's row: no track
        need.append((u, s, ts))
        row_source.setdefault(s, []).append(u)
        src_row[u] = s
        targets[u] = ts
        spans[u] = (lo, hi)
        if lo == s:
            keys[u] = (0, -s, -hi, rank[u])  # going down: lower sources (then farther targets) further left
        elif hi == s:
            keys[u] = (2, s, lo, rank[u])  # going up: higher sources (then farther targets) further left
        else:
            keys[u] = (1, s, 0, rank[u])
    if not need:
        return gap

    # constraints: a -> b means a's track must be left of b's
    incoming: dict[Hashable, list[Hashable]] = {u: [] for u, _, _ in need}
    outgoing: dict[Hashable, list[Hashable]] = {u: [] for u, _, _ in need}
    constrained = False
    seen: set[tuple[Hashable, Hashable]] = set()
    passers: dict[int, list[Hashable]] = {}
    for a, rows in (passing or {}).items():
        if a in incoming:
            for t in rows:
                passers.setdefault(t, []).append(a)
    pairs = [(a, b) for b, _, ts in need for _, _, t in ts for a in (*row_source.get(t, ()), *passers.get(t, ()))]
    for a, b in (*pairs, *left_of):
        if a != b and a in incoming and b in incoming and (a, b) not in seen:
            seen.add((a, b))
            incoming[b].append(a)
            outgoing[a].append(b)
            constrained = True
    jogs: list[tuple[Hashable, int, int, int]] = []  # (owner, target, port, free row)
    if constrained:
        topo = _left_to_right(
            sources, need, keys, incoming, outgoing, src_row, targets, jogs, busy or set(), passing or {}
        )
    else:  # no rules between the sources: their own order
        topo = sorted(keys, key=lambda u: (keys[u], u))

    jogged = {(b, w, p): f for b, w, p, f in jogs}
    jogging = {b for b, _, _, _ in jogs}
    placed: list[tuple[int, int, int]] = []
    for u in topo:
        if u in jogging:
            rows = [src_row[u]]
            for w, p, t in targets[u]:
                f = jogged.get((u, w, p))
                rows.append(t if f is None else f)
            lo, hi = min(rows), max(rows)
        else:
            lo, hi = spans[u]
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


def _left_to_right(
    sources: list[tuple[Hashable, int, list[tuple[int, int, int]]]],
    need: list[tuple[Hashable, int, list[tuple[int, int, int]]]],
    keys: dict[Hashable, tuple],
    incoming: dict[Hashable, list[Hashable]],
    outgoing: dict[Hashable, list[Hashable]],
    src_row: dict[Hashable, int],
    targets: dict[Hashable, list[tuple[int, int, int]]],
    jogs: list[tuple[Hashable, int, int, int]],
    busy: set[int],
    passing: dict[Hashable, set[int]],
) -> list[Hashable]:
    """The sources in track order, left to right, keeping the left-of rules (first by key when free to).

    A cycle of rules is broken by jogging the lines that cause it (added to ``jogs``).
    """
    used_rows: set[int] = set(busy)
    for _, s, ts in sources:
        used_rows.add(s)
        for _, _, t in ts:
            used_rows.add(t)
    key = keys.__getitem__
    indeg = {u: len(incoming[u]) for u in incoming}
    removed: set[tuple[int, int]] = set()
    heap = [(key(u), u) for u in incoming if indeg[u] == 0]
    heapq.heapify(heap)
    done: set[int] = set()
    topo: list[int] = []
    while len(topo) < len(need):
        if not heap:
            # a cycle: free the first remaining source by detouring its blocked lines
            b = min((u for u in incoming if u not in done), key=key)
            for a in incoming[b]:
                if a in done or (a, b) in removed:
                    continue
                removed.add((a, b))
                indeg[b] -= 1
                blocked = {src_row[a], *passing.get(a, ())}
                for w, p, t in targets[b]:
                    if t in blocked:
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
    return topo


def _free_row(t: int, s: int, used: set[int]) -> int:
    """A row near ``t`` (towards ``s`` first) that no line of the channel uses."""
    toward = -1 if s < t else 1
    for d in range(1, 10_000):
        for f in (t + toward * d, t - toward * d):
            if f >= MARGIN and f not in used:
                return f
    raise AssertionError("no free row")  # pragma: no cover


def route_channels(
    items: Items, order: list[list[int]], y: list[int], units: bool = False, busy: list[set[int]] | None = None,
) -> list[Gap]:
    """The routing of every channel between two adjacent layers (``y``: each item's top row).

    ``units``: the dense levels' tracks (see ``_dense_owners``) instead of one per
    source; ``busy``: per channel, rows a dodging line must not use besides the
    lines' own.
    """
    out_off, in_offs, succs, rank = items.out_off, items.in_offs, items.succs, items.rank
    gaps = []
    for i, row in enumerate(order[:-1]):
        if units:
            gaps.append(_dense_gap(items, row, y, busy[i] if busy else None))
            continue
        sources = [
            (u, y[u] + out_off[u], [(w, p, y[w] + in_offs[w][p]) for w, p in succs[u]]) for u in row if succs[u]
        ]
        gaps.append(route_gap(sources, {u: rank[u] for u, _, _ in sources}))
    return gaps


def _dense_gap(items: Items, row: list[int], y: list[int], busy: set[int] | None) -> Gap:
    """One channel at the dense levels, where every input of a target arrives on its one row (a bus).

    A track carries one source's lines to one target, or to several on one side
    of it (up or down) when it can branch into each nearer target's row as that
    row's first join: never through a row with a straight line into it (a
    source on the target's row), never with another such track through the same
    row. A source's farthest lines up and down share its last track (``┤``)
    when its row ends there (no straight line of its own goes on). So a track
    never runs through a bus it joins, and ``┼`` is always a crossing.
    """
    out_off, in_offs, succs, rank = items.out_off, items.in_offs, items.succs, items.rank
    straight: set[int] = set()
    sides: list[tuple[int, int, dict[int, list[tuple[int, list[tuple[int, int, int]]]]]]] = []
    for u in row:
        if not succs[u]:
            continue
        s = y[u] + out_off[u]
        pairs: dict[int, list[tuple[int, int, int]]] = {}
        for w, p in succs[u]:
            pairs.setdefault(w, []).append((w, p, y[w] + in_offs[w][p]))
        by_side: dict[int, list[tuple[int, list[tuple[int, int, int]]]]] = {}
        for w, ts in pairs.items():
            by_side.setdefault((ts[0][2] > s) - (ts[0][2] < s), []).append((w, ts))
        for group in by_side.values():
            group.sort(key=lambda g: abs(g[1][0][2] - s))
        sides.append((u, s, by_side))
        if 0 in by_side:
            straight.add(s)
    unpaired: set[int] = set()
    while True:
        gap, last = _dense_owners(sides, straight, unpaired, rank, busy)
        late = {u for u, owner in last.items() if any(
            gap.track.get(other, -1) > gap.track.get(owner, -1) for (v, _), other in gap.owners.items() if v == u)}
        if not late:
            return gap
        unpaired |= late  # a shared last track that did not end up last: its source's lines apart


def _dense_owners(
    sides: list, straight: set[int], unpaired: set[int], rank: list[float], busy: set[int] | None,
) -> tuple[Gap, dict[int, Hashable]]:
    """The tracks of one dense channel (see ``_dense_gap``), and each source's shared last track."""
    passed: set[int] = set()
    sources: list[tuple[Hashable, int, list[tuple[int, int, int]]]] = []
    ranks: dict[Hashable, object] = {}
    passing: dict[Hashable, set[int]] = {}
    owners: dict[tuple[int, int], Hashable] = {}
    last: dict[int, Hashable] = {}
    left_of: list[tuple[Hashable, Hashable]] = []
    for u, s, by_side in sides:
        made: dict[int, list[tuple[Hashable, list]]] = {}
        for side, group in by_side.items():
            nearer = {ts[0][2] for _, ts in group[:-1]}
            if side and len(group) > 1 and not nearer & (straight | passed):
                passed |= nearer
                made[side] = [((u, side), group)]
                passing[(u, side)] = nearer
            else:
                made[side] = [((u, w), [(w, ts)]) for w, ts in group]
        if -1 in made and 1 in made and 0 not in made and u not in unpaired:
            # The farthest up and down share the source's last track: its row ends in a ┤ there.
            (up, up_group), (down, down_group) = made[-1].pop(), made[1].pop()
            both = (u, 0)
            made[0] = [(both, up_group + down_group)]
            passing[both] = passing.pop(up, set()) | passing.pop(down, set())
            last[u] = both
            left_of += [(owner, both) for side in (-1, 1) for owner, _ in made[side]]
        for owned in made.values():
            for owner, group in owned:
                sources.append((owner, s, [t for _, ts in group for t in ts]))
                ranks[owner] = (rank[u], rank[group[0][0]])
                owners.update({(u, w): owner for w, _ in group})
    gap = route_gap(sources, ranks, busy, passing, left_of)
    gap.owners = owners
    return gap, last


def chain_routes(
    chains: dict[EdgeSpec, list[Hop]],
    items: Items,
    y: list[int],
    gaps: list[Gap],
    track_x: list[int],
    track_step: int,
    boxes: dict[str, Rect],
    units: bool = False,
) -> dict[EdgeSpec, tuple[Point, ...]]:
    """Each edge's line as corner points: out of its source's right side, along its hops, into its target's port.

    A hop through channel i that changes row turns on its owner's track (its
    source's, or with ``units`` the one ``Gap.owners`` names),
    ``track_x[i] + track_step * track``; a line that must dodge jogs through
    its free row on its own track.
    """
    layer_of, out_off, in_offs = items.layer, items.out_off, items.in_offs
    routes: dict[EdgeSpec, tuple[Point, ...]] = {}
    for e, hops in chains.items():
        u = hops[0][0]
        pts: list[Point] = [(boxes[e.source].right, y[u] + out_off[u])]
        for u, v, p in hops:
            i = layer_of[u]
            sr, tr = y[u] + out_off[u], y[v] + in_offs[v][p]
            gap = gaps[i]
            owner = gap.owners[(u, v)] if units else u
            jog = gap.detour.get((owner, v, p)) if gap.detour else None
            if jog is not None:
                f, jt = jog
                tx, jx = track_x[i] + track_step * gap.track[owner], track_x[i] + track_step * jt
                pts += [(tx, sr), (tx, f), (jx, f), (jx, tr)]
            elif sr != tr:
                tx = track_x[i] + track_step * gap.track[owner]
                pts += [(tx, sr), (tx, tr)]
        pts.append((boxes[e.target].x, tr))
        routes[e] = simplify(pts)
    return routes


def simplify(points: list[Point]) -> tuple[Point, ...]:
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
