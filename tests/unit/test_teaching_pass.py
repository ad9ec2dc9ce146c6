"""What a new learner stumbled on, fixed at the root (the step panel's words, the quiz, edits, selection)."""

from __future__ import annotations

import pytest

from tutor import i18n
from tutor.scenario import resolve
from tutor.teach.edits import edit_lines
from tutor.teach.lesson import EXPANDED, GROUPS, NEURONS, Lesson
from tutor.teach.modes import Move, Place, make_modes
from tutor.teach.questions import QuizSession, parse_answer, AnswerError
from tutor.teach.session import LessonSession
from tutor.teach.text import MINUS, cells, plain, wrap_line


def text(lines) -> str:
    return "\n".join(plain(line) for line in lines)


# -- the step panel ----------------------------------------------------------------


def test_a_wrapped_line_continues_under_its_words_not_under_its_arrow() -> None:
    line = [("→ ", "dim"), ("apple_count", "name"), (": local ∂apple_price/∂apple_count = apple = 100;  1.1 × 100 = 110",
                                                      "")]
    rows = [plain(row) for row in wrap_line(line, 40)]
    assert len(rows) > 1 and all(row.startswith("  ") and not row.startswith("   ") for row in rows[1:])
    indented = [("   ", ""), ("∂e/∂b: 3 + 2 = 5   fan-out: b feeds 2 nodes (via d, via c); the contributions add", "")]
    assert all(plain(row).startswith("   ") for row in wrap_line(indented, 40)[1:])


def test_a_formula_is_kept_on_one_row_where_a_break_before_it_leaves_the_row_half_full() -> None:
    line = [("→ ", "dim"), ("りんごの値段", "name"), (": 局所的な微分 ∂支払金額/∂りんごの値段 = 消費税 = 1.1;  1 × 1.1 = 1.1", "")]
    rows = [plain(row) for row in wrap_line(line, 76)]
    assert rows[-1].strip() == "1 × 1.1 = 1.1", rows  # not "1 ×" on one row and "1.1 = 1.1" on the next
    english = [("→ b: upstream 2 × local 1 = 2;  ∂e/∂b 3 + 2 = 5  (fan-out: b feeds 2 nodes)", "")]
    for width in range(40, 75):
        rows = [plain(row).strip() for row in wrap_line(english, width)]
        assert not any(row.endswith(("×", "=", "+")) or row.startswith(("×", "=", "+")) for row in rows), rows
    # with no other place to break, a long formula still breaks at its signs rather than mid-number
    long = [("1.5 × 2.5 × 3.5 × 4.5 × 5.5 × 6.5 = 844.59", "")]
    assert all(cells(plain(row)) <= 12 for row in wrap_line(long, 12))


def test_japanese_rows_keep_their_cells_and_break_rules() -> None:
    line = [("支払金額は消費税の分だけ上がります。これは「局所的な微分」です。", "")]
    i18n.set_language("ja")
    try:
        rows = [plain(row) for row in wrap_line(line, 12)]
    finally:
        i18n.set_language("en")
    assert all(cells(row) <= 12 for row in rows)
    assert not any(row.startswith(("。", "、", "」")) for row in rows)  # no closing mark starts a row
    assert not any(row.endswith("「") for row in rows)  # no opening mark ends one


def test_an_english_sentence_never_breaks_inside_a_japanese_name() -> None:
    line = [("upstream ∂支払金額/∂りんごの値段 = 1.1  (complete: every node that uses りんごの値段 has sent its share)", "")]
    for width in range(30, 80):
        rows = [plain(row).strip() for row in wrap_line(line, width)]
        words = " ".join(rows).split()
        assert "りんごの値段" in words and "∂支払金額/∂りんごの値段" in words, (width, rows)


def test_numbers_and_formulas_read_with_one_minus_sign() -> None:
    session = LessonSession(resolve("sigmoid_expanded"))
    session.end()
    panel = session.panel(session.view())
    math = [fragment for line in panel.lines for fragment, style in line if style in ("value", "grad", "formula")]
    assert any(MINUS in fragment for fragment in math)
    assert not any("-" in fragment for fragment in math)  # -y² = −0.622459² = -0.387456 mixed two signs


def test_a_delta_is_drawn_only_from_the_step_that_names_it() -> None:
    for view in (NEURONS, GROUPS, EXPANDED):
        lesson = Lesson(resolve("tiny_net"), view=view)
        for k in range(len(lesson)):
            named = "δ(" in text(lesson.explain(k)) or "δ =" in text(lesson.explain(k))
            for key in lesson.frame(k).marks:
                first = next(j for j in range(len(lesson)) if key in lesson.frame(j).marks)
                assert first <= k
            if lesson.frame(k).marks and k > 0 and not lesson.frame(k - 1).marks:
                assert named, (view, k)  # the first δ on the graph comes with the words that introduce it


@pytest.mark.parametrize("name", ["softmax", "spiral"])
def test_a_softmax_step_marks_every_delta_it_names_with_p_minus_t(name: str) -> None:
    lesson = Lesson(resolve(name), view=NEURONS)
    network = lesson.narration.network
    k = next(j for j in range(len(lesson)) if lesson.step(j) and lesson.step(j).op == "softmax"
             and lesson.step(j).phase == "backward")
    before, at, last = lesson.frame(k - 1), lesson.frame(k), lesson.frame(lesson.last)
    outputs = [n for n in network.neurons if n.softmax is not None]
    assert outputs
    for neuron in outputs:
        assert neuron.z not in before.marks and at.marks.get(neuron.z) == "δ" and last.marks.get(neuron.z) == "δ"
        target = _target_of(lesson, neuron.name, k)  # the panel's line δ(a2_1) = a2_1 − t1 = ...
        assert at.grads[neuron.z] == pytest.approx(at.values[neuron.name] - at.values[target], abs=1e-12)


def _target_of(lesson: Lesson, output: str, k: int) -> str:
    """The target an output's δ line names: ``δ(a2_1) = a2_1 − t1 = ...``."""
    words = text(lesson.explain(k))
    line = next(line for line in words.splitlines() if line.startswith(f"δ({output}) = {output} − "))
    return line.split(" − ")[1].split(" = ")[0]


def test_forward_mode_writes_tangents_a_terminal_can_show() -> None:
    from tutor.teach.modes.forward import tangent, tangent_walk

    assert tangent("z", "x") == "dz/dx" and tangent("apple_price", "apple") == "d(apple_price)/d(apple)"
    walk = tangent_walk(Lesson(resolve("shopping")), "apple")
    words = text(walk.explanations[0])
    assert "upright" not in words and "marked ṫ on the graph" in words


# -- selection and paths -------------------------------------------------------------


def test_a_node_just_selected_is_described_first() -> None:
    session = LessonSession(resolve("shopping_oranges"))
    session.end()
    session.select("apple_price")
    assert plain(session.panel(session.view()).lines[0]).startswith("Selected apple_price")
    session.previous()
    assert not plain(session.panel(session.view()).lines[0]).startswith("Selected")  # the step comes first again


def test_paths_say_why_a_node_has_none_and_point_at_the_chosen_path() -> None:
    session = LessonSession(resolve("two_paths"))
    session.switch_mode("paths")
    session.select("c")
    view = session.view()
    assert "Paths start at an input or param; c is a node. Tab on to a leaf." in text(view.lines)
    session.select("b")
    session.next()
    view = session.view()
    assert view.focus_line is not None and plain(view.lines[view.focus_line]).startswith("▶ ")


# -- the quiz ---------------------------------------------------------------------------


def test_the_two_questions_about_the_same_symbol_say_which_is_which() -> None:
    lesson = Lesson(resolve("shopping"))
    local, grad = [q for q in lesson.questions(lesson.forward_end + 1) if q.input == "apple_price"]
    assert local.prompt.startswith("Local derivative of this multiply node alone")
    assert grad.prompt.startswith("Gradient of the output price with respect to apple_price")
    groups = Lesson(resolve("tiny_net"), view=GROUPS)
    prompts = [q.prompt for k in range(len(groups)) for q in groups.questions(k)]
    assert not any("at this group" in p for p in prompts)


def test_a_near_miss_asks_for_more_digits_and_costs_no_try() -> None:
    quiz = QuizSession()
    lesson = Lesson(resolve("sigmoid_expanded"), view=GROUPS)
    (question,) = [q for q in lesson.questions(lesson.last) if q.kind == "local"]
    quiz.ask(question)
    assert round(question.answer, 2) == 0.24
    outcome, message = quiz.answer("0.24")
    assert outcome == "close" and "significant digits" in message
    assert quiz.tries == 0
    assert quiz.answer(f"{question.answer:.6f}")[0] == "right"
    assert quiz.scores["backward"].first_try == 1


def test_a_sign_slip_is_named() -> None:
    quiz = QuizSession()
    lesson = Lesson(resolve("sigmoid_expanded"))
    question = next(q for k in range(len(lesson)) for q in lesson.questions(k) if q.answer < -0.1)
    quiz.ask(question)
    outcome, message = quiz.answer(str(-question.answer))
    assert outcome == "retry" and "wrong sign" in message


def test_a_caret_is_answered_with_how_to_write_a_power() -> None:
    try:
        parse_answer("2^3")
    except AnswerError as exc:
        assert "**" in str(exc)
    else:
        raise AssertionError("2^3 was read")


def test_the_neuron_quiz_writes_gradients_as_the_panel_does() -> None:
    lesson = Lesson(resolve("tiny_net"), view=NEURONS)
    prompts = [q.prompt for k in range(len(lesson)) for q in lesson.questions(k)]
    assert not any(p.startswith("grad ") for p in prompts) and any(p.startswith("∂v1 ") for p in prompts)


# -- edits -------------------------------------------------------------------------------


def test_an_overflowing_sigmoid_says_why_its_gradient_is_nan_and_does_not_claim_done() -> None:
    lesson = Lesson(resolve("sigmoid_expanded"), view=GROUPS).with_values({"x": -1000})
    words = text(lesson.explain(lesson.last))
    assert "but y(1 − y) = 0 × (1 − 0) = 0" in words and "0 × inf is nan" in words
    assert "Done:" not in words and "Done, but ∂y/∂x = nan" in words


def test_editing_an_input_to_its_own_value_predicts_nothing() -> None:
    lesson = Lesson(resolve("relu_gate"))
    leaf = next(iter(lesson.scenario.inputs))
    words = text(edit_lines(lesson, lesson.with_values({leaf: lesson.trace.value(leaf)}), leaf))
    assert "linear" not in words and "the same value" in words


def test_the_quiz_in_the_modes_still_moves_on() -> None:
    place = Place(Lesson(resolve("shopping")))
    quiz = make_modes(place)["quiz"]
    quiz.enter()
    assert quiz.next() is Move.SHOW and quiz.asking
