"""How formulas are written for learners: names and numbers put into an op's text.

``wrap`` parenthesises what is not one token (``(a + b) × c``), ``bare``
drops one pair of enclosing parentheses inside a call (``exp(-0.5)``, not
``exp((-0.5))``), and powers read as learners write them (t², x⁻¹, t^0.5).
"""

from __future__ import annotations

from functools import lru_cache

from tutor.engine.numbers import fmt

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_text(base: str, n: float) -> str:
    """``base`` to the power ``n`` as a learner writes it: t², x⁻¹, and t^0.5 when not a small whole number."""
    if float(n).is_integer() and -99 <= n <= 99:
        return base + str(int(n)).translate(_SUPERSCRIPT)
    return f"{base}^{fmt(n)}"


def _closes_at_end(text: str, start: int) -> bool:
    """True when the parenthesis opened at ``start`` is closed by the last character."""
    depth = 0
    for position in range(start, len(text)):
        depth += text[position] == "("
        depth -= text[position] == ")"
        if depth == 0:
            return position == len(text) - 1
    return False


def is_atom(text: str) -> bool:
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
        return is_atom(base) and is_atom(exponent)
    if text.endswith(")") and "(" in text:
        opening = text.index("(")
        return text[:opening].replace("_", "a").isalnum() and _closes_at_end(text, opening)
    return False


@lru_cache(maxsize=1 << 16)  # a big trace writes each name into several formulas
def wrap(name: str) -> str:
    """Parenthesise a name that is not a single token, for formula text."""
    return name if is_atom(name) else f"({name})"


def bare(text: str) -> str:
    """A call's argument without one pair of enclosing parentheses: ``exp(-0.5)``, not ``exp((-0.5))``."""
    if text.startswith("(") and _closes_at_end(text, 0):
        return text[1:-1]
    return text
