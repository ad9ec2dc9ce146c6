"""The computational graph, drawn left to right with box-drawing characters.

The layout is computed once per lesson and view; each step only re-renders
the part of the canvas in view (blocks of rows and columns around the
window), with labels and styles looked up for what is there, so a step costs
the same on a graph of ten nodes or ten thousand.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tutor.draw.neurons import NeuronCanvas, draw_network, other_nodes
from tutor.teach.lesson import NEURONS, Frame, Lesson, ViewEdge
from tutor.engine.numbers import fmt
from tutor.draw.layout import EdgeSpec, GraphSpec, Layout, NodeSpec, Rect, RenderState, layout, render
from tutor.ui.theme import grad_text, graph_styles


GRAPH_DIGITS = 4
"""Significant digits on the graph (the step panel shows 6)."""
VALUE_WIDTH = 10
ROW_BLOCK = 48
"""Canvas rows rendered together when they come into view."""
COL_BLOCK = 128
"""Canvas columns rendered together: a window is drawn from whole column blocks."""


def _edge(e: ViewEdge) -> EdgeSpec:
    return EdgeSpec(e.source, e.target, e.position)


def graph_spec(lesson: Lesson) -> GraphSpec:
    """The boxes and edges of the lesson's view, for the layout."""
    nodes = tuple(NodeSpec(n.key, n.title, n.subtitle, n.kind) for n in lesson.nodes)
    return GraphSpec(nodes, tuple(_edge(e) for e in lesson.edges))


class _Lookup(Mapping):
    """A read-only mapping whose entries are computed when looked up.

    Rendering looks up only the nodes and edges in view, so a step on a big
    graph formats a few dozen labels, not one per node.
    """

    __slots__ = ("_get", "_keys")

    def __init__(self, get: Callable[[Hashable], str | None], keys: Callable[[], Iterable[Hashable]]) -> None:
        self._get = get
        self._keys = keys

    def __getitem__(self, key: Hashable) -> str:
        value = self._get(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: Hashable, default: str | None = None) -> str | None:
        value = self._get(key)
        return default if value is None else value

    def __iter__(self) -> Iterator[Hashable]:
        return (key for key in self._keys() if self._get(key) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def render_state(
    lesson: Lesson,
    frame: Frame,
    selected: str | None = None,
    highlight_nodes: frozenset[str] = frozenset(),
    highlight_edges: frozenset[ViewEdge] = frozenset(),
) -> RenderState:
    """Labels and styles for one frame: values, gradients, current and selected.

    Each entry is computed when the drawing looks it up (see ``_Lookup``).
    """
    # A constant's gradient is real but teaches nothing: nobody can change it.
    is_constant = lesson.graph.is_constant
    backward = bool(frame.grads)
    values, grads = frame.values, frame.grads
    computed = frame.computed

    def view_edge(e: EdgeSpec) -> ViewEdge:
        return ViewEdge(e.source, e.target, e.position)

    def value(key: str) -> str | None:
        v = values.get(key)
        return None if v is None else fmt(v, GRAPH_DIGITS)

    def grad(key: str) -> str | None:
        g = grads.get(key)
        # ∂ for a gradient, ṫ for a forward-mode tangent, δ at a neuron's weighted sum.
        return None if g is None or is_constant(key) else grad_text(g, mark=frame.marks.get(key, frame.grad_mark))

    def node_style(key: str) -> str | None:
        if key == frame.current:
            return "current"
        if key == selected:
            return "selected"
        if key in highlight_nodes:
            return "highlight"
        if key not in computed or (backward and key not in grads):
            return "pending"
        return "done"

    def edge_style(spec: EdgeSpec) -> str | None:
        e = view_edge(spec)
        if e in frame.active_edges:
            return "active"
        if e in highlight_edges:
            return "highlight"
        if e.target not in computed or (backward and e not in frame.edge_grads):
            return "pending"
        return "done"

    def edge_value(spec: EdgeSpec) -> str | None:
        v = frame.edge_values.get(view_edge(spec))
        return None if v is None else fmt(v, GRAPH_DIGITS)

    def edge_grad(spec: EdgeSpec) -> str | None:
        g = frame.edge_grads.get(view_edge(spec))
        return None if g is None or is_constant(spec.source) else grad_text(g, mark=frame.grad_mark)

    node_keys = lambda: (n.key for n in lesson.nodes)  # noqa: E731
    edge_keys = lambda: (_edge(e) for e in lesson.edges)  # noqa: E731
    return RenderState(
        values=_Lookup(value, node_keys),
        grads=_Lookup(grad, node_keys),
        edge_value=_Lookup(edge_value, edge_keys),
        edge_grad=_Lookup(edge_grad, edge_keys),
        node_style=_Lookup(node_style, node_keys),
        edge_style=_Lookup(edge_style, edge_keys),
    )


class GraphView(ScrollView, can_focus=True):
    """Scrollable drawing of the lesson's graph at one step."""

    BINDINGS = [
        Binding("shift+left", "scroll_left", "Pan left", show=False, tooltip="Scroll the graph left"),
        Binding("shift+right", "scroll_right", "Pan right", show=False, tooltip="Scroll the graph right"),
        Binding("shift+up", "scroll_up", "Pan up", show=False, tooltip="Scroll the graph up"),
        Binding("shift+down", "scroll_down", "Pan down", show=False, tooltip="Scroll the graph down"),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    DEFAULT_CSS = """
    GraphView { background: $surface; }
    """

    class NodeSelected(Message):
        """A node was clicked."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lesson: Lesson | None = None
        self._canvas: Layout | None = None
        self._state: RenderState | None = None
        self._strips: dict[tuple[int, int, int], list[Strip]] = {}
        """Rendered blocks of the current frame, by (row block, first and last column block)."""
        self._styles: dict[str, Style] = {}
        self._neurons: NeuronCanvas | None = None
        """The neuron view's drawing (lessons in the neurons view), redrawn whole for each frame."""
        self._neuron_strips: list[Strip] = []
        self._shown: tuple | None = None

    def set_lesson(self, lesson: Lesson) -> None:
        """Lay out a new lesson (or view); call ``show`` next."""
        if lesson.view == NEURONS:
            self.lesson = lesson
            self._canvas = None
            return
        self._neurons = None
        same_shape = (
            self.lesson is not None
            and self._canvas is not None
            and self.lesson.scenario is lesson.scenario
            and self.lesson.view == lesson.view
        )
        self.lesson = lesson
        if not same_shape:
            self._canvas = layout(graph_spec(lesson), value_width=VALUE_WIDTH)
            self.virtual_size = Size(self._canvas.width, self._canvas.height)

    def show(
        self,
        frame: Frame,
        selected: str | None = None,
        highlight_nodes: frozenset[str] = frozenset(),
        highlight_edges: frozenset[ViewEdge] = frozenset(),
        scroll: bool = True,
    ) -> None:
        """Draw one frame; keep the current (or selected) node in view."""
        if self.lesson is not None and self.lesson.view == NEURONS:
            self._show_neurons(frame, selected, highlight_nodes, highlight_edges, scroll)
            return
        assert self.lesson is not None and self._canvas is not None
        state = render_state(self.lesson, frame, selected, highlight_nodes, highlight_edges)
        self._update_styles()
        # Blocks are rendered as they come into view: a big graph costs a few
        # milliseconds per step, not a full-canvas render.
        self._state = state
        self._strips.clear()
        self.refresh()
        focus = frame.current or selected
        if scroll and focus:
            self.bring_into_view(focus)

    def _show_neurons(
        self, frame: Frame, selected: str | None, highlight_nodes: frozenset[str],
        highlight_edges: frozenset[ViewEdge], scroll: bool,
    ) -> None:
        """The neuron view: drawn whole for each frame (a net is small), in the form that fits the pane."""
        lesson = self.lesson
        self._shown = (frame, selected, highlight_nodes, highlight_edges)
        width, height = self.scrollable_content_region.size
        others = other_nodes(lesson.network, [n.key for n in lesson.nodes])
        self._neurons = draw_network(
            lesson.network, frame, others, selected, highlight_nodes, highlight_edges, height=height, width=width
        )
        self._update_styles()
        styles = self._styles
        default = styles[""]
        self._neuron_strips = [
            Strip([Segment(text, styles.get(style, default)) for text, style in row]) for row in self._neurons.rows
        ]
        # The pane is at least as tall as the drawing, so blank rows take the widget's background.
        self.virtual_size = Size(self._neurons.width, max(self._neurons.height, height))
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

    def bring_into_view(self, key: str) -> None:
        """Centre a node's box if it is not already wholly visible."""
        box = self._box(key)
        if box is None:
            return
        region = Region(box.x, box.y, box.w, box.h)
        visible = Region(int(self.scroll_x), int(self.scroll_y), *self.scrollable_content_region.size)
        if visible.contains_region(region):
            return
        width, height = self.scrollable_content_region.size
        # A box that fits (even exactly) is centred; a larger one shows its top-left corner.
        x = box.x + box.w // 2 - width // 2 if box.w <= width else box.x - 1
        y = box.y + box.h // 2 - height // 2 if box.h <= height else box.y - 1
        self.scroll_to(x=max(0, x), y=max(0, y), animate=False, immediate=True)

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
        return render(self._canvas, self._state)

    def _block(self, by: int, cx0: int, cx1: int) -> list[Strip]:
        """Strips of row block ``by``, columns from block ``cx0`` through ``cx1``."""
        key = (by, cx0, cx1)
        strips = self._strips.get(key)
        if strips is None:
            assert self._canvas is not None and self._state is not None
            top = by * ROW_BLOCK
            rows = render(
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
            return Strip.blank(self.virtual_size.width).crop_extend(scroll_x, scroll_x + width, self.rich_style)
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
