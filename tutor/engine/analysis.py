"""The same gradient seen from other angles, as plain data.

- ``group_trace``: forward/backward with each named node as one box, its
  local derivatives computed from its primitives.
- ``forward_mode``: the tangent d(node)/d(leaf) of every node, in order
  (``tutor.engine.groups``: the same, and paths, over named nodes).
- ``paths``: every path from a leaf to the output with its edge product.
- ``numeric_check``: central differences beside the backprop gradient.
- ``train``: gradient-descent steps on the params.
"""

from __future__ import annotations

import math
from dataclasses import field

from tutor.engine.graph import Graph
from tutor.engine.group_factors import Factor, _inside_paths, _product_text
from tutor.engine.numbers import sum_trouble, total
from tutor.engine.ops import OPS, local_derivative
from tutor.engine.trace import BackwardStep, Edge, ForwardStep, Trace, forward_values, leaf_values, run
from tutor.records import record

# --- group level -----------------------------------------------------------


@record(slots=True)
class GroupTrace:
    """Forward and backward steps over named nodes as single boxes."""

    forward: tuple[ForwardStep, ...]
    backward: tuple[BackwardStep, ...]
    inputs: dict[str, tuple[str, ...]]
    """Named node -> the leaves and named nodes it reads, in first-use order."""
    locals: dict[str, tuple[GroupLocal, ...]] = field(default_factory=dict)
    """Named node -> its group-level local derivative for each input, in ``inputs`` order."""

    def factors(self, node: str, input: str) -> tuple[tuple[Factor, ...], ...]:
        """The paths inside ``node``'s group from ``input`` to its root, each a chain of local factors."""
        for local in self.locals.get(node, ()):
            if local.input == input:
                return local.paths
        return ()


@record(slots=True)
class GroupLocal:
    """A named node's local derivative with respect to one of its inputs, seen as one box."""

    input: str
    value: float
    formula: str
    paths: tuple[tuple[Factor, ...], ...]
    """The primitive paths inside the group, root first, whose products sum to ``value``."""


def _edge_locals(graph: Graph, trace: Trace, index: int) -> list[float]:
    node = graph.nodes[index]
    inputs = tuple(trace.values[i] for i in node.inputs)
    return [
        local_derivative(OPS[node.op], inputs, trace.values[index], node.param, p) for p in range(len(node.inputs))
    ]


def _external_inputs(graph: Graph, members: tuple[int, ...]) -> list[int]:
    inside = set(members)
    seen: list[int] = []
    for m in members:
        for i in graph.nodes[m].inputs:
            if i not in inside and graph.nodes[i].kind != "const" and i not in seen:
                seen.append(i)
    return seen


def _group_formula(
    graph: Graph, labels: list[str], folded: dict[int, str], members: tuple[int, ...], source: int
) -> str:
    """Sum over paths inside the group of the product of formula texts.

    Intermediates have no box in the collapsed view, so they are written as
    the expressions they stand for (``folded``); the root keeps its name
    (``-y²``).
    """
    root = members[-1]
    inside = set(members)
    terms: list[str] = []
    stack: list[tuple[int, list[str]]] = [(root, [])]
    while stack and len(terms) <= 8:
        index, factors = stack.pop()
        node = graph.nodes[index]
        op = OPS[node.op]
        names = tuple(folded.get(i, labels[i]) if i != root else labels[i] for i in node.inputs)
        out = labels[index] if index == root else folded[index]
        for position, i in enumerate(node.inputs):
            parts = op.formulas[position](names, out, node.param).split(" = ")
            text = parts[-1] if index == root else parts[0]
            here = factors + ([] if text == "1" else [text])
            if i == source:
                terms.append(_product_text(here))
            elif i in inside:
                stack.append((i, here))
    return " + ".join(terms) if terms else "0"


def group_trace(graph: Graph, trace: Trace) -> GroupTrace:
    """Named nodes as black boxes: value in, value out, one local derivative per input."""
    labels = [n.label for n in graph.nodes]
    warnings = trace.forward_warnings
    forward: list[ForwardStep] = []
    inputs_of: dict[str, tuple[str, ...]] = {}
    local_of: dict[str, dict[int, float]] = {}
    folded_of: dict[str, dict[int, str]] = {}
    group_locals: dict[str, tuple[GroupLocal, ...]] = {}
    for name, members in graph.groups.items():
        root = members[-1]
        external = _external_inputs(graph, members)
        inputs_of[name] = tuple(labels[i] for i in external)
        # Backprop inside the group only, seeded at the group's root.
        inner = {root: 1.0}
        inside = set(members)
        local: dict[int, float] = {i: 0.0 for i in external}
        for m in reversed(members):
            upstream = inner.get(m, 0.0)
            for position, (i, d) in enumerate(zip(graph.nodes[m].inputs, _edge_locals(graph, trace, m))):
                if i in local:
                    local[i] += upstream * d
                elif i in inside:
                    inner[i] = inner.get(i, 0.0) + upstream * d
        local_of[name] = local
        folded = folded_of[name] = _folded(graph, members)
        group_locals[name] = tuple(
            GroupLocal(
                graph.nodes[i].name, d, _group_formula(graph, labels, folded, members, i),
                _inside_paths(graph, trace, folded, members, i),
            )
            for i, d in local.items()
        )
        forward.append(
            ForwardStep(
                node=name,
                op="group" if len(members) > 1 else graph.nodes[root].op,
                inputs=tuple(graph.nodes[i].name for i in external),
                input_values=tuple(trace.values[i] for i in external),
                value=trace.values[root],
                expression=folded[root],
                warning=warnings.get(name, ""),
            )
        )

    backward: list[BackwardStep] = []
    needed = graph.ancestors_of_output()
    grads: dict[int, float] = {graph.output: 1.0} if graph.output >= 0 else {}
    for name in reversed(list(graph.groups)):
        members = graph.groups[name]
        root = members[-1]
        if not needed[root]:
            continue
        upstream = grads.get(root, 0.0)
        edges = []
        for position, (i, local) in enumerate(local_of[name].items()):
            before = grads.get(i, 0.0)
            contribution = upstream * local
            grads[i] = before + contribution
            edges.append(
                Edge(
                    input=graph.nodes[i].name,
                    position=position,
                    local_formula=group_locals[name][position].formula,
                    local=local,
                    contribution=contribution,
                    grad_before=before,
                    grad_after=before + contribution,
                )
            )
        op = "group" if len(members) > 1 else graph.nodes[root].op
        backward.append(BackwardStep(name, op, upstream, tuple(edges)))
    return GroupTrace(tuple(forward), tuple(backward), inputs_of, group_locals)


def _folded(graph: Graph, members: tuple[int, ...], leaf_text=None) -> dict[int, str]:
    """Each group member written as an expression over the group's inputs.

    ``leaf_text(index)`` gives the text for a node outside the group (its
    label by default; the UI passes its value to show the arithmetic).
    """
    text: dict[int, str] = {}
    for m in members:
        node = graph.nodes[m]
        args = tuple(
            text[i] if i in text else (leaf_text(i) if leaf_text else graph.nodes[i].label) for i in node.inputs
        )
        constants = [graph.nodes[i].kind == "const" and graph.nodes[i].value == -1 for i in node.inputs]
        if node.op == "mul" and any(constants) and not leaf_text:
            # Multiplying by the constant -1 reads as a minus sign: exp(-x), not exp(-1 × x).
            other = args[1] if constants[0] else args[0]
            text[m] = f"-{other}" if _simple(other) else f"-({other})"
        else:
            text[m] = OPS[node.op].expression(args, node.param)
    return text


def _simple(text: str) -> bool:
    return text.replace("_", "a").replace(".", "a").isalnum()


def group_expression(graph: Graph, members: tuple[int, ...], leaf_text=None) -> str:
    """The group's primitives folded back into one expression string."""
    return _folded(graph, members, leaf_text)[members[-1]]


# --- forward mode ----------------------------------------------------------


@record(slots=True)
class TangentTerm:
    input: str
    local: float
    input_tangent: float
    product: float


@record(slots=True)
class TangentStep:
    """d(node)/d(leaf) = sum over inputs of local × the input's tangent."""

    node: str
    terms: tuple[TangentTerm, ...]
    tangent: float
    warning: str = ""
    """Why the tangent is not finite (e.g. +inf meets -inf), or empty."""


def forward_mode(graph: Graph, trace: Trace, leaf: str) -> list[TangentStep]:
    """Push d/d(leaf) from the leaves to the output, one step per op node."""
    source = graph.index[leaf]
    if graph.nodes[source].kind not in ("input", "param"):
        raise KeyError(leaf)
    tangents = [0.0] * len(graph.nodes)
    tangents[source] = 1.0  # d(leaf)/d(leaf) = 1 seeds forward mode
    steps: list[TangentStep] = []
    for node in graph.nodes:
        if node.kind != "op":
            continue
        locals_ = _edge_locals(graph, trace, node.index)
        terms = tuple(
            TangentTerm(graph.nodes[i].name, d, tangents[i], d * tangents[i] if tangents[i] else 0.0)
            for i, d in zip(node.inputs, locals_)
        )
        products = [t.product for t in terms]
        tangents[node.index] = total(products)
        warning = sum_trouble(products) if not math.isfinite(tangents[node.index]) else ""
        steps.append(TangentStep(node.name, terms, tangents[node.index], warning))
    return steps


# --- paths -------------------------------------------------------------------


class TooManyPaths(Exception):
    """More paths than the limit: the count is known, the list is not built."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"{_count_text(count)} paths lead to the output, more than the limit of {limit:,}; "
            "pick a leaf nearer the output"
        )
        self.count = count
        self.limit = limit


@record(slots=True)
class Route:
    """One route from a leaf to the output: its nodes, edge derivatives and their product."""

    nodes: tuple[str, ...]
    locals: tuple[float, ...]
    product: float
    formulas: tuple[str, ...] = ()
    """Each edge's local derivative as a formula, e.g. ``w11`` or ``h1(1 − h1)``."""


def _count_text(count: int) -> str:
    """``12,345`` or, past 15 digits, ``about 3.2e4515`` (Python will not print an int of 4,300+ digits)."""
    if count < 10**15:
        return f"{count:,}"
    shift = max(0, count.bit_length() - 64)
    log10 = math.log10(count >> shift) + shift * math.log10(2)
    exponent = math.floor(log10)
    return f"about {10 ** (log10 - exponent):.1f}e{exponent}"


def path_sum(routes: list[Route] | tuple[Route, ...]) -> tuple[float, str]:
    """The sum of the paths' products, and why it is not finite (or "")."""
    products = [r.product for r in routes]
    value = total(products)
    return value, (sum_trouble(products) if not math.isfinite(value) else "")


def count_paths(graph: Graph, leaf: str) -> int:
    """Number of edge paths from ``leaf`` to the output (exact integer)."""
    source = graph.index[leaf]
    counts = [0] * len(graph.nodes)
    counts[source] = 1
    for node in graph.nodes[source + 1 : graph.output + 1]:
        counts[node.index] = sum(counts[i] for i in node.inputs)
    return counts[graph.output] if graph.output >= source else 0


def paths(graph: Graph, trace: Trace, leaf: str, limit: int = 1000) -> list[Route]:
    """Every path from ``leaf`` to the output; raises TooManyPaths past ``limit``."""
    total = count_paths(graph, leaf)
    if total > limit:
        raise TooManyPaths(total, limit)
    source = graph.index[leaf]
    reaches = [False] * len(graph.nodes)
    reaches[source] = True
    for node in graph.nodes[source + 1 :]:
        reaches[node.index] = any(reaches[i] for i in node.inputs)
    found: list[Route] = []
    # Walk backwards from the output, following only edges that reach the
    # leaf. A stack entry is (node, link, local) where ``link`` is the entry
    # it was reached from: a path is read off its links once, when the walk
    # reaches the leaf, so the cost is linear in the total length of the
    # paths listed (copying the route at every step was quadratic).
    locals_of: dict[int, list[float]] = {}
    # link: (next node towards the output, local derivative of the edge to it, its link) or None
    stack: list[tuple[int, tuple | None]] = [(graph.output, None)]
    while stack:
        index, link = stack.pop()
        if index == source:
            nodes = [index]
            factors: list[float] = []
            product = 1.0
            while link is not None:
                nxt, d, link = link
                nodes.append(nxt)
                factors.append(d)
                product *= d
            found.append(Route(tuple(graph.nodes[i].name for i in nodes), tuple(factors), product))
            continue
        node = graph.nodes[index]
        if node.kind != "op":
            continue
        edge_locals = locals_of.get(index)
        if edge_locals is None:
            edge_locals = locals_of[index] = _edge_locals(graph, trace, index)
        for i, d in reversed(list(zip(node.inputs, edge_locals))):
            if reaches[i]:
                stack.append((i, (index, d, link)))
    return found


# --- numeric check ---------------------------------------------------------


@record(slots=True)
class NumericRow:
    leaf: str
    backprop: float
    numeric: float
    relative_error: float
    step: float


def _output_at(graph: Graph, values: list[float]) -> float:
    return forward_values(graph, values)[graph.output]


def numeric_check(graph: Graph, trace: Trace, overrides: dict[str, float] | None = None) -> list[NumericRow]:
    """Central differences (f(x+h) - f(x-h)) / 2h for every input and param."""
    base = leaf_values(graph, overrides)
    rows = []
    for leaf in graph.leaves:
        x = base[leaf.index]
        h = 1e-6 * max(1.0, abs(x))
        up = list(base)
        up[leaf.index] = x + h
        down = list(base)
        down[leaf.index] = x - h
        numeric = (_output_at(graph, up) - _output_at(graph, down)) / (2 * h)
        backprop = trace.grads[leaf.index]
        scale = max(abs(backprop), abs(numeric), 1e-12)
        error = abs(backprop - numeric) / scale if math.isfinite(backprop - numeric) else math.inf
        if backprop == numeric:
            error = 0.0
        rows.append(NumericRow(leaf.name, backprop, numeric, error, h))
    return rows


# --- training --------------------------------------------------------------


@record(slots=True)
class TrainStep:
    """One gradient-descent step: every param moves by -learning_rate × grad."""

    loss_before: float
    loss_after: float
    params_before: dict[str, float]
    grads: dict[str, float]
    params_after: dict[str, float]


def train_step(
    graph: Graph, values: dict[str, float], learning_rate: float, trace: Trace | None = None
) -> TrainStep:
    """All params update at once, from gradients taken at the same point.

    ``trace`` may pass the trace already taken at ``values`` (the app has it).
    """
    if trace is None:
        trace = run(graph, values)
    params = graph.params
    before = {p.name: trace.values[p.index] for p in params}
    grads = {p.name: trace.grads[p.index] for p in params}
    after = {name: before[name] - learning_rate * grads[name] for name in before}
    new_values = {**values, **after}
    loss_after = _output_at(graph, leaf_values(graph, new_values))
    return TrainStep(trace.output_value, loss_after, before, grads, after)


def training(graph: Graph, values: dict[str, float], learning_rate: float, steps: int):
    """Yield ``steps`` gradient-descent steps from ``values`` one at a time (nothing kept)."""
    current = dict(values)
    for _ in range(steps):
        step = train_step(graph, current, learning_rate)
        current.update(step.params_after)
        yield step


def train(graph: Graph, values: dict[str, float], learning_rate: float, steps: int) -> list[TrainStep]:
    """``steps`` gradient-descent steps from ``values`` (leaf overrides)."""
    return list(training(graph, values, learning_rate, steps))
