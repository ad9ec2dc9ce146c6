"""Number formatting shared by the UI, the command line and the tests.

One function decides how a float reads to a learner, so a value looks the
same in the step panel, in the Rich tables of ``trace`` and in test output.
"""

from __future__ import annotations

import math
import re


def fmt(x: float, digits: int = 6) -> str:
    """Format ``x`` with at most ``digits`` significant digits, no float noise.

    ``2.2000000000000002`` reads ``2.2``, ``220.00000000000003`` reads ``220``,
    ``-0.0`` reads ``0``; very large or very small magnitudes use exponent
    notation; inf and nan read ``inf``, ``-inf`` and ``nan``.
    """
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    # Choose the form by the magnitude after rounding, so 999999.7 reads
    # like 1e6 (not "1000000") and 9.9999999e-5 like 0.0001.
    magnitude = abs(float(f"{x:.{digits - 1}e}"))
    if 1e-4 <= magnitude < 10**digits:
        text = f"{x:.{digits}g}"
        if "e" in text:  # .g switched to exponent form; force fixed notation
            decimals = max(0, digits - 1 - int(math.floor(math.log10(magnitude))))
            text = f"{x:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def operand(x: float, digits: int = 6) -> str:
    """A number as an operand in arithmetic text: negatives in parentheses."""
    text = fmt(x, digits)
    return f"({text})" if text.startswith("-") else text


def signed_sum(terms: list[float], digits: int = 6) -> str:
    """``3 + 2`` or ``0.03 − 0.01``: a sum written the way a person writes it."""
    parts: list[str] = []
    for i, term in enumerate(terms):
        text = fmt(term, digits)
        if i == 0:
            parts.append(text)
        elif text.startswith("-"):
            parts.append(f"− {text[1:]}")
        else:
            parts.append(f"+ {text}")
    return " ".join(parts)


def fmt_short(x: float, cells: int = 7) -> str:
    """``x`` in at most ``cells`` characters where possible: fewer digits, then exponent form.

    For dense drawings: ``-0.0003512`` reads ``-3.5e-4`` in 7 cells; a number
    that fits as :func:`fmt` gives it with 4 digits is left alone.
    """
    for digits in (4, 3, 2):
        text = fmt(x, digits)
        if len(text) <= cells:
            return text
    if not math.isfinite(x) or x == 0:
        return fmt(x)
    for decimals in (2, 1, 0):
        mantissa, exponent = f"{x:.{decimals}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}e{int(exponent)}"
        if len(text) <= cells:
            return text
    return text


def total(terms) -> float:
    """The exact sum of ``terms`` (``math.fsum``), never raising.

    ``fsum`` raises when +inf meets -inf (the sum is nan) and when a sum of
    finite terms overflows (the sum is ±inf); here those give nan and ±inf,
    as the arithmetic of the trace does.
    """
    terms = list(terms)
    try:
        return math.fsum(terms)
    except ValueError:
        return math.nan
    except OverflowError:
        return sum(terms)


def sum_trouble(terms) -> str:
    """Why a sum of ``terms`` is not finite, or ``""`` when it is."""
    terms = list(terms)
    if any(math.isnan(t) for t in terms):
        return "a term is nan, so the sum is nan"
    if any(t == math.inf for t in terms) and any(t == -math.inf for t in terms):
        return "+inf and -inf meet in the sum: the result is nan"
    if not math.isfinite(total(terms)):
        return "the result is not a finite number"
    return ""


_DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_PREFIXED = re.compile(r"([-+]?)0([xXoObB])([0-9a-fA-F_]+)")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


class NumberTextError(ValueError):
    """Text that is not a plain decimal number: ``problem`` says why, ``hint`` what to write."""

    def __init__(self, problem: str, hint: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


def parse_decimal(text: str) -> float:
    """The one rule every number in a scenario, a data row or ``--set`` follows.

    Plain ASCII decimal notation, as Python's ``float()`` reads it: ``3``,
    ``-0.5``, ``+.5``, ``08`` (eight), ``1e3``, ``1.5E-3``. Hexadecimal, octal and
    binary prefixes, ``1:30``, ``1_000`` and non-ASCII digits are refused with a
    NumberTextError that says what to write instead. A number too large for a
    float (``1e400``, five thousand digits) is refused as too large; one too small
    (``1e-400``) reads 0. nan and inf are refused.
    """
    stripped = text.strip()
    if _DECIMAL.fullmatch(stripped):
        value = float(stripped)
        if math.isinf(value):
            raise NumberTextError("number is too large", "use a number below 1e308")
        return value
    prefixed = _PREFIXED.fullmatch(stripped)
    if prefixed:
        kind = {"x": "hexadecimal", "o": "octal", "b": "binary"}[prefixed.group(2).lower()]
        try:
            decimal = int(stripped.replace("_", ""), 0)
            hint = f"write it in decimal: {decimal}"
        except ValueError:
            hint = "write it in decimal, e.g. 16"
        raise NumberTextError(f"{kind} numbers are not allowed", hint)
    if _SEXAGESIMAL.fullmatch(stripped):
        raise NumberTextError(
            "base-60 numbers such as 1:30 are not allowed",
            "write a plain decimal number such as 90",
        )
    if "_" in stripped and _DECIMAL.fullmatch(stripped.replace("_", "")):
        raise NumberTextError("underscores inside numbers are not allowed", f"write {stripped.replace('_', '')}")
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in stripped):
        try:
            hint = f"write it with the digits 0-9: {float(stripped.replace('_', '')):g}"
        except ValueError:
            hint = "write it with the digits 0-9"
        raise NumberTextError("numbers must use the digits 0-9", hint)
    low = stripped.lower().lstrip("+-")
    if low in ("nan", "inf", "infinity", ".nan", ".inf"):
        raise NumberTextError("must be a finite number", "nan and inf are not allowed")
    raise NumberTextError("is not a number", "write a plain number such as 1.5 or 1e-3")
