"""Characters and styles of the dense drawings (compact, line, names): see ``tutor.draw.density``.

The directions lines leave each cell in (a byte a cell) are worked out per
tile the first time a window shows it; ``render_dense`` makes the characters
(joins, arrow heads, node text) and styles of one step for a window of rows
and columns only, visiting the lines and nodes indexed on the tiles the
window touches. Pure Python, no Textual.
"""

from __future__ import annotations

from rich.cells import cell_len

from tutor.startup import paused_gc
from tutor.draw.canvas import _runs_pattern, _segments
from tutor.draw.dense_layout import COMPACT, LINE, DenseLayout, title_row
from tutor.draw.specs import ARROW, JOIN, E, N, RenderState, S, W, clip, style_ids


def draw_lines(lay: DenseLayout) -> None:
    """Get the static canvas ready; the lines' cells are drawn tile by tile.

    A tile's line masks (the directions lines leave each cell in) are made the
    first time a window shows it (``_tile_masks``): opening a big graph draws
    only the lines in view.
    """
    lay._masks = {}
    lay._base = _Rows(lay)


def _tile_masks(lay: DenseLayout, tx: int, ty: int) -> bytearray:
    """The line masks of one tile, row by row (``DENSE_TILE_W`` cells a row), made once."""
    masks = lay._masks.get((tx, ty))
    if masks is not None:
        return masks
    tw, th = DENSE_TILE_W, DENSE_TILE_H
    masks = bytearray(tw * th)
    lay._masks[(tx, ty)] = masks
    tile = _index(lay).get((tx, ty))
    if tile is None:
        return masks
    left, top = tx * tw, ty * th
    right, bottom = left + tw, top + th
    routes = lay._route_list
    for rank in tile[0]:
        route = routes[rank]
        for k in range(len(route) - 1):
            (x0, y0), (x1, y1) = route[k], route[k + 1]
            if y0 == y1:
                if not top <= y0 < bottom:
                    continue
                lo, hi = min(x0, x1), max(x0, x1)
                base = (y0 - top) * tw - left
                for x in range(max(lo, left), min(hi, right)):  # cells with a line leaving east
                    masks[base + x] |= E
                for x in range(max(lo + 1, left), min(hi + 1, right)):  # and west
                    masks[base + x] |= W
            else:
                if not left <= x0 < right:
                    continue
                lo, hi = min(y0, y1), max(y0, y1)
                col = x0 - left - top * tw
                for y in range(max(lo, top), min(hi, bottom)):
                    masks[col + y * tw] |= S
                for y in range(max(lo + 1, top), min(hi + 1, bottom)):
                    masks[col + y * tw] |= N
    return masks


_JOIN = [JOIN[m] for m in range(16)]


def _window(lay: DenseLayout, top: int, bottom: int, c0: int, c1: int,
            edges: list, keys: list[str]) -> list[list[str]]:
    """The static characters of rows ``top``..``bottom``, columns ``c0``..``c1`` (exclusive).

    ``edges`` and ``keys``: the lines and nodes touching the window, in the layout's
    order. Only the window's cells are made: the canvas is never drawn whole.
    """
    join = _JOIN.__getitem__
    tw, th = DENSE_TILE_W, DENSE_TILE_H
    grid = []
    for y in range(top, bottom):
        ty, row = divmod(y, th)
        start = row * tw
        cells = []
        for tx in range(c0 // tw, (c1 - 1) // tw + 1):
            masks = _tile_masks(lay, tx, ty)
            a, b = max(c0 - tx * tw, 0), min(c1 - tx * tw, tw)
            cells += map(join, masks[start + a : start + b])
        grid.append(cells)
    boxes = lay.boxes
    for key in keys:
        box = boxes[key]
        a, b = max(box.x, c0), min(box.x + box.w, c1)
        if a < b:
            for yy in range(max(box.y, top), min(box.y + box.h, bottom)):
                grid[yy - top][a - c0 : b - c0] = [" "] * (b - a)
    routes = lay.routes
    for e in edges:
        x, yy = routes[e][-1]
        if top <= yy < bottom and c0 <= x < c1:
            grid[yy - top][x - c0] = ARROW

    senders = lay.senders
    for key in keys:
        start = senders.get(key)
        if start is None:
            continue
        box = boxes[key]
        a, b = max(start, c0), min(box.right + 1, c1)
        if top <= box.y < bottom and a < b:
            grid[box.y - top][a - c0 : b - c0] = ["─"] * (b - a)
    return grid


class _Rows:
    """Whole rows of the static canvas on demand (``lay._base[y][x]``), for inspection."""

    def __init__(self, lay: DenseLayout) -> None:
        self._lay = lay

    def __len__(self) -> int:
        return self._lay.height

    def __getitem__(self, y: int) -> list[str]:
        lay = self._lay
        if not 0 <= y < lay.height:
            raise IndexError(y)
        edges, keys = _touching(lay, y, y + 1, 0, lay.width)
        return _window(lay, y, y + 1, 0, lay.width, edges, keys)[0]


def _touching(lay: DenseLayout, top: int, bottom: int, c0: int, c1: int) -> tuple[list, list[str]]:
    """Lines and nodes whose tiles meet the window, each in the layout's order."""
    tiles = _index(lay)
    ranks: set[int] = set()
    keys: set[str] = set()
    if c1 > c0 and bottom > top:
        tw, th = DENSE_TILE_W, DENSE_TILE_H
        for ty in range(top // th, (bottom - 1) // th + 1):
            for tx in range(c0 // tw, (c1 - 1) // tw + 1):
                t = tiles.get((tx, ty))
                if t is not None:
                    ranks.update(t[0])
                    keys.update(t[1])
    edge_list = lay._edge_list
    return [edge_list[r] for r in sorted(ranks)], sorted(keys, key=lay._box_rank.__getitem__)


def _node_rows(lay: DenseLayout, key: str, state: RenderState) -> list[list[tuple[str, str]]]:
    """The text of one node, as (text, role) runs per row; roles: title, value, grad."""
    node = lay.nodes[key]
    box = lay.boxes[key]
    inner = box.x + box.w - 1 - lay.text_x(key)
    if lay.level == COMPACT:
        vw = lay.numbers[key][0]
        value = clip(state.values.get(key, ""), vw)
        grad = clip(state.grads.get(key, ""), inner - vw - 1)
        return [
            [(clip(title_row(node, COMPACT), inner), "title")],
            [(value, "value"), (" " * (vw + 1 - cell_len(value)), "text"), (grad, "grad")],
        ]
    if lay.level == LINE:
        grad = state.grads.get(key)
        number, role = (grad, "grad") if grad else (state.values.get(key, ""), "value")
        title = node.title
        return [[(title, "title"), (" ", "text"), (clip(number, inner - cell_len(title) - 1), role)]]
    return [[(title_row(node, lay.level), "title")]]


DENSE_TILE_W = 128
DENSE_TILE_H = 32


def _index(lay: DenseLayout) -> dict[tuple[int, int], tuple[list[int], list[str]]]:
    """Lines (by their rank in ``lay.routes``) and nodes touching each tile, made once per layout.

    A window then visits only what lies in it: the work per step does not grow with the graph.
    """
    tiles = lay._dense_tiles
    if tiles is not None:
        return tiles
    with paused_gc():  # a list for every tile: no garbage for the collector to look for
        return _make_index(lay)


def _make_index(lay: DenseLayout) -> dict[tuple[int, int], tuple[list[int], list[str]]]:
    tiles: dict[tuple[int, int], tuple[list[int], list[str]]] = {}
    tw, th = DENSE_TILE_W, DENSE_TILE_H
    for rank, route in enumerate(lay.routes.values()):
        tiles_x = {x // tw for x, _ in route}
        tiles_y = {y // th for _, y in route}
        if len(tiles_x) == 1 and len(tiles_y) == 1:  # most lines: within one tile
            cell = (tiles_x.pop(), tiles_y.pop())
            t = tiles.get(cell)
            if t is None:
                t = tiles[cell] = ([], [])
            t[0].append(rank)
            continue
        touched: dict[tuple[int, int], None] = {}
        for k in range(len(route) - 1):
            (x0, y0), (x1, y1) = route[k], route[k + 1]
            tx0, tx1 = sorted((x0 // tw, x1 // tw))
            ty0, ty1 = sorted((y0 // th, y1 // th))
            for ty in range(ty0, ty1 + 1):
                for tx in range(tx0, tx1 + 1):
                    touched[(tx, ty)] = None
        for cell in touched:
            t = tiles.get(cell)
            if t is None:
                t = tiles[cell] = ([], [])
            t[0].append(rank)
    for key, box in lay.boxes.items():
        for ty in range(box.y // th, (box.y + box.h - 1) // th + 1):
            for tx in range(box.x // tw, box.right // tw + 1):
                t = tiles.get((tx, ty))
                if t is None:
                    t = tiles[(tx, ty)] = ([], [])
                t[1].append(key)
    lay._dense_tiles = tiles
    lay._edge_list = list(lay.routes)
    lay._route_list = list(lay.routes.values())
    lay._box_rank = {key: i for i, key in enumerate(lay.boxes)}
    return tiles


def render_dense(
    lay: DenseLayout, state: RenderState, top: int = 0, bottom: int | None = None,
    left: int = 0, right: int | None = None,
) -> list[list[tuple[str, str]]]:
    bottom = lay.height if bottom is None else min(bottom, lay.height)
    top = max(0, top)
    if bottom <= top:
        return []
    names, sid = style_ids()

    width = lay.width
    left = max(0, left)
    right = width if right is None else right
    # The columns of the canvas in the window (a window past the right edge is padded below).
    c0, c1 = left, max(left, min(right, width))
    cw = c1 - c0
    shown, keys = _touching(lay, top, bottom, c0, c1)
    chars = _window(lay, top, bottom, c0, c1, shown, keys)
    styles = [bytearray(cw) for _ in range(bottom - top)]
    edge_style = state.edge_style
    order = {"pending": 0, "done": 1, "highlight": 2, "active": 3}
    # Only lines that cross the window, lowest style first so shared cells take the strongest.
    for e in sorted(shown, key=lambda e: order.get(edge_style.get(e, "done"), 1)):
        code = sid("edge." + edge_style.get(e, "done"))
        segments = lay._edge_segments.get(e)
        if segments is None:  # worked out the first time the line is in view
            segments = lay._edge_segments[e] = tuple(_segments(lay.routes[e]))
        for x0, y0, x1, y1 in segments:
            if y0 == y1:
                if top <= y0 < bottom:
                    a, b = max(x0, c0), min(x1 + 1, c1)
                    if a < b:
                        styles[y0 - top][a - c0 : b - c0] = bytes((code,)) * (b - a)
            elif c0 <= x0 < c1:
                for row in styles[max(y0, top) - top : max(0, min(y1 + 1, bottom) - top)]:
                    row[x0 - c0] = code
        x, yy = lay.routes[e][-1]
        if top <= yy < bottom and c0 <= x < c1:
            styles[yy - top][x - c0] = code
    senders = lay.senders
    for key in keys:
        box = lay.boxes[key]
        ns = state.node_style.get(key, "done")
        start = senders.get(key)
        if start is not None and top <= box.y < bottom:
            # The cells of the node's row its line takes (its out port at least).
            start = max(start, lay.text_x(key))
            a, b = max(start, c0), min(box.right + 1, c1)
            if a < b:
                styles[box.y - top][a - c0 : b - c0] = bytes((sid("box." + ns),)) * (b - a)
        for dy, runs in enumerate(_node_rows(lay, key, state)):
            yy = box.y + dy
            if not top <= yy < bottom:
                continue
            x = lay.text_x(key)
            row, srow = chars[yy - top], styles[yy - top]
            for text, role in runs:
                start = x
                for ch in text:
                    w = cell_len(ch)
                    if w <= 0:
                        continue
                    if c0 <= x < c1:
                        row[x - c0] = ch
                    if w == 2 and c0 <= x + 1 < c1:
                        row[x + 1 - c0] = ""
                    x += w
                a, b = max(start, c0), min(x, c1)
                if a < b:
                    name = ("chip." if role == "title" else role + ".") + ns
                    srow[a - c0 : b - c0] = bytes((sid(name),)) * (b - a)
            if dy == 0 and key in senders and x < box.right:
                # The node's line leaves right after its text, not after the padding.
                a, b = max(x, c0), min(box.right, c1)
                if a < b:
                    row[a - c0 : b - c0] = ["─"] * (b - a)
                    srow[a - c0 : b - c0] = bytes((sid("box." + ns),)) * (b - a)
    rows: list[list[tuple[str, str]]] = []
    finditer = _runs_pattern(len(names)).finditer
    pad = max(0, right - max(left, width))
    for crow, srow in zip(chars, styles):
        # A window of columns (a scrolled view), padded past the canvas's right edge.
        if pad:
            crow = crow + [" "] * pad
            srow = srow + bytearray(pad)
        if crow and crow[0] == "":
            crow[0] = " "  # the right half of a wide character cut by the window's edge
        if crow and crow[-1] not in ("", " ") and cell_len(crow[-1]) == 2:
            crow[-1] = " "
        rows.append([("".join(crow[a:b]), names[srow[a]]) for a, b in (m.span() for m in finditer(srow))])
    return rows
