"""What the graph view draws at one frame, as a lookup the renderer reads cell by cell.

The view's boxes and edges (``graph_spec``), the numbers each box may show
(``number_cells``) and the labels and styles of one frame (``render_state``),
computed only for the nodes and edges the window shows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping

from tutor.draw.dense_layout import NUMBER_WIDTH, shape
from tutor.draw.density import Numbers
from tutor.draw.layout import EdgeSpec, GraphSpec, NodeSpec, RenderState
from tutor.draw.number_columns import MOST_DIGITS, column_digits, widest, written
from tutor.teach.lesson import Frame, Lesson, ViewEdge
from tutor.teach.text import MINUS
from tutor.ui.theme import GRAD_MARK

NUMBER_CELLS = NUMBER_WIDTH - 1
"""Cells a number of the dense drawings fits in (a small one in its exponent form rather than its column
losing digits; see ``tutor.draw.number_columns``)."""


def _edge(e: ViewEdge) -> EdgeSpec:
    return EdgeSpec(e.source, e.target, e.position)


def graph_spec(lesson: Lesson) -> GraphSpec:
    """The boxes and edges of the lesson's view, for the layout.

    A primitive inside a named group (``z1.mul1`` of ``z1``, in the expanded
    view) is drawn at the names level by its op (``×``): its name is the
    group's and a number, and the op is what it adds to the picture. A
    constant, named by its number, is written with ``−`` as every number is.
    """
    graph = lesson.graph

    def brief(node) -> str:  # noqa: ANN001 - a ViewNode
        group = graph.node(node.key).group
        inside = node.kind == "op" and group is not None and group != node.key
        return node.subtitle if inside and node.subtitle else ""

    def title(node) -> str:  # noqa: ANN001 - a ViewNode
        # A constant is named by its number: written with the graph's one minus sign.
        return node.title.replace("-", MINUS) if node.kind == "const" else node.title

    nodes = tuple(NodeSpec(n.key, title(n), n.subtitle, n.kind, brief(n)) for n in lesson.nodes)
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
    numbers: Numbers | None = None,
) -> RenderState:
    """Labels and styles for one frame: values, gradients, current and selected.

    Each entry is computed when the drawing looks it up (see ``_Lookup``).
    ``short``: numbers for the dense drawings, each with its column's digits
    (``numbers``, from :func:`number_cells`), in the cells the table gives it;
    else every number with four digits. Either way by ``number_columns.written``
    (one minus sign, trailing zeros only where rounded).
    """
    digits_of = numbers.digits if short and isinstance(numbers, _NumberCells) else None

    def number(key: str, x: float) -> str:
        if digits_of is None:
            return written(x, MOST_DIGITS)
        return written(x, digits_of(key), NUMBER_CELLS)

    # A constant's gradient is real but teaches nothing: nobody can change it.
    is_constant = lesson.graph.is_constant
    backward = bool(frame.grads)
    values, grads = frame.values, frame.grads
    computed = frame.computed

    def view_edge(e: EdgeSpec) -> ViewEdge:
        return ViewEdge(e.source, e.target, e.position)

    def value(key: str) -> str | None:
        v = values.get(key)
        return None if v is None else number(key, v)

    def grad(key: str) -> str | None:
        g = grads.get(key)
        # ∂ for a gradient, ṫ for a forward-mode tangent, δ at a neuron's weighted sum.
        if g is None or is_constant(key):
            return None
        mark = frame.marks.get(key, frame.grad_mark)
        return marked(mark, number(key, g), short)

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
        return None if v is None else written(v, MOST_DIGITS)

    def edge_grad(spec: EdgeSpec) -> str | None:
        g = frame.edge_grads.get(view_edge(spec))
        return None if g is None or is_constant(spec.source) else frame.grad_mark + written(g, MOST_DIGITS)

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


def marked(mark: str, text: str, short: bool) -> str:
    """A gradient's text with its mark: ``∂`` (a gradient), ``ṫ`` (a tangent), ``δ`` (a neuron's delta).

    The boxes set δ apart by a space (``δ −0.642``), as the panel writes δ = …; the dense levels have no room.
    """
    return f"{mark} {text}" if mark == "δ" and not short else mark + text


def number_cells(lesson: Lesson) -> Numbers:
    """Cells each node's value and gradient take in the dense drawings, at any step, and each one's digits.

    A column of the drawing (a layer) writes all its numbers with one count of
    significant digits: the most at which every value and gradient it shows
    in the lesson fits ``NUMBER_WIDTH - 1`` cells (``number_columns``). Worked
    out on the first look-up: the names-only drawing (a big graph's, on open)
    never looks, and a graph's every step need not be gone through for it.
    """
    return _NumberCells(lesson)


class _NumberCells(Mapping):
    """The table of ``number_cells``, made when first read; ``digits(key)`` the node's column's digits."""

    __slots__ = ("_lesson", "_table", "_digits")

    def __init__(self, lesson: Lesson | None, table: dict | None = None, digits: dict | None = None) -> None:
        self._lesson: Lesson | None = lesson
        self._table: dict[str, tuple[int, int]] | None = table
        self._digits: dict[str, int] | None = digits

    def _cells(self) -> dict[str, tuple[int, int]]:
        if self._table is None:
            self._table, self._digits = _number_table(self._lesson)
            self._lesson = None
        return self._table

    def digits(self, key: str) -> int:
        self._cells()
        return self._digits.get(key, MOST_DIGITS)

    def fitting(self, frame: Frame) -> _NumberCells:
        """This table, or one widened where ``frame`` shows a wider number (a forward-mode tangent).

        Only the lesson's own numbers are in the table; a mode's frame may carry
        others, and a number is never cut to its cells: the cells grow for it.
        """
        table = self._cells()
        wider: dict[str, tuple[int, int]] = {}
        for key, g in frame.grads.items():
            cells = table.get(key)
            if cells is None:
                continue
            mark = frame.marks.get(key, frame.grad_mark)
            need = len(marked(mark, written(g, self.digits(key), NUMBER_CELLS), True))
            if need > cells[1]:
                wider[key] = (cells[0], need)
        if not wider:
            return self
        return _NumberCells(None, {**table, **wider}, self._digits)

    def __getitem__(self, key: str) -> tuple[int, int]:
        return self._cells()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._cells()

    def __iter__(self) -> Iterator[str]:
        return iter(self._cells())

    def __len__(self) -> int:
        return len(self._cells())


def _number_table(lesson: Lesson) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    """(value cells, gradient cells) of every node, and every node's column's digits."""
    is_constant = lesson.graph.is_constant
    grads: dict[str, list[float]] = {}
    for step in lesson.backward:
        for edge in step.edges:
            if not is_constant(edge.input):
                grads.setdefault(edge.input, []).append(edge.grad_after)
    grads.setdefault(lesson.scenario.output, []).append(1.0)  # dL/dL = 1
    last = lesson.frame(lesson.last)
    values = {node.key: [last.values[node.key]] for node in lesson.nodes if node.key in last.values}
    spec = graph_spec(lesson)
    layer = shape(spec).layer
    columns: dict[int, list[float]] = {}
    for i, node in enumerate(spec.nodes):
        columns.setdefault(layer[i], []).extend((*values.get(node.key, ()), *grads.get(node.key, ())))
    by_column = {column: column_digits(numbers, NUMBER_CELLS) for column, numbers in columns.items()}
    digits = {node.key: by_column[layer[i]] for i, node in enumerate(spec.nodes)}
    table = {
        node.key: (
            max(1, widest(values.get(node.key, ()), digits[node.key], NUMBER_CELLS)),
            len(GRAD_MARK) + widest(grads[node.key], digits[node.key], NUMBER_CELLS) if node.key in grads else 0,
        )
        for node in lesson.nodes
    }
    return table, digits
