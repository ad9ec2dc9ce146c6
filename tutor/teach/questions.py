"""The quiz's machinery as plain data: a question, safe answer parsing, tries and scores.

Each view's narration makes its questions (``tutor.teach.lesson.step_questions``,
``tutor.teach.lesson.neuron_questions``); ``Lesson.questions(k)`` asks it.

Answers are typed as numbers or small arithmetic (``2*1.1``, ``1/3``,
``-0.5``, ``exp(-1)``); they are parsed with the same whitelist as scenario
expressions and evaluated with the op table, never with ``eval``.
"""

from __future__ import annotations

import math
import re
from dataclasses import field

from tutor.engine.expr import ExprError, _Const, _Leaf, _Op, parse
from tutor.records import record
from tutor.engine.numbers import fmt
from tutor.engine.ops import OPS, evaluate
from tutor.i18n import N_, _
from tutor.teach import engine_words

TOO_LONG = N_("answer is too long")
CARET = N_("^ is not a power here: write ** (2**3 for 2³)")
NO_NAMES = N_("names are not allowed in an answer")
"""Why an answer cannot be read, in the current language (an expression's own errors stay English)."""

REL_TOL = 5e-3
"""Answers within 0.5% (or 1e-6 absolute) count as right: learners round."""
ABS_TOL = 1e-6


class AnswerError(ValueError):
    """The typed answer is not a number or a simple expression."""


def parse_answer(text: str) -> float:
    """``2*1.1`` -> 2.2. Numbers, + - * / **, parentheses and the tutor's functions."""
    if len(text) > 200:
        raise AnswerError(_(TOO_LONG))
    if "^" in text:
        raise AnswerError(_(CARET))
    try:
        tree = parse(text, {}, set())
    except ExprError as exc:
        raise AnswerError(engine_words.shown(exc.message)) from None
    # Evaluate bottom-up without recursion.
    stack: list[tuple[object, bool]] = [(tree, False)]
    results: list[float] = []
    while stack:
        item, done = stack.pop()
        if isinstance(item, _Const):
            results.append(item.value)
        elif isinstance(item, _Leaf):  # pragma: no cover - scope is empty
            raise AnswerError(_(NO_NAMES))
        elif isinstance(item, _Op) and not done:
            stack.append((item, True))
            stack.extend((arg, False) for arg in reversed(item.args))
        else:
            count = len(item.args)
            args = tuple(results[len(results) - count :])
            del results[len(results) - count :]
            results.append(evaluate(OPS[item.op], args, item.param))
    value = results[-1]
    if not math.isfinite(value):
        raise AnswerError(_("that evaluates to {value}").format(value=fmt(value)))
    return value


def is_correct(given: float, expected: float) -> bool:
    return math.isclose(given, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL)


_PLAIN = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*")


def rounded_too_far(text: str, expected: float) -> int:
    """The significant digits to give when ``text`` is ``expected`` rounded to fewer digits than an answer
    needs (-0.39 for -0.387456: 3), else 0."""
    if not _PLAIN.fullmatch(text) or not math.isfinite(expected) or expected == 0:
        return 0
    digits = len(text.strip().lstrip("+-").replace(".", "").lstrip("0")) or 1
    if float(f"{expected:.{digits - 1}e}") != float(text):
        return 0
    for more in range(digits + 1, 17):
        if is_correct(float(f"{expected:.{more - 1}e}"), expected):
            return more
    return 0


@record(slots=True)
class Question:
    k: int
    phase: str
    kind: str
    """``value`` (forward), ``local`` or ``grad`` (backward)."""
    node: str
    input: str | None
    prompt: str
    answer: float
    working: str
    hint: str
    given: str = ""
    """The numbers the question needs (the graph shows them too, unless it is drawn without numbers)."""
    label: str = ""
    """How the summary names it, when not by node and kind (the neuron view's "δ of h1")."""

    def named(self) -> str:
        if self.label:
            return _("step {k} {question}").format(k=self.k, question=self.label)
        node = f"{self.node}{' → ' + self.input if self.input else ''}"
        return _("step {k} {question}").format(k=self.k, question=_("{node} ({kind})").format(
            node=node, kind=_(KIND_WORDS[self.kind])))


SUMMARY_NAMES = 8
"""Revealed questions the summary names one by one; the rest it counts."""
KIND_WORDS = {"value": N_("value"), "local": N_("local derivative"), "grad": N_("gradient")}
"""How the quiz's summary names each kind of question (translated where said)."""
PHASE_WORDS = {"forward": N_("forward"), "backward": N_("backward")}
"""How the quiz's summary names each pass (translated where said)."""


@record(frozen=False)
class Score:
    """First tries count: right first time, right after the hint, or revealed after two misses."""

    first_try: int = 0
    after_hint: int = 0
    revealed: int = 0

    @property
    def asked(self) -> int:
        return self.first_try + self.after_hint + self.revealed

    @property
    def right(self) -> int:
        """Answered right in the end (first time or after the hint)."""
        return self.first_try + self.after_hint


@record(frozen=False)
class QuizSession:
    """Tries and scores across one quiz run (two tries, then the answer)."""

    tries_allowed: int = 2
    scores: dict[str, Score] = field(default_factory=lambda: {"forward": Score(), "backward": Score()})
    missed: list[Question] = field(default_factory=list)
    current: Question | None = None
    tries: int = 0

    def ask(self, question: Question) -> None:
        self.current = question
        self.tries = 0

    def answer(self, text: str) -> tuple[str, str]:
        """Returns (outcome, message): outcome is right, retry, reveal, close or invalid.

        ``close``: the answer is the right number rounded too far (-0.39 for -0.387456); it costs no try.

        A message may mark words for emphasis with ``*stars*``; ``styled`` turns
        them into fragments.
        """
        q = self.current
        if q is None:
            return "invalid", _("no question")
        try:
            given = parse_answer(text)
        except AnswerError as exc:
            return "invalid", _("Could not read that: {reason}. Type a number such as 2.2 or 1/3.").format(
                reason=exc)
        score = self.scores[q.phase]
        if not is_correct(given, q.answer) and (digits := rounded_too_far(text, q.answer)):
            return "close", _("Close: {answer} is the answer rounded too far. Give {digits} significant digits.").format(
                answer=text.strip(), digits=digits)
        self.tries += 1
        if is_correct(given, q.answer):
            if self.tries == 1:
                score.first_try += 1
            else:
                score.after_hint += 1
            self.current = None
            return "right", _("Right: {working}").format(working=q.working)
        if self.tries < self.tries_allowed:
            if q.answer != 0 and is_correct(-given, q.answer):
                return "retry", _("Not quite ({given}): the right size with the wrong sign. Check the sign of each "
                                  "factor: a negative local derivative or upstream gradient flips it.").format(
                    given=fmt(given))
            return "retry", _("Not quite ({given}). Hint: {hint}").format(given=fmt(given), hint=q.hint)
        score.revealed += 1
        self.missed.append(q)
        self.current = None
        return "reveal", _("The answer is {answer}: {working}").format(answer=fmt(q.answer), working=q.working)

    @property
    def asked(self) -> int:
        return sum(score.asked for score in self.scores.values())

    def summary(self) -> list[str]:
        lines = []
        for phase, score in self.scores.items():
            if score.asked:
                lines.append(_("{phase}: {right} of {asked} right first time, {after_hint} after the hint, "
                               "{revealed} revealed").format(phase=_(PHASE_WORDS[phase]), right=score.first_try,
                                                             asked=score.asked, after_hint=score.after_hint,
                                                             revealed=score.revealed))
        if self.missed:
            shown = [q.named() for q in self.missed[:SUMMARY_NAMES]]
            more = len(self.missed) - len(shown)
            lines.append(_("revealed: {questions}").format(questions="; ".join(shown))
                         + (_("; and {count} more").format(count=more) if more else ""))
        return lines


def styled(message: str, style: str) -> list[tuple[str, str]]:
    """A message as fragments in ``style``, with ``*marked*`` words in ``em`` (no stars shown)."""
    fragments: list[tuple[str, str]] = []
    for i, piece in enumerate(message.split("*")):
        if piece:
            fragments.append((piece, "em" if i % 2 else style))
    if message.count("*") % 2:  # an unpaired star is just a star
        return [(message, style)]
    return fragments
