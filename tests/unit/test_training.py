"""Training on data for the app and the CLI: rows right, and the pictures of what the net learned."""

from __future__ import annotations

import re

import pytest

from tutor.draw.learned import LEVELS, decision_map, fitted_curve, level, plain
from tutor.scenario import resolve
from tutor.teach.training import data_trainer, prediction_of, picture, rows_right


def test_xor_learns_every_row_and_the_map_shows_it():
    xor = resolve("xor")
    prediction = prediction_of(xor)
    assert (prediction.inputs, prediction.output, prediction.target, prediction.classes) == (("x1", "x2"), "a2_1", "t", True)
    trainer = data_trainer(xor)
    assert rows_right(trainer, xor, prediction) < 4
    trainer.train(1000)
    assert rows_right(trainer, xor, prediction) == 4
    pic = picture(trainer, xor, prediction, 20, 6)
    assert pic.kind == "map" and len(pic.grid) == 12 and len(pic.grid[0]) == 20
    rows = decision_map(pic.grid, pic.points, pic.x_range, pic.y_range, pic.labels, pic.low, pic.high)
    text = plain(rows)
    assert text.count("●") == 2 and text.count("○") == 2  # two rows of each class, marked where they lie
    styles = {style for row in rows for _, style in row}
    # corners (0,0) and (1,1) are class 0, the others class 1: both colours appear
    assert any(s.startswith("map.0.") or s.startswith("map.1.") for s in styles)
    assert any(s.startswith(f"map.{LEVELS - 1}.") for s in styles)
    assert {"point.1.", "point.0."} <= {s[:8] for s in styles if s.startswith("point")}
    assert len(rows) == 6 + 1 and all(sum(len(t) for t, _ in r) <= 80 for r in rows)


def test_curve_picture_follows_the_points():
    curve = resolve("curve")
    prediction = prediction_of(curve)
    assert prediction.inputs == ("x",) and not prediction.classes
    trainer = data_trainer(curve)
    trainer.train(300)
    pic = picture(trainer, curve, prediction, 40, 8)
    assert pic.kind == "curve" and len(pic.xs) == 40 and len(pic.points) == 21
    rows = fitted_curve(pic.xs, pic.grid[0], pic.points, 8, pic.labels)
    assert len(rows) == 9 and "●" in plain(rows)


def test_level_clips_and_handles_nan():
    assert level(-5) == 0 and level(5) == LEVELS - 1 and level(float("nan")) == LEVELS // 2
    assert level(0.5) == LEVELS // 2


def test_scenarios_without_a_fit_have_no_picture():
    assert prediction_of(resolve("tiny_net")) is None  # no data set
    assert prediction_of(resolve("shopping")) is None


def test_readme_worked_example_trains_as_written(tmp_path):
    import re
    from pathlib import Path

    from tutor.engine.numbers import fmt
    from tutor.scenario import load

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Worked example: training on a small data set", 1)[1]
    yaml_text = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    path = tmp_path / "or.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    scenario = load(path)
    first = data_trainer(scenario)
    first.step(slice(0, 2))
    assert f"{first.param_values()['w1_1_2']:.7f}".replace("-", "−") in section
    trainer = data_trainer(scenario)
    trainer.train(200)
    assert f"mean loss {fmt(trainer.initial_loss)} → {fmt(trainer.losses[-1])}" in section
    assert rows_right(trainer, scenario, prediction_of(scenario)) == 4 and "4 of 4 rows right" in section


def test_training_session_reset_learning_rate_and_panel():
    from tutor.draw.learned import plain as plain_rows
    from tutor.draw.training_rows import training_panel
    from tutor.teach.training import TrainingSession, row_labels

    session = TrainingSession(resolve("xor"))
    start = session.params()
    session.set_learning_rate(4.0)
    for _ in range(3):
        session.epoch()
    assert session.epochs == 3 and len(session.losses) == 4 and session.params() != start
    words = text_of(session.status(running=True, paused=True))
    assert "epoch 3" in words and "lr 4" in words and "paused" in words and "/4 right" in words
    rows = training_panel(session, 76, 8)
    assert len(rows) == 8 and all(sum(len(t) for t, _ in row) <= 76 for row in rows)
    drawn = plain_rows(rows)
    assert "epoch 0" in drawn and "●" in drawn and "○" in drawn
    session.reset()
    assert session.epochs == 0 and session.params() == start and session.learning_rate == 2
    assert row_labels(resolve("xor"))[1] == "2: x1 = 0, x2 = 1, t = 1"
    assert row_labels(resolve("tiny_net")) == []


def text_of(lines) -> str:
    return "\n".join("".join(t for t, _ in line) for line in lines)


def test_a_training_steps_updates_never_break_across_lines_at_80_columns():
    from tutor.engine.analysis import TrainStep, train_step
    from tutor.teach.lesson import Lesson
    from tutor.teach.modes.train import UPDATES_WIDTH, explain_train

    lesson = Lesson(resolve("tiny_net"))
    step = train_step(lesson.graph, lesson.leaf_values(), 0.1, lesson.trace)
    odd = TrainStep(1.0, 0.5, {"w": 1e-7, "a_much_longer_name": -123456.789, "b": -0.000123456},
                    {"w": -9.87654e-12, "a_much_longer_name": 1e300, "b": float("nan")},
                    {"w": 2e-7, "a_much_longer_name": -1.23456789, "b": -0.5})
    assert UPDATES_WIDTH <= 76  # the step panel's text at 80 columns, less its frame and padding
    for case in (step, odd):
        lines = ["".join(t for t, _ in line) for line in explain_train(case, 0.1, 1)[2:]]
        assert all(len(line) <= UPDATES_WIDTH for line in lines), lines
        for name in case.params_before:
            # each update whole on one line: name, before → after, gradient
            holding = [line for line in lines if re.search(rf"(^|\s){name} +\S+ → +\S+ +∂\S+", line)]
            assert len(holding) == 1, (name, lines)
        starts = [[m.start() for m in re.finditer(r"→", line)] for line in lines]
        assert all(s == starts[0][: len(s)] for s in starts), "the updates stand in aligned columns"
    assert max(len(re.findall("→", "".join(t for t, _ in line))) for line in explain_train(step, 0.1, 1)[2:]) == 2


# --- classifiers of several outputs (a softmax layer) -------------------------------

def test_a_softmax_classifier_is_right_where_its_largest_output_is_the_class():
    from tutor.teach.training import accuracy

    spiral = resolve("spiral")
    prediction = prediction_of(spiral)
    assert (prediction.inputs, prediction.output, prediction.target, prediction.classes) == (("x1", "x2"), "a2_1", "t1", True)
    assert prediction.outputs == ("a2_1", "a2_2", "a2_3") and prediction.targets == ("t1", "t2", "t3")
    trainer = data_trainer(spiral)
    before = rows_right(trainer, spiral, prediction)
    trainer.train(60)
    after = rows_right(trainer, spiral, prediction)
    # counted by hand: the largest of the three outputs against the column holding the 1
    import numpy as np

    rows = np.asarray(spiral.data.rows)
    g = spiral.graph
    leaves = {g.index[c]: rows[:, j] for j, c in enumerate(spiral.data.columns)}
    values = trainer.engine.forward({**dict(zip(trainer.params, trainer.values.tolist())), **leaves}, len(rows))
    p = np.column_stack([np.asarray(values[g.index[f"a2_{k}"]]) for k in (1, 2, 3)])
    assert after == int(np.sum(p.argmax(axis=1) == rows[:, 2:].argmax(axis=1))) and before < after < 150
    assert accuracy(trainer, spiral) == after / 150
    assert accuracy(trainer, resolve("curve")) is None and accuracy(trainer, resolve("tiny_net")) is None


def test_targets_pair_with_outputs_as_the_cross_entropy_pairs_them():
    from tutor.scenario import loads

    text = (
        "inputs: {x1: 0, x2: 0, c: 0, a: 0, b: 0}\nnetwork:\n  inputs: [x1, x2]\n  seed: 2\n  layers:\n"
        "    - {size: 3, activation: softmax}\nnodes:\n  loss: -(a * log(a1_1) + b * log(a1_2) + c * log(a1_3))\n"
        "output: loss\ndata:\n  columns: [x1, x2, c, a, b]\n  rows: [[0, 1, 1, 0, 0], [1, 0, 0, 1, 0]]\n"
    )
    prediction = prediction_of(loads(text))
    assert prediction.outputs == ("a1_1", "a1_2", "a1_3") and prediction.targets == ("a", "b", "c")
    fewer = text.replace(" + c * log(a1_3)", "").replace("[x1, x2, c, a, b]", "[x1, x2, a, b]")
    fewer = fewer.replace("[[0, 1, 1, 0, 0], [1, 0, 0, 1, 0]]", "[[0, 1, 0, 0], [1, 0, 1, 0]]")
    assert prediction_of(loads(fewer)) is None  # two target columns for three outputs


def test_the_class_map_colours_each_class_and_marks_each_point_by_its_symbol():
    from tutor.draw.learned import CLASS_MARKS, SHADES, class_map, legend

    spiral = resolve("spiral")
    prediction = prediction_of(spiral)
    trainer = data_trainer(spiral)
    trainer.train(200)
    pic = picture(trainer, spiral, prediction, 40, 10)
    assert pic.kind == "classes" and len(pic.grid) == 20 and len(pic.grid[0]) == 40
    assert pic.names == ("t1", "t2", "t3") and pic.low == pytest.approx(1 / 3)
    assert {int(v) for row in pic.grid for v in row} == {0, 1, 2}
    assert all(1 / 3 <= v <= 1 for row in pic.confidence for v in row)
    rows = class_map(pic.grid, pic.confidence, pic.points, pic.x_range, pic.y_range, pic.labels, pic.low)
    text = plain(rows)
    assert len(rows) == 11 and all(sum(len(t) for t, _ in r) <= 80 for r in rows)
    assert {mark: text.count(mark) > 10 for mark in CLASS_MARKS[:3]} == dict.fromkeys(CLASS_MARKS[:3], True)
    styles = {style for row in rows for _, style in row}
    cells = {tuple(int(p) for p in s.split(".")[1:]) for s in styles if s.startswith("class.")}
    assert {c[0] for c in cells} == {0, 1, 2} and max(c[1] for c in cells) == SHADES - 1
    # every point is drawn with its own class's symbol and style
    for row in rows:
        for text_, style in row:
            if style.startswith("mark."):
                assert set(text_) == {CLASS_MARKS[int(style.split(".")[1])]}
    assert "".join(t for t, _ in legend(pic.names)) == "● t1  ▲ t2  ■ t3"


def test_a_class_map_where_the_outputs_are_not_numbers_is_neutral():
    from tutor.draw.learned import class_map

    nan = float("nan")
    rows = class_map([[0, 1], [2, 0]], [[nan, 0.9], [0.5, nan]], [], (0, 1), (0, 1), ("x1", "x2"), 1 / 3)
    assert rows[0][1] == ("▀", "class.-1.0.2.1") and rows[0][2] == ("▀", "class.1.3.-1.0")


def test_the_training_panel_shows_the_accuracy_beside_the_loss_and_the_class_map():
    from tutor.draw.learned import plain as plain_rows
    from tutor.draw.training_rows import training_panel
    from tutor.teach.training import TrainingSession

    session = TrainingSession(resolve("spiral"))
    for _ in range(3):
        session.epoch()
    words = text_of(session.status())
    right = session.right()
    assert f"{right}/150 right ({right / 1.5:.1f}%)".replace(".0%", "%") in words
    for width, height in ((76, 8), (116, 13)):
        rows = training_panel(session, width, height)
        assert len(rows) == height and all(sum(len(t) for t, _ in row) <= width for row in rows)
        drawn = plain_rows(rows)
        assert drawn.splitlines()[0].startswith(f"accuracy {session.accuracy_words()[9:]}")
        assert "● t1  ▲ t2  ■ t3" in drawn and "epoch 0" in drawn and "▲" in drawn


def test_percent_never_rounds_up_to_every_row():
    from tutor.teach.training import percent

    assert [percent(149, 150), percent(1999, 2000), percent(3, 4), percent(0, 7), percent(5, 5)] == [
        "99.3%", "99.9%", "75%", "0%", "100%"]
