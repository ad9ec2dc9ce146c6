"""The words around the numbers: notes per pass, quiz scoring, group-level
forward mode and paths, the sigmoid agreement, neurons' deltas, and the small
things a learner trips on. Driven through ``tutor.teach`` only (no UI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tutor.scenario import ScenarioError, builtin_names, loads, resolve
from tutor.scenario.notes import NoteError, placeholders, render
from tutor.teach.modes import Move, Place, make_modes
from tutor.teach.modes.forward import tangent, tangent_walk
from tutor.teach.modes.paths import explain_routes
from tutor.teach.lesson import EXPANDED, GROUPS, Lesson
from tutor.teach.questions import QuizSession, styled


def text(lines) -> str:
    return "\n".join("".join(fragment for fragment, _ in line) for line in lines)


def all_text(lesson: Lesson) -> list[str]:
    return [text(lesson.explain(k)) for k in range(len(lesson))]


# --- notes ----------------------------------------------------------------------

PHASED = """
inputs:
  a: 2
  b: 5
nodes:
  c: a * b
  d: c + a
output: d
notes:
  a: "a is an input: {a}"
  c:
    forward: "c = a × b = {c}"
    backward: "c sends b = {grad(a)} so far to a and a = {grad(b)} to b"
  d:
    backward: "d starts the backward pass; a gets {grad(a)} from here"
"""


def test_placeholders_are_parsed_with_their_offsets() -> None:
    found = placeholders("x {a} and {grad( b )} {{literal}}")
    assert [(p.name, p.grad, p.offset) for p in found] == [("a", False, 2), ("b", True, 10)]
    assert render("{a} / {grad(b)} {{x}}", {"a": 2.0}.get, {"b": 2.2000000000000002}.get) == "2 / 2.2 {x}"
    assert render("{a}", lambda name: None, lambda name: None) == "?"
    for bad in ("{a", "a}", "{a + 1}", "{grad(a}"):
        with pytest.raises(NoteError):
            placeholders(bad)


def test_a_note_shows_in_its_own_pass_with_live_numbers() -> None:
    scenario = loads(PHASED, "phased.yaml")
    lesson = Lesson(scenario, view=EXPANDED)
    notes = {k: lesson.notes_at(k) for k in range(len(lesson)) if lesson.notes_at(k)}
    # start: the leaf's note; forward step of c; backward step of d; backward step of c (a's gradient complete).
    assert notes == {
        0: ["a is an input: 2"],
        1: ["c = a × b = 10"],
        3: ["d starts the backward pass; a gets 1 from here"],
        # A plain sentence shows in both passes: for a leaf, again where its gradient is complete.
        4: ["a is an input: 2", "c sends b = 6 so far to a and a = 2 to b"],
    }
    # Numbers follow an edit: nothing is fixed in the file.
    edited = lesson.with_values({"b": 7})
    assert edited.notes_at(1) == ["c = a × b = 14"]
    assert edited.notes_at(4)[-1] == "c sends b = 8 so far to a and a = 2 to b"


def test_a_notes_numbers_are_styled_and_typeset_as_every_number_on_screen() -> None:
    from tutor.teach.session import LessonSession
    from tutor.teach.text import MINUS

    lesson = Lesson(resolve("relu_gate"), view=GROUPS)
    k = lesson.last
    (plain,) = [note for note in lesson.notes_at(k) if "receives" in note]
    assert plain.endswith("x receives -2.")  # the note's text (as the JSON trace gives it) keeps the file's minus
    (line,) = [line for line in lesson.explain(k) if line[0] == ("✎ ", "note") and "receives" in text([line])]
    # The teacher's words in the note's style; the number the tutor filled in, styled as the gradient it is.
    assert line[-2:] == [("-2", "grad"), (".", "note")] and all(style == "note" for _, style in line[:-2])
    session = LessonSession(resolve("relu_gate"))
    session.end()
    shown = text(session.panel(session.view()).lines)
    assert f"x receives {MINUS}2." in shown and "x receives -2" not in shown  # on screen: one minus sign


def test_no_builtin_note_gives_the_backward_pass_away_in_the_forward_pass() -> None:
    for name in builtin_names():
        scenario = resolve(name)
        for view in (EXPANDED, GROUPS):
            lesson = Lesson(scenario, view=view)
            for k in range(lesson.forward_end + 1):
                for note in lesson.notes_at(k):
                    assert "∂" not in note, (name, view, k, note)
        for note in scenario.notes.values():
            for phase_text in (note.forward, note.backward):
                # Numbers come from placeholders, never written in: no stale "650".
                assert not any(word in phase_text for word in (" 650", " 220", "= 7", "= 5", " 1.1 ")), phase_text


def test_shopping_note_names_price_and_uses_the_panels_notation() -> None:
    scenario = resolve("shopping")
    backward = scenario.notes["price"].backward
    assert "multiply node price" in backward and "∂price/∂price" in backward and "tax node" not in backward
    oranges = resolve("shopping_oranges").notes["price"].backward
    assert "∂price/∂tax" in oranges and "d price / d tax" not in oranges
    lesson = Lesson(resolve("shopping_oranges"), view=EXPANDED)
    shown = [note for k in range(len(lesson)) for note in lesson.notes_at(k) if "∂price/∂tax" in note]
    assert shown == ["∂price/∂tax is the subtotal, 650: one more unit of tax rate would add 650 to the price."]
    assert lesson.index_of("backward", "price") is not None


def test_trace_json_gives_each_step_its_rendered_note() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "trace", "two_paths", "--json", "--set", "a=4"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    steps = json.loads(result.stdout)["steps"]
    assert all("note" in step for step in steps)
    notes = [step["note"] for step in steps]
    assert notes[:3] == ["", "", ""]
    assert notes[3] == "A multiply node swaps its inputs: c receives d = 2, d receives c = 5."
    assert notes[-1] == "b feeds c and d; its gradient is the sum over both paths: 1 × 2 + 1 × 5 = 7."


# --- quiz -----------------------------------------------------------------------


def test_quiz_counts_first_tries() -> None:
    lesson = Lesson(resolve("two_paths"), view=EXPANDED)
    quiz = QuizSession()
    first, second, third = lesson.questions(1)[0], lesson.questions(2)[0], lesson.questions(3)[0]
    quiz.ask(first)
    assert quiz.answer("3")[0] == "right"
    quiz.ask(second)
    assert quiz.answer("5")[0] == "retry"
    assert quiz.answer("2")[0] == "right"
    quiz.ask(third)
    assert quiz.answer("1")[0] == "retry"
    outcome, message = quiz.answer("7")
    assert outcome == "reveal" and message.startswith("The answer is 6")
    score = quiz.scores["forward"]
    assert (score.first_try, score.after_hint, score.revealed, score.asked, score.right) == (1, 1, 1, 3, 2)
    assert quiz.summary()[0] == "forward: 1 of 3 right first time, 1 after the hint, 1 revealed"


def test_quiz_working_never_repeats_a_number_and_hints_render_emphasis() -> None:
    lesson = Lesson(resolve("two_paths"), view=EXPANDED)
    local = next(q for q in lesson.questions(lesson.last) if q.kind == "local" and q.input == "a")
    quiz = QuizSession()
    quiz.ask(local)
    assert quiz.answer("1") == ("right", "Right: ∂c/∂a = 1")
    multiply = next(q for q in lesson.questions(lesson.forward_end + 1) if q.kind == "local")
    assert "*other*" in multiply.hint
    fragments = styled(multiply.hint, "bad")
    assert ("other", "em") in fragments and all("*" not in piece for piece, _ in fragments)


# --- the groups view speaks in groups -------------------------------------------


def test_paths_in_the_groups_view_use_group_names_and_local_derivatives() -> None:
    lesson = Lesson(resolve("tiny_net"), view=GROUPS)
    place = Place(lesson, selected="x1")
    mode = make_modes(place)["paths"]
    mode.enter()
    routes = mode.routes
    assert routes[0].nodes == ("x1", "z1", "h1", "y", "err", "loss")
    assert routes[0].formulas == ("w11", "h1(1 − h1)", "v1", "1", "err")
    assert text(mode.view().lines) == text(explain_routes(lesson, "x1", routes, "", 0))
    shown = text(mode.view().lines)
    assert "x1 → z1 → h1 → y → err → loss   w11 · h1(1 − h1) · v1 · 1 · err = 0.15 · 0.241301 · 0.4 · 1 · " \
           "(-0.641998) = -0.00929487" in shown
    assert ".mul" not in shown and ".add" not in shown
    assert len(routes) == 3
    assert sum(route.product for route in routes) == pytest.approx(lesson.trace.grad("x1"), rel=1e-12)


def test_forward_mode_in_the_groups_view_steps_over_named_nodes_with_a_tangent_mark() -> None:
    lesson = Lesson(resolve("tiny_net"), view=GROUPS)
    walk = tangent_walk(lesson, "x1")
    assert len(walk) == 1 + len(lesson.forward)
    lines = [text(explanation) for explanation in walk.explanations]
    assert "dz1/dx1 = Σ local × input tangent = 0.15×1  (other inputs: tangent 0) = 0.15" in lines[1]
    assert "Notation: dz/dx1, marked ṫ on the graph, is a tangent" in lines[0]  # no "upright d" a terminal cannot show
    assert tangent("apple_price", "apple") == "d(apple_price)/d(apple)"  # never "dapple_price/dapple", one word
    assert walk.frames[1].grad_mark == "ṫ" and lesson.frame(lesson.last).grad_mark == "∂"
    assert lesson.frame(lesson.last).marks == {"z1": "δ", "z2": "δ", "z3": "δ", "y": "δ"}
    assert "∂z1" not in "\n".join(lines) and ".mul" not in "\n".join(lines)
    assert f"Done: d(loss)/dx1 = {0.0358143}" in lines[-1]
    assert walk.frames[-1].grads["loss"] == pytest.approx(lesson.trace.grad("x1"), rel=1e-12)


# --- agreements -------------------------------------------------------------------


def test_the_grouped_sigmoid_shows_its_numbers() -> None:
    lesson = Lesson(resolve("sigmoid"), view=EXPANDED)
    assert "local ∂y/∂x = y(1 − y) = 0.622459 × (1 − 0.622459) = 0.235004" in text(lesson.explain(lesson.last))


def test_collapsed_sigmoid_expanded_multiplies_four_factors_to_y_one_minus_y() -> None:
    lesson = Lesson(resolve("sigmoid_expanded"), view=GROUPS)
    shown = text(lesson.explain(lesson.last))
    assert "inside y: (-y²) · 1 · exp(-x) · (-1) = (-0.387456) × 1 × 0.606531 × (-1) = 0.235004" in shown
    assert "= y(1 − y) = 0.622459 × (1 − 0.622459) = 0.235004" in shown
    # A group that is not a sigmoid claims no such agreement.
    net = Lesson(resolve("tiny_net"), view=GROUPS)
    assert not any("grouped sigmoid" in page for page in all_text(net))


def test_tiny_net_names_every_delta_and_sums_the_fan_out() -> None:
    lesson = Lesson(resolve("tiny_net"), view=GROUPS)
    grad = lesson.trace.grad
    pages = all_text(lesson)
    at_h1 = pages[lesson.index_of("backward", "h1")]
    assert "δ(h1) = ∂loss/∂z1 = error arriving × activation′ = (-0.256799) × 0.241301 = -0.0619658" in at_h1
    at_z1 = pages[lesson.index_of("backward", "z1")]
    assert "δ(h1) = ∂loss/∂z1 = -0.0619658" in at_z1
    assert "∂loss/∂w11 = δ·x1 = (-0.0619658) × 0.05 = -0.00309829" in at_z1
    assert "∂loss/∂b1 = δ = -0.0619658" in at_z1
    assert ("∂loss/∂x1: Σⱼ δⱼ·wⱼ₁ = δ(h1)·w11 + δ(h2)·w21 + δ(h3)·w31 = (-0.0619658)×0.15 + 0.0701474×0.25 + "
            "(-0.0787782)×(-0.35) = 0.0358143") in at_z1
    assert "δ(y) = ∂loss/∂y = -0.641998" in pages[lesson.index_of("backward", "y")]
    end = pages[lesson.last]
    for neuron in ("h1", "h2", "h3", "y"):
        assert f"δ({neuron})=" in end
    for param in resolve("tiny_net").params:
        assert f"∂loss/∂{param}=" in end
    assert f"∂loss/∂x1={0.0358143}" in end and f"∂loss/∂x2={-0.0228602}" in end
    assert grad("z1") == pytest.approx(-0.0619658, abs=1e-7)


def test_the_expanded_tiny_net_also_names_deltas() -> None:
    lesson = Lesson(resolve("tiny_net"), view=EXPANDED)
    pages = all_text(lesson)
    assert "δ(h2) = ∂loss/∂z2 = 0.0701474" in pages[lesson.index_of("backward", "z2")]
    assert "Σⱼ δⱼ·wⱼ₂ = δ(h1)·w12 + δ(h2)·w22 + δ(h3)·w32" in "\n".join(pages)


# --- smaller things -----------------------------------------------------------------


def test_step_zero_shows_the_title_and_description() -> None:
    scenario = resolve("two_paths")
    start = text(Lesson(scenario).explain(0))
    assert start.startswith("Two paths\n") and scenario.description in start


def test_builtins_follow_lesson_order() -> None:
    """The shopping lesson's Japanese twin beside it (not a lesson of its own between the steps); the net with
    XOR's four rows before the curve's 1-8-1 and batches; classification after both."""
    assert builtin_names() == [
        "shopping", "shopping_ja", "shopping_oranges", "square_of_sum", "two_paths", "relu_gate",
        "sigmoid_expanded", "sigmoid", "tiny_net", "xor", "curve", "softmax", "spiral",
    ]
    assert resolve("tiny_net").order == 9


def test_a_local_scenario_takes_its_place_among_the_builtins(tmp_path, monkeypatch) -> None:
    """order: 4.5 puts a teacher's file between the 4th and 5th lessons, in the picker and in `list`."""
    from tutor.scenario.builtins import lesson_files
    from tutor.ui.screens.picker import entries

    local = tmp_path / "scenarios"
    local.mkdir()
    body = "inputs: {a: 1}\nnodes: {b: a * 2}\noutput: b\n"
    (local / "mine.yaml").write_text("title: Mine\norder: 4.5\n" + body, encoding="utf-8")
    (local / "extra.yaml").write_text("title: Extra\n" + body, encoding="utf-8")
    (local / "broken.yaml").write_text("nodes: {", encoding="utf-8")
    os.mkfifo(local / "pipe.yaml")  # listed as not loading, never read
    specs = [spec for spec, _ in lesson_files(tmp_path)]
    assert specs[3:6] == ["square_of_sum", str(local / "mine.yaml"), "two_paths"]
    assert specs[-3:] == [str(local / "broken.yaml"), str(local / "extra.yaml"), str(local / "pipe.yaml")]
    titles = [title for _, title, _ in entries(tmp_path)]
    assert titles[4] == "Mine  (mine.yaml)" and titles[-3] == "broken.yaml  (does not load)"
    monkeypatch.chdir(tmp_path)
    listed = subprocess.run([sys.executable, "-m", "tutor", "list"], capture_output=True, text=True, timeout=60,
                            cwd=tmp_path, env={**os.environ, "COLUMNS": "120"})
    rows = [line.split("│")[1].strip() for line in listed.stdout.splitlines() if line.startswith("│") and line.split("│")[1].strip()]
    assert rows[3:6] == ["square_of_sum", "scenarios/mine.yaml", "two_paths"]


def test_learner_facing_op_names_boxes_and_parentheses() -> None:
    lesson = Lesson(resolve("square_of_sum"), view=EXPANDED)
    assert "power node" in text(lesson.explain(lesson.forward_end + 1))
    assert "powc" not in "\n".join(all_text(lesson))
    assert [node.subtitle for node in lesson.nodes if node.key == "z"] == ["t²"]
    sigmoid = Lesson(resolve("sigmoid_expanded"), view=EXPANDED)
    assert "exp(-0.5)" in "\n".join(all_text(sigmoid)) and "((" not in "\n".join(all_text(sigmoid))


def test_the_end_of_a_scenario_without_inputs_does_not_mention_inputs() -> None:
    only_params = loads("params:\n  w: 2\nnodes:\n  loss: w * w\noutput: loss\n", "p.yaml")
    end = text(Lesson(only_params).explain(Lesson(only_params).last))
    assert "every input" not in end and "every param has its gradient" in end
    no_leaves = loads("nodes:\n  c: 2 * 3\noutput: c\n", "c.yaml")
    lesson = Lesson(no_leaves)
    assert "every input" not in text(lesson.explain(lesson.last))


def test_a_gradient_in_a_forward_note_is_refused_with_its_position() -> None:
    with pytest.raises(ScenarioError) as caught:
        loads("inputs:\n  a: 1\nnodes:\n  b: a * 2\noutput: b\nnotes:\n  b:\n    forward: 'x {grad(a)}'\n", "f.yaml")
    assert str(caught.value).startswith("f.yaml:8:17: error:")


def test_train_warns_when_diverging_and_says_how_many_steps_ran() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "train", "tiny_net", "--lr", "50", "--steps", "3"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0 and "diverging: try a smaller --lr" in result.stderr
    assert "ran 1 step" not in result.stderr
    default = subprocess.run(
        [sys.executable, "-m", "tutor", "train", "tiny_net"], capture_output=True, text=True, timeout=60
    )
    assert "ran 1 step (the default)" in default.stderr and "diverging" not in default.stderr


def test_trace_tables_never_cut_a_number() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "trace", "tiny_net"],
        capture_output=True, text=True, timeout=60, env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0
    assert "…" not in result.stdout
    assert "-0.0619658" in result.stdout and "0.0358143" in result.stdout
