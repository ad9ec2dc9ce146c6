"""The batch engine's matrix path for layers of neurons: the same numbers as the
node-by-node batch path and as the scalar engine, row by row and on the mean;
refused wherever the matrices would not compute what the nodes do."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_batch import _scalar_epochs
from tutor.engine.batch import BatchEngine, Trainer, data_table
from tutor.engine.graph import Graph
from tutor.engine.trace import run
from tutor.scenario import loads, resolve

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")


def _close(a: np.ndarray, b: np.ndarray, rel: float = 1e-12) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    same_nan = np.array_equal(np.isnan(a), np.isnan(b))
    finite = np.isfinite(a) & np.isfinite(b)
    return bool(same_nan and np.array_equal(a[~finite & ~np.isnan(a)], b[~finite & ~np.isnan(b)])
                and np.allclose(a[finite], b[finite], rtol=rel, atol=1e-14))


def fused_names(engine: BatchEngine) -> set[str]:
    return {engine.graph.nodes[o].name for layer in engine.layers for o in layer.outputs}


def network_text(inputs: int, sizes: list[int], activations: list[str], seed: int, loss: str) -> str:
    names = [f"x{i}" for i in range(1, inputs + 1)]
    layers = "\n".join(f"    - {{size: {s}, activation: {a}}}" for s, a in zip(sizes, activations))
    declared = ", ".join(f"{n}: 0" for n in [*names, "t", "t2"])
    return (f"inputs: {{{declared}}}\nnetwork:\n  inputs: [{', '.join(names)}]\n  seed: {seed}\n  layers:\n{layers}\n"
            f"nodes:\n  loss: {loss}\noutput: loss\n")


def losses(last: int, sizes: list[int], activation: str) -> list[str]:
    """Losses of several forms over the net's outputs (a{last}_j)."""
    out = f"a{last}_1"
    forms = [
        f"0.5 * ({out} - t) ** 2",
        " + ".join(f"(a{last}_{j} - t) ** 2" for j in range(1, sizes[-1] + 1)),
        f"-(t * log(sigmoid({out})) + (1 - t) * log(1 - sigmoid({out})))",
        f"max({out}, t) - min({out} * t2, 0.5) + a1_1 * 0.25",  # a hidden neuron read by the loss too
        f"({out} - t) ** 2 + 0.01 * w{last}_1_1 ** 2",  # weight decay: that weight is used twice
    ]
    if activation != "identity":
        forms.append(f"exp({out}) / (1 + {out} * {out})")
    return forms


def compare(graph: Graph, columns: tuple[str, ...], matrix: np.ndarray) -> BatchEngine:
    """Fast path against the node-by-node batch path (every node) and the scalar engine (row by row)."""
    rows = len(matrix)
    fast, slow = BatchEngine(graph), BatchEngine(graph, layers=False)
    leaves = {graph.index[c]: matrix[:, j] for j, c in enumerate(columns)}
    a, b = fast.run(leaves, rows), slow.run(leaves, rows)
    for node in graph.nodes:
        assert _close(a.column(node.index), b.column(node.index)), ("value", node.name)
        assert _close(a.column(node.index, "grads"), b.column(node.index, "grads")), ("grad", node.name)
    assert _close(fast.param_grads(a), slow.param_grads(b))
    assert _close(fast.param_grads(fast.run(leaves, rows, params_only=True)), slow.param_grads(b))
    mean = np.zeros(len(graph.params))
    for row in range(rows):
        trace = run(graph, {c: float(matrix[row, j]) for j, c in enumerate(columns)})
        for node in graph.nodes:
            assert _close(a.column(node.index)[row], trace.values[node.index], 1e-9), node.name
            if node.kind in ("input", "param") or node.name in graph.groups:
                assert _close(a.column(node.index, "grads")[row], trace.grads[node.index], 1e-9), node.name
        mean += np.array([trace.grads[p.index] for p in graph.params]) / rows
    assert _close(fast.param_grads(a), mean, 1e-9)
    return fast


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    inputs=st.integers(1, 3),
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    acts=st.lists(st.sampled_from(ACTIVATIONS), min_size=3, max_size=3),
    seed=st.integers(0, 1000),
    form=st.integers(0, 5),
    rows=st.integers(1, 9),
)
def test_generated_networks_match_node_by_node_and_scalar(inputs, sizes, acts, seed, form, rows) -> None:
    if len(sizes) == 1 and form == 3:
        sizes = [*sizes, 1]  # a1_1 must be a hidden neuron
    last = len(sizes)
    choices = losses(last, sizes, acts[last - 1])
    loss = choices[form % len(choices)]
    scenario = loads(network_text(inputs, sizes, acts[:last], seed, loss))
    columns = (*(f"x{i}" for i in range(1, inputs + 1)), "t", "t2")
    matrix = np.random.default_rng(seed).normal(0, 1.5, size=(rows, len(columns)))
    engine = compare(scenario.graph, columns, matrix)
    every = {f"a{l}_{j}" for l, s in enumerate(sizes, 1) for j in range(1, s + 1)}
    decayed = {f"a{last}_1"} if "w" + f"{last}_1_1 **" in loss else set()
    assert fused_names(engine) == every - decayed


def test_a_2_16_16_1_net_runs_as_three_chained_layers() -> None:
    text = network_text(2, [16, 16, 1], ["tanh", "tanh", "sigmoid"], 1, "0.5 * (a3_1 - t) ** 2")
    scenario = loads(text)
    engine = compare(scenario.graph, ("x1", "x2", "t"), np.random.default_rng(0).uniform(-1, 1, (50, 3)))
    assert [len(layer.outputs) for layer in engine.layers] == [16, 16, 1]
    assert [layer.chain for layer in engine.layers] == [-1, 0, 1]


def test_tiny_net_hand_written_layers_are_fused_and_keep_every_number() -> None:
    scenario = resolve("tiny_net")
    columns = tuple(scenario.inputs)
    base = np.array([scenario.inputs[c] for c in columns])
    engine = compare(scenario.graph, columns, base + np.random.default_rng(1).normal(0, 0.5, (6, len(columns))))
    assert fused_names(engine) == {"h1", "h2", "h3", "y"}
    result = engine.run({}, 1)
    values = list(result.values)  # iterating fills the nodes inside the neurons
    trace = run(scenario.graph)
    assert all(math.isclose(float(np.asarray(v).ravel()[0]), t, rel_tol=1e-12) for v, t in zip(values, trace.values))
    assert len(result.values[16:20]) == 4


SHARED = """
inputs: {x1: 0.3, x2: -0.4, t: 1}
params: {w: 0.5, u: -0.3, v: 0.8, b1: 0.1, b2: -0.2, p: 0.7, q: -0.6, c: 0.05}
nodes:
  h1: tanh(w * x1 + u * x2 + b1)
  h2: tanh(w * x2 + v * x1 + b2)
  y: p * h1 + q * h2 + c
  loss: (y - t) ** 2
output: loss
"""

SUM_READ_TWICE = """
inputs: {x1: 0.3, x2: -0.4, t: 1}
params: {w1: 0.5, w2: -0.3, b1: 0.1, w3: 0.8, w4: 0.4, b2: -0.2, p: 0.7, q: -0.6, c: 0.05}
nodes:
  z1: w1 * x1 + w2 * x2 + b1
  h1: sigmoid(z1)
  h2: sigmoid(w3 * x1 + w4 * x2 + b2)
  y: p * h1 + q * h2 + c
  loss: (y - t) ** 2 + 0.1 * z1
output: loss
"""

SAME_SOURCE_TWICE = """
inputs: {x1: 0.3, x2: -0.4, t: 1}
params: {w1: 0.5, w2: -0.3, b1: 0.1, w3: 0.8, w4: 0.4, b2: -0.2, p: 0.7, q: -0.6}
nodes:
  h1: relu(w1 * x1 + w2 * x1 + b1)
  h2: relu(w3 * x1 + w4 * x2 + b2)
  y: sigmoid(p * h1 + q * h2)
  loss: (y - t) ** 2
output: loss
"""

INTERLEAVED = """
inputs: {x1: 0.3, x2: -0.4, t: 1}
params: {w1: 0.5, w2: -0.3, w3: 0.8, w4: 0.4, p: 0.7, q: -0.6}
nodes:
  h1: tanh(w1 * x1 + w2 * x2)
  g: h1 * 3
  h2: tanh(w3 * x1 + w4 * x2)
  y: p * g + q * h2
  loss: (y - t) ** 2
output: loss
"""

TWO_HEADS = """
inputs: {x1: 0.3, x2: -0.4, t: 1}
params: {w1: 0.5, w2: -0.3, w3: 0.8, w4: 0.4, b1: 0.1, p: 0.7, q: -0.6, r: 0.2, s: 0.9, c: 0.3}
nodes:
  h1: tanh(w1 * x1 + w2 * x2 + b1)
  h2: tanh(w3 * x1 + w4 * x2)
  y1: sigmoid(p * h1 + q * h2 + c)
  y2: relu(r * h1 + s * h2)
  loss: (y1 - t) ** 2 + y2 * h1
output: loss
"""


@pytest.mark.parametrize("text, refused, fused", [
    (SHARED, {"h1", "h2"}, {"y"}),  # w weighs two neurons
    (SUM_READ_TWICE, {"h1"}, {"h2", "y"}),  # z1 is read by the loss as well
    (SAME_SOURCE_TWICE, {"h1"}, {"h2", "y"}),  # h1 reads x1 twice
    (INTERLEAVED, set(), {"h1", "h2", "y"}),  # g reads h1 before h2 is made: not one step
    (TWO_HEADS, set(), {"h1", "h2", "y1", "y2"}),  # two layers read the same layer's matrix
    (TWO_HEADS.replace("+ y2 * h1", ""), set(), {"h1", "h2", "y1", "y2"}),  # no gradient reaches y2
    (TWO_HEADS.replace("output: loss", "output: y1"), set(), {"h1", "h2", "y1", "y2"}),  # a neuron is the output
])
def test_detection_refuses_what_matrices_would_get_wrong(text: str, refused: set[str], fused: set[str]) -> None:
    scenario = loads(text)
    columns = ("x1", "x2", "t")
    engine = compare(scenario.graph, columns, np.random.default_rng(2).normal(0, 1, (5, 3)))
    assert fused_names(engine) == fused and not refused & fused_names(engine)
    if text is INTERLEAVED:
        assert sorted(len(layer.outputs) for layer in engine.layers) == [1, 1, 1]
    if "y2:" in text:
        assert [layer.chain for layer in engine.layers] == [-1, 0, 0]


def test_a_product_read_outside_its_neuron_is_refused() -> None:
    g = Graph()
    x = g.add_leaf("x", "input", 0.5)
    w = g.add_leaf("w", "param", 0.3)
    b = g.add_leaf("b", "param", 0.1)
    m = g.add_op("z.mul1", "mul", (w, x), group="z")
    z = g.add_op("z", "add", (m, b), group="z")
    g.add_group("z", (m, z))
    h = g.add_op("h", "tanh", (z,), group="h")
    g.add_group("h", (h,))
    out = g.add_op("out", "mul", (h, m), group="out")  # the product w·x read again
    g.add_group("out", (out,))
    g.output = out
    engine = compare(g, ("x",), np.random.default_rng(3).normal(0, 1, (4, 1)))
    assert fused_names(engine) == set()


def test_a_weight_given_per_row_falls_back_to_node_by_node() -> None:
    scenario = resolve("xor")
    graph = scenario.graph
    rows = 5
    rng = np.random.default_rng(4)
    leaves = {graph.index[c]: rng.normal(0, 1, rows) for c in ("x1", "x2", "t", "w1_1_1")}
    fast, slow = BatchEngine(graph), BatchEngine(graph, layers=False)
    assert fast.layers
    a, b = fast.run(leaves, rows), slow.run(leaves, rows)
    for node in graph.nodes:
        assert _close(a.column(node.index, "grads"), b.column(node.index, "grads")), node.name
    assert _close(fast.param_grads(a), slow.param_grads(b))


NET_DATA = network_text(2, [5, 3, 1], ["tanh", "relu", "sigmoid"], 7, "0.5 * (a3_1 - t) ** 2") + (
    "data:\n  columns: [x1, x2, t]\n  rows:\n"
    + "".join(f"    - [{x1:.3f}, {x2:.3f}, {float(x1 * x2 > 0)}]\n"
              for x1, x2 in np.random.default_rng(5).uniform(-1, 1, (11, 2)))
)


@pytest.mark.parametrize("batch, shuffle", [(None, None), (3, None), (4, 9), (1, 2)])
def test_training_runs_give_the_same_params_either_way(batch, shuffle) -> None:
    scenario = loads(NET_DATA)
    table = data_table(scenario.graph, scenario.data.columns, scenario.data.rows)
    fast = Trainer(scenario.graph, table, 0.3, batch, shuffle)
    slow = Trainer(scenario.graph, table, 0.3, batch, shuffle, layers=False)
    assert fast.engine.layers and not slow.engine.layers
    fast.train(6)
    slow.train(6)
    assert fast.losses == pytest.approx(slow.losses, rel=1e-12)
    assert fast.param_values() == pytest.approx(slow.param_values(), rel=1e-12, abs=1e-14)
    if shuffle is None:
        losses, params = _scalar_epochs(scenario, scenario.data.rows, 0.3, batch or 11, 6)
        assert fast.losses == pytest.approx(losses, rel=1e-10)
        assert fast.param_values() == pytest.approx(params, rel=1e-10, abs=1e-13)


def test_overflow_on_the_matrix_path_stops_with_a_warning() -> None:
    text = network_text(2, [4, 1], ["relu", "identity"], 3, "(a2_1 - t) ** 2") + (
        "data:\n  columns: [x1, x2, t]\n  rows: [[10, 20, 1], [30, -40, 2], [5, 5, 100]]\n")
    scenario = loads(text)
    table = data_table(scenario.graph, scenario.data.columns, scenario.data.rows)
    trainer = Trainer(scenario.graph, table, 50.0)
    assert trainer.engine.layers
    losses = trainer.train(300)
    assert trainer.stopped and "training stopped" in trainer.warning
    assert len(losses) < 300


def test_training_passes_reuse_arrays_without_touching_results_or_each_other() -> None:
    scenario = loads(network_text(2, [6, 4, 2], ["sigmoid", "tanh", "identity"], 11,
                                  "(a3_1 - t) ** 2 + (a3_2 - t2) ** 2 + a1_2 * a2_1"))
    graph = scenario.graph
    rng = np.random.default_rng(6)
    fast, slow = BatchEngine(graph), BatchEngine(graph, layers=False)

    def leaves(rows: int) -> dict[int, np.ndarray]:
        return {graph.index[c]: rng.normal(0, 1, rows) for c in ("x1", "x2", "t", "t2")}

    kept_leaves = leaves(8)
    kept = fast.run(kept_leaves, 8)  # read only after the training passes below
    for rows in (8, 3, 8, 1, 3):  # batches of several sizes, as an epoch's last batch is
        given = leaves(rows)
        expected = slow.param_grads(slow.run(given, rows, params_only=True))
        assert _close(fast.mean_grads(given, rows), expected)
        assert _close(slow.mean_grads(given, rows), expected)
        mean = float(np.mean(slow.run(given, rows).column(graph.output)))
        assert math.isclose(fast.output_mean(given, rows), mean, rel_tol=1e-12)
    again = slow.run(kept_leaves, 8)
    for node in graph.nodes:  # the first result still holds its own numbers, inner nodes included
        assert _close(kept.column(node.index), again.column(node.index)), node.name
        assert _close(kept.column(node.index, "grads"), again.column(node.index, "grads")), node.name


def hand_written(seed: int) -> str:
    """A random hand-written net: shared weights, skip connections, mixed activations, terms in any
    order, named and unnamed sums, sums and weights read again by the loss."""
    rng = random.Random(seed)
    inputs = [f"x{i}" for i in range(1, rng.randint(1, 3) + 1)]
    params: dict[str, float] = {}
    lines: list[str] = []
    layers: list[list[str]] = [inputs]
    sums: list[str] = []

    def param(prefix: str) -> str:
        if params and rng.random() < 0.08:
            return rng.choice(sorted(params))  # a param used twice
        name = f"{prefix}{len(params)}"
        params[name] = round(rng.uniform(-1.5, 1.5), 3)
        return name

    for l in range(1, rng.randint(1, 3) + 1):
        earlier = [n for layer in layers for n in layer]
        names = []
        for j in range(1, rng.randint(1, 4) + 1):
            pool = layers[-1] + ([rng.choice(earlier)] if rng.random() < 0.3 else [])
            sources = sorted(set(rng.sample(pool, rng.randint(1, len(pool)))))
            if rng.random() < 0.05:
                sources.append(sources[0])  # one source read twice
            terms = [(f"{param('w')} * {s}" if rng.random() < 0.5 else f"{s} * {param('w')}") for s in sources]
            if rng.random() < 0.8:
                terms.insert(rng.randint(0, len(terms)), param("b"))
            total = " + ".join(terms)
            act = rng.choice(ACTIVATIONS)
            name = f"h{l}_{j}"
            if rng.random() < 0.5 and act != "identity":
                lines.append(f"  s{l}_{j}: {total}")
                sums.append(f"s{l}_{j}")
                lines.append(f"  {name}: {act}(s{l}_{j})")
            else:
                lines.append(f"  {name}: {total if act == 'identity' else f'{act}({total})'}")
            names.append(name)
        layers.append(names)
    loss = " + ".join(f"({n} - t) ** 2" for n in layers[-1])
    extras = [f"0.1 * {s}" for s in sums] + [f"0.01 * {p} ** 2" for p in params] + [
        f"0.2 * {n}" for layer in layers[1:-1] for n in layer]
    for extra in rng.sample(extras, min(len(extras), rng.randint(0, 2))):
        loss += f" + {extra}"
    declared = ", ".join(f"{n}: 0" for n in [*inputs, "t"])
    values = ", ".join(f"{k}: {v}" for k, v in params.items())
    return f"inputs: {{{declared}}}\nparams: {{{values}}}\nnodes:\n" + "\n".join(lines) + f"\n  loss: {loss}\noutput: loss\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), rows=st.integers(1, 6))
def test_random_hand_written_nets_match_whatever_is_fused(seed: int, rows: int) -> None:
    text = hand_written(seed)
    scenario = loads(text)
    columns = tuple(scenario.inputs)
    compare(scenario.graph, columns, np.random.default_rng(seed).normal(0, 1.2, (rows, len(columns))))
