"""Forward mode and paths with each named node as one box (the groups view).

The group-level local derivatives come from ``analysis.group_trace``; here
they are pushed forward (tangents) or multiplied along every route, so the
names and factors a learner reads are the boxes on screen:
``x1 → z1 → h1 → y → err → loss`` with ``w11 · h1(1 − h1) · v1 · 1 · err``.
"""

from __future__ import annotations

import math

from tutor.engine.analysis import GroupLocal, GroupTrace, Route, TangentStep, TangentTerm, TooManyPaths
from tutor.engine.graph import Graph


def _group_leaf(graph: Graph, leaf: str) -> None:
    index = graph.index[leaf]
    if graph.nodes[index].kind not in ("input", "param"):
        raise KeyError(leaf)


def group_forward_mode(graph: Graph, groups: GroupTrace, leaf: str) -> list[TangentStep]:
    """Forward mode with each named node as one box: its tangent is the sum over its
    inputs of the group-level local derivative × that input's tangent."""
    _group_leaf(graph, leaf)
    tangents: dict[str, float] = {leaf: 1.0}  # d(leaf)/d(leaf) = 1 seeds forward mode
    steps: list[TangentStep] = []
    for name in graph.groups:
        terms = tuple(
            TangentTerm(local.input, local.value, tangents.get(local.input, 0.0),
                        local.value * tangents[local.input] if tangents.get(local.input) else 0.0)
            for local in groups.locals.get(name, ())
        )
        tangents[name] = math.fsum(t.product for t in terms)
        steps.append(TangentStep(name, terms, tangents[name]))
    return steps


def _group_edges(graph: Graph, groups: GroupTrace) -> dict[str, list[GroupLocal]]:
    """Named node -> its group-level local derivatives, for the nodes the output needs."""
    return {name: list(groups.locals.get(name, ())) for name in graph.groups}


def count_group_paths(graph: Graph, groups: GroupTrace, leaf: str) -> int:
    """Number of paths from ``leaf`` to the output through named nodes."""
    counts: dict[str, int] = {leaf: 1}
    for name, locals_ in _group_edges(graph, groups).items():
        counts[name] = sum(counts.get(local.input, 0) for local in locals_)
    return counts.get(graph.nodes[graph.output].group, 0) if graph.output >= 0 else 0


def group_paths(graph: Graph, groups: GroupTrace, leaf: str, limit: int = 1000) -> list[Route]:
    """Every path from ``leaf`` to the output through named nodes, with group-level
    local derivatives (``w11 · h1(1 − h1) · v1 · 1 · err``); raises TooManyPaths past ``limit``."""
    _group_leaf(graph, leaf)
    total = count_group_paths(graph, groups, leaf)
    if total > limit:
        raise TooManyPaths(total, limit)
    edges = _group_edges(graph, groups)
    reaches: dict[str, bool] = {leaf: True}
    for name, locals_ in edges.items():
        reaches[name] = any(reaches.get(local.input, False) for local in locals_)
    output = graph.nodes[graph.output].group
    found: list[Route] = []
    stack: list[tuple[str, tuple[str, ...], tuple[GroupLocal, ...]]] = [(output, (output,), ())]
    while stack:
        name, route, taken = stack.pop()
        if name == leaf:
            steps = tuple(reversed(taken))
            product = 1.0
            for local in steps:
                product *= local.value
            found.append(
                Route(tuple(reversed(route)), tuple(x.value for x in steps), product, tuple(x.formula for x in steps))
            )
            continue
        for local in reversed(edges.get(name, [])):
            if reaches.get(local.input, False):
                stack.append((local.input, route + (local.input,), taken + (local,)))
    return found
