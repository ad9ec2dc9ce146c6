"""The network: shorthand, declared and inferred layers, and data sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.engine.network import from_layers, infer
from tutor.engine.trace import run
from tutor.scenario import ScenarioError, loads, resolve

TINY_AS_NETWORK = """
title: tiny net, written as a network
inputs: {x1: 0.05, x2: 0.1, target: 1.0}
network:
  inputs: [x1, x2]
  layers:
    - size: 3
      activation: sigmoid
      weights: [[0.15, 0.20], [0.25, 0.30], [-0.35, 0.40]]
      biases: [0.35, 0.30, 0.25]
    - size: 1
      activation: identity
      weights: [[0.40, -0.45, 0.50]]
      biases: [0.10]
nodes:
  loss: 0.5 * (a2_1 - target) ** 2
output: loss
"""

# tiny_net's hand-written names for the shorthand's generated ones
SAME = {
    "w1_1_1": "w11", "w1_1_2": "w12", "b1_1": "b1", "w1_2_1": "w21", "w1_2_2": "w22", "b1_2": "b2",
    "w1_3_1": "w31", "w1_3_2": "w32", "b1_3": "b3", "w2_1_1": "v1", "w2_1_2": "v2", "w2_1_3": "v3",
    "b2_1": "c", "z1_1": "z1", "a1_1": "h1", "z1_2": "z2", "a1_2": "h2", "z1_3": "z3", "a1_3": "h3",
    "a2_1": "y", "x1": "x1", "x2": "x2",
}


def test_shorthand_generates_predictable_names_in_order() -> None:
    scenario = loads(TINY_AS_NETWORK)
    assert list(scenario.params) == [
        "w1_1_1", "w1_1_2", "b1_1", "w1_2_1", "w1_2_2", "b1_2", "w1_3_1", "w1_3_2", "b1_3",
        "w2_1_1", "w2_1_2", "w2_1_3", "b2_1",
    ]
    assert list(scenario.nodes) == ["z1_1", "a1_1", "z1_2", "a1_2", "z1_3", "a1_3", "z2_1", "a2_1", "loss"]
    assert scenario.nodes["z1_2"] == "w1_2_1 * x1 + w1_2_2 * x2 + b1_2"
    assert scenario.nodes["a1_2"] == "sigmoid(z1_2)"
    assert scenario.layers == (("x1", "x2"), ("a1_1", "a1_2", "a1_3"), ("a2_1",))
    assert scenario.params["w1_3_1"] == -0.35


def test_shorthand_reproduces_tiny_net_numbers() -> None:
    net = run(loads(TINY_AS_NETWORK).graph)
    tiny = run(resolve("tiny_net").graph)
    assert net.output_value == pytest.approx(tiny.output_value, rel=1e-15)
    for generated, written in SAME.items():
        assert net.value(generated) == pytest.approx(tiny.value(written), rel=1e-15)
        assert net.grad(generated) == pytest.approx(tiny.grad(written), rel=1e-14), generated


def test_seeded_initialisation_is_reproducible_and_scaled() -> None:
    text = TINY_AS_NETWORK.replace("    - size: 3\n      activation: sigmoid\n      weights: "
                                   "[[0.15, 0.20], [0.25, 0.30], [-0.35, 0.40]]\n      biases: [0.35, 0.30, 0.25]\n",
                                   "    - {size: 3, activation: tanh}\n").replace("  inputs: [x1, x2]\n",
                                                                                "  inputs: [x1, x2]\n  seed: 7\n")
    first, second = loads(text), loads(text)
    assert first.params == second.params
    other = loads(text.replace("seed: 7", "seed: 8"))
    assert first.params != other.params
    limit = (6 / (2 + 1)) ** 0.5
    hidden = [v for k, v in first.params.items() if k.startswith("w1_")]
    assert len(hidden) == 6 and all(abs(v) <= limit for v in hidden) and len(set(hidden)) == 6
    assert [first.params[f"b1_{j}"] for j in (1, 2, 3)] == [0.0, 0.0, 0.0]
    assert first.params["w2_1_1"] == 0.40  # a layer with its weights written out keeps them


def test_generated_names_work_in_notes_and_overrides() -> None:
    scenario = loads(TINY_AS_NETWORK + "notes:\n  a1_2: the second hidden neuron\n")
    assert scenario.notes == {"a1_2": "the second hidden neuron"}
    moved = run(scenario.graph, {"w1_2_1": 1.0})
    assert moved.value("w1_2_1") == 1.0 and moved.output_value != run(scenario.graph).output_value


def test_network_without_nodes_outputs_a_neuron() -> None:
    text = "inputs: {x: 1}\nnetwork:\n  inputs: [x]\n  seed: 1\n  layers: [{size: 2}, {size: 1}]\noutput: a2_1\n"
    scenario = loads(text)
    assert scenario.output == "a2_1" and scenario.layers[1:] == (("a1_1", "a1_2"), ("a2_1",))


def test_network_name_clash_is_refused_at_the_network() -> None:
    text = TINY_AS_NETWORK.replace("inputs: {x1: 0.05", "params: {b1_1: 3}\ninputs: {x1: 0.05")
    with pytest.raises(ScenarioError) as info:
        loads(text, "clash.yaml")
    assert "'b1_1' is defined twice" in info.value.message


def test_tiny_net_layers_are_inferred() -> None:
    net = infer(resolve("tiny_net").graph)
    assert net is not None and net.shape == (2, 3, 1)
    h1 = net.neuron("h1")
    assert (h1.z, h1.activation, h1.bias) == ("z1", "sigmoid", "b1")
    assert [(s.source, s.weight) for s in h1.synapses] == [("x1", "w11"), ("x2", "w12")]
    y = net.neuron("y")
    assert (y.z, y.activation, y.bias, y.layer) == ("y", "identity", "c", 2)
    assert [s.weight for s in y.synapses] == ["v1", "v2", "v3"]


def test_graphs_that_are_not_nets_infer_nothing() -> None:
    for name in ("shopping", "two_paths", "sigmoid", "relu_gate", "square_of_sum"):
        assert infer(resolve(name).graph) is None, name


def test_declared_layers_match_inferred_ones() -> None:
    tiny = resolve("tiny_net")
    declared = from_layers(tiny.graph, (("x1", "x2"), ("h1", "h2", "h3"), ("y",)))
    assert declared == infer(tiny.graph)


def test_inline_sum_inside_an_activation_is_a_neuron() -> None:
    text = ("inputs: {x: 0.5, t: 1}\nparams: {w: 0.3, b: 0.1, v: 2, c: 0}\nnodes:\n  h: tanh(w * x + b)\n"
            "  y: sigmoid(v * h + c)\n  loss: (y - t) ** 2\noutput: loss\n")
    net = infer(loads(text).graph)
    assert net.shape == (1, 1, 1)
    assert net.neuron("h").z.startswith("h.")  # the sum is the primitive inside h


# --- data sets -----------------------------------------------------------------

XOR = """
inputs: {x1: 0, x2: 0, t: 0}
params: {w: 1}
nodes:
  loss: (w * x1 + x2 - t) ** 2
output: loss
data:
  columns: [x1, x2, t]
  rows:
    - [0, 0, 0]
    - [0, 1, 1]
    - [1, 0, 1]
batch_size: 2
"""


def test_inline_data_and_batch_size() -> None:
    scenario = loads(XOR)
    assert scenario.data.columns == ("x1", "x2", "t")
    assert scenario.data.rows == ((0, 0, 0), (0, 1, 1), (1, 0, 1))
    assert len(scenario.data) == 3 and scenario.batch_size == 2 and scenario.shuffle is None
    assert scenario.data.row(2) == {"x1": 0.0, "x2": 1.0, "t": 1.0}
    with pytest.raises(IndexError):
        scenario.data.row(0)


def test_csv_data_relative_to_the_scenario_file(tmp_path: Path) -> None:
    folder = tmp_path / "lesson"
    folder.mkdir()
    (folder / "points.csv").write_text("# made by hand\nx1, x2 ,t\n0,0,0\n\n1, 1, 0\n", encoding="utf-8")
    text = XOR.split("data:")[0] + "data: points.csv\nshuffle: 4\n"
    path = folder / "s.yaml"
    path.write_text(text, encoding="utf-8")
    from tutor.scenario import load

    scenario = load(path)
    assert scenario.data.columns == ("x1", "x2", "t")
    assert scenario.data.rows == ((0, 0, 0), (1, 1, 0))
    assert scenario.data.source.endswith("points.csv") and scenario.shuffle == 4


def test_builtin_curve_reads_its_csv() -> None:
    curve = resolve("curve")
    assert curve.data.columns == ("x", "t") and len(curve.data) == 21
    assert curve.layers[1:] == (tuple(f"a1_{j}" for j in range(1, 9)), ("a2_1",))


def test_starter_data_and_network_examples_load_when_uncommented(tmp_path) -> None:
    from tutor.scenario.starter import STARTER

    text = STARTER.replace("@FILE@", "s.yaml")
    lines = text.splitlines()
    uncommented = []
    for line in lines:
        body = line[2:] if line.startswith("# ") else None
        if body and (body.startswith(("data:", "batch_size:", "network:")) or line.startswith("#   ")):
            if body.startswith("data: points.csv"):
                continue
            uncommented.append(body.split("  #")[0].rstrip())
        else:
            uncommented.append(line)
    text = "\n".join(uncommented).replace("  loss: (out - 1) ** 2", "  loss: (out - 1) ** 2 + a2_1 ** 2")
    scenario = loads(text, str(tmp_path / "s.yaml"))
    assert scenario.data.rows == ((2, -3), (1, 0), (-1, 2)) and scenario.batch_size == 2
    assert scenario.layers == (("x", "y"), ("a1_1", "a1_2", "a1_3"), ("a2_1",))
    assert loads(STARTER.replace("@FILE@", "s.yaml")).data is None  # as written, the examples are comments
