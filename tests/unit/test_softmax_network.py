"""The softmax layer of the network: shorthand: its nodes, its numbers, the neurons found in it, and
what check refuses or warns about."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tutor.engine.network import SOFTMAX, from_layers, infer, neuron_at
from tutor.engine.trace import run
from tutor.scenario import ScenarioError, load, loads
from tutor.scenario.targets import target_warnings

NET = """
inputs: {x1: 0.5, x2: -1, t1: 0, t2: 1, t3: 0}
network:
  inputs: [x1, x2]
  seed: 7
  layers:
    - {size: 4, activation: tanh}
    - {size: 3, activation: softmax}
nodes:
  loss: -(t1 * log(a2_1) + t2 * log(a2_2) + t3 * log(a2_3))
output: loss
"""


def softmax_net(scores: list[float], loss: str = "-(t1 * log(a1_1) + t2 * log(a1_2) + t3 * log(a1_3))") -> str:
    """One input x = 1 into a softmax layer whose weights are ``scores``: z = scores."""
    weights = ", ".join(f"[{s}]" for s in scores)
    targets = ", ".join(f"t{k}: {int(k == 2)}" for k in range(1, len(scores) + 1))
    return (f"inputs: {{x: 1, {targets}}}\nnetwork:\n  inputs: [x]\n  layers:\n    - size: {len(scores)}\n"
            f"      activation: softmax\n      weights: [{weights}]\n      biases: [{', '.join('0' * len(scores))}]\n"
            f"nodes:\n  loss: {loss}\noutput: loss\n")


def test_the_shorthand_names_every_node_of_the_softmax_in_order() -> None:
    scenario = loads(NET)
    assert list(scenario.nodes)[8:] == [
        "z2_1", "z2_2", "z2_3", "m2", "e2_1", "e2_2", "e2_3", "s2", "a2_1", "a2_2", "a2_3", "loss",
    ]
    assert scenario.nodes["m2"] == "max(max(z2_1, z2_2), z2_3)"
    assert scenario.nodes["e2_3"] == "exp(z2_3 - m2)"
    assert scenario.nodes["s2"] == "e2_1 + e2_2 + e2_3"
    assert scenario.nodes["a2_2"] == "e2_2 / s2"
    assert scenario.layers == (("x1", "x2"), ("a1_1", "a1_2", "a1_3", "a1_4"), ("a2_1", "a2_2", "a2_3"))
    ops = [scenario.graph.nodes[i].op for name in ("m2", "e2_1", "s2", "a2_1") for i in scenario.graph.groups[name]]
    assert ops == ["max", "max", "sub", "exp", "add", "add", "div"]


def test_the_shorthand_builds_what_its_expressions_say() -> None:
    """The same scenario written out by hand, node by node, is the same graph, name for name."""
    made = loads(NET)
    params = ", ".join(f"{k}: {v}" for k, v in made.params.items())
    nodes = "\n".join(f"  {k}: {v}" for k, v in made.nodes.items())
    by_hand = loads(f"inputs: {{x1: 0.5, x2: -1, t1: 0, t2: 1, t3: 0}}\nparams: {{{params}}}\nnodes:\n{nodes}\n"
                    "output: loss\n")

    def ops(graph) -> list[tuple]:
        return [(n.name, n.op, tuple(graph.nodes[i].name for i in n.inputs), n.group) for n in graph.nodes
                if n.kind == "op"]

    assert ops(made.graph) == ops(by_hand.graph)
    assert {k: [made.graph.nodes[i].name for i in v] for k, v in made.graph.groups.items()} == {
        k: [by_hand.graph.nodes[i].name for i in v] for k, v in by_hand.graph.groups.items()}


def test_probabilities_sum_to_one_and_the_gradient_at_the_scores_is_p_minus_t() -> None:
    trace = run(loads(NET).graph)
    p = [trace.value(f"a2_{k}") for k in (1, 2, 3)]
    z = np.array([trace.value(f"z2_{k}") for k in (1, 2, 3)])
    expected = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert p == pytest.approx(expected, rel=1e-14) and math.fsum(p) == pytest.approx(1.0, abs=1e-15)
    assert [trace.grad(f"z2_{k}") for k in (1, 2, 3)] == pytest.approx([p[0], p[1] - 1, p[2]], rel=1e-12)
    assert trace.output_value == pytest.approx(-math.log(p[1]), rel=1e-14)


@pytest.mark.parametrize("scores", [[1000.0, 1001.0, 999.0], [-800.0, -790.0, -805.0], [710.0, 705.0, 700.0]])
def test_big_scores_never_overflow(scores: list[float]) -> None:
    trace = run(loads(softmax_net(scores)).graph)
    p = np.array([trace.value(f"a1_{k}") for k in (1, 2, 3)])
    z = np.array(scores)
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0, abs=1e-15)
    assert p == pytest.approx(np.exp(z - z.max()) / np.exp(z - z.max()).sum(), rel=1e-12, abs=1e-300)
    assert not trace.warnings


def test_gradients_match_central_differences() -> None:
    scenario = loads(NET)
    trace = run(scenario.graph)
    h = 1e-6
    for name in [*scenario.params, "x1", "x2"]:
        value = scenario.graph.node(name).value
        up = run(scenario.graph, {name: value + h}).output_value
        down = run(scenario.graph, {name: value - h}).output_value
        assert trace.grad(name) == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-9), name


def test_softmax_outputs_are_neurons_of_a_softmax_layer() -> None:
    scenario = loads(NET)
    net = from_layers(scenario.graph, scenario.layers)
    assert net == infer(scenario.graph) and net.shape == (2, 4, 3)
    assert net.softmax_layers == (2,) and net.is_softmax(2) and not net.is_softmax(1) and not net.is_softmax(3)
    a = net.neuron("a2_2")
    assert (a.z, a.activation, a.bias, a.layer, a.position) == ("z2_2", SOFTMAX, "b2_2", 2, 1)
    assert a.weights == ("w2_2_1", "w2_2_2", "w2_2_3", "w2_2_4") and a.inputs == ("a1_1", "a1_2", "a1_3", "a1_4")
    assert (a.softmax.largest, a.softmax.exp, a.softmax.total, a.softmax.scores) == (
        "m2", "e2_2", "s2", ("z2_1", "z2_2", "z2_3"))
    assert net.neuron("a1_1").softmax is None
    for helper in ("m2", "e2_1", "s2"):  # the shared nodes are not neurons
        assert isinstance(neuron_at(scenario.graph, scenario.graph.index[helper]), str), helper


HAND_WRITTEN = """
inputs: {x: 0.5, t: 1}
params: {w1: 0.3, b1: 0.1, w2: -0.2, b2: 0.4}
nodes:
  z1: w1 * x + b1
  z2: w2 * x + b2
  m: max(z1, z2)
  p1: exp(z1 - m) / (exp(z1 - m) + exp(z2 - m))
  p2: exp(z2 - m) / (exp(z1 - m) + exp(z2 - m))
  loss: -log(p1) * t
output: loss
"""


def test_a_softmax_written_by_hand_is_found_by_its_shape() -> None:
    scenario = loads(HAND_WRITTEN + "layers: [[x], [p1, p2]]\n")
    net = from_layers(scenario.graph, scenario.layers)
    assert net.shape == (1, 2) and net.softmax_layers == (1,)
    assert [(n.z, n.bias, n.softmax.largest) for n in net.layers[0]] == [("z1", "b1", "m"), ("z2", "b2", "m")]
    assert net.layers[0][0].softmax.total == "p1.add1"  # a sum of its own: the shape is what counts
    wrong = loads(HAND_WRITTEN.replace("m: max(z1, z2)", "m: max(z1, z1)"))  # not the largest of both scores
    assert isinstance(neuron_at(wrong.graph, wrong.graph.index["p1"]), str)


def _error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads(text, "net.yaml")
    return info.value


def test_softmax_on_a_hidden_layer_is_refused_at_its_activation() -> None:
    error = _error(NET.replace("{size: 4, activation: tanh}", "{size: 4, activation: softmax}"))
    assert (error.line, error.col) == (7, 29)
    assert error.message == "softmax is only for the last layer, not layer 1 of 2"
    assert "hidden layers use tanh, sigmoid or relu" in error.hint
    assert str(error).startswith("net.yaml:7:29: error: softmax is only for the last layer")


def test_softmax_on_one_neuron_is_refused_at_its_activation() -> None:
    error = _error(NET.replace("{size: 3, activation: softmax}", "{size: 1, activation: softmax}"))
    assert (error.line, error.col) == (8, 29)
    assert "softmax needs a layer of two neurons or more" in error.message
    assert "one sigmoid neuron for two classes" in error.hint
    block = NET.replace("    - {size: 3, activation: softmax}", "    - size: 1\n      activation:   softmax")
    assert (_error(block).line, _error(block).col) == (9, 21)


def test_the_schema_offers_softmax() -> None:
    from tutor.scenario.schema import schema

    found = str(schema())
    assert "'softmax'" in found


# --- warnings about the targets ----------------------------------------------------

DATA = NET + "data:\n  columns: [x1, x2, t1, t2, t3]\n  rows:\n@ROWS@"


def _rows(*rows: str) -> str:
    return "".join(f"    - [{row}]\n" for row in rows)


def test_one_hot_targets_give_no_warning() -> None:
    from tutor.scenario import resolve

    assert target_warnings(loads(DATA.replace("@ROWS@", _rows("0, 1, 1, 0, 0", "1, 0, 0, 0, 1")))) == []
    assert target_warnings(loads(NET)) == []
    assert target_warnings(resolve("spiral")) == [] and target_warnings(resolve("softmax")) == []


def test_targets_that_are_not_one_hot_are_warned_about_at_the_first_such_row(tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    rows = _rows("0, 1, 1, 0, 0", "1, 0, 0.5, 0.5, 0", "0, 0, 0, 0, 0", "1, 1, 0, 0, 1")
    path.write_text(DATA.replace("@ROWS@", rows), encoding="utf-8")
    (warning,) = target_warnings(load(path))
    assert (warning.path, warning.line, warning.col) == (str(path), 16, 7)
    assert warning.message == (
        "the targets of row 2 of the data are not one-hot: t1 = 0.5, t2 = 0.5, t3 = 0 (and 1 more row)")
    assert "one-hot" in warning.hint and warning.report().startswith(f"{path}:16:7: warning: the targets of row 2")


def test_a_csv_rows_warning_points_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "points.csv").write_text("# three classes\nx1,x2,t1,t2,t3\n\n0,1,1,0,0\n0,0,0,2,0\n", encoding="utf-8")
    path = tmp_path / "net.yaml"
    path.write_text(NET + "data: points.csv\n", encoding="utf-8")
    (warning,) = target_warnings(load(path))
    assert (Path(warning.path).name, warning.line, warning.col) == ("points.csv", 5, 1)
    assert "row 2 of the data" in warning.message and "t2 = 2" in warning.message


def test_a_class_number_column_is_warned_about() -> None:
    text = NET.replace("loss: -(t1 * log(a2_1) + t2 * log(a2_2) + t3 * log(a2_3))", "loss: -log(a2_1) * t1") + (
        "data:\n  columns: [x1, x2, t1]\n  rows: [[0, 1, 2], [1, 0, 3]]\n")
    (warning,) = target_warnings(loads(text, "net.yaml"))
    assert warning.message == "1 target column (t1) for the softmax's 3 outputs"
    assert (warning.line, warning.col) == (2, 27)  # where t1 is declared


def test_inputs_that_are_not_one_hot_are_warned_about_without_data() -> None:
    (warning,) = target_warnings(loads(NET.replace("t1: 0, t2: 1", "t1: 0.2, t2: 0.8"), "net.yaml"))
    assert warning.message.startswith("the targets of the inputs are not one-hot: t1 = 0.2, t2 = 0.8, t3 = 0")
    assert (warning.line, warning.col) == (2, 27)


def test_nets_without_a_softmax_get_no_target_warnings() -> None:
    from tutor.scenario import resolve

    for name in ("xor", "curve", "tiny_net", "shopping"):
        assert target_warnings(resolve(name)) == []
