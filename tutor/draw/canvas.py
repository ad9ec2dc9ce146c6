"""The character canvas: lines, borders and titles drawn once per layout, then
labels and styles filled in for each step as runs of ``(text, style name)``.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from tutor.draw.specs import (
    ARROW, EDGE_PRIORITY, JOIN, OUT_PORT, E, EdgeSpec, Layout, N, Point, RenderState, S, W, fit, put_centered,
)

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


def draw_static(lay: Layout) -> None:
    """Lines (with their joins), arrow heads, box borders, titles and subtitles."""
    width = lay.width
    masks = [0] * (width * lay.height)
    done: set[tuple[Point, Point]] = set()
    for route in lay.routes.values():
        for k in range(len(route) - 1):
            a, b = route[k], route[k + 1]
            if (a, b) in done:
                continue
            done.add((a, b))
            (x0, y0), (x1, y1) = a, b
            if y0 == y1:
                lo, hi = (x0, x1) if x0 < x1 else (x1, x0)
                base = y0 * width
                for i in range(base + lo, base + hi):
                    masks[i] |= E
                for i in range(base + lo + 1, base + hi + 1):
                    masks[i] |= W
            else:
                lo, hi = (y0, y1) if y0 < y1 else (y1, y0)
                for i in range(lo * width + x0, hi * width + x0, width):
                    masks[i] |= S
                for i in range((lo + 1) * width + x0, (hi + 1) * width + x0, width):
                    masks[i] |= N
    join = [JOIN[m] for m in range(16)]
    grid = [list(map(join.__getitem__, masks[y * width : (y + 1) * width])) for y in range(lay.height)]
    for x, yy in lay.arrows.values():
        grid[yy][x] = ARROW
    for key, box in lay.boxes.items():
        node = lay.nodes[key]
        x0, x1 = box.x, box.x + box.w
        grid[box.y][x0:x1] = ["┌"] + ["─"] * (box.w - 2) + ["┐"]
        grid[box.bottom][x0:x1] = ["└"] + ["─"] * (box.w - 2) + ["┘"]
        middle = ["│"] + [" "] * (box.w - 2) + ["│"]
        for yy in range(box.y + 1, box.bottom):
            grid[yy][x0:x1] = middle
        inner = box.w - 4
        put_centered(grid[box.y + 1], box.x + 2, inner, fit(node.title, inner))
        put_centered(grid[box.y + 2], box.x + 2, inner, fit(node.subtitle, inner))
    for key, (x, yy) in lay.out_ports.items():
        grid[yy][x] = OUT_PORT
    lay._base = grid
    lay._base_str = ["".join(row) if "" not in row else None for row in grid]
    lay._titles = {}
    for key, box in lay.boxes.items():
        inner = box.w - 4
        tw = cell_len(fit(lay.nodes[key].title, inner))
        lay._titles[key] = (box.x + 2 + (inner - tw) // 2, tw)
    lay._edge_segments = {e: tuple(_segments(r)) for e, r in lay.routes.items()}


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
    lay: Layout, state: RenderState, top: int = 0, bottom: int | None = None
) -> list[list[tuple[str, str]]]:
    """The canvas for one step: per row, runs of (text, style name) filling ``lay.width`` cells.

    ``top`` and ``bottom`` (exclusive) limit the work to those rows, e.g. the
    visible part of a scrolled view; the result then holds only those rows.
    """
    bottom = lay.height if bottom is None else min(bottom, lay.height)
    top = max(0, top)
    if bottom <= top:
        return []
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

    base = lay._base
    changed: dict[int, list[str]] = {}

    def chars(y: int) -> list[str]:
        row = changed.get(y)
        if row is None:
            row = changed[y] = base[y][:]
        return row

    width = lay.width
    styles = [bytearray(width) for _ in range(bottom - top)]

    # lines, lowest priority first so shared cells take the strongest style
    by_style: dict[str, list[EdgeSpec]] = {}
    edge_style = state.edge_style
    for e in lay.routes:
        by_style.setdefault(edge_style.get(e, "done"), []).append(e)
    for style in sorted(by_style, key=lambda s: EDGE_PRIORITY.get(s, 1)):
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
                        styles[y0 - top][x0 : x1 + 1] = one * (x1 - x0 + 1)
                else:
                    for row in styles[max(y0, top) - top : min(y1 + 1, bottom) - top]:
                        row[x0] = code

    # labels above and below each edge's last horizontal run
    for labels, slots, prefix in (
        (state.edge_value, lay.value_slots, "value."),
        (state.edge_grad, lay.grad_slots, "grad."),
    ):
        for e, text in labels.items():
            slot = slots.get(e)
            if slot is None or not text or not top <= slot.y < bottom:
                continue
            a, b = put_centered(chars(slot.y), slot.x, slot.w, fit(text, slot.w))
            styles[slot.y - top][a:b] = bytes((sid(prefix + edge_style.get(e, "done")),)) * (b - a)

    # boxes
    for key, box in lay.boxes.items():
        if box.y >= bottom or box.y + box.h <= top:
            continue
        ns = state.node_style.get(key, "done")
        border = bytes((sid("box." + ns),))
        x0, x1 = box.x, box.x + box.w
        edge_row = border * box.w
        middle = border + bytes((sid("text." + ns),)) * (box.w - 2) + border
        for yy in range(max(box.y, top), min(box.y + box.h, bottom)):
            styles[yy - top][x0:x1] = edge_row if yy in (box.y, box.bottom) else middle
        tx, tw = lay._titles[key]
        if top <= box.y + 1 < bottom:
            styles[box.y + 1 - top][tx : tx + tw] = bytes((sid("title." + ns),)) * tw
        inner = box.w - 4
        for yy, text in ((box.y + 3, state.values.get(key)), (box.y + 4, state.grads.get(key))):
            if text and top <= yy < bottom:
                put_centered(chars(yy), box.x + 2, inner, fit(text, inner))

    rows: list[list[tuple[str, str]]] = []
    finditer = _runs_pattern(len(names)).finditer
    base_str = lay._base_str
    for y in range(top, bottom):
        srow = styles[y - top]
        crow = changed.get(y)
        line = base_str[y] if crow is None else None
        if line is None:
            crow = crow or base[y]
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
