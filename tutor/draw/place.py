"""Placement: box sizes, port offsets, and the rows of every box in its column.

Rows come from isotonic regression towards the rows of each box's
neighbours (so edges run as straight as possible), keeping the layer's order
and a gap between boxes.
"""

from __future__ import annotations

import math

from rich.cells import cell_len

from tutor.draw.order import SWEEP_BUDGET, Items
from tutor.draw.specs import MARGIN, MIN_HEIGHT, PORT_STEP, ROW_GAP, NodeSpec

def box_size(node: NodeSpec, ports: int, value_width: int) -> tuple[int, int]:
    w = max(cell_len(node.title), cell_len(node.subtitle), value_width) + 4
    h = max(MIN_HEIGHT, PORT_STEP * ports)
    return w, h


def in_offsets(ports: int, h: int, out_off: int) -> list[int]:
    if ports == 1:
        return [out_off]
    return [1 + PORT_STEP * p for p in range(ports)]


def place_rows(items: Items, order: list[list[int]], sweeps: int = 6) -> list[int]:
    """Top row of every item: keep each layer's order and gaps, straighten edges.

    Up to ``sweeps`` sweeps down and up the layers, fewer once a sweep moves
    nothing or for a big graph (``SWEEP_BUDGET``), then two passes pulling both ways.
    """
    sweeps = max(1, min(sweeps, SWEEP_BUDGET // max(1, len(items.layer))))
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
    weights = (1.0, 2.0, 8.0)  # between two boxes, a box and a waypoint, two waypoints

    # Each item's neighbours with their weights and fixed offsets, worked out once for every sweep:
    # a predecessor u pulls item it towards y[u] + out_off[u] - in_offs[it][p], a successor likewise.
    pulls_down = [
        [(u, weights[dummy[u] + dummy[it]], out_off[u] - in_offs[it][p]) for u, p in items.preds[it]]
        for it in range(len(y))
    ]
    pulls_up = [
        [(v, weights[dummy[it] + dummy[v]], in_offs[v][p] - out_off[it]) for v, p in items.succs[it]]
        for it in range(len(y))
    ]

    def rows_of(pulls: list[list[tuple[int, float, int]]]) -> list[list[tuple[int, int, list, float]]]:
        """Per layer: (item, its offset in the layer, its pulls, the sum of their weights)."""
        out = []
        for row, offs in zip(order, offsets):
            entries = []
            for it, off in zip(row, offs):
                wsum = 0.0
                for _, w, _ in pulls[it]:
                    wsum += w  # summed in the same order as the totals below
                entries.append((it, off, pulls[it], wsum))
            out.append(entries)
        return out

    down_rows = rows_of(pulls_down)
    up_rows = rows_of(pulls_up)
    both_rows = rows_of([d + u for d, u in zip(pulls_down, pulls_up)])
    floor = math.floor

    def place(entries: list[tuple[int, int, list, float]]) -> None:
        """Move a layer's items towards the mean of their pulls, keeping its order and gaps.

        The targets (each item's pull, less its offset in the layer) get their
        weighted least-squares non-decreasing fit by pooling adjacent violators.
        """
        vals: list[float] = []
        wts: list[float] = []
        counts: list[int] = []
        for it, off, pulls, wsum in entries:
            if wsum == 0:
                v, ww = y[it] - off, 1e-3
            else:
                total = 0.0
                for u, w, shift in pulls:
                    total += w * (y[u] + shift)
                v, ww = total / wsum - off, wsum
            c = 1
            while vals and vals[-1] > v:
                pv, pw = vals.pop(), wts.pop()
                v = (pv * pw + v * ww) / (pw + ww)
                ww += pw
                c += counts.pop()
            vals.append(v)
            wts.append(ww)
            counts.append(c)
        k = 0
        for v, c in zip(vals, counts):
            row = floor(v + 0.5)
            for it, off, _, _ in entries[k : k + c]:
                y[it] = row + off
            k += c

    nl = len(order)
    for _ in range(sweeps):
        before = y[:]
        for i in range(1, nl):
            place(down_rows[i])
        for i in range(nl - 2, -1, -1):
            place(up_rows[i])
        if y == before:
            break  # settled: every further sweep would leave every row where it is
    for _ in range(2):
        for i in range(nl):
            place(both_rows[i])
    top = min(y) if y else 0
    return [v - top + MARGIN for v in y]
