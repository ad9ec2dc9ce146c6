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
from tutor.teach.lesson_words import weight_symbol
from tutor.teach.questions import Question, questions_at

if TYPE_CHECKING:
    from tutor.teach.neuron_view import NeuronLesson


def _known(pairs: list[tuple[str, float]]) -> str:
    return ", ".join(f"{name} = {fmt(value)}" for name, value in pairs)


def neuron_questions(lesson: NeuronLesson, k: int) -> list[Question]:
    """The questions before step k of ``lesson``."""
    from tutor.teach.neuron_view import ACTIVATION_WORDS

    step = lesson.step(k)
    if step is None:
        return []
    if step.neuron is None:
        return [replace(q, k=k) for q in questions_at(lesson.groups_lesson, step.groups_k)]
    neuron = lesson.network.neuron(step.neuron)
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
        senders = lesson.senders(neuron.name)
        given = "; ".join(f"from {name}: {fmt(amount)}" for name, _, amount in senders)
        return [Question(k, "backward", "grad", neuron.name, None,
                         f"Error arriving at {neuron.name}: ∂{out}/∂{neuron.name}?", error,
                         f"∂{out}/∂{neuron.name} = {fmt(error)}",
                         "Add up δ × weight from every neuron of the next layer (at the output: y − t).", given,
                         label=f"error at {neuron.name}")]
    derivative = lesson.activation_derivative(neuron)
    if step.stage == 2:
        if neuron.activation == "identity":  # activation′ = 1: nothing to work out, and the rule says it
            return []
        rule = ACTIVATION_WORDS[neuron.activation][1].replace("a", neuron.name)
        return [Question(k, "backward", "local", neuron.name, None,
                         f"The activation's derivative at {neuron.name} ({neuron.activation})?", derivative,
                         f"{rule} = {fmt(derivative)}",
                         f"For {neuron.activation}: {ACTIVATION_WORDS[neuron.activation][1]}, a = the neuron's output.",
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
    for synapse, grad_w, _ in lesson.synapse_edges(neuron):
        questions.append(Question(k, "backward", "grad", neuron.z, synapse.weight,
                                  f"grad {synapse.weight} (δ × {synapse.source})?", grad_w,
                                  f"grad {synapse.weight} = δ × {synapse.source} = {fmt(grad_w)}",
                                  f"Multiply δ by the input {synapse.source} this weight multiplies.",
                                  _known([("δ", delta), (synapse.source, value(synapse.source))]),
                                  label=f"grad {synapse.weight}"))
    questions += _fan_out_totals(lesson, neuron, k, delta)
    return questions


def _fan_out_totals(lesson: NeuronLesson, neuron, k: int, delta: float) -> list[Question]:  # noqa: ANN001
    """An input fed to several neurons, at the step that sends its last share: its whole gradient."""
    out = lesson.scenario.output
    questions = []
    for synapse, _, _ in lesson.synapse_edges(neuron):
        source = synapse.source
        if lesson.network.neuron(source) is not None:
            continue  # a neuron's error is asked at its own first stage
        feeds, earlier = lesson.shares(source, lesson.position(k).index)
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
