"""The scenario's network as lessons speak of it: its neurons, their deltas and how they are named.

A neuron (found by ``tutor.engine.network``) is a named weighted sum
``z = w₁·x₁ + w₂·x₂ + … + b`` (every product has exactly one param, the
weight; a lone param added is the bias), optionally followed by a named
activation node ``h = sigmoid(z)`` (or tanh, relu, identity). Its delta δ is
the gradient of the output at the weighted sum: δ = (error arriving at h) ×
activation′, or ∂loss/∂z itself for an identity neuron. Then ∂loss/∂w = δ·x,
∂loss/∂b = δ, and each input x receives δ·w.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine.network import Network, Neuron, from_layers, infer, named_neurons

if TYPE_CHECKING:
    from tutor.scenario import Scenario

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def network_of(scenario: Scenario) -> Network | None:
    """The scenario's net: its declared layers, else the neurons inferred from its nodes (None if it has none)."""
    if scenario.layers:
        return from_layers(scenario.graph, scenario.layers)
    return infer(scenario.graph)


def weighted_sums(scenario: Scenario) -> dict[str, Neuron]:
    """Weighted-sum node name -> its neuron, in the author's order (empty for a scenario with no params)."""
    if not scenario.params:
        return {}  # a neuron weighs its inputs by params
    return {neuron.z: neuron for neuron in named_neurons(scenario.graph)}


def delta_name(neuron: Neuron) -> str:
    """The delta's name as the learner reads it, e.g. ``δ(h1)``: named after the neuron's output."""
    return f"δ({neuron.name})"


def weight_symbol(input_name: str) -> str:
    """``wⱼ₁`` for the input x1: neuron j's weight on that input."""
    digits = input_name[len(input_name.rstrip("0123456789")):]
    return f"wⱼ{digits.translate(_SUBSCRIPTS)}" if digits else f"wⱼ({input_name})"
