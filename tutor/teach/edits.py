"""An edited input in words: what the old gradient predicted, what actually changed, and a warning first
when the new value would make the output overflow.

Typing 1e308 for an input can push the output to inf; the explanation would
then read ``880 → inf = inf`` and, after editing back, ``inf → 880 = -inf``.
Such arithmetic is replaced by a warning. Plain data; no UI imports.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt, operand
from tutor.engine.trace import forward_values, leaf_values
from tutor.i18n import _

if TYPE_CHECKING:
    from tutor.teach.lesson import Lesson
    from tutor.teach.text import Line


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
    if math.isinf(out):
        return _("with {name} = {value} the output {output} overflows to {result}").format(
            name=name, value=fmt(value), output=lesson.scenario.output, result=fmt(out))
    return _("with {name} = {value} the output {output} is not a number (nan)").format(
        name=name, value=fmt(value), output=lesson.scenario.output)


def edit_trouble(before: float, after: float, predicted: float, output: str) -> str:
    """Why the edit's prediction cannot be compared, or "" when it can."""
    if not math.isfinite(before) or not math.isfinite(after):
        return _("{output} went {before} → {after}: with a value that is not finite there is no change to compare "
                 "with the gradient's prediction.").format(output=output, before=fmt(before), after=fmt(after))
    if not math.isfinite(predicted):
        return _("The gradient's prediction is not a finite number (overflow): there is nothing to compare.")
    return ""


def edit_lines(old: Lesson, new: Lesson, name: str) -> list[Line]:
    """An input changed from ``old`` to ``new``: what the old gradient predicted, and what happened."""
    out = old.scenario.output
    before = old.trace.value(name)
    value = new.trace.value(name)
    delta = value - before
    grad = old.trace.grad(name)
    predicted = grad * delta
    actual = new.trace.output_value - old.trace.output_value
    if delta == 0:  # the same value again: nothing to predict, nothing to compare
        return [[(_("Edited "), "title"), (name, "name"), (": ", ""), (fmt(before), "value"),
                 (_("  the same value: the gradient predicts no change, and nothing changed."), "dim")]]
    lines: list[Line] = [
        [(_("Edited "), "title"), (name, "name"), (": ", ""), (fmt(before), "value"), (" → ", ""),
         (fmt(value), "value"), (_(" (change {change})").format(change=("+" if delta >= 0 else "") + fmt(delta)), "dim")],
        [(_("  The gradient predicted "), ""), (f"∂{out}/∂{name}", "grad"), (_(" × change = "), ""),
         (operand(grad), "grad"), (" × ", ""), (operand(delta), "value"), (" = ", ""), (fmt(predicted), "grad")],
        [(_("  Actually "), ""), (out, "name"), (_(" went "), ""), (fmt(old.trace.output_value), "value"),
         (" → ", ""), (fmt(new.trace.output_value), "value"), (_(", a change of "), ""),
         (("+" if actual >= 0 else "") + fmt(actual), "value")],
    ]
    trouble = edit_trouble(old.trace.output_value, new.trace.output_value, predicted, out)
    if trouble:  # inf or nan: a warning instead of arithmetic such as "inf → 880 = -inf"
        lines[1:] = [[("  " + trouble, "warn")]]
    elif math.isfinite(predicted) and math.isfinite(actual):
        close = math.isclose(predicted, actual, rel_tol=1e-9, abs_tol=1e-12)
        words = (
            _("Exact: the output is linear in this input.") if close else
            _("Not exact: the gradient is the slope at the old point, a linear prediction.")
        )
        lines.append([("  " + words, "note")])
    return lines
