"""A lesson: one scenario, one set of leaf values, one view, laid out as steps to walk.

The UI shows position *k* of a lesson. Everything it draws at *k* (which
nodes have values, which gradients have arrived, which edges are active, the
explanation in words) is read here from the engine's step records; nothing
is recomputed, so stepping back to *k* always gives exactly the same screen.

What differs between views is said by the lesson's narration, one object per
view (``ExpandedNarration``, ``GroupNarration``, ``NeuronNarration``): which
steps the learner walks and what each step says. The lesson itself knows the
numbers (the trace, and the group trace when the view has groups) and the
frames of its boxes' steps. No UI imports: the tests drive lessons directly.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from tutor.engine import analysis
from tutor.engine.ops import symbol
from tutor.engine.trace import BackwardStep, ForwardStep, Trace, run
from tutor.i18n import N_, _, language, ngettext
from tutor.teach.lesson.expanded import ExpandedNarration
from tutor.teach.lesson.frame import Frame, Position, ViewEdge, ViewNode
from tutor.teach.lesson import notes
from tutor.teach.lesson.groups import GroupNarration
from tutor.teach.lesson.network import network_of, weighted_sums
from tutor.teach.lesson.neuron_narration import NeuronNarration
from tutor.teach.lesson.views import EXPANDED, GROUPS, NEURONS, views_of

if TYPE_CHECKING:
    from tutor.engine.network import Network, Neuron
    from tutor.scenario import Scenario
    from tutor.scenario.notes import Piece
    from tutor.teach.lesson.narration import Narration
    from tutor.teach.questions import Question
    from tutor.teach.text import Line

FRAMES_KEPT = 64
"""Frames cached per lesson: stepping reuses the previous one; a big graph's frames are large."""
KIND_LABELS = {"input": N_("input"), "param": N_("param"), "const": N_("const")}
"""A leaf's box label (translated where drawn)."""


class Lesson:
    """One scenario, one set of leaf values, one view: the steps to walk.

    ``forward`` and ``backward`` are the steps the learner walks (the engine's
    step records, or the neuron view's neuron steps); ``boxes_forward`` and
    ``boxes_backward`` the engine's steps of the view's boxes (primitives, or
    named nodes), from which the frames are built.
    """

    def __init__(self, scenario: Scenario, overrides: dict[str, float] | None = None, view: str = EXPANDED) -> None:
        self.scenario = scenario
        self.overrides: dict[str, float] = dict(overrides or {})
        self.network: Network | None = None
        """The net the neuron view steps through (None in the other views)."""
        if view == NEURONS:
            # A file reloaded without a net falls back to the groups view.
            self.network = network_of(scenario) if NEURONS in views_of(scenario) else None
            view = NEURONS if self.network is not None else GROUPS
        self.view = view
        self.trace: Trace = run(scenario.graph, self.overrides)
        self.groups: analysis.GroupTrace | None = None
        """The named nodes as single boxes (groups and neuron views)."""
        if view != EXPANDED:
            self.groups = analysis.group_trace(scenario.graph, self.trace)
        steps = self.groups if self.groups is not None else self.trace
        self.boxes_forward: tuple[ForwardStep, ...] = steps.forward
        self.boxes_backward: tuple[BackwardStep, ...] = steps.backward
        self._frames: dict[int, Frame] = {}
        self._nodes: tuple[str, list[ViewNode]] | None = None
        narration: type[Narration] = {EXPANDED: ExpandedNarration, GROUPS: GroupNarration}.get(view, NeuronNarration)
        self.narration: Narration = narration(self)
        self.forward, self.backward = self.narration.walk()

    def __repr__(self) -> str:
        return f"Lesson({self.scenario.name!r}, {self.overrides!r}, {self.view!r})"

    # -- shape -------------------------------------------------------------

    @property
    def graph(self):  # noqa: ANN201 - the scenario's Graph
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

    def step(self, k: int):  # noqa: ANN201 - a step of the walk (see ``forward``), or None at the start
        pos = self.position(k)
        if pos.phase == "forward":
            return self.forward[pos.index]
        if pos.phase == "backward":
            return self.backward[pos.index]
        return None

    def index_of(self, phase: str, node: str) -> int | None:
        """The position k of ``node``'s step in ``phase``, if it has one."""
        return self.narration.index_of(phase, node)

    def map_position(self, k: int, other: Lesson) -> int:
        """The position in ``other`` (another view) that shows what this one shows at k."""
        return self.narration.map_position(k, other)

    @property
    def nodes(self) -> list[ViewNode]:
        """The boxes of this view, in the author's order (the neuron view has the groups view's); their labels
        in the current language."""
        code = language()
        if self._nodes is None or self._nodes[0] != code:
            self._nodes = (code, self._view_nodes())
        return self._nodes[1]

    def _view_nodes(self) -> list[ViewNode]:
        graph = self.graph
        out: list[ViewNode] = []
        if self.view != EXPANDED:
            for node in graph.nodes:
                if node.kind in ("input", "param"):
                    out.append(ViewNode(node.name, node.name, _(KIND_LABELS[node.kind]), node.kind))
                elif node.kind == "op" and node.name in graph.groups:
                    count = len(graph.groups[node.name])
                    subtitle = self._symbol(node) if count == 1 else ngettext(
                        "{count} node", "{count} nodes", count).format(count=count)
                    out.append(ViewNode(node.name, node.name, subtitle, "group" if count > 1 else "op"))
            return out
        needed = graph.ancestors_of_output()
        for node in graph.nodes:
            if node.kind == "const" and not any(needed[c] for c, _position in self._consumers[node.index]):
                continue
            subtitle = _(KIND_LABELS[node.kind]) if node.is_leaf else self._symbol(node)
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
    def _consumers(self):  # noqa: ANN202 - Graph.consumers()
        return self.graph.consumers()

    @cached_property
    def edges(self) -> list[ViewEdge]:
        keys = {n.key for n in self.nodes}
        out: list[ViewEdge] = []
        if self.view != EXPANDED:
            for step in self.boxes_forward:
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

    @cached_property
    def neurons(self) -> dict[str, Neuron]:
        """Weighted-sum node -> neuron, for scenarios built of neurons (empty otherwise)."""
        return weighted_sums(self.scenario)

    @cached_property
    def neuron_of_activation(self) -> dict[str, Neuron]:
        """Activation node -> its neuron (neurons with an activation node of their own)."""
        return {n.name: n for n in self.neurons.values() if n.activation != "identity"}

    # -- frames --------------------------------------------------------------

    def frame(self, k: int) -> Frame:
        """What is known at position k of the walk."""
        return self.narration.frame(max(0, min(k, self.last)))

    def boxes_frame(self, k: int) -> Frame:
        """What is known after ``k`` steps of the boxes' own steps (cached; built from step records only),
        focused on the node of that step."""
        k = max(0, min(k, len(self.boxes_forward) + len(self.boxes_backward)))
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
        forward = self.boxes_forward
        if k <= len(forward):
            step = forward[k - 1]
            values = {**prev.values, step.node: step.value}
            computed = prev.computed | {step.node}
            edge_values = dict(prev.edge_values)
            for edge in self.edges_into(step.node):
                if edge.source in computed:
                    edge_values[edge] = values[edge.source]
            frame = Frame(values, {}, edge_values, {}, None, frozenset(), computed, frozenset())
            return self.focus(frame, step.node)
        index = k - 1 - len(forward)
        step = self.boxes_backward[index]
        grads = dict(prev.grads) if index > 0 else {self.scenario.output: 1.0}  # dL/dL = 1
        edge_grads = dict(prev.edge_grads)
        for edge in step.edges:
            grads[edge.input] = edge.grad_after
            edge_grads[ViewEdge(edge.input, step.node, edge.position)] = edge.contribution
        marks = prev.marks
        if step.node in self.neurons and step.node != self.scenario.output:
            marks = {**marks, step.node: "δ"}  # the weighted sum's own step names its gradient the neuron's δ
        frame = Frame(
            prev.values, grads, prev.edge_values, edge_grads, None, frozenset(), prev.computed,
            prev.finished | {step.node}, marks=marks,
        )
        return self.focus(frame, step.node)

    def _delta_marks(self, finished: set[str]) -> dict[str, str]:
        """δ marks the gradient at each neuron's weighted sum from the step that says it is the neuron's δ (the
        weighted sum's own backward step) on: nothing is drawn before the step that explains it."""
        return {key: "δ" for key in self.neurons if key in finished and key != self.scenario.output}

    def _build_frame(self, k: int) -> Frame:
        trace = self.trace
        graph = self.graph
        forward = self.boxes_forward
        values: dict[str, float] = {}
        computed: set[str] = set()
        for node in self.nodes:
            if node.kind in ("input", "param", "const"):
                values[node.key] = trace.values[graph.index[node.key]]
                computed.add(node.key)
        for step in forward[: min(k, len(forward))]:
            values[step.node] = step.value
            computed.add(step.node)
        edge_values = {e: values[e.source] for e in self.edges if e.source in computed and e.target in computed}

        grads: dict[str, float] = {}
        edge_grads: dict[ViewEdge, float] = {}
        finished: set[str] = set()
        done = k - len(forward)
        if done > 0:
            grads[self.scenario.output] = 1.0  # dL/dL = 1
            for step in self.boxes_backward[:done]:
                finished.add(step.node)
                for edge in step.edges:
                    grads[edge.input] = edge.grad_after
                    edge_grads[ViewEdge(edge.input, step.node, edge.position)] = edge.contribution
        frame = Frame(
            values, grads, edge_values, edge_grads, None, frozenset(), frozenset(computed), frozenset(finished),
            marks=self._delta_marks(finished),
        )
        if k == 0:
            return self.focus(frame, None)
        step = forward[k - 1] if k <= len(forward) else self.boxes_backward[done - 1]
        return self.focus(frame, step.node)

    def focus(self, frame: Frame, node: str | None) -> Frame:
        """``frame`` with ``node`` as the current node and its incoming edges active (none for None)."""
        active = frozenset(self.edges_into(node)) if node else frozenset()
        return replace(frame, current=node, active_edges=active)

    # -- words -----------------------------------------------------------------

    def explain(self, k: int) -> list[Line]:
        """The step at k in words and numbers, as styled fragments."""
        return self.narration.explain(k)

    def explain_compact(self, k: int) -> list[Line]:
        """The same in fewer lines, for a panel too short for ``explain``."""
        return self.narration.explain_compact(k)

    def questions(self, k: int) -> list[Question]:
        """What the quiz asks before revealing step k."""
        return self.narration.questions(k)

    def contributions(self, k: int, name: str) -> list[tuple[str, float]]:
        """Which nodes have sent gradient to ``name`` up to the boxes' position k, and how much."""
        index = k - 1 - len(self.boxes_forward)
        if index < 0:
            return []
        # Only the steps of the nodes that read ``name`` are looked at, in backward order.
        sent = sorted((j, position) for j, position in self._readers.get(name, ()) if j <= index)
        backward = self.boxes_backward
        return [(backward[j].node, backward[j].edges[position].contribution) for j, position in sent]

    @cached_property
    def _readers(self) -> dict[str, list[tuple[int, int]]]:
        """Input name -> (backward step index, edge position) of every edge that sends it gradient."""
        backward = self.boxes_backward
        readers: dict[str, list[tuple[int, int]]] = {}
        if hasattr(backward, "node_index"):  # the engine's own steps: no record built
            nodes = self.graph.nodes
            for j in range(len(backward)):
                node = nodes[backward.node_index(j)]
                for position, i in enumerate(node.inputs):
                    readers.setdefault(nodes[i].name, []).append((j, position))
            return readers
        for j, step in enumerate(backward):
            for position, edge in enumerate(step.edges):
                readers.setdefault(edge.input, []).append((j, position))
        return readers

    @cached_property
    def _note_places(self) -> dict[int, list[tuple[str, str]]]:
        return self.narration.note_places()

    def notes_at(self, k: int) -> list[str]:
        """The notes shown at position k, their placeholders filled with the numbers at k."""
        return notes.shown_at(self, k)

    def note_text(self, k: int) -> str:
        """The notes at position k as one string ("" when none), for the JSON trace."""
        return "\n".join(self.notes_at(k))

    def selected_note(self, name: str, k: int) -> list[Piece]:
        """The note of a selected node at position k, once the lesson has reached it, as pieces (none when none
        is due)."""
        return notes.selected_pieces(self, name, k)

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
