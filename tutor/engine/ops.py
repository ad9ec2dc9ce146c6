"""The table of primitive operations: one record per op, holding everything about it.

Every primitive node in a graph is one of the ops below. An op's record
carries its forward function and one local derivative per input (over floats,
and over numpy arrays for the batch engine), the formula text a learner sees
for each derivative and how it reads with the numbers put in, its name, the
label drawn on its box, a rule used in explanations and hints, and, for the
ops a neuron may use as its activation, how the neuron view writes it. The
engine, the batch engine, the lessons, the drawings, the scenario format's
function list, the starter file and the schema all read this one table, so
adding an op is one ``register(Op(...))`` (and its tests).

Forward and derivative functions take plain floats and never raise: numeric
trouble (1/0, log of a negative number, exp overflow) gives inf or nan, and
the engine attaches a warning to the step.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from tutor.engine import arithmetic as a
from tutor.engine.arithmetic import INF, NAN, ONE
from tutor.startup import numpy as np
from tutor.engine.formulas import bare, power_text, wrap
from tutor.engine.numbers import fmt, operand
from tutor.i18n import N_
from tutor.records import record

__all__ = [
    "ACTIVATIONS", "FUNCTIONS", "INF", "NAN", "OPS", "Activation", "Op", "evaluate", "local_derivative",
    "local_numbers", "power_text", "register", "symbol", "title",
]

Forward = Callable[[tuple[float, ...], float], float]
"""Receives the input values and the op's constant parameter (only ``powc`` uses it)."""
Derivative = Callable[[tuple[float, ...], float, float], float]
"""Receives the input values, the node's own output value and the op's parameter."""
Formula = Callable[[tuple[str, ...], str, float], str]
"""Receives the input names, the node's name and the op's parameter."""
Numbers = Callable[[tuple[float, ...], float, float, int], str]
"""Receives the input values, the output value, the parameter and which input."""
ArrayForward = Callable[[tuple[Any, ...], float], Any]
ArrayDerivative = Callable[[tuple[Any, ...], Any, float], Any]


@record(slots=True)
class Activation:
    """How an op reads as a neuron's activation, in the neuron view."""

    symbol: str
    """Written after the neuron's name on the drawing, e.g. ``σ``."""
    derivative: str
    """Its derivative in terms of the weighted sum z, e.g. ``σ(z)(1 − σ(z))``."""
    rule: str
    """Its derivative in terms of the neuron's output, ``{a}`` standing for it: ``{a}(1 − {a})``."""


@record(slots=True)
class Op:
    """One primitive operation and everything a learner needs to know about it."""

    name: str
    """Key in the table, e.g. ``"mul"``."""
    title: str
    """Its name as a learner reads it: "multiply", "power" (not the table's key "powc"); in English, marked for
    the catalogue (``N_``) and translated where a learner reads it, as are ``rule`` and ``trouble``."""
    arity: int
    forward: Forward
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
    array_forward: ArrayForward
    """The forward function over numpy arrays (all rows of a batch at once)."""
    array_derivatives: tuple[ArrayDerivative, ...]
    """The local derivatives over numpy arrays, one per input, as ``derivatives`` (``ONE`` for a constant 1)."""
    numbers: Numbers | None = None
    """A local derivative with the numbers put in, e.g. ``0.622459 × (1 − 0.622459)``; None when the formula
    is a single number or name already (add, multiply...), where the number alone says it all."""
    trouble: str = ""
    """What non-finite output usually means for this op."""
    function: bool = False
    """Written as a call in expressions (``exp(x)``, ``max(a, b)``); the others come from operators."""
    activation: Activation | None = None
    """Set for the ops a neuron may use as its activation."""


OPS: dict[str, Op] = {}


def register(op: Op) -> Op:
    """Add ``op`` to the table (the order of registration is the order of every list made from it)."""
    if op.arity not in (1, 2) or not (len(op.derivatives) == len(op.formulas) == len(op.array_derivatives) == op.arity):
        raise ValueError(f"op {op.name!r}: one derivative, formula and array derivative per input")
    OPS[op.name] = op
    return op


register(Op(
    name="add", title=N_("add"), arity=2, symbol="+",
    forward=lambda v, n: v[0] + v[1],
    # d(x + y)/dx = 1, d(x + y)/dy = 1
    derivatives=(lambda v, o, n: 1.0, lambda v, o, n: 1.0),
    formulas=(lambda a_, o, n: "1", lambda a_, o, n: "1"),
    expression=lambda a_, n: f"{a_[0]} + {a_[1]}",
    rule=N_("An add node passes the upstream gradient to both inputs unchanged (local derivative 1)."),
    array_forward=lambda v, n: v[0] + v[1],
    array_derivatives=(lambda v, o, n: ONE, lambda v, o, n: ONE),
))
register(Op(
    name="sub", title=N_("subtract"), arity=2, symbol="−",
    forward=lambda v, n: v[0] - v[1],
    # d(x - y)/dx = 1, d(x - y)/dy = -1
    derivatives=(lambda v, o, n: 1.0, lambda v, o, n: -1.0),
    formulas=(lambda a_, o, n: "1", lambda a_, o, n: "-1"),
    expression=lambda a_, n: f"{a_[0]} - {a_[1]}",
    rule=N_("A subtract node passes the gradient to the first input and its negative to the second."),
    array_forward=lambda v, n: v[0] - v[1],
    array_derivatives=(lambda v, o, n: ONE, lambda v, o, n: -1.0),
))
register(Op(
    name="mul", title=N_("multiply"), arity=2, symbol="×",
    forward=lambda v, n: v[0] * v[1],
    # d(x * y)/dx = y, d(x * y)/dy = x: the inputs are swapped
    derivatives=(lambda v, o, n: v[1], lambda v, o, n: v[0]),
    formulas=(lambda a_, o, n: a_[1], lambda a_, o, n: a_[0]),
    expression=lambda a_, n: f"{wrap(a_[0])} × {wrap(a_[1])}",
    rule=N_("A multiply node sends back the *other* input: d(u·v)/du = v and d(u·v)/dv = u."),
    array_forward=lambda v, n: v[0] * v[1],
    array_derivatives=(lambda v, o, n: v[1], lambda v, o, n: v[0]),
))
register(Op(
    name="div", title=N_("divide"), arity=2, symbol="÷",
    forward=lambda v, n: a.div(v[0], v[1]),
    # d(x / y)/dx = 1/y, d(x / y)/dy = -x/y²
    derivatives=(lambda v, o, n: a.div(1.0, v[1]), lambda v, o, n: -a.div(v[0], v[1] * v[1])),
    formulas=(lambda a_, o, n: f"1/{wrap(a_[1])}", lambda a_, o, n: f"-{wrap(a_[0])}/{wrap(a_[1])}²"),
    numbers=lambda v, o, n, i: f"1/{operand(v[1])}" if i == 0 else f"−{operand(v[0])}/{operand(v[1])}²",
    expression=lambda a_, n: f"{wrap(a_[0])} / {wrap(a_[1])}",
    rule=N_("A divide node u/v sends back 1/v to u and -u/v² to v."),
    trouble=N_("division by zero"),
    array_forward=lambda v, n: np.divide(v[0], v[1]),
    array_derivatives=(lambda v, o, n: np.divide(1.0, v[1]), lambda v, o, n: -np.divide(v[0], v[1] * v[1])),
))
register(Op(
    name="neg", title=N_("negate"), arity=1, symbol="−x",
    forward=lambda v, n: -v[0],
    # d(-x)/dx = -1
    derivatives=(lambda v, o, n: -1.0,),
    formulas=(lambda a_, o, n: "-1",),
    expression=lambda a_, n: f"-{wrap(a_[0])}",
    rule=N_("A negate node flips the sign of the gradient (local derivative -1)."),
    array_forward=lambda v, n: -v[0],
    array_derivatives=(lambda v, o, n: -1.0,),
))
register(Op(
    name="reciprocal", title=N_("reciprocal (1/·)"), arity=1, symbol="1/x",
    forward=lambda v, n: a.div(1.0, v[0]),
    # d(1/x)/dx = -1/x² = -y²
    derivatives=(lambda v, o, n: -(o * o),),
    formulas=(lambda a_, o, n: f"-1/{wrap(a_[0])}² = -{wrap(o)}²",),
    numbers=lambda v, o, n, i: f"−{operand(o)}²",
    expression=lambda a_, n: f"1 / {wrap(a_[0])}",
    rule=N_("A 1/u node sends back -1/u², which is minus its own output squared."),
    trouble=N_("division by zero"),
    array_forward=lambda v, n: np.divide(1.0, v[0]),
    array_derivatives=(lambda v, o, n: -(o * o),),
))
register(Op(
    name="exp", title=N_("exp"), arity=1, symbol="exp", function=True,
    forward=lambda v, n: a.exp(v[0]),
    # d(e^x)/dx = e^x = y
    derivatives=(lambda v, o, n: o,),
    formulas=(lambda a_, o, n: f"exp({a_[0]}) = {o}",),
    numbers=lambda v, o, n, i: f"exp({fmt(v[0])})",
    expression=lambda a_, n: f"exp({bare(a_[0])})",
    rule=N_("An exp node sends back its own output: d(eᵘ)/du = eᵘ."),
    trouble=N_("exp overflowed"),
    array_forward=lambda v, n: np.exp(v[0]),
    array_derivatives=(lambda v, o, n: o,),
))
register(Op(
    name="log", title=N_("log"), arity=1, symbol="log", function=True,
    forward=lambda v, n: a.log(v[0]),
    # d(ln x)/dx = 1/x
    derivatives=(lambda v, o, n: a.div(1.0, v[0]),),
    formulas=(lambda a_, o, n: f"1/{wrap(a_[0])}",),
    numbers=lambda v, o, n, i: f"1/{operand(v[0])}",
    expression=lambda a_, n: f"log({bare(a_[0])})",
    rule=N_("A log node log(u) sends back 1/u."),
    trouble=N_("log of a number that is not positive"),
    array_forward=lambda v, n: np.log(v[0]),
    array_derivatives=(lambda v, o, n: np.divide(1.0, v[0]),),
))
register(Op(
    name="powc", title=N_("power"), arity=1, symbol="xⁿ",
    forward=lambda v, n: a.power(v[0], n),
    # d(x^n)/dx = n·x^(n-1)
    derivatives=(lambda v, o, n: a.power_rule(v[0], n),),
    formulas=(lambda a_, o, n: f"{fmt(n)}·{wrap(a_[0])}" if n == 2 else f"{fmt(n)}·{power_text(wrap(a_[0]), n - 1)}",),
    numbers=lambda v, o, n, i: (
        f"2 × {operand(v[0])}" if n == 2 else f"{fmt(n)} × {power_text(operand(v[0]), n - 1)}"
    ),
    expression=lambda a_, n: power_text(wrap(a_[0]), n),
    rule=N_("A power node uⁿ sends back n·uⁿ⁻¹ (for a square, 2u)."),
    trouble=N_("power out of range (negative base or overflow)"),
    array_forward=lambda v, n: a.array_power(v[0], n),
    array_derivatives=(lambda v, o, n: a.array_power_rule(v[0], n),),
))
register(Op(
    name="pow", title=N_("power"), arity=2, symbol="xʸ",
    forward=lambda v, n: a.power(v[0], v[1]),
    # d(x^y)/dx = y·x^(y-1), d(x^y)/dy = x^y·ln x
    derivatives=(lambda v, o, n: a.power_rule(v[0], v[1]), lambda v, o, n: a.exponent_rule(v[0], v[1], o)),
    formulas=(lambda a_, o, n: f"{wrap(a_[1])}·{wrap(a_[0])}^({a_[1]} - 1)", lambda a_, o, n: f"{wrap(o)}·ln {wrap(a_[0])}"),
    numbers=lambda v, o, n, i: (
        f"{operand(v[1])} × {operand(v[0])}^({fmt(v[1])} − 1)" if i == 0 else f"{operand(o)} × ln {operand(v[0])}"
    ),
    expression=lambda a_, n: f"{wrap(a_[0])}^{wrap(a_[1])}",
    rule=N_("A power node uᵛ sends back v·uᵛ⁻¹ to u and uᵛ·ln u to v."),
    trouble=N_("power out of range (negative base or overflow)"),
    array_forward=lambda v, n: a.array_power(v[0], v[1]),
    array_derivatives=(
        lambda v, o, n: a.array_power_rule(v[0], v[1]), lambda v, o, n: a.array_exponent_rule(v[0], v[1], o),
    ),
))
register(Op(
    name="sigmoid", title=N_("sigmoid"), arity=1, symbol="σ", function=True,
    forward=lambda v, n: a.sigmoid(v[0]),
    # dσ(x)/dx = σ(x)(1 - σ(x)) = y(1 - y)
    derivatives=(lambda v, o, n: o * (1.0 - o),),
    formulas=(lambda a_, o, n: f"{wrap(o)}(1 − {wrap(o)})",),
    numbers=lambda v, o, n, i: f"{operand(o)} × (1 − {operand(o)})",
    expression=lambda a_, n: f"sigmoid({bare(a_[0])})",
    rule=N_("A sigmoid node sends back y(1 - y), where y is its own output."),
    array_forward=lambda v, n: a.array_sigmoid(v[0]),
    array_derivatives=(lambda v, o, n: o * (1.0 - o),),
    activation=Activation(symbol="σ", derivative="σ(z)(1 − σ(z))", rule="{a}(1 − {a})"),
))
register(Op(
    name="tanh", title=N_("tanh"), arity=1, symbol="tanh", function=True,
    forward=lambda v, n: math.tanh(v[0]),
    # d tanh(x)/dx = 1 - tanh²(x) = 1 - y²
    derivatives=(lambda v, o, n: 1.0 - o * o,),
    formulas=(lambda a_, o, n: f"1 − {wrap(o)}²",),
    numbers=lambda v, o, n, i: f"1 − {operand(o)}²",
    expression=lambda a_, n: f"tanh({bare(a_[0])})",
    rule=N_("A tanh node sends back 1 - y², where y is its own output."),
    array_forward=lambda v, n: np.tanh(v[0]),
    array_derivatives=(lambda v, o, n: 1.0 - o * o,),
    activation=Activation(symbol="tanh", derivative="1 − tanh²(z)", rule="1 − {a}²"),
))
register(Op(
    name="relu", title=N_("ReLU"), arity=1, symbol="ReLU", function=True,
    forward=lambda v, n: v[0] if v[0] > 0 or math.isnan(v[0]) else 0.0,
    # d max(0, x)/dx = 1 if x > 0 else 0: the gate is open or closed
    derivatives=(lambda v, o, n: 1.0 if v[0] > 0 else (NAN if math.isnan(v[0]) else 0.0),),
    formulas=(lambda a_, o, n: f"1 if {a_[0]} > 0 else 0",),
    expression=lambda a_, n: f"relu({bare(a_[0])})",
    rule=N_("A ReLU node passes the gradient when its input is positive and blocks it (0) otherwise."),
    array_forward=lambda v, n: np.where((v[0] > 0) | np.isnan(v[0]), v[0], 0.0),
    array_derivatives=(lambda v, o, n: a.gate(v[0] > 0, v[0]),),
    activation=Activation(symbol="ReLU", derivative="1 if z > 0 else 0", rule="1 if z > 0 else 0"),
))
register(Op(
    name="softplus", title=N_("softplus"), arity=1, symbol="softplus", function=True,
    forward=lambda v, n: a.softplus(v[0]),
    # d log(1 + e^x)/dx = e^x / (1 + e^x) = σ(x): a smooth ReLU whose slope is the sigmoid
    derivatives=(lambda v, o, n: a.sigmoid(v[0]),),
    formulas=(lambda a_, o, n: f"σ({bare(a_[0])})",),
    numbers=lambda v, o, n, i: f"σ({fmt(v[0])})",
    expression=lambda a_, n: f"softplus({bare(a_[0])})",
    rule=N_("A softplus node log(1 + eᵘ) sends back σ(u), the sigmoid of its input: a ReLU with a smooth gate."),
    array_forward=lambda v, n: np.logaddexp(0.0, v[0]),
    array_derivatives=(lambda v, o, n: a.array_sigmoid(v[0]),),
    activation=Activation(symbol="softplus", derivative="σ(z)", rule="1 − exp(−{a})"),
))
register(Op(
    name="max", title=N_("max"), arity=2, symbol="max", function=True,
    forward=lambda v, n: v[0] if v[0] >= v[1] or math.isnan(v[0]) else v[1],
    # d max(x, y)/dx = 1 if x >= y else 0 (ties go to the first input)
    derivatives=(lambda v, o, n: 1.0 if v[0] >= v[1] else 0.0, lambda v, o, n: 0.0 if v[0] >= v[1] else 1.0),
    formulas=(lambda a_, o, n: f"1 if {a_[0]} ≥ {a_[1]} else 0", lambda a_, o, n: f"1 if {a_[1]} > {a_[0]} else 0"),
    expression=lambda a_, n: f"max({bare(a_[0])}, {bare(a_[1])})",
    rule=N_("A max node routes the whole gradient to the larger input and 0 to the other."),
    array_forward=lambda v, n: np.where((v[0] >= v[1]) | np.isnan(v[0]), v[0], v[1]),
    array_derivatives=(
        lambda v, o, n: np.where(v[0] >= v[1], 1.0, 0.0), lambda v, o, n: np.where(v[0] >= v[1], 0.0, 1.0),
    ),
))
register(Op(
    name="min", title=N_("min"), arity=2, symbol="min", function=True,
    forward=lambda v, n: v[0] if v[0] <= v[1] or math.isnan(v[0]) else v[1],
    # d min(x, y)/dx = 1 if x <= y else 0 (ties go to the first input)
    derivatives=(lambda v, o, n: 1.0 if v[0] <= v[1] else 0.0, lambda v, o, n: 0.0 if v[0] <= v[1] else 1.0),
    formulas=(lambda a_, o, n: f"1 if {a_[0]} ≤ {a_[1]} else 0", lambda a_, o, n: f"1 if {a_[1]} < {a_[0]} else 0"),
    expression=lambda a_, n: f"min({bare(a_[0])}, {bare(a_[1])})",
    rule=N_("A min node routes the whole gradient to the smaller input and 0 to the other."),
    array_forward=lambda v, n: np.where((v[0] <= v[1]) | np.isnan(v[0]), v[0], v[1]),
    array_derivatives=(
        lambda v, o, n: np.where(v[0] <= v[1], 1.0, 0.0), lambda v, o, n: np.where(v[0] <= v[1], 0.0, 1.0),
    ),
))
register(Op(
    name="identity", title=N_("identity"), arity=1, symbol="=",
    forward=lambda v, n: v[0],
    # d(x)/dx = 1
    derivatives=(lambda v, o, n: 1.0,),
    formulas=(lambda a_, o, n: "1",),
    expression=lambda a_, n: a_[0],
    rule=N_("An identity node copies its input; the gradient passes through unchanged."),
    array_forward=lambda v, n: v[0],
    array_derivatives=(lambda v, o, n: ONE,),
    # The identity activation is written by name: "=" beside a neuron would read as an equation.
    activation=Activation(symbol="identity", derivative="1", rule="1"),
))


# --- what is read off the table --------------------------------------------------


def functions() -> dict[str, str]:
    """Function names allowed in expressions, mapped to the op they build (``exp`` -> ``exp``)."""
    return {op.name: op.name for op in OPS.values() if op.function}


def activations() -> tuple[str, ...]:
    """The ops a neuron may use as its activation, in the table's order."""
    return tuple(op.name for op in OPS.values() if op.activation is not None)


FUNCTIONS: dict[str, str] = functions()
"""Function names allowed in expressions, mapped to the op they build (as registered above)."""
ACTIVATIONS: tuple[str, ...] = activations()
"""The ops a neuron may use as its activation (as registered above)."""


def title(op: str) -> str:
    """The learner-facing name of an op (the key itself for anything that is not one, such as ``group``)."""
    found = OPS.get(op)
    return found.title if found is not None else op


def symbol(op: str, param: float = 0.0, base: str = "x") -> str:
    """The box label of an op; a power reads t² or t³ (with its input's name as ``base``), t^0.5 when not whole."""
    if op == "powc":
        return power_text(base, param)
    return OPS[op].symbol


def local_numbers(op: str, inputs: tuple[float, ...], out: float, param: float, i: int) -> str:
    """d(out)/d(input i) written with the numbers put in, e.g. ``0.622459 × (1 − 0.622459)``.

    Empty when the formula is already a single number or a single name (add,
    multiply, identity...): then the number alone says it all.
    """
    numbers = OPS[op].numbers
    return numbers(inputs, out, param, i) if numbers is not None else ""


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
