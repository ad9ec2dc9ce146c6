"""The lesson session, the state machine the lesson screen drives, without a terminal: every key the
screen forwards (steps, reset, view change, edit, reload, data rows, selection, modes, Esc) and what it
answers."""

from __future__ import annotations

import pytest

from tutor.scenario import loads, resolve
from tutor.teach.modes import Move
from tutor.teach.session import LessonSession
from tutor.teach.text import plain


def words(session: LessonSession) -> str:
    return "\n".join(plain(line) for line in session.panel(session.view()).lines)


def test_steps_go_forward_and_back_and_stop_at_the_ends() -> None:
    session = LessonSession(resolve("shopping"))
    assert session.k == 0
    assert session.previous().move is Move.REFUSED
    assert session.next().move is Move.SHOW and session.k == 1
    session.forward_end()
    assert session.k == session.lesson.forward_end
    session.end()
    last = session.lesson.last
    assert session.k == last
    assert session.next().move is Move.REFUSED and session.k == last
    session.start()
    assert session.k == 0


def test_an_edit_recomputes_keeps_the_place_and_says_what_the_gradient_predicted() -> None:
    session = LessonSession(resolve("shopping"))
    session.end()
    before = session.lesson.trace.output_value
    assert session.edit_target() == "apple"  # nothing selected: the first leaf, which becomes selected
    assert session.selected == "apple"
    outcome = session.edit("apple", 150)
    assert outcome.move is Move.SHOW and session.k == session.lesson.last
    assert session.lesson.trace.output_value == pytest.approx(before + 50 * 2 * 1.1)
    said = words(session).splitlines()
    assert said[:3] == [  # the old gradient's prediction comes first, then what happened
        "Edited apple: 100 → 150 (change +50)",
        "  The gradient predicted ∂price/∂apple × change = 2.2 × 50 = 110",
        "  Actually price went 220 → 330, a change of +110",
    ]
    session.reset()
    assert session.k == 0 and session.lesson.trace.output_value == pytest.approx(before)
    assert "150" not in words(session)


def test_a_view_change_keeps_the_place_and_the_selection_or_its_group() -> None:
    session = LessonSession(resolve("sigmoid_expanded"))
    assert session.lesson.view == "expanded"
    session.end()
    session.select("y.exp1")  # a primitive inside the sigmoid's group
    outcome = session.change_view("groups")
    assert outcome.keys_changed and session.lesson.view == "groups"
    assert session.k == session.lesson.last  # the end stays the end
    assert session.selected == "y"  # the group that holds it
    session.start()
    session.next()
    session.change_view("expanded")
    assert session.lesson.view == "expanded" and 0 < session.k < session.lesson.last


def test_a_reload_keeps_the_nearest_place_and_drops_a_selection_that_is_gone() -> None:
    first = loads("inputs: {a: 2, b: 3}\nnodes:\n  c: a * b\n  d: c + a\noutput: d\n", "t.yaml")
    session = LessonSession(first)
    session.next()
    session.next()
    session.select("c")
    k = session.k
    second = loads("inputs: {a: 2, b: 3}\nnodes:\n  e: a * b\n  d: e + a\noutput: d\n", "t.yaml")
    session.reload(second)
    assert session.selected is None
    assert session.k == k
    assert session.lesson.trace.output_value == pytest.approx(8)


def test_selection_walks_the_nodes_in_file_order_and_comes_first_until_a_step() -> None:
    session = LessonSession(resolve("shopping"))
    keys = [n.key for n in session.lesson.nodes]
    assert session.select_step(1).move is Move.SHOW_IN_PLACE and session.selected == keys[0]
    session.select_step(-1)
    assert session.selected == keys[-1]
    assert session.place.selection_first
    session.next()
    assert not session.place.selection_first


def test_modes_switch_refuse_where_they_cannot_run_and_esc_returns_to_stepping() -> None:
    session = LessonSession(resolve("shopping"))
    assert session.back() is None  # Esc in step mode does nothing here
    outcome = session.switch_mode("quiz")
    assert outcome.move is Move.SHOW and outcome.keys_changed and session.mode.name == "quiz"
    assert session.back().keys_changed and session.mode.name == "step"
    refused = session.switch_mode("train")  # shopping has no params
    assert refused.move is Move.REFUSED and refused.warning
    assert session.mode.name == "step"


def test_a_data_row_is_picked_only_where_there_are_data() -> None:
    assert LessonSession(resolve("shopping")).can_pick_row().move is Move.REFUSED
    session = LessonSession(resolve("xor"))
    assert session.can_pick_row() is None
    session.use_row(4)
    values = {name: session.lesson.trace.value(name) for name in ("x1", "x2")}
    assert values == {"x1": 1.0, "x2": 1.0}


def test_the_values_table_shows_what_the_step_has_computed() -> None:
    session = LessonSession(resolve("shopping"))
    rows = {name: (kind, value, grad) for name, kind, value, grad in session.values_rows()}
    assert rows["apple"][1] == "100" and rows["apple"][2] == "·"
    session.end()
    rows = {name: (kind, value, grad) for name, kind, value, grad in session.values_rows()}
    assert rows["apple"][2] == "2.2"
