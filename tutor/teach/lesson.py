"""A lesson: a scenario's steps laid out for stepping, as plain data.

The UI shows position *k* of a lesson. Everything it draws at *k* (which
nodes have values, which gradients have arrived, which edges are active, the
explanation in words) is read here from the engine's step records; nothing
is recomputed, so stepping back to *k* always gives exactly the same screen.

No UI imports: the tests drive lessons directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from tutor.engine.analysis import GroupTrace, group_expression, group_trace
from tutor.engine.numbers import fmt, operand, signed_sum
from tutor.engine.ops import OPS, local_numbers, symbol
from tutor.engine.ops import title as op_title
from tutor.teach.neurons import Neuron, find_neurons
from tutor.scenario import Scenario
from tutor.engine.trace import BackwardStep, ForwardStep, Trace, run

EXPANDED = "expanded"
GROUPS = "groups"
GROUPS_BY_DEFAULT_ABOVE = 24
"""Scenarios with more primitive nodes than this open in the collapsed view."""

Fragment = tuple[str, str]
"""A piece of explanation text and its style name ("", name, value, grad, formula, note, warn, dim)."""
Line = list[Fragment]


@dataclass(frozen=True, slots=True)
class ViewNode:
    key: str
    title: str
    subtitle: str
    kind: str


@dataclass(frozen=True, slots=True)
class ViewEdge:
    source: str
    target: str
    position: int


@dataclass(frozen=True, slots=True)
class Position:
    """Where step *k* is: phase and index into that phase's step list."""

    phase: str  # "start" | "forward" | "backward"
    index: int  # -1 for start


@dataclass(frozen=True, slots=True)
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


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _weight_symbol(input_name: str) -> str:
    """``wⱼ₁`` for the input x1: neuron j's weight on that input."""
    digits = input_name[len(input_name.rstrip("0123456789")):]
    return f"wⱼ{digits.translate(_SUBSCRIPTS)}" if digits else f"wⱼ({input_name})"


def default_view(scenario: Scenario) -> str:
    if scenario.view:
        return scenario.view
    return GROUPS if scenario.graph.op_count > GROUPS_BY_DEFAULT_ABOVE else EXPANDED


@dataclass
class Lesson:
    """One scenario, one set of leaf values, one view: the steps to walk."""

    scenario: Scenario
    overrides: dict[str, float] = field(default_factory=dict)
    view: str = EXPANDED

    def __post_init__(self) -> None:
        self.trace: Trace = run(self.scenario.graph, self.overrides)
        self.groups: GroupTrace | None = None
        if self.view == GROUPS:
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
        """A box's op label; a power names its own input (``t²``) when the name is short enough."""
        if node.op == "powc" and node.inputs:
            base = self.graph.nodes[node.inputs[0]].label
            return symbol(node.op, node.param, base if len(base) <= 4 and "." not in base else "(·)")
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
        if k not in self._frames:
            self._frames[k] = self._build_frame(k)
        return self._frames[k]

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
        marks = {key: "δ" for key in self.neurons if key in grads and key != self.scenario.output}
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
        out = []
        for step in self.backward[: pos.index + 1]:
            for edge in step.edges:
                if edge.input == name:
                    out.append((step.node, edge.contribution))
        return out

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
        for i, (name, value) in enumerate(shown):
            line += [(name, "name"), (" = ", ""), (fmt(value), "value")]
            if i < len(shown) - 1:
                line.append((",  ", ""))
        if line:
            lines.append(line)
        lines.append(
            [
                ("Press → to compute the nodes left to right, then walk back from ", "dim"),
                (s.output, "name"),
                (f" to every {self._leaf_words()}.", "dim"),
            ]
        )
        lines.extend(self._notes(0))
        return lines

    def _leaf_words(self) -> str:
        """What the backward pass ends at: inputs, params, or only the output's own inputs."""
        s = self.scenario
        if s.inputs and s.params:
            return "input and param"
        if s.inputs:
            return "input"
        if s.params:
            return "param"
        return "node"

    def _forward_expression(self, step: ForwardStep) -> tuple[str, str]:
        """(names form, numbers form) of the node's computation."""
        graph = self.graph
        if step.op == "group" or self.view == GROUPS:
            members = graph.groups[step.node]
            values = self.trace.values
            return step.expression, group_expression(graph, members, lambda i: operand(values[i]))
        op = OPS[step.op]
        node = graph.node(step.node)
        numbers = tuple(operand(v) for v in step.input_values)
        return step.expression, op.expression(numbers, node.param)

    def _explain_forward(self, step: ForwardStep, k: int) -> list[Line]:
        names, numbers = self._forward_expression(step)
        lines: list[Line] = [
            [("Forward ", "title"), (f"{k} of {len(self.forward)}", "dim"), ("  ", ""), (self._op_words(step), "dim")],
            [(step.node, "name"), (" = ", ""), (names, "formula"), (" = ", ""), (numbers, "value"), (" = ", ""),
             (fmt(step.value), "value")],
        ]
        if step.warning:
            lines.append([("⚠ ", "warn"), (step.warning, "warn")])
        lines.extend(self._notes(k))
        return lines

    def _op_words(self, step: ForwardStep | BackwardStep) -> str:
        if step.op == "group":
            return f"group of {len(self.graph.groups[step.node])} primitive nodes"
        return f"{op_title(step.op)} node"

    @cached_property
    def neurons(self) -> dict[str, Neuron]:
        """Weighted-sum node -> neuron, for scenarios built of neurons (empty otherwise)."""
        return find_neurons(self.scenario)

    @cached_property
    def _neuron_of_activation(self) -> dict[str, Neuron]:
        return {n.name: n for n in self.neurons.values() if n.activation != "identity"}

    def _neuron_at(self, node: str) -> Neuron | None:
        """The neuron whose weighted sum is ``node`` (a group, or its primitive root)."""
        return self.neurons.get(node)

    def _local_numbers(self, step: BackwardStep, edge) -> str:  # noqa: ANN001 - an engine Edge
        """The local derivative with its numbers put in, for primitive (and one-op group) steps."""
        if step.op == "group":
            return ""
        graph = self.graph
        node = graph.node(step.node)
        index = graph.index.get(edge.input)
        if node.op != step.op or index not in node.inputs:
            return ""
        values = tuple(self.trace.values[i] for i in node.inputs)
        return local_numbers(node.op, values, self.trace.values[node.index], node.param, node.inputs.index(index))

    def _explain_backward(self, step: BackwardStep, k: int) -> list[Line]:
        out = self.scenario.output
        j = k - len(self.forward)
        lines: list[Line] = [
            [("Backward ", "title"), (f"{j} of {len(self.backward)}", "dim"), ("  ", ""), (self._op_words(step), "dim")]
        ]
        neuron = self._neuron_at(step.node)
        if step.node == out:
            lines.append([("Start at the output: ", ""), (f"∂{out}/∂{out} = 1", "grad")])
        else:
            lines.append(
                [("upstream ", ""), (f"∂{out}/∂{step.node}", "grad"), (" = ", ""), (fmt(step.upstream), "grad"),
                 ("  (complete: every node that uses ", "dim"), (step.node, "name"), (" has sent its share)", "dim")]
            )
        if neuron is not None:
            lines.extend(self._delta_lines(neuron, step))
        for edge in step.edges:
            if self.graph.is_constant(edge.input):
                continue
            local_name = f"∂{step.node}/∂{edge.input}"
            shown = fmt(edge.local)
            formula = edge.local_formula if edge.local_formula != shown else ""
            line: Line = [("→ ", "dim"), (edge.input, "name"), (": local ", ""), (local_name, "formula"), (" = ", "")]
            if formula:
                line += [(formula, "formula"), (" = ", "")]
                numbers = self._local_numbers(step, edge)
                if numbers and numbers != shown:
                    line += [(numbers, "value"), (" = ", "")]
            line += [
                (shown, "value"),
                (";  ", ""),
                (operand(step.upstream), "grad"),
                (" × ", ""),
                (operand(edge.local), "value"),
                (" = ", ""),
                (fmt(edge.contribution), "grad"),
            ]
            lines.append(line)
            if self.groups is not None:
                lines.extend(self._inside_lines(step, edge))
            activated = self._neuron_of_activation.get(step.node)
            if activated is not None and edge.input == activated.weighted_sum:
                lines.append(
                    [("   ", ""), (activated.delta, "grad"), (" = ", ""), (f"∂{out}/∂{edge.input}", "grad"),
                     (" = error arriving × activation′ = ", ""), (operand(step.upstream), "grad"), (" × ", ""),
                     (operand(edge.local), "value"), (" = ", ""), (fmt(edge.contribution), "grad"),
                     (f"   the delta of neuron {activated.name}", "note")]
                )
            lines.append(self._total_line(k, edge))
        if step.warning:
            lines.append([("⚠ ", "warn"), (step.warning, "warn")])
        lines.extend(self._notes(k))
        if k == self.last:
            lines.extend(self._done_lines())
        return lines

    def _inside_lines(self, step: BackwardStep, edge) -> list[Line]:  # noqa: ANN001 - an engine Edge
        """Groups view: a group's local derivative as the product of the local factors inside it."""
        assert self.groups is not None
        routes = self.groups.factors(step.node, edge.input)
        if len(routes) != 1:
            return []
        factors = routes[0]
        if sum(1 for f in factors if f.formula != "1") < 2:
            return []
        names = " · ".join(f"({f.formula})" if f.formula.startswith("-") and len(f.formula) <= 3 else f.formula
                           for f in factors)
        numbers = " × ".join(operand(f.value) for f in factors)
        lines: list[Line] = [
            [("   inside ", "dim"), (step.node, "name"), (": ", "dim"), (names, "formula"), (" = ", ""),
             (numbers, "value"), (" = ", ""), (fmt(edge.local), "value")]
        ]
        if self._is_expanded_sigmoid(step.node):
            y = self.trace.value(step.node)
            lines.append(
                [("   = ", ""), (f"{step.node}(1 − {step.node})", "formula"), (" = ", ""),
                 (f"{operand(y)} × (1 − {operand(y)})", "value"), (" = ", ""), (fmt(y * (1 - y)), "value"),
                 ("   the four factors multiply to the grouped sigmoid's local derivative", "note")]
            )
        return lines

    def _is_expanded_sigmoid(self, name: str) -> bool:
        """True when the group is 1 / (1 + exp(-x)) written out: negate, exp, add 1, reciprocal."""
        graph = self.graph
        ops = []
        for m in graph.groups.get(name, ()):
            node = graph.nodes[m]
            if node.kind != "op":
                continue
            constants = [graph.nodes[i].value for i in node.inputs if graph.nodes[i].kind == "const"]
            ops.append((node.op, tuple(constants)))
        return ops in (
            [("mul", (-1.0,)), ("exp", ()), ("add", (1.0,)), ("reciprocal", ())],
            [("neg", ()), ("exp", ()), ("add", (1.0,)), ("reciprocal", ())],
        )

    def _delta_lines(self, neuron: Neuron, step: BackwardStep) -> list[Line]:
        """At a neuron's weighted sum: its delta, and how every weight, bias and input uses it."""
        delta = step.upstream
        out = self.scenario.output
        words = (
            "error arriving × activation′" if neuron.activation != "identity"
            else "the error arriving; identity activation, activation′ = 1"
        )
        lines: list[Line] = [
            [(neuron.delta, "grad"), (" = ", ""), (f"∂{out}/∂{neuron.weighted_sum}", "grad"), (" = ", ""),
             (fmt(delta), "grad"), (f"  ({words}); shared by everything below:", "dim")]
        ]
        parts: Line = [("   ", "")]
        for weight, source in zip(neuron.weights, neuron.inputs):
            value = self.trace.value(source)
            parts += [(f"∂{out}/∂{weight}", "grad"), (" = δ·", ""), (source, "name"), (" = ", ""),
                      (f"{operand(delta)} × {operand(value)}", "value"), (" = ", ""), (fmt(delta * value), "grad"),
                      (";  ", "")]
        for bias in neuron.biases:
            parts += [(f"∂{out}/∂{bias}", "grad"), (" = δ = ", ""), (fmt(delta), "grad"), (";  ", "")]
        lines.append(parts[:-1] if len(parts) > 1 else parts)
        sent: Line = [("   each input receives δ·w: ", "dim")]
        for weight, source in zip(neuron.weights, neuron.inputs):
            sent += [(source, "name"), (" gets ", ""), (f"{operand(delta)} × {operand(self.trace.value(weight))}",
                                                        "value"), (" = ", ""),
                     (fmt(delta * self.trace.value(weight)), "grad"), (";  ", "")]
        lines.append(sent[:-1])
        return lines

    def _total_line(self, k: int, edge) -> Line:  # noqa: ANN001 - an engine Edge
        """The input's accumulated gradient after this edge: a running sum when it fans out."""
        out = self.scenario.output
        sources = self.contributions(k, edge.input)
        total: Line = [("   ", ""), (f"∂{out}/∂{edge.input}", "grad"), (": ", "")]
        if len(sources) <= 1:
            return total + [(fmt(edge.grad_before), "grad"), (" → ", ""), (fmt(edge.grad_after), "grad")]
        deltas = self._fan_out_deltas(edge.input, sources)
        if deltas is not None:
            order = list(self.neurons)
            deltas.sort(key=lambda item: order.index(item[0].weighted_sum))
            names = " + ".join(f"{n.delta}·{w}" for n, w, _ in deltas)
            numbers = " + ".join(f"{operand(d)}×{operand(self.trace.value(w))}" for _, w, d in deltas)
            total += [(f"Σⱼ δⱼ·{_weight_symbol(edge.input)} = ", ""), (names, "formula"), (" = ", ""), (numbers, "value"), (" = ", ""),
                      (fmt(edge.grad_after), "grad")]
            total += [(f"   fan-out: {edge.input} feeds {len(sources)} neurons; what each sends adds up", "note")]
            return total
        total += [(signed_sum([amount for _, amount in sources]), "grad"), (" = ", "")]
        total += [(fmt(edge.grad_after), "grad")]
        via = ", ".join(f"via {node}" for node, _ in sources)
        total += [(f"   fan-out: {edge.input} feeds {len(sources)} nodes ({via}); the contributions add", "note")]
        return total

    def _fan_out_deltas(self, name: str, sources: list[tuple[str, float]]) -> list[tuple[Neuron, str, float]] | None:
        """(neuron, weight, delta) for each contribution when every one comes from a neuron's weighted sum."""
        found: list[tuple[Neuron, str, float]] = []
        for node, _ in sources:
            group = node if self.view == GROUPS else self.graph.node(node).group
            neuron = self.neurons.get(group)
            weight = neuron.weight_for(name) if neuron else None
            if neuron is None or weight is None:
                return None
            found.append((neuron, weight, self.trace.grad(neuron.weighted_sum)))
        return found

    def _done_lines(self) -> list[Line]:
        """The end of the backward pass: every leaf's gradient together (and every δ, for neurons)."""
        s = self.scenario
        out = s.output
        grads = self.trace.grad
        lines: list[Line] = []
        if s.inputs or s.params:
            lines.append([("Done: ", "title"), (f"every {self._leaf_words()} has its gradient. ", "title"),
                          ("Press v for the table.", "dim")])
        else:
            lines.append([("Done: ", "title"), ("the backward pass is complete. ", "title"),
                          ("Press v for the table.", "dim")])
        for neuron in self.neurons.values():
            row: Line = [("  ", ""), (neuron.delta, "grad"), (" = ", ""), (fmt(grads(neuron.weighted_sum)), "grad"),
                         (":  ", "")]
            for param in (*neuron.weights, *neuron.biases):
                row += [(f"∂{out}/∂{param}", "grad"), (" ", ""), (fmt(grads(param)), "grad"), ("  ", "")]
            lines.append(row[:-1])
        shown = list(s.inputs) if self.neurons else list(s.leaves)
        if shown:
            row = [("  ", "")]
            for name in shown:
                row += [(f"∂{out}/∂{name}", "grad"), (" = ", ""), (fmt(grads(name)), "grad"), ("   ", "")]
            lines.append(row[:-1])
        return lines

    # -- notes ---------------------------------------------------------------

    @cached_property
    def _note_places(self) -> dict[int, list[tuple[str, str]]]:
        """Position k -> the (name, phase) of each note shown there.

        A node's forward note shows when its value is complete (its own step,
        or its group's root); its backward note when it has sent every
        gradient (its own step in the groups view, its group's last primitive
        in the expanded view). A leaf's forward note shows at the start, its
        backward note at the step that completes its gradient.
        """
        places: dict[int, list[tuple[str, str]]] = {}
        notes = self.scenario.notes
        if not notes:
            return places
        forward_at = {step.node: 1 + i for i, step in enumerate(self.forward)}
        offset = 1 + len(self.forward)
        backward_at: dict[str, int] = {}
        last_sent: dict[str, int] = {}
        for i, step in enumerate(self.backward):
            node = self.graph.node(step.node)
            group = step.node if self.view == GROUPS else node.group
            backward_at[group] = offset + i  # the group's last primitive visited wins
            for edge in step.edges:
                last_sent[edge.input] = offset + i
        leaves = self.scenario.leaves
        for name, note in notes.items():
            if note.forward:
                k = 0 if name in leaves else forward_at.get(name)
                if k is not None:
                    places.setdefault(k, []).append((name, "forward"))
            if note.backward:
                k = last_sent.get(name) if name in leaves else backward_at.get(name)
                if k is not None:
                    places.setdefault(k, []).append((name, "backward"))
        return places

    def notes_at(self, k: int) -> list[str]:
        """The notes shown at position k, their placeholders filled with the numbers at k."""
        from tutor.scenario.notes import render

        places = self._note_places.get(k, [])
        if not places:
            return []
        frame = self.frame(k)
        backward = self.position(k).phase == "backward"
        index = self.graph.index

        def value(name: str) -> float | None:
            if name in frame.values:
                return frame.values[name]
            return None

        def grad(name: str) -> float | None:
            if name in frame.grads:
                return frame.grads[name]
            # Nothing has arrived yet: the accumulated gradient is still 0.
            return 0.0 if backward and name in index else None

        return [render(self.scenario.notes[name].text(phase), value, grad) for name, phase in places]

    def selected_note(self, name: str, k: int) -> str:
        """The note of a selected node at position k, once the lesson has reached it:
        its backward note from its backward step on, else its forward note from its
        forward step on (rendered; "" when none is due yet)."""
        from tutor.scenario.notes import render

        note = self.scenario.notes.get(name)
        if note is None:
            return ""
        reached = {phase for place, names in self._note_places.items() if place <= k
                   for shown, phase in names if shown == name}
        phase = "backward" if "backward" in reached else "forward" if "forward" in reached else ""
        if not phase:
            return ""
        frame = self.frame(k)
        backward = self.position(k).phase == "backward"
        return render(
            note.text(phase),
            lambda n: frame.values.get(n),
            lambda n: frame.grads.get(n, 0.0 if backward else None),
        )

    def note_text(self, k: int) -> str:
        """The notes at position k as one string ("" when none), for the JSON trace."""
        return "\n".join(self.notes_at(k))

    def _notes(self, k: int) -> list[Line]:
        return [[("✎ ", "note"), (text, "note")] for text in self.notes_at(k)]

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
        """The position in ``other`` (another view) closest to k in this one."""
        pos = self.position(k)
        if pos.phase == "start":
            return 0
        step = self.step(k)
        name = self.graph.nodes[self.graph.index[step.node]].group
        found = other.index_of(pos.phase, name) if name else None
        if found is None:
            found = other.index_of(pos.phase, step.node)
        if found is not None:
            return found
        return other.forward_end if pos.phase == "forward" else other.last
