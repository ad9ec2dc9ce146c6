"""The quiz in the neuron view: one neuron's value forward, and its four stages backward.

Each question carries ``given``, the numbers it needs (the quiz shows them as
its ``known:`` line), and nothing asked is already on screen: the error
arriving through one reader was the previous step's last number, and an
identity neuron's δ is that error, so neither is asked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt
from tutor.engine.ops import OPS
from tutor.teach.lesson import step_questions
from tutor.teach.lesson.network import weight_symbol
from tutor.teach.questions import Question

if TYPE_CHECKING:
    from tutor.engine.neurons import Neuron
    from tutor.teach.lesson.neuron_narration import NeuronNarration


def _known(pairs: list[tuple[str, float]]) -> str:
    return ", ".join(f"{name} = {fmt(value)}" for name, value in pairs)


def questions_at(narration: NeuronNarration, k: int) -> list[Question]:
    """The questions before step k of the neuron view."""
    lesson = narration.lesson
    step = lesson.step(k)
    if step is None:
        return []
    if step.neuron is None:
        return [replace(q, k=k) for q in step_questions.questions_at(narration.between, step.groups_k)]
    neuron = narration.network.neuron(step.neuron)
    values, grads, index = lesson.trace.values, lesson.trace.grads, lesson.graph.index
    value = lambda name: values[index[name]]  # noqa: E731
    out = lesson.scenario.output
    if step.phase == "forward":
        a = value(neuron.name)
        terms = [(s.weight, value(s.weight)) for s in neuron.synapses] + [(s.source, value(s.source)) for s in neuron.synapses]
        if neuron.bias:
            terms.append((neuron.bias, value(neuron.bias)))
        return [Question(k, "forward", "value", neuron.name, None,
                         f"What is the output of neuron {neuron.name} = {neuron.activation}(Σ w·x + b)?",
                         a, f"{neuron.name} = {fmt(a)}",
                         "Weighted sum first (each weight × its input, plus the bias), then the activation.",
                         _known(terms), label=f"output of {neuron.name}")]
    error = grads[index[neuron.name]]
    if step.stage == 1:
        # With one reader, the error arriving is the one product the step before sent back
        # (δ × w from the next neuron, or the loss's own gradient): already on screen, so not asked.
        readers = {consumer for consumer, _ in lesson.graph.consumers()[index[neuron.name]]}
        if len(readers) < 2:
            return []
        senders = narration.senders(neuron.name)
        given = "; ".join(f"from {name}: {fmt(amount)}" for name, _, amount in senders)
        return [Question(k, "backward", "grad", neuron.name, None,
                         f"Error arriving at {neuron.name}: ∂{out}/∂{neuron.name}?", error,
                         f"∂{out}/∂{neuron.name} = {fmt(error)}",
                         "Add up δ × weight from every neuron of the next layer (at the output: y − t).", given,
                         label=f"error at {neuron.name}")]
    derivative = narration.activation_derivative(neuron)
    if step.stage == 2:
        if neuron.activation == "identity":  # activation′ = 1: nothing to work out, and the rule says it
            return []
        rule = OPS[neuron.activation].activation.rule
        return [Question(k, "backward", "local", neuron.name, None,
                         f"The activation's derivative at {neuron.name} ({neuron.activation})?", derivative,
                         f"{rule.format(a=neuron.name)} = {fmt(derivative)}",
                         f"For {neuron.activation}: {rule.format(a='a')}, a = the neuron's output.",
                         _known([(neuron.name, value(neuron.name)), (neuron.z, value(neuron.z))]),
                         label=f"activation′ at {neuron.name}")]
    if step.stage != 4:
        return []
    delta = grads[index[neuron.z]]
    questions: list[Question] = []
    if neuron.activation != "identity":  # an identity neuron's δ is the error arriving, on screen since stage 1
        questions.append(Question(k, "backward", "grad", neuron.z, None, f"δ of {neuron.name}?", delta,
                                  f"δ = error × activation′ = {fmt(delta)}", "Multiply the error by the activation′.",
                                  _known([("error", error), ("activation′", derivative)]), label=f"δ of {neuron.name}"))
    for synapse, grad_w, _ in narration.synapse_edges(neuron):
        questions.append(Question(k, "backward", "grad", neuron.z, synapse.weight,
                                  f"grad {synapse.weight} (δ × {synapse.source})?", grad_w,
                                  f"grad {synapse.weight} = δ × {synapse.source} = {fmt(grad_w)}",
                                  f"Multiply δ by the input {synapse.source} this weight multiplies.",
                                  _known([("δ", delta), (synapse.source, value(synapse.source))]),
                                  label=f"grad {synapse.weight}"))
    questions += _fan_out_totals(narration, neuron, k, delta)
    return questions


def _fan_out_totals(narration: NeuronNarration, neuron: Neuron, k: int, delta: float) -> list[Question]:
    """An input fed to several neurons, at the step that sends its last share: its whole gradient."""
    lesson = narration.lesson
    out = lesson.scenario.output
    questions = []
    for synapse, _, _ in narration.synapse_edges(neuron):
        source = synapse.source
        if narration.network.neuron(source) is not None:
            continue  # a neuron's error is asked at its own first stage
        feeds, earlier = narration.shares(source, lesson.position(k).index)
        if feeds < 2 or len(earlier) != feeds - 1:
            continue
        total = lesson.trace.grads[lesson.graph.index[source]]
        given = f"sent earlier: {', '.join(fmt(a) for a in earlier)}; δ = {fmt(delta)}, {synapse.weight} = " \
                f"{fmt(lesson.trace.values[lesson.graph.index[synapse.weight]])}"
        questions.append(Question(k, "backward", "grad", neuron.z, source,
                                  f"∂{out}/∂{source} in all, Σⱼ δⱼ·{weight_symbol(source)} over the {feeds} neurons?",
                                  total, f"∂{out}/∂{source} = {fmt(total)}",
                                  "Add what this neuron sends (δ × its weight) to what the others sent earlier.",
                                  given, label=f"∂{out}/∂{source} in all"))
    return questions
