"""The batch engine on softmax layers: the fused layer and the cross-entropy step against the node-by-node
batch path, the scalar engine and torch (float64), over single passes and whole training runs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from tests.unit.test_batch import _scalar_epochs
from tests.unit.test_batch_layers import compare, fused_names
from tutor.engine.batch import BatchEngine, Trainer, data_table
from tutor.engine.batch_plan import training_plan
from tutor.engine.cross_entropy import find
from tutor.engine.trace import run
from tutor.scenario import loads, resolve

torch = pytest.importorskip("torch")
torch.set_num_threads(1)  # these tensors are tiny: more threads only wait for each other on a busy machine

CE = "-(t1 * log(a2_1) + t2 * log(a2_2) + t3 * log(a2_3))"


def net(loss: str = CE, sizes: tuple[int, int] = (4, 3), seed: int = 3, hidden: str = "tanh") -> str:
    targets = ", ".join(f"t{k}: 0" for k in range(1, sizes[1] + 1))
    return (f"inputs: {{x1: 0.3, x2: -0.2, {targets}}}\nnetwork:\n  inputs: [x1, x2]\n  seed: {seed}\n  layers:\n"
            f"    - {{size: {sizes[0]}, activation: {hidden}}}\n    - {{size: {sizes[1]}, activation: softmax}}\n"
            f"nodes:\n  loss: {loss}\noutput: loss\n")


def one_hot_rows(count: int, classes: int = 3, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    points = rng.normal(0, 1.2, size=(count, 2))
    return np.column_stack([points, np.eye(classes)[rng.integers(0, classes, count)]])


COLUMNS = ("x1", "x2", "t1", "t2", "t3")

LOSSES = [
    CE,
    "-(log(a2_3) * t3 + t1 * log(a2_1) + log(a2_2) * t2)",  # terms in any order
    "-t1 * log(a2_1) - t2 * log(a2_2) - t3 * log(a2_3)",
    "-log(a2_2)",  # one class, always
    "-0.5 * (t1 * log(a2_1) + t2 * log(a2_2)) - log(a2_3) / 2",
    "0.5 * (" + CE + ") + 0.1 * t1",  # the cross-entropy read by another node
    CE + " + 0.01 * w2_1_1 ** 2",  # weight decay: w2_1_1 read twice, neuron a2_1 cannot be a matrix row
    CE + " + a2_1 * a2_2",  # a probability read outside the loss too
    "(a2_1 - t1) ** 2 + (a2_2 - t2) ** 2 + (a2_3 - t3) ** 2",  # not a cross-entropy: the Jacobian
    "-(t1 * t1 * log(a2_1) + t2 * log(a2_2))",  # not linear in the targets: the general chain rule
]


@pytest.mark.parametrize("loss", LOSSES)
def test_a_softmax_layer_runs_as_matrices_with_the_numbers_of_its_nodes(loss: str) -> None:
    scenario = loads(net(loss))
    engine = compare(scenario.graph, COLUMNS, one_hot_rows(9))
    if "w2_1_1" in loss:  # its sums z2_2 and z2_3 as a matrix, the softmax node by node
        assert fused_names(engine) == {"a1_1", "a1_2", "a1_3", "a1_4", "z2_2", "z2_3"}
        return
    assert fused_names(engine) == {"a1_1", "a1_2", "a1_3", "a1_4", "a2_1", "a2_2", "a2_3"}
    softmax = engine.layers[-1]
    assert softmax.activation == "softmax" and len(softmax.shared) == 10  # 2 max, 3 sub, 3 exp, 2 add


@pytest.mark.parametrize("loss", [*LOSSES, "-(w2_1_1 * log(a2_1))", "-log(a2_1) * log(a2_2)"])
def test_training_passes_give_the_mean_gradients_of_the_node_by_node_path(loss: str) -> None:
    scenario = loads(net(loss))
    graph = scenario.graph
    fast, slow = BatchEngine(graph), BatchEngine(graph, layers=False)
    for rows in (7, 1, 7):
        matrix = one_hot_rows(rows, seed=rows)
        leaves = {graph.index[c]: matrix[:, j] for j, c in enumerate(COLUMNS)}
        expected = slow.param_grads(slow.run(leaves, rows, params_only=True))
        assert fast.mean_grads(leaves, rows) == pytest.approx(expected, rel=1e-10, abs=1e-14)
        mean = float(np.mean(slow.run(leaves, rows).column(graph.output)))
        assert fast.output_mean(leaves, rows) == pytest.approx(mean, rel=1e-12)


def test_the_cross_entropy_is_recognised_in_its_written_forms() -> None:
    for loss in LOSSES[:8]:
        scenario = loads(net(loss))
        graph = scenario.graph
        outputs = tuple(graph.index[f"a2_{k}"] for k in (1, 2, 3))
        found = find(graph, outputs)
        assert found is not None, loss
        assert graph.nodes[found.root].name.startswith("loss"), loss
        assert (found.root == graph.output) == (loss.startswith("-") and "+ a2_1" not in loss and "w2" not in loss)
        weights = [0.0, 0.0, 0.0]
        leaves = {"t1": 0.2, "t2": 0.3, "t3": 0.5}
        for term in found.terms:
            weights[term.output] += term.scale * (leaves[graph.nodes[term.leaf].name] if term.leaf >= 0 else 1)
        p = run(graph, leaves)
        logs = [math.log(p.value(f"a2_{k}")) for k in (1, 2, 3)]
        assert p.value(graph.nodes[found.root].name) == pytest.approx(sum(w * g for w, g in zip(weights, logs)))
    steps = training_plan(graph, *_scheduled(graph))
    assert any(type(step).__name__ == "CrossEntropyStep" for step in steps.forward)
    for loss in [LOSSES[-2], "-log(a2_1 + 0)", "-log(sigmoid(a2_1))"]:
        scenario = loads(net(loss))
        outputs = tuple(scenario.graph.index[f"a2_{k}"] for k in (1, 2, 3))
        assert find(scenario.graph, outputs) is None, loss
    # a log-probability read by anything else is still Σ c·log p on its own: its gradient at z is c − p·Σc
    for loss in ["-(w2_1_1 * log(a2_1))", "-log(a2_1) * log(a2_2)"]:
        scenario = loads(net(loss))
        found = find(scenario.graph, tuple(scenario.graph.index[f"a2_{k}"] for k in (1, 2, 3)))
        assert "log" in [scenario.graph.nodes[i].op for i in found.nodes] and found.root != scenario.graph.output
    # t1·t1·log p1 is not linear in the targets: only the term t2·log p2 is the cross-entropy's
    scenario = loads(net(LOSSES[-1]))
    found = find(scenario.graph, tuple(scenario.graph.index[f"a2_{k}"] for k in (1, 2, 3)))
    assert [(t.output, t.scale, scenario.graph.nodes[t.leaf].name) for t in found.terms] == [(1, 1.0, "t2")]


def _scheduled(graph):
    engine = BatchEngine(graph)
    return engine.layers, engine._steps


def test_a_softmax_whose_nodes_are_read_elsewhere_keeps_only_its_sums_as_a_matrix() -> None:
    scenario = loads(net(CE + " + 0.1 * s2 + m2"))
    engine = compare(scenario.graph, COLUMNS, one_hot_rows(6))
    assert [layer.activation for layer in engine.layers] == ["tanh", "identity"]
    assert fused_names(engine) == {"a1_1", "a1_2", "a1_3", "a1_4", "z2_1", "z2_2", "z2_3"}


def test_a_hidden_softmax_written_by_hand_runs_as_matrices() -> None:
    text = """
inputs: {x: 0.5, t: 1}
params: {w1: 0.3, b1: 0.1, w2: -0.2, b2: 0.4, v1: 0.7, v2: -0.5, c: 0.2}
nodes:
  z1: w1 * x + b1
  z2: w2 * x + b2
  m: max(z1, z2)
  e1: exp(z1 - m)
  e2: exp(z2 - m)
  s: e1 + e2
  p1: e1 / s
  p2: e2 / s
  y: sigmoid(v1 * p1 + v2 * p2 + c)
  loss: (y - t) ** 2
output: loss
"""
    scenario = loads(text)
    matrix = np.random.default_rng(4).normal(0, 2, (5, 2))
    engine = compare(scenario.graph, ("x", "t"), matrix)
    assert [layer.activation for layer in engine.layers] == ["softmax", "sigmoid"]
    assert engine.layers[1].chain == 0  # the sigmoid reads the softmax's matrix
    leaves = {scenario.graph.index["x"]: matrix[:, 0], scenario.graph.index["t"]: matrix[:, 1]}
    slow = BatchEngine(scenario.graph, layers=False)
    expected = slow.param_grads(slow.run(leaves, 5, params_only=True))
    assert engine.mean_grads(leaves, 5) == pytest.approx(expected, rel=1e-12, abs=1e-15)


# --- training runs: against the slow path, the scalar engine and torch -----------------------

SPIRALISH = (
    net(sizes=(6, 3), seed=11) + "learning_rate: 0.5\ndata:\n  columns: [x1, x2, t1, t2, t3]\n  rows:\n"
    + "".join(f"    - [{r[0]:.3f}, {r[1]:.3f}, {int(r[2])}, {int(r[3])}, {int(r[4])}]\n" for r in one_hot_rows(13, seed=5))
)


@pytest.mark.parametrize("batch, shuffle", [(None, None), (4, None), (5, 3), (1, None)])
def test_training_on_a_softmax_net_is_the_same_every_way(batch, shuffle) -> None:
    scenario = loads(SPIRALISH)
    table = data_table(scenario.graph, scenario.data.columns, scenario.data.rows)
    fast = Trainer(scenario.graph, table, 0.5, batch, shuffle)
    slow = Trainer(scenario.graph, table, 0.5, batch, shuffle, layers=False)
    fast.train(5)
    slow.train(5)
    assert fast.losses == pytest.approx(slow.losses, rel=1e-12)
    assert fast.param_values() == pytest.approx(slow.param_values(), rel=1e-11, abs=1e-14)
    if shuffle is None:
        losses, params = _scalar_epochs(scenario, scenario.data.rows, 0.5, batch or 13, 5)
        assert fast.losses == pytest.approx(losses, rel=1e-10)
        assert fast.param_values() == pytest.approx(params, rel=1e-9, abs=1e-13)


def _torch_net(scenario, params: dict[str, float]):
    """The scenario's 2-H-K net as torch tensors (float64) from the tutor's param values."""
    hidden = len([n for n in params if n.startswith("b1_")])
    classes = len([n for n in params if n.startswith("b2_")])
    tensor = lambda rows: torch.tensor(rows, dtype=torch.float64, requires_grad=True)  # noqa: E731
    w1 = tensor([[params[f"w1_{j}_{i}"] for i in (1, 2)] for j in range(1, hidden + 1)])
    b1 = tensor([params[f"b1_{j}"] for j in range(1, hidden + 1)])
    w2 = tensor([[params[f"w2_{k}_{j}"] for j in range(1, hidden + 1)] for k in range(1, classes + 1)])
    b2 = tensor([params[f"b2_{k}"] for k in range(1, classes + 1)])
    return [w1, b1, w2, b2]


def _torch_loss(tensors, x, t):
    w1, b1, w2, b2 = tensors
    scores = torch.tanh(x @ w1.T + b1) @ w2.T + b2
    return -(t * torch.log_softmax(scores, dim=1)).sum(dim=1).mean()


def _torch_training(scenario, params, rows: np.ndarray, lr: float, batch: int, epochs: int):
    tensors = _torch_net(scenario, params)
    x, t = torch.tensor(rows[:, :2]), torch.tensor(rows[:, 2:])
    losses = []
    for _ in range(epochs):
        for start in range(0, len(rows), batch):
            loss = _torch_loss(tensors, x[start : start + batch], t[start : start + batch])
            for tensor in tensors:
                tensor.grad = None
            loss.backward()
            with torch.no_grad():
                for tensor in tensors:
                    tensor -= lr * tensor.grad
        with torch.no_grad():
            losses.append(_torch_loss(tensors, x, t).item())
    return losses, tensors


def _same_params(trainer: Trainer, tensors, tolerance: float) -> None:
    w1, b1, w2, b2 = (tensor.detach().numpy() for tensor in tensors)
    values = trainer.param_values()
    for (j, i), w in np.ndenumerate(w1):
        assert values[f"w1_{j + 1}_{i + 1}"] == pytest.approx(w, abs=tolerance)
    for (k, j), w in np.ndenumerate(w2):
        assert values[f"w2_{k + 1}_{j + 1}"] == pytest.approx(w, abs=tolerance)
    assert [values[f"b1_{j + 1}"] for j in range(len(b1))] == pytest.approx(b1, abs=tolerance)
    assert [values[f"b2_{k + 1}"] for k in range(len(b2))] == pytest.approx(b2, abs=tolerance)


@pytest.mark.parametrize("batch", [None, 10])
def test_the_spiral_trains_as_torch_does_for_300_epochs(batch: int | None) -> None:
    """In one batch, and in the lesson's own batches of 10."""
    spiral = resolve("spiral")
    assert spiral.batch_size == 10
    rows = np.asarray(spiral.data.rows)
    table = data_table(spiral.graph, spiral.data.columns, rows)
    trainer = Trainer(spiral.graph, table, spiral.learning_rate, batch)
    trainer.train(300)
    losses, tensors = _torch_training(spiral, trainer.initial_params(), rows, spiral.learning_rate,
                                      batch or len(rows), 300)
    assert np.max(np.abs(np.array(trainer.losses) - losses)) < 1e-9
    _same_params(trainer, tensors, 1e-9)


@pytest.mark.parametrize("batch", [7, 32])
def test_mini_batches_train_as_torch_does(batch: int) -> None:
    scenario = loads(SPIRALISH)
    rows = one_hot_rows(60, seed=8)
    trainer = Trainer(scenario.graph, data_table(scenario.graph, COLUMNS, rows), 0.8, batch)
    trainer.train(40)
    losses, tensors = _torch_training(scenario, trainer.initial_params(), rows, 0.8, batch, 40)
    assert np.max(np.abs(np.array(trainer.losses) - losses)) < 1e-9
    _same_params(trainer, tensors, 1e-9)


def test_one_row_of_the_trace_is_torchs_row() -> None:
    """``trace --row K``: the scalar engine's values and gradients for one row are torch's for that row."""
    spiral = resolve("spiral")
    k = 57
    row = dict(zip(spiral.data.columns, spiral.data.rows[k - 1]))
    trace = run(spiral.graph, row)
    params = {name: spiral.graph.node(name).value for name in spiral.params}
    tensors = _torch_net(spiral, params)
    x = torch.tensor([[row["x1"], row["x2"]]], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([[row["t1"], row["t2"], row["t3"]]], dtype=torch.float64)
    w1, b1, w2, b2 = tensors
    hidden = torch.tanh(x @ w1.T + b1)
    scores = hidden @ w2.T + b2
    scores.retain_grad()
    probabilities = torch.softmax(scores, dim=1)
    loss = -(t * torch.log(probabilities)).sum()
    loss.backward()
    assert trace.output_value == pytest.approx(loss.item(), abs=1e-12)
    for k in (1, 2, 3):
        assert trace.value(f"a2_{k}") == pytest.approx(probabilities[0, k - 1].item(), abs=1e-14)
        assert trace.grad(f"z2_{k}") == pytest.approx(scores.grad[0, k - 1].item(), abs=1e-12)
    for j in range(1, 9):
        assert trace.value(f"a1_{j}") == pytest.approx(hidden[0, j - 1].item(), abs=1e-14)
        assert trace.grad(f"b1_{j}") == pytest.approx(b1.grad[j - 1].item(), abs=1e-12)
        assert trace.grad(f"w2_2_{j}") == pytest.approx(w2.grad[1, j - 1].item(), abs=1e-12)
    assert trace.grad("x1") == pytest.approx(x.grad[0, 0].item(), abs=1e-12)


def test_a_log_of_zero_stops_training_with_words_not_numpy_warnings() -> None:
    scenario = loads(net("-log(a2_1 * t1)") + "data:\n  columns: [x1, x2, t1, t2, t3]\n"
                     "  rows: [[0.1, 0.2, 1, 0, 0], [0.3, -0.1, 0, 1, 0]]\n")
    table = data_table(scenario.graph, scenario.data.columns, scenario.data.rows)
    for layers in (True, False):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a numpy RuntimeWarning would fail the test
            trainer = Trainer(scenario.graph, table, 0.5, layers=layers)
            trainer.train(3)
        assert trainer.stopped and trainer.epochs == 0
        assert "from loss.log1 = log(0) = -inf in row 2" in trainer.warning, trainer.warning
        assert "training cannot start" in trainer.warning


def test_train_epochs_says_where_a_log_of_zero_happened(tmp_path, capsys) -> None:
    """A saturated sigmoid makes 1 − y exactly 0 in a hand-written cross-entropy: one warning in words."""
    import json

    from tutor.cli import main

    path = tmp_path / "logistic.yaml"
    path.write_text("inputs: {x: 1, t: 1}\nparams: {w: 0.5}\nnodes:\n  y: sigmoid(w * x)\n"
                    "  loss: -(t * log(y) + (1 - t) * log(1 - y))\noutput: loss\nlearning_rate: 5\n"
                    "data:\n  columns: [x, t]\n  rows: [[1, 1], [0, 0], [60, 1], [-80, 0]]\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["train", str(path), "--epochs", "3", "--json"]) == 0
    (warning,) = json.loads(capsys.readouterr().out)["warnings"]
    assert warning.startswith("the loss is nan after epoch 1, from loss.log2 = log(0) = -inf in row 3")
    assert "keep the log's argument above 0" in warning
