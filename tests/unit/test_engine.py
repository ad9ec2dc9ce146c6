"""The engine end to end: built-in scenarios, the published numbers, step records."""

from __future__ import annotations

import dataclasses
import math
import sys

import pytest

from tutor.engine import analysis
from tutor.scenario import builtin_names, loads, resolve
from tutor.engine.trace import BackwardStep, Edge, ForwardStep, run

from graphs import chain, wide

BUILTINS = builtin_names()
EXPECTED = {
    "relu_gate",
    "shopping",
    "shopping_ja",
    "shopping_oranges",
    "sigmoid",
    "sigmoid_expanded",
    "square_of_sum",
    "tiny_net",
    "two_paths",
}


def traced(name: str, overrides: dict[str, float] | None = None):
    scenario = resolve(name)
    return scenario, run(scenario.graph, overrides)


def test_builtin_scenarios_present():
    assert EXPECTED <= set(BUILTINS)


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_gradients_match_central_differences(name):
    scenario, trace = traced(name)
    rows = analysis.numeric_check(scenario.graph, trace)
    assert [r.leaf for r in rows] == list(scenario.leaves)
    for row in rows:
        assert row.relative_error < 1e-5, row
        assert row.backprop == pytest.approx(row.numeric, rel=1e-5, abs=1e-9)
    assert not trace.warnings


# --- the published numbers -------------------------------------------------


def test_shopping():
    _, t = traced("shopping")
    assert t.output_value == pytest.approx(220)
    assert t.grad("apple") == pytest.approx(2.2)
    assert t.grad("apple_count") == pytest.approx(110)
    assert t.grad("tax") == pytest.approx(200)
    assert t.value("apple_price") == pytest.approx(200)
    assert t.grad("apple_price") == pytest.approx(1.1)
    assert t.grad("price") == 1.0


def test_shopping_oranges():
    _, t = traced("shopping_oranges")
    assert t.output_value == pytest.approx(715)
    assert t.grad("apple") == pytest.approx(2.2)
    assert t.grad("apple_count") == pytest.approx(110)
    assert t.grad("orange") == pytest.approx(3.3)
    assert t.grad("orange_count") == pytest.approx(165)
    assert t.grad("tax") == pytest.approx(650)
    # The add node passes the gradient through to both branches.
    assert t.grad("apple_price") == pytest.approx(1.1)
    assert t.grad("orange_price") == pytest.approx(1.1)


def test_gradient_predicts_the_change_when_linear():
    _, before = traced("shopping_oranges")
    _, after = traced("shopping_oranges", {"apple": 200})
    assert after.output_value - before.output_value == pytest.approx(220)
    assert before.grad("apple") * 100 == pytest.approx(220)


def test_two_paths_fan_out_adds():
    _, t = traced("two_paths")
    assert t.value("c") == 3 and t.value("d") == 2
    assert t.output_value == pytest.approx(6)
    assert t.grad("a") == pytest.approx(2)
    assert t.grad("b") == pytest.approx(5)
    edges_into_b = [e for step in t.backward for e in step.edges if e.input == "b"]
    assert len(edges_into_b) == 2, "b feeds two nodes: two edges bring gradient back"
    assert sorted(e.contribution for e in edges_into_b) == pytest.approx([2, 3])
    first, second = edges_into_b
    assert first.grad_before == 0
    assert first.grad_after == pytest.approx(first.contribution)
    assert second.grad_before == pytest.approx(first.grad_after)
    assert second.grad_after == pytest.approx(5)
    assert [(e.grad_before, e.grad_after) for e in edges_into_b] in (
        [(0, 2), (2, 5)],
        [(0, 3), (3, 5)],
    )


@pytest.mark.parametrize(("x", "y"), [(1.5, 2.0), (-3.0, 0.25), (0.0, 0.0)])
def test_square_of_sum(x, y):
    _, t = traced("square_of_sum", {"x": x, "y": y})
    assert t.output_value == pytest.approx((x + y) ** 2)
    assert t.grad("x") == pytest.approx(2 * (x + y))
    assert t.grad("y") == pytest.approx(2 * (x + y))
    assert t.grad("t") == pytest.approx(2 * (x + y))


@pytest.mark.parametrize("x", [0.5, -2.0, 3.0, 0.0])
def test_sigmoid_grouped_and_expanded_agree(x):
    grouped, tg = traced("sigmoid", {"x": x})
    expanded, te = traced("sigmoid_expanded", {"x": x})
    y = 1 / (1 + math.exp(-x))
    assert tg.output_value == pytest.approx(y, rel=1e-12)
    assert te.output_value == pytest.approx(y, rel=1e-12)
    assert tg.grad("x") == pytest.approx(y * (1 - y), rel=1e-12)
    assert te.grad("x") == pytest.approx(y * (1 - y), rel=1e-12)
    # Expanded: multiply by -1, exp, add 1, reciprocal.
    ops = [expanded.graph.nodes[i].op for i in expanded.graph.groups["y"]]
    assert ops == ["mul", "exp", "add", "reciprocal"]
    # Grouped: one box whose local derivative is y(1 - y).
    groups = analysis.group_trace(expanded.graph, te)
    steps = [s for s in groups.backward if s.node == "y"]
    assert len(steps) == 1
    (edge,) = steps[0].edges
    assert edge.input == "x"
    assert edge.local == pytest.approx(y * (1 - y), rel=1e-12)
    assert edge.contribution == pytest.approx(y * (1 - y), rel=1e-12)


def test_sigmoid_expanded_backward_factors():
    scenario, t = traced("sigmoid_expanded")
    y = t.output_value
    x = t.value("x")
    locals_ = {step.op: step.edges for step in t.backward}
    assert locals_["reciprocal"][0].local == pytest.approx(-(y**2))
    assert locals_["add"][0].local == 1
    assert locals_["exp"][0].local == pytest.approx(math.exp(-x))
    mul_to_x = [e for e in locals_["mul"] if e.input == "x"]
    assert mul_to_x[0].local == -1


def test_shopping_ja_matches_shopping():
    en, te = traced("shopping")
    ja, tj = traced("shopping_ja")
    assert tj.output_value == te.output_value
    assert [tj.grad(n) for n in ja.named] == [te.grad(n) for n in en.named]
    assert [tj.value(n) for n in ja.named] == [te.value(n) for n in en.named]
    assert ja.output == "支払金額"
    assert tj.grad("りんご") == pytest.approx(2.2)


def test_relu_gate_passes_and_blocks():
    _, open_ = traced("relu_gate", {"x": 3, "w": -2})
    assert open_.grad("x") == pytest.approx(-2)
    assert open_.grad("gate") == pytest.approx(-2)
    assert open_.grad("w") == pytest.approx(3)
    _, closed = traced("relu_gate", {"x": -3, "w": -2})
    assert closed.value("gate") == 0
    assert closed.grad("gate") == pytest.approx(-2)  # the gradient reaches the gate ...
    assert closed.grad("x") == 0  # ... and is blocked there
    assert closed.grad("w") == 0


def test_tiny_net_deltas_and_weight_gradients():
    scenario, t = traced("tiny_net")
    x = {1: t.value("x1"), 2: t.value("x2")}
    grad_x1 = 0.0
    grad_x2 = 0.0
    delta_out = t.value("y") - t.value("target")
    assert t.grad("y") == pytest.approx(delta_out)
    for j in (1, 2, 3):
        h = t.value(f"h{j}")
        delta = t.grad(f"z{j}")
        assert delta == pytest.approx(t.grad(f"h{j}") * h * (1 - h))
        assert t.grad(f"h{j}") == pytest.approx(delta_out * t.value(f"v{j}"))
        assert t.grad(f"v{j}") == pytest.approx(delta_out * h)
        for k in (1, 2):
            assert t.grad(f"w{j}{k}") == pytest.approx(delta * x[k])
        assert t.grad(f"b{j}") == pytest.approx(delta)
        grad_x1 += delta * t.value(f"w{j}1")
        grad_x2 += delta * t.value(f"w{j}2")
    assert t.grad("x1") == pytest.approx(grad_x1)
    assert t.grad("x2") == pytest.approx(grad_x2)
    assert t.grad("c") == pytest.approx(delta_out)
    assert t.output_value == pytest.approx(0.5 * delta_out**2)


# --- step records ------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTINS)
def test_backward_steps_one_per_needed_op_in_reverse_order(name):
    scenario, t = traced(name)
    g = scenario.graph
    needed = g.ancestors_of_output()
    ops = [n.name for n in g.nodes if n.kind == "op" and needed[n.index]]
    assert [s.node for s in t.backward] == list(reversed(ops))
    assert t.backward[0].node == scenario.output
    assert t.backward[0].upstream == 1.0
    # Forward: one step per op node, in creation order.
    assert [s.node for s in t.forward] == [n.name for n in g.nodes if n.kind == "op"]
    # The upstream gradient is complete when a node is visited.
    for step in t.backward:
        assert step.upstream == t.grad(step.node)
        node = g.node(step.node)
        assert [e.input for e in step.edges] == [g.nodes[i].name for i in node.inputs]
        for edge in step.edges:
            assert edge.contribution == pytest.approx(step.upstream * edge.local)
            assert edge.grad_after == pytest.approx(edge.grad_before + edge.contribution)
    # Every node's gradient is the sum of what came back along its edges.
    for node in g.nodes:
        if node.index == g.output:
            continue
        incoming = [e.contribution for s in t.backward for e in s.edges if e.input == node.name]
        assert t.grads[node.index] == pytest.approx(math.fsum(incoming))


def test_nodes_the_output_does_not_need_get_no_backward_step():
    s = loads("inputs: {a: 2, b: 3}\nnodes:\n  dead: a * 10\n  out: a * b\n  after: out + 1\noutput: out\n")
    t = run(s.graph)
    assert [st.node for st in t.backward] == ["out"]
    assert t.grad("dead") == 0
    assert t.grad("after") == 0
    assert t.grad("a") == 3
    assert [st.node for st in t.forward] == ["dead", "out", "after"]


def test_step_records_are_frozen():
    _, t = traced("two_paths")
    for record in (t, t.forward[0], t.backward[0], t.backward[0].edges[0]):
        assert dataclasses.is_dataclass(record)
        for field in dataclasses.fields(record):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(record, field.name, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.backward[0].edges[0].local = 99.0  # type: ignore[misc]
    assert isinstance(t.forward[0], ForwardStep)
    assert isinstance(t.backward[0], BackwardStep)
    assert isinstance(t.backward[0].edges[0], Edge)
    assert isinstance(t.values, tuple) and isinstance(t.grads, tuple)
    assert isinstance(t.backward[0].edges, tuple)


def test_overrides_do_not_change_the_graph():
    s = resolve("shopping")
    run(s.graph, {"apple": 500})
    assert run(s.graph).output_value == pytest.approx(220)
    with pytest.raises(KeyError):
        run(s.graph, {"nope": 1})


# --- numeric trouble -----------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "x", "check"),
    [
        ("1 / x", 0.0, lambda v: v == math.inf),
        ("log(x)", -1.0, math.isnan),
        ("log(x)", 0.0, lambda v: v == -math.inf),
        ("exp(x)", 1000.0, lambda v: v == math.inf),
        ("x ** 0.5", -8.0, math.isnan),
        ("x / x", 0.0, math.isnan),
    ],
)
def test_numeric_trouble_warns_instead_of_raising(expression, x, check):
    s = loads(f"inputs:\n  x: {x}\nnodes:\n  y: {expression}\n  z: y * 2\noutput: z\n")
    t = run(s.graph)
    assert check(t.value("y"))
    step = next(st for st in t.forward if st.node == "y")
    assert step.warning
    later = next(st for st in t.forward if st.node == "z")
    assert later.warning  # the trouble is visible downstream too
    assert t.warnings
    assert not math.isfinite(t.output_value)


def test_backward_trouble_warns():
    # sqrt at 0: finite forward, infinite local derivative.
    s = loads("inputs:\n  x: 0\nnodes:\n  y: x ** 0.5\noutput: y\n")
    t = run(s.graph)
    assert t.output_value == 0
    assert t.backward[0].warning
    assert t.grad("x") == math.inf


def test_nan_through_relu_is_not_hidden():
    s = loads("inputs:\n  x: -1\nnodes:\n  y: log(x)\n  g: relu(y)\n  out: max(g, 0) + 1\noutput: out\n")
    t = run(s.graph)
    assert math.isnan(t.value("g"))
    assert math.isnan(t.output_value)


# --- big graphs ----------------------------------------------------------------


def test_chain_of_100k_nodes_without_recursion():
    g = chain(100_000)
    assert len(g) == 100_000
    limit = sys.getrecursionlimit()
    t = run(g)
    assert sys.getrecursionlimit() == limit
    assert len(t.backward) == g.op_count
    assert math.isfinite(t.output_value)
    # The gradient at x is the product of every local derivative on the chain.
    product = 1.0
    for step in t.backward:
        product *= step.edges[0].local
    assert t.grad("x") == pytest.approx(product, rel=1e-9)
    tangent = analysis.forward_mode(g, t, "x")[-1].tangent
    assert tangent == pytest.approx(t.grad("x"), rel=1e-9)
    assert analysis.count_paths(g, "x") == 1


def test_wide_dag_without_recursion():
    g = wide(50_000)
    t = run(g)
    assert len(t.forward) == g.op_count
    assert 0 < len(t.backward) <= g.op_count
    assert all(math.isfinite(v) for v in t.values)
    assert all(math.isfinite(v) for v in t.grads)
    # Reverse mode agrees with forward mode (each a single linear pass).
    for leaf in ("x0", "x1", "x57"):
        tangent = analysis.forward_mode(g, t, leaf)[-1].tangent
        assert tangent == pytest.approx(t.grad(leaf), rel=1e-9, abs=1e-12)
