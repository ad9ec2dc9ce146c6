"""Characters and styles of the dense drawings (compact, line, names): see ``tutor.draw.density``.

``draw_lines`` makes a dense layout's static canvas (lines, joins, arrow
heads) once; ``render_dense`` fills in one step's node text and styles for a
window of rows and columns. Pure Python, no Textual.
"""

from __future__ import annotations

from rich.cells import cell_len

from tutor.draw.canvas import _runs_pattern, _segments
from tutor.draw.density import COMPACT, LINE, DenseLayout, _title_row
from tutor.draw.specs import ARROW, JOIN, E, N, RenderState, S, W, fit


def draw_lines(lay: DenseLayout, senders: list[str]) -> None:
    """The static canvas: every line with its joins, and an arrow head at each input."""
    width = lay.width
    masks = [0] * (width * lay.height)
    for route in lay.routes.values():
        for k in range(len(route) - 1):
            (x0, y0), (x1, y1) = route[k], route[k + 1]
            if y0 == y1:
                lo, hi = min(x0, x1), max(x0, x1)
                base = y0 * width
                for i in range(base + lo, base + hi):
                    masks[i] |= E
                for i in range(base + lo + 1, base + hi + 1):
                    masks[i] |= W
            else:
                lo, hi = min(y0, y1), max(y0, y1)
                for i in range(lo * width + x0, hi * width + x0, width):
                    masks[i] |= S
                for i in range((lo + 1) * width + x0, (hi + 1) * width + x0, width):
                    masks[i] |= N
    join = [JOIN[m] for m in range(16)]
    grid = [list(map(join.__getitem__, masks[y * width : (y + 1) * width])) for y in range(lay.height)]
    for key, box in lay.boxes.items():
        for yy in range(box.y, box.y + box.h):
            grid[yy][box.x : box.x + box.w] = [" "] * box.w
    for route in lay.routes.values():
        x, yy = route[-1]
        grid[yy][x] = ARROW
    for key in senders:
        box = lay.boxes[key]
        # A compact node's line leaves right after its name, not after the padding.
        start = box.x + 1 + cell_len(_title_row(lay.nodes[key], lay.level)) if lay.level == COMPACT else box.right
        grid[box.y][min(start, box.right) : box.right + 1] = ["─"] * (box.right + 1 - min(start, box.right))
    lay._base = grid
    lay._edge_segments = {e: tuple(_segments(r)) for e, r in lay.routes.items()}
    lay._route_rows = {e: (min(y for _, y in r), max(y for _, y in r)) for e, r in lay.routes.items()}


def _node_rows(lay: DenseLayout, key: str, state: RenderState) -> list[list[tuple[str, str]]]:
    """The text of one node, as (text, role) runs per row; roles: title, value, grad."""
    node = lay.nodes[key]
    inner = lay.boxes[key].w - 2
    vw, gw = lay.numbers[key]
    if lay.level == COMPACT:
        value = fit(state.values.get(key, ""), vw)
        grad = fit(state.grads.get(key, ""), inner - vw - 1)
        return [
            [(fit(_title_row(node, COMPACT), inner), "title")],
            [(value, "value"), (" " * (vw + 1 - cell_len(value)), "text"), (grad, "grad")],
        ]
    if lay.level == LINE:
        grad = state.grads.get(key)
        number, role = (grad, "grad") if grad else (state.values.get(key, ""), "value")
        title = node.title
        return [[(title, "title"), (" ", "text"), (fit(number, inner - cell_len(title) - 1), role)]]
    return [[(node.title, "title")]]


def render_dense(
    lay: DenseLayout, state: RenderState, top: int = 0, bottom: int | None = None,
    left: int = 0, right: int | None = None,
) -> list[list[tuple[str, str]]]:
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
            names.append(name)
        return i

    width = lay.width
    chars = [lay._base[y][:] for y in range(top, bottom)]
    styles = [bytearray(width) for _ in range(bottom - top)]
    edge_style = state.edge_style
    order = {"pending": 0, "done": 1, "highlight": 2, "active": 3}
    # Only lines that cross the window's rows, lowest style first so shared cells take the strongest.
    spans = lay._route_rows
    shown = [e for e in lay.routes if spans[e][0] < bottom and spans[e][1] >= top]
    for e in sorted(shown, key=lambda e: order.get(edge_style.get(e, "done"), 1)):
        code = sid("edge." + edge_style.get(e, "done"))
        for x0, y0, x1, y1 in lay._edge_segments[e]:
            if y0 == y1:
                if top <= y0 < bottom:
                    styles[y0 - top][x0 : x1 + 1] = bytes((code,)) * (x1 - x0 + 1)
            else:
                for row in styles[max(y0, top) - top : max(0, min(y1 + 1, bottom) - top)]:
                    row[x0] = code
        x, yy = lay.routes[e][-1]
        if top <= yy < bottom:
            styles[yy - top][x] = code
    for key, box in lay.boxes.items():
        if box.y >= bottom or box.y + box.h <= top:
            continue
        ns = state.node_style.get(key, "done")
        if top <= box.y < bottom and chars[box.y - top][box.right] == "─":
            row = chars[box.y - top]
            start = box.right
            while start - 1 > box.x and row[start - 1] == "─":
                start -= 1
            styles[box.y - top][start : box.right + 1] = bytes((sid("box." + ns),)) * (box.right + 1 - start)
        for dy, runs in enumerate(_node_rows(lay, key, state)):
            yy = box.y + dy
            if not top <= yy < bottom:
                continue
            x = box.x + 1
            row, srow = chars[yy - top], styles[yy - top]
            for text, role in runs:
                start = x
                for ch in text:
                    cw = cell_len(ch)
                    if cw <= 0:
                        continue
                    row[x] = ch
                    if cw == 2:
                        row[x + 1] = ""
                    x += cw
                name = ("chip." if role == "title" else role + ".") + ns
                srow[start:x] = bytes((sid(name),)) * (x - start)
            if dy == 0 and row[box.right] == "─" and x < box.right:
                # The node's line leaves right after its text, not after the padding.
                row[x : box.right] = ["─"] * (box.right - x)
                srow[x : box.right] = bytes((sid("box." + ns),)) * (box.right - x)
    rows: list[list[tuple[str, str]]] = []
    finditer = _runs_pattern(len(names)).finditer
    left = max(0, left)
    right = width if right is None else right
    for crow, srow in zip(chars, styles):
        # A window of columns (a scrolled view): cut, padding past the canvas's right edge.
        crow = crow[left:right] + [" "] * max(0, right - max(left, width))
        srow = srow[left:right] + bytearray(max(0, right - max(left, width)))
        if crow and crow[0] == "":
            crow[0] = " "  # the right half of a wide character cut by the window's edge
        if crow and crow[-1] not in ("", " ") and cell_len(crow[-1]) == 2:
            crow[-1] = " "
        rows.append([("".join(crow[a:b]), names[srow[a]]) for a, b in (m.span() for m in finditer(srow))])
    return rows
