"""Forward mode, paths, numeric check, group view and training."""

from __future__ import annotations

import dataclasses
import math
import time

import pytest

from tutor.engine import analysis
from tutor.engine.graph import Graph
from tutor.scenario import builtin_names, loads, resolve
from tutor.engine.trace import run

BUILTINS = builtin_names()


def traced(name: str, overrides: dict[str, float] | None = None):
    scenario = resolve(name)
    return scenario, run(scenario.graph, overrides)


# --- forward mode ------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTINS)
def test_forward_mode_matches_reverse_mode_for_every_leaf(name):
    scenario, t = traced(name)
    assert scenario.leaves
    for leaf in scenario.leaves:
        steps = analysis.forward_mode(scenario.graph, t, leaf)
        by_node = {s.node: s for s in steps}
        assert by_node[scenario.output].tangent == pytest.approx(t.grad(leaf), rel=1e-12, abs=1e-15)
        for step in steps:
            assert step.tangent == pytest.approx(math.fsum(term.product for term in step.terms))
            for term in step.terms:
                assert term.product == pytest.approx(term.local * term.input_tangent)


def test_forward_mode_two_paths_b():
    scenario, t = traced("two_paths")
    steps = {s.node: s for s in analysis.forward_mode(scenario.graph, t, "b")}
    assert steps["c"].tangent == 1
    assert steps["d"].tangent == 1
    assert steps["e"].tangent == 5
    assert [(term.input, term.local, term.input_tangent) for term in steps["e"].terms] == [("c", 2, 1), ("d", 3, 1)]


def test_forward_mode_rejects_constants_and_ops():
    scenario, t = traced("two_paths")
    with pytest.raises(KeyError):
        analysis.forward_mode(scenario.graph, t, "d.c1")
    with pytest.raises(KeyError):
        analysis.forward_mode(scenario.graph, t, "c")


# --- paths -------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTINS)
def test_path_products_sum_to_the_gradient(name):
    scenario, t = traced(name)
    for leaf in scenario.leaves:
        routes = analysis.paths(scenario.graph, t, leaf)
        assert len(routes) == analysis.count_paths(scenario.graph, leaf)
        assert math.fsum(r.product for r in routes) == pytest.approx(t.grad(leaf), rel=1e-12, abs=1e-15)
        for route in routes:
            assert route.nodes[0] == leaf
            assert route.nodes[-1] == scenario.output
            assert len(route.locals) == len(route.nodes) - 1
            assert route.product == pytest.approx(math.prod(route.locals))


def test_two_paths_b_has_products_2_and_3():
    scenario, t = traced("two_paths")
    routes = analysis.paths(scenario.graph, t, "b")
    assert sorted((r.nodes, r.product) for r in routes) == [(("b", "c", "e"), 2.0), (("b", "d", "e"), 3.0)]
    assert analysis.count_paths(scenario.graph, "b") == 2
    assert analysis.count_paths(scenario.graph, "a") == 1


def test_tiny_net_input_has_one_path_per_hidden_neuron():
    scenario, _ = traced("tiny_net")
    assert analysis.count_paths(scenario.graph, "x1") == 3
    assert analysis.count_paths(scenario.graph, "w11") == 1


def test_leaf_not_reaching_output_has_no_paths():
    s = loads("inputs: {a: 1, b: 2}\nnodes:\n  out: a * 3\noutput: out\n")
    t = run(s.graph)
    assert analysis.count_paths(s.graph, "b") == 0
    assert analysis.paths(s.graph, t, "b") == []


def diamonds(stages: int) -> Graph:
    """x -> (n*2, n*3) -> add, repeated: the number of paths doubles per stage."""
    g = Graph()
    n = g.add_leaf("x", "input", 1.0)
    two = g.add_leaf("two", "const", 0.5)
    three = g.add_leaf("three", "const", 0.25)
    for k in range(stages):
        left = g.add_op(f"l{k}", "mul", (n, two), group=f"l{k}")
        right = g.add_op(f"r{k}", "mul", (n, three), group=f"r{k}")
        n = g.add_op(f"s{k}", "add", (left, right), group=f"s{k}")
    g.output = n
    return g


def test_count_paths_is_exact_and_too_many_raises_quickly():
    g = diamonds(30)
    assert analysis.count_paths(g, "x") == 2**30
    t = run(g)
    start = time.perf_counter()
    with pytest.raises(analysis.TooManyPaths) as info:
        analysis.paths(g, t, "x", limit=1000)
    assert time.perf_counter() - start < 1.0
    assert info.value.count == 2**30
    assert info.value.limit == 1000
    message = str(info.value)
    assert "1,073,741,824" in message
    assert "1,000" in message
    # Exact integer counts even past float precision.
    assert analysis.count_paths(diamonds(200), "x") == 2**200
    g = Graph()
    n = g.add_leaf("x", "input", 1.0)
    for k in range(40):  # three branches per stage: 3**40 is not a float
        a, b, c = (g.add_op(f"{p}{k}", "tanh", (n,), group=f"{p}{k}") for p in "abc")
        n = g.add_op(f"s{k}", "add", (g.add_op(f"t{k}", "add", (a, b), group=f"t{k}"), c), group=f"s{k}")
    g.output = n
    count = analysis.count_paths(g, "x")
    assert isinstance(count, int) and count == 3**40
    assert float(count) != 3**40


def test_paths_within_limit_are_all_listed():
    g = diamonds(5)
    t = run(g)
    routes = analysis.paths(g, t, "x", limit=32)
    assert len(routes) == 32
    assert len({r.nodes for r in routes}) == 32
    assert math.fsum(r.product for r in routes) == pytest.approx(t.grad("x"))
    with pytest.raises(analysis.TooManyPaths):
        analysis.paths(g, t, "x", limit=31)


def test_repeated_input_counts_as_two_edges():
    s = loads("inputs: {x: 3}\nnodes:\n  y: x * x\noutput: y\n")
    t = run(s.graph)
    routes = analysis.paths(s.graph, t, "x")
    assert analysis.count_paths(s.graph, "x") == 2
    assert [r.product for r in routes] == [3.0, 3.0]
    assert t.grad("x") == 6.0


# --- numeric check -----------------------------------------------------------


def test_numeric_check_rows():
    scenario, t = traced("shopping_oranges")
    rows = analysis.numeric_check(scenario.graph, t)
    assert [r.leaf for r in rows] == ["apple", "apple_count", "orange", "orange_count", "tax"]
    for row in rows:
        assert isinstance(row, analysis.NumericRow)
        assert row.backprop == t.grad(row.leaf)
        assert row.numeric == pytest.approx(row.backprop, rel=1e-6)
        assert row.relative_error < 1e-6
        assert row.step == pytest.approx(1e-6 * max(1.0, abs(t.value(row.leaf))))


def test_numeric_check_uses_overrides():
    scenario, t = traced("relu_gate", {"x": -3})
    rows = {r.leaf: r for r in analysis.numeric_check(scenario.graph, t, {"x": -3})}
    assert rows["x"].backprop == 0
    assert rows["x"].numeric == 0
    assert rows["x"].relative_error == 0


def test_numeric_check_catches_a_wrong_gradient():
    scenario, t = traced("two_paths")
    wrong = list(t.grads)
    wrong[scenario.graph.index["b"]] = 3.0  # forgot one of the two paths
    rows = {r.leaf: r for r in analysis.numeric_check(scenario.graph, dataclasses.replace(t, grads=tuple(wrong)))}
    assert rows["b"].relative_error > 0.1
    assert rows["a"].relative_error < 1e-6


# --- group view ----------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTINS)
def test_group_view_gives_the_same_gradients(name):
    scenario, t = traced(name)
    groups = analysis.group_trace(scenario.graph, t)
    assert [s.node for s in groups.forward] == list(scenario.nodes)
    for step in groups.forward:
        assert step.value == t.value(step.node)
    totals: dict[str, float] = {}
    for step in groups.backward:
        assert step.upstream == pytest.approx(t.grad(step.node))
        for edge in step.edges:
            assert edge.contribution == pytest.approx(step.upstream * edge.local)
            totals[edge.input] = totals.get(edge.input, 0.0) + edge.contribution
    for name_, total in totals.items():
        assert total == pytest.approx(t.grad(name_), rel=1e-12, abs=1e-15)


def test_group_view_of_a_neuron():
    scenario, t = traced("tiny_net")
    groups = analysis.group_trace(scenario.graph, t)
    z1 = next(s for s in groups.backward if s.node == "z1")
    assert [e.input for e in z1.edges] == ["w11", "x1", "w12", "x2", "b1"]
    locals_ = {e.input: e.local for e in z1.edges}
    assert locals_["w11"] == pytest.approx(t.value("x1"))
    assert locals_["x1"] == pytest.approx(t.value("w11"))
    assert locals_["b1"] == 1
    assert groups.inputs["z1"] == ("w11", "x1", "w12", "x2", "b1")


# --- training ------------------------------------------------------------------


def test_tiny_net_loss_strictly_decreases():
    scenario = resolve("tiny_net")
    history = analysis.train(scenario.graph, {}, scenario.learning_rate, 10)
    assert len(history) == 10
    losses = [history[0].loss_before] + [s.loss_after for s in history]
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    for previous, step in zip(history, history[1:]):
        assert step.loss_before == pytest.approx(previous.loss_after, rel=1e-12)
        assert step.params_before == previous.params_after


def test_update_is_simultaneous():
    scenario = resolve("tiny_net")
    lr = scenario.learning_rate
    start = {"x1": 0.2, "w11": -0.5}
    step = analysis.train_step(scenario.graph, start, lr)
    reference = run(scenario.graph, start)  # every gradient at the same point
    params = [p.name for p in scenario.graph.params]
    assert list(step.params_before) == params
    assert list(step.grads) == params
    for name in params:
        assert step.params_before[name] == reference.value(name)
        assert step.grads[name] == reference.grad(name)
        assert step.params_after[name] == step.params_before[name] - lr * step.grads[name]
    assert step.params_before["w11"] == -0.5
    assert step.loss_before == reference.output_value
    after = run(scenario.graph, {**start, **step.params_after})
    assert step.loss_after == pytest.approx(after.output_value, rel=1e-12)
    # Inputs are data, not trained.
    assert "x1" not in step.params_after


def test_train_step_without_params_is_harmless():
    scenario = resolve("shopping")
    values = {"apple": 150.0}
    step = analysis.train_step(scenario.graph, values, 0.1)
    assert values == {"apple": 150.0}
    assert step.params_before == step.params_after == step.grads == {}
    assert step.loss_before == step.loss_after == pytest.approx(330)
    history = analysis.train(scenario.graph, values, 0.1, 3)
    assert [s.loss_after for s in history] == [step.loss_after] * 3
    assert analysis.train(scenario.graph, {}, 0.1, 0) == []


# --- +inf meeting -inf, long paths, astronomical counts ------------------------

INF_MEETS_MINUS_INF = "inputs: {x: 2}\nnodes:\n  z: x*1e308*10 - x*1e308*10\noutput: z\n"


def test_forward_mode_gives_nan_with_a_warning_when_inf_meets_minus_inf():
    s = loads(INF_MEETS_MINUS_INF)
    steps = analysis.forward_mode(s.graph, run(s.graph), "x")
    last = steps[-1]
    assert last.node == "z" and math.isnan(last.tangent)
    assert "+inf and -inf" in last.warning
    assert sorted(t.product for t in last.terms) == [-math.inf, math.inf]
    assert all(step.warning == "" for step in steps if math.isfinite(step.tangent))


def test_paths_sum_gives_nan_with_a_warning_when_inf_meets_minus_inf():
    s = loads(INF_MEETS_MINUS_INF)
    routes = analysis.paths(s.graph, run(s.graph), "x")
    assert sorted(r.product for r in routes) == [-math.inf, math.inf]
    value, warning = analysis.path_sum(routes)
    assert math.isnan(value) and "+inf and -inf" in warning
    assert analysis.path_sum([]) == (0.0, "")
    huge = [analysis.Route(("x", "y"), (1e308,), 1e308)] * 3
    assert analysis.path_sum(huge) == (math.inf, "the result is not a finite number")


def _reference_paths(graph, trace, leaf):
    """Every path by plain recursion from the output, copying as it goes (small graphs only)."""
    source = graph.index[leaf]
    found = []

    def walk(index, route, factors):
        if index == source:
            product = 1.0
            for f in reversed(factors):
                product *= f
            found.append((tuple(graph.nodes[i].name for i in reversed(route)), tuple(reversed(factors)), product))
            return
        node = graph.nodes[index]
        if node.kind != "op":
            return
        for i, d in zip(node.inputs, analysis._edge_locals(graph, trace, index)):
            walk(i, route + [i], factors + [d])

    walk(graph.output, [graph.output], [])
    return found


@pytest.mark.parametrize("name", BUILTINS)
def test_paths_equal_a_plain_recursive_enumeration(name):
    scenario, t = traced(name)
    for leaf in scenario.leaves:
        got = [(r.nodes, r.locals, r.product) for r in analysis.paths(scenario.graph, t, leaf)]
        assert got == _reference_paths(scenario.graph, t, leaf)


def test_paths_of_a_long_chain_are_listed_whole():
    count = 20_000
    text = "inputs:\n  x: 1\nnodes:\n  n0: x\n" + "".join(f"  n{k}: n{k - 1} * 1\n" for k in range(1, count))
    s = loads(text + f"output: n{count - 1}\n")
    (route,) = analysis.paths(s.graph, run(s.graph), "x")
    assert route.nodes[0] == "x" and route.nodes[-1] == f"n{count - 1}"
    assert route.nodes == ("x", *(f"n{k}" for k in range(count)))  # the constant leaves lie off the path
    assert route.product == 1.0


def test_too_many_paths_message_for_a_count_of_thousands_of_digits():
    g = diamonds(15_000)
    count = analysis.count_paths(g, "x")
    assert count == 2**15_000
    with pytest.raises(analysis.TooManyPaths) as info:
        analysis.paths(g, run(g), "x")
    assert "about 2.8e4515 paths lead to the output" in str(info.value)
