"""Density levels of the graph drawing, and the choice of the level that fits.

A learner's window is often 80×24, where the boxes of :mod:`tutor.draw.layout`
(six rows each) show three nodes at most. The same graph can be drawn denser:

* ``boxes``: today's bordered boxes, edge labels above and below each line;
* ``compact``: two rows a node, no border: ``name op`` over ``value ∂gradient``;
* ``line``: one row a node: ``name`` and one number (the gradient once it
  has arrived, the value before);
* ``names``: one row a node, the name only: the smallest form, for big graphs.

Every level is laid out by the same layering, ordering and routing as the
boxes (so the picture keeps its shape when zooming), and every drawing has
the same interface: ``width``, ``height``, ``boxes`` (where each node is, for
scrolling and clicks) and :func:`render_drawing` for one step's rows. The
graph view, and any other view that lays out nodes and edges (a network view),
uses :func:`choose_level` to pick the level that fits its window.

Pure Python (no Textual).
"""

from __future__ import annotations

from typing import Union

from tutor.startup import paused_gc
from tutor.draw.canvas import render
from tutor.draw.dense_canvas import draw_lines, render_dense
from tutor.draw.dense_layout import (
    COMPACT, GEOMETRY, LINE, NAMES, NUMBER_WIDTH, DenseLayout, Numbers, node_sizes, shape,
)
from tutor.draw.dense_layout import dense_layout as _place_dense
from tutor.draw.layout import layout
from tutor.draw.place import box_size
from tutor.draw.specs import ROW_GAP, GraphSpec, Layout, RenderState

__all__ = [
    "BOXES",
    "COMPACT",
    "LEVELS",
    "LINE",
    "NAMES",
    "NUMBER_WIDTH",
    "DenseLayout",
    "Drawing",
    "Numbers",
    "dense_layout",
    "draw",
    "choose_level",
    "render_drawing",
]

BOXES = "boxes"
LEVELS = (BOXES, COMPACT, LINE, NAMES)
"""From the most detailed to the smallest."""

Drawing = Union[Layout, DenseLayout]

def _sizes(spec: GraphSpec, level: str, numbers: Numbers | None, value_width: int) -> list[tuple[int, int]]:
    if level == BOXES:
        ports = shape(spec).ports
        return [box_size(node, ports[i], value_width) for i, node in enumerate(spec.nodes)]
    return node_sizes(spec, level, numbers)


def _layers(spec: GraphSpec) -> list[int]:
    """Each node's layer (see ``longest_path_layers``), kept for the last spec asked about."""
    return shape(spec).layer


def _narrowest(spec: GraphSpec, level: str, value_width: int) -> int:
    """A width no drawing of ``spec`` at ``level`` is narrower than, from the number of layers alone."""
    if not spec.nodes:
        return 0
    nl = max(_layers(spec)) + 1
    # A box is at least its value wide plus borders and padding, a channel at least its labels;
    # a dense node at least its arrow and out-port cells, a channel at least one column.
    node, between = (value_width + 4, value_width + 4) if level == BOXES else (2, 1)
    return node * nl + between * (nl - 1)


def lower_bound(spec: GraphSpec, level: str, numbers: Numbers | None = None, value_width: int = 10) -> tuple[int, int]:
    """A quick (width, height) that the level's drawing cannot be smaller than.

    Lets :func:`choose_level` skip levels that cannot fit without laying them out.
    """
    if not spec.nodes:
        return 0, 0
    layer = _layers(spec)
    sizes = _sizes(spec, level, numbers, value_width)
    nl = max(layer) + 1
    col_w = [0] * nl
    col_h = [0] * nl
    gap = ROW_GAP if level == BOXES else GEOMETRY[level].gap
    for i, (w, h) in enumerate(sizes):
        col_w[layer[i]] = max(col_w[layer[i]], w)
        col_h[layer[i]] += h + gap
    between = (value_width + 4) if level == BOXES else 1
    return sum(col_w) + between * (nl - 1), max(col_h) - gap


def dense_layout(spec: GraphSpec, level: str, numbers: Numbers | None = None) -> DenseLayout:
    """Place and route ``spec`` at a dense level (compact, line or names): see ``tutor.draw.dense_layout``."""
    result = _place_dense(spec, level, numbers)
    draw_lines(result)
    return result


def draw(spec: GraphSpec, level: str, value_width: int = 10, numbers: Numbers | None = None) -> Drawing:
    """``spec`` laid out at ``level``; ``numbers``: see :data:`Numbers`."""
    if level == BOXES:
        return layout(spec, value_width=value_width)
    return dense_layout(spec, level, numbers)


def render_drawing(
    drawing: Drawing, state: RenderState, top: int = 0, bottom: int | None = None,
    left: int = 0, right: int | None = None,
) -> list[list[tuple[str, str]]]:
    """One step's rows of any level's drawing: runs of (text, style name) per row, ``left`` to ``right``."""
    if isinstance(drawing, DenseLayout):
        return render_dense(drawing, state, top, bottom, left, right)
    return render(drawing, state, top, bottom, left, right)


def choose_level(
    spec: GraphSpec,
    width: int,
    height: int,
    value_width: int = 10,
    numbers: Numbers | None = None,
    levels: tuple[str, ...] = LEVELS,
    cache: dict[str, Drawing] | None = None,
) -> tuple[str, Drawing]:
    """The most detailed level whose drawing fits ``width`` × ``height`` cells.

    The smallest level is used (and scrolled) when none fits. Levels that
    cannot fit by a quick bound are never laid out, so a big graph costs one
    layout, not four; ``cache`` (level -> drawing, for one spec) keeps them
    for the next fit (a resize).
    """
    with paused_gc():  # sizing and laying out make many objects and no garbage
        return _choose_level(spec, width, height, value_width, numbers, levels, cache)


def _choose_level(
    spec: GraphSpec, width: int, height: int, value_width: int, numbers: Numbers | None,
    levels: tuple[str, ...], cache: dict[str, Drawing] | None,
) -> tuple[str, Drawing]:
    for level in levels[:-1]:
        if _narrowest(spec, level, value_width) > width:
            continue  # too many layers side by side, whatever their nodes
        w, h = lower_bound(spec, level, numbers, value_width)
        if w > width or h > height:
            continue
        drawing = _cached(cache, level, lambda: draw(spec, level, value_width, numbers))
        if drawing.width <= width and drawing.height <= height:
            return level, drawing
    level = levels[-1]
    return level, _cached(cache, level, lambda: draw(spec, level, value_width, numbers))


def _cached(cache: dict[str, Drawing] | None, level: str, make) -> Drawing:  # noqa: ANN001 - () -> Drawing
    """A level's drawing from ``cache`` (same spec and numbers), made once."""
    if cache is None:
        return make()
    if level not in cache:
        cache[level] = make()
    return cache[level]
