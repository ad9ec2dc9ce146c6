"""What the graph view draws at one frame, as a lookup the renderer reads cell by cell.

The view's boxes and edges (``graph_spec``), the numbers each box may show
(``number_cells``) and the labels and styles of one frame (``render_state``),
computed only for the nodes and edges the window shows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping

from tutor.draw.density import Numbers
from tutor.draw.layout import EdgeSpec, GraphSpec, NodeSpec, RenderState
from tutor.engine.numbers import fmt, fmt_short
from tutor.teach.lesson import Frame, Lesson, ViewEdge
from tutor.ui.theme import GRAD_MARK, grad_text

GRAPH_DIGITS = 4
"""Significant digits on the graph (the step panel shows 6)."""

def _edge(e: ViewEdge) -> EdgeSpec:
    return EdgeSpec(e.source, e.target, e.position)


def graph_spec(lesson: Lesson) -> GraphSpec:
    """The boxes and edges of the lesson's view, for the layout.

    A primitive inside a named group (``z1.mul1`` of ``z1``, in the expanded
    view) is drawn at the names level by its op (``×``): its name is the
    group's and a number, and the op is what it adds to the picture.
    """
    graph = lesson.graph

    def brief(node) -> str:  # noqa: ANN001 - a ViewNode
        group = graph.node(node.key).group
        inside = node.kind == "op" and group is not None and group != node.key
        return node.subtitle if inside and node.subtitle else ""

    nodes = tuple(NodeSpec(n.key, n.title, n.subtitle, n.kind, brief(n)) for n in lesson.nodes)
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
    short: bool = False,
) -> RenderState:
    """Labels and styles for one frame: values, gradients, current and selected.

    Each entry is computed when the drawing looks it up (see ``_Lookup``).
    ``short``: numbers in at most 7 cells, for the dense drawings.
    """
    number = fmt_short if short else (lambda x: fmt(x, GRAPH_DIGITS))
    # A constant's gradient is real but teaches nothing: nobody can change it.
    is_constant = lesson.graph.is_constant
    backward = bool(frame.grads)
    values, grads = frame.values, frame.grads
    computed = frame.computed

    def view_edge(e: EdgeSpec) -> ViewEdge:
        return ViewEdge(e.source, e.target, e.position)

    def value(key: str) -> str | None:
        v = values.get(key)
        return None if v is None else number(v)

    def grad(key: str) -> str | None:
        g = grads.get(key)
        # ∂ for a gradient, ṫ for a forward-mode tangent, δ at a neuron's weighted sum.
        if g is None or is_constant(key):
            return None
        mark = frame.marks.get(key, frame.grad_mark)
        return mark + number(g) if short else grad_text(g, mark=mark)

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


def number_cells(lesson: Lesson) -> Numbers:
    """Cells each node's value and gradient take in the dense drawings, at any step.

    Worked out on the first look-up: the names-only drawing (a big graph's, on
    open) never looks, and a graph's every step need not be gone through for it.
    """
    return _NumberCells(lesson)


class _NumberCells(Mapping):
    """The table of ``number_cells``, made when first read."""

    __slots__ = ("_lesson", "_table")

    def __init__(self, lesson: Lesson) -> None:
        self._lesson: Lesson | None = lesson
        self._table: dict[str, tuple[int, int]] | None = None

    def _cells(self) -> dict[str, tuple[int, int]]:
        if self._table is None:
            self._table = _number_table(self._lesson)
            self._lesson = None
        return self._table

    def __getitem__(self, key: str) -> tuple[int, int]:
        return self._cells()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._cells()

    def __iter__(self) -> Iterator[str]:
        return iter(self._cells())

    def __len__(self) -> int:
        return len(self._cells())


def _number_table(lesson: Lesson) -> dict[str, tuple[int, int]]:
    is_constant = lesson.graph.is_constant
    grads: dict[str, int] = {}
    for step in lesson.backward:
        for edge in step.edges:
            if not is_constant(edge.input):
                cells = len(GRAD_MARK + fmt_short(edge.grad_after))
                grads[edge.input] = max(grads.get(edge.input, 0), cells)
    grads[lesson.scenario.output] = max(grads.get(lesson.scenario.output, 0), 2)
    last = lesson.frame(lesson.last)
    return {
        node.key: (len(fmt_short(last.values[node.key])) if node.key in last.values else 1, grads.get(node.key, 0))
        for node in lesson.nodes
    }
