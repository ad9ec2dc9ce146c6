"""The neuron view's narration: a net stepped one neuron at a time.

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

Nodes that are not neurons (the loss after the net) keep the groups view's
steps and words. The frames are the groups view's (the lesson's boxes are
its named nodes and leaves), refocused on the neuron, so every mode's frames
draw in the neuron view too; the numbers come from the ordinary trace,
never recomputed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt, operand, signed_sum
from tutor.engine.ops import OPS
from tutor.records import record
from tutor.engine.network import SOFTMAX
from tutor.i18n import N_, _, listing, ngettext
from tutor.teach.lesson import neuron_questions, places, softmax_words
from tutor.teach.lesson.groups import GroupNarration
from tutor.teach.lesson.narration import Narration
from tutor.teach.lesson.network import weight_symbol
from tutor.teach.lesson.phrase import phrase
from tutor.teach.lesson.views import GROUPS

if TYPE_CHECKING:
    from tutor.engine.network import Network, Neuron
    from tutor.engine.trace import BackwardStep
    from tutor.teach.lesson.frame import Frame
    from tutor.teach.lesson.lesson import Lesson
    from tutor.teach.lesson.notes import Places
    from tutor.teach.questions import Question
    from tutor.teach.text import Line

STAGES = {
    1: N_("the error arriving"),
    2: N_("the activation's derivative"),
    3: N_("the weighted sum's partials"),
    4: N_("δ and the gradients"),
}
"""The four stages' names (translated where said)."""


def z_label(neuron: Neuron) -> str:
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
    layer: int = 0
    """For a softmax layer's own step (``op`` is ``softmax``): the layer, counting from 1."""


class NeuronNarration(Narration):
    """Steps are neurons (and the named nodes after the net); frames are the groups view's, refocused."""

    def __init__(self, lesson: Lesson) -> None:
        super().__init__(lesson)
        assert lesson.network is not None
        self.network: Network = lesson.network
        self.between = GroupNarration(lesson)
        """The groups view's words, for the steps that are not neurons (positions count the boxes' steps)."""
        self._softmax_steps: list[tuple[int, int]] | None = None
        """Each softmax layer's backward step: (its position, the layer); found when first needed."""
        self.shared: dict[str, int] = {}
        """A softmax layer's nodes that are no neuron's own step (m, the exps, the sum, the outputs) -> the layer
        (filled by ``walk``)."""

    # -- the walk ----------------------------------------------------------------

    def walk(self) -> tuple[Sequence, Sequence]:
        """A neuron's forward step, then its four backward stages; a softmax layer's neurons share one step
        each way (the softmax forward, the δ of every output backward) between their own."""
        between = self.between
        groups = self.lesson.graph.groups
        by_output = {n.name: n for n in self.network.neurons}
        inner = {n.z: n for n in self.network.neurons if n.z != n.name}
        shared = self.shared = {}
        for neuron in self.network.neurons:
            if neuron.softmax is not None:
                parts = neuron.softmax
                for name in (parts.largest, parts.exp, parts.total, neuron.name):
                    if name in groups:
                        shared[name] = neuron.layer
        left = {layer: sum(1 for n in shared.values() if n == layer) for layer in set(shared.values())}
        forward: list[NeuronStep] = []
        for i, step in enumerate(between.forward):
            k = i + 1
            if step.node in shared:
                left[shared[step.node]] -= 1
                if not left[shared[step.node]]:  # the layer's last part: the softmax of every score
                    forward.append(NeuronStep("forward", step.node, "softmax", None, 0, k, shared[step.node]))
                continue
            if step.node in inner:
                neuron = inner[step.node]
                if neuron.softmax is not None:  # a softmax neuron's own forward step is its score
                    forward.append(NeuronStep("forward", neuron.z, "neuron", neuron.name, 0, k))
                continue  # else the weighted sum is part of its neuron's step
            neuron = by_output.get(step.node)
            if neuron is not None:
                forward.append(NeuronStep("forward", neuron.name, "neuron", neuron.name, 0, k))
            else:
                forward.append(NeuronStep("forward", step.node, step.op, None, 0, k))
        left = {layer: sum(1 for n in shared.values() if n == layer) for layer in set(shared.values())}
        backward: list[NeuronStep] = []
        base = len(between.forward)
        for i, step in enumerate(between.backward):
            k = base + i + 1
            if step.node in shared:
                left[shared[step.node]] -= 1
                if not left[shared[step.node]]:  # every output has sent back: the δ of every score
                    backward.append(NeuronStep("backward", step.node, "softmax", None, 0, k, shared[step.node]))
                continue
            if step.node in inner:
                neuron = inner[step.node]
                if neuron.softmax is not None:
                    backward.append(NeuronStep("backward", neuron.z, "neuron", neuron.name, 3, k - 1))
                backward.append(NeuronStep("backward", neuron.z, "neuron", neuron.name, 4, k))
                continue
            neuron = by_output.get(step.node)
            if neuron is None:
                backward.append(NeuronStep("backward", step.node, step.op, None, 0, k))
                continue
            for stage in (1, 2, 3):
                node = neuron.name if stage < 3 else neuron.z
                backward.append(NeuronStep("backward", node, "neuron", neuron.name, stage, k - 1))
            if neuron.z == neuron.name or neuron.z not in groups:
                # No step of its own for the weighted sum (an identity neuron, or one written as a single
                # node such as h1: sigmoid(w1*x1 + b1)): δ and the gradients at the neuron's own step.
                backward.append(NeuronStep("backward", neuron.z, "neuron", neuron.name, 4, k))
        return tuple(forward), tuple(backward)

    def frame(self, k: int) -> Frame:
        step = self.lesson.step(k)
        if step is None:
            return self.lesson.boxes_frame(0)
        frame = self.lesson.boxes_frame(step.groups_k)
        named = self._softmax_deltas_named(k)
        if named:
            frame = replace(frame, marks={**frame.marks, **{z: "δ" for z in named if z in frame.grads}})
        return self.focus(frame, step.neuron or step.node)

    def _softmax_deltas_named(self, k: int) -> list[str]:
        """The weighted sums whose δ a softmax layer's backward step has named by position ``k``: that step says
        δ = p − t for every output of its layer at once, so the graph marks them δ from there on."""
        if self._softmax_steps is None:
            lesson = self.lesson
            start = 1 + len(lesson.forward)
            self._softmax_steps = [
                (start + i, step.layer) for i, step in enumerate(lesson.backward) if step.op == "softmax"
            ]
        layers = {layer for at, layer in self._softmax_steps if at <= k}
        return [n.z for n in self.network.neurons if n.layer in layers and n.z != n.name]

    def focus(self, frame: Frame, node: str | None) -> Frame:
        """``frame`` with a neuron (its weighted sum's and output's edges active), or another node, current."""
        lesson = self.lesson
        neuron = self.neuron_of(node) if node else None
        if neuron is None:
            return lesson.focus(frame, node)
        active = frozenset(lesson.edges_into(neuron.z)) | frozenset(lesson.edges_into(neuron.name))
        return replace(frame, current=neuron.name, active_edges=active)

    def index_of(self, phase: str, node: str) -> int | None:
        """The position of the step about ``node`` (or about the neuron it belongs to)."""
        lesson = self.lesson
        steps = lesson.forward if phase == "forward" else lesson.backward
        offset = 1 + (len(lesson.forward) if phase == "backward" else 0)
        if node in self.shared:  # a softmax layer's part: the layer's own step
            layer = self.shared[node]
            return next((offset + i for i, step in enumerate(steps) if step.op == "softmax" and step.layer == layer),
                        None)
        neuron = self.neuron_of(node)
        for i, step in enumerate(steps):
            if step.node == node or (neuron is not None and step.neuron == neuron.name and phase == "forward"):
                return offset + i
        return None

    def neuron_of(self, node: str) -> Neuron | None:
        for neuron in self.network.neurons:
            if node in (neuron.name, neuron.z):
                return neuron
        return None

    def map_position(self, k: int, other: Lesson) -> int:
        lesson = self.lesson
        same = places.landmark(lesson, k, other)
        if same is not None:
            return same
        step = lesson.step(k)
        if step is None:
            return 0
        found = other.index_of(step.phase, step.node)
        if found is not None:
            return found
        if not step.groups_k:
            return 0
        # As the groups view would map the same place (its positions are the boxes' steps).
        groups = lesson.with_view(GROUPS)
        return places.map_position(groups, step.groups_k, other)

    def note_places(self) -> Places:
        """The groups view's notes, each at the first step of this view that shows that groups step."""
        groups = self.between.places
        lesson = self.lesson
        out = {0: groups[0]} if 0 in groups else {}
        seen: set[int] = set()
        for j in range(1, len(lesson)):
            g = lesson.step(j).groups_k
            if g in groups and g not in seen:
                seen.add(g)
                out[j] = groups[g]
        return out

    # -- words ------------------------------------------------------------------

    @cached_property
    def _primitive_steps(self) -> dict[str, BackwardStep]:
        return {step.node: step for step in self.lesson.trace.backward}

    def synapse_edges(self, neuron: Neuron):  # noqa: ANN201 - list of (synapse, grad_w, sent)
        """For each synapse: (grad_w contribution δ·x, contribution δ·w sent to the source)."""
        out = []
        for synapse in neuron.synapses:
            step = self._primitive_steps[synapse.product]
            by_input = {edge.input: edge for edge in step.edges}
            out.append((synapse, by_input[synapse.weight].contribution, by_input[synapse.source].contribution))
        return out

    def questions(self, k: int) -> list[Question]:
        return neuron_questions.questions_at(self, k)

    def explain_compact(self, k: int) -> list[Line]:
        """The compact form: a neuron's stage is already a few short lines, so it is the full form."""
        return self.explain(k)

    def explain(self, k: int) -> list[Line]:
        lesson = self.lesson
        step = lesson.step(k)
        if step is None:
            return self.start_lines()
        if step.op == "softmax":
            layer = self.network.layers[step.layer - 1]
            return self._softmax_forward(layer, k) if step.phase == "forward" else self._softmax_backward(layer, k)
        if step.neuron is None:
            return self._renumber(self.between.explain(step.groups_k), k)
        neuron = self.network.neuron(step.neuron)
        if step.phase == "forward":
            return self._neuron_forward(neuron, k)
        return self._neuron_backward(neuron, step.stage, k)

    def _renumber(self, lines: list[Line], k: int) -> list[Line]:
        """A groups-view explanation with this view's step count in its first line."""
        if not lines:
            return lines
        lesson = self.lesson
        pos = lesson.position(k)
        steps = lesson.forward if pos.phase == "forward" else lesson.backward
        head = [(_("Forward ") if pos.phase == "forward" else _("Backward "), "title"),
                (_("{k} of {n}").format(k=pos.index + 1, n=len(steps)), "dim")]
        return [head + list(lines[0][2:]), *lines[1:]]

    def _where(self, neuron: Neuron) -> str:
        return _("{layer}, neuron {number}").format(layer=self._layer_words(neuron.layer), number=neuron.position + 1)

    def _neuron_forward(self, neuron: Neuron, k: int) -> list[Line]:
        lesson = self.lesson
        values = lesson.trace.values
        index = lesson.graph.index
        pos = lesson.position(k)
        z_value = values[index[neuron.z]]
        a_value = values[index[neuron.name]]
        terms = [f"{s.weight}·{s.source}" for s in neuron.synapses]
        numbers = [f"{operand(values[index[s.weight]])}×{operand(values[index[s.source]])}" for s in neuron.synapses]
        if neuron.bias:
            terms.append(neuron.bias)
            numbers.append(operand(values[index[neuron.bias]]))
        z_name = z_label(neuron)
        lines: list[Line] = [
            [(_("Forward "), "title"), (_("{k} of {n}").format(k=pos.index + 1, n=len(lesson.forward)), "dim"),
             ("  ", ""), (neuron.name, "name"), (f" · {self._where(neuron)}", "dim")],
            [(_("weighted sum "), ""), (z_name, "name"), (" = ", ""), (" + ".join(terms), "formula")],
            [("   = ", ""), (" + ".join(numbers), "value"), (" = ", ""), (fmt(z_value), "value")],
        ]
        if neuron.activation == SOFTMAX:
            lines.append([(_("its output "), ""), (neuron.name, "name"),
                          (_(" comes with the softmax of the whole layer, once every score is in"), "dim")])
        elif neuron.activation == "identity":
            lines.append([(_("activation: identity, so "), ""), (neuron.name, "name"), (" = ", ""),
                          (fmt(a_value), "value")])
        else:
            lines.append([(_("activation "), ""), (neuron.name, "name"), (" = ", ""),
                          (f"{neuron.activation}({z_name})", "formula"), (" = ", ""),
                          (f"{neuron.activation}({fmt(z_value)})", "value"), (" = ", ""), (fmt(a_value), "value")])
        lines.extend(self.note_lines(k))
        return lines

    def _neuron_backward(self, neuron: Neuron, stage: int, k: int) -> list[Line]:
        lesson = self.lesson
        out = lesson.scenario.output
        values, grads, index = lesson.trace.values, lesson.trace.grads, lesson.graph.index
        pos = lesson.position(k)
        error = grads[index[neuron.name]]
        delta = grads[index[neuron.z]]
        lines: list[Line] = [
            [(_("Backward "), "title"), (_("{k} of {n}").format(k=pos.index + 1, n=len(lesson.backward)), "dim"),
             ("  ", ""), (neuron.name, "name"), (" · ", "dim"),
             (_("stage {stage} of 4: {what}").format(stage=stage, what=_(STAGES[stage])), "title")],
        ]
        if stage == 1:
            lines += self._error_lines(neuron, error)
        elif stage == 2:
            lines += self._activation_lines(neuron)
        elif stage == 3:
            lines += self._partials_lines(neuron)
        else:
            lines[0].append((f"  (δ = ∂{out}/∂{z_label(neuron)})", "dim"))
            lines += self._delta_lines(neuron, error, delta, k)
        lines.extend(self.note_lines(k))
        if k == lesson.last:
            lines.extend(self.done_lines())
        return lines

    def _activation_lines(self, neuron: Neuron) -> list[Line]:
        lesson = self.lesson
        a_value = lesson.trace.value(neuron.name)
        activation = OPS[neuron.activation]
        derivative = self.activation_derivative(neuron)
        z_name = z_label(neuron)
        line: Line = [(_("activation′ "), ""), (f"∂{neuron.name}/∂{z_name}", "formula"), (" = ", "")]
        if neuron.activation != "identity":
            line += [(activation.activation.derivative, "formula"), (" = ", "")]
        numbers = activation.numbers((lesson.trace.value(neuron.z),), a_value, 0.0, 0) if activation.numbers else ""
        if numbers:
            line += [(numbers, "value"), (" = ", "")]
        line += [(fmt(derivative), "value")]
        if neuron.activation == "identity":
            line += [(_("  (identity: {formula})").format(formula=f"{neuron.name} = {z_name}"), "dim")]
        lines = [line]
        if neuron.activation == "relu":
            gate = _("   the gate is open: z > 0") if derivative > 0 else _(
                "   the gate is closed: z ≤ 0, nothing flows back")
            lines.append([(gate, "note")])
        return lines

    def _partials_lines(self, neuron: Neuron) -> list[Line]:
        values, index = self.lesson.trace.values, self.lesson.graph.index
        parts: Line = [("∂z/∂w: ", "")]
        for i, synapse in enumerate(neuron.synapses):
            if i:
                parts.append(("; ", "dim"))
            parts += [(f"∂z/∂{synapse.weight}", "formula"), (" = ", ""), (synapse.source, "name"), (" = ", ""),
                      (fmt(values[index[synapse.source]]), "value")]
        lines = [parts]
        if neuron.bias:
            lines.append([(f"∂z/∂{neuron.bias}", "formula"), (" = 1", "value")])
        inputs: Line = [(_("∂z/∂input: "), "")]
        for i, synapse in enumerate(neuron.synapses):
            if i:
                inputs.append(("; ", "dim"))
            inputs += [(f"∂z/∂{synapse.source}", "formula"), (" = ", ""), (synapse.weight, "name"), (" = ", ""),
                       (fmt(values[index[synapse.weight]]), "value")]
        lines.append(inputs)
        return lines

    def _delta_lines(self, neuron: Neuron, error: float, delta: float, k: int) -> list[Line]:
        lesson = self.lesson
        values, grads, index = lesson.trace.values, lesson.trace.grads, lesson.graph.index
        derivative = self.activation_derivative(neuron)
        if neuron.activation == SOFTMAX:
            lines: list[Line] = [softmax_words.delta_line(lesson, neuron)]
        else:
            lines = [[("δ", "grad"), (_(" = error × activation′ = "), ""), (operand(error), "grad"), (" × ", ""),
                      (operand(derivative), "value"), (" = ", ""), (fmt(delta), "grad")]]
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
        return lines

    def _softmax_forward(self, layer: tuple[Neuron, ...], k: int) -> list[Line]:
        """A softmax layer's outputs from every score: the largest, each exp, their sum, each p."""
        lesson = self.lesson
        value = lesson.trace.value
        parts = layer[0].softmax
        pos = lesson.position(k)
        scores = ", ".join(n.z for n in layer)
        exps: Line = [("e = exp(z − ", ""), (parts.largest, "name"), ("): ", "")]
        for i, neuron in enumerate(layer):
            exps += [("  " if i else "", ""), (neuron.softmax.exp, "name"), (" = ", ""),
                     (f"exp({fmt(value(neuron.z))} − {operand(value(parts.largest))})", "value"), (" = ", ""),
                     (fmt(value(neuron.softmax.exp)), "value")]
        outputs: Line = [("p = e / ", ""), (parts.total, "name"), (": ", "")]
        for i, neuron in enumerate(layer):
            outputs += [("  " if i else "", ""), (f"{neuron.name}={fmt(value(neuron.name))}", "value")]
        outputs.append((_("   (they add up to 1)"), "note"))
        lines: list[Line] = [
            [(_("Forward "), "title"), (_("{k} of {n}").format(k=pos.index + 1, n=len(lesson.forward)), "dim"),
             (_("  softmax"), "name"),
             (ngettext(" · {layer}, {count} neuron", " · {layer}, {count} neurons", len(layer)).format(
                 layer=self._layer_words(layer[0].layer), count=len(layer)), "dim")],
            [(parts.largest, "name"), (" = ", ""), (f"max({scores})", "formula"), (" = ", ""),
             (fmt(value(parts.largest)), "value"), (_("   the largest score: less it, no exp overflows"), "note")],
            exps,
            [(parts.total, "name"), (" = ", ""), (" + ".join(n.softmax.exp for n in layer), "formula"), (" = ", ""),
             (fmt(value(parts.total)), "value")],
            outputs,
        ]
        lines.extend(self.note_lines(k))
        return lines

    def _softmax_backward(self, layer: tuple[Neuron, ...], k: int) -> list[Line]:
        """Stages 1 and 2 of every output of a softmax layer at once: the error arriving at each p, the
        softmax's derivative (each p depends on every score), and each neuron's δ."""
        lesson = self.lesson
        out = lesson.scenario.output
        grad = lesson.trace.grad
        pos = lesson.position(k)
        errors: Line = [(_("error arriving: "), "")]
        for i, neuron in enumerate(layer):
            errors += [("  " if i else "", ""), (f"∂{out}/∂{neuron.name}={fmt(grad(neuron.name))}", "grad")]
        lines: list[Line] = [
            [(_("Backward "), "title"), (_("{k} of {n}").format(k=pos.index + 1, n=len(lesson.backward)), "dim"),
             (_("  softmax"), "name"), (_(" · stages 1 and 2 of every output neuron"), "title")],
            errors,
            softmax_words.why_line(lesson, layer[0], indent=""),
        ]
        lines += [softmax_words.delta_line(lesson, neuron) for neuron in layer]
        lines.extend(self.note_lines(k))
        return lines

    def _layer_words(self, layer: int) -> str:
        return _("output layer") if layer == len(self.network.layers) else _("layer {layer}").format(layer=layer)

    def activation_derivative(self, neuron: Neuron) -> float:
        if neuron.z == neuron.name:
            return 1.0
        step = self._primitive_steps.get(neuron.name)
        return step.edges[0].local if step is not None else 1.0

    def _error_lines(self, neuron: Neuron, error: float) -> list[Line]:
        lesson = self.lesson
        out = lesson.scenario.output
        senders = self.senders(neuron.name)
        lines: list[Line] = []
        if not senders:
            return [[(_("error "), ""), (f"∂{out}/∂{neuron.name}", "grad"), (" = ", ""), (fmt(error), "grad")]]
        if all(self.network.neuron(name) is None for name, _weight, _amount in senders):
            via = listing(name for name, _weight, _amount in senders)
            lines.append([(_("error arriving from the loss: "), ""), (f"∂{out}/∂{neuron.name}", "grad"), (" = ", ""),
                          (fmt(error), "grad"), (_("   (through {nodes})").format(nodes=via), "dim")])
            return lines
        for name, weight, amount in senders:
            sender = self.network.neuron(name)
            if sender is None or weight is None:
                lines.append([*phrase(_("   from {node}"), "dim", node=(name, "name")), (": ", ""), (fmt(amount), "grad")])
                continue
            delta = lesson.trace.grads[lesson.graph.index[sender.z]]
            w = lesson.trace.values[lesson.graph.index[weight]]
            lines.append([*phrase(_("   from {node}"), "dim", node=(name, "name")), (": δ × ", ""), (weight, "name"),
                          (" = ", ""),
                          (f"{operand(delta)} × {operand(w)}", "value"), (" = ", ""), (fmt(amount), "grad")])
        total: Line = [(_("error "), ""), (f"∂{out}/∂{neuron.name}", "grad"), (" = ", "")]
        if len(senders) > 1:
            total += [(signed_sum([amount for _name, _weight, amount in senders]), "grad"), (" = ", "")]
        total += [(fmt(error), "grad")]
        if len(senders) > 1:
            total += [(_("   ({neuron} feeds {count} neurons: what each sends back adds up)").format(
                neuron=neuron.name, count=len(senders)), "note")]
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
        covered = {n for n, _weight, _amount in out}
        for step in self.lesson.boxes_backward:
            for edge in step.edges:
                if edge.input == name and step.node not in covered and self.neuron_of(step.node) is None:
                    out.append((step.node, None, edge.contribution))
        return out

    def shares(self, source: str, upto: int) -> tuple[int, list[float]]:
        """How many neurons read ``source``, and what those whose δ step lies in ``backward[:upto]`` sent it."""
        feeds = sum(1 for n in self.network.neurons if any(s.source == source for s in n.synapses))
        sent = []
        for step in self.lesson.backward[:upto]:
            if step.stage == 4 and step.neuron is not None:
                neuron = self.network.neuron(step.neuron)
                sent += [amount for synapse, _grad_w, amount in self.synapse_edges(neuron) if synapse.source == source]
        return feeds, sent

    def _running_sum(self, source: str, k: int) -> Line:
        """The gradient gathered so far at ``source``, when it feeds several neurons."""
        lesson = self.lesson
        feeds, amounts = self.shares(source, lesson.position(k).index + 1)
        if feeds < 2:
            return []
        total = amounts[0] if len(amounts) == 1 else sum(amounts)
        complete = len(amounts) == feeds
        line: Line = [("    ", ""), (f"∂{lesson.scenario.output}/∂{source}", "grad"),
                      (" = " if complete else _(" so far "), "dim")]
        if complete:
            line.append((f"Σⱼ δⱼ·{weight_symbol(source)} = ", ""))
        if len(amounts) > 1:
            line += [(signed_sum(amounts), "grad"), (" = ", "")]
        note = (_("  (fan-out: all {count} add up)").format(count=feeds) if complete
                else _("  ({k} of {n} neurons)").format(k=len(amounts), n=feeds))
        line += [(fmt(total), "grad"), (note, "note")]
        return line

