"""The op table over numpy arrays, for the batch engine (``tutor.engine.batch``).

The same forward functions and local derivatives as ``tutor.engine.ops``,
over numpy arrays: one entry per data row. They follow the scalar versions
exactly (the tests compare them row by row); numpy gives inf or nan where the
scalar helpers do, and the batch engine silences numpy's warnings and reports
non-finite results itself. ``ops`` attaches them to its table.
"""

from __future__ import annotations

from typing import Any, Callable

# The array versions take the same arguments as the scalar ones, as numpy
# arrays (one entry per data row), and return arrays.
ArrayForward = Callable[[tuple[Any, ...], float], Any]
ArrayDerivative = Callable[[tuple[Any, ...], Any, float], Any]


class _LazyNumpy:
    """numpy, imported on first use: the app starts without paying for it."""

    def __getattr__(self, name: str) -> Any:
        import numpy

        globals()["np"] = numpy
        return getattr(numpy, name)


np: Any = _LazyNumpy()



ONE = 1.0
"""The local derivative 1 (add, identity): the batch engine passes the upstream gradient on without multiplying."""

def _array_sigmoid(x: Any) -> Any:
    # exp(-|x|) never overflows; the two branches match the scalar _sigmoid.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _array_pow(a: Any, b: Any) -> Any:
    # A negative base to a fractional power is nan, as in the scalar _pow.
    return np.power(np.asarray(a, dtype=float), b)


def _array_power_rule(x: Any, n: Any) -> Any:
    """n·xⁿ⁻¹, 0 where n = 0 (as the scalar power rule: x⁰ is constant, even at x = 0)."""
    return np.where(np.asarray(n) == 0, 0.0, n * _array_pow(x, n - 1))


def _array_exponent_rule(x: Any, y: Any, out: Any) -> Any:
    """xʸ·ln x, 0 where x = 0 and y > 0 (as the scalar exponent rule)."""
    return np.where((np.asarray(x) == 0) & (np.asarray(y) > 0), 0.0, out * np.log(x))


def _gate(condition: Any, nan_from: Any) -> Any:
    """1.0 where ``condition`` holds, else 0.0; nan where ``nan_from`` is nan."""
    return np.where(np.isnan(nan_from), np.nan, np.where(condition, 1.0, 0.0))


ARRAYS: dict[str, tuple[ArrayForward, tuple[ArrayDerivative, ...]]] = {
    "add": (lambda v, n: v[0] + v[1], (lambda v, o, n: ONE, lambda v, o, n: ONE)),
    "sub": (lambda v, n: v[0] - v[1], (lambda v, o, n: ONE, lambda v, o, n: -1.0)),
    "mul": (lambda v, n: v[0] * v[1], (lambda v, o, n: v[1], lambda v, o, n: v[0])),
    "div": (lambda v, n: np.divide(v[0], v[1]),
            (lambda v, o, n: np.divide(1.0, v[1]), lambda v, o, n: -np.divide(v[0], v[1] * v[1]))),
    "neg": (lambda v, n: -v[0], (lambda v, o, n: -1.0,)),
    "reciprocal": (lambda v, n: np.divide(1.0, v[0]), (lambda v, o, n: -(o * o),)),
    "exp": (lambda v, n: np.exp(v[0]), (lambda v, o, n: o,)),
    "log": (lambda v, n: np.log(v[0]), (lambda v, o, n: np.divide(1.0, v[0]),)),
    "powc": (lambda v, n: _array_pow(v[0], n), (lambda v, o, n: _array_power_rule(v[0], n),)),
    "pow": (lambda v, n: _array_pow(v[0], v[1]),
            (lambda v, o, n: _array_power_rule(v[0], v[1]), lambda v, o, n: _array_exponent_rule(v[0], v[1], o))),
    "sigmoid": (lambda v, n: _array_sigmoid(v[0]), (lambda v, o, n: o * (1.0 - o),)),
    "tanh": (lambda v, n: np.tanh(v[0]), (lambda v, o, n: 1.0 - o * o,)),
    "relu": (lambda v, n: np.where((v[0] > 0) | np.isnan(v[0]), v[0], 0.0),
             (lambda v, o, n: _gate(v[0] > 0, v[0]),)),
    "max": (lambda v, n: np.where((v[0] >= v[1]) | np.isnan(v[0]), v[0], v[1]),
            (lambda v, o, n: np.where(v[0] >= v[1], 1.0, 0.0), lambda v, o, n: np.where(v[0] >= v[1], 0.0, 1.0))),
    "min": (lambda v, n: np.where((v[0] <= v[1]) | np.isnan(v[0]), v[0], v[1]),
            (lambda v, o, n: np.where(v[0] <= v[1], 1.0, 0.0), lambda v, o, n: np.where(v[0] <= v[1], 0.0, 1.0))),
    "identity": (lambda v, n: v[0], (lambda v, o, n: ONE,)),
}
"""Op name -> (array forward, array local derivatives), matching ``OPS``."""
