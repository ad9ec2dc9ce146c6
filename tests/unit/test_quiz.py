"""Quiz questions, answer parsing and scoring, without the app."""

from __future__ import annotations

import pytest

from tutor.scenario import resolve
from tutor.teach.lesson import Lesson
from tutor.teach.questions import AnswerError, QuizSession, is_correct, parse_answer


@pytest.mark.parametrize(
    ("typed", "value"),
    [("2.2", 2.2), ("2*1.1", 2.2), ("1/3", 1 / 3), ("-0.5", -0.5), ("exp(0)", 1.0), ("max(2, 3) ** 2", 9.0)],
)
def test_answers_are_numbers_or_small_arithmetic(typed: str, value: float) -> None:
    assert parse_answer(typed) == pytest.approx(value)


@pytest.mark.parametrize("typed", ["abc", "__import__('os')", "1/0", "2 +", "x" * 201, "[1]"])
def test_other_answers_are_refused(typed: str) -> None:
    with pytest.raises(AnswerError):
        parse_answer(typed)


def test_learners_may_round() -> None:
    assert is_correct(2.2, 2.2) and is_correct(0.333, 1 / 3) and is_correct(0.0, 1e-7)
    assert not is_correct(2.0, 2.2) and not is_correct(0.33, 1 / 3)


def test_questions_forward_then_backward() -> None:
    lesson = Lesson(resolve("shopping"))
    assert lesson.questions(0) == []
    (value,) = lesson.questions(1)
    assert (value.kind, value.node, value.answer) == ("value", "apple_price", 200)
    assert value.prompt == "What is the value of apple_price = apple × apple_count?"
    backward = lesson.questions(3)
    assert [(q.kind, q.input) for q in backward] == [
        ("local", "apple_price"), ("grad", "apple_price"), ("local", "tax"), ("grad", "tax"),
    ]
    assert [q.answer for q in backward] == pytest.approx([1.1, 1.1, 200, 200])


def test_fan_out_question_hints_that_gradients_add() -> None:
    lesson = Lesson(resolve("two_paths"))
    grads = [q for q in lesson.questions(lesson.last) if q.kind == "grad" and q.input == "b"]
    assert grads and grads[0].answer == pytest.approx(5)
    assert "fan-out gradients add" in grads[0].hint


def test_session_two_tries_then_the_answer() -> None:
    lesson = Lesson(resolve("shopping"))
    session = QuizSession()
    (question,) = lesson.questions(1)
    session.ask(question)
    assert session.answer("abc")[0] == "invalid"  # costs no try
    outcome, message = session.answer("150")
    assert outcome == "retry" and message.startswith("Not quite (150). Hint:")
    outcome, message = session.answer("2*100")
    assert outcome == "right" and message == "Right: apple_price = apple × apple_count = 100 × 2 = 200"
    session.ask(question)
    session.answer("1")
    outcome, message = session.answer("2")
    assert outcome == "reveal" and message.startswith("The answer is 200")
    assert (session.scores["forward"].right, session.scores["forward"].asked) == (1, 2)
    assert session.summary() == ["forward: 0 of 2 right first time, 1 after the hint, 1 revealed", "revealed: step 1 apple_price (value)"]
    assert session.answer("1") == ("invalid", "no question")


def test_summary_names_missed_kinds_in_words() -> None:
    lesson = Lesson(resolve("shopping"))
    session = QuizSession()
    backward = [q for q in lesson.questions(lesson.last) if q.phase == "backward"]
    for question in backward:
        session.ask(question)
        session.answer("12345")
        session.answer("12345")
    missed = session.summary()[-1]
    assert missed.startswith("revealed: ")
    assert "(local derivative)" in missed and "(gradient)" in missed and "(grad)" not in missed


def test_summary_without_misses() -> None:
    session = QuizSession()
    assert session.summary() == []
    (question,) = Lesson(resolve("shopping")).questions(1)
    session.ask(question)
    session.answer("200")
    assert session.summary() == ["forward: 1 of 1 right first time, 0 after the hint, 0 revealed"]
    session.ask(question)
    session.answer("1")
    session.answer("200")  # right after the hint: counted, and nothing listed as revealed
    assert session.summary() == ["forward: 1 of 2 right first time, 1 after the hint, 0 revealed"]


def test_the_summary_names_neuron_questions_as_asked_and_counts_past_eight() -> None:
    from tutor.teach.lesson import NEURONS

    lesson = Lesson(resolve("tiny_net"), view=NEURONS)
    session = QuizSession()
    asked = [q for k in range(len(lesson)) for q in lesson.questions(k)]
    for question in asked:
        session.ask(question)
        session.answer("12345")
        session.answer("12345")
    revealed = session.summary()[-1]
    assert revealed.startswith("revealed: step 1 output of h1; ") and revealed.endswith(f"; and {len(asked) - 8} more")
    assert "δ of h1" in " ".join(q.named() for q in asked) and "∂w11" in " ".join(q.named() for q in asked)


def test_each_question_says_the_numbers_it_needs() -> None:
    """The graph may be drawn without numbers (the names density): the question gives them, never the answer."""

    lesson = Lesson(resolve("shopping"))
    (value,) = lesson.questions(1)
    assert value.prompt.endswith("apple × apple_count?") and value.given == "apple = 100, apple_count = 2"
    lesson = Lesson(resolve("two_paths"))
    for k in range(1, lesson.forward_end + 1):
        for question in lesson.questions(k):
            assert question.given and f"{question.node} =" not in question.given  # not the value asked for
    for k in range(lesson.forward_end + 1, lesson.last + 1):
        for question in lesson.questions(k):
            assert "upstream ∂e/∂" in question.given
    fan_out = [q for k in range(lesson.last + 1) for q in lesson.questions(k) if "so far" in q.given]
    assert fan_out and all(q.kind == "grad" and q.input == "b" for q in fan_out)
