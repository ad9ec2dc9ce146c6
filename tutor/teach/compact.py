"""The step explanation in its compact form, for windows where the full one does not fit.

Same numbers as :meth:`Lesson.explain`, fewer words: one line for the step
(what it is, and the upstream gradient going backward), then one line per
edge: the input, (its local derivative: formula = number) × the upstream
gradient = the contribution, and the input's gradient before → after::

    → apple: (apple_count = 2) × 1.1 = 2.2  ∂ 0 → 2.2
    → b: 1 × 2 = 2  ∂ 3 → 5 (Σ 2 uses)

The parentheses keep it a true equation: the local derivative is apple_count,
which is 2; it is not apple_count that equals 2 × 1.1.

Warnings and notes follow, as in the full form. Plain data (styled fragments),
no UI.
"""

from __future__ import annotations

from tutor.engine.numbers import fmt, operand
from tutor.teach.lesson import Lesson, Line

DIGITS = 4
"""Significant digits of the compact form's gradients (the full form shows 6), as on the graph."""


def explain_compact(lesson: Lesson, k: int) -> list[Line]:
    """Position k of ``lesson`` in the compact form."""
    own = getattr(lesson, "explain_compact", None)
    if own is not None:  # a lesson with steps of its own kind (the neuron view) says how it shortens them
        return own(k)
    pos = lesson.position(k)
    if pos.phase == "start":
        return _start(lesson)
    if pos.phase == "forward":
        return _forward(lesson, k)
    return _backward(lesson, k)


def _start(lesson: Lesson) -> list[Line]:
    s = lesson.scenario
    line: Line = [("Start: ", "title")]
    for i, name in enumerate(s.leaves):
        if i:
            line.append((", ", ""))
        line += [(name, "name"), ("=", ""), (fmt(lesson.trace.value(name)), "value")]
    return [
        line,
        [("→ computes left to right, then back from ", "dim"), (s.output, "name"), (" to every input.", "dim")],
    ]


def _tail(lesson: Lesson, k: int, warning: str | None) -> list[Line]:
    lines: list[Line] = []
    if warning:
        lines.append([("⚠ ", "warn"), (warning, "warn")])
    return lines + lesson._notes(k)  # the notes due at k, their numbers filled in


def _forward(lesson: Lesson, k: int) -> list[Line]:
    step = lesson.step(k)
    names, numbers = lesson._forward_expression(step)
    line: Line = [
        ("Forward ", "title"), (f"{k}/{len(lesson.forward)} ", "dim"),
        (step.node, "name"), (" = ", ""), (names, "formula"), (" = ", ""), (numbers, "value"),
        (" = ", ""), (fmt(step.value), "value"),
    ]
    return [line] + _tail(lesson, k, step.warning)


def _backward(lesson: Lesson, k: int) -> list[Line]:
    step = lesson.step(k)
    out = lesson.scenario.output
    j = k - len(lesson.forward)
    head: Line = [("Backward ", "title"), (f"{j}/{len(lesson.backward)} ", "dim"), (step.node, "name")]
    if step.node == out:
        head += [("  start at the output: ", ""), (f"∂{out}/∂{out} = 1", "grad")]
    else:
        head += [("  upstream ", ""), (f"∂{out}/∂{step.node}", "grad"), (" = ", ""), (fmt(step.upstream), "grad")]
    lines = [head]
    for edge in step.edges:
        if lesson.graph.is_constant(edge.input):
            continue
        shown = fmt(edge.local)
        line: Line = [("→ ", "dim"), (edge.input, "name"), (": ", "")]
        if edge.local_formula != shown:
            line += [("(", ""), (edge.local_formula, "formula"), (" = ", ""), (fmt(edge.local, DIGITS), "value"), (")", "")]
        else:
            line.append((operand(edge.local, DIGITS), "value"))
        line += [
            (" × ", ""), (operand(step.upstream, DIGITS), "grad"),
            (" = ", ""), (fmt(edge.contribution, DIGITS), "grad"),
            ("  ∂ ", "grad"),
            (fmt(edge.grad_before, DIGITS), "grad"), (" → ", ""), (fmt(edge.grad_after, DIGITS), "grad"),
        ]
        count = len(lesson.contributions(k, edge.input))
        if count > 1:
            line.append((f" (Σ {count} uses)", "note"))
        lines.append(line)
    lines += _tail(lesson, k, step.warning)
    if k == lesson.last:
        lines.append([("Done: every input has its gradient.", "title")])
    return lines
