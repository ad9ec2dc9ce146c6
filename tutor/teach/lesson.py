"""A lesson: a scenario's steps laid out for stepping, as plain data.

The UI shows position *k* of a lesson. Everything it draws at *k* (which
nodes have values, which gradients have arrived, which edges are active, the
explanation in words) is read here from the engine's step records; nothing
is recomputed, so stepping back to *k* always gives exactly the same screen.
No UI imports: the tests drive lessons directly.
"""

from __future__ import annotations

from dataclasses import field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt, operand
from tutor.engine.ops import OPS, symbol
from tutor.engine.ops import title as op_title
from tutor.records import record
from tutor.teach.lesson_notes import LessonNotes
from tutor.teach.lesson_words import LessonWords, train_hint
from tutor.scenario import Scenario
from tutor.engine.trace import BackwardStep, ForwardStep, Trace, run

if TYPE_CHECKING:
    from tutor.engine.analysis import GroupTrace

EXPANDED = "expanded"
GROUPS = "groups"
NEURONS = "neurons"
"""Neurons in layer columns (scenarios whose nodes form a net; see ``tutor.teach.neuron_view``)."""
VIEW_KEY_LABELS = {NEURONS: "Neurons", GROUPS: "Groups", EXPANDED: "Expand"}
"""What the view key's label says when pressing it shows that view next."""
GROUPS_BY_DEFAULT_ABOVE = 24
"""Scenarios with more primitive nodes than this open in the collapsed view."""
FRAMES_KEPT = 64
"""Frames cached per lesson: stepping reuses the previous one; a big graph's frames are large."""

Fragment = tuple[str, str]
"""A piece of explanation text and its style name ("", name, value, grad, formula, note, warn, dim)."""
Line = list[Fragment]


@record(slots=True)
class ViewNode:
    key: str
    title: str
    subtitle: str
    kind: str


@record(slots=True)
class ViewEdge:
    source: str
    target: str
    position: int


@record(slots=True)
class Position:
    """Where step *k* is: phase and index into that phase's step list."""

    phase: str  # "start" | "forward" | "backward"
    index: int  # -1 for start


@record(slots=True)
class Frame:
    """Everything the graph needs to draw step *k*."""

    values: dict[str, float]
    grads: dict[str, float]
    edge_values: dict[ViewEdge, float]
    edge_grads: dict[ViewEdge, float]
    current: str | None
    active_edges: frozenset[ViewEdge]
    computed: frozenset[str]
    finished: frozenset[str]
    """Nodes whose backward step is done (their gradients have been sent on)."""
    grad_mark: str = "∂"
    """How the graph marks the numbers in ``grads``: ∂ for gradients, d for forward mode's tangents."""
    marks: dict[str, str] = field(default_factory=dict)
    """Nodes whose number gets another mark: δ at a neuron's weighted sum (its gradient is the neuron's delta)."""


def default_view(scenario: Scenario) -> str:
    """The file's view; else a declared net's neurons; else groups for big graphs, expanded for small."""
    if scenario.view:
        return scenario.view
    if scenario.layers:
        return NEURONS
    return GROUPS if scenario.graph.op_count > GROUPS_BY_DEFAULT_ABOVE else EXPANDED


_LAST_VIEWS: list = [None, None, None, ()]  # the last scenario asked about, its graph, layers and views


def views_of(scenario: Scenario) -> tuple[str, ...]:
    """The views a scenario can be shown in, in the order the view key cycles: neurons (nets only), groups
    (when they differ from the primitives: a named node of several ops, or a constant), expanded."""
    last = _LAST_VIEWS
    if last[0] is scenario and last[1] is scenario.graph and last[2] is scenario.layers:
        return last[3]
    graph = scenario.graph
    differ = any(len(m) > 1 for m in graph.groups.values()) or any(n.kind == "const" for n in graph.nodes)
    views = (GROUPS, EXPANDED) if differ else (EXPANDED,)
    if scenario.layers or scenario.params:  # no params, no weights: no net (and no need to load what finds one)
        from tutor.teach.deltas import network_of

        views = (NEURONS, *views) if network_of(scenario) is not None else views
    last[:] = [scenario, scenario.graph, scenario.layers, views]
    return views


def next_view(scenario: Scenario, view: str) -> str:
    """The view after ``view`` in the cycle of the views the scenario has."""
    views = views_of(scenario)
    return views[(views.index(view) + 1) % len(views)] if view in views else views[0]


@record(frozen=False)
class Lesson(LessonWords, LessonNotes):
    """One scenario, one set of leaf values, one view: the steps to walk."""

    scenario: Scenario
    overrides: dict[str, float] = field(default_factory=dict)
    view: str = EXPANDED

    def __new__(cls, scenario: Scenario | None = None, overrides: dict | None = None, view: str = EXPANDED):
        # The neuron view is a lesson of its own kind; every Lesson(...) call gives it
        # (a file reloaded without a net falls back to the groups view in __post_init__).
        if cls is Lesson and view == NEURONS and NEURONS in views_of(scenario):
            from tutor.teach.neuron_view import NeuronLesson

            cls = NeuronLesson
        return super().__new__(cls)

    def __post_init__(self) -> None:
        if self.view == NEURONS:
            self.view = GROUPS
        self.trace: Trace = run(self.scenario.graph, self.overrides)
        self.groups: GroupTrace | None = None
        if self.view == GROUPS:
            from tutor.engine.analysis import group_trace  # here: an expanded lesson needs none of it

            self.groups = group_trace(self.scenario.graph, self.trace)
        steps = self.groups if self.groups else self.trace
        self.forward: tuple[ForwardStep, ...] = steps.forward
        self.backward: tuple[BackwardStep, ...] = steps.backward
        self._frames: dict[int, Frame] = {}

    # -- shape -------------------------------------------------------------

    @property
    def graph(self):
        return self.scenario.graph

    def __len__(self) -> int:
        """Number of positions: the start, each forward step, each backward step."""
        return 1 + len(self.forward) + len(self.backward)

    @property
    def last(self) -> int:
        return len(self) - 1

    @property
    def forward_end(self) -> int:
        return len(self.forward)

    def position(self, k: int) -> Position:
        if k <= 0:
            return Position("start", -1)
        if k <= len(self.forward):
            return Position("forward", k - 1)
        return Position("backward", k - 1 - len(self.forward))

    def step(self, k: int) -> ForwardStep | BackwardStep | None:
        pos = self.position(k)
        if pos.phase == "forward":
            return self.forward[pos.index]
        if pos.phase == "backward":
            return self.backward[pos.index]
        return None

    def index_of(self, phase: str, node: str) -> int | None:
        """The position k of ``node``'s step in ``phase``, if it has one."""
        steps = self.forward if phase == "forward" else self.backward
        for i, step in enumerate(steps):
            if step.node == node:
                return 1 + i + (len(self.forward) if phase == "backward" else 0)
        return None

    @cached_property
    def nodes(self) -> list[ViewNode]:
        """The boxes of this view, in the author's order."""
        graph = self.graph
        out: list[ViewNode] = []
        if self.view == GROUPS:
            for node in graph.nodes:
                if node.kind in ("input", "param"):
                    out.append(ViewNode(node.name, node.name, node.kind, node.kind))
                elif node.kind == "op" and node.name in graph.groups:
                    members = graph.groups[node.name]
                    subtitle = self._symbol(node) if len(members) == 1 else f"{len(members)} nodes"
                    out.append(ViewNode(node.name, node.name, subtitle, "group" if len(members) > 1 else "op"))
            return out
        needed = graph.ancestors_of_output()
        for node in graph.nodes:
            if node.kind == "const" and not any(needed[c] for c, _ in self._consumers[node.index]):
                continue
            subtitle = node.kind if node.is_leaf else self._symbol(node)
            out.append(ViewNode(node.name, node.label, subtitle, node.kind))
        return out

    def _symbol(self, node) -> str:  # noqa: ANN001 - an engine Node
        """A box's op label; a power or reciprocal names its own input (``t²``, ``1/t``) when the name is
        short enough, else ``(·)``: never a letter such as x that may be another node's name."""
        if node.op in ("powc", "reciprocal") and node.inputs:
            base = self.graph.nodes[node.inputs[0]].label
            shown = base if len(base) <= 4 and "." not in base else "(·)"
            return f"1/{shown}" if node.op == "reciprocal" else symbol(node.op, node.param, shown)
        return symbol(node.op, node.param)

    @cached_property
    def _consumers(self):
        return self.graph.consumers()

    @cached_property
    def edges(self) -> list[ViewEdge]:
        keys = {n.key for n in self.nodes}
        out: list[ViewEdge] = []
        if self.view == GROUPS:
            for step in self.forward:
                out.extend(ViewEdge(name, step.node, p) for p, name in enumerate(step.inputs) if name in keys)
            return out
        for node in self.graph.nodes:
            for p, i in enumerate(node.inputs):
                source = self.graph.nodes[i].name
                if source in keys and node.name in keys:
                    out.append(ViewEdge(source, node.name, p))
        return out

    @cached_property
    def _edges_into(self) -> dict[str, list[ViewEdge]]:
        into: dict[str, list[ViewEdge]] = {}
        for edge in self.edges:
            into.setdefault(edge.target, []).append(edge)
        return into

    def edges_into(self, key: str) -> list[ViewEdge]:
        return self._edges_into.get(key, [])

    def leaf_values(self) -> dict[str, float]:
        """Every input's and param's value in this lesson (the file's, or as edited or trained)."""
        return {leaf.name: self.trace.values[leaf.index] for leaf in self.graph.leaves}

    def title_of(self, key: str) -> str:
        """A node's display name (constants show their number)."""
        index = self.graph.index.get(key)
        return self.graph.nodes[index].label if index is not None else key

    # -- frames --------------------------------------------------------------

    def frame(self, k: int) -> Frame:
        """What is known at position k (cached; built from step records only)."""
        k = max(0, min(k, self.last))
        frame = self._frames.get(k)
        if frame is None:
            frame = self._next_frame(k) or self._build_frame(k)
            if len(self._frames) >= FRAMES_KEPT:
                del self._frames[next(iter(self._frames))]
            self._frames[k] = frame
        return frame

    def _next_frame(self, k: int) -> Frame | None:
        """Frame k from a cached frame k - 1 plus step k alone (None when k - 1 is not cached).

        Gives exactly what ``_build_frame`` gives, in time independent of k and
        of the graph's size apart from copying the previous frame's dicts.
        """
        prev = self._frames.get(k - 1) if k > 0 else None
        if prev is None:
            return None
        pos = self.position(k)
        if pos.phase == "forward":
            step = self.forward[pos.index]
            values = {**prev.values, step.node: step.value}
            computed = prev.computed | {step.node}
            edge_values = dict(prev.edge_values)
            for edge in self.edges_into(step.node):
                if edge.source in computed:
                    edge_values[edge] = values[edge.source]
            frame = Frame(values, {}, edge_values, {}, None, frozenset(), computed, frozenset())
            return self.focus(frame, step.node)
        step = self.backward[pos.index]
        grads = dict(prev.grads) if pos.index > 0 else {self.scenario.output: 1.0}  # dL/dL = 1
        edge_grads = dict(prev.edge_grads)
        for edge in step.edges:
            grads[edge.input] = edge.grad_after
            edge_grads[ViewEdge(edge.input, step.node, edge.position)] = edge.contribution
        marks = prev.marks
        if any(edge.input in self.neurons for edge in step.edges):
            marks = self._delta_marks(grads)
        frame = Frame(
            prev.values, grads, prev.edge_values, edge_grads, None, frozenset(), prev.computed,
            prev.finished | {step.node}, marks=marks,
        )
        return self.focus(frame, step.node)

    def _delta_marks(self, grads: dict[str, float]) -> dict[str, str]:
        """δ marks the gradient at each neuron's weighted sum once it has arrived."""
        return {key: "δ" for key in self.neurons if key in grads and key != self.scenario.output}

    def _build_frame(self, k: int) -> Frame:
        pos = self.position(k)
        trace = self.trace
        graph = self.graph
        values: dict[str, float] = {}
        computed: set[str] = set()
        for node in self.nodes:
            if node.kind in ("input", "param", "const"):
                values[node.key] = trace.values[graph.index[node.key]]
                computed.add(node.key)
        forward_done = len(self.forward) if pos.phase == "backward" else pos.index + 1
        for step in self.forward[:forward_done]:
            values[step.node] = step.value
            computed.add(step.node)
        edge_values = {e: values[e.source] for e in self.edges if e.source in computed and e.target in computed}

        grads: dict[str, float] = {}
        edge_grads: dict[ViewEdge, float] = {}
        finished: set[str] = set()
        if pos.phase == "backward":
            grads[self.scenario.output] = 1.0  # dL/dL = 1
            for step in self.backward[: pos.index + 1]:
                finished.add(step.node)
                for edge in step.edges:
                    grads[edge.input] = edge.grad_after
                    view_edge = ViewEdge(edge.input, step.node, edge.position)
                    edge_grads[view_edge] = edge.contribution
        marks = self._delta_marks(grads)
        frame = Frame(
            values, grads, edge_values, edge_grads, None, frozenset(), frozenset(computed), frozenset(finished),
            marks=marks,
        )
        return self.focus(frame, self.step(k).node if k > 0 else None)

    def focus(self, frame: Frame, node: str | None) -> Frame:
        """``frame`` with ``node`` as the current node and its incoming edges active (none for None)."""
        active = frozenset(self.edges_into(node)) if node else frozenset()
        return replace(frame, current=node, active_edges=active)

    # -- words -----------------------------------------------------------------

    def contributions(self, k: int, name: str) -> list[tuple[str, float]]:
        """Which nodes have sent gradient to ``name`` up to position k, and how much."""
        pos = self.position(k)
        if pos.phase != "backward":
            return []
        # Only the steps of the nodes that read ``name`` are looked at, in backward order.
        sent = sorted(
            (j, position)
            for j, position in self._readers.get(name, ())
            if j <= pos.index
        )
        out = []
        for j, position in sent:
            step = self.backward[j]
            edge = step.edges[position]
            out.append((step.node, edge.contribution))
        return out

    @cached_property
    def _readers(self) -> dict[str, list[tuple[int, int]]]:
        """Input name -> (backward step index, edge position) of every edge that sends it gradient."""
        backward = self.backward
        if hasattr(backward, "node_index"):  # the engine's own steps: no record built
            nodes = self.graph.nodes
            readers: dict[str, list[tuple[int, int]]] = {}
            for j in range(len(backward)):
                node = nodes[backward.node_index(j)]
                for position, i in enumerate(node.inputs):
                    readers.setdefault(nodes[i].name, []).append((j, position))
            return readers
        readers = {}
        for j, step in enumerate(backward):
            for position, edge in enumerate(step.edges):
                readers.setdefault(edge.input, []).append((j, position))
        return readers

    def explain(self, k: int) -> list[Line]:
        """The step at k in words and numbers, as styled fragments."""
        pos = self.position(k)
        if pos.phase == "start":
            return self._explain_start()
        if pos.phase == "forward":
            return self._explain_forward(self.forward[pos.index], k)
        return self._explain_backward(self.backward[pos.index], k)

    def _explain_start(self) -> list[Line]:
        s = self.scenario
        lines: list[Line] = [[(s.title, "title")]]
        if s.description:
            lines.append([(s.description, "dim")])
        lines.append([("Start. ", "title"), ("Inputs are set; nothing is computed yet.", "")])
        leaves = [(n, v) for n, v in s.leaves.items()]
        shown = [(n, self.trace.value(n)) for n, _ in leaves]
        line: Line = []
        for i, (name, value) in enumerate(shown):  # name=value: a narrow panel wraps between pairs
            line += [(name, "name"), ("=", ""), (fmt(value), "value")]
            if i < len(shown) - 1:
                line.append((",  ", ""))
        if line:
            lines.append(line)
        lines.append(
            [
                ("Press → to compute the nodes left to right, then walk back from ", "dim"),
                (s.output, "name"),
                (f" to every {self.leaf_words()}.", "dim"),
            ]
        )
        if s.params:
            lines.append([(train_hint(s), "dim")])
        lines.extend(self.note_lines(0))
        return lines

    def leaf_words(self) -> str:
        """What the backward pass ends at: inputs, params, or only the output's own inputs."""
        s = self.scenario
        if s.inputs and s.params:
            return "input and param"
        if s.inputs:
            return "input"
        if s.params:
            return "param"
        return "node"

    def forward_expression(self, step: ForwardStep) -> tuple[str, str]:
        """(names form, numbers form) of the node's computation."""
        graph = self.graph
        if step.op == "group" or self.view == GROUPS:
            members = graph.groups[step.node]
            values = self.trace.values
            from tutor.engine.analysis import group_expression

            return step.expression, group_expression(graph, members, lambda i: operand(values[i]))
        op = OPS[step.op]
        node = graph.node(step.node)
        numbers = tuple(operand(v) for v in step.input_values)
        return step.expression, op.expression(numbers, node.param)

    def _explain_forward(self, step: ForwardStep, k: int) -> list[Line]:
        names, numbers = self.forward_expression(step)
        lines: list[Line] = [
            [("Forward ", "title"), (f"{k} of {len(self.forward)}", "dim"), ("  ", ""), (self._op_words(step), "dim")],
            [(step.node, "name"), (" = ", ""), (names, "formula"), (" = ", ""), (numbers, "value"), (" = ", ""),
             (fmt(step.value), "value")],
        ]
        if step.warning:
            lines.append([("⚠ ", "warn"), (step.warning, "warn")])
        lines.extend(self.note_lines(k))
        return lines

    def _op_words(self, step: ForwardStep | BackwardStep) -> str:
        if step.op == "group":
            return f"group of {len(self.graph.groups[step.node])} primitive nodes"
        return f"{op_title(step.op)} node"

    # -- edits ---------------------------------------------------------------

    def with_values(self, overrides: dict[str, float]) -> Lesson:
        """The same lesson with some leaves changed: the whole trace recomputes."""
        return Lesson(self.scenario, {**self.overrides, **overrides}, self.view)

    def with_view(self, view: str) -> Lesson:
        return Lesson(self.scenario, dict(self.overrides), view)

    def reloaded(self, scenario: Scenario, k: int) -> tuple[Lesson, int]:
        """The lesson for a new version of the file, and where step k's node is in it.

        Edited values of leaves that still exist are kept; the view is kept
        unless the file now names one. The position stays on the same node in
        the same phase if the new graph has it, else as near as it can.
        """
        step = self.step(k)
        phase = self.position(k).phase
        overrides = {n: v for n, v in self.overrides.items() if n in scenario.leaves}
        lesson = Lesson(scenario, overrides, self.view if scenario.view is None else scenario.view)
        new_k = 0
        if step is not None:
            found = lesson.index_of(phase, step.node)
            new_k = found if found is not None else min(k, lesson.last)
        return lesson, new_k

    def map_position(self, k: int, other: Lesson) -> int:
        """The position in ``other`` (another view) that shows what this one shows at k."""
        from tutor.teach.positions import map_position

        return map_position(self, k, other)
