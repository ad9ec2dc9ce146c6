"""Arithmetic that never raises: inf and nan where Python would raise, for floats and numpy arrays.

The op table (``tutor.engine.ops``) builds every forward function and local
derivative from these. Numeric trouble (1/0, log of a negative number, exp
overflow) becomes inf or nan, and the engine attaches a warning to the step.
The array versions (one entry per data row, for the batch engine) follow the
scalar ones exactly; the tests compare them row by row.
"""

from __future__ import annotations

import math
from typing import Any

from tutor.startup import numpy as np

INF = math.inf
NAN = math.nan

ONE = 1.0
"""The local derivative 1 (add, identity): the batch engine passes the upstream gradient on without multiplying."""


# --- floats -------------------------------------------------------------------


def div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or math.isnan(a):
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def log(x: float) -> float:
    if math.isnan(x) or x < 0:
        return NAN
    if x == 0:
        return -INF
    return math.log(x)


def power(a: float, b: float) -> float:
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


def power_rule(x: float, n: float) -> float:
    """d(xⁿ)/dx = n·xⁿ⁻¹; for n = 0, x⁰ = 1 is constant and the slope is 0,
    even at x = 0 (where n·xⁿ⁻¹ would read 0 × inf)."""
    if n == 0:
        return 0.0
    return n * power(x, n - 1)


def exponent_rule(x: float, y: float, out: float) -> float:
    """d(xʸ)/dy = xʸ·ln x; at x = 0 with y > 0, xʸ stays 0 around y and the
    slope is 0 (where xʸ·ln x would read 0 × -inf)."""
    if x == 0 and y > 0:
        return 0.0
    return out * log(x)


def sigmoid(x: float) -> float:
    # Two branches keep exp from overflowing for large |x|.
    if x >= 0:
        return 1.0 / (1.0 + exp(-x))
    e = exp(x)
    return e / (1.0 + e)


def softplus(x: float) -> float:
    """log(1 + eˣ), never overflowing: max(x, 0) + log(1 + e^-|x|)."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


# --- numpy arrays (one entry per data row) ---------------------------------------


def array_sigmoid(x: Any) -> Any:
    # exp(-|x|) never overflows; the two branches match the scalar sigmoid.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def array_power(a: Any, b: Any) -> Any:
    # A negative base to a fractional power is nan, as in the scalar power.
    return np.power(np.asarray(a, dtype=float), b)


def array_power_rule(x: Any, n: Any) -> Any:
    """n·xⁿ⁻¹, 0 where n = 0 (as the scalar power rule: x⁰ is constant, even at x = 0)."""
    return np.where(np.asarray(n) == 0, 0.0, n * array_power(x, n - 1))


def array_exponent_rule(x: Any, y: Any, out: Any) -> Any:
    """xʸ·ln x, 0 where x = 0 and y > 0 (as the scalar exponent rule)."""
    return np.where((np.asarray(x) == 0) & (np.asarray(y) > 0), 0.0, out * np.log(x))


def gate(condition: Any, nan_from: Any) -> Any:
    """1.0 where ``condition`` holds, else 0.0; nan where ``nan_from`` is nan."""
    return np.where(np.isnan(nan_from), np.nan, np.where(condition, 1.0, 0.0))
