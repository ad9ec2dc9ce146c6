"""Every mode of the lesson screen, driven as plain objects (no Textual)."""

from __future__ import annotations

import pytest

from tutor.scenario import builtin_names, resolve
from tutor.teach.lesson import Lesson, default_view
from tutor.teach.modes import MODES, Mode, Move, Place, make_modes
from tutor.teach.modes import paths as paths_module

WIDGET_KINDS = {"input", "table", "plot"}
"""The kinds the lesson screen knows how to build."""


def text(lines) -> str:
    return "\n".join("".join(fragment for fragment, _ in line) for line in lines)


def place_for(name: str, selected: str | None = None) -> Place:
    scenario = resolve(name)
    return Place(Lesson(scenario, view=default_view(scenario)), selected=selected)


def mode(name: str, scenario: str, selected: str | None = None) -> Mode:
    found = make_modes(place_for(scenario, selected))[name]
    found.enter()
    return found


# -- the registry ------------------------------------------------------------------


def test_registry_has_one_entry_per_mode_with_distinct_keys() -> None:
    names = [m.name for m in MODES]
    # The modes the lessons rely on, first and in this order; a new mode adds itself after them.
    assert names[:6] == ["step", "quiz", "forward", "paths", "check", "train"]
    assert [m.key for m in MODES] == [str(i) for i in range(1, len(MODES) + 1)]
    for m in MODES:
        assert m.title and m.description and m.tooltip
        assert m.widget is None or m.widget.kind in WIDGET_KINDS
    widget_ids = [m.widget.id for m in MODES if m.widget]
    assert len(widget_ids) == len(set(widget_ids))
    keys = [k.key for m in MODES for k in m.keys] + [m.key for m in MODES]
    assert len(keys) == len(set(keys))


def test_modes_share_one_place() -> None:
    place = place_for("shopping")
    modes = make_modes(place)
    modes["step"].next()
    assert place.k == 1 and all(m.place is place for m in modes.values())


# -- step --------------------------------------------------------------------------------


def test_step_walks_forward_and_back_and_refuses_past_the_ends() -> None:
    step = mode("step", "shopping")
    assert step.previous() is Move.REFUSED
    assert [step.next() for _ in range(4)] == [Move.SHOW] * 4
    assert step.place.k == 4 and step.next() is Move.REFUSED
    assert step.start() is Move.SHOW and step.place.k == 0
    assert step.forward_end() is Move.SHOW and step.place.k == 2
    assert step.end() is Move.SHOW and step.place.k == 4
    assert step.progress() is None and step.label == ""


def test_step_view_adds_the_selected_node() -> None:
    step = mode("step", "shopping", selected="tax")
    view = step.view()
    assert view.frame == step.lesson.frame(0)
    assert "Start." in text(view.lines) and "Selected tax (input)" in text(view.lines)


# -- quiz ----------------------------------------------------------------------------------


def test_quiz_asks_before_showing_and_scores_the_answer() -> None:
    quiz = mode("quiz", "shopping")
    assert "Quiz: press →" in text(quiz.view().lines)
    assert not quiz.widget_shown()
    revision = quiz.revision
    assert quiz.next() is Move.SHOW
    assert quiz.asking and quiz.widget_shown() and quiz.revision == revision + 1
    assert quiz.place.k == 0  # not shown yet
    view = quiz.view()
    assert view.frame.current == "apple_price" and "apple_price" not in view.frame.values
    assert "? What is the value of apple_price" in text(view.lines)
    assert quiz.next() is Move.FOCUS
    assert quiz.previous() is Move.REFUSED
    assert quiz.submit("150") is Move.SHOW and quiz.place.k == 0
    assert "Not quite (150)" in text(quiz.view().lines)
    # Answered: the outcome shows and the box keeps the keyboard until Enter moves on.
    assert quiz.submit("200") is Move.SHOW and quiz.place.k == 0 and quiz.asking and quiz.widget_shown()
    assert "✓ Right" in text(quiz.view().lines) and "Not quite" not in text(quiz.view().lines)
    assert quiz.submit("") is Move.SHOW and quiz.place.k == 1 and not quiz.asking
    assert "✓ Right" not in text(quiz.view().lines)
    assert quiz.session.scores["forward"].right == 1


def test_quiz_summary_at_the_end_and_interrupt_keeps_the_position() -> None:
    quiz = mode("quiz", "shopping")
    quiz.next()
    quiz.interrupt()
    assert not quiz.asking and quiz.place.k == 0 and quiz.session.current is None
    assert quiz.end() is Move.SHOW and quiz.next() is Move.REFUSED
    assert "Quiz finished. no questions asked" in text(quiz.view().lines)
    assert quiz.submit("1") is Move.REFUSED
    assert quiz.placeholder().startswith("your answer")


def test_quiz_reset_forgets_the_scores() -> None:
    quiz = mode("quiz", "shopping")
    quiz.next()
    quiz.submit("200")
    quiz.reset()
    assert quiz.session.scores["forward"].asked == 0


# -- forward mode ---------------------------------------------------------------------------


def test_forward_mode_pushes_the_tangent_of_the_selected_leaf() -> None:
    forward = mode("forward", "two_paths")
    assert forward.walk.leaf == "a"  # the first leaf when none is selected
    forward.place.selected = "b"
    forward.selection_changed()
    assert forward.walk.leaf == "b" and forward.index == 0
    assert forward.previous() is Move.REFUSED
    while forward.next() is Move.SHOW:
        pass
    assert forward.index == len(forward.walk) - 1
    view = forward.view()
    assert view.frame.grads["e"] == pytest.approx(5)
    assert "de/db = 5" in text(view.lines) and "reverse mode gave ∂e/∂b = 5" in text(view.lines)
    progress = forward.progress()
    assert progress.label == "FORWARD MODE" and progress.done == progress.total == len(forward.walk) - 1
    assert forward.start() is Move.SHOW and forward.index == 0
    forward.place.selected = "e"  # not a leaf: the walk stays
    forward.selection_changed()
    assert forward.walk.leaf == "b"


# -- paths -----------------------------------------------------------------------------------


def test_paths_list_every_route_and_their_sum() -> None:
    paths = mode("paths", "two_paths", selected="b")
    assert paths.leaf == "b"
    assert sorted(r.product for r in paths.routes) == pytest.approx([2, 3])
    lines = text(paths.view().lines)
    assert "2 paths" in lines and "Sum over paths:" in lines and "backprop's ∂e/∂b = 5" in lines
    first = paths.view()
    assert first.highlight_nodes and first.highlight_edges
    assert paths.next() is Move.SHOW_IN_PLACE and paths.index == 1
    assert paths.view().highlight_nodes != first.highlight_nodes
    assert paths.next() is Move.SHOW_IN_PLACE and paths.index == 0
    assert paths.previous() is Move.SHOW_IN_PLACE and paths.index == 1
    assert paths.progress().detail == "from b: path 2 of 2"


def test_paths_past_the_limit_are_counted_not_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths_module, "ROUTE_LIMIT", 1)
    paths = mode("paths", "two_paths", selected="b")
    assert paths.routes == () and "more than the limit" in paths.error
    assert paths.error in text(paths.view().lines)
    assert paths.progress().detail == "from b: too many paths to list"
    assert paths.next() is Move.SHOW_IN_PLACE


# -- numeric check ---------------------------------------------------------------------------


def test_check_has_a_row_per_leaf() -> None:
    check = mode("check", "shopping_oranges")
    columns, rows = check.table()
    assert columns[:3] == ("leaf", "backprop", "central difference")
    assert [row[0] for row in rows] == list(check.scenario.leaves)
    by_leaf = {row[0]: row for row in rows}
    assert by_leaf["tax"][1] == "650" and by_leaf["apple"][1] == "2.2"
    assert all(float(row[3]) < 1e-6 for row in rows)
    assert "Worst relative error" in text(check.view().lines)
    assert check.progress().label == "NUMERIC CHECK"
    revision = check.revision
    check.rebuild()
    assert check.revision == revision + 1


# -- training ------------------------------------------------------------------------------------


def test_training_needs_params() -> None:
    assert "no params" in mode("train", "shopping").unavailable()
    assert mode("train", "tiny_net").unavailable() is None


def test_a_training_step_lowers_the_loss_and_moves_every_param() -> None:
    train = mode("train", "tiny_net")
    place = train.place
    start = place.lesson.leaf_values()
    assert "Loss now" in text(train.view().lines) and not train.widget_shown()
    assert train.step() is Move.SHOW_IN_PLACE
    after = place.lesson.leaf_values()
    assert len(train.losses) == 2 and train.losses[1] < train.losses[0]
    assert {n for n in train.scenario.params if after[n] != start[n]} == set(train.scenario.params)
    assert all(after[n] == start[n] for n in train.scenario.inputs)
    assert "(lower)" in text(train.view().lines) and train.widget_shown()
    assert train.curve() == ("loss per step", train.losses)
    assert train.progress().detail.startswith("1 step, learning rate")
    train.reset()
    assert train.losses == [] and not train.widget_shown()
    single, repeated = train.keys[:2]
    assert single.repeat == 1 and repeated.repeat == 50 and (single.action, repeated.action) == ("step", "run")
    assert {k.key for k in train.keys[2:]} == {"p", "left_square_bracket", "right_square_bracket"}


def test_training_on_a_data_set_runs_epochs_and_changes_the_learning_rate() -> None:
    train = mode("train", "xor")
    assert train.widget.kind == "training" and train.widget_shown()
    start = train.place.lesson.leaf_values()
    assert train.step() is Move.SHOW_IN_PLACE  # one epoch
    assert train.training_session().epochs == 1
    assert train.place.lesson.leaf_values()["w1_1_1"] != start["w1_1_1"]  # the lesson shows the new params
    assert train.run() is Move.SHOW_IN_PLACE and train.training_session().epochs == 11
    assert train.faster() is Move.SHOW_IN_PLACE and train.training_session().trainer.learning_rate == 4
    assert train.slower() is Move.SHOW_IN_PLACE and train.learning_rate == 2
    train.running = True
    assert train.pause() is Move.SHOW_IN_PLACE and train.paused
    assert train.run() is Move.SHOW_IN_PLACE and train.training_session().epochs == 11  # paused: no epochs
    words = text(train.view().lines)
    assert "epoch 11" in words and "paused" in words and "T: 500 epochs" in words
    assert train.progress().detail.startswith("epoch 11, mean loss")
    train.reset()
    assert train.training_session().epochs == 0 and not train.paused and train.learning_rate == 2


# -- every mode, every built-in -----------------------------------------------------------------------


@pytest.mark.parametrize("scenario", builtin_names())
@pytest.mark.parametrize("name", [m.name for m in MODES])
def test_every_mode_walks_every_builtin_without_trouble(name: str, scenario: str) -> None:
    found = make_modes(place_for(scenario))[name]
    if found.unavailable():
        return
    found.enter()
    for _ in range(200):
        view = found.view()
        assert view.lines and view.frame is not None
        found.progress()
        move = found.next()
        if move is Move.FOCUS:  # a question: answer it to go on
            while found.widget_shown():
                found.submit("0")
                found.submit("0")
        elif move is Move.REFUSED or move is Move.SHOW_IN_PLACE and found.place.k == 0 and name == "paths":
            break
    for key in found.keys:
        assert getattr(found, key.action)() is not Move.REFUSED


def test_pictures_show_every_mode_but_the_quiz_and_forward_and_paths_have_own_steps() -> None:
    from tutor.teach.modes import PICTURED

    assert {"step", "forward", "paths", "check", "train"} <= set(PICTURED) and "quiz" not in PICTURED
    assert {"forward", "paths"} <= {m.name for m in MODES if m.own_steps}
    assert not {"step", "quiz", "check", "train"} & {m.name for m in MODES if m.own_steps}


@pytest.mark.parametrize("name", builtin_names())
@pytest.mark.parametrize("view", ["groups", "expanded"])
def test_paths_never_write_a_number_equal_to_itself(name: str, view: str) -> None:
    """One factor or one path: the number is said once, not ``0.235004 = 0.235004``."""
    from tutor.engine.analysis import TooManyPaths, paths
    from tutor.engine.groups import group_paths

    lesson = Lesson(resolve(name), view=view)
    for leaf in lesson.scenario.leaves:
        try:
            if lesson.groups is not None:
                found = tuple(group_paths(lesson.graph, lesson.groups, leaf, 50))
            else:
                found = tuple(paths(lesson.graph, lesson.trace, leaf, 50))
        except TooManyPaths:
            continue  # an input of a wide net: counted, not listed (the limit's own test is elsewhere)
        for line in paths_module.explain_routes(lesson, leaf, found, "", 0):
            text = "".join(fragment for fragment, _ in line)
            for part in text.split("   "):  # the route's names, its arithmetic, backprop's number
                sides = [side.split(": ")[-1].strip() for side in part.split(" = ")]
                assert all(a != b for a, b in zip(sides, sides[1:])), text
