"""The local factors inside a group: each primitive's local derivative on a path
from one of the group's inputs to its root, as formula text and number.

``analysis.group_trace`` uses them to write a group's local derivative the way a
learner reads it (``-y² · exp(-x) · (-1)``) and to show the product with numbers.
"""

from __future__ import annotations

import math
import re

from tutor.engine.graph import Graph
from tutor.engine.ops import OPS, local_derivative, local_numbers
from tutor.engine.trace import Trace
from tutor.records import record


@record(slots=True)
class Factor:
    """One primitive's local derivative on a path inside a group."""

    formula: str
    """In the group's names, e.g. ``-y²`` or ``exp(-x)``."""
    value: float
    numbers: str
    """The formula with the numbers put in (empty when it is one number already)."""



def _edge_locals(graph: Graph, trace: Trace, index: int) -> list[float]:
    node = graph.nodes[index]
    inputs = tuple(trace.values[i] for i in node.inputs)
    return [
        local_derivative(OPS[node.op], inputs, trace.values[index], node.param, p) for p in range(len(node.inputs))
    ]


_COEFFICIENT = re.compile(r"^(-?\d+(?:\.\d+)?)(?:·(.+))?$")


def _product_text(factors: list[str]) -> str:
    """Formula texts multiplied: ``-y² · exp(-x) · (-1)``.

    Number factors whose product is exactly 1 drop out, so the loss
    ``0.5·err²`` reads ``err`` rather than ``0.5 · 2·err``; negative numbers
    are parenthesised.
    """
    numbers: list[float] = []
    rest: list[str] = []
    for text in factors:
        match = _COEFFICIENT.match(text)
        if match:
            numbers.append(float(match.group(1)))
            if match.group(2):
                rest.append(match.group(2))
        else:
            rest.append(text)
    product = math.prod(numbers)
    if numbers and product == 1 and rest:
        factors = rest
    several = len(factors) > 1
    shown = [f"({t})" if several and t.startswith("-") and _COEFFICIENT.match(t) else t for t in factors]
    return " · ".join(shown) if shown else "1"


class _Labels:
    """A node's label by index, looked up on demand (a group touches few nodes)."""

    __slots__ = ("_nodes",)

    def __init__(self, graph: Graph) -> None:
        self._nodes = graph.nodes

    def __getitem__(self, index: int) -> str:
        return self._nodes[index].label


def _inside_paths(
    graph: Graph, trace: Trace, folded: dict[int, str], members: tuple[int, ...], source: int
) -> tuple[tuple[Factor, ...], ...]:
    """Every path inside the group from its root down to ``source``, as factors with numbers."""
    root = members[-1]
    inside = set(members)
    labels = _Labels(graph)
    found: list[tuple[Factor, ...]] = []
    stack: list[tuple[int, tuple[Factor, ...]]] = [(root, ())]
    while stack and len(found) <= 8:
        index, factors = stack.pop()
        node = graph.nodes[index]
        op = OPS[node.op]
        names = tuple(folded.get(i, labels[i]) if i != root else labels[i] for i in node.inputs)
        out = labels[index] if index == root else folded[index]
        values = tuple(trace.values[i] for i in node.inputs)
        locals_ = _edge_locals(graph, trace, index)
        for position, i in enumerate(node.inputs):
            if graph.nodes[i].kind == "const":
                continue
            parts = op.formulas[position](names, out, node.param).split(" = ")
            text = parts[-1] if index == root else parts[0]
            numbers = local_numbers(node.op, values, trace.values[index], node.param, position)
            here = factors + (Factor(text, locals_[position], numbers),)
            if i == source:
                found.append(here)
            elif i in inside:
                stack.append((i, here))
    return tuple(found)
