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
from tutor.engine.network import SOFTMAX
from tutor.i18n import _, listing
from tutor.teach.lesson import softmax_words, step_questions
from tutor.teach.lesson.network import weight_symbol
from tutor.teach.questions import Question

if TYPE_CHECKING:
    from tutor.engine.network import Neuron
    from tutor.teach.lesson.neuron_narration import NeuronNarration


def _known(pairs: list[tuple[str, float]]) -> str:
    return listing(f"{name} = {fmt(value)}" for name, value in pairs)


def questions_at(narration: NeuronNarration, k: int) -> list[Question]:
    """The questions before step k of the neuron view."""
    lesson = narration.lesson
    step = lesson.step(k)
    if step is None:
        return []
    if step.op == "softmax":
        return _softmax_questions(narration, step, k)
    if step.neuron is None:
        return [replace(q, k=k) for q in step_questions.questions_at(narration.between, step.groups_k)]
    neuron = narration.network.neuron(step.neuron)
    values, grads, index = lesson.trace.values, lesson.trace.grads, lesson.graph.index
    value = lambda name: values[index[name]]  # noqa: E731
    out = lesson.scenario.output
    if step.phase == "forward" and neuron.activation == SOFTMAX:
        terms = [(s.weight, value(s.weight)) for s in neuron.synapses] + [(s.source, value(s.source)) for s in neuron.synapses]
        if neuron.bias:
            terms.append((neuron.bias, value(neuron.bias)))
        z = value(neuron.z)
        return [Question(k, "forward", "value", neuron.z, None,
                         _("What is the score {formula}?").format(formula=f"{neuron.z} = Σ w·x + b"), z,
                         f"{neuron.z} = {fmt(z)}", _("Each weight × its input, added up, plus the bias."),
                         _known(terms), label=_("score {name}").format(name=neuron.z))]
    if step.phase == "forward":
        a = value(neuron.name)
        terms = [(s.weight, value(s.weight)) for s in neuron.synapses] + [(s.source, value(s.source)) for s in neuron.synapses]
        if neuron.bias:
            terms.append((neuron.bias, value(neuron.bias)))
        return [Question(k, "forward", "value", neuron.name, None,
                         _("What is the output of neuron {formula}?").format(
                             formula=f"{neuron.name} = {neuron.activation}(Σ w·x + b)"),
                         a, f"{neuron.name} = {fmt(a)}",
                         _("Weighted sum first (each weight × its input, plus the bias), then the activation."),
                         _known(terms), label=_("output of {name}").format(name=neuron.name))]
    error = grads[index[neuron.name]]
    if step.stage == 1:
        # With one reader, the error arriving is the one product the step before sent back
        # (δ × w from the next neuron, or the loss's own gradient): already on screen, so not asked.
        readers = {consumer for consumer, _position in lesson.graph.consumers()[index[neuron.name]]}
        if len(readers) < 2:
            return []
        senders = narration.senders(neuron.name)
        given = "; ".join(_("from {node}: {amount}").format(node=name, amount=fmt(amount))
                          for name, _weight, amount in senders)
        return [Question(k, "backward", "grad", neuron.name, None,
                         _("Error arriving at {name}: {gradient}?").format(
                             name=neuron.name, gradient=f"∂{out}/∂{neuron.name}"), error,
                         f"∂{out}/∂{neuron.name} = {fmt(error)}",
                         _("Add up δ × weight from every neuron of the next layer (at the output: y − t)."), given,
                         label=_("error at {name}").format(name=neuron.name))]
    derivative = narration.activation_derivative(neuron)
    if step.stage == 2:
        if neuron.activation == "identity":  # activation′ = 1: nothing to work out, and the rule says it
            return []
        rule = OPS[neuron.activation].activation.rule
        return [Question(k, "backward", "local", neuron.name, None,
                         _("The activation's derivative at {name} ({activation})?").format(
                             name=neuron.name, activation=neuron.activation), derivative,
                         f"{rule.format(a=neuron.name)} = {fmt(derivative)}",
                         _("For {activation}: {rule}, a = the neuron's output.").format(
                             activation=neuron.activation, rule=rule.format(a="a")),
                         _known([(neuron.name, value(neuron.name)), (neuron.z, value(neuron.z))]),
                         label=_("activation′ at {name}").format(name=neuron.name))]
    if step.stage != 4:
        return []
    delta = grads[index[neuron.z]]
    questions: list[Question] = []
    if neuron.activation not in ("identity", SOFTMAX):  # an identity neuron's δ is the error arriving, on screen
        # since stage 1; a softmax neuron's δ was asked at its layer's step
        questions.append(Question(k, "backward", "grad", neuron.z, None, _("δ of {name}?").format(name=neuron.name),
                                  delta, _("δ = error × activation′ = {delta}").format(delta=fmt(delta)),
                                  _("Multiply the error by the activation′."),
                                  _known([(_("error"), error), (_("activation′"), derivative)]),
                                  label=_("δ of {name}").format(name=neuron.name)))
    for synapse, grad_w, _sent in narration.synapse_edges(neuron):
        questions.append(Question(k, "backward", "grad", neuron.z, synapse.weight,
                                  _("{gradient} ({product})?").format(gradient=f"∂{synapse.weight}",
                                                                      product=f"δ × {synapse.source}"), grad_w,
                                  f"∂{synapse.weight} = δ × {synapse.source} = {fmt(grad_w)}",
                                  _("Multiply δ by the input {input} this weight multiplies.").format(
                                      input=synapse.source),
                                  _known([("δ", delta), (synapse.source, value(synapse.source))]),
                                  label=f"∂{synapse.weight}"))
    questions += _fan_out_totals(narration, neuron, k, delta)
    return questions


def _softmax_questions(narration: NeuronNarration, step, k: int) -> list[Question]:  # noqa: ANN001 - a NeuronStep
    """A softmax layer's step: forward, the probability of one class; backward, one neuron's δ (p − t under the
    cross-entropy: the arithmetic ``0.245192 - 1`` is an answer)."""
    lesson = narration.lesson
    layer = narration.network.layers[step.layer - 1]
    value, grad = lesson.trace.value, lesson.trace.grad
    named = softmax_words.targets(lesson, list(layer))
    # The class the target picks, when there is one: its p and its δ say the most.
    chosen = next((n for n in layer if named and value(named[n.name]) == 1.0), layer[-1])
    parts = chosen.softmax
    if step.phase == "forward":
        p = value(chosen.name)
        known = _known([(n.z, value(n.z)) for n in layer])
        return [Question(k, "forward", "value", chosen.name, None,
                         _("What is {formula}, the softmax of {score}?").format(
                             formula=f"{chosen.name} = exp({chosen.z} − {parts.largest}) / {parts.total}",
                             score=chosen.z), p,
                         f"{chosen.name} = {fmt(value(parts.exp))} / {fmt(value(parts.total))} = {fmt(p)}",
                         _("{largest} is the largest score; {total} adds {exp} over every score.").format(
                             largest=parts.largest, total=parts.total, exp=f"exp(z − {parts.largest})"),
                         known, label=_("p of {name}").format(name=chosen.name))]
    delta = grad(chosen.z)
    out = lesson.scenario.output
    if named is not None:
        target = named[chosen.name]
        known = _known([(chosen.name, value(chosen.name)), (target, value(target))])
        hint = _("Under the cross-entropy the softmax's δ is p − t: the output minus its target.")
    else:
        known = _known([(chosen.name, value(chosen.name)), (f"∂{out}/∂{chosen.name}", grad(chosen.name))]
                       + [(f"Σⱼ pⱼ·∂{out}/∂pⱼ", sum(value(n.name) * grad(n.name) for n in layer))])
        hint = _("{formula}: each p depends on every score.").format(formula="δ = p × (∂loss/∂p − Σⱼ pⱼ·∂loss/∂pⱼ)")
    return [Question(k, "backward", "grad", chosen.z, None,
                     _("δ of {name}, {gradient}?").format(name=chosen.name, gradient=f"∂{out}/∂{chosen.z}"), delta,
                     f"δ = {fmt(delta)}", hint, known, label=_("δ of {name}").format(name=chosen.name))]


def _fan_out_totals(narration: NeuronNarration, neuron: Neuron, k: int, delta: float) -> list[Question]:
    """An input fed to several neurons, at the step that sends its last share: its whole gradient."""
    lesson = narration.lesson
    out = lesson.scenario.output
    questions = []
    for synapse, _grad_w, _sent in narration.synapse_edges(neuron):
        source = synapse.source
        if narration.network.neuron(source) is not None:
            continue  # a neuron's error is asked at its own first stage
        feeds, earlier = narration.shares(source, lesson.position(k).index)
        if feeds < 2 or len(earlier) != feeds - 1:
            continue
        total = lesson.trace.grads[lesson.graph.index[source]]
        given = _("sent earlier: {amounts}; {known}").format(
            amounts=listing(fmt(a) for a in earlier),
            known=listing([f"δ = {fmt(delta)}", f"{synapse.weight} = {fmt(lesson.trace.values[lesson.graph.index[synapse.weight]])}"]))
        questions.append(Question(k, "backward", "grad", neuron.z, source,
                                  _("{gradient} in all, {sum} over the {count} neurons?").format(
                                      gradient=f"∂{out}/∂{source}", sum=f"Σⱼ δⱼ·{weight_symbol(source)}", count=feeds),
                                  total, f"∂{out}/∂{source} = {fmt(total)}",
                                  _("Add what this neuron sends (δ × its weight) to what the others sent earlier."),
                                  given, label=_("{gradient} in all").format(gradient=f"∂{out}/∂{source}")))
    return questions
