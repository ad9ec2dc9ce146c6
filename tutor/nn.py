"""Neurons, layers and nets of ``tutor.Value``, as micrograd's ``nn`` has them, with the activation a choice.

``Neuron(nin)`` is activation(b + Σ wᵢ·xᵢ): weights uniform in (−1, 1) from
Python's ``random`` (drawn in micrograd's order, so ``random.seed(s)`` gives
micrograd's very weights), bias 0, the weighted sum written as micrograd
writes it. ``MLP(nin, nouts)`` is micrograd's net: ReLU layers and a linear
last layer; ``activation=`` and ``last=`` choose others (``relu``, ``tanh``,
``sigmoid``, ``identity``). ``tutor.show(loss, model.parameters())`` then
finds every neuron for the neuron view. ``zero_grad()`` and ``parameters()``
are micrograd's.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from tutor.engine.value import Value

ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity")
"""The activations a neuron may have; ``identity`` leaves its weighted sum as it is."""

_SHOWN = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "identity": "Linear"}


class Module:
    """Something with parameters: ``zero_grad()`` sets their gradients to 0 before a new backward pass."""

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        return []


class Neuron(Module):
    """activation(b + w₁·x₁ + … + wₙ·xₙ), with ``nin`` weights and one bias."""

    def __init__(self, nin: int, nonlin: bool = True, activation: str = "relu") -> None:
        _check_count(nin, "nin")
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.activation = _checked(activation) if nonlin else "identity"

    @property
    def nonlin(self) -> bool:
        """micrograd's flag: False for a linear neuron."""
        return self.activation != "identity"

    def __call__(self, x: Sequence[Value | float]) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, not {len(x)}")
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act if self.activation == "identity" else getattr(act, self.activation)()

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{_SHOWN[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs; numbers given as inputs become one Value each, shared."""

    def __init__(self, nin: int, nout: int, **kwargs) -> None:
        _check_count(nout, "nout")
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        x = [xi if isinstance(xi, Value) else Value(xi) for xi in x]
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers of neurons: ``activation`` in every layer but the last, which has ``last`` (micrograd's net:
    ReLU, then linear)."""

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu", last: str = "identity") -> None:
        _check_count(nin, "nin")
        if not nouts:
            raise ValueError("nouts must list at least one layer's size, e.g. MLP(2, [16, 16, 1])")
        _checked(activation)
        _checked(last)
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation=activation if i < len(nouts) - 1 else last)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def _checked(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}: choose one of {', '.join(ACTIVATIONS)}")
    return activation


def _check_count(n: object, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{what} must be a whole number of at least 1, not {n!r}")
