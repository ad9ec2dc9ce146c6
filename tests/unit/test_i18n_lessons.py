"""The lesson in Japanese: every step's words, the quiz, forward mode and paths, the engine's warnings.

A Japanese panel may hold English only where it is not a sentence: the
scenario's names (nodes, inputs, params), the functions of an expression, the
keys' names and the numbers and formulas (fragments styled as such). A word of
four or more ASCII letters anywhere else is an untranslated sentence.
"""

from __future__ import annotations

import math
import re
from functools import cache

import pytest

from tutor import i18n
from tutor.engine import analysis
from tutor.engine.network import ACTIVATIONS
from tutor.engine.ops import FUNCTIONS, OPS
from tutor.engine.trace import run
from tutor.scenario import builtin_names, loads, resolve
from tutor.teach import engine_words
from tutor.teach.edits import edit_lines, edit_trouble, edit_warning
from tutor.teach.lesson import Lesson, views_of
from tutor.teach.modes import Place, make_modes
from tutor.teach.modes import paths as paths_module
from tutor.teach.modes.forward import tangent_walk
from tutor.teach.questions import AnswerError, QuizSession, parse_answer
from tutor.teach.selected import selected_lines
from tutor.teach.session import LessonSession
from tutor.teach.text import MATH_STYLES

WORD = re.compile(r"[A-Za-z]{4,}|\b(?:of|to|the|and|is|at|by|via|but|so|for|its|are|an|if|or)\b")
"""An English word: four letters or more, or one of the short words every English sentence has."""
KEYS = {"Enter", "Esc", "Tab", "PgDn", "PgUp"}
"""The keys' names, as the key bar writes them."""
NOT_WORDS = MATH_STYLES | {"name"}
"""Styles whose text is names, numbers and formulas, never a sentence."""


@pytest.fixture(autouse=True)
def japanese():
    i18n.set_language("ja")
    yield
    i18n.set_language("en")


def allowed(name: str) -> frozenset[str]:
    return _allowed(name, i18n.language())


@cache
def _allowed(name: str, _language: str) -> frozenset[str]:
    """The ASCII words a Japanese panel of scenario ``name`` may hold: its names, the functions, the keys, and
    whatever the scenario's own Japanese text says (its title, description and notes are its author's)."""
    scenario = resolve(name)
    texts = {node.name for node in scenario.graph.nodes} | set(scenario.graph.groups) | set(scenario.named)
    texts |= {scenario.title, scenario.description}
    texts |= {note.text(phase) for note in scenario.notes.values() for phase in ("forward", "backward")}
    words = set(FUNCTIONS) | set(ACTIVATIONS) | {op.symbol for op in OPS.values()} | KEYS
    for text in texts:
        words.update(WORD.findall(text))
    return frozenset(words)


def english(lines, name: str) -> list[str]:
    """The words of ``lines`` (styled fragments, or plain texts) that are English sentences' words."""
    found = []
    for line in lines:
        fragments = [(line, "")] if isinstance(line, str) else line
        for text, style in fragments:
            if style not in NOT_WORDS:
                found += [word for word in WORD.findall(text) if word not in allowed(name)]
    return found


def lessons():
    """Every built-in in every view it has."""
    for name in builtin_names():
        for view in views_of(resolve(name)):
            yield name, view


def test_the_check_finds_an_english_sentence() -> None:
    """In English the same check finds words: it can fail."""
    i18n.set_language("en")
    lesson = Lesson(resolve("two_paths"))
    assert {"Start", "Inputs", "computed"} <= set(english(lesson.explain(0), "two_paths"))
    i18n.set_language("ja")
    assert english(lesson.explain(0), "two_paths") == []
    assert english([[("upstream ", ""), ("apple_price", "name"), ("1.1", "value")]], "shopping") == ["upstream"]


@pytest.mark.parametrize(("name", "view"), list(lessons()))
def test_every_step_of_every_builtin_speaks_japanese(name: str, view: str) -> None:
    lesson = Lesson(resolve(name), view=view)
    for k in range(len(lesson)):
        full, short = lesson.explain(k), lesson.explain_compact(k)
        assert not english(full, name), (k, english(full, name))
        assert not english(short, name), (k, english(short, name))


@pytest.mark.parametrize(("name", "view"), list(lessons()))
def test_every_quiz_question_speaks_japanese(name: str, view: str) -> None:
    lesson = Lesson(resolve(name), view=view)
    asked = 0
    for k in range(len(lesson)):
        for question in lesson.questions(k):
            asked += 1
            texts = [question.prompt, question.hint, question.given, question.named()]
            assert not english(texts, name), (k, english(texts, name))
    assert asked


def test_the_quiz_answers_and_sums_up_in_japanese() -> None:
    lesson = Lesson(resolve("two_paths"))
    first, second = [q for k in range(len(lesson)) for q in lesson.questions(k)][:2]
    session = QuizSession()
    session.ask(first)
    said = [session.answer(typed) for typed in ("1e999", "abc", "2 +", "^2", "exp", "'a'", "0", "0")]
    session.ask(second)
    said.append(session.answer(repr(second.answer)))
    assert [outcome for outcome, _message in said] == ["invalid"] * 6 + ["retry", "reveal", "right"]
    for _outcome, message in said:
        assert not english([message], "two_paths"), message
    assert said[0][1] == "読み取れません: 数が大きすぎます。2.2 や 1/3 のような数を入力してください。"
    assert said[1][1].startswith("読み取れません: 不明な名前 'abc'。")
    assert said[6][1].startswith("違います (0)。ヒント: 式に入力の値を入れる: ")
    assert said[7][1].startswith("答えは 3: c = a + b")
    summary = session.summary()
    assert summary == ["順伝播: 2 問中 1 回目で正解 1、ヒントの後で正解 0、答えを表示 1",
                       "答えを表示した問題: ステップ 1 c (値)"]


def test_an_answer_too_finely_rounded_and_a_wrong_sign_in_japanese() -> None:
    lesson = Lesson(resolve("sigmoid"))
    question = next(q for k in range(len(lesson)) for q in lesson.questions(k) if abs(q.answer) > 0.01)
    session = QuizSession()
    session.ask(question)
    outcome, message = session.answer(f"{question.answer:.1g}")
    assert outcome == "close" and message.startswith("惜しい: ")
    outcome, message = session.answer(repr(-question.answer))
    assert outcome == "retry" and "符号が逆" in message


@pytest.mark.parametrize("name", builtin_names())
def test_forward_mode_speaks_japanese(name: str) -> None:
    lesson = Lesson(resolve(name))
    for leaf in list(lesson.scenario.leaves)[:3]:
        walk = tangent_walk(lesson, leaf)
        assert walk.language == "ja"
        for explanation in walk.explanations:
            assert not english(explanation, name), english(explanation, name)


@pytest.mark.parametrize("name", builtin_names())
def test_paths_speak_japanese(name: str) -> None:
    lesson = Lesson(resolve(name), view=views_of(resolve(name))[-1])
    for leaf in list(lesson.scenario.leaves)[:3]:
        try:
            found, error = tuple(analysis.paths(lesson.graph, lesson.trace, leaf, paths_module.ROUTE_LIMIT)), ""
        except analysis.TooManyPaths as exc:
            found, error = (), str(exc)
        lines = paths_module.explain_routes(lesson, leaf, found, error, 0)
        assert not english(lines, name), english(lines, name)


def test_the_modes_progress_and_own_words_in_japanese() -> None:
    place = Place(Lesson(resolve("two_paths")))
    modes = make_modes(place)
    forward, paths, quiz = modes["forward"], modes["paths"], modes["quiz"]
    forward.enter()
    assert forward.progress().label == "フォワードモード"
    assert forward.progress().detail == "d(ノード)/da: 0/3"
    forward.next()
    assert forward.view().lines[0][0] == ("フォワードモード ", "title")
    paths.enter()
    assert (paths.progress().label, paths.progress().detail) == ("経路", "a から: 経路 1/1")
    place.selected = "c"
    view = paths.view()
    assert english(view.lines, "two_paths") == []
    assert "c はノード。Tab で葉ノードへ。" in "".join(text for text, _style in view.lines[1])
    quiz.enter()
    assert quiz.feedback[0][0] == ("クイズ: ", "title")
    quiz.next()
    assert quiz.progress().detail == "順伝播 →  ステップ 1/6、問題 1/1"
    assert quiz.placeholder().startswith("答え (例: 2.2")
    assert english(quiz.view().lines, "two_paths") == []


def test_switching_the_language_remakes_the_words_a_mode_keeps() -> None:
    place = Place(Lesson(resolve("shopping")))
    modes = make_modes(place)
    forward, quiz = modes["forward"], modes["quiz"]
    forward.enter()
    forward.next()
    quiz.enter()
    quiz.next()
    assert forward.view().lines[0][0][0] == "フォワードモード "
    assert quiz.view().lines[1][1][0].endswith("は？")
    i18n.set_language("en")
    assert forward.view().lines[0][0][0] == "Forward mode " and forward.index == 1
    assert quiz.view().lines[1][1][0].startswith("What is the value of ")
    assert quiz.session.current is quiz.pending[0]
    other = make_modes(Place(Lesson(resolve("shopping"))))["quiz"]
    other.enter()
    assert other.view().lines[-1][0] == ("Quiz: ", "title")
    i18n.set_language("ja")
    assert other.view().lines[-1][0] == ("クイズ: ", "title")


def test_selected_node_edits_and_the_values_table_in_japanese() -> None:
    session = LessonSession(resolve("shopping"))
    lesson = session.lesson
    for key in ("apple", "apple_price", "price"):
        lines = selected_lines(lesson, key, lesson.frame(lesson.last), lesson.last)
        assert not english(lines, "shopping"), lines
    assert "(乗算)" in "".join(text for text, _style in selected_lines(lesson, "price", lesson.frame(0), 0)[0])
    new = lesson.with_values({"apple": 150})
    assert not english(edit_lines(lesson, new, "apple"), "shopping")
    assert not english(edit_lines(lesson, lesson, "apple"), "shopping")
    assert edit_warning(lesson, "apple", 1e308) == "apple = 1e308 では出力 price が inf にあふれます"
    assert not english([edit_trouble(220, math.inf, 330, "price"), edit_trouble(220, 330, math.nan, "price")],
                       "shopping")
    assert {kind for _name, kind, _value, _grad in session.values_rows()} == {"入力", "ノード"}
    assert session.can_pick_row().warning == "このシナリオには data: がありません (xor と curve にはあります)。"


# -- the engine's warnings ---------------------------------------------------------------


def _warnings(text: str, **overrides: float) -> list[str]:
    trace = run(loads(text).graph, overrides)
    return [step.warning for step in (*trace.forward, *trace.backward) if step.warning]


def test_every_sentence_of_the_engine_is_recognised_as_the_engine_writes_it() -> None:
    """Each warning, made by the engine itself, reads in Japanese with its numbers kept."""
    shopping = "inputs: {x: 2}\nnodes:\n  y: x * 1e308 * 10\n  z: y + 1\noutput: z\n"
    division = "inputs: {x: 0}\nnodes:\n  y: 1 / x\noutput: y\n"
    local = "inputs: {x: 0}\nnodes:\n  y: log(x)\noutput: y\n"
    made = _warnings(shopping) + _warnings(division) + _warnings(local)
    meet = loads("inputs: {x: 2}\nnodes:\n  z: x*1e308*10 - x*1e308*10\noutput: z\n")
    routes = analysis.paths(meet.graph, run(meet.graph), "x")
    made.append(analysis.path_sum(routes)[1])
    made += [step.warning for step in analysis.forward_mode(meet.graph, run(meet.graph), "x") if step.warning]
    two = resolve("two_paths")
    with pytest.raises(analysis.TooManyPaths) as many:
        analysis.paths(two.graph, run(two.graph), "b", limit=1)
    made.append(str(many.value))
    said = [engine_words.shown(warning) for warning in made]
    assert "inf: the result is not a finite number" in made and "inf: 結果が有限の数ではない" in said
    assert "inf: an input is already inf" in made and "inf: 入力がすでに inf" in said
    assert "inf: division by zero" in made and "inf: ゼロ除算" in said
    assert "+inf and -inf meet in the sum: the result is nan" in made
    assert "和の中で +inf と -inf が出会い、結果は nan" in said
    assert any(text.startswith("出力への経路が 2 本あり、上限の 1 本を超えています") for text in said)
    for warning, text in zip(made, said):
        assert not WORD.findall(text.replace("nan", "").replace("inf", "")), (warning, text)
    i18n.set_language("en")
    assert [engine_words.shown(warning) for warning in made] == made


def test_every_sentence_the_engine_words_know_has_a_translation_in_use() -> None:
    for template in engine_words.SENTENCES:
        if template != engine_words.VALUE_AND_REASON:
            assert i18n._(template) != template, template
    assert engine_words.shown("a sentence the tutor does not know") == "a sentence the tutor does not know"
    assert engine_words.shown("nan: power out of range (negative base or overflow)") == "nan: べき乗が範囲外 (負の底か、あふれ)"
    assert engine_words.shown("3,000 paths lead to the output, more than the limit of 200; pick a leaf nearer the "
                              "output").startswith("出力への経路が 3,000 本")
    assert engine_words.shown("about 3.2e4515 paths lead to the output, more than the limit of 200; pick a leaf "
                              "nearer the output").startswith("出力への経路が 約 3.2e4515 本")


def test_an_answer_that_cannot_be_read_says_why_in_japanese() -> None:
    for typed, said in [("", "式が空です"), ("abc", "不明な名前 'abc'"), ("foo(1)", "不明な関数 'foo'"),
                        ("2 +", "式として読めません: 構文の誤り"), ("1e999", "数が大きすぎます"), ("01", "整数は 0 で始められません"),
                        ("2^3", "ここでは ^ はべき乗ではありません。** と書きます (2³ なら 2**3)"), ("exp", "exp は関数です。exp(...) のように呼び出します"),
                        ("1/0", "計算すると inf になります")]:
        with pytest.raises(AnswerError) as raised:
            parse_answer(typed)
        assert str(raised.value) == said


def test_op_titles_and_rules_in_japanese_and_english_unchanged() -> None:
    assert i18n._(OPS["mul"].title) == "乗算" and i18n._(OPS["add"].title) == "加算"
    for op in OPS.values():
        assert i18n._(op.title) and i18n._(op.rule) != op.rule
        if op.trouble:
            assert i18n._(op.trouble) != op.trouble
    i18n.set_language("en")
    assert OPS["mul"].title == "multiply" and i18n._(OPS["mul"].title) == "multiply"


def test_trace_op_column_in_japanese(capsys) -> None:
    from tutor.cli import main

    assert main(["trace", "shopping", "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert "乗算" in out and "multiply" not in out
    i18n.set_language("en")
    assert main(["trace", "shopping"]) == 0
    assert "multiply" in capsys.readouterr().out


def test_the_notes_kept_on_screen_are_said_in_the_language_of_the_moment() -> None:
    """An edit's prediction and a quiz's score stay on screen after they are made: a language switch rewords
    them."""
    session = LessonSession(resolve("shopping"))
    session.edit("apple", 150)
    session.switch_mode("quiz")
    session.next()
    session.submit(repr(session.mode.pending[0].answer))
    session.switch_mode("step")
    first = [line[0][0] for line in session.panel(session.view()).lines[:2]]
    assert first == ["クイズ終了。 ", "編集 "]
    i18n.set_language("en")
    first = [line[0][0] for line in session.panel(session.view()).lines[:2]]
    assert first == ["Quiz ended. ", "Edited "]


def test_the_boxes_labels_in_the_language_of_the_moment() -> None:
    lesson = Lesson(resolve("sigmoid_expanded"), view="groups")
    assert [node.subtitle for node in lesson.nodes] == ["入力", "4 ノード"]
    assert {node.subtitle for node in Lesson(resolve("tiny_net"), view="expanded").nodes} >= {"入力", "パラメータ"}
    i18n.set_language("en")
    assert [node.subtitle for node in lesson.nodes] == ["input", "4 nodes"]


def test_a_phrase_puts_its_parts_where_the_translation_does() -> None:
    from tutor.teach.lesson.phrase import phrase

    assert phrase("walk back from {output} to every {leaves}.", "dim", output=("price", "name"), leaves="input") == [
        ("walk back from ", "dim"), ("price", "name"), (" to every input.", "dim")]
    assert phrase("{output} からすべての{leaves}へ", "dim", output=("price", "name"), leaves="入力") == [
        ("price", "name"), (" からすべての入力へ", "dim")]
