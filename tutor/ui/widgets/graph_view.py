"""The computational graph, drawn left to right with box-drawing characters.

The layout is computed once per lesson and view; each step only re-renders
the part of the canvas in view (blocks of rows and columns around the
window), with labels and styles looked up for what is there, so a step costs
the same on a graph of ten nodes or ten thousand. The drawing has four
densities (``tutor.draw.density``); the one that fits is chosen on open and
on resize, and + - 0 zoom and fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.actions import SkipAction
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tutor.draw import network as network_drawing  # deferred (tutor.startup): most lessons draw no neurons
from tutor.draw.density import BOXES, LEVELS, NAMES, Drawing, Numbers, draw, choose_level, render_drawing
from tutor.draw.layout import GraphSpec, Rect, RenderState
from tutor.i18n import N_, language
from tutor.startup import paused_gc
from tutor.teach.lesson import NEURONS, Frame, Lesson, ViewEdge
from tutor.ui.theme import GRAD_MARK, graph_styles
from tutor.ui.widgets.graph_state import graph_spec, number_cells, render_state  # noqa: F401 - also imported from here

if TYPE_CHECKING:
    from tutor.draw.network import NeuronCanvas


VALUE_WIDTH = 10
ROW_BLOCK = 48
"""Canvas rows rendered together when they come into view."""
COL_BLOCK = 128
"""Canvas columns rendered together: a window is drawn from whole column blocks."""
PAN_SHARE = 4
"""A pan key (Shift+arrow) moves the drawing by this share of the pane: a quarter, not one cell."""


class GraphView(ScrollView, can_focus=True, inherit_bindings=False):
    """Scrollable drawing of the lesson's graph at one step, at one of four densities.

    The density (boxes, compact, line, names) that fits the room given by
    :meth:`set_room` is chosen on open and on resize; ``+`` and ``-`` zoom in
    and out from there, ``0`` fits again.
    """

    BINDINGS = [
        Binding("shift+left", "scroll_left", N_("Pan left"), show=False, tooltip=N_("Pan the graph left")),
        Binding("shift+right", "scroll_right", N_("Pan right"), show=False, tooltip=N_("Pan the graph right")),
        Binding("shift+up", "scroll_up", N_("Pan up"), show=False, tooltip=N_("Pan the graph up")),
        Binding("shift+down", "scroll_down", N_("Pan down"), show=False, tooltip=N_("Pan the graph down")),
        Binding("plus,equals_sign", "zoom(-1)", N_("Zoom in"), show=False,
                tooltip=N_("Zoom in: boxes, compact nodes, one line a node, names only")),
        Binding("minus", "zoom(1)", N_("Zoom out"), show=False, tooltip=N_("Zoom out: a denser drawing of the graph")),
        Binding("0", "zoom_fit", N_("Fit"), show=False, tooltip=N_("Fit the whole graph in its pane")),
    ]

    DEFAULT_CSS = """
    GraphView { background: $surface; scrollbar-size: 1 1; }
    """

    class NodeSelected(Message):
        """A node was clicked."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class LevelChanged(Message):
        """The drawing's density changed (fit, zoom or resize): its height may have changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lesson: Lesson | None = None
        self._canvas: Drawing | None = None
        self.level: str = BOXES
        self.zoomed: str | None = None
        """The level chosen with + and -, or None to fit."""
        self.room: tuple[int, int] | None = None
        """Cells the whole drawing should fit in (set by the screen), or None for the widget's size."""
        self._spec: GraphSpec | None = None
        self._drawings: dict[str, Drawing] = {}
        """Drawings made for the current spec, by density: zooming back or resizing reuses them."""
        self._numbers: Numbers | None = None
        self._language = ""
        """The language the boxes' labels were laid out in."""
        self._frame_args: tuple | None = None
        self._state: RenderState | None = None
        self._strips: dict[tuple[int, int, int], list[Strip]] = {}
        """Rendered blocks of the current frame, by (row block, first and last column block)."""
        self._styles: dict[str, Style] = {}
        self._neurons: NeuronCanvas | None = None
        """The neuron view's drawing (lessons in the neurons view), redrawn whole for each frame."""
        self._neuron_strips: list[Strip] = []
        self._neuron_cells: tuple[Lesson, list[str], dict[str, int], set] | None = None
        """The lesson whose columns were last sized, the nodes after its net, each column's cells, and the
        forms of its net noted as too big for a window (``draw_network``'s ``too_big``)."""
        self._shown: tuple | None = None

    def set_lesson(self, lesson: Lesson) -> None:
        """Lay out a new lesson (or view); call ``show`` next."""
        if lesson.view == NEURONS:
            self.lesson = lesson
            self._canvas = None
            self._spec = None  # no box layout behind the neuron view: a resize must not lay one out
            self._frame_args = None
            return
        self._neurons = None
        same_shape = (
            self.lesson is not None
            and self._spec is not None
            and self.lesson.scenario is lesson.scenario
            and self.lesson.view == lesson.view
            and self._language == language()  # the boxes' labels (input, 4 nodes) are in the language shown
        )
        self.lesson = lesson
        numbers = number_cells(lesson)
        if not same_shape or numbers != self._numbers:
            with paused_gc():  # a box and an edge record for every node and edge: no garbage to find
                self._spec = graph_spec(lesson)
            self._numbers = numbers
            self._language = language()
            self._drawings: dict[str, Drawing] = {}
            self._relayout()

    def set_room(self, room: tuple[int, int] | None) -> None:
        """Fit the drawing into ``room`` (width, height) cells from now on."""
        if room != self.room:
            self.room = room
            if self._neurons is not None and self._shown is not None:
                self._show_neurons(*self._shown, scroll=False)  # the net's form depends on the room too
            elif self.zoomed is None:
                self._relayout()

    def _room(self) -> tuple[int, int]:
        if self.room is not None:
            return self.room
        return self.size.width, self.size.height

    def _relayout(self) -> None:
        if self._spec is None:
            return
        width, height = self._room()
        if width <= 0 or height <= 0:
            self._canvas = None
            return
        before = self.level
        if self.zoomed is None:
            self.level, self._canvas = choose_level(
                self._spec, width, height, VALUE_WIDTH, self._numbers, cache=self._drawings
            )
        else:
            self.level = self.zoomed
            if self.level not in self._drawings:
                self._drawings[self.level] = draw(self._spec, self.level, VALUE_WIDTH, self._numbers)
            self._canvas = self._drawings[self.level]
        self.virtual_size = Size(self._canvas.width, self._canvas.height)
        if self._frame_args is not None:
            self._paint(*self._frame_args)
        if self.level != before or self.is_mounted:
            self.post_message(self.LevelChanged())

    def action_zoom(self, delta: int) -> None:
        """Zoom in (-1: more detail) or out (+1: denser)."""
        index = max(0, min(len(LEVELS) - 1, LEVELS.index(self.level) + delta))
        if LEVELS[index] == self.level:
            self.app.bell()
            return
        self.zoomed = LEVELS[index]
        self._relayout()
        self._keep_current_in_view()

    def action_zoom_fit(self) -> None:
        """Back to the level that fits."""
        self.zoomed = None
        self._relayout()
        self._keep_current_in_view()

    def _keep_current_in_view(self) -> None:
        """After a zoom: the current (or selected) node and its inputs in view, once the stage has refitted."""
        if self._frame_args is None:
            return
        frame, selected = self._frame_args[:2]
        focus = frame.current or selected
        if focus:
            self.call_after_refresh(lambda: self.call_after_refresh(self.bring_into_view, focus, frame))

    @property
    def drawing_height(self) -> int:
        if self._neurons is not None:
            return self._neurons.height
        return self._canvas.height if self._canvas is not None else 0

    def show(
        self,
        frame: Frame,
        selected: str | None = None,
        highlight_nodes: frozenset[str] = frozenset(),
        highlight_edges: frozenset[ViewEdge] = frozenset(),
        scroll: bool = True,
    ) -> None:
        """Draw one frame; keep the current (or selected) node in view."""
        assert self.lesson is not None
        if self.lesson.view == NEURONS:
            self._show_neurons(frame, selected, highlight_nodes, highlight_edges, scroll)
            return
        self._frame_args = (frame, selected, highlight_nodes, highlight_edges, scroll)
        if frame.grad_mark != GRAD_MARK and self._numbers is not None and self.level not in (BOXES, NAMES):
            # A mode's numbers (forward mode's tangents) are not the lesson's: cells grow for them, never cut.
            fitting = self._numbers.fitting(frame)
            if fitting is not self._numbers:
                self._numbers = fitting
                self._drawings = {}
                self._canvas = None
        if self._canvas is None:
            self._relayout()
        if self._canvas is not None:
            self._paint(*self._frame_args)

    def _paint(self, frame, selected, highlight_nodes, highlight_edges, scroll) -> None:  # noqa: ANN001
        state = render_state(
            self.lesson, frame, selected, highlight_nodes, highlight_edges, short=self.level != BOXES,
            numbers=self._numbers,
        )
        self._update_styles()
        # Rows are rendered in blocks as they scroll into view: a big graph
        # costs a few milliseconds per step, not a full-canvas render.
        self._state = state
        self._strips.clear()
        self.refresh()
        focus = frame.current or selected
        if scroll and focus:
            self.bring_into_view(focus, frame)

    def _show_neurons(
        self, frame: Frame, selected: str | None, highlight_nodes: frozenset[str],
        highlight_edges: frozenset[ViewEdge], scroll: bool,
    ) -> None:
        """The neuron view: drawn whole for each frame (a net is small), in the form that fits the pane."""
        lesson = self.lesson
        self._shown = (frame, selected, highlight_nodes, highlight_edges)
        width, height = self._room()
        if self._neuron_cells is None or self._neuron_cells[0] is not lesson:
            # Each column sized once per lesson, for the widest number it shows at any step.
            others = network_drawing.other_nodes(lesson.network, [n.key for n in lesson.nodes])
            frames = (lesson.frame(k) for k in range(lesson.last + 1))
            self._neuron_cells = (lesson, others, network_drawing.column_cells(lesson.network, frames, others), set())
        _, others, cells, too_big = self._neuron_cells
        self._neurons = network_drawing.draw_network(
            lesson.network, frame, others, selected, highlight_nodes, highlight_edges, height=height, width=width,
            edges=lesson.edges, cells=cells, too_big=too_big,
        )
        self._update_styles()
        styles = self._styles
        default = styles[""]
        self._neuron_strips = [
            Strip([Segment(text, styles.get(style, default)) for text, style in row]) for row in self._neurons.rows
        ]
        # Rows below the drawing are drawn as styled blanks (render_line), so no taller canvas is needed.
        self.virtual_size = Size(self._neurons.width, self._neurons.height)
        self.refresh()
        focus = frame.current or selected
        if scroll and focus:
            self.bring_into_view(focus)

    def _box(self, key: str) -> Rect | None:
        """Where a node is drawn, in either kind of drawing (None if it is not drawn)."""
        if self._neurons is not None:
            block = self._neurons.blocks.get(key)
            return Rect(block.x, block.y, block.w, block.h) if block else None
        return self._canvas.boxes.get(key) if self._canvas is not None else None

    def bring_into_view(self, key: str, frame: Frame | None = None) -> None:
        """Centre a node (with its incoming edges when they fit) if it is not already wholly visible."""
        box = self._box(key)
        if box is None:
            return
        region = Region(box.x, box.y, box.w, box.h)
        if frame is not None and frame.current == key and self.lesson is not None and self._neurons is None:
            for edge in self.lesson.edges_into(key):
                source = self._canvas.boxes.get(edge.source)
                if source is not None:
                    wider = region.union(Region(source.x, source.y, source.w, source.h))
                    if wider.width <= self.scrollable_content_region.width and (
                        wider.height <= self.scrollable_content_region.height
                    ):
                        region = wider
        self.bring_region_into_view(region)

    def bring_region_into_view(self, region: Region) -> None:
        """Scroll so ``region`` (canvas cells) is in view: centred if it fits, its top-left corner if not."""
        visible = Region(int(self.scroll_x), int(self.scroll_y), *self.scrollable_content_region.size)
        if visible.contains_region(region):
            return
        width, height = self.scrollable_content_region.size
        x = region.x + region.width // 2 - width // 2 if region.width <= width else region.x - 1
        y = region.y + region.height // 2 - height // 2 if region.height <= height else region.y - 1
        self.scroll_to(x=max(0, x), y=max(0, y), animate=False, immediate=True)

    def bring_nodes_into_view(self, keys: frozenset[str], start: str | None = None) -> None:
        """Bring nodes (a highlighted path) into view; when they do not fit, where they start (``start``)."""
        if self._canvas is None:
            return
        boxes = self._canvas.boxes
        rects = [boxes[key] for key in keys if key in boxes]
        if not rects:
            return
        region = Region.from_union([Region(b.x, b.y, b.w, b.h) for b in rects])
        room = self.scrollable_content_region
        if (region.width > room.width or region.height > room.height) and start in boxes:
            box = boxes[start]
            region = Region(box.x, box.y, min(region.right - box.x, room.width), box.h)
        self.bring_region_into_view(region)

    def _update_styles(self) -> None:
        """Theme styles, each already combined with the widget's base style (cached per theme)."""
        key = (self.app.theme, self.rich_style)
        if key != getattr(self, "_styles_key", None):
            base = self.rich_style
            self._styles = {name: base + style for name, style in graph_styles(self.app.current_theme).items()}
            self._styles_key = key
            self._strips.clear()

    def on_resize(self) -> None:
        self._strips.clear()
        if self._neurons is not None and self._shown is not None:
            # The neuron view picks its form (full, compact, ...) for the space it has.
            self._show_neurons(*self._shown, scroll=False)
        elif self.room is None and self.zoomed is None:
            self._relayout()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: object) -> None:
        """New theme: restyle the canvas (its layout and labels stay)."""
        self._update_styles()
        if self._neurons is not None and self._shown is not None:
            self._show_neurons(*self._shown, scroll=False)
        self.refresh()

    def rows(self) -> list[list[tuple[str, str]]]:
        """Every canvas row of the current frame (for tests and screenshots)."""
        if self._neurons is not None:
            return list(self._neurons.rows)
        if self._canvas is None or self._state is None:
            return []
        return render_drawing(self._canvas, self._state)

    def _block(self, by: int, cx0: int, cx1: int) -> list[Strip]:
        """Strips of row block ``by``, columns from block ``cx0`` through ``cx1``."""
        key = (by, cx0, cx1)
        strips = self._strips.get(key)
        if strips is None:
            assert self._canvas is not None and self._state is not None
            top = by * ROW_BLOCK
            rows = render_drawing(
                self._canvas, self._state, top, top + ROW_BLOCK, cx0 * COL_BLOCK, (cx1 + 1) * COL_BLOCK
            )
            styles = self._styles
            default = styles[""]
            strips = [Strip([Segment(text, styles.get(style, default)) for text, style in row]) for row in rows]
            self._strips[key] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        y += scroll_y
        if self._neurons is not None:
            strip = self._neuron_strips[y] if 0 <= y < len(self._neuron_strips) else Strip.blank(0)
            return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)
        if self._canvas is None or self._state is None or not 0 <= y < self._canvas.height or width <= 0:
            # Blank rows carry the background: unstyled cells export as a dark block.
            return Strip.blank(width, self.rich_style)
        cx0 = scroll_x // COL_BLOCK
        cx1 = (scroll_x + width - 1) // COL_BLOCK
        strip = self._block(y // ROW_BLOCK, cx0, cx1)[y % ROW_BLOCK]
        start = scroll_x - cx0 * COL_BLOCK
        return strip.crop_extend(start, start + width, self.rich_style)

    def boxes(self) -> dict[str, Rect]:
        """Every node's box on the canvas, by key."""
        if self._neurons is not None:
            return {key: self._box(key) for key in self._neurons.blocks}
        return dict(self._canvas.boxes) if self._canvas is not None else {}

    def box_of(self, key: str) -> Rect:
        """One node's box on the canvas."""
        box = self._box(key)
        assert box is not None, key
        return box

    def _pan(self, dx: int, dy: int) -> None:
        """Move the view by ``dx``, ``dy`` quarters of the pane (at least a cell)."""
        width, height = self.scrollable_content_region.size
        self.scroll_to(
            x=self.scroll_target_x + dx * max(1, width // PAN_SHARE),
            y=self.scroll_target_y + dy * max(1, height // PAN_SHARE),
            animate=False,
            immediate=True,
        )

    def action_scroll_left(self) -> None:
        """Pan left a quarter of the pane."""
        if not self.allow_horizontal_scroll:
            raise SkipAction()
        self._pan(-1, 0)

    def action_scroll_right(self) -> None:
        """Pan right a quarter of the pane."""
        if not self.allow_horizontal_scroll:
            raise SkipAction()
        self._pan(1, 0)

    def action_scroll_up(self) -> None:
        """Pan up a quarter of the pane."""
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self._pan(0, -1)

    def action_scroll_down(self) -> None:
        """Pan down a quarter of the pane."""
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self._pan(0, 1)

    def on_click(self, event) -> None:  # noqa: ANN001 - textual.events.Click
        # event.x/y count from the border; the canvas starts inside it.
        offset = event.get_content_offset(self)
        if offset is None:
            return
        scroll_x, scroll_y = self.scroll_offset
        canvas = self._neurons or self._canvas
        key = canvas.node_at(offset.x + scroll_x, offset.y + scroll_y) if canvas else None
        if key is not None:
            self.post_message(self.NodeSelected(key))
