"""Numbers as the graph draws them: one format per column, one minus sign.

Every number on the graph is written here. In one column of a drawing (a
layer of the graph, the weights of one layer in the neuron view) every
number has the same significant digits: the most, up to four, at which the
column's widest number fits its cells (:func:`column_digits`), so
``-0.0031`` (two digits, cut to fit) never stands beside ``0.003507`` (four).
A number that fewer digits write exactly drops its trailing zeros (``0.15``,
``1``); one that was rounded keeps them (``-0.00310`` beside ``-0.00394``),
so the column's precision shows. Below 1e-4, and from ``10**digits`` on, a
number takes the exponent form with the same digits (``3.51e−5``), and so
does a small one whose plain form is too wide for its column's cells
(``−4.3e−4`` in seven cells), rather than the whole column losing digits.

The minus sign is U+2212 (``−``) everywhere on the graph, in a number and
in its exponent: the step panel writes its numbers and formulas so too
(``tutor.teach.text.MINUS``). What a learner types (the quiz, an edit) may
use ``-``; what the tutor draws uses ``−``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from tutor.teach.text import MINUS

MOST_DIGITS = 4
"""Significant digits a column gets when its numbers fit (the step panel shows 6)."""
FEWEST_CELLS = 7
"""Cells in which any number can be written, with one digit if need be (``−1e−300``)."""


def written(x: float, digits: int = MOST_DIGITS, cells: int | None = None) -> str:
    """``x`` with ``digits`` significant digits (trailing zeros only where rounded), minus as ``−``; in the
    exponent form when ``cells`` are too few for the plain one but not for that (``−4.3e−4``, not ``−0.00043``
    in seven cells), so that a small number keeps its digits beside its column's others."""
    text = _written(x, digits)
    if cells is not None and len(text) > cells and x == x and abs(x) not in (0.0, math.inf):
        short = _scientific(x, max(1, digits))
        if len(short) < len(text):
            return short
    return text


def _scientific(x: float, digits: int) -> str:
    mantissa, power = f"{x:.{digits - 1}e}".split("e")
    if "." in mantissa:
        trimmed = mantissa.rstrip("0").rstrip(".")
        if _same(float(f"{trimmed}e{power}"), x):
            mantissa = trimmed
    return f"{mantissa}e{int(power)}".replace("-", MINUS)


def _written(x: float, digits: int) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else MINUS + "inf"
    if x == 0:
        return "0"
    digits = max(1, digits)
    scientific = f"{x:.{digits - 1}e}"
    magnitude = abs(float(scientific))
    if 1e-4 <= magnitude < 10**digits:
        decimals = max(0, digits - 1 - math.floor(math.log10(magnitude)))
        text = f"{x:.{decimals}f}"
        exponent = ""
    else:
        text, power = scientific.split("e")
        exponent = f"e{int(power)}"
    if "." in text:
        short = text.rstrip("0").rstrip(".")
        if _same(float(short + exponent), x):
            text = short  # exact at fewer digits (0.15, 1): its zeros say nothing
    return (text + exponent).replace("-", MINUS)


def _same(shorter: float, x: float) -> bool:
    """True when the shorter text is ``x`` itself, float noise aside (220.00000000000003 is 220)."""
    return abs(shorter - x) <= 1e-9 * abs(x)


def column_digits(numbers: Iterable[float], cells: int) -> int:
    """The most significant digits (up to four, at least one) at which every number fits ``cells``."""
    numbers = list(numbers)
    for digits in range(MOST_DIGITS, 1, -1):
        if all(len(written(x, digits, cells)) <= cells for x in numbers):
            return digits
    return 1


def widest(numbers: Iterable[float], digits: int, cells: int | None = None) -> int:
    """Cells the widest of ``numbers`` takes at ``digits`` (0 for none), written to fit ``cells``."""
    return max((len(written(x, digits, cells)) for x in numbers), default=0)
