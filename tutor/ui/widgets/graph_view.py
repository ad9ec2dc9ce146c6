"""The computational graph, drawn left to right with box-drawing characters.

The layout is computed once per lesson and view; each step only re-renders
the canvas with new labels and styles. Only the visible rows are turned into
strips, so large graphs scroll smoothly.
"""

from __future__ import annotations

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


def _edge(e: ViewEdge) -> EdgeSpec:
    return EdgeSpec(e.source, e.target, e.position)


def graph_spec(lesson: Lesson) -> GraphSpec:
    """The boxes and edges of the lesson's view, for the layout."""
    nodes = tuple(NodeSpec(n.key, n.title, n.subtitle, n.kind) for n in lesson.nodes)
    return GraphSpec(nodes, tuple(_edge(e) for e in lesson.edges))


def render_state(
    lesson: Lesson,
    frame: Frame,
    selected: str | None = None,
    highlight_nodes: frozenset[str] = frozenset(),
    highlight_edges: frozenset[ViewEdge] = frozenset(),
) -> RenderState:
    """Labels and styles for one frame: values, gradients, current and selected."""
    values = {key: fmt(v, GRAPH_DIGITS) for key, v in frame.values.items()}
    # A constant's gradient is real but teaches nothing: nobody can change it.
    is_constant = lesson.graph.is_constant
    grads = {key: grad_text(g) for key, g in frame.grads.items() if not is_constant(key)}
    node_style: dict[str, str] = {}
    backward = bool(frame.grads)
    for node in lesson.nodes:
        key = node.key
        if key not in frame.computed:
            node_style[key] = "pending"
        elif backward and key not in frame.grads:
            node_style[key] = "pending"
        else:
            node_style[key] = "done"
        if key in highlight_nodes:
            node_style[key] = "highlight"
    if selected in node_style:
        node_style[selected] = "selected"
    if frame.current:
        node_style[frame.current] = "current"
    edge_style: dict[EdgeSpec, str] = {}
    for e in lesson.edges:
        spec = _edge(e)
        if e in frame.active_edges:
            edge_style[spec] = "active"
        elif e in highlight_edges:
            edge_style[spec] = "highlight"
        elif e.target not in frame.computed or (backward and e not in frame.edge_grads):
            edge_style[spec] = "pending"
        else:
            edge_style[spec] = "done"
    return RenderState(
        values=values,
        grads=grads,
        edge_value={_edge(e): fmt(v, GRAPH_DIGITS) for e, v in frame.edge_values.items()},
        edge_grad={_edge(e): grad_text(g) for e, g in frame.edge_grads.items() if not is_constant(e.source)},
        node_style=node_style,
        edge_style=edge_style,
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
        self._rows: dict[int, list[tuple[str, str]]] = {}
        self._state: RenderState | None = None
        self._strips: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._neurons: NeuronCanvas | None = None
        """The neuron view's drawing (lessons in the neurons view), redrawn for each frame."""
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
        # Rows are rendered in blocks as they scroll into view: a big graph
        # costs a few milliseconds per step, not a full-canvas render.
        self._state = state
        self._rows = {}
        self._strips.clear()
        self.refresh()
        focus = frame.current or selected
        if scroll and focus:
            self.bring_into_view(focus)

    def _show_neurons(
        self, frame: Frame, selected: str | None, highlight_nodes: frozenset[str],
        highlight_edges: frozenset[ViewEdge], scroll: bool,
    ) -> None:
        """The neuron view: drawn whole for each frame, sized to the space the widget has."""
        lesson = self.lesson
        self._shown = (frame, selected, highlight_nodes, highlight_edges)
        width, height = self.scrollable_content_region.size
        others = other_nodes(lesson.network, [n.key for n in lesson.nodes])
        self._neurons = draw_network(
            lesson.network, frame, others, selected, highlight_nodes, highlight_edges, height=height, width=width
        )
        self._update_styles()
        # Blank rows below the drawing fill the pane with the widget's own background.
        rows = self._neurons.rows + [[(" " * self._neurons.width, "")]] * max(0, height - self._neurons.height)
        self.virtual_size = Size(self._neurons.width, len(rows))
        self._state = None
        self._rows = dict(enumerate(rows))
        self._strips.clear()
        self.refresh()
        focus = frame.current or selected
        if scroll and focus:
            self.bring_into_view(focus)

    def _box(self, key: str):
        """Where a node is drawn, in either view (None if it is not drawn)."""
        if self._neurons is not None:
            return self._neurons.blocks.get(key)
        if self._canvas is None:
            return None
        return self._canvas.boxes.get(key)

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
            # The neuron view picks its form (full or compact) for the space it has.
            self._show_neurons(*self._shown, scroll=False)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: object) -> None:
        """New theme: restyle the canvas (its layout and labels stay)."""
        self._update_styles()
        self.refresh()

    def _row(self, y: int) -> list[tuple[str, str]] | None:
        if self._neurons is not None:
            return self._rows.get(y)
        if self._canvas is None or not 0 <= y < self._canvas.height or self._state is None:
            return None
        if y not in self._rows:
            top = y - y % ROW_BLOCK
            bottom = min(self._canvas.height, top + ROW_BLOCK)
            for offset, row in enumerate(render(self._canvas, self._state, top, bottom)):
                self._rows[top + offset] = row
        return self._rows[y]

    def rows(self) -> list[list[tuple[str, str]]]:
        """Every canvas row of the current frame (for tests and screenshots)."""
        if self._neurons is not None:
            return list(self._neurons.rows)
        if self._canvas is None:
            return []
        return [self._row(y) or [] for y in range(self._canvas.height)]

    def _strip(self, y: int) -> Strip:
        strip = self._strips.get(y)
        if strip is None:
            row = self._row(y)
            if row is not None:
                styles = self._styles
                default = styles[""]
                segments = [Segment(text, styles.get(style, default)) for text, style in row]
                strip = Strip(segments)
            else:
                strip = Strip.blank(self.virtual_size.width)
            self._strips[y] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        strip = self._strip(scroll_y + y)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def boxes(self) -> dict[str, Rect]:
        """Every node's box on the canvas, by key."""
        if self._neurons is not None:
            return {k: Rect(b.x, b.y, b.w, b.h) for k, b in self._neurons.blocks.items()}
        return dict(self._canvas.boxes) if self._canvas is not None else {}

    def box_of(self, key: str) -> Rect:
        """One node's box on the canvas."""
        return self.boxes()[key]

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
