"""The step explanation in its compact form, for windows where the full one does not fit.

Same numbers as the full form, fewer words: one line for the step (what it
is, and the upstream gradient going backward), then one line per edge: the
input, (its local derivative: formula = number) × the upstream gradient = the
contribution, and the input's gradient before → after::

    → apple: upstream 1.1 × local (apple_count = 2) = 2.2;  ∂price/∂apple 0 → 2.2
    → b: upstream 2 × local 1 = 2;  ∂e/∂b 3 + 2 = 5  (fan-out: b feeds 2 nodes)

The parentheses keep it a true equation: the local derivative is apple_count,
which is 2; it is not apple_count that equals 1.1 × 2. The words "upstream"
and "local" stay, and a fan-out still shows its sum.

Warnings and notes follow, as in the full form, and so does everything a
lesson promises to show: the title and description at the start, each
neuron's δ, the fan-out sum Σⱼ δⱼ·wⱼ, the expanded sigmoid's factors agreeing
with y(1 − y), and the closing list of gradients. Plain data (styled
fragments), no UI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt, operand, signed_sum
from tutor.i18n import N_, _
from tutor.teach import engine_words
from tutor.teach.lesson.narration import train_hint
from tutor.teach.lesson.network import delta_name, weight_symbol
from tutor.teach.lesson.phrase import phrase

if TYPE_CHECKING:
    from tutor.teach.lesson.step_narration import StepNarration
    from tutor.teach.text import Line

DIGITS = 4
"""Significant digits of the compact form's gradients (the full form shows 6), as on the graph."""
NOTATION = N_("Each → line: what the input gets (upstream × local derivative), then its gradient so far "
              "(before → after).")
"""The compact form's notation, said once, at the first backward step (and on the help screen); translated
where it is shown."""


def explain_compact(narration: StepNarration, k: int) -> list[Line]:
    """Position k of the narration's lesson in the compact form."""
    pos = narration.position(k)
    if pos.phase == "start":
        return _start(narration)
    if pos.phase == "forward":
        return _forward(narration, k)
    return _backward(narration, k)


def _start(narration: StepNarration) -> list[Line]:
    lesson = narration.lesson
    s = lesson.scenario
    lines: list[Line] = [[(s.title, "title")]]
    if s.description:
        lines.append([(s.description, "dim")])
    line: Line = [(_("Start: "), "title")]
    for i, name in enumerate(s.leaves):
        if i:
            line.append((", ", ""))
        line += [(name, "name"), ("=", ""), (fmt(lesson.trace.value(name)), "value")]
    lines += [
        line,
        phrase(_("→ computes left to right, then back from {output} to every {leaves}."), "dim",
               output=(s.output, "name"), leaves=narration.leaf_words()),
    ]
    if s.params:
        lines.append([(train_hint(s), "dim")])
    return lines + narration.note_lines(0)


def _tail(narration: StepNarration, k: int, warning: str | None) -> list[Line]:
    lines: list[Line] = []
    if warning:
        lines.append([("⚠ ", "warn"), (engine_words.shown(warning), "warn")])
    return lines + narration.note_lines(k)  # the notes due at k, their numbers filled in


def _forward(narration: StepNarration, k: int) -> list[Line]:
    step = narration.step(k)
    names, numbers = narration.forward_expression(step)
    line: Line = [
        (_("Forward "), "title"), (_("{k} of {n}").format(k=k, n=len(narration.forward)) + " ", "dim"),
        (step.node, "name"), (" = ", ""), (names, "formula"), (" = ", ""), (numbers, "value"),
        (" = ", ""), (fmt(step.value), "value"),
    ]
    return [line] + _tail(narration, k, step.warning)


def _backward(narration: StepNarration, k: int) -> list[Line]:
    lesson = narration.lesson
    step = narration.step(k)
    out = lesson.scenario.output
    j = k - len(narration.forward)
    head: Line = [(_("Backward "), "title"), (_("{k} of {n}").format(k=j, n=len(narration.backward)) + " ", "dim"),
                  (step.node, "name")]
    if step.node == out:
        head += [(_("  start at the output: "), ""), (f"∂{out}/∂{out} = 1", "grad")]
    else:
        head += [(_("  upstream "), ""), (f"∂{out}/∂{step.node}", "grad"), (" = ", "")]
        neuron = lesson.neurons.get(step.node)
        if neuron is not None:  # a weighted sum: its gradient is the neuron's delta
            head += [(delta_name(neuron), "grad"), (" = ", "")]
        head.append((fmt(step.upstream), "grad"))
    lines = [head]
    if k == len(narration.forward) + 1:  # the first backward step: the notation of the lines below, once
        lines.append([(_(NOTATION), "dim")])
    activated = lesson.neuron_of_activation.get(step.node)
    for edge in step.edges:
        if lesson.graph.is_constant(edge.input):
            continue
        shown = fmt(edge.local, DIGITS)
        line: Line = [("→ ", "dim"), (edge.input, "name"), (_(": upstream "), ""),
                      (operand(step.upstream, DIGITS), "grad"), (_(" × local "), "")]
        if edge.local_formula != fmt(edge.local):
            line += [("(", ""), (edge.local_formula, "formula"), (" = ", ""), (shown, "value"), (")", "")]
        else:
            line.append((operand(edge.local, DIGITS), "value"))
        line += [(" = ", ""), (fmt(edge.contribution, DIGITS), "grad")]
        if activated is not None and edge.input == activated.z:
            line += [(" = ", ""), (delta_name(activated), "grad")]
        line += [(";  ", ""), (f"∂{out}/∂{edge.input} ", "grad")]
        sources = lesson.contributions(k, edge.input)
        deltas = narration.fan_out_deltas(edge.input, sources) if len(sources) > 1 else None
        if len(sources) > 1 and deltas is None:
            # A fan-out: the input's gradient is the sum of what every node that uses it sent.
            line += [(signed_sum([amount for _node, amount in sources], DIGITS), "grad"), (" = ", ""),
                     (fmt(edge.grad_after, DIGITS), "grad"),
                     (_("  (fan-out: {input} feeds {count} nodes)").format(input=edge.input, count=len(sources)), "note")]
        else:
            line += [(fmt(edge.grad_before, DIGITS), "grad"), (" → ", ""), (fmt(edge.grad_after, DIGITS), "grad")]
        lines.append(line)
        lines += narration.agreement_lines(step, edge)
        if deltas:
            numbers = " + ".join(f"{operand(d, DIGITS)}×{operand(lesson.trace.value(w), DIGITS)}"
                                 for _neuron, w, d in deltas)
            lines.append([(f"   Σⱼ δⱼ·{weight_symbol(edge.input)} = ", ""), (numbers, "value"), (" = ", ""),
                          (fmt(edge.grad_after), "grad"),
                          (_("  (fan-out: {count} neurons)").format(count=len(deltas)), "note")])
    lines += _tail(narration, k, step.warning)
    if k == narration.last:
        lines += narration.done_lines(compact=True)
    return lines
