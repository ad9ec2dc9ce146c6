"""Forward and backward passes as plain data: lists of frozen step records.

The UI shows step *k* of these lists; the JSON output prints them; the tests
check them. Nothing downstream recomputes a number.

Everything here is a loop over the graph's creation order (a topological
order), so it runs without recursion and in time linear in the node count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tutor.engine.graph import Graph
from tutor.engine.numbers import fmt
from tutor.engine.ops import OPS, evaluate, local_derivative


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class BackwardStep:
    """One node sending its upstream gradient back to each of its inputs."""

    node: str
    op: str
    upstream: float
    """d(output)/d(node): complete by the time the node is visited."""
    edges: tuple[Edge, ...]
    warning: str = ""


@dataclass(frozen=True, slots=True)
class Trace:
    """Values, gradients and the steps that produced them."""

    graph: Graph
    values: tuple[float, ...]
    grads: tuple[float, ...]
    forward: tuple[ForwardStep, ...]
    backward: tuple[BackwardStep, ...]

    @property
    def output_value(self) -> float:
        return self.values[self.graph.output]

    def value(self, name: str) -> float:
        return self.values[self.graph.index[name]]

    def grad(self, name: str) -> float:
        return self.grads[self.graph.index[name]]

    @property
    def warnings(self) -> list[str]:
        return [s.warning for s in (*self.forward, *self.backward) if s.warning]


def _trouble(op_name: str, value: float, inputs: tuple[float, ...]) -> str:
    if math.isfinite(value):
        return ""
    if not all(math.isfinite(v) for v in inputs):
        return f"{fmt(value)}: an input is already {fmt(value)}"
    reason = OPS[op_name].trouble or "the result is not a finite number"
    return f"{fmt(value)}: {reason}"


def leaf_values(graph: Graph, overrides: dict[str, float] | None = None) -> list[float]:
    """Start values for every node: leaves from the graph, overridden by name."""
    values = [n.value for n in graph.nodes]
    for name, value in (overrides or {}).items():
        index = graph.index.get(name)
        if index is None or graph.nodes[index].kind not in ("input", "param"):
            raise KeyError(name)
        values[index] = float(value)
    return values


def forward_values(graph: Graph, values: list[float]) -> list[float]:
    """Fill in every op node's value in place (no step records: for checks)."""
    nodes = graph.nodes
    for node in nodes:
        if node.kind == "op":
            values[node.index] = evaluate(OPS[node.op], tuple(values[i] for i in node.inputs), node.param)
    return values


def run(graph: Graph, overrides: dict[str, float] | None = None) -> Trace:
    """Forward then backward over ``graph``; every step recorded."""
    values = leaf_values(graph, overrides)
    names = [n.name for n in graph.nodes]
    labels = [n.label for n in graph.nodes]
    forward: list[ForwardStep] = []
    for node in graph.nodes:
        if node.kind != "op":
            continue
        op = OPS[node.op]
        inputs = tuple(values[i] for i in node.inputs)
        value = evaluate(op, inputs, node.param)
        values[node.index] = value
        forward.append(
            ForwardStep(
                node=node.name,
                op=node.op,
                inputs=tuple(names[i] for i in node.inputs),
                input_values=inputs,
                value=value,
                expression=op.expression(tuple(labels[i] for i in node.inputs), node.param),
                warning=_trouble(node.op, value, inputs),
            )
        )

    grads = [0.0] * len(graph.nodes)
    backward: list[BackwardStep] = []
    if graph.output >= 0:
        needed = graph.ancestors_of_output()
        grads[graph.output] = 1.0  # dL/dL = 1 seeds the backward pass
        for node in reversed(graph.nodes[: graph.output + 1]):
            if node.kind != "op" or not needed[node.index]:
                continue
            op = OPS[node.op]
            upstream = grads[node.index]
            inputs = tuple(values[i] for i in node.inputs)
            input_labels = tuple(labels[i] for i in node.inputs)
            out = values[node.index]
            edges = []
            for position, i in enumerate(node.inputs):
                local = local_derivative(op, inputs, out, node.param, position)
                contribution = upstream * local
                before = grads[i]
                after = before + contribution
                grads[i] = after
                edges.append(
                    Edge(
                        input=names[i],
                        position=position,
                        local_formula=op.formulas[position](input_labels, node.name, node.param),
                        local=local,
                        contribution=contribution,
                        grad_before=before,
                        grad_after=after,
                    )
                )
            warning = ""
            if math.isfinite(upstream) and not all(math.isfinite(e.contribution) for e in edges):
                warning = "a local derivative is not finite here"
            backward.append(BackwardStep(node.name, node.op, upstream, tuple(edges), warning))

    return Trace(graph, tuple(values), tuple(grads), tuple(forward), tuple(backward))
