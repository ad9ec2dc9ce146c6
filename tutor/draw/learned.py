"""What a net has learned, drawn as text: a decision map or a fitted curve.

- For two inputs, the **decision map**: the net's output over the input
  plane, two pixels per character cell (the upper half block ``▀`` with a
  foreground and a background colour), in ``LEVELS`` colour levels from the
  colour of class 0 to the colour of class 1, with the data points marked
  (``●`` for a target of 1, ``○`` for 0), as TensorFlow Playground draws it.
- For two inputs and an output per class (a softmax), the **class map**:
  each pixel in the colour of the class the net picks there, in ``SHADES``
  shades from faint (the net hardly prefers it) to full (it is sure), and
  each data point as its class's symbol (``CLASS_MARKS``: ``●``, ``▲``,
  ``■``, ...), so the classes are told apart without colour too.
- For one input, the **fitted curve**: the net's output across the input
  range as a line of half blocks, with the data points as ``●``.

Pure: numbers in, rows of ``(text, style name)`` runs out. Style names:
``map.T.B`` (top and bottom levels of a cell), ``point.C.L`` (a point of
class C on a cell of level L), ``class.C.S.D.T`` (a class map's cell: class
C in shade S on top, class D in shade T below; class ``-1`` where the net's
outputs are not numbers), ``mark.C.D.T`` (a point of class C on a cell of
class D, shade T), ``legend.C`` (class C's symbol and name under the map),
``curve``, ``dot`` (a data point on the curve plot), ``axis``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tutor.engine.numbers import fmt

LEVELS = 9
"""Colour levels of the decision map, 0 (class 0) to LEVELS - 1 (class 1)."""

Row = list[tuple[str, str]]


def _runs(cells: list[tuple[str, str]]) -> Row:
    row: Row = []
    for text, style in cells:
        if row and row[-1][1] == style:
            row[-1] = (row[-1][0] + text, style)
        else:
            row.append((text, style))
    return row


SHADES = 4
"""Shades of a class map's colours, 0 (the net's largest output barely above the others') to SHADES - 1 (sure)."""
CLASS_MARKS = "●▲■◆▼★"
"""The symbol of each class's data points on a class map (a class past these is marked by its number)."""
MAX_CLASSES = len(CLASS_MARKS)
"""Classes a class map colours apart (more share colours; their points still differ by symbol or number)."""


def class_mark(cls: int) -> str:
    """The symbol of class ``cls`` (from 0) on a class map."""
    return CLASS_MARKS[cls] if 0 <= cls < len(CLASS_MARKS) else str((cls + 1) % 10)


def shade(confidence: float, low: float) -> int:
    """A class map's shade for the net's largest output ``confidence`` (``low``: 1/classes, a tie)."""
    if not math.isfinite(confidence):
        return 0
    share = (confidence - low) / ((1.0 - low) or 1.0)
    return min(SHADES - 1, max(0, int(share * SHADES)))


def level(value: float, low: float = 0.0, high: float = 1.0) -> int:
    """The colour level of an output value (clipped to [low, high]; nan is the middle)."""
    if not math.isfinite(value):
        return LEVELS // 2 if math.isnan(value) else (LEVELS - 1 if value > 0 else 0)
    span = (high - low) or 1.0
    share = min(1.0, max(0.0, (value - low) / span))
    return min(LEVELS - 1, int(share * LEVELS))


def decision_map(
    grid: Sequence[Sequence[float]],
    points: Sequence[tuple[float, float, float]],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    labels: tuple[str, str] = ("x1", "x2"),
    low: float = 0.0,
    high: float = 1.0,
) -> list[Row]:
    """The map: ``grid[r][c]`` is the output at pixel row r (top = largest y) and column c.

    Outputs from ``low`` (class 0's colour) to ``high`` (class 1's) are coloured in ``LEVELS`` levels.

    ``grid`` has an even number of pixel rows; each text row shows two.
    ``points`` are (x, y, target) in input units, marked where they fall.
    """
    pixel_rows = len(grid)
    cols = len(grid[0]) if pixel_rows else 0
    rows = pixel_rows // 2
    marks: dict[tuple[int, int], int] = {}
    (x0, x1), (y0, y1) = x_range, y_range
    for x, y, target in points:
        c = round((x - x0) / ((x1 - x0) or 1.0) * (cols - 1))
        r = round((y1 - y) / ((y1 - y0) or 1.0) * (rows - 1))
        if 0 <= c < cols and 0 <= r < rows:
            marks[(r, c)] = 1 if target >= (low + high) / 2 else 0
    top_label, bottom_label = fmt(y1, 3), fmt(y0, 3)
    margin = max(len(top_label), len(bottom_label), len(labels[1]))
    out: list[Row] = []
    for r in range(rows):
        side = top_label if r == 0 else bottom_label if r == rows - 1 else labels[1] if r == rows // 2 else ""
        cells: list[tuple[str, str]] = [(side.rjust(margin) + " ", "axis")]
        for c in range(cols):
            top, bottom = level(grid[2 * r][c], low, high), level(grid[2 * r + 1][c], low, high)
            if (r, c) in marks:
                cls = marks[(r, c)]
                cells.append(("●" if cls else "○", f"point.{cls}.{(top + bottom) // 2}"))
            else:
                cells.append(("▀", f"map.{top}.{bottom}"))
        out.append(_runs(cells))
    left, right = fmt(x0, 3), fmt(x1, 3)
    axis = left + labels[0].center(max(0, cols - len(left) - len(right))) + right
    out.append([(" " * (margin + 1) + axis, "axis")])
    return out


def class_map(
    grid: Sequence[Sequence[float]],
    confidence: Sequence[Sequence[float]],
    points: Sequence[tuple[float, float, float]],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    labels: tuple[str, str] = ("x1", "x2"),
    low: float = 0.0,
) -> list[Row]:
    """A classifier's map: ``grid[r][c]`` the class it picks at pixel row r (top = largest y) and column c,
    ``confidence[r][c]`` its largest output there (``low`` = 1/classes, a tie); ``points`` are (x, y, class).

    ``grid`` has an even number of pixel rows; each text row shows two.
    """
    pixel_rows = len(grid)
    cols = len(grid[0]) if pixel_rows else 0
    rows = pixel_rows // 2
    marks: dict[tuple[int, int], int] = {}
    (x0, x1), (y0, y1) = x_range, y_range
    for x, y, cls in points:
        c = round((x - x0) / ((x1 - x0) or 1.0) * (cols - 1))
        r = round((y1 - y) / ((y1 - y0) or 1.0) * (rows - 1))
        if 0 <= c < cols and 0 <= r < rows:
            marks[(r, c)] = int(cls)

    def pixel(r: int, c: int) -> tuple[int, int]:
        sure = confidence[r][c]
        if not math.isfinite(sure):
            return -1, 0  # the outputs are not numbers here
        return min(int(grid[r][c]), MAX_CLASSES - 1), shade(sure, low)

    top_label, bottom_label = fmt(y1, 3), fmt(y0, 3)
    margin = max(len(top_label), len(bottom_label), len(labels[1]))
    out: list[Row] = []
    for r in range(rows):
        side = top_label if r == 0 else bottom_label if r == rows - 1 else labels[1] if r == rows // 2 else ""
        cells: list[tuple[str, str]] = [(side.rjust(margin) + " ", "axis")]
        for c in range(cols):
            (top, top_shade), (bottom, bottom_shade) = pixel(2 * r, c), pixel(2 * r + 1, c)
            if (r, c) in marks:
                cls = marks[(r, c)]
                under, under_shade = (top, top_shade) if top_shade >= bottom_shade else (bottom, bottom_shade)
                cells.append((class_mark(cls), f"mark.{min(cls, MAX_CLASSES - 1)}.{under}.{under_shade}"))
            else:
                cells.append(("▀", f"class.{top}.{top_shade}.{bottom}.{bottom_shade}"))
        out.append(_runs(cells))
    left, right = fmt(x0, 3), fmt(x1, 3)
    axis = left + labels[0].center(max(0, cols - len(left) - len(right))) + right
    out.append([(" " * (margin + 1) + axis, "axis")])
    return out


def legend(names: Sequence[str]) -> Row:
    """Which symbol marks which class: ``● t1  ▲ t2  ■ t3``, each in its class's colour."""
    row: Row = []
    for cls, name in enumerate(names):
        if row:
            row.append(("  ", ""))
        row.append((f"{class_mark(cls)} {name}", f"legend.{min(cls, MAX_CLASSES - 1)}"))
    return row


def fitted_curve(
    xs: Sequence[float],
    ys: Sequence[float],
    points: Sequence[tuple[float, float]],
    height: int,
    labels: tuple[str, str] = ("x", "y"),
) -> list[Row]:
    """The curve (x, y) sampled once per column, with data points (x, t), ``height`` text rows high."""
    cols = len(xs)
    finite = [v for v in [*ys, *(t for _, t in points)] if math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if high == low:
        low, high = low - 1.0, high + 1.0
    pixel_rows = 2 * height
    x0, x1 = (xs[0], xs[-1]) if cols else (0.0, 1.0)

    def pixel(value: float) -> int | None:
        if not math.isfinite(value):
            return None
        return round((high - value) / (high - low) * (pixel_rows - 1))

    on = [[False] * cols for _ in range(pixel_rows)]
    previous = None
    for c, y in enumerate(ys):
        p = pixel(y)
        if p is None:
            previous = None
            continue
        # Join to the previous column so steep parts stay a line.
        lo, hi = (p, p) if previous is None else (min(p, previous), max(p, previous))
        for q in range(lo, hi + 1):
            on[q][c] = True
        previous = p
    marks = set()
    for x, t in points:
        c = round((x - x0) / ((x1 - x0) or 1.0) * (cols - 1))
        p = pixel(t)
        if p is not None and 0 <= c < cols:
            marks.add((p // 2, c))
    top_label, bottom_label = fmt(high, 3), fmt(low, 3)
    margin = max(len(top_label), len(bottom_label), len(labels[1]))
    out: list[Row] = []
    for r in range(height):
        side = top_label if r == 0 else bottom_label if r == height - 1 else labels[1] if r == height // 2 else ""
        cells: list[tuple[str, str]] = [(side.rjust(margin) + " ┤", "axis")]
        for c in range(cols):
            if (r, c) in marks:
                cells.append(("●", "dot"))
                continue
            top, bottom = on[2 * r][c], on[2 * r + 1][c]
            cells.append(("█" if top and bottom else "▀" if top else "▄" if bottom else " ", "curve"))
        out.append(_runs(cells))
    left, right = fmt(x0, 3), fmt(x1, 3)
    axis = left + labels[0].center(max(0, cols - len(left) - len(right))) + right
    out.append([(" " * (margin + 2) + axis, "axis")])
    return out


def plain(rows: list[Row]) -> str:
    return "\n".join("".join(text for text, _ in row).rstrip() for row in rows)
