"""Stepping node by node: what the expanded and the groups views say, forward and backward.

Forward, each step is one box computing its value. Backward, each step is one
box sending its upstream gradient to every input: the local derivative (as a
formula, with its numbers, and as a number), the product sent, and how the
input's gradient accumulates, with the sum when it fans out. In a net, a
weighted sum's step names the neuron's delta. Every number is read from the
lesson's step records and trace; nothing is recomputed.

``ExpandedNarration`` and ``GroupNarration`` say it this way; they differ in
what a box is (``group_of``) and in what a group's step adds (``inside_lines``
and ``agreement_lines``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from tutor.engine import analysis
from tutor.engine.numbers import fmt, operand, signed_sum
from tutor.engine.ops import OPS, local_numbers
from tutor.engine.ops import title as op_title
from tutor.engine.network import SOFTMAX
from tutor.i18n import _, listing, ngettext
from tutor.teach import engine_words
from tutor.teach.lesson import compact, places, softmax_words, step_questions
from tutor.teach.lesson.narration import Narration
from tutor.teach.lesson.network import delta_name, weight_symbol
from tutor.teach.lesson.frame import Position
from tutor.teach.lesson.notes import note_line, shown_pieces, step_places
from tutor.teach.lesson.phrase import phrase

if TYPE_CHECKING:
    from tutor.engine.network import Neuron
    from tutor.engine.trace import BackwardStep, Edge, ForwardStep
    from tutor.teach.lesson.frame import Frame
    from tutor.teach.lesson.lesson import Lesson
    from tutor.teach.lesson.notes import Places
    from tutor.teach.questions import Question
    from tutor.teach.text import Line


class StepNarration(Narration):
    """The learner walks the boxes' own steps: a position is one box's forward or backward step.

    Positions here count the boxes' steps (``Lesson.boxes_forward`` and ``boxes_backward``): the walk of
    the expanded and groups views, and what the neuron view shows between its neurons.
    """

    grouped = False
    """True when a step is a named node (its group), False when it is a primitive."""

    def __init__(self, lesson: Lesson) -> None:
        super().__init__(lesson)
        self.forward = lesson.boxes_forward
        self.backward = lesson.boxes_backward

    @property
    def last(self) -> int:
        return len(self.forward) + len(self.backward)

    def position(self, k: int) -> Position:
        if k <= 0:
            return Position("start", -1)
        if k <= len(self.forward):
            return Position("forward", k - 1)
        return Position("backward", k - 1 - len(self.forward))

    def step(self, k: int) -> ForwardStep | BackwardStep | None:
        pos = self.position(k)
        if pos.phase == "forward":
            return self.forward[pos.index]
        if pos.phase == "backward":
            return self.backward[pos.index]
        return None

    @cached_property
    def places(self) -> Places:
        """Where the scenario's notes show among the boxes' steps."""
        return step_places(self.lesson, self.group_of)

    def note_lines(self, k: int) -> list[Line]:
        frame = self.lesson.boxes_frame(k)
        backward = self.position(k).phase == "backward"
        return [note_line(note) for note in shown_pieces(self.lesson, self.places.get(k, []), frame, backward)]

    # -- what differs between the expanded and the groups view -----------------------

    def group_of(self, node: str) -> str:
        """The named node a step's node belongs to."""
        raise NotImplementedError

    def inside_lines(self, step: BackwardStep, edge: Edge) -> list[Line]:
        """Under an edge of a group's backward step: what the group multiplies inside (none by default)."""
        return []

    def agreement_lines(self, step: BackwardStep, edge: Edge) -> list[Line]:
        """The compact form's version of ``inside_lines`` (none by default)."""
        return []

    # -- the walk --------------------------------------------------------------------

    def walk(self) -> tuple[Sequence, Sequence]:
        return self.forward, self.backward

    def frame(self, k: int) -> Frame:
        return self.lesson.boxes_frame(k)

    def index_of(self, phase: str, node: str) -> int | None:
        steps = self.forward if phase == "forward" else self.backward
        for i, step in enumerate(steps):
            if step.node == node:
                return 1 + i + (len(self.forward) if phase == "backward" else 0)
        return None

    def map_position(self, k: int, other: Lesson) -> int:
        return places.map_position(self.lesson, k, other)

    def note_places(self) -> Places:
        return self.places

    def questions(self, k: int) -> list[Question]:
        return step_questions.questions_at(self, k)

    def explain_compact(self, k: int) -> list[Line]:
        return compact.explain_compact(self, k)

    # -- words ---------------------------------------------------------------------------

    def explain(self, k: int) -> list[Line]:
        pos = self.position(k)
        if pos.phase == "start":
            return self.start_lines()
        if pos.phase == "forward":
            return self.forward_lines(self.forward[pos.index], k)
        return self.backward_lines(self.backward[pos.index], k)

    def forward_expression(self, step: ForwardStep) -> tuple[str, str]:
        """(names form, numbers form) of the node's computation."""
        lesson = self.lesson
        graph = lesson.graph
        if step.op == "group" or self.grouped:
            values = lesson.trace.values
            return step.expression, analysis.group_expression(graph, graph.groups[step.node], lambda i: operand(values[i]))
        numbers = tuple(operand(v) for v in step.input_values)
        return step.expression, OPS[step.op].expression(numbers, graph.node(step.node).param)

    def op_words(self, step: ForwardStep | BackwardStep) -> str:
        """What kind of box the step is about: ``multiply node``, ``group of 4 primitive nodes``."""
        if step.op == "group":
            count = len(self.lesson.graph.groups[step.node])
            return ngettext("group of {count} primitive node", "group of {count} primitive nodes", count).format(
                count=count)
        return _("{op} node").format(op=_(op_title(step.op)))

    def forward_lines(self, step: ForwardStep, k: int) -> list[Line]:
        names, numbers = self.forward_expression(step)
        lines: list[Line] = [
            [(_("Forward "), "title"), (_("{k} of {n}").format(k=k, n=len(self.forward)), "dim"), ("  ", ""),
             (self.op_words(step), "dim")],
            [(step.node, "name"), (" = ", ""), (names, "formula"), (" = ", ""), (numbers, "value"), (" = ", ""),
             (fmt(step.value), "value")],
        ]
        if step.warning:
            lines.append([("⚠ ", "warn"), (engine_words.shown(step.warning), "warn")])
        lines.extend(self.note_lines(k))
        return lines

    def edge_numbers(self, step: BackwardStep, edge: Edge) -> str:
        """The local derivative with its numbers put in, for primitive (and one-op group) steps."""
        if step.op == "group":
            return ""
        lesson = self.lesson
        graph = lesson.graph
        node = graph.node(step.node)
        index = graph.index.get(edge.input)
        if node.op != step.op or index not in node.inputs:
            return ""
        values = tuple(lesson.trace.values[i] for i in node.inputs)
        return local_numbers(node.op, values, lesson.trace.values[node.index], node.param, node.inputs.index(index))

    def backward_lines(self, step: BackwardStep, k: int) -> list[Line]:
        lesson = self.lesson
        out = lesson.scenario.output
        j = k - len(self.forward)
        lines: list[Line] = [
            [(_("Backward "), "title"), (_("{k} of {n}").format(k=j, n=len(self.backward)), "dim"), ("  ", ""),
             (self.op_words(step), "dim")]
        ]
        neuron = lesson.neurons.get(step.node)
        if step.node == out:
            lines.append([(_("Start at the output: "), ""), (f"∂{out}/∂{out} = 1", "grad")])
        else:
            lines.append(
                [(_("upstream "), ""), (f"∂{out}/∂{step.node}", "grad"), (" = ", ""), (fmt(step.upstream), "grad"),
                 *phrase(_("  (complete: every node that uses {node} has sent its share)"), "dim",
                         node=(step.node, "name"))]
            )
        if neuron is not None:
            lines.extend(self.delta_lines(neuron, step))
        activated = lesson.neuron_of_activation.get(step.node)
        for edge in step.edges:
            if lesson.graph.is_constant(edge.input):
                continue
            local_name = f"∂{step.node}/∂{edge.input}"
            shown = fmt(edge.local)
            formula = edge.local_formula if edge.local_formula != shown else ""
            line: Line = [("→ ", "dim"), (edge.input, "name"), (_(": local "), ""), (local_name, "formula"), (" = ", "")]
            if formula:
                line += [(formula, "formula"), (" = ", "")]
                numbers = self.edge_numbers(step, edge)
                if numbers and numbers != shown:
                    line += [(numbers, "value"), (" = ", "")]
            line += [
                (shown, "value"), (";  ", ""), (operand(step.upstream), "grad"), (" × ", ""),
                (operand(edge.local), "value"), (" = ", ""), (fmt(edge.contribution), "grad"),
            ]
            lines.append(line)
            lines.extend(self.inside_lines(step, edge))
            if activated is not None and edge.input == activated.z:
                lines.append(
                    [("   ", ""), (delta_name(activated), "grad"), (" = ", ""), (f"∂{out}/∂{edge.input}", "grad"),
                     (_(" = error arriving × activation′ = "), ""), (operand(step.upstream), "grad"), (" × ", ""),
                     (operand(edge.local), "value"), (" = ", ""), (fmt(edge.contribution), "grad"),
                     (_("   the delta of neuron {neuron}").format(neuron=activated.name), "note")]
                )
            lines.append(self.total_line(k, edge))
        if step.warning:
            lines.append([("⚠ ", "warn"), (engine_words.shown(step.warning), "warn")])
        lines.extend(self.note_lines(k))
        if k == self.last:
            lines.extend(self.done_lines())
        return lines

    def delta_lines(self, neuron: Neuron, step: BackwardStep) -> list[Line]:
        """At a neuron's weighted sum: its delta, and how every weight, bias and input uses it."""
        lesson = self.lesson
        delta = step.upstream
        out = lesson.scenario.output
        value = lesson.trace.value
        if neuron.activation == SOFTMAX:
            lines = [softmax_words.delta_line(lesson, neuron) + [(_("  shared by everything below:"), "dim")],
                     softmax_words.why_line(lesson, neuron)]
        else:
            words = (
                _("error arriving × activation′") if neuron.activation != "identity"
                else _("the error arriving; identity activation, activation′ = 1")
            )
            lines = [
                [(delta_name(neuron), "grad"), (" = ", ""), (f"∂{out}/∂{neuron.z}", "grad"), (" = ", ""),
                 (fmt(delta), "grad"), (_("  ({words}); shared by everything below:").format(words=words), "dim")]
            ]
        parts: Line = [("   ", "")]
        for weight, source in zip(neuron.weights, neuron.inputs):
            parts += [(f"∂{out}/∂{weight}", "grad"), (" = δ·", ""), (source, "name"), (" = ", ""),
                      (f"{operand(delta)} × {operand(value(source))}", "value"), (" = ", ""),
                      (fmt(delta * value(source)), "grad"), (";  ", "")]
        for bias in neuron.biases:
            parts += [(f"∂{out}/∂{bias}", "grad"), (" = δ = ", ""), (fmt(delta), "grad"), (";  ", "")]
        lines.append(parts[:-1] if len(parts) > 1 else parts)
        sent: Line = [(_("   each input receives δ·w: "), "dim")]
        for weight, source in zip(neuron.weights, neuron.inputs):
            sent += [(source, "name"), (_(" gets "), ""), (f"{operand(delta)} × {operand(value(weight))}", "value"),
                     (" = ", ""), (fmt(delta * value(weight)), "grad"), (";  ", "")]
        lines.append(sent[:-1])
        return lines

    def total_line(self, k: int, edge: Edge) -> Line:
        """The input's accumulated gradient after this edge: a running sum when it fans out."""
        lesson = self.lesson
        out = lesson.scenario.output
        sources = lesson.contributions(k, edge.input)
        total: Line = [("   ", ""), (f"∂{out}/∂{edge.input}", "grad"), (": ", "")]
        if len(sources) <= 1:
            return total + [(fmt(edge.grad_before), "grad"), (" → ", ""), (fmt(edge.grad_after), "grad")]
        deltas = self.fan_out_deltas(edge.input, sources)
        if deltas is not None:
            names = " + ".join(f"{delta_name(n)}·{w}" for n, w, _delta in deltas)
            numbers = " + ".join(f"{operand(d)}×{operand(lesson.trace.value(w))}" for _neuron, w, d in deltas)
            total += [(f"Σⱼ δⱼ·{weight_symbol(edge.input)} = ", ""), (names, "formula"), (" = ", ""),
                      (numbers, "value"), (" = ", ""), (fmt(edge.grad_after), "grad")]
            total += [(_("   fan-out: {input} feeds {count} neurons; what each sends adds up").format(
                input=edge.input, count=len(sources)), "note")]
            return total
        total += [(signed_sum([amount for _node, amount in sources]), "grad"), (" = ", "")]
        total += [(fmt(edge.grad_after), "grad")]
        via = listing(_("via {node}").format(node=node) for node, _amount in sources)
        total += [(_("   fan-out: {input} feeds {count} nodes ({via}); the contributions add").format(
            input=edge.input, count=len(sources), via=via), "note")]
        return total

    def fan_out_deltas(self, name: str, sources: list[tuple[str, float]]) -> list[tuple[Neuron, str, float]] | None:
        """(neuron, weight, delta) for each contribution when every one comes from a neuron's weighted sum,
        in the neurons' order."""
        lesson = self.lesson
        found: list[tuple[Neuron, str, float]] = []
        for node, _amount in sources:
            neuron = lesson.neurons.get(self.group_of(node))
            weight = neuron.weight_for(name) if neuron else None
            if neuron is None or weight is None:
                return None
            found.append((neuron, weight, lesson.trace.grad(neuron.z)))
        order = list(lesson.neurons)
        return sorted(found, key=lambda item: order.index(item[0].z))
