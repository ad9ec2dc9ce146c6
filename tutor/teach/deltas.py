"""Neurons in a scenario, as the lessons speak of them: deltas and their names.

A neuron (see ``tutor.engine.neurons``) is a named weighted sum
``z = w₁·x₁ + w₂·x₂ + … + b`` (every product has exactly one param, the
weight; a lone param added is the bias), optionally followed by a named
activation node ``h = sigmoid(z)`` (or tanh, relu, identity). Its delta δ is
the gradient of the output at the weighted sum: δ = (error arriving at h) ×
activation′, or ∂loss/∂z itself for an identity neuron. Then ∂loss/∂w = δ·x,
∂loss/∂b = δ, and each input x receives δ·w.

The engine finds the neurons; this module only names them for the learner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.scenario import Scenario

if TYPE_CHECKING:
    from tutor.engine.neurons import Network, Neuron


def delta_name(neuron: Neuron) -> str:
    """The delta's name as the learner reads it, e.g. ``δ(h1)``: named after the neuron's output."""
    return f"δ({neuron.name})"


def find_neurons(scenario: Scenario) -> dict[str, Neuron]:
    """Weighted-sum node name -> its neuron, in the author's order."""
    from tutor.engine.neurons import named_neurons

    return {neuron.z: neuron for neuron in named_neurons(scenario.graph)}


def network_of(scenario: Scenario) -> Network | None:
    """The scenario's net: its declared layers, else the neurons inferred from its nodes.

    Without numpy (unlike the trainer): the view key's label asks this for every first frame.
    """
    from tutor.engine.neurons import from_layers, infer

    if scenario.layers:
        return from_layers(scenario.graph, scenario.layers)
    return infer(scenario.graph)
