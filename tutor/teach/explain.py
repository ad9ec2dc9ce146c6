"""Sentences about the lesson that belong to no single step: the method in
brief, the selected node's details and what an edit of an input did.

Plain data (lines of styled fragments, see ``lesson.Line``); no UI imports.
"""

from __future__ import annotations

import math

from tutor.engine.numbers import fmt, operand
from tutor.engine.ops import title as op_title
from tutor.teach.edit_check import edit_trouble
from tutor.teach.lesson import GROUPS, NEURONS, Frame, Lesson, Line

BACKPROP_IN_BRIEF = (
    "Forward goes left to right computing values; backward goes right to left, "
    "multiplying each upstream gradient by the local derivative of every edge. "
    "Gradients are marked ∂."
)
"""The whole method in two sentences (under the keys on the help page)."""


def selected_lines(lesson: Lesson, key: str, frame: Frame, k: int | None = None, note: bool = True) -> list[Line]:
    """The selected node: its kind, value and gradient so far, formula, note.

    The note is the one for the pass shown at position ``k`` (its backward note
    once its backward step is shown), with its numbers; ``note=False`` hides
    it (a quiz question is waiting).
    """
    out = lesson.scenario.output
    node = lesson.graph.node(key)
    kind = node.kind if node.kind != "op" else ("group" if lesson.view in (GROUPS, NEURONS) else op_title(node.op))
    line: Line = [("Selected ", "title"), (lesson.title_of(key), "name"), (f" ({kind})", "dim")]
    if key in frame.values:
        line += [("  value ", ""), (fmt(frame.values[key]), "value")]
    else:
        line += [("  value not computed yet", "dim")]
    if key in frame.grads:
        line += [("  ", ""), (f"∂{out}/∂{key}", "grad"), (" = ", ""), (fmt(frame.grads[key]), "grad")]
        if key not in frame.finished and node.kind == "op" and key != out:
            line += [(" so far", "dim")]
    lines = [line]
    if key in lesson.scenario.nodes:
        lines.append([("  ", ""), (key, "name"), (": ", ""), (lesson.scenario.nodes[key], "formula")])
    if node.kind in ("input", "param"):
        lines.append([("  press e to change its value", "dim")])
    if k is None:  # no position given: the frame tells which pass it shows
        k = lesson.last if frame.grads else (lesson.forward_end if len(frame.computed) > len(lesson.scenario.leaves) else 0)
    text = lesson.selected_note(key, k) if note else ""
    if text and (not frame.current or frame.current != key):
        lines.append([("  ✎ ", "note"), (text, "note")])
    return lines


def edit_lines(old: Lesson, new: Lesson, name: str) -> list[Line]:
    """An input changed from ``old`` to ``new``: what the old gradient predicted, and what happened."""
    out = old.scenario.output
    before = old.trace.value(name)
    value = new.trace.value(name)
    delta = value - before
    grad = old.trace.grad(name)
    predicted = grad * delta
    actual = new.trace.output_value - old.trace.output_value
    lines: list[Line] = [
        [("Edited ", "title"), (name, "name"), (": ", ""), (fmt(before), "value"), (" → ", ""),
         (fmt(value), "value"), (f" (change {'+' if delta >= 0 else ''}{fmt(delta)})", "dim")],
        [("  The gradient predicted ", ""), (f"∂{out}/∂{name}", "grad"), (" × change = ", ""),
         (operand(grad), "grad"), (" × ", ""), (operand(delta), "value"), (" = ", ""), (fmt(predicted), "grad")],
        [("  Actually ", ""), (out, "name"), (" went ", ""), (fmt(old.trace.output_value), "value"),
         (" → ", ""), (fmt(new.trace.output_value), "value"), (", a change of ", ""),
         (("+" if actual >= 0 else "") + fmt(actual), "value")],
    ]
    trouble = edit_trouble(old.trace.output_value, new.trace.output_value, predicted, out)
    if trouble:  # inf or nan: a warning instead of arithmetic such as "inf → 880 = -inf"
        lines[1:] = [[("  " + trouble, "warn")]]
    elif math.isfinite(predicted) and math.isfinite(actual):
        close = math.isclose(predicted, actual, rel_tol=1e-9, abs_tol=1e-12)
        words = (
            "Exact: the output is linear in this input." if close else
            "Not exact: the gradient is the slope at the old point, a linear prediction."
        )
        lines.append([("  " + words, "note")])
    return lines
