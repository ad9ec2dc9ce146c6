"""The op table: local derivatives, formula text, numeric trouble."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from tutor.engine.ops import FUNCTIONS, OPS, evaluate, local_derivative

# Points per op, away from kinks (relu at 0, max/min at ties) and outside
# each op's domain trouble (log and pow need a positive base). The third
# item is the op's constant parameter (the exponent of powc).
POINTS: dict[str, list[tuple[tuple[float, ...], float]]] = {
    "add": [((1.5, -2.0), 0), ((0.3, 7.0), 0), ((-4.0, -0.25), 0)],
    "sub": [((1.5, -2.0), 0), ((0.3, 7.0), 0), ((-4.0, -0.25), 0)],
    "mul": [((1.5, -2.0), 0), ((0.3, 7.0), 0), ((-4.0, -0.25), 0)],
    "div": [((1.5, -2.0), 0), ((0.3, 7.0), 0), ((-4.0, -0.25), 0)],
    "neg": [((1.5,), 0), ((-3.0,), 0), ((0.0,), 0)],
    "reciprocal": [((1.5,), 0), ((-3.0,), 0), ((0.2,), 0)],
    "exp": [((1.5,), 0), ((-3.0,), 0), ((0.0,), 0)],
    "log": [((1.5,), 0), ((0.1,), 0), ((40.0,), 0)],
    "powc": [((1.5,), 2.0), ((-3.0,), 3.0), ((0.7,), 0.5), ((2.0,), -1.0), ((-1.5,), 2.0),
             # at x = 0: x⁰ is constant (slope 0, not 0 × inf), x¹ and x² have slopes 1 and 0
             ((0.0,), 0.0), ((0.0,), 1.0), ((0.0,), 2.0), ((0.0,), 3.0)],
    "pow": [((1.5, 2.0), 0), ((0.7, 0.5), 0), ((3.0, -1.25), 0),
            # at x = 0 with k > 0: 0ᵏ stays 0 as k moves, so d/dk is 0 (not 0 × -inf)
            ((0.0, 2.0), 0), ((0.0, 3.0), 0), ((0.0, 1.0), 0)],
    "sigmoid": [((0.5,), 0), ((-3.0,), 0), ((4.0,), 0)],
    "tanh": [((0.5,), 0), ((-1.5,), 0), ((2.0,), 0)],
    "relu": [((1.5,), 0), ((-2.0,), 0), ((0.3,), 0)],
    "softplus": [((1.5,), 0), ((-2.0,), 0), ((0.0,), 0), ((30.0,), 0), ((-30.0,), 0)],
    "max": [((1.5, -2.0), 0), ((0.3, 7.0), 0), ((-4.0, -0.25), 0)],
    "min": [((1.5, -2.0), 0), ((0.3, 7.0), 0), ((-4.0, -0.25), 0)],
    "identity": [((1.5,), 0), ((-3.0,), 0)],
}


def test_every_op_has_points_and_consistent_arity():
    assert set(POINTS) == set(OPS), "add test points for new ops"
    for name, op in OPS.items():
        assert op.name == name
        assert len(op.derivatives) == op.arity
        assert len(op.formulas) == op.arity
        assert op.rule
        for inputs, _ in POINTS[name]:
            assert len(inputs) == op.arity


def test_functions_map_to_ops():
    for fname, opname in FUNCTIONS.items():
        assert opname in OPS, fname


def test_functions_are_the_ops_written_as_calls():
    assert FUNCTIONS == {name: name for name, op in OPS.items() if op.function}
    assert list(FUNCTIONS) == ["exp", "log", "sigmoid", "tanh", "relu", "softplus", "max", "min"]


def test_softplus_matches_torch_and_never_overflows():
    torch = pytest.importorskip("torch")
    for x in (-800.0, -30.0, -1.5, 0.0, 0.7, 30.0, 800.0):
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        y = torch.nn.functional.softplus(t)  # torch returns x itself past x = 20, as log(1 + eˣ) is then
        y.backward()
        assert evaluate(OPS["softplus"], (x,), 0) == pytest.approx(y.item(), rel=1e-12, abs=1e-300)
        assert local_derivative(OPS["softplus"], (x,), y.item(), 0, 0) == pytest.approx(t.grad.item(), rel=1e-12)


def _listed(text: str, before: str, after: str) -> list[str]:
    """The names between ``before`` and ``after`` in ``text`` (comment marks and backquotes dropped)."""
    flat = " ".join(line.lstrip("# ").strip() for line in text.splitlines())
    start = flat.index(before) + len(before)
    return re.findall(r"[a-z]+", flat[start : flat.index(after, start)].replace("one argument", "").replace("two", ""))


def test_the_starter_file_lists_every_function():
    from tutor.scenario.starter import STARTER

    assert _listed(STARTER, "parentheses, and", ". Each operator") == list(FUNCTIONS)


def test_the_readme_lists_every_function():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    named = _listed(readme, "and the functions", "; the gradient goes to")
    assert named == list(FUNCTIONS)


CASES = [(name, inputs, param) for name, points in POINTS.items() for inputs, param in points]


@pytest.mark.parametrize(("name", "inputs", "param"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_local_derivatives_match_central_differences(name, inputs, param):
    op = OPS[name]
    out = evaluate(op, inputs, param)
    assert math.isfinite(out)
    for i in range(op.arity):
        h = 1e-6 * max(1.0, abs(inputs[i]))
        up = list(inputs)
        up[i] += h
        down = list(inputs)
        down[i] -= h
        numeric = (evaluate(op, tuple(up), param) - evaluate(op, tuple(down), param)) / (2 * h)
        analytic = local_derivative(op, inputs, out, param, i)
        assert analytic == pytest.approx(numeric, rel=1e-6, abs=1e-8), (name, inputs, i)


def test_forward_values():
    assert evaluate(OPS["add"], (2.0, 3.0), 0) == 5.0
    assert evaluate(OPS["sub"], (2.0, 3.0), 0) == -1.0
    assert evaluate(OPS["mul"], (2.0, 3.0), 0) == 6.0
    assert evaluate(OPS["div"], (3.0, 2.0), 0) == 1.5
    assert evaluate(OPS["neg"], (2.0,), 0) == -2.0
    assert evaluate(OPS["reciprocal"], (4.0,), 0) == 0.25
    assert evaluate(OPS["exp"], (0.0,), 0) == 1.0
    assert evaluate(OPS["log"], (math.e,), 0) == pytest.approx(1.0)
    assert evaluate(OPS["powc"], (3.0,), 2.0) == 9.0
    assert evaluate(OPS["pow"], (2.0, 10.0), 0) == 1024.0
    assert evaluate(OPS["sigmoid"], (0.0,), 0) == 0.5
    assert evaluate(OPS["tanh"], (0.0,), 0) == 0.0
    assert evaluate(OPS["relu"], (-2.0,), 0) == 0.0
    assert evaluate(OPS["relu"], (2.0,), 0) == 2.0
    assert evaluate(OPS["max"], (1.0, 2.0), 0) == 2.0
    assert evaluate(OPS["min"], (1.0, 2.0), 0) == 1.0
    assert evaluate(OPS["identity"], (7.0,), 0) == 7.0


def test_sigmoid_is_stable_for_large_inputs():
    assert evaluate(OPS["sigmoid"], (1000.0,), 0) == 1.0
    assert evaluate(OPS["sigmoid"], (-1000.0,), 0) == 0.0
    assert evaluate(OPS["sigmoid"], (-30.0,), 0) == pytest.approx(1 / (1 + math.exp(30)))


def test_relu_gate_and_max_routing():
    relu = OPS["relu"]
    assert local_derivative(relu, (2.0,), 2.0, 0, 0) == 1.0
    assert local_derivative(relu, (-2.0,), 0.0, 0, 0) == 0.0
    mx, mn = OPS["max"], OPS["min"]
    assert [local_derivative(mx, (3.0, 1.0), 3.0, 0, i) for i in (0, 1)] == [1.0, 0.0]
    assert [local_derivative(mx, (1.0, 3.0), 3.0, 0, i) for i in (0, 1)] == [0.0, 1.0]
    assert [local_derivative(mn, (3.0, 1.0), 1.0, 0, i) for i in (0, 1)] == [0.0, 1.0]
    # A tie sends the whole gradient to one input, never to both.
    assert sum(local_derivative(mx, (2.0, 2.0), 2.0, 0, i) for i in (0, 1)) == 1.0
    assert sum(local_derivative(mn, (2.0, 2.0), 2.0, 0, i) for i in (0, 1)) == 1.0


# --- formula text --------------------------------------------------------


def formula(op: str, names: tuple[str, ...], out: str = "y", param: float = 0.0, i: int = 0) -> str:
    return OPS[op].formulas[i](names, out, param)


def test_mul_formula_swaps_inputs():
    assert formula("mul", ("apple", "apple_count"), "apple_price", i=0) == "apple_count"
    assert formula("mul", ("apple", "apple_count"), "apple_price", i=1) == "apple"
    assert formula("mul", ("x", "y"), i=0) == "y"


def test_reciprocal_formula_mentions_minus_y_squared():
    text = formula("reciprocal", ("t",), "y")
    assert "-y²" in text
    assert "t" in text
    # Composite input names are parenthesised.
    assert "-(1 + e)²" in formula("reciprocal", ("t",), "1 + e")


def test_sigmoid_and_tanh_formulas_use_output_name():
    assert formula("sigmoid", ("z1",), "h1") == "h1(1 − h1)"
    assert formula("sigmoid", ("x",), "y") == "y(1 − y)"
    assert formula("tanh", ("x",), "y") == "1 − y²"


def test_other_formulas_use_input_names():
    assert formula("add", ("a", "b"), i=0) == "1" == formula("add", ("a", "b"), i=1)
    assert formula("sub", ("a", "b"), i=1) == "-1"
    assert formula("div", ("a", "b"), i=0) == "1/b"
    assert formula("div", ("a", "b"), i=1) == "-a/b²"
    assert formula("log", ("x",)) == "1/x"
    assert formula("powc", ("t",), param=2.0) == "2·t"
    assert formula("powc", ("t",), param=3.0) == "3·t²"
    assert formula("powc", ("t",), param=0.5) == "0.5·t^-0.5"
    assert "exp(x)" in formula("exp", ("x",), "y")
    assert "y" in formula("pow", ("a", "b"), "y", i=1)
    assert "x" in formula("relu", ("x",))


def test_expressions_read_with_input_names():
    assert OPS["mul"].expression(("apple", "apple_count"), 0) == "apple × apple_count"
    assert OPS["add"].expression(("a", "b"), 0) == "a + b"
    assert OPS["mul"].expression(("a + b", "c"), 0) == "(a + b) × c"
    assert OPS["powc"].expression(("t",), 2.0) == "t²"
    assert OPS["powc"].expression(("t",), -1.0) == "t⁻¹" and OPS["powc"].expression(("t",), 1.5) == "t^1.5"
    assert OPS["reciprocal"].expression(("x",), 0) == "1 / x"


# --- numeric trouble -------------------------------------------------------

TROUBLE = [
    ("div", (1.0, 0.0), 0, math.inf),
    ("div", (-1.0, 0.0), 0, -math.inf),
    ("div", (0.0, 0.0), 0, "nan"),
    ("reciprocal", (0.0,), 0, math.inf),
    ("reciprocal", (-0.0,), 0, -math.inf),
    ("log", (-1.0,), 0, "nan"),
    ("log", (0.0,), 0, -math.inf),
    ("exp", (1000.0,), 0, math.inf),
    ("powc", (-8.0,), 0.5, "nan"),
    ("pow", (-8.0, 0.5), 0, "nan"),
    ("powc", (0.0,), -1.0, math.inf),
    ("powc", (1e200,), 2.0, math.inf),
    ("powc", (-1e200,), 3.0, -math.inf),  # an odd power keeps the sign
    ("powc", (-1e200,), 2.0, math.inf),
    ("pow", (10.0, 400.0), 0, math.inf),
    ("mul", (1e200, 1e200), 0, math.inf),
    ("mul", (math.inf, 0.0), 0, "nan"),
    ("relu", (math.nan,), 0, "nan"),  # nan is not silently turned into 0
    ("max", (math.nan, 1.0), 0, "nan"),
    ("max", (1.0, math.nan), 0, "nan"),
    ("min", (math.nan, 1.0), 0, "nan"),
    ("min", (1.0, math.nan), 0, "nan"),
    ("sigmoid", (math.nan,), 0, "nan"),
]


@pytest.mark.parametrize(("name", "inputs", "param", "expected"), TROUBLE, ids=[f"{t[0]}{t[1]}^{t[2]}" for t in TROUBLE])
def test_numeric_trouble_gives_inf_or_nan_without_raising(name, inputs, param, expected):
    op = OPS[name]
    value = evaluate(op, inputs, param)
    if expected == "nan":
        assert math.isnan(value)
    else:
        assert value == expected
    for i in range(op.arity):
        local = local_derivative(op, inputs, value, param, i)
        assert isinstance(local, float)


def test_derivatives_at_trouble_points_do_not_raise():
    assert local_derivative(OPS["reciprocal"], (0.0,), math.inf, 0, 0) == -math.inf
    assert local_derivative(OPS["log"], (0.0,), -math.inf, 0, 0) == math.inf
    assert math.isnan(local_derivative(OPS["powc"], (-8.0,), math.nan, 0.5, 0))
    assert local_derivative(OPS["div"], (1.0, 0.0), math.inf, 0, 0) == math.inf
    assert math.isinf(local_derivative(OPS["div"], (1.0, 0.0), math.inf, 0, 1))
    assert math.isnan(local_derivative(OPS["relu"], (math.nan,), math.nan, 0, 0))
    for name, op in OPS.items():
        for bad in (0.0, -1.0, math.inf, -math.inf, math.nan, 1e308):
            inputs = (bad,) * op.arity
            out = evaluate(op, inputs, 0.5)
            for i in range(op.arity):
                local_derivative(op, inputs, out, 0.5, i)


def test_zero_to_the_zero_has_slope_zero_in_x():
    """x ** y at (0, 0): x⁰ = 1 whatever x, so d/dx is 0 (central differences agree)."""
    op = OPS["pow"]
    out = evaluate(op, (0.0, 0.0), 0)
    assert out == 1.0
    h = 1e-6
    numeric = (evaluate(op, (h, 0.0), 0) - evaluate(op, (-h, 0.0), 0)) / (2 * h)
    assert local_derivative(op, (0.0, 0.0), out, 0, 0) == numeric == 0.0
