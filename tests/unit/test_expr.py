"""Expression decomposition: one primitive node per operator, stable names."""

from __future__ import annotations

import pytest

from tutor.engine.expr import ExprError, build, count_ops, parse
from tutor.engine.graph import Graph
from tutor.scenario import loads


def scenario(nodes: str, inputs: str = "x: 2\n  y: 3", output: str | None = None):
    lines = [f"  {line}" for line in nodes.strip().splitlines()]
    last = nodes.strip().splitlines()[-1].split(":")[0].strip()
    text = f"inputs:\n  {inputs}\nnodes:\n" + "\n".join(lines) + f"\noutput: {output or last}\n"
    return loads(text, "<test>")


def ops_of(graph: Graph, group: str):
    return [graph.nodes[i] for i in graph.groups[group]]


def test_neuron_makes_five_primitive_ops_with_derived_names():
    s = loads(
        "inputs: {x1: 0.5, x2: -1}\nparams: {w1: 0.1, w2: 0.2, b1: 0.3}\n"
        "nodes:\n  h1: sigmoid(w1*x1 + w2*x2 + b1)\noutput: h1\n",
        "<n>",
    )
    g = s.graph
    members = ops_of(g, "h1")
    assert [n.name for n in members] == ["h1.mul1", "h1.mul2", "h1.add1", "h1.add2", "h1"]
    assert [n.op for n in members] == ["mul", "mul", "add", "add", "sigmoid"]
    assert all(n.kind == "op" and n.group == "h1" for n in members)
    # Exactly five op nodes in the whole graph, all of them in group h1.
    assert g.op_count == 5
    assert [n.name for n in g.nodes if n.kind == "op" and n.group == "h1"] == [n.name for n in members]
    # The root carries the author's name and the wiring is as written.
    idx = g.index
    assert g.node("h1.mul1").inputs == (idx["w1"], idx["x1"])
    assert g.node("h1.mul2").inputs == (idx["w2"], idx["x2"])
    assert g.node("h1.add1").inputs == (idx["h1.mul1"], idx["h1.mul2"])
    assert g.node("h1.add2").inputs == (idx["h1.add1"], idx["b1"])
    assert g.node("h1").inputs == (idx["h1.add2"],)
    assert g.output == idx["h1"]


def test_constants_become_const_leaves():
    s = scenario("z: 2 * x + 1")
    g = s.graph
    consts = [n for n in g.nodes if n.kind == "const"]
    assert [(n.name, n.value, n.group) for n in consts] == [("z.c1", 2.0, "z"), ("z.c2", 1.0, "z")]
    assert all(n.is_leaf for n in consts)
    assert consts[0].label == "2"
    assert g.node("z.mul1").inputs == (g.index["z.c1"], g.index["x"])
    assert g.node("z").op == "add"
    # Constants are not inputs: not in leaves, not trainable.
    assert [n.name for n in g.leaves] == ["x", "y"]


def test_one_over_x_is_a_reciprocal_node():
    g = scenario("r: 1 / x").graph
    assert g.node("r").op == "reciprocal"
    assert g.node("r").inputs == (g.index["x"],)
    assert not [n for n in g.nodes if n.kind == "const"]
    # Any other numerator stays a divide.
    g = scenario("r: 2 / x").graph
    assert g.node("r").op == "div"


def test_square_is_a_powc_node():
    g = scenario("s: x ** 2").graph
    node = g.node("s")
    assert node.op == "powc"
    assert node.param == 2.0
    assert node.inputs == (g.index["x"],)
    assert not [n for n in g.nodes if n.kind == "const"]
    # A non-constant exponent is a two-input pow.
    g = scenario("s: x ** y").graph
    assert g.node("s").op == "pow"
    assert g.node("s").inputs == (g.index["x"], g.index["y"])


def test_unary_minus_is_neg_and_minus_one_times_is_mul():
    g = scenario("n: -x").graph
    assert g.node("n").op == "neg"
    assert g.node("n").inputs == (g.index["x"],)

    g = scenario("m: -1 * x").graph
    node = g.node("m")
    assert node.op == "mul"
    const = g.nodes[node.inputs[0]]
    assert const.kind == "const" and const.value == -1.0
    assert node.inputs[1] == g.index["x"]


def test_unary_plus_adds_nothing():
    g = scenario("p: +x * y").graph
    assert g.op_count == 1
    assert g.node("p").op == "mul"


def test_bare_name_is_an_identity_node():
    g = scenario("copy: x").graph
    node = g.node("copy")
    assert node.kind == "op" and node.op == "identity"
    assert node.inputs == (g.index["x"],)
    assert g.groups["copy"] == (node.index,)


def test_bare_number_is_a_const_through_identity():
    g = scenario("k: 3").graph
    node = g.node("k")
    assert node.op == "identity"
    assert g.nodes[node.inputs[0]].kind == "const"
    assert g.nodes[node.inputs[0]].value == 3.0


def test_functions_become_their_ops():
    g = scenario("a: exp(x)\nb: log(a)\nc: tanh(b)\nd: relu(c)\ne: max(d, y)\nf: min(e, x)\ng: sigmoid(f)").graph
    assert [g.node(n).op for n in "abcdefg"] == ["exp", "log", "tanh", "relu", "max", "min", "sigmoid"]


def test_names_kept_in_author_order_and_creation_order_is_topological():
    s = loads(
        "inputs:\n  zeta: 1\n  alpha: 2\nparams:\n  mu: 3\n  beta: 4\n"
        "nodes:\n  q: zeta * mu + alpha\n  a: q - beta / zeta\n  b: exp(a) * q\noutput: b\n",
        "<order>",
    )
    g = s.graph
    assert s.named == ["zeta", "alpha", "mu", "beta", "q", "a", "b"]
    assert list(s.inputs) == ["zeta", "alpha"]
    assert list(s.params) == ["mu", "beta"]
    assert list(s.nodes) == ["q", "a", "b"]
    assert list(g.groups) == ["q", "a", "b"]
    # Leaves and groups appear in the graph in the author's order.
    positions = [g.index[name] for name in s.named]
    assert positions == sorted(positions)
    for node in g.nodes:
        assert node.index == g.nodes.index(node)
        assert all(i < node.index for i in node.inputs), node.name
    # Each group's members are contiguous-in-order with the root last.
    for name, members in g.groups.items():
        assert members[-1] == g.index[name]
        assert list(members) == sorted(members)


def test_deterministic():
    text = (
        "inputs: {x1: 0.5, x2: -1}\nparams: {w1: 0.1, w2: 0.2, b1: 0.3, v: 2}\n"
        "nodes:\n  h1: sigmoid(w1*x1 + w2*x2 + b1)\n  y: v * h1 - 1 / (h1 + 2) ** 2\noutput: y\n"
    )
    first = loads(text, "<a>").graph
    second = loads(text, "<a>").graph
    assert [n.name for n in first.nodes] == [n.name for n in second.nodes]
    assert first.nodes == second.nodes
    assert first.groups == second.groups


def test_parse_and_build_directly():
    g = Graph()
    a = g.add_leaf("a", "input", 1.0)
    b = g.add_leaf("b", "input", 2.0)
    tree = parse("a * b + a * 3", {"a": a, "b": b})
    assert count_ops(tree) == 4  # two muls, one add, one const
    members = build(g, "out", tree)
    assert [g.nodes[i].name for i in members] == ["out.mul1", "out.mul2", "out"]
    assert g.node("out.c1").value == 3.0


def test_repeated_op_kinds_are_numbered_in_creation_order():
    g = scenario("t: ((x + y) + (x + 1)) * (y * y)").graph
    members = [g.nodes[i].name for i in g.groups["t"]]
    assert members == ["t.add1", "t.add2", "t.add3", "t.mul1", "t"]
    assert g.node("t.add3").inputs == (g.index["t.add1"], g.index["t.add2"])


@pytest.mark.parametrize(
    "text",
    ["x.real", "x[0]", "x if y else 1", "x > y", "'a'", "__import__('os')", "x // y", "lambda: 1", "foo(x)", "q"],
)
def test_rejects_outside_whitelist(text):
    with pytest.raises(ExprError):
        parse(text, {"x": 0, "y": 1})


def test_the_shortcut_for_simple_expressions_builds_what_the_parser_builds(monkeypatch) -> None:
    """``a + b`` and ``f(a)`` skip Python's parser; every text gets the same tree or the same error either way."""
    import random

    from tutor.engine import expr

    scope = {"a": 0, "b": 1, "x1": 2, "りんご": 3, "_z": 4, "me": 5}
    later = {"soon"}
    pieces = ["a", "b", "x1", "りんご", "_z", "me", "soon", "nope", "lambda", "None", "exp", "max", "tanh", "sigmoid",
              "ｘ", "2", "1", "²x", "a.b"]
    ops = ["+", "-", "*", "/", "**", "//", "%", ""]
    spaces = ["", " ", "  ", "\t", "\u3000", "\n", "\f"]
    rng = random.Random(4)
    texts = []
    for _ in range(4000):
        first, second = rng.choice(pieces), rng.choice(pieces)
        if rng.random() < 0.3:
            texts.append(f"{rng.choice(spaces)}{first}{rng.choice(spaces)}({rng.choice(spaces)}{second}{rng.choice(spaces)}){rng.choice(spaces)}")
        else:
            texts.append(f"{rng.choice(spaces)}{first}{rng.choice(spaces)}{rng.choice(ops)}{rng.choice(spaces)}{second}{rng.choice(spaces)}")

    names = [p for p in pieces if p in scope or p in later]
    for _ in range(1000):  # well-formed ones too, the shortcut's own ground
        first, second = rng.choice(names), rng.choice(names)
        texts.append(rng.choice([f"{first} {rng.choice('+-*/')} {second}", f"{rng.choice(pieces[10:14])}({first})"]))

    def outcome(text: str):
        try:
            return ("tree", parse(text, scope, later, own_name="me"))
        except ExprError as exc:
            return ("error", exc.message, exc.offset, exc.hint)

    fast = [outcome(t) for t in texts]
    shortcuts = sum(1 for t in texts if expr._simple(t, scope, "me") is not None)
    monkeypatch.setattr(expr, "_simple", lambda text, scope, own_name: None)
    slow = [outcome(t) for t in texts]
    assert fast == slow
    assert shortcuts > 300  # the shortcut was taken often
