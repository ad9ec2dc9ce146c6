"""Routing: the edges' lines through the channel between two layers.

Each source whose lines change row gets one vertical track in the channel;
tracks whose vertical spans meet never share a column, and when the
left-of rules between sources form a cycle, a line jogs through a free row to
an extra track. Finished routes are lists of corner points.
"""

from __future__ import annotations

import heapq
from dataclasses import field

from tutor.draw.order import Hop, Items
from tutor.draw.specs import MARGIN, EdgeSpec, Point, Rect
from tutor.records import record


@record(frozen=False)
class Gap:
    """Routing of one channel between layer ``i`` and ``i + 1``."""

    track: dict[int, int] = field(default_factory=dict)
    """Source item -> its vertical track."""
    detour: dict[tuple[int, int, int], tuple[int, int]] = field(default_factory=dict)
    """(source, target, port) -> (free row, jog track) for a line that must dodge."""
    tracks: int = 0


def route_gap(sources: list[tuple[int, int, list[tuple[int, int, int]]]], rank: list[float]) -> Gap:
    """Give each source that needs one a vertical track.

    ``sources``: (source item, its out row, [(target item, port, in row)]).
    Two tracks whose vertical spans meet never share a column. A source whose
    out row is another source's target row must be left of that one (or its
    horizontal would run into the other's); when those rules form a cycle,
    the offending line jogs through a free row to an extra track on the right.
    """
    gap = Gap()
    need = []
    row_source: dict[int, int] = {}
    src_row: dict[int, int] = {}
    targets: dict[int, list[tuple[int, int, int]]] = {}
    keys: dict[int, tuple[int, int, float]] = {}
    spans: dict[int, tuple[int, int]] = {}
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
        row_source[s] = u
        src_row[u] = s
        targets[u] = ts
        spans[u] = (lo, hi)
        if lo == s:
            keys[u] = (0, -s, rank[u])  # going down: lower sources further left
        elif hi == s:
            keys[u] = (2, s, rank[u])  # going up: higher sources further left
        else:
            keys[u] = (1, s, rank[u])
    if not need:
        return gap

    # constraints: a -> b means a's track must be left of b's
    incoming: dict[int, list[int]] = {u: [] for u, _, _ in need}
    outgoing: dict[int, list[int]] = {u: [] for u, _, _ in need}
    constrained = False
    for b, _, ts in need:
        for _, _, t in ts:
            a = row_source.get(t)
            if a is not None and a != b:
                incoming[b].append(a)
                outgoing[a].append(b)
                constrained = True
    jogs: list[tuple[int, int, int, int]] = []  # (source, target, port, free row)
    if constrained:
        topo = _left_to_right(sources, need, keys, incoming, outgoing, src_row, targets, jogs)
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
    sources: list[tuple[int, int, list[tuple[int, int, int]]]],
    need: list[tuple[int, int, list[tuple[int, int, int]]]],
    keys: dict[int, tuple[int, int, float]],
    incoming: dict[int, list[int]],
    outgoing: dict[int, list[int]],
    src_row: dict[int, int],
    targets: dict[int, list[tuple[int, int, int]]],
    jogs: list[tuple[int, int, int, int]],
) -> list[int]:
    """The sources in track order, left to right, keeping the left-of rules (first by key when free to).

    A cycle of rules is broken by jogging the lines that cause it (added to ``jogs``).
    """
    used_rows: set[int] = set()
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
    return topo


def _free_row(t: int, s: int, used: set[int]) -> int:
    """A row near ``t`` (towards ``s`` first) that no line of the channel uses."""
    toward = -1 if s < t else 1
    for d in range(1, 10_000):
        for f in (t + toward * d, t - toward * d):
            if f >= MARGIN and f not in used:
                return f
    raise AssertionError("no free row")  # pragma: no cover


def route_channels(items: Items, order: list[list[int]], y: list[int]) -> list[Gap]:
    """The routing of every channel between two adjacent layers (``y``: each item's top row)."""
    out_off, in_offs, succs, rank = items.out_off, items.in_offs, items.succs, items.rank
    gaps = []
    for row in order[:-1]:
        sources = [
            (u, y[u] + out_off[u], [(w, p, y[w] + in_offs[w][p]) for w, p in succs[u]]) for u in row if succs[u]
        ]
        gaps.append(route_gap(sources, rank))
    return gaps


def chain_routes(
    chains: dict[EdgeSpec, list[Hop]],
    items: Items,
    y: list[int],
    gaps: list[Gap],
    track_x: list[int],
    track_step: int,
    boxes: dict[str, Rect],
) -> dict[EdgeSpec, tuple[Point, ...]]:
    """Each edge's line as corner points: out of its source's right side, along its hops, into its target's port.

    A hop through channel i that changes row turns on its source's track,
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
            jog = gap.detour.get((u, v, p)) if gap.detour else None
            if jog is not None:
                f, jt = jog
                tx, jx = track_x[i] + track_step * gap.track[u], track_x[i] + track_step * jt
                pts += [(tx, sr), (tx, f), (jx, f), (jx, tr)]
            elif sr != tr:
                tx = track_x[i] + track_step * gap.track[u]
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
