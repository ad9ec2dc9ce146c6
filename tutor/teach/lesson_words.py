"""The backward pass in words: local derivatives with their numbers, what a group
multiplies inside, and, for scenarios built of neurons, each neuron's delta.

A mixin of ``Lesson`` (kept apart to keep modules small); every method reads
the lesson's step records and trace, nothing is recomputed.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt, operand, signed_sum
from tutor.engine.ops import local_numbers
from tutor.teach.deltas import delta_name

if TYPE_CHECKING:
    from tutor.engine.trace import BackwardStep
    from tutor.engine.neurons import Neuron
    from tutor.teach.lesson import Line

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def weight_symbol(input_name: str) -> str:
    """``wⱼ₁`` for the input x1: neuron j's weight on that input."""
    digits = input_name[len(input_name.rstrip("0123456789")):]
    return f"wⱼ{digits.translate(_SUBSCRIPTS)}" if digits else f"wⱼ({input_name})"



def train_hint(scenario) -> str:  # noqa: ANN001 - a Scenario
    """At the start of a lesson with params: the key that trains them, and on what."""
    data = scenario.data
    if data is not None:
        return f"Press t to train on all {len(data)} rows of the data (6 opens the training mode)."
    return "Press t to train: one gradient-descent step on every param (6 opens the training mode)."


class LessonWords:
    """Sentences of the backward pass that need more than one step record."""

    @cached_property
    def neurons(self) -> dict[str, Neuron]:
        """Weighted-sum node -> neuron, for scenarios built of neurons (empty otherwise)."""
        if not self.scenario.params:
            return {}  # a neuron weighs its inputs by params
        from tutor.teach.deltas import find_neurons  # here: most lessons are no net, and open without it

        return find_neurons(self.scenario)

    @cached_property
    def neuron_of_activation(self) -> dict[str, Neuron]:
        return {n.name: n for n in self.neurons.values() if n.activation != "identity"}

    def _neuron_at(self, node: str) -> Neuron | None:
        """The neuron whose weighted sum is ``node`` (a group, or its primitive root)."""
        return self.neurons.get(node)

    def edge_numbers(self, step: BackwardStep, edge) -> str:  # noqa: ANN001 - an engine Edge
        """The local derivative with its numbers put in, for primitive (and one-op group) steps."""
        if step.op == "group":
            return ""
        graph = self.graph
        node = graph.node(step.node)
        index = graph.index.get(edge.input)
        if node.op != step.op or index not in node.inputs:
            return ""
        values = tuple(self.trace.values[i] for i in node.inputs)
        return local_numbers(node.op, values, self.trace.values[node.index], node.param, node.inputs.index(index))

    def _explain_backward(self, step: BackwardStep, k: int) -> list[Line]:
        out = self.scenario.output
        j = k - len(self.forward)
        lines: list[Line] = [
            [("Backward ", "title"), (f"{j} of {len(self.backward)}", "dim"), ("  ", ""), (self._op_words(step), "dim")]
        ]
        neuron = self._neuron_at(step.node)
        if step.node == out:
            lines.append([("Start at the output: ", ""), (f"∂{out}/∂{out} = 1", "grad")])
        else:
            lines.append(
                [("upstream ", ""), (f"∂{out}/∂{step.node}", "grad"), (" = ", ""), (fmt(step.upstream), "grad"),
                 ("  (complete: every node that uses ", "dim"), (step.node, "name"), (" has sent its share)", "dim")]
            )
        if neuron is not None:
            lines.extend(self._delta_lines(neuron, step))
        for edge in step.edges:
            if self.graph.is_constant(edge.input):
                continue
            local_name = f"∂{step.node}/∂{edge.input}"
            shown = fmt(edge.local)
            formula = edge.local_formula if edge.local_formula != shown else ""
            line: Line = [("→ ", "dim"), (edge.input, "name"), (": local ", ""), (local_name, "formula"), (" = ", "")]
            if formula:
                line += [(formula, "formula"), (" = ", "")]
                numbers = self.edge_numbers(step, edge)
                if numbers and numbers != shown:
                    line += [(numbers, "value"), (" = ", "")]
            line += [
                (shown, "value"),
                (";  ", ""),
                (operand(step.upstream), "grad"),
                (" × ", ""),
                (operand(edge.local), "value"),
                (" = ", ""),
                (fmt(edge.contribution), "grad"),
            ]
            lines.append(line)
            if self.groups is not None:
                lines.extend(self._inside_lines(step, edge))
            activated = self.neuron_of_activation.get(step.node)
            if activated is not None and edge.input == activated.z:
                lines.append(
                    [("   ", ""), (delta_name(activated), "grad"), (" = ", ""), (f"∂{out}/∂{edge.input}", "grad"),
                     (" = error arriving × activation′ = ", ""), (operand(step.upstream), "grad"), (" × ", ""),
                     (operand(edge.local), "value"), (" = ", ""), (fmt(edge.contribution), "grad"),
                     (f"   the delta of neuron {activated.name}", "note")]
                )
            lines.append(self._total_line(k, edge))
        if step.warning:
            lines.append([("⚠ ", "warn"), (step.warning, "warn")])
        lines.extend(self.note_lines(k))
        if k == self.last:
            lines.extend(self.done_lines())
        return lines

    def _inside_lines(self, step: BackwardStep, edge) -> list[Line]:  # noqa: ANN001 - an engine Edge
        """Groups view: a group's local derivative as the product of the local factors inside it."""
        assert self.groups is not None
        routes = self.groups.factors(step.node, edge.input)
        if len(routes) != 1:
            return []
        factors = routes[0]
        if sum(1 for f in factors if f.formula != "1") < 2:
            return []
        names = " · ".join(f"({f.formula})" if f.formula.startswith("-") and len(f.formula) <= 3 else f.formula
                           for f in factors)
        numbers = " × ".join(operand(f.value) for f in factors)
        lines: list[Line] = [
            [("   inside ", "dim"), (step.node, "name"), (": ", "dim"), (names, "formula"), (" = ", ""),
             (numbers, "value"), (" = ", ""), (fmt(edge.local), "value")]
        ]
        if self.is_expanded_sigmoid(step.node):
            y = self.trace.value(step.node)
            lines.append(
                [("   = ", ""), (f"{step.node}(1 − {step.node})", "formula"), (" = ", ""),
                 (f"{operand(y)} × (1 − {operand(y)})", "value"), (" = ", ""), (fmt(y * (1 - y)), "value"),
                 ("   the four factors multiply to the grouped sigmoid's local derivative", "note")]
            )
        return lines

    def is_expanded_sigmoid(self, name: str) -> bool:
        """True when the group is 1 / (1 + exp(-x)) written out: negate, exp, add 1, reciprocal."""
        graph = self.graph
        ops = []
        for m in graph.groups.get(name, ()):
            node = graph.nodes[m]
            if node.kind != "op":
                continue
            constants = [graph.nodes[i].value for i in node.inputs if graph.nodes[i].kind == "const"]
            ops.append((node.op, tuple(constants)))
        return ops in (
            [("mul", (-1.0,)), ("exp", ()), ("add", (1.0,)), ("reciprocal", ())],
            [("neg", ()), ("exp", ()), ("add", (1.0,)), ("reciprocal", ())],
        )

    def _delta_lines(self, neuron: Neuron, step: BackwardStep) -> list[Line]:
        """At a neuron's weighted sum: its delta, and how every weight, bias and input uses it."""
        delta = step.upstream
        out = self.scenario.output
        words = (
            "error arriving × activation′" if neuron.activation != "identity"
            else "the error arriving; identity activation, activation′ = 1"
        )
        lines: list[Line] = [
            [(delta_name(neuron), "grad"), (" = ", ""), (f"∂{out}/∂{neuron.z}", "grad"), (" = ", ""),
             (fmt(delta), "grad"), (f"  ({words}); shared by everything below:", "dim")]
        ]
        parts: Line = [("   ", "")]
        for weight, source in zip(neuron.weights, neuron.inputs):
            value = self.trace.value(source)
            parts += [(f"∂{out}/∂{weight}", "grad"), (" = δ·", ""), (source, "name"), (" = ", ""),
                      (f"{operand(delta)} × {operand(value)}", "value"), (" = ", ""), (fmt(delta * value), "grad"),
                      (";  ", "")]
        for bias in neuron.biases:
            parts += [(f"∂{out}/∂{bias}", "grad"), (" = δ = ", ""), (fmt(delta), "grad"), (";  ", "")]
        lines.append(parts[:-1] if len(parts) > 1 else parts)
        sent: Line = [("   each input receives δ·w: ", "dim")]
        for weight, source in zip(neuron.weights, neuron.inputs):
            sent += [(source, "name"), (" gets ", ""), (f"{operand(delta)} × {operand(self.trace.value(weight))}",
                                                        "value"), (" = ", ""),
                     (fmt(delta * self.trace.value(weight)), "grad"), (";  ", "")]
        lines.append(sent[:-1])
        return lines

    def _total_line(self, k: int, edge) -> Line:  # noqa: ANN001 - an engine Edge
        """The input's accumulated gradient after this edge: a running sum when it fans out."""
        out = self.scenario.output
        sources = self.contributions(k, edge.input)
        total: Line = [("   ", ""), (f"∂{out}/∂{edge.input}", "grad"), (": ", "")]
        if len(sources) <= 1:
            return total + [(fmt(edge.grad_before), "grad"), (" → ", ""), (fmt(edge.grad_after), "grad")]
        deltas = self.fan_out_deltas(edge.input, sources)
        if deltas is not None:
            names = " + ".join(f"{delta_name(n)}·{w}" for n, w, _ in deltas)
            numbers = " + ".join(f"{operand(d)}×{operand(self.trace.value(w))}" for _, w, d in deltas)
            total += [(f"Σⱼ δⱼ·{weight_symbol(edge.input)} = ", ""), (names, "formula"), (" = ", ""), (numbers, "value"), (" = ", ""),
                      (fmt(edge.grad_after), "grad")]
            total += [(f"   fan-out: {edge.input} feeds {len(sources)} neurons; what each sends adds up", "note")]
            return total
        total += [(signed_sum([amount for _, amount in sources]), "grad"), (" = ", "")]
        total += [(fmt(edge.grad_after), "grad")]
        via = ", ".join(f"via {node}" for node, _ in sources)
        total += [(f"   fan-out: {edge.input} feeds {len(sources)} nodes ({via}); the contributions add", "note")]
        return total

    def fan_out_deltas(self, name: str, sources: list[tuple[str, float]]) -> list[tuple[Neuron, str, float]] | None:
        """(neuron, weight, delta) for each contribution when every one comes from a neuron's weighted sum,
        in the neurons' order."""
        found: list[tuple[Neuron, str, float]] = []
        for node, _ in sources:
            group = node if self.groups is not None else self.graph.node(node).group
            neuron = self.neurons.get(group)
            weight = neuron.weight_for(name) if neuron else None
            if neuron is None or weight is None:
                return None
            found.append((neuron, weight, self.trace.grad(neuron.z)))
        order = list(self.neurons)
        return sorted(found, key=lambda item: order.index(item[0].z))

    def done_lines(self, compact: bool = False) -> list[Line]:
        """The end of the backward pass: every leaf's gradient together (and every δ, for neurons).

        ``compact``: for the compact form, which lists the gradients only for neurons (whose deltas
        and weights its edge lines do not gather) and leaves the table key to the key bar.
        """
        s = self.scenario
        out = s.output
        grads = self.trace.grad
        table = [] if compact else [(" Press v for the table.", "dim")]
        if s.inputs or s.params:
            lines: list[Line] = [[("Done: ", "title"), (f"every {self.leaf_words()} has its gradient.", "title"), *table]]
        else:
            lines = [[("Done: ", "title"), ("the backward pass is complete.", "title"), *table]]
        if compact and not self.neurons:
            return lines
        # name=number with no space inside, so a narrow panel wraps between pairs, never inside one
        listed: set[str] = set()
        for neuron in self.neurons.values():
            row: Line = [("  ", ""), (f"{delta_name(neuron)}={fmt(grads(neuron.z))}", "grad"), (":", "")]
            for param in (*neuron.weights, *neuron.biases):
                row += [("  ", ""), (f"∂{out}/∂{param}={fmt(grads(param))}", "grad")]
                listed.add(param)
            lines.append(row)
        shown = [name for name in s.leaves if name not in listed]
        if shown:
            row = [("  ", "")]
            for i, name in enumerate(shown):
                row += [("  " if i else "", ""), (f"∂{out}/∂{name}={fmt(grads(name))}", "grad")]
            lines.append(row)
        return lines
