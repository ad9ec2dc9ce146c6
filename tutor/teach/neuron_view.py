"""The neuron view of a lesson: a net stepped one neuron at a time, as plain data.

Forward is one neuron per step: its weighted sum, then its activation. The
backward pass visits each neuron in four stages, as the for-loop tutorials
teach them:

1. the **error arriving** at the neuron (at the output, d loss / d y; in a
   hidden layer, what every neuron of the next layer sent back, summed);
2. the **activation's derivative** at the neuron's weighted sum z;
3. the **weighted sum's partials**: dz/dwᵢ = xᵢ, dz/db = 1, dz/dxᵢ = wᵢ;
4. **delta** δ = error × activation′, then grad_b = δ, grad_wᵢ = δ·xᵢ, and
   δ·wᵢ sent back to each input, with the running sum at an input that
   feeds several neurons.

Nodes that are not neurons (the loss after the net) keep their own steps.
The frames are keyed like the groups view (named nodes and leaves), so every
mode's frames draw in the neuron view too; the numbers come from the
ordinary trace, never recomputed.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

from tutor.engine.neurons import Network, Neuron
from tutor.engine.numbers import fmt, operand, signed_sum
from tutor.engine.trace import BackwardStep
from tutor.records import record
from tutor.teach.lesson import GROUPS, NEURONS, Frame, Lesson, Line, ViewEdge, ViewNode
from tutor.teach.lesson_words import weight_symbol
from tutor.teach.positions import landmark

STAGES = {
    1: "the error arriving",
    2: "the activation's derivative",
    3: "the weighted sum's partials",
    4: "δ and the gradients",
}
ACTIVATION_WORDS = {
    "sigmoid": ("σ(z)(1 − σ(z))", "a(1 − a)"),
    "tanh": ("1 − tanh²(z)", "1 − a²"),
    "relu": ("1 if z > 0 else 0", "1 if z > 0 else 0"),
    "identity": ("1", "1"),
}


def _z_label(neuron: Neuron) -> str:
    """How the words name a neuron's weighted sum: its node, or plain z when the neuron has no activation node."""
    return "z" if neuron.z == neuron.name else neuron.z


@record(slots=True)
class NeuronStep:
    """One step of the neuron view.

    ``node`` is the named node the step is about, so that switching views
    keeps the place: a neuron's forward step and backward stages 1–2 are its
    activation node, stages 3–4 its weighted sum.
    """

    phase: str
    node: str
    op: str
    """``neuron`` for a neuron's step; else the groups view's step kind."""
    neuron: str | None = None
    stage: int = 0
    """Backward stage 1–4 of a neuron; 0 otherwise."""
    groups_k: int = 0
    """The groups view's position showing the same numbers."""


class NeuronLesson(Lesson):
    """A lesson whose steps are neurons; its frames are the groups view's, refocused."""

    network: Network

    def __post_init__(self) -> None:
        from tutor.teach.deltas import network_of

        network = network_of(self.scenario)
        if network is None:
            raise ValueError(f"{self.scenario.name} has no layers of neurons")
        self.network = network
        self.view = NEURONS
        self.groups_lesson = Lesson(self.scenario, dict(self.overrides), GROUPS)
        self.trace = self.groups_lesson.trace
        self.groups = self.groups_lesson.groups
        self._frames = {}
        self.forward, self.backward = self._steps()

    # -- the steps -------------------------------------------------------------

    def _steps(self) -> tuple[tuple[NeuronStep, ...], tuple[NeuronStep, ...]]:
        groups = self.groups_lesson
        by_output = {n.name: n for n in self.network.neurons}
        inner = {n.z: n for n in self.network.neurons if n.z != n.name}
        forward: list[NeuronStep] = []
        for i, step in enumerate(groups.forward):
            k = i + 1
            if step.node in inner:
                continue  # the weighted sum is part of its neuron's step
            neuron = by_output.get(step.node)
            if neuron is not None:
                forward.append(NeuronStep("forward", neuron.name, "neuron", neuron.name, 0, k))
            else:
                forward.append(NeuronStep("forward", step.node, step.op, None, 0, k))
        backward: list[NeuronStep] = []
        base = len(groups.forward)
        for i, step in enumerate(groups.backward):
            k = base + i + 1
            if step.node in inner:
                neuron = inner[step.node]
                backward.append(NeuronStep("backward", neuron.z, "neuron", neuron.name, 4, k))
                continue
            neuron = by_output.get(step.node)
            if neuron is None:
                backward.append(NeuronStep("backward", step.node, step.op, None, 0, k))
                continue
            for stage in (1, 2, 3):
                node = neuron.name if stage < 3 else neuron.z
                backward.append(NeuronStep("backward", node, "neuron", neuron.name, stage, k - 1))
            if neuron.z == neuron.name:
                backward.append(NeuronStep("backward", neuron.z, "neuron", neuron.name, 4, k))
        return tuple(forward), tuple(backward)

    # -- shape: the groups view's boxes, so every mode's frames fit -------------

    @cached_property
    def nodes(self) -> list[ViewNode]:
        return self.groups_lesson.nodes

    @cached_property
    def edges(self) -> list[ViewEdge]:
        return self.groups_lesson.edges

    def edges_into(self, key: str) -> list[ViewEdge]:
        return self.groups_lesson.edges_into(key)

    def neuron_step(self, k: int) -> NeuronStep | None:
        step = self.step(k)
        return step if isinstance(step, NeuronStep) else None

    def index_of(self, phase: str, node: str) -> int | None:
        """The position of the step about ``node`` (or about the neuron it belongs to)."""
        steps = self.forward if phase == "forward" else self.backward
        offset = 1 + (len(self.forward) if phase == "backward" else 0)
        neuron = self._neuron_of(node)
        for i, step in enumerate(steps):
            if step.node == node or (neuron is not None and step.neuron == neuron.name and phase == "forward"):
                return offset + i
        return None

    def _neuron_of(self, node: str) -> Neuron | None:
        for neuron in self.network.neurons:
            if node in (neuron.name, neuron.z):
                return neuron
        return None

    def map_position(self, k: int, other: Lesson) -> int:
        same = landmark(self, k, other)
        if same is not None:
            return same
        step = self.step(k)
        if step is None:
            return 0
        found = other.index_of(step.phase, step.node)
        if found is not None:
            return found
        return self.groups_lesson.map_position(step.groups_k, other) if step.groups_k else 0

    # -- frames ----------------------------------------------------------------

    @cached_property
    def _note_places(self) -> dict[int, list[tuple[str, str]]]:
        """The groups view's notes, each at the first step of this view that shows that groups step."""
        groups = self.groups_lesson._note_places
        places = {0: groups[0]} if 0 in groups else {}
        seen: set[int] = set()
        for j in range(1, len(self)):
            g = self.step(j).groups_k
            if g in groups and g not in seen:
                seen.add(g)
                places[j] = groups[g]
        return places

    def _next_frame(self, k: int) -> Frame | None:
        return None  # every frame is one of the groups view's, refocused: nothing to build incrementally

    def _build_frame(self, k: int) -> Frame:
        step = self.step(k)
        if step is None:
            return self.groups_lesson.frame(0)
        frame = self.groups_lesson.frame(step.groups_k)
        return self.focus(frame, step.neuron or step.node)

    def focus(self, frame: Frame, node: str | None) -> Frame:
        neuron = self._neuron_of(node) if node else None
        if neuron is None:
            return self.groups_lesson.focus(frame, node)
        active = frozenset(self.edges_into(neuron.z)) | frozenset(self.edges_into(neuron.name))
        return replace(frame, current=neuron.name, active_edges=active)

    # -- words ------------------------------------------------------------------

    @cached_property
    def _primitive_steps(self) -> dict[str, BackwardStep]:
        return {step.node: step for step in self.trace.backward}

    def synapse_edges(self, neuron: Neuron):
        """For each synapse: (grad_w contribution δ·x, contribution δ·w sent to the source)."""
        out = []
        for synapse in neuron.synapses:
            step = self._primitive_steps[synapse.product]
            by_input = {edge.input: edge for edge in step.edges}
            out.append((synapse, by_input[synapse.weight].contribution, by_input[synapse.source].contribution))
        return out

    def explain_compact(self, k: int) -> list[Line]:
        """The compact form: a neuron's stage is already a few short lines, so it is the full form."""
        return self.explain(k)

    def explain(self, k: int) -> list[Line]:
        step = self.step(k)
        if step is None:
            return self._explain_start()
        if step.neuron is None:
            lines = self.groups_lesson.explain(step.groups_k)
            return self._renumber(lines, k)
        neuron = self.network.neuron(step.neuron)
        if step.phase == "forward":
            return self._explain_neuron_forward(neuron, k)
        return self._explain_neuron_backward(neuron, step.stage, k)

    def _renumber(self, lines: list[Line], k: int) -> list[Line]:
        """A groups-view explanation with this view's step count in its first line."""
        if not lines:
            return lines
        pos = self.position(k)
        steps = self.forward if pos.phase == "forward" else self.backward
        head = [("Forward " if pos.phase == "forward" else "Backward ", "title"),
                (f"{pos.index + 1} of {len(steps)}", "dim")]
        return [head + list(lines[0][2:]), *lines[1:]]

    def _where(self, neuron: Neuron) -> str:
        layers = len(self.network.layers)
        place = "output layer" if neuron.layer == layers else f"layer {neuron.layer}"
        return f"{place}, neuron {neuron.position + 1}"

    def _explain_neuron_forward(self, neuron: Neuron, k: int) -> list[Line]:
        values = self.trace.values
        index = self.graph.index
        pos = self.position(k)
        z_value = values[index[neuron.z]]
        a_value = values[index[neuron.name]]
        terms = [f"{s.weight}·{s.source}" for s in neuron.synapses]
        numbers = [f"{operand(values[index[s.weight]])}×{operand(values[index[s.source]])}" for s in neuron.synapses]
        if neuron.bias:
            terms.append(neuron.bias)
            numbers.append(operand(values[index[neuron.bias]]))
        z_label = _z_label(neuron)
        lines: list[Line] = [
            [("Forward ", "title"), (f"{pos.index + 1} of {len(self.forward)}", "dim"), ("  ", ""),
             (neuron.name, "name"), (f" · {self._where(neuron)}", "dim")],
            [("weighted sum ", ""), (z_label, "name"), (" = ", ""), (" + ".join(terms), "formula")],
            [("   = ", ""), (" + ".join(numbers), "value"), (" = ", ""), (fmt(z_value), "value")],
        ]
        if neuron.activation == "identity":
            lines.append([("activation: identity, so ", ""), (neuron.name, "name"), (" = ", ""),
                          (fmt(a_value), "value")])
        else:
            lines.append([("activation ", ""), (neuron.name, "name"), (" = ", ""),
                          (f"{neuron.activation}({z_label})", "formula"), (" = ", ""),
                          (f"{neuron.activation}({fmt(z_value)})", "value"), (" = ", ""), (fmt(a_value), "value")])
        lines.extend(self.note_lines(k))
        return lines

    def _explain_neuron_backward(self, neuron: Neuron, stage: int, k: int) -> list[Line]:
        out = self.scenario.output
        values, grads, index = self.trace.values, self.trace.grads, self.graph.index
        pos = self.position(k)
        error = grads[index[neuron.name]]
        delta = grads[index[neuron.z]]
        a_value = values[index[neuron.name]]
        lines: list[Line] = [
            [("Backward ", "title"), (f"{pos.index + 1} of {len(self.backward)}", "dim"), ("  ", ""),
             (neuron.name, "name"), (" · ", "dim"), (f"stage {stage} of 4: {STAGES[stage]}", "title")],
        ]
        if stage == 1:
            lines += self._error_lines(neuron, error)
        elif stage == 2:
            general, own = ACTIVATION_WORDS[neuron.activation]
            derivative = self.activation_derivative(neuron)
            z_name = _z_label(neuron)
            line: Line = [("activation′ ", ""), (f"∂{neuron.name}/∂{z_name}", "formula"), (" = ", "")]
            if neuron.activation != "identity":
                line += [(general, "formula"), (" = ", "")]
            if neuron.activation in ("sigmoid", "tanh"):
                own_numbers = own.replace("a(", "a × (").replace("a", operand(a_value))
                line += [(own_numbers, "value"), (" = ", "")]
            line += [(fmt(derivative), "value")]
            if neuron.activation == "identity":
                line += [(f"  (identity: {neuron.name} = {z_name})", "dim")]
            lines.append(line)
            if neuron.activation == "relu":
                gate = "open: z > 0" if derivative > 0 else "closed: z ≤ 0, nothing flows back"
                lines.append([(f"   the gate is {gate}", "note")])
        elif stage == 3:
            parts: Line = [("∂z/∂w: ", "")]
            for i, synapse in enumerate(neuron.synapses):
                if i:
                    parts.append(("; ", "dim"))
                parts += [(f"∂z/∂{synapse.weight}", "formula"), (" = ", ""), (synapse.source, "name"), (" = ", ""),
                          (fmt(values[index[synapse.source]]), "value")]
            lines.append(parts)
            if neuron.bias:
                lines.append([(f"∂z/∂{neuron.bias}", "formula"), (" = 1", "value")])
            inputs: Line = [("∂z/∂input: ", "")]
            for i, synapse in enumerate(neuron.synapses):
                if i:
                    inputs.append(("; ", "dim"))
                inputs += [(f"∂z/∂{synapse.source}", "formula"), (" = ", ""), (synapse.weight, "name"), (" = ", ""),
                           (fmt(values[index[synapse.weight]]), "value")]
            lines.append(inputs)
        else:
            derivative = self.activation_derivative(neuron)
            lines[0].append((f"  (δ = ∂{out}/∂{_z_label(neuron)})", "dim"))
            lines.append([("δ", "grad"), (" = error × activation′ = ", ""), (operand(error), "grad"), (" × ", ""),
                          (operand(derivative), "value"), (" = ", ""), (fmt(delta), "grad")])
            if neuron.bias:
                lines.append([(f"∂{neuron.bias}", "grad"), (" = δ = ", ""), (fmt(grads[index[neuron.bias]]), "grad")])
            for synapse, grad_w, sent in self.synapse_edges(neuron):
                source_value = values[index[synapse.source]]
                weight_value = values[index[synapse.weight]]
                lines.append([
                    (f"∂{synapse.weight}", "grad"), (" = δ·", ""), (synapse.source, "name"), (" = ", ""),
                    (f"{operand(delta)} × {operand(source_value)}", "value"), (" = ", ""), (fmt(grad_w), "grad"),
                ])
                lines.append([
                    ("  → ", "dim"), (synapse.source, "name"), (": δ·", ""), (synapse.weight, "name"), (" = ", ""),
                    (f"{operand(delta)} × {operand(weight_value)}", "value"), (" = ", ""), (fmt(sent), "grad"),
                ])
                running = self._running_sum(synapse.source, k)
                if running:
                    lines.append(running)
        lines.extend(self.note_lines(k))
        if k == self.last:
            lines.extend(self.done_lines())
        return lines

    def activation_derivative(self, neuron: Neuron) -> float:
        if neuron.z == neuron.name:
            return 1.0
        step = self._primitive_steps.get(neuron.name)
        return step.edges[0].local if step is not None else 1.0

    def _error_lines(self, neuron: Neuron, error: float) -> list[Line]:
        out = self.scenario.output
        senders = self.senders(neuron.name)
        lines: list[Line] = []
        if not senders:
            return [[("error ", ""), (f"∂{out}/∂{neuron.name}", "grad"), (" = ", ""), (fmt(error), "grad")]]
        if all(self.network.neuron(name) is None for name, _, _ in senders):
            via = ", ".join(name for name, _, _ in senders)
            lines.append([("error arriving from the loss: ", ""), (f"∂{out}/∂{neuron.name}", "grad"), (" = ", ""),
                          (fmt(error), "grad"), (f"   (through {via})", "dim")])
            return lines
        for name, weight, amount in senders:
            sender = self.network.neuron(name)
            if sender is None or weight is None:
                lines.append([("   from ", "dim"), (name, "name"), (": ", ""), (fmt(amount), "grad")])
                continue
            delta = self.trace.grads[self.graph.index[sender.z]]
            w = self.trace.values[self.graph.index[weight]]
            lines.append([("   from ", "dim"), (name, "name"), (": δ × ", ""), (weight, "name"), (" = ", ""),
                          (f"{operand(delta)} × {operand(w)}", "value"), (" = ", ""), (fmt(amount), "grad")])
        total: Line = [("error ", ""), (f"∂{out}/∂{neuron.name}", "grad"), (" = ", "")]
        if len(senders) > 1:
            total += [(signed_sum([amount for _, _, amount in senders]), "grad"), (" = ", "")]
        total += [(fmt(error), "grad")]
        if len(senders) > 1:
            total += [(f"   ({neuron.name} feeds {len(senders)} neurons: what each sends back adds up)", "note")]
        return [total, *lines]

    def senders(self, name: str) -> list[tuple[str, str | None, float]]:
        """Who sent gradient to ``name``: (neuron or node, the weight used or None, the amount)."""
        out: list[tuple[str, str | None, float]] = []
        for neuron in self.network.neurons:
            for synapse in neuron.synapses:
                if synapse.source == name:
                    step = self._primitive_steps.get(synapse.product)
                    if step is None:
                        continue
                    edge = next(e for e in step.edges if e.input == name)
                    out.append((neuron.name, synapse.weight, edge.contribution))
        covered = {n for n, _, _ in out}
        for step in self.groups_lesson.backward:
            for edge in step.edges:
                if edge.input == name and step.node not in covered and self._neuron_of(step.node) is None:
                    out.append((step.node, None, edge.contribution))
        return out

    def shares(self, source: str, upto: int) -> tuple[int, list[float]]:
        """How many neurons read ``source``, and what those whose δ step lies in ``backward[:upto]`` sent it."""
        feeds = sum(1 for n in self.network.neurons if any(s.source == source for s in n.synapses))
        sent = []
        for step in self.backward[:upto]:
            if step.stage == 4 and step.neuron is not None:
                neuron = self.network.neuron(step.neuron)
                sent += [amount for synapse, _, amount in self.synapse_edges(neuron) if synapse.source == source]
        return feeds, sent

    def _running_sum(self, source: str, k: int) -> Line:
        """The gradient gathered so far at ``source``, when it feeds several neurons."""
        feeds, amounts = self.shares(source, self.position(k).index + 1)
        if feeds < 2:
            return []
        total = amounts[0] if len(amounts) == 1 else sum(amounts)
        complete = len(amounts) == feeds
        line: Line = [("    ", ""), (f"∂{self.scenario.output}/∂{source}", "grad"),
                      (" = " if complete else " so far ", "dim")]
        if complete:
            line.append((f"Σⱼ δⱼ·{weight_symbol(source)} = ", ""))
        if len(amounts) > 1:
            line += [(signed_sum(amounts), "grad"), (" = ", "")]
        note = f"  (fan-out: all {feeds} add up)" if complete else f"  ({len(amounts)} of {feeds} neurons)"
        line += [(fmt(total), "grad"), (note, "note")]
        return line

    # -- quiz ---------------------------------------------------------------------

    def neuron_questions(self, k: int):  # noqa: ANN201 - list[Question]
        """The quiz's questions before step k of the neuron view (see ``tutor.teach.neuron_quiz``)."""
        from tutor.teach.neuron_quiz import neuron_questions

        return neuron_questions(self, k)
