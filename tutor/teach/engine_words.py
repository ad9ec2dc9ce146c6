"""The engine's English sentences in the learner's language: a step's warning, why an answer cannot be read.

The engine writes its sentences in English (``trace --json`` carries its
warnings as they are, a contract; a scenario file's errors stay English so
that they can be searched for), composed from a few fixed sentences with
numbers and names: ``inf: division by zero``, ``nan: an input is already
nan``, ``unknown name 'abc'``. Where a learner reads one (the step panel, the
quiz, the edit dialog), ``shown`` recognises its sentence and says it in the
current language, the numbers and names kept; a sentence it does not
recognise is shown as it is.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from tutor.i18n import N_, SOURCE, _, language

# A step's warnings (tutor.engine.trace, tutor.engine.numbers, tutor.engine.analysis); an op's trouble ("division by
# zero") is marked in the op table. A test runs the engine into each of them.
INPUT_NOT_FINITE = N_("{value}: an input is already {value}")
RESULT_NOT_FINITE = N_("the result is not a finite number")
LOCAL_NOT_FINITE = N_("a local derivative is not finite here")
NAN_TERM = N_("a term is nan, so the sum is nan")
INFINITIES_MEET = N_("+inf and -inf meet in the sum: the result is nan")
TOO_MANY_PATHS = N_("{count} paths lead to the output, more than the limit of {limit}; pick a leaf nearer the output")
ABOUT = N_("about {count}")
"""How a count too large to print reads (``about 3.2e4515``)."""
VALUE_AND_REASON = "{value}: {reason}"
"""A step's value and why it is not finite (an op's trouble): the reason alone is translated."""

# Why a typed number cannot be read (tutor.engine.expr, as the quiz and the edit dialog parse an answer).
EMPTY = N_("expression is empty")
UNKNOWN_NAME = N_("unknown name {name}")
UNKNOWN_FUNCTION = N_("unknown function {name}")
FUNCTION_NAME = N_("{name} is a function; call it as {name}(...)")
INVALID = N_("invalid expression")
INVALID_BECAUSE = N_("invalid expression: {reason}")
INVALID_SYNTAX = N_("invalid syntax")
TOO_LARGE = N_("number is too large")
NOT_A_NUMBER = N_("{value} is not a number")
LEADING_ZERO = N_("a whole number may not start with 0")
NOT_PLAIN = N_("{value} is not a plain decimal number")
OPERATOR = N_("operator {symbol} is not allowed")
UNARY = N_("only unary minus and plus are allowed")
TOO_DEEP = N_("expression is nested too deeply")

SENTENCES = (
    INPUT_NOT_FINITE, RESULT_NOT_FINITE, LOCAL_NOT_FINITE, NAN_TERM, INFINITIES_MEET, TOO_MANY_PATHS,
    EMPTY, UNKNOWN_NAME, UNKNOWN_FUNCTION, FUNCTION_NAME, INVALID, INVALID_BECAUSE, TOO_LARGE, NOT_A_NUMBER,
    LEADING_ZERO, NOT_PLAIN, OPERATOR, UNARY, TOO_DEEP, VALUE_AND_REASON,
)
"""In the order they are tried: the value with a reason last, as it matches the most."""
SHORT = frozenset({"value", "name", "symbol"})
"""Placeholders that hold one word or number (no blank); the others hold any text."""


@lru_cache(maxsize=None)
def _pattern(sentence: str) -> re.Pattern[str]:
    """``sentence`` as a regular expression: each placeholder a group (a second use of a name matches the same
    text)."""
    out, seen = [], set()
    for literal, name, _spec, _conversion in string.Formatter().parse(sentence):
        out.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            out.append(f"(?P={name})")
        else:
            seen.add(name)
            out.append(f"(?P<{name}>\\S+)" if name in SHORT else f"(?P<{name}>.+)")
    return re.compile("".join(out) + r"\Z", re.S)


def shown(sentence: str) -> str:
    """``sentence`` (one of the engine's) as a learner reads it now: as written in English, else translated."""
    if not sentence or language() == SOURCE:
        return sentence
    for template in SENTENCES:
        found = _pattern(template).match(sentence)
        if found is None:
            continue
        parts = found.groupdict()
        if "reason" in parts:
            parts["reason"] = _(parts["reason"])  # an op's trouble, RESULT_NOT_FINITE, INVALID_SYNTAX
        if parts.get("count", "").startswith("about "):
            parts["count"] = _(ABOUT).format(count=parts["count"][len("about "):])
        return (template if template == VALUE_AND_REASON else _(template)).format(**parts)
    return sentence
