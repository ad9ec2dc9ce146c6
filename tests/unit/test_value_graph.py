"""Reading a graph of Value objects (the tutor's and micrograd's own) into a tutor Graph."""

from __future__ import annotations

import random
import types

import micrograd.engine
import micrograd.nn
import pytest

import tutor
from tutor import Value
from tutor.engine.from_values import ValueGraphError, read_values, valid_name
from tutor.engine.network import infer
from tutor.engine.trace import run
from tutor.scenario import MAX_NODES
from tutor.scenario.dump import scenario_of

from test_value import readme_example


def same_numbers(read) -> list:
    """The nodes whose value or gradient in the tutor's trace differs from the object's, bit for bit."""
    trace = run(read.graph)
    return [
        (node.name, trace.values[node.index], obj.data, trace.grads[node.index], obj.grad)
        for node, obj in zip(read.graph.nodes, read.objects)
        if trace.values[node.index] != obj.data or trace.grads[node.index] != obj.grad
    ]


def test_every_value_and_gradient_is_the_one_backward_computed() -> None:
    a, b, g = readme_example(Value)
    read = read_values(g)
    assert len(read.graph) == 39 and read.graph.op_count == 28
    assert same_numbers(read) == []
    assert read.inputs == {"x1": -4.0, "x2": 2.0}


def test_micrograd_s_own_objects_give_micrograd_s_own_numbers() -> None:
    for seed in range(5):
        junk = [micrograd.engine.Value(0) for _ in range(seed * 7)]  # other addresses, other set orders
        a, b, g = readme_example(micrograd.engine.Value)
        read = read_values(g)
        trace = run(read.graph)
        for node, obj in zip(read.graph.nodes, read.objects):
            assert trace.values[node.index] == obj.data, node.name
            # micrograd adds a fan-out's contributions in the order its sets happen to hold them
            assert trace.grads[node.index] == pytest.approx(obj.grad, rel=1e-14, abs=1e-300), node.name
        assert read.made_by == "micrograd.engine.Value"
        del junk
    # its constants (the 1, 2, 3 of the code) are told from the two values used everywhere
    assert sorted(read.inputs.values()) == [-4.0, 2.0]


def test_names_come_from_labels_then_in_creation_order() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    e = a * b
    e.label = "e"
    d = e + Value(10.0)
    t = d.tanh()
    L = t * t + (d * 2).exp()
    read = read_values(L)
    assert list(read.inputs) == ["a", "b", "x1"]
    assert read.expressions == {"e": "a * b", "add1": "e + x1", "tanh1": "tanh(add1)", "add2": "tanh1 * tanh1 + exp(add1 * 2)"}
    assert read.output == "add2"
    node = read.graph.node("add2.mul1")
    assert node.inputs == (read.graph.index["tanh1"],) * 2  # t * t: two edges


def test_labels_that_are_not_names_are_made_valid_and_unique() -> None:
    assert valid_name("my value") == "my_value"
    assert valid_name("1st") == "_1st"
    assert valid_name("lambda") == "lambda_"
    assert valid_name("exp") == "exp_"
    assert valid_name("x*w") == "x_w"
    assert valid_name("  ") == ""
    assert valid_name("ﬁ") == "fi"  # NFKC, as Python and the loader read names
    values = [Value(1.0, label="x"), Value(2.0, label="x"), Value(3.0, label="my x"), Value(4.0, label="*")]
    out = values[0] * values[1] + values[2] * values[3]
    out.label = "x"
    read = read_values(out)
    assert list(read.inputs) == ["x", "x_2", "my_x", "x1"]
    assert read.output == "x_3"


def test_one_use_intermediates_fold_into_the_node_that_uses_them_in_the_order_made() -> None:
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    x = a * b  # made first, used last: folding it into z would reorder the primitives
    y = a * c
    z = y + x
    z.backward()
    read = read_values(z)
    assert read.expressions == {"mul1": "a * b", "add1": "a * c + mul1"}
    assert same_numbers(read) == []


def test_micrograd_s_neurons_are_found_for_the_neuron_view() -> None:
    random.seed(7)
    model = micrograd.nn.MLP(2, [4, 3, 1])
    x = [micrograd.engine.Value(0.5), micrograd.engine.Value(-1.5)]
    loss = (1 + -1 * model(x)).relu()
    loss.backward()
    read = read_values(loss, model.parameters())
    network = infer(read.graph)
    assert network is not None and network.shape == (2, 4, 3, 1)
    assert set(network.layers[0][0].weights) == {"w1_1_1", "w1_1_2"} and network.layers[0][0].bias == "b1_1"
    assert [n.activation for layer in network.layers for n in layer][-2:] == ["relu", "identity"]
    assert run(read.graph).output_value == loss.data
    # and the same net of tutor.Values, made in a known order: every number to the last bit
    random.seed(7)
    ours = tutor.nn.MLP(2, [4, 3, 1])
    loss = (1 + -1 * ours([Value(0.5), Value(-1.5)])).relu()
    loss.backward()
    read = read_values(loss, ours.parameters())
    assert infer(read.graph).shape == (2, 4, 3, 1)
    assert [n.weights for n in infer(read.graph).layers[0]][0] == ("w1_1_1", "w1_1_2")
    assert same_numbers(read) == []


def test_params_must_be_values_and_leaves() -> None:
    x = Value(1.0)
    y = x * 2
    with pytest.raises(ValueGraphError, match="params must be leaves"):
        read_values(y, [y])
    with pytest.raises(ValueGraphError, match="every param must be a Value"):
        read_values(y, [3.0])
    with pytest.raises(ValueGraphError, match="params must be a list of Values, not int 3"):
        read_values(y, 3)
    with pytest.raises(ValueGraphError, match="the output must be a Value"):
        read_values(3.0)
    with pytest.raises(ValueGraphError, match=r"^the output is a leaf \(label 'x', data 1.0\): there is nothing"):
        read_values(Value(1.0, label="x"))


def test_an_unknown_op_is_refused_naming_it() -> None:
    x = Node(2.0)
    y = Node(4.0, (x,), "square")
    with pytest.raises(ValueGraphError) as caught:
        read_values(Node(5.0, (y, Node(1.0)), "+"))
    assert str(caught.value) == (
        "the graph has a node with op 'square', which the tutor does not know "
        "(it reads +, *, **k, ReLU, tanh, exp, log, sigmoid, - and /)"
    )
    with pytest.raises(ValueGraphError, match="op 'sqrt'"):
        read_values(Value(2.0, (Value(4.0),), "sqrt"))


class Node:
    """Another engine's value: micrograd's attributes, a set of inputs."""

    def __init__(self, data, prev=(), op=""):
        self.data, self._prev, self._op, self.grad = data, set(prev), op, 0


class _unordered(frozenset):
    """A set whose order is fixed here, to be the wrong one."""

    def __new__(cls, *items):
        made = super().__new__(cls, items)
        made.order = items
        return made

    def __iter__(self):
        return iter(self.order)


def test_other_engines_ops_are_read_in_the_order_that_gives_their_values() -> None:
    a, b = Node(5.0), Node(2.0)
    diff = Node(3.0, (), "-")
    diff._prev = _unordered(b, a)
    quot = Node(1.5, (), "/")
    quot._prev = _unordered(b, diff)
    read = read_values(quot)
    assert run(read.graph).output_value == 1.5
    assert read.expressions[read.output] == "(5 - x1) / x1"  # 5 is used once: taken for a constant


def test_a_cycle_is_refused_in_one_sentence() -> None:
    a = Value(1.0, label="a")
    b = a * 2
    c = b + 1
    a._prev = (c,)
    a._op = "ReLU"
    with pytest.raises(ValueGraphError) as caught:
        read_values(c)
    assert str(caught.value).startswith("the graph has a cycle: a node (")
    assert str(caught.value).endswith(") is among its own inputs")
    ma = micrograd.engine.Value(1.0)
    mc = (ma * 2) + 1
    ma._prev = {mc}
    with pytest.raises(ValueGraphError, match="the graph has a cycle"):
        read_values(mc)


def test_a_graph_over_the_node_limit_asks_for_one_data_point() -> None:
    x = Value(0.5)
    total = x
    for _ in range(MAX_NODES):
        total = total + x
    with pytest.raises(ValueGraphError) as caught:
        scenario_of(total)
    assert str(caught.value) == (
        f"the graph has more than {MAX_NODES:,} nodes, more than the tutor steps through: show the loss of one "
        "data point (one sample through the model) instead of the whole data set"
    )
    with pytest.raises(ValueGraphError):
        tutor.dumps(total)


def test_bad_data_and_bad_prev_are_one_sentence() -> None:
    ns = types.SimpleNamespace
    leaf = ns(data="two", _prev=(), _op="", grad=0)
    with pytest.raises(ValueGraphError, match="holds str 'two'"):
        read_values(ns(data=1.0, _prev=(leaf, leaf), _op="+", grad=0))
    with pytest.raises(ValueGraphError, match="every input in _prev must be a Value"):
        read_values(ns(data=1.0, _prev=(3.0,), _op="ReLU", grad=0))
    good = ns(data=2.0, _prev=(), _op="", grad=0)
    with pytest.raises(ValueGraphError, match="has 3 inputs in _prev, where add takes 2"):
        read_values(ns(data=1.0, _prev=(good, good, good), _op="+", grad=0))
