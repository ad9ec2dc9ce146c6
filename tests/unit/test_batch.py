"""The numpy batch engine against the scalar engine, row by row and on the mean,
and batch training against a hand-written loop over the scalar engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.unit.test_ops import POINTS
from tutor.engine.batch import BatchEngine, Trainer, data_table
from tutor.engine.ops import OPS, evaluate, local_derivative
from tutor.engine.trace import run
from tutor.scenario import builtin_names, loads, resolve

# Points where the scalar helpers give inf or nan: the arrays must agree there too.
TROUBLE = {
    "div": [(1.0, 0.0), (-1.0, 0.0), (0.0, 0.0)],
    "reciprocal": [(0.0,), (-0.0,)],
    "exp": [(1000.0,), (-1000.0,)],
    "log": [(0.0,), (-1.0,)],
    "pow": [(-2.0, 0.5), (0.0, -1.0)],
    "powc": [(0.0,), (-8.0,)],
    "sigmoid": [(800.0,), (-800.0,)],
    "relu": [(math.nan,), (0.0,)],
    "max": [(math.nan, 1.0), (2.0, 2.0)],
    "min": [(math.nan, 1.0), (2.0, 2.0)],
}


def _same(a: float, b: float, tiny: float = 1e-300) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    # numpy's tanh and exp may differ from math's in the last bits
    return a == pytest.approx(b, rel=1e-9, abs=tiny)


GRAD_NOISE = 1e-12
"""A gradient that is 0 in exact arithmetic comes out as rounding noise that no two computations share:
a softmax's largest score m gets −Σₖ ∂L/∂(z_k − m), which is 0 (the softmax does not change when every
score moves together) but about 1e-16 here and -1e-16 there."""


@pytest.mark.parametrize("name", sorted(OPS))
def test_array_op_matches_scalar_op(name: str) -> None:
    op = OPS[name]
    assert op.array_forward is not None and len(op.array_derivatives) == op.arity
    points = list(POINTS[name]) + [(p, 0.5 if name == "powc" else 0.0) for p in TROUBLE.get(name, [])]
    columns = [np.array([p[0][i] for p in points]) for i in range(op.arity)]
    for param in sorted({p[1] for p in points}):
        chosen = [k for k, p in enumerate(points) if p[1] == param]
        arrays = tuple(c[chosen] for c in columns)
        with np.errstate(all="ignore"):
            out = np.broadcast_to(op.array_forward(arrays, param), (len(chosen),))
            locals_ = [np.broadcast_to(d(arrays, out, param), (len(chosen),)) for d in op.array_derivatives]
        for row, k in enumerate(chosen):
            inputs = points[k][0]
            value = evaluate(op, inputs, param)
            assert _same(float(out[row]), value), (name, inputs, param)
            for i in range(op.arity):
                assert _same(float(locals_[i][row]), local_derivative(op, inputs, value, param, i)), (name, inputs, i)


def _rows(scenario, count: int, seed: int = 0) -> tuple[tuple[str, ...], np.ndarray]:
    """``count`` random rows over every input of the scenario, near its own values."""
    columns = tuple(scenario.inputs)
    rng = np.random.default_rng(seed)
    base = np.array([scenario.inputs[c] for c in columns])
    return columns, base + rng.normal(0, 0.5, size=(count, len(columns)))


@pytest.mark.parametrize("name", builtin_names())
def test_batch_pass_equals_scalar_engine_row_by_row_and_on_the_mean(name: str) -> None:
    scenario = resolve(name)
    graph = scenario.graph
    columns, matrix = _rows(scenario, 7)
    engine = BatchEngine(graph)
    leaves = {graph.index[c]: matrix[:, j] for j, c in enumerate(columns)}
    result = engine.run(leaves, 7)
    mean_grads = np.zeros(len(graph.params))
    for row in range(7):
        trace = run(graph, {c: float(matrix[row, j]) for j, c in enumerate(columns)})
        for node in graph.nodes:
            assert _same(float(result.column(node.index)[row]), trace.values[node.index]), (name, node.name)
            if node.kind in ("input", "param") or node.name in graph.groups:
                grad = float(result.column(node.index, "grads")[row])
                assert _same(grad, trace.grads[node.index], GRAD_NOISE), node.name
        mean_grads += np.array([trace.grads[p.index] for p in graph.params]) / 7
    assert np.allclose(engine.param_grads(result), mean_grads, rtol=1e-9, atol=1e-15)


def _scalar_epochs(scenario, rows, lr: float, batch: int, epochs: int) -> tuple[list[float], dict[str, float]]:
    """Training written out the slow, obvious way: the scalar engine, one row at a time."""
    graph = scenario.graph
    columns = scenario.data.columns if scenario.data else tuple(scenario.inputs)
    params = {p.name: p.value for p in graph.params}

    def mean_loss() -> float:
        return sum(run(graph, {**params, **dict(zip(columns, r))}).output_value for r in rows) / len(rows)

    losses = []
    for _ in range(epochs):
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            totals = dict.fromkeys(params, 0.0)
            for r in chunk:
                trace = run(graph, {**params, **dict(zip(columns, r))})
                for p in params:
                    totals[p] += trace.grad(p)
            # every param moves at once, by the mean gradient over the batch
            params = {p: params[p] - lr * totals[p] / len(chunk) for p in params}
        losses.append(mean_loss())
    return losses, params


XOR_NET = """
inputs: {x1: 0, x2: 0, t: 0}
network:
  inputs: [x1, x2]
  seed: 5
  layers:
    - {size: 3, activation: tanh}
    - {size: 1, activation: sigmoid}
nodes:
  loss: 0.5 * (a2_1 - t) ** 2
output: loss
learning_rate: 0.5
data:
  columns: [x1, x2, t]
  rows: [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0], [0.5, 0.5, 0], [0.2, 0.9, 1], [0.9, 0.1, 1]]
"""


@pytest.mark.parametrize("batch", [1, 3, 7, 100])
def test_training_matches_a_hand_written_loop(batch: int) -> None:
    scenario = loads(XOR_NET)
    rows = scenario.data.rows
    trainer = Trainer(scenario.graph, data_table(scenario.graph, scenario.data.columns, rows), 0.5, batch)
    expected_initial = sum(run(scenario.graph, dict(zip(scenario.data.columns, r))).output_value for r in rows) / 7
    assert trainer.initial_loss == pytest.approx(expected_initial, rel=1e-12)
    trainer.train(4)
    losses, params = _scalar_epochs(scenario, rows, 0.5, batch, 4)
    assert trainer.losses == pytest.approx(losses, rel=1e-10)
    assert trainer.param_values() == pytest.approx(params, rel=1e-10)
    assert trainer.steps == 4 * math.ceil(7 / batch)  # the last batch may be smaller


def test_shuffle_is_reproducible_and_only_with_a_seed() -> None:
    scenario = loads(XOR_NET)
    table = data_table(scenario.graph, scenario.data.columns, scenario.data.rows)
    in_order = Trainer(scenario.graph, table, 0.5, 2)
    assert [b for b in in_order.batches()] == [slice(0, 2), slice(2, 4), slice(4, 6), slice(6, 7)]
    first = Trainer(scenario.graph, table, 0.5, 2, shuffle=3)
    second = Trainer(scenario.graph, table, 0.5, 2, shuffle=3)
    first.train(3)
    second.train(3)
    in_order.train(3)
    assert first.losses == second.losses
    assert first.losses != in_order.losses
    first.reset()
    first.train(3)
    assert first.losses == second.losses


def test_overflow_stops_training_with_a_warning_not_a_traceback() -> None:
    # A linear fit with far too large a step: every step overshoots further.
    scenario = loads(
        "inputs: {x: 0, t: 0}\nparams: {w: 0.5}\nnodes:\n  loss: (w * x - t) ** 2\noutput: loss\n"
        "data:\n  columns: [x, t]\n  rows: [[10, 1], [20, 2]]\n"
    )
    table = data_table(scenario.graph, scenario.data.columns, scenario.data.rows)
    trainer = Trainer(scenario.graph, table, 10.0, None)
    losses = trainer.train(500)
    assert trainer.stopped and "training stopped" in trainer.warning
    assert len(losses) < 500
    assert not all(math.isfinite(v) for v in [*trainer.param_values().values(), losses[-1]])


def test_reset_returns_to_the_start() -> None:
    scenario = loads(XOR_NET)
    table = data_table(scenario.graph, scenario.data.columns, scenario.data.rows)
    trainer = Trainer(scenario.graph, table, 0.5)
    start = trainer.param_values()
    trainer.train(5)
    assert trainer.param_values() != start
    trainer.reset()
    assert trainer.param_values() == start and trainer.losses == [] and trainer.epochs == 0
