"""The character canvas: lines, borders and titles indexed by tile once per
layout and drawn tile by tile as they come into view, then labels and styles
filled in for each step as runs of ``(text, style name)``, for a window of the
canvas: the work follows what is in the window, not the size of the graph.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from tutor.draw.specs import (
    ARROW, EDGE_PRIORITY, JOIN, OUT_PORT, TILE_H, TILE_W, E, EdgeSpec, Layout, N, Point, RenderState, S, Tile, W,
    clip, style_ids,
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
    """Index lines, arrow heads, boxes and ports by tile; tiles are drawn when first rendered.

    The work here is proportional to the number of boxes and line corners
    (plus one entry per tile a long line crosses), not to the canvas area.
    """
    tiles: dict[tuple[int, int], Tile] = {}

    def tile(tx: int, ty: int) -> Tile:
        t = tiles.get((tx, ty))
        if t is None:
            t = tiles[(tx, ty)] = Tile()
        return t

    def covering(x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
        """Tiles touched by the cells from (x0, y0) to (x1, y1), any corner order."""
        tx0, tx1 = sorted((x0 // TILE_W, x1 // TILE_W))
        ty0, ty1 = sorted((y0 // TILE_H, y1 // TILE_H))
        if tx0 == tx1 and ty0 == ty1:
            return [(tx0, ty0)]
        return [(tx, ty) for ty in range(ty0, ty1 + 1) for tx in range(tx0, tx1 + 1)]

    tw, th = TILE_W, TILE_H
    value_slots, grad_slots = lay.value_slots, lay.grad_slots
    seen: set[tuple[Point, Point]] = set()
    lay._edge_segments = {}
    for e, route in lay.routes.items():
        tiles_x = {x // tw for x, _ in route}
        tiles_y = {y // th for _, y in route}
        value, grad = value_slots.get(e), grad_slots.get(e)
        if len(tiles_x) == 1 and len(tiles_y) == 1:
            # Most lines lie in one tile: file them there without walking their segments.
            cell = (next(iter(tiles_x)), next(iter(tiles_y)))
            t = tile(*cell)
            lines = t.lines
            for k in range(len(route) - 1):
                a, b = route[k], route[k + 1]
                if (a, b) not in seen:
                    seen.add((a, b))
                    lines.append((a, b))
            touched: dict[tuple[int, int], None] = {cell: None}
            spans = []
        else:
            for k in range(len(route) - 1):
                a, b = route[k], route[k + 1]
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                for key in covering(a[0], a[1], b[0], b[1]):
                    tile(*key).lines.append((a, b))
            touched = {}
            # each (x0, y0, x1, y1) with x0 <= x1 and y0 <= y1
            spans = list(lay._edge_segments.setdefault(e, tuple(_segments(route))))
        for slot in (value, grad):
            if slot is not None:
                spans.append((slot.x, slot.y, slot.x + slot.w - 1, slot.y))
        for x0, y0, x1, y1 in spans:
            tx0, tx1, ty0, ty1 = x0 // tw, x1 // tw, y0 // th, y1 // th
            if tx0 == tx1 and ty0 == ty1:
                touched[(tx0, ty0)] = None
            else:
                for ty in range(ty0, ty1 + 1):
                    for tx in range(tx0, tx1 + 1):
                        touched[(tx, ty)] = None
        for key in touched:
            tile(*key).edges.append(e)
    for x, yy in lay.arrows.values():
        tile(x // TILE_W, yy // TILE_H).arrows.append((x, yy))
    for key, box in lay.boxes.items():
        for cell in covering(box.x, box.y, box.right, box.bottom):
            tile(*cell).boxes.append(key)
    for x, yy in lay.out_ports.values():
        tile(x // TILE_W, yy // TILE_H).ports.append((x, yy))
    lay._titles = {}
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
                _centered_clipped(grid[yy - top], left, box.x + 2, inner, clip(text, inner))
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
    names, sid = style_ids()

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
    for style in sorted(by_style, key=lambda s: EDGE_PRIORITY.get(s, 1)):
        code = sid("edge." + style)
        one = bytes((code,))
        painted: set[tuple[int, int, int, int]] = set()
        for e in by_style[style]:
            segments = lay._edge_segments.get(e)
            if segments is None:  # worked out the first time the line is in view
                segments = lay._edge_segments[e] = tuple(_segments(lay.routes[e]))
            for seg in segments:
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
            a, b = _centered_clipped(chars[slot.y - top], left, slot.x, slot.w, clip(text, slot.w))
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
        title = lay._titles.get(key)
        if title is None:  # worked out the first time the box is in view
            inner = box.w - 4
            width = cell_len(clip(lay.nodes[key].title, inner))
            title = lay._titles[key] = (box.x + 2 + (inner - width) // 2, width)
        tx, tw = title
        if top <= box.y + 1 < bottom:
            paint(box.y + 1, tx, tx + tw, sid("title." + ns))
        inner = box.w - 4
        for yy, text in ((box.y + 3, state.values.get(key)), (box.y + 4, state.grads.get(key))):
            if text and top <= yy < bottom:
                _centered_clipped(chars[yy - top], left, box.x + 2, inner, clip(text, inner))

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
