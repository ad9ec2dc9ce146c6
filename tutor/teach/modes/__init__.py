"""The tutor's other angles on one lesson, as frames and words (no UI imports).

- forward mode: the tangent d(node)/d(leaf) pushed left to right, written
  with an upright d so it is never mistaken for reverse mode's gradient ∂;
- paths: every leaf-to-output path with its product, summing to the gradient;
- training: one gradient-descent step explained.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tutor.engine.analysis import (
    Path,
    TooManyPaths,
    TrainStep,
    count_group_paths,
    count_paths,
    forward_mode,
    group_forward_mode,
    group_paths,
    paths,
)
from tutor.teach.lesson import Frame, Lesson, Line, ViewEdge
from tutor.engine.numbers import fmt, operand, signed_sum

# --- forward mode ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TangentWalk:
    """Forward mode for one leaf: a frame and an explanation per position."""

    leaf: str
    frames: tuple[Frame, ...]
    explanations: tuple[tuple[Line, ...], ...]

    def __len__(self) -> int:
        return len(self.frames)


TANGENT_MARK = "ṫ"
"""How the graph marks forward mode's tangents (reverse mode's gradients are marked ∂)."""


def tangent(node: str, leaf: str) -> str:
    """How a tangent reads in words: ``dz1/dx1``, with an upright d (gradients use ∂)."""
    return f"d{node}/d{leaf}"


def tangent_walk(lesson: Lesson, leaf: str) -> TangentWalk:
    """Position 0 seeds d(leaf)/d(leaf) = 1; then one position per node of the view.

    In the groups view each named node is one box: its tangent uses the
    group-level local derivatives, so every name on screen is a box on screen.
    """
    graph = lesson.graph
    if lesson.groups is not None:
        steps = group_forward_mode(graph, lesson.groups, leaf)
    else:
        steps = forward_mode(graph, lesson.trace, leaf)
    keys = {n.key for n in lesson.nodes}
    values = {n.key: lesson.trace.values[graph.index[n.key]] for n in lesson.nodes}
    out = lesson.scenario.output
    tangents: dict[str, float] = {n.key: 0.0 for n in lesson.nodes if graph.node(n.key).is_leaf}
    tangents[leaf] = 1.0
    frames: list[Frame] = []
    explanations: list[tuple[Line, ...]] = []
    all_computed = frozenset(keys)
    leaves_count = len(graph.leaves)

    def frame(current: str | None, edge_values: dict[ViewEdge, float]) -> Frame:
        tangents_so_far = Frame(
            values, dict(tangents), {}, edge_values, None, frozenset(), all_computed, frozenset(tangents),
            grad_mark=TANGENT_MARK,
        )
        return lesson.focus(tangents_so_far, current)

    frames.append(frame(leaf, {}))
    explanations.append(
        (
            [("Forward mode ", "title"), (f"with respect to {leaf}", "name")],
            [("Seed: ", ""), (f"{tangent(leaf, leaf)} = 1", "grad"), (", every other leaf 0. Each node's tangent is the "
                                                                     "sum over its inputs of local derivative × the input's tangent.", "")],
            [("Notation: ", "dim"), (tangent("z", leaf), "grad"),
             (f" (upright d; {TANGENT_MARK} on the graph) is a tangent: how fast z moves when only {leaf} moves, "
              "pushed forward left to right. Reverse mode's gradients are written ∂ and pulled back from the "
              "output.", "dim")],
        )
    )
    edge_tangents: dict[ViewEdge, float] = {}
    for step in steps:
        if step.node not in keys:
            continue
        tangents[step.node] = step.tangent
        for edge in lesson.edges_into(step.node):
            if edge.position < len(step.terms):
                edge_tangents[edge] = step.terms[edge.position].product
        terms = [t for t in step.terms if not graph.is_constant(t.input)]
        moving = [t for t in terms if t.input_tangent != 0]
        # Inputs whose tangent is 0 add nothing: say so once rather than write "×0" for each.
        working = " + ".join(f"{operand(t.local)}×{operand(t.input_tangent)}" for t in moving) or "0"
        if moving and len(moving) < len(terms):
            working += "  (other inputs: tangent 0)"
        explanations.append(
            (
                [("Forward mode ", "title"), (f"{len(frames)} of {len([s for s in steps if s.node in keys])}", "dim")],
                [(tangent(step.node, leaf), "grad"), (" = Σ local × input tangent = ", ""), (working, "value"),
                 (" = ", ""), (fmt(step.tangent), "grad")],
            )
        )
        frames.append(frame(step.node, dict(edge_tangents)))
    final = tangents.get(out, 0.0)
    reverse = lesson.trace.grad(leaf)
    explanations[-1] = explanations[-1] + (
        [("Done: ", "title"), (f"{tangent(out, leaf)} = {fmt(final)}", "grad"),
         (f" (reverse mode gave ∂{out}/∂{leaf} = {fmt(reverse)}: the same number, found the other way).", "")],
        [(f"Forward mode gave one input's derivative in this pass; reverse mode gave all {leaves_count} "
          f"in one backward pass. For every input, forward mode needs {leaves_count} passes here.", "note")],
    )
    return TangentWalk(leaf, tuple(frames), tuple(explanations))


# --- paths -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PathView:
    leaf: str
    routes: tuple[Path, ...]
    error: str = ""


def path_view(lesson: Lesson, leaf: str, limit: int = 200) -> PathView:
    """Every path from ``leaf`` to the output: through named boxes in the groups view."""
    try:
        if lesson.groups is not None:
            routes = group_paths(lesson.graph, lesson.groups, leaf, limit)
        else:
            routes = paths(lesson.graph, lesson.trace, leaf, limit)
    except TooManyPaths as exc:
        return PathView(leaf, (), str(exc))
    return PathView(leaf, tuple(routes))


def path_highlight(lesson: Lesson, route: Path) -> tuple[frozenset[str], frozenset[ViewEdge]]:
    """The view's boxes and edges along one path (group boxes in the collapsed view)."""
    keys = {n.key for n in lesson.nodes}
    graph = lesson.graph
    shown: list[str] = []
    for name in route.nodes:
        key = name if name in keys else graph.node(name).group
        if key in keys and (not shown or shown[-1] != key):
            shown.append(key)
    edges: set[ViewEdge] = set()
    for a, b in zip(shown, shown[1:]):
        for edge in lesson.edges_into(b):
            if edge.source == a:
                edges.add(edge)
    return frozenset(shown), frozenset(edges)


def explain_paths(lesson: Lesson, view: PathView, selected: int) -> list[Line]:
    out = lesson.scenario.output
    leaf = view.leaf
    if view.error:
        return [[("Paths ", "title"), (f"from {leaf}", "name")], [(view.error, "warn")]]
    lines: list[Line] = [
        [("Paths ", "title"), (f"from {leaf} to {out}: ", "name"),
         (f"{len(view.routes)} path{'s' if len(view.routes) != 1 else ''}; each is the product of its edge "
          "derivatives. ← → choose a path.", "dim")]
    ]
    for i, route in enumerate(view.routes):
        names = " → ".join(lesson.title_of(n) for n in route.nodes)
        factors = " · ".join(operand(x) for x in route.locals) or "1"
        mark = "▶ " if i == selected else "  "
        line: Line = [(mark, "title"), (names, "name" if i == selected else ""), ("   ", "")]
        if lesson.groups is not None and route.formulas:
            line += [(" · ".join(route.formulas), "formula"), (" = ", "")]
        lines.append(line + [(factors, "value"), (" = ", ""), (fmt(route.product), "grad")])
    total = math.fsum(r.product for r in view.routes)
    lines.append([("Sum over paths: ", ""), (signed_sum([r.product for r in view.routes]) or "0", "grad"), (" = ", ""),
                  (fmt(total), "grad"), (f"   backprop's ∂{out}/∂{leaf} = ", ""),
                  (fmt(lesson.trace.grad(leaf)), "grad")])
    return lines


def path_count(lesson: Lesson, leaf: str) -> int:
    if lesson.groups is not None:
        return count_group_paths(lesson.graph, lesson.groups, leaf)
    return count_paths(lesson.graph, leaf)


# --- training ------------------------------------------------------------------


def explain_train(step: TrainStep, learning_rate: float, number: int) -> list[Line]:
    lines: list[Line] = [
        [("Training step ", "title"), (str(number), "value"), ("  loss ", ""), (fmt(step.loss_before), "value"),
         (" → ", ""), (fmt(step.loss_after), "value"),
         ("  (lower)" if step.loss_after < step.loss_before else "  (higher: try a smaller learning rate)",
          "good" if step.loss_after < step.loss_before else "bad")],
        [(f"Every param at once: p ← p − {fmt(learning_rate)} × ∂loss/∂p", "dim")],
    ]
    row: Line = []
    for i, (name, before) in enumerate(step.params_before.items()):
        row += [(name, "name"), (" ", ""), (fmt(before, 4), "value"), (" → ", "dim"),
                (fmt(step.params_after[name], 4), "value"), (f" ∂{fmt(step.grads[name], 3)}", "grad"), ("   ", "")]
        if i % 3 == 2:
            lines.append(row)
            row = []
    if row:
        lines.append(row)
    return lines
