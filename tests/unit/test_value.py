"""tutor.Value: micrograd's Value, its numbers and its operators, with the differences the tutor needs.

micrograd's own tests (``test/test_engine.py``, compared with torch) run first,
with only the import switched; then every operator against micrograd itself.
"""

from __future__ import annotations

import math

import micrograd.engine
import numpy as np
import pytest
import torch

from tutor import Value
from tutor.engine.ops import OPS, evaluate, local_derivative
from tutor.engine.value import CycleError

# -- micrograd's test/test_engine.py, with `from tutor import Value` -----------------------------------------


def test_sanity_check():

    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xmg, ymg = x, y

    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y

    # forward pass went well
    assert ymg.data == ypt.data.item()
    # backward pass went well
    assert xmg.grad == xpt.grad.item()


def test_more_ops():

    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    amg, bmg, gmg = a, b, g

    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g

    tol = 1e-6
    # forward pass went well
    assert abs(gmg.data - gpt.data.item()) < tol
    # backward pass went well
    assert abs(amg.grad - apt.grad.item()) < tol
    assert abs(bmg.grad - bpt.grad.item()) < tol


# -- the README example and micrograd's own numbers ---------------------------------------------------------


def readme_example(V):
    a = V(-4.0)
    b = V(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return a, b, g


def test_the_readme_example_prints_micrograd_s_numbers():
    a, b, g = readme_example(Value)
    assert f"{g.data:.4f} {a.grad:.4f} {b.grad:.4f}" == "24.7041 138.8338 645.5773"
    ma, mb, mg = readme_example(micrograd.engine.Value)
    assert g.data == mg.data  # the same operations in the same order: the same float
    # micrograd adds a fan-out's contributions in an order its sets choose by memory address, so
    # its last bit moves from run to run; the order itself is checked in test_value_graph.py
    assert a.grad == pytest.approx(ma.grad, rel=1e-14) and b.grad == pytest.approx(mb.grad, rel=1e-14)


def test_the_readme_example_against_torch_float64():
    a, b, g = readme_example(Value)
    ta, tb, tg = readme_example(_torch_value)
    assert g.data == pytest.approx(tg.item(), rel=1e-15)
    assert (a.grad, b.grad) == pytest.approx((ta.grad.item(), tb.grad.item()), rel=1e-14)


def _torch_value(x: float) -> torch.Tensor:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    return t


# -- every operator, as micrograd builds it -----------------------------------------------------------------


def _structure(v, depth: int = 6):
    """The ops and values of a node and its inputs (as a sorted multiset: micrograd keeps a set)."""
    if depth == 0 or not v._prev:
        return (v._op, float(v.data))
    return (v._op, float(v.data), tuple(sorted((_structure(c, depth - 1) for c in v._prev), key=repr)))


BINARY = {
    "a + b": lambda a, b: a + b,
    "a - b": lambda a, b: a - b,
    "a * b": lambda a, b: a * b,
    "a / b": lambda a, b: a / b,
}


@pytest.mark.parametrize("name", list(BINARY))
@pytest.mark.parametrize("left, right", [("value", "value"), ("value", 2.5), ("value", 3), (-1.5, "value"), (2, "value")])
def test_every_operator_builds_micrograd_s_nodes(name: str, left, right) -> None:
    def run(V):
        x = V(1.75)
        y = V(-0.5)
        a = x if left == "value" else left
        b = y if right == "value" else right
        out = BINARY[name](a, b)
        out.backward()
        return out, x, y

    ours, x, y = run(Value)
    theirs, mx, my = run(micrograd.engine.Value)
    assert isinstance(ours, Value)
    assert ours.data == theirs.data
    assert _structure(ours) == _structure(theirs)
    assert (x.grad, y.grad) == (mx.grad, my.grad)


def test_powers_unary_minus_and_relu_build_micrograd_s_nodes() -> None:
    for build in (lambda v: v**2, lambda v: v**-1, lambda v: v**0.5, lambda v: -v, lambda v: v.relu(),
                  lambda v: (-v).relu(), lambda v: 1 - v, lambda v: 10.0 / v):
        ours, theirs = build(Value(1.75)), build(micrograd.engine.Value(1.75))
        assert ours.data == theirs.data
        assert _structure(ours) == _structure(theirs)
        assert ours._op == theirs._op  # '**2', '**-1', '**0.5', '*', 'ReLU', '+'


@pytest.mark.parametrize("number", [np.float64(2.0), np.int64(2), np.float32(2.0), np.int32(-3)])
def test_a_numpy_scalar_on_the_left_gives_a_value(number) -> None:
    v = Value(1.5)
    for out in (number * v, number + v, number - v, number / v):
        assert type(out) is Value, type(out)
        assert type(out.data) is float
    assert (number * v).data == float(number) * 1.5
    assert (number - v).data == float(number) - 1.5
    assert (v * number).data == 1.5 * float(number)
    assert type(Value(np.float64(0.25)).data) is float


def test_plus_equals_makes_a_new_node_and_leaves_the_old_one() -> None:
    a = Value(2.0)
    c = a
    c += 1
    assert c is not a and a.data == 2.0 and c.data == 3.0
    assert c._prev[0] is a and c._op == "+"


def test_sum_with_a_start_value_as_micrograd_s_neuron_uses_it() -> None:
    b = Value(0.5)
    terms = [Value(float(k)) * Value(2.0) for k in range(1, 4)]
    total = sum(terms, b)
    assert total.data == 0.5 + 2 + 4 + 6
    assert total._prev[1] is terms[-1]
    plain = sum(terms)  # starts at 0: 0 + v is v + 0, as in micrograd
    assert plain.data == 12.0
    total.backward()
    assert b.grad == 1.0 and [t._prev[0].grad for t in terms] == [2.0, 2.0, 2.0]


def test_a_repeated_input_is_two_edges() -> None:
    a = Value(3.0)
    square = a * a
    assert square._prev == (a, a)  # micrograd's set would hold one
    square.backward()
    assert a.grad == 6.0


def test_backward_twice_recomputes_intermediates_and_accumulates_leaves() -> None:
    x = Value(-4.0)
    z = 2 * x + 2 + x
    y = z * z + z.relu()
    y.backward()
    first = (z.grad, x.grad)
    y.backward()
    assert z.grad == first[0]  # recomputed, not doubled
    assert x.grad == 2 * first[1]  # accumulated, as torch does
    tx = torch.tensor(-4.0, dtype=torch.float64, requires_grad=True)
    tz = 2 * tx + 2 + tx
    ty = tz * tz + tz.relu()
    ty.backward(retain_graph=True)
    ty.backward()
    assert x.grad == tx.grad.item()
    # micrograd adds the second pass into its stale intermediate gradients: its leaf ends up elsewhere
    mx = micrograd.engine.Value(-4.0)
    mz = 2 * mx + 2 + mx
    my = mz * mz + mz.relu()
    my.backward()
    my.backward()
    assert mx.grad != x.grad


def test_a_long_chain_needs_no_recursion() -> None:
    x = Value(1.0)
    total = x
    for _ in range(100_000):  # micrograd's recursive sort stops at Python's recursion limit long before
        total = total * 1.0 + x
    total.backward()
    assert total.data == 100_001.0 and x.grad == 100_001.0


def test_zero_grad_between_passes_gives_one_pass() -> None:
    w = Value(0.5)
    loss = (w * 3.0 + 1).relu()
    loss.backward()
    w.grad = 0
    loss.backward()
    assert w.grad == 3.0


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: Value("a"), "not str 'a'"),
        (lambda: Value(None), "not NoneType None"),
        (lambda: Value(True), "not bool True"),
        (lambda: Value(1 + 2j), "not complex (1+2j)"),
        (lambda: Value(1) + "x", "for +: str 'x'"),
        (lambda: Value(1) * [1], "for *: list [1]"),
        (lambda: Value(1) - "x", "for -: str 'x'"),
        (lambda: Value(1) / "x", "for /: str 'x'"),
        (lambda: "x" - Value(1), "for -: str 'x'"),
        (lambda: None * Value(1), "for *: NoneType None"),
        (lambda: Value(2) ** Value(3), "not a Value"),
        (lambda: Value(2) ** "3", "not str '3'"),
        (lambda: Value(2) ** True, "not bool True"),
        (lambda: 2 ** Value(3), "int 2"),
        (lambda: Value(1.0, ("a",)), "not str 'a'"),
    ],
)
def test_a_wrong_operand_is_a_type_error_naming_it(make, words: str) -> None:
    with pytest.raises(TypeError) as caught:
        make()
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


# -- the lecture's version: labels, tanh, exp, manual _backward -----------------------------------------------


def test_the_lecture_s_neuron_with_labels_tanh_and_manual_backward_steps() -> None:
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    o.label = "o"
    o.grad = 1.0
    o._backward()
    n._backward()
    assert n.grad == pytest.approx(0.5) and b.grad == pytest.approx(0.5)
    x1w1x2w2._backward()
    x1w1._backward()
    assert x1.grad == pytest.approx(-1.5) and w1.grad == pytest.approx(1.0)
    # the same again from exp, as the lecture expands tanh
    e = (2 * n).exp()
    o2 = (e - 1) / (e + 1)
    assert o2.data == pytest.approx(o.data, rel=1e-15)


def test_a_custom_op_with_its_own_backward_closure() -> None:
    class Cube(Value):
        def cube(self):
            out = Value(self.data**3, (self,), "cube")

            def _backward():
                self.grad += 3 * self.data**2 * out.grad

            out._backward = _backward
            return out

    x = Cube(2.0)
    y = x.cube() + x
    y.backward()
    assert x.grad == 13.0


def test_an_op_without_a_rule_says_so() -> None:
    x = Value(2.0)
    y = Value(4.0, (x,), "square")
    with pytest.raises(ValueError, match="no gradient rule for a node with op 'square'"):
        y.backward()


def test_an_input_made_later_by_changing_prev_still_backpropagates_in_order() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    later = Value(5.0)
    c._prev = (a, later)  # c now reads a node made after it: creation order is no longer an order
    d.backward()
    assert (a.grad, later.grad, b.grad) == (5.0 + 1.0, 1.0, 0.0)


def test_a_cycle_made_by_changing_prev_is_refused() -> None:
    a = Value(1.0, label="a")
    b = a * 2
    c = b + 1
    a._prev = (c,)
    a._op = "+"
    with pytest.raises(CycleError, match="the graph has a cycle") as caught:
        c.backward()
    assert isinstance(caught.value, ValueError) and "\n" not in str(caught.value)


# -- the inline rules are the op table's ------------------------------------------------------------------------

SPECIAL = [-2.5, -1.0, -0.0, 0.0, 1e-300, 0.5, 3.0, 1e300, math.inf, -math.inf, math.nan]


def _same(x: float, y: float) -> bool:
    return (math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))


@pytest.mark.parametrize("x", SPECIAL)
@pytest.mark.parametrize("upstream", [1.0, -2.0, math.inf])
def test_inline_forward_and_backward_match_the_op_table(x: float, upstream: float) -> None:
    cases = {
        "relu": lambda v: v.relu(),
        "tanh": lambda v: v.tanh(),
        "exp": lambda v: v.exp(),
        "log": lambda v: v.log(),
        "sigmoid": lambda v: v.sigmoid(),
    }
    for op, make in cases.items():
        v = Value(x)
        out = make(v)
        assert _same(out.data, evaluate(OPS[op], (x, x), 0.0)), op
        out.grad = upstream
        out._backward()
        assert _same(v.grad, 0.0 + upstream * local_derivative(OPS[op], (x, x), out.data, 0.0, 0)), op
        # backward() takes the inline path for relu; the same number
        w = Value(x)
        top = make(w) * upstream
        top.backward()
        assert _same(w.grad, 0.0 + upstream * local_derivative(OPS[op], (x, x), out.data, 0.0, 0)), op
    for y in (2.0, -0.0, math.nan):
        for op, make in (("add", lambda a, b: a + b), ("mul", lambda a, b: a * b)):
            a, b = Value(x), Value(y)
            out = make(a, b)
            assert _same(out.data, evaluate(OPS[op], (x, y), 0.0)), op
            (out * upstream).backward()
            assert _same(a.grad, 0.0 + upstream * local_derivative(OPS[op], (x, y), out.data, 0.0, 0)), op
            assert _same(b.grad, 0.0 + upstream * local_derivative(OPS[op], (x, y), out.data, 0.0, 1)), op


def test_numeric_trouble_gives_inf_or_nan_not_an_exception() -> None:
    assert Value(1.0) / 0 is not None and (Value(1.0) / 0).data == math.inf
    assert (Value(0.0) ** -1).data == math.inf
    assert Value(1000.0).exp().data == math.inf
    assert Value(0.0).log().data == -math.inf
    assert math.isnan(Value(-1.0).log().data)
    assert math.isnan((Value(-8.0) ** (1 / 3)).data)


def test_repr_is_micrograd_s() -> None:
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert repr(Value(2)) == "Value(data=2.0, grad=0.0)"
