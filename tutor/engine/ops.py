"""The table of primitive operations.

Every primitive node in a graph is one of the ops below. Each op carries its
forward function, one local-derivative function per input, the formula text a
learner sees for each of those derivatives, and a short rule used for hints.
The engine, the JSON output and the UI all read this one table, so the number
on screen and the formula beside it can never disagree.

Forward and derivative functions take plain floats and never raise: numeric
trouble (1/0, log of a negative number, exp overflow) gives inf or nan, and
the engine attaches a warning to the step.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from typing import Callable

from tutor.engine.array_ops import ARRAYS, ArrayDerivative, ArrayForward
from tutor.records import record

INF = math.inf
NAN = math.nan

# A local derivative receives the input values, the node's own output value
# and the op's constant parameter (only `powc` uses it).
Derivative = Callable[[tuple[float, ...], float, float], float]
Formula = Callable[[tuple[str, ...], str, float], str]


@record(slots=True)
class Op:
    """One primitive operation and everything a learner needs to know about it."""

    name: str
    """Key in the table, e.g. ``"mul"``."""
    arity: int
    forward: Callable[[tuple[float, ...], float], float]
    derivatives: tuple[Derivative, ...]
    """One local derivative per input: d(out)/d(input i)."""
    formulas: tuple[Formula, ...]
    """Formula text for each local derivative, given the input names."""
    expression: Callable[[tuple[str, ...], float], str]
    """How the node reads as an expression, e.g. ``a + b``."""
    rule: str
    """One sentence a learner can apply; used in explanations and quiz hints."""
    symbol: str
    """Short label drawn on the op's graph box, e.g. ``×``."""
    trouble: str = ""
    """What non-finite output usually means for this op."""
    function: bool = False
    """Written as a call in expressions (``exp(x)``, ``max(a, b)``); the others come from operators."""
    array_forward: ArrayForward | None = None
    """The forward function over numpy arrays (all rows of a batch at once)."""
    array_derivatives: tuple[ArrayDerivative, ...] = ()
    """The local derivatives over numpy arrays, one per input, as ``derivatives``."""


# --- safe scalar helpers -------------------------------------------------


def _div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or math.isnan(a):
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _log(x: float) -> float:
    if math.isnan(x) or x < 0:
        return NAN
    if x == 0:
        return -INF
    return math.log(x)


def _pow(a: float, b: float) -> float:
    try:
        result = a**b
    except (ZeroDivisionError, OverflowError):
        # 0 to a negative power, or a result too large: infinite, negative
        # when a negative base (or -0.0) meets an odd integer exponent.
        negative = math.copysign(1.0, a) < 0 and float(b).is_integer() and b % 2 == 1
        return -INF if negative else INF
    if isinstance(result, complex):
        return NAN
    return float(result)


def _power_rule(x: float, n: float) -> float:
    """d(xⁿ)/dx = n·xⁿ⁻¹; for n = 0, x⁰ = 1 is constant and the slope is 0,
    even at x = 0 (where n·xⁿ⁻¹ would read 0 × inf)."""
    if n == 0:
        return 0.0
    return n * _pow(x, n - 1)


def _exponent_rule(x: float, y: float, out: float) -> float:
    """d(xʸ)/dy = xʸ·ln x; at x = 0 with y > 0, xʸ stays 0 around y and the
    slope is 0 (where xʸ·ln x would read 0 × -inf)."""
    if x == 0 and y > 0:
        return 0.0
    return _mul(out, _log(x))


def _mul(a: float, b: float) -> float:
    return a * b


def _sigmoid(x: float) -> float:
    # Two branches keep exp from overflowing for large |x|.
    if x >= 0:
        return 1.0 / (1.0 + _exp(-x))
    e = _exp(x)
    return e / (1.0 + e)


def _num(n: float) -> str:
    """A constant as written in a formula: 2 rather than 2.0."""
    from tutor.engine.numbers import fmt

    return fmt(n)


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_text(base: str, n: float) -> str:
    """``base`` to the power ``n`` as a learner writes it: t², x⁻¹, and t^0.5 when not a small whole number."""
    if float(n).is_integer() and -99 <= n <= 99:
        return base + str(int(n)).translate(_SUPERSCRIPT)
    return f"{base}^{_num(n)}"


def _closes_at_end(text: str, start: int) -> bool:
    """True when the parenthesis opened at ``start`` is closed by the last character."""
    depth = 0
    for position in range(start, len(text)):
        depth += text[position] == "("
        depth -= text[position] == ")"
        if depth == 0:
            return position == len(text) - 1
    return False


def _is_atom(text: str) -> bool:
    """True for a name, a number, a parenthesised group, or one call such as ``exp(x)``."""
    if text.replace("_", "a").replace(".", "a").isalnum():
        return True
    if text.startswith("(") and text.endswith(")"):
        return _closes_at_end(text, 0)
    try:
        float(text)
        return True
    except ValueError:
        pass
    if text.count("^") == 1 and " " not in text:
        base, _, exponent = text.partition("^")
        return _is_atom(base) and _is_atom(exponent)
    if text.endswith(")") and "(" in text:
        opening = text.index("(")
        return text[:opening].replace("_", "a").isalnum() and _closes_at_end(text, opening)
    return False


@lru_cache(maxsize=1 << 16)  # a big trace writes each name into several formulas
def _wrap(name: str) -> str:
    """Parenthesise a name that is not a single token, for formula text."""
    return name if _is_atom(name) else f"({name})"


def _bare(text: str) -> str:
    """A call's argument without one pair of enclosing parentheses: ``exp(-0.5)``, not ``exp((-0.5))``."""
    if text.startswith("(") and _closes_at_end(text, 0):
        return text[1:-1]
    return text


# --- the table -----------------------------------------------------------

OPS: dict[str, Op] = {}


def _register(op: Op) -> Op:
    OPS[op.name] = op
    return op


_register(
    Op(
        name="add",
        arity=2,
        forward=lambda v, n: v[0] + v[1],
        # d(x + y)/dx = 1, d(x + y)/dy = 1
        derivatives=(lambda v, o, n: 1.0, lambda v, o, n: 1.0),
        formulas=(lambda a, o, n: "1", lambda a, o, n: "1"),
        expression=lambda a, n: f"{a[0]} + {a[1]}",
        rule="An add node passes the upstream gradient to both inputs unchanged (local derivative 1).",
        symbol="+",
    )
)
_register(
    Op(
        name="sub",
        arity=2,
        forward=lambda v, n: v[0] - v[1],
        # d(x - y)/dx = 1, d(x - y)/dy = -1
        derivatives=(lambda v, o, n: 1.0, lambda v, o, n: -1.0),
        formulas=(lambda a, o, n: "1", lambda a, o, n: "-1"),
        expression=lambda a, n: f"{a[0]} - {a[1]}",
        rule="A subtract node passes the gradient to the first input and its negative to the second.",
        symbol="−",
    )
)
_register(
    Op(
        name="mul",
        arity=2,
        forward=lambda v, n: _mul(v[0], v[1]),
        # d(x * y)/dx = y, d(x * y)/dy = x: the inputs are swapped
        derivatives=(lambda v, o, n: v[1], lambda v, o, n: v[0]),
        formulas=(lambda a, o, n: a[1], lambda a, o, n: a[0]),
        expression=lambda a, n: f"{_wrap(a[0])} × {_wrap(a[1])}",
        rule="A multiply node sends back the *other* input: d(u·v)/du = v and d(u·v)/dv = u.",
        symbol="×",
    )
)
_register(
    Op(
        name="div",
        arity=2,
        forward=lambda v, n: _div(v[0], v[1]),
        # d(x / y)/dx = 1/y, d(x / y)/dy = -x/y²
        derivatives=(
            lambda v, o, n: _div(1.0, v[1]),
            lambda v, o, n: -_div(v[0], v[1] * v[1]),
        ),
        formulas=(
            lambda a, o, n: f"1/{_wrap(a[1])}",
            lambda a, o, n: f"-{_wrap(a[0])}/{_wrap(a[1])}²",
        ),
        expression=lambda a, n: f"{_wrap(a[0])} / {_wrap(a[1])}",
        rule="A divide node u/v sends back 1/v to u and -u/v² to v.",
        symbol="÷",
        trouble="division by zero",
    )
)
_register(
    Op(
        name="neg",
        arity=1,
        forward=lambda v, n: -v[0],
        # d(-x)/dx = -1
        derivatives=(lambda v, o, n: -1.0,),
        formulas=(lambda a, o, n: "-1",),
        expression=lambda a, n: f"-{_wrap(a[0])}",
        rule="A negate node flips the sign of the gradient (local derivative -1).",
        symbol="−x",
    )
)
_register(
    Op(
        name="reciprocal",
        arity=1,
        forward=lambda v, n: _div(1.0, v[0]),
        # d(1/x)/dx = -1/x² = -y²
        derivatives=(lambda v, o, n: -(o * o),),
        formulas=(lambda a, o, n: f"-1/{_wrap(a[0])}² = -{_wrap(o)}²",),
        expression=lambda a, n: f"1 / {_wrap(a[0])}",
        rule="A 1/u node sends back -1/u², which is minus its own output squared.",
        symbol="1/x",
        trouble="division by zero",
    )
)
_register(
    Op(
        name="exp",
        function=True,
        arity=1,
        forward=lambda v, n: _exp(v[0]),
        # d(e^x)/dx = e^x = y
        derivatives=(lambda v, o, n: o,),
        formulas=(lambda a, o, n: f"exp({a[0]}) = {o}",),
        expression=lambda a, n: f"exp({_bare(a[0])})",
        rule="An exp node sends back its own output: d(eᵘ)/du = eᵘ.",
        symbol="exp",
        trouble="exp overflowed",
    )
)
_register(
    Op(
        name="log",
        function=True,
        arity=1,
        forward=lambda v, n: _log(v[0]),
        # d(ln x)/dx = 1/x
        derivatives=(lambda v, o, n: _div(1.0, v[0]),),
        formulas=(lambda a, o, n: f"1/{_wrap(a[0])}",),
        expression=lambda a, n: f"log({_bare(a[0])})",
        rule="A log node log(u) sends back 1/u.",
        symbol="log",
        trouble="log of a number that is not positive",
    )
)
_register(
    Op(
        name="powc",
        arity=1,
        forward=lambda v, n: _pow(v[0], n),
        # d(x^n)/dx = n·x^(n-1)
        derivatives=(lambda v, o, n: _power_rule(v[0], n),),
        formulas=(
            lambda a, o, n: f"{_num(n)}·{_wrap(a[0])}"
            if n == 2
            else f"{_num(n)}·{power_text(_wrap(a[0]), n - 1)}",
        ),
        expression=lambda a, n: power_text(_wrap(a[0]), n),
        rule="A power node uⁿ sends back n·uⁿ⁻¹ (for a square, 2u).",
        symbol="xⁿ",
        trouble="power out of range (negative base or overflow)",
    )
)
_register(
    Op(
        name="pow",
        arity=2,
        forward=lambda v, n: _pow(v[0], v[1]),
        # d(x^y)/dx = y·x^(y-1), d(x^y)/dy = x^y·ln x
        derivatives=(
            lambda v, o, n: _power_rule(v[0], v[1]),
            lambda v, o, n: _exponent_rule(v[0], v[1], o),
        ),
        formulas=(
            lambda a, o, n: f"{_wrap(a[1])}·{_wrap(a[0])}^({a[1]} - 1)",
            lambda a, o, n: f"{_wrap(o)}·ln {_wrap(a[0])}",
        ),
        expression=lambda a, n: f"{_wrap(a[0])}^{_wrap(a[1])}",
        rule="A power node uᵛ sends back v·uᵛ⁻¹ to u and uᵛ·ln u to v.",
        symbol="xʸ",
        trouble="power out of range (negative base or overflow)",
    )
)
_register(
    Op(
        name="sigmoid",
        function=True,
        arity=1,
        forward=lambda v, n: _sigmoid(v[0]),
        # dσ(x)/dx = σ(x)(1 - σ(x)) = y(1 - y)
        derivatives=(lambda v, o, n: o * (1.0 - o),),
        formulas=(lambda a, o, n: f"{_wrap(o)}(1 − {_wrap(o)})",),
        expression=lambda a, n: f"sigmoid({_bare(a[0])})",
        rule="A sigmoid node sends back y(1 - y), where y is its own output.",
        symbol="σ",
    )
)
_register(
    Op(
        name="tanh",
        function=True,
        arity=1,
        forward=lambda v, n: math.tanh(v[0]),
        # d tanh(x)/dx = 1 - tanh²(x) = 1 - y²
        derivatives=(lambda v, o, n: 1.0 - o * o,),
        formulas=(lambda a, o, n: f"1 − {_wrap(o)}²",),
        expression=lambda a, n: f"tanh({_bare(a[0])})",
        rule="A tanh node sends back 1 - y², where y is its own output.",
        symbol="tanh",
    )
)
_register(
    Op(
        name="relu",
        function=True,
        arity=1,
        forward=lambda v, n: v[0] if v[0] > 0 or math.isnan(v[0]) else 0.0,
        # d max(0, x)/dx = 1 if x > 0 else 0: the gate is open or closed
        derivatives=(lambda v, o, n: 1.0 if v[0] > 0 else (NAN if math.isnan(v[0]) else 0.0),),
        formulas=(lambda a, o, n: f"1 if {a[0]} > 0 else 0",),
        expression=lambda a, n: f"relu({_bare(a[0])})",
        rule="A ReLU node passes the gradient when its input is positive and blocks it (0) otherwise.",
        symbol="ReLU",
    )
)
_register(
    Op(
        name="max",
        function=True,
        arity=2,
        forward=lambda v, n: v[0] if v[0] >= v[1] or math.isnan(v[0]) else v[1],
        # d max(x, y)/dx = 1 if x >= y else 0 (ties go to the first input)
        derivatives=(
            lambda v, o, n: 1.0 if v[0] >= v[1] else 0.0,
            lambda v, o, n: 0.0 if v[0] >= v[1] else 1.0,
        ),
        formulas=(
            lambda a, o, n: f"1 if {a[0]} ≥ {a[1]} else 0",
            lambda a, o, n: f"1 if {a[1]} > {a[0]} else 0",
        ),
        expression=lambda a, n: f"max({_bare(a[0])}, {_bare(a[1])})",
        rule="A max node routes the whole gradient to the larger input and 0 to the other.",
        symbol="max",
    )
)
_register(
    Op(
        name="min",
        function=True,
        arity=2,
        forward=lambda v, n: v[0] if v[0] <= v[1] or math.isnan(v[0]) else v[1],
        # d min(x, y)/dx = 1 if x <= y else 0 (ties go to the first input)
        derivatives=(
            lambda v, o, n: 1.0 if v[0] <= v[1] else 0.0,
            lambda v, o, n: 0.0 if v[0] <= v[1] else 1.0,
        ),
        formulas=(
            lambda a, o, n: f"1 if {a[0]} ≤ {a[1]} else 0",
            lambda a, o, n: f"1 if {a[1]} < {a[0]} else 0",
        ),
        expression=lambda a, n: f"min({_bare(a[0])}, {_bare(a[1])})",
        rule="A min node routes the whole gradient to the smaller input and 0 to the other.",
        symbol="min",
    )
)
_register(
    Op(
        name="identity",
        arity=1,
        forward=lambda v, n: v[0],
        # d(x)/dx = 1
        derivatives=(lambda v, o, n: 1.0,),
        formulas=(lambda a, o, n: "1",),
        expression=lambda a, n: a[0],
        rule="An identity node copies its input; the gradient passes through unchanged.",
        symbol="=",
    )
)


# --- array versions, for the batch engine (kept in array_ops) -----------------

for _name, (_forward, _derivatives) in ARRAYS.items():
    OPS[_name] = replace(OPS[_name], array_forward=_forward, array_derivatives=_derivatives)


def symbol(op: str, param: float = 0.0, base: str = "x") -> str:
    """The box label of an op; a power reads t² or t³ (with its input's name as ``base``), t^0.5 when not whole."""
    if op == "powc":
        return power_text(base, param)
    return OPS[op].symbol


FUNCTIONS: dict[str, str] = {op.name: op.name for op in OPS.values() if op.function}
"""Function names allowed in expressions, mapped to the op they build."""


def local_derivative(op: Op, inputs: tuple[float, ...], out: float, param: float, i: int) -> float:
    """d(out)/d(input i), never raising: arithmetic trouble becomes nan or inf."""
    try:
        return float(op.derivatives[i](inputs, out, param))
    except (ZeroDivisionError, OverflowError, ValueError):
        return NAN


def evaluate(op: Op, inputs: tuple[float, ...], param: float) -> float:
    """The op's output, never raising: arithmetic trouble becomes nan or inf."""
    try:
        return float(op.forward(inputs, param))
    except (ZeroDivisionError, OverflowError, ValueError):
        return NAN


# Learner-facing op names and local derivatives with numbers (kept in their own module).
from tutor.engine.op_words import TITLES, local_numbers, title  # noqa: E402

