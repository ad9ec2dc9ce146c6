"""The quiz's questions in the expanded and groups views: a value forward, local derivatives and
accumulated gradients backward, each with the numbers it needs (its ``known:`` line)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt, operand, signed_sum
from tutor.engine.ops import OPS
from tutor.engine.ops import title as op_title
from tutor.i18n import N_, _, listing
from tutor.teach.questions import Question

if TYPE_CHECKING:
    from tutor.teach.lesson.step_narration import StepNarration

GROUP_RULE = N_("A group's local derivative is the product of the local derivatives along the path inside it.")


def _rule(op: str) -> str:
    return _(GROUP_RULE if op == "group" else OPS[op].rule)


def questions_at(narration: StepNarration, k: int) -> list[Question]:
    """What to ask before revealing step k."""
    lesson = narration.lesson
    pos = narration.position(k)
    out = lesson.scenario.output
    if pos.phase == "forward":
        step = narration.forward[pos.index]
        names, numbers = narration.forward_expression(step)
        known = {name: v for name, v in zip(step.inputs, step.input_values) if not lesson.graph.is_constant(name)}
        given = listing(f"{name} = {fmt(v)}" for name, v in known.items())
        return [
            Question(
                k, "forward", "value", step.node, None,
                _("What is the value of {node}?").format(node=f"{step.node} = {names}"),
                step.value,
                f"{step.node} = {names} = {numbers} = {fmt(step.value)}",
                _("Put the input values into the expression: {numbers}").format(numbers=numbers),
                given,
            )
        ]
    if pos.phase != "backward":
        return []
    step = narration.backward[pos.index]
    values = lesson.trace.value
    inputs = dict.fromkeys(edge.input for edge in step.edges if not lesson.graph.is_constant(edge.input))
    given = listing(f"{name} = {fmt(values(name))}" for name in (*inputs, step.node))
    given += _("; upstream {gradient}").format(gradient=f"∂{out}/∂{step.node} = {fmt(step.upstream)}")
    questions = []
    for edge in step.edges:
        if lesson.graph.is_constant(edge.input):
            continue
        shown = fmt(edge.local)
        working = f"∂{step.node}/∂{edge.input} = "
        if edge.local_formula != shown:
            working += f"{edge.local_formula} = "
            numbers = narration.edge_numbers(step, edge)
            if numbers and numbers != shown:
                working += f"{numbers} = "
        working += shown
        node_words = (_("the box {node} (a whole named node, seen from outside)").format(node=step.node)
                      if step.op == "group" else _("this {op} node alone").format(op=_(op_title(step.op))))
        questions.append(
            Question(
                k, "backward", "local", step.node, edge.input,
                _("Local derivative of {what}: {derivative}?").format(
                    what=node_words, derivative=f"∂{step.node}/∂{edge.input}"),
                edge.local,
                working,
                _rule(step.op),
                given,
            )
        )
        sources = lesson.contributions(k, edge.input)
        if len(sources) > 1:
            sum_text = signed_sum([amount for _node, amount in sources])
            working = _("{gradient} = {before} already + {product} = {sum} = {after}").format(
                gradient=f"∂{out}/∂{edge.input}", before=fmt(edge.grad_before),
                product=f"{operand(step.upstream)} × {operand(edge.local)}", sum=sum_text, after=fmt(edge.grad_after))
            hint = _("{input} already had {before} from another path: fan-out gradients add. Add upstream × local "
                     "to it.").format(input=edge.input, before=fmt(edge.grad_before))
            grad_given = _("{given}; {gradient} so far = {before}").format(
                given=given, gradient=f"∂{out}/∂{edge.input}", before=fmt(edge.grad_before))
        else:
            working = f"∂{out}/∂{edge.input} = {operand(step.upstream)} × {operand(edge.local)} = {fmt(edge.grad_after)}"
            hint = _("Multiply the upstream gradient {upstream} by the local derivative.").format(
                upstream=fmt(step.upstream))
            grad_given = given
        questions.append(
            Question(
                k, "backward", "grad", step.node, edge.input,
                _("Gradient of the output {output} with respect to {input}, after this step: {gradient}?").format(
                    output=out, input=edge.input, gradient=f"∂{out}/∂{edge.input}"),
                edge.grad_after, working, hint, grad_given,
            )
        )
    return questions
