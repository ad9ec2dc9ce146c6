"""micrograd's nn.py, run unchanged on tutor.Value, trains its demo net to micrograd's numbers; tutor.nn."""

from __future__ import annotations

import math
import random
import types
from pathlib import Path

import micrograd.engine
import micrograd.nn
import pytest

import tutor
from tutor import Value
from tutor.engine.network import infer
from tutor.scenario.dump import scenario_of


def micrograd_nn_on(value_module: str) -> types.ModuleType:
    """micrograd's own nn.py, its one import switched to ``value_module``'s Value."""
    source = Path(micrograd.nn.__file__).read_text(encoding="utf-8")
    assert "from micrograd.engine import Value" in source
    module = types.ModuleType(f"nn_on_{value_module}")
    exec(source.replace("from micrograd.engine import Value", f"from {value_module} import Value"), module.__dict__)
    return module


def moons(n: int = 20, seed: int = 5) -> tuple[list[list[float]], list[int]]:
    """Two interleaved half circles with noise, labels -1 and 1 (the demo's data set, made without sklearn)."""
    rng = random.Random(seed)
    X, y = [], []
    for k in range(n):
        t = math.pi * rng.random()
        if k % 2:
            X.append([math.cos(t) + rng.gauss(0, 0.1), math.sin(t) + rng.gauss(0, 0.1)])
            y.append(-1)
        else:
            X.append([1 - math.cos(t) + rng.gauss(0, 0.1), 0.5 - math.sin(t) + rng.gauss(0, 0.1)])
            y.append(1)
    return X, y


def demo_loss(model, V, X, y):
    """micrograd's demo.ipynb loss, as written there: SVM max-margin plus L2 regularisation."""
    inputs = [list(map(V, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum((p * p for p in model.parameters()))
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
    return total_loss, sum(accuracy) / len(accuracy)


def train(nn, V, steps: int = 4) -> tuple[list[float], list[float]]:
    """The demo's optimisation loop for a few steps: losses, then the final parameters."""
    X, y = moons()
    random.seed(1337)
    model = nn.MLP(2, [16, 16, 1])
    losses = []
    for k in range(steps):
        total_loss, acc = demo_loss(model, V, X, y)
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        losses.append(total_loss.data)
    return losses, [p.data for p in model.parameters()]


def test_micrograd_s_nn_trains_to_micrograd_s_losses_and_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    ours = train(micrograd_nn_on("tutor"), Value)
    real = train(micrograd.nn, micrograd.engine.Value)
    # The first loss is computed before any gradient: the same operations in the same order, the same float.
    assert ours[0][0] == real[0][0]
    # micrograd adds a fan-out's contributions in the order its sets hold them, which depends on memory
    # addresses: its own last bits move from run to run. Within that, the same numbers:
    assert ours[0] == pytest.approx(real[0], rel=1e-12)
    assert ours[1] == pytest.approx(real[1], rel=1e-12, abs=1e-15)
    assert ours[0][-1] < ours[0][0]

    # With its sets made insertion-ordered (a dict's keys: no other change), micrograd adds in the order
    # the nodes were made, as tutor.Value does: every loss and every parameter, to the last bit.
    made = micrograd.engine.Value.__init__

    def ordered_init(self, data, _children=(), _op=""):
        made(self, data, _children, _op)
        self._prev = dict.fromkeys(_children)

    monkeypatch.setattr(micrograd.engine.Value, "__init__", ordered_init)
    ordered = train(micrograd.nn, micrograd.engine.Value)
    assert ours == ordered


def test_tutor_nn_draws_micrograd_s_weights_and_computes_its_numbers() -> None:
    random.seed(42)
    theirs = micrograd.nn.MLP(3, [4, 4, 1])
    random.seed(42)
    ours = tutor.nn.MLP(3, [4, 4, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert repr(ours) == repr(theirs)
    x = [2.0, 3.0, -1.0]
    assert ours(x).data == theirs(x).data
    assert len(ours.parameters()) == 4 * 4 + 4 * 5 + 5 == 41


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
def test_every_activation_is_a_neuron_the_neuron_view_finds(activation: str) -> None:
    random.seed(0)
    model = tutor.nn.MLP(2, [3, 2, 1], activation=activation, last="sigmoid")
    out = model([0.5, -0.25])
    loss = (out - 1) ** 2
    loss.backward()
    scenario = scenario_of(loss, model.parameters())
    network = infer(scenario.graph)
    assert network is not None and network.shape == (2, 3, 2, 1)
    assert {n.activation for n in network.layers[0]} == {activation}
    assert network.layers[-1][0].activation == "sigmoid"
    assert list(scenario.inputs) == ["x1", "x2"]  # numbers given to the net are one shared input each
    hidden = getattr(Value(0.3), activation)() if activation != "identity" else Value(0.3)
    assert model.layers[0].neurons[0].nonlin == (activation != "identity")
    assert hidden.data == pytest.approx({"relu": 0.3, "tanh": math.tanh(0.3), "sigmoid": 1 / (1 + math.exp(-0.3)),
                                         "identity": 0.3}[activation])


def test_zero_grad_and_the_neuron_s_checks() -> None:
    neuron = tutor.nn.Neuron(2, activation="tanh")
    out = neuron([1.0, 2.0])
    out.backward()
    assert any(p.grad != 0 for p in neuron.parameters())
    neuron.zero_grad()
    assert all(p.grad == 0 for p in neuron.parameters())
    assert repr(neuron) == "TanhNeuron(2)" and repr(tutor.nn.Neuron(2, nonlin=False)) == "LinearNeuron(2)"
    with pytest.raises(ValueError, match="this neuron takes 2 inputs, not 3"):
        neuron([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="unknown activation 'softplus': choose one of relu, tanh, sigmoid, identity"):
        tutor.nn.MLP(2, [3, 1], activation="softplus")
    with pytest.raises(ValueError, match="nin must be a whole number of at least 1"):
        tutor.nn.Neuron(0)
    with pytest.raises(ValueError, match="nouts must list at least one layer"):
        tutor.nn.MLP(2, [])
