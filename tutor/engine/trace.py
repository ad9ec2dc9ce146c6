"""Forward and backward passes as plain data: sequences of frozen step records.

The UI shows step *k* of these sequences; the JSON output prints them; the
tests check them. Nothing downstream recomputes a number.

One tight loop over flat lists computes every value and gradient (and the
gradient each edge found at its input before adding in, so the record of
any step can be rebuilt exactly). The step records themselves, with their
formula text, are built only when a step is read: ``Trace.forward[k]`` and
``Trace.backward[k]`` make the frozen record on access from those lists, so
a 100,000-node trace costs the arithmetic and a few floats per node, not a
record and a formula string per step and edge.

Everything here is a loop over the graph's creation order (a topological
order), so it runs without recursion and in time linear in the node count.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import overload

from tutor.engine.graph import Graph
from tutor.engine.numbers import fmt
from tutor.engine.ops import NAN, OPS, Op, local_derivative
from tutor.records import record


@record(slots=True)
class ForwardStep:
    """One primitive node computing its value from its inputs."""

    node: str
    op: str
    inputs: tuple[str, ...]
    input_values: tuple[float, ...]
    value: float
    expression: str
    """The op written with the input names, e.g. ``apple × apple_count``."""
    warning: str = ""


@record(slots=True)
class Edge:
    """The gradient flowing back along one edge, from a node to one input."""

    input: str
    position: int
    local_formula: str
    """d(node)/d(input) as text, e.g. ``tax`` for a multiply."""
    local: float
    contribution: float
    """upstream × local."""
    grad_before: float
    """The input's accumulated gradient before this edge adds in."""
    grad_after: float


@record(slots=True)
class BackwardStep:
    """One node sending its upstream gradient back to each of its inputs."""

    node: str
    op: str
    upstream: float
    """d(output)/d(node): complete by the time the node is visited."""
    edges: tuple[Edge, ...]
    warning: str = ""


# --- the compiled graph: flat lists the tight loop walks -------------------


class _Plan:
    """A graph's op nodes as flat tuples, made once per graph and reused by every run."""

    __slots__ = ("nodes", "size", "output", "forward", "backward", "forward_nodes", "backward_nodes", "edge_start")

    def __init__(self, graph: Graph) -> None:
        nodes = self.nodes = graph.nodes
        self.size = len(nodes)
        self.output = graph.output
        # (index, forward, first input, second input (the first again when unary), param)
        forward = []
        for node in nodes:
            if node.kind == "op":
                ins = node.inputs
                forward.append((node.index, OPS[node.op].forward, ins[0], ins[-1], node.param))
        self.forward = tuple(forward)
        self.forward_nodes = tuple(f[0] for f in forward)
        # (index, first derivative, second derivative or None, first input, second input, param)
        backward = []
        starts = []
        edge = 0
        if graph.output >= 0:
            needed = graph.ancestors_of_output()
            for node in reversed(nodes[: graph.output + 1]):
                if node.kind != "op" or not needed[node.index]:
                    continue
                ins = node.inputs
                derivatives = OPS[node.op].derivatives
                second = derivatives[1] if len(ins) == 2 else None
                backward.append((node.index, derivatives[0], second, ins[0], ins[-1], node.param))
                starts.append(edge)
                edge += len(ins)
        starts.append(edge)
        self.backward = tuple(backward)
        self.backward_nodes = tuple(b[0] for b in backward)
        self.edge_start = tuple(starts)
        """Where each backward step's edges begin in the per-edge lists (one past the end last)."""


def _plan(graph: Graph) -> _Plan:
    plan = graph.compiled
    if (
        not isinstance(plan, _Plan)
        or plan.nodes is not graph.nodes
        or plan.size != len(graph.nodes)
        or plan.output != graph.output
    ):
        plan = graph.compiled = _Plan(graph)
    return plan


# --- the trace ------------------------------------------------------------------


class _Steps(Sequence):
    """Step records built on access from a trace's flat lists (a read-only sequence)."""

    __slots__ = ("_graph", "_values", "_grads", "_before", "_nodes", "_edge_start")

    def __init__(self, graph: Graph, values, grads, before, nodes: tuple[int, ...], edge_start=()) -> None:
        self._graph = graph
        self._values = values
        self._grads = grads
        self._before = before
        self._nodes = nodes
        self._edge_start = edge_start

    def __len__(self) -> int:
        return len(self._nodes)

    @overload
    def __getitem__(self, k: int): ...
    @overload
    def __getitem__(self, k: slice) -> tuple: ...
    def __getitem__(self, k):
        if isinstance(k, slice):
            return tuple(self._build(i) for i in range(*k.indices(len(self._nodes))))
        if k < 0:
            k += len(self._nodes)
        if not 0 <= k < len(self._nodes):
            raise IndexError("step index out of range")
        return self._build(k)

    def __iter__(self) -> Iterator:
        build = self._build
        return (build(k) for k in range(len(self._nodes)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (_Steps, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} steps)"

    def node_index(self, k: int) -> int:
        """The graph index of step k's node (no record built)."""
        return self._nodes[k]

    def fields(self, k: int) -> tuple:
        """Step k's record as a plain tuple of its fields, in order, without making the record
        (edges, in a backward step, as tuples too): for writing many steps out at once."""
        if k < 0:
            k += len(self._nodes)
        return self._fields(k)

    def _fields(self, k: int) -> tuple:
        raise NotImplementedError

    def _build(self, k: int):
        raise NotImplementedError


class ForwardSteps(_Steps):
    """``trace.forward``: one :class:`ForwardStep` per op node, in creation order."""

    __slots__ = ()

    def _fields(self, k: int) -> tuple:
        graph_nodes = self._graph.nodes
        node = graph_nodes[self._nodes[k]]
        values = self._values
        op = OPS[node.op]
        ins = node.inputs
        inputs = tuple([values[i] for i in ins])
        value = values[node.index]
        return (
            node.name,
            node.op,
            tuple([graph_nodes[i].name for i in ins]),
            inputs,
            value,
            op.expression(tuple([graph_nodes[i].label for i in ins]), node.param),
            _trouble(op, value, inputs),
        )

    def _build(self, k: int) -> ForwardStep:
        return ForwardStep(*self._fields(k))


class BackwardSteps(_Steps):
    """``trace.backward``: one :class:`BackwardStep` per op node the output depends on, output first."""

    __slots__ = ()

    def _fields(self, k: int) -> tuple:
        graph_nodes = self._graph.nodes
        node = graph_nodes[self._nodes[k]]
        values = self._values
        op = OPS[node.op]
        # A node's gradient is complete when it is visited and never changes after.
        upstream = self._grads[node.index]
        ins = node.inputs
        inputs = tuple([values[i] for i in ins])
        out = values[node.index]
        labels = tuple([graph_nodes[i].label for i in ins])
        befores = self._before
        start = self._edge_start[k]
        edges = []
        finite = True
        for position, i in enumerate(ins):
            local = local_derivative(op, inputs, out, node.param, position)
            contribution = upstream * local
            finite = finite and math.isfinite(contribution)
            before = befores[start + position]
            edges.append(
                (
                    graph_nodes[i].name,
                    position,
                    op.formulas[position](labels, node.name, node.param),
                    local,
                    contribution,
                    before,
                    before + contribution,
                )
            )
        warning = ""
        if math.isfinite(upstream) and not finite:
            warning = "a local derivative is not finite here"
        return (node.name, node.op, upstream, tuple(edges), warning)

    def _build(self, k: int) -> BackwardStep:
        node, op, upstream, edges, warning = self._fields(k)
        return BackwardStep(node, op, upstream, tuple([Edge(*edge) for edge in edges]), warning)


@record(slots=True)
class Trace:
    """Values, gradients and the steps that produced them."""

    graph: Graph
    values: tuple[float, ...]
    grads: tuple[float, ...]
    forward: ForwardSteps
    """Read-only sequence of :class:`ForwardStep`, each built when read."""
    backward: BackwardSteps
    """Read-only sequence of :class:`BackwardStep`, each built when read."""

    @property
    def output_value(self) -> float:
        return self.values[self.graph.output]

    def value(self, name: str) -> float:
        return self.values[self.graph.index[name]]

    def grad(self, name: str) -> float:
        return self.grads[self.graph.index[name]]

    @property
    def forward_warnings(self) -> dict[str, str]:
        """Node name -> warning, for the forward steps that have one (in order)."""
        values = self.values
        if all(map(math.isfinite, values)):
            return {}
        out = {}
        for k, index in enumerate(self.forward._nodes):
            if not math.isfinite(values[index]):
                step = self.forward[k]
                out[step.node] = step.warning
        return out

    @property
    def warnings(self) -> list[str]:
        out = list(self.forward_warnings.values())
        # A non-finite contribution leaves its input's gradient non-finite for good,
        # so gradients that are all finite mean no backward step has a warning.
        if not all(map(math.isfinite, self.grads)):
            out += [s.warning for s in self.backward if s.warning]
        return out


def _trouble(op: Op, value: float, inputs: tuple[float, ...]) -> str:
    if math.isfinite(value):
        return ""
    if not all(math.isfinite(v) for v in inputs):
        return f"{fmt(value)}: an input is already {fmt(value)}"
    reason = op.trouble or "the result is not a finite number"
    return f"{fmt(value)}: {reason}"


class UnknownLeaf(KeyError):
    """An override names no input or param of the graph."""

    def __init__(self, name: str, leaves: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.leaves = leaves

    def __str__(self) -> str:
        known = ", ".join(self.leaves[:12]) + (", ..." if len(self.leaves) > 12 else "")
        return f"{self.name!r} is not an input or param of this graph (those are: {known or 'none'})"


def leaf_values(graph: Graph, overrides: dict[str, float] | None = None) -> list[float]:
    """Start values for every node: leaves from the graph, overridden by name (``UnknownLeaf`` if not one)."""
    values = [n.value for n in graph.nodes]
    for name, value in (overrides or {}).items():
        index = graph.index.get(name)
        if index is None or graph.nodes[index].kind not in ("input", "param"):
            raise UnknownLeaf(name, [n.name for n in graph.nodes if n.kind in ("input", "param")])
        values[index] = float(value)
    return values


def forward_values(graph: Graph, values: list[float]) -> list[float]:
    """Fill in every op node's value in place (no step records: for checks)."""
    _forward(_plan(graph), values)
    return values


def _forward(plan: _Plan, values: list[float]) -> None:
    for index, forward, a, b, param in plan.forward:
        try:
            values[index] = float(forward((values[a], values[b]), param))
        except (ZeroDivisionError, OverflowError, ValueError):
            values[index] = NAN


def run(graph: Graph, overrides: dict[str, float] | None = None) -> Trace:
    """Forward then backward over ``graph``; every step readable from the result."""
    plan = _plan(graph)
    values = leaf_values(graph, overrides)
    _forward(plan, values)

    grads = [0.0] * len(values)
    before: list[float] = []
    keep = before.append
    if plan.output >= 0:
        grads[plan.output] = 1.0  # dL/dL = 1 seeds the backward pass
        for index, first, second, a, b, param in plan.backward:
            upstream = grads[index]
            inputs = (values[a], values[b])
            out = values[index]
            try:
                local = float(first(inputs, out, param))
            except (ZeroDivisionError, OverflowError, ValueError):
                local = NAN
            keep(grads[a])
            grads[a] += upstream * local
            if second is not None:
                try:
                    local = float(second(inputs, out, param))
                except (ZeroDivisionError, OverflowError, ValueError):
                    local = NAN
                keep(grads[b])
                grads[b] += upstream * local
    values_, grads_ = tuple(values), tuple(grads)
    return Trace(
        graph,
        values_,
        grads_,
        ForwardSteps(graph, values_, grads_, before, plan.forward_nodes),
        BackwardSteps(graph, values_, grads_, before, plan.backward_nodes, plan.edge_start),
    )
