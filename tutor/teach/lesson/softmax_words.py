"""A softmax layer's delta in words: p − t under the cross-entropy, the chain through its Jacobian otherwise.

Each output pₖ = exp(zₖ − m) / Σⱼ exp(zⱼ − m) depends on every score, so
∂pⱼ/∂zₖ = pⱼ(δⱼₖ − pₖ). Under the cross-entropy −Σ tₖ·log pₖ of a one-hot
target the chain through that Jacobian collapses: δₖ = ∂loss/∂zₖ = pₖ − tₖ
(the textbook's SoftmaxWithLoss). Under another loss the lesson shows the
chain itself: δₖ = pₖ·(∂loss/∂pₖ − Σⱼ pⱼ·∂loss/∂pⱼ). Either way the number
said is the trace's own gradient at zₖ, so the views agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine import cross_entropy
from tutor.engine.numbers import fmt, operand
from tutor.i18n import _
from tutor.teach.lesson.network import delta_name

if TYPE_CHECKING:
    from tutor.engine.network import Neuron
    from tutor.teach.lesson.lesson import Lesson
    from tutor.teach.text import Line

JACOBIAN = "∂pⱼ/∂zₖ\u00a0=\u00a0pⱼ(δⱼₖ\u00a0−\u00a0pₖ)"
LOSS = "−Σ\u00a0t·log\u00a0p"
DELTA = "δ\u00a0=\u00a0p\u00a0−\u00a0t"
"""(No-break spaces keep each formula on one row when the line wraps.)"""


def layer_of(lesson: Lesson, neuron: Neuron) -> list[Neuron]:
    """The softmax neurons of ``neuron``'s layer, in the layer's order."""
    scores = neuron.softmax.scores if neuron.softmax is not None else (neuron.z,)
    by_z = {n.z: n for n in lesson.neurons.values()}
    return [by_z[z] for z in scores if z in by_z]


def targets(lesson: Lesson, layer: list[Neuron]) -> dict[str, str] | None:
    """Output name -> its target leaf, when the loss is the cross-entropy −Σ tₖ·log pₖ of a one-hot target
    (every term −1 × a target, the targets adding up to 1); else None."""
    graph, values = lesson.graph, lesson.trace.values
    outputs = [n.name for n in layer]
    found = cross_entropy.find(graph, [graph.index[name] for name in outputs])
    if found is None or len(found.terms) != len(outputs):
        return None
    named: dict[str, str] = {}
    for term in found.terms:
        if term.scale != -1.0 or term.leaf < 0:
            return None
        named[outputs[term.output]] = graph.nodes[term.leaf].name
    if len(named) != len(outputs) or abs(sum(values[graph.index[t]] for t in named.values()) - 1.0) > 1e-12:
        return None
    return named


def delta_line(lesson: Lesson, neuron: Neuron, indent: str = "") -> Line:
    """δ of a softmax neuron with its numbers: ``δ(a1_2) = a1_2 − t2 = 0.245192 − 1 = −0.754808``."""
    layer = layer_of(lesson, neuron)
    value, grad = lesson.trace.value, lesson.trace.grad
    delta = grad(neuron.z)
    head: Line = [(indent, ""), (delta_name(neuron), "grad"), (" = ", "")]
    named = targets(lesson, layer)
    if named is not None:
        target = named[neuron.name]
        return head + [(f"{neuron.name} − {target}", "formula"), (" = ", ""),
                       (f"{operand(value(neuron.name))} − {operand(value(target))}", "value"), (" = ", ""),
                       (fmt(delta), "grad")]
    weighted = sum(value(n.name) * grad(n.name) for n in layer)
    return head + [(f"{neuron.name} × (∂{lesson.scenario.output}/∂{neuron.name} − Σⱼ pⱼ·∂{lesson.scenario.output}/∂pⱼ)",
                    "formula"), (" = ", ""),
                   (f"{operand(value(neuron.name))} × ({operand(grad(neuron.name))} − {operand(weighted)})", "value"),
                   (" = ", ""), (fmt(delta), "grad")]


def why_line(lesson: Lesson, neuron: Neuron, indent: str = "   ") -> Line:
    """Why a softmax neuron's δ reads as it does."""
    collapses = targets(lesson, layer_of(lesson, neuron)) is not None
    words = _("each p depends on all z: {jacobian}").format(jacobian=JACOBIAN)
    if collapses:
        words = _("{sentence}; with {loss}, {delta}").format(sentence=words, loss=LOSS, delta=DELTA)
    return [(indent, ""), (words, "note")]
