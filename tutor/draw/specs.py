"""What the graph drawing takes in and gives out: specs, the layout record, render state.

Also the drawing's constants (margins, port spacing, box-drawing joins) and
the cell-width text helpers shared by the layout and the canvas. Widths are
terminal cells (``rich.cells.cell_len``), so CJK names, two cells per
character, keep the borders aligned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field

from rich.cells import cell_len

from tutor.records import record

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
EDGE_PRIORITY = {"pending": 0, "done": 1, "highlight": 2, "active": 3}
"""Where edges share cells (a fan-out trunk), the higher style wins."""


def style_ids() -> tuple[list[str], Callable[[str], int]]:
    """Style names and a function that numbers them (from 1; 0 is no style), for a render's byte rows.

    A render paints one byte per cell, so it may use at most 255 names.
    """
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

    return names, sid


# --- the input: what to draw ------------------------------------------------


@record
class NodeSpec:
    """One box: ``title`` is the node's name, ``subtitle`` its op (``×``, ``sigmoid``)."""

    key: str
    title: str
    subtitle: str = ""
    kind: str = "op"
    """``input``, ``param``, ``const``, ``op`` or ``group``."""
    brief: str = ""
    """A shorter title for the names level, or "": a primitive inside a named group shows its op (``×``)."""


@record
class EdgeSpec:
    """``source`` feeds input number ``position`` of ``target``."""

    source: str
    target: str
    position: int = 0


@record
class GraphSpec:
    """Nodes in topological order (the author's order) and the edges between them."""

    nodes: tuple[NodeSpec, ...]
    edges: tuple[EdgeSpec, ...]


# --- the output: where things are ---------------------------------------------


@record
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


@record
class Slot:
    """Room for one label: ``w`` cells from column ``x`` on row ``y``."""

    x: int
    y: int
    w: int


Point = tuple[int, int]

TILE_W = 128
"""Canvas columns per tile: drawing work is done per tile, only for tiles in view."""
TILE_H = 32
"""Canvas rows per tile."""


@record(frozen=False)
class Tile:
    """Everything drawn in one tile, in drawing order (each list in the layout's own order)."""

    lines: list[tuple[Point, Point]] = field(default_factory=list)
    arrows: list[Point] = field(default_factory=list)
    boxes: list[str] = field(default_factory=list)
    ports: list[Point] = field(default_factory=list)
    edges: list[EdgeSpec] = field(default_factory=list)
    """Edges with a line cell or a label slot here, in route order."""


@record(frozen=False)
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
    _tiles: dict[tuple[int, int], Tile] = field(repr=False, default_factory=dict)
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


@record(frozen=False)
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


def clip(text: str, width: int) -> str:
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


def put_text(chars: list[str], x: int, text: str) -> int:
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


def put_centered(chars: list[str], x: int, width: int, text: str) -> tuple[int, int]:
    """Centre ``text`` (already fitted) in ``width`` cells from ``x``; return its span."""
    tw = cell_len(text)
    start = x + (width - tw) // 2
    return start, put_text(chars, start, text)
