"""What an edited value does to the output, said before arithmetic that would be nonsense.

Typing 1e308 for an input can push the output to inf; the edit explanation
would then read ``880 → inf = inf`` and, after editing back,
``inf → 880 = -inf``. These sentences replace such arithmetic with a warning.
"""

from __future__ import annotations

import math

from tutor.engine.numbers import fmt
from tutor.engine.trace import forward_values, leaf_values
from tutor.teach.lesson import Lesson


def output_at(lesson: Lesson, name: str, value: float) -> float:
    """The output with ``name`` set to ``value`` (the lesson's other edits kept)."""
    graph = lesson.scenario.graph
    values = leaf_values(graph, {**lesson.overrides, name: value})
    return forward_values(graph, values)[graph.output]


def edit_warning(lesson: Lesson, name: str, value: float) -> str:
    """A warning when ``name`` = ``value`` makes the output not a finite number, else ""."""
    out = output_at(lesson, name, value)
    if math.isfinite(out):
        return ""
    what = "overflows to " + fmt(out) if math.isinf(out) else "is not a number (nan)"
    return f"with {name} = {fmt(value)} the output {lesson.scenario.output} {what}"


def edit_trouble(before: float, after: float, predicted: float, output: str) -> str:
    """Why the edit's prediction cannot be compared, or "" when it can."""
    if not math.isfinite(before) or not math.isfinite(after):
        return (f"{output} went {fmt(before)} → {fmt(after)}: with a value that is not finite "
                "there is no change to compare with the gradient's prediction.")
    if not math.isfinite(predicted):
        return "The gradient's prediction is not a finite number (overflow): there is nothing to compare."
    return ""
