"""Neurons found in a scenario's named nodes, so lessons can speak of deltas.

A neuron is a named weighted sum ``z = w₁·x₁ + w₂·x₂ + … + b`` (every product
has exactly one param, the weight; every lone param added is a bias),
optionally followed by a named activation node ``h = sigmoid(z)`` (or tanh,
relu). Its delta δ is the gradient of the output at the weighted sum:
δ = (error arriving at h) × activation′, or ∂loss/∂z itself for an identity
neuron. Then ∂loss/∂w = δ·x, ∂loss/∂b = δ, and each input x receives δ·w.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.records import record
from tutor.scenario import Scenario

if TYPE_CHECKING:
    from tutor.engine.neurons import Network

ACTIVATIONS = ("sigmoid", "tanh", "relu")


@record(slots=True)
class Neuron:
    name: str
    """The neuron's output: its activation node, or the weighted sum for an identity neuron."""
    weighted_sum: str
    activation: str
    """``sigmoid``, ``tanh``, ``relu`` or ``identity``."""
    weights: tuple[str, ...]
    inputs: tuple[str, ...]
    """What each weight multiplies, in the same order."""
    biases: tuple[str, ...]

    @property
    def delta(self) -> str:
        """The delta's name as the learner reads it, e.g. ``δ(h1)``."""
        return f"δ({self.name})"

    def weight_for(self, input_name: str) -> str | None:
        for weight, source in zip(self.weights, self.inputs):
            if source == input_name:
                return weight
        return None


def _weighted_sum(scenario: Scenario, name: str) -> tuple[list[str], list[str], list[str]] | None:
    """(weights, inputs, biases) when the named node is Σ w·x + b, else None."""
    graph = scenario.graph
    members = graph.groups.get(name, ())
    if len(members) < 2:
        return None
    inside = set(members)
    params = scenario.params
    weights: list[str] = []
    inputs: list[str] = []
    biases: list[str] = []
    stack = [members[-1]]
    while stack:
        node = graph.nodes[stack.pop()]
        if node.op == "add":
            for i in reversed(node.inputs):
                if i in inside:
                    stack.append(i)
                elif graph.nodes[i].name in params:
                    biases.append(graph.nodes[i].name)
                else:
                    return None
        elif node.op == "mul":
            a, b = (graph.nodes[i] for i in node.inputs)
            if node.inputs[0] in inside or node.inputs[1] in inside:
                return None
            if (a.name in params) == (b.name in params):
                return None
            weight, source = (a, b) if a.name in params else (b, a)
            weights.append(weight.name)
            inputs.append(source.name)
        else:
            return None
    return (weights, inputs, biases) if weights else None


def find_neurons(scenario: Scenario) -> dict[str, Neuron]:
    """Weighted-sum node name -> its neuron, in the author's order."""
    graph = scenario.graph
    found: dict[str, Neuron] = {}
    activation_of: dict[str, tuple[str, str]] = {}
    for name, members in graph.groups.items():
        if len(members) == 1:
            node = graph.nodes[members[0]]
            if node.op in ACTIVATIONS and len(node.inputs) == 1:
                source = graph.nodes[node.inputs[0]].name
                activation_of.setdefault(source, (name, node.op))
    for name in scenario.nodes:
        shape = _weighted_sum(scenario, name)
        if shape is None:
            continue
        weights, inputs, biases = shape
        output, activation = activation_of.get(name, (name, "identity"))
        found[name] = Neuron(output, name, activation, tuple(weights), tuple(inputs), tuple(biases))
    return found


def network_of(scenario: Scenario) -> Network | None:
    """The scenario's net: its declared layers, else the neurons inferred from its nodes.

    Without numpy (unlike the trainer): the view key's label asks this for every first frame.
    """
    from tutor.engine.neurons import from_layers, infer

    if scenario.layers:
        return from_layers(scenario.graph, scenario.layers)
    return infer(scenario.graph)
