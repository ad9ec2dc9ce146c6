"""The built-in lessons softmax and spiral: the published numbers, the data set as its generator makes
it, and the accuracy training reaches."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

from tutor.engine.trace import run
from tutor.scenario import builtin_names, resolve

ROOT = Path(__file__).resolve().parents[2]


def test_softmax_gives_the_published_numbers() -> None:
    """z = (0.3, 2.9, 4.0), target class 2: p, the loss and ∂loss/∂z as the textbook prints them."""
    trace = run(resolve("softmax").graph)
    assert [trace.value(f"z1_{k}") for k in (1, 2, 3)] == [0.3, 2.9, 4.0]
    p = [trace.value(f"a1_{k}") for k in (1, 2, 3)]
    assert p == pytest.approx([0.01821127, 0.24519181, 0.73659691], abs=5e-9)
    assert math.fsum(p) == pytest.approx(1.0, abs=1e-15)
    assert trace.output_value == pytest.approx(1.40571446, abs=5e-9)
    grads = [trace.grad(f"z1_{k}") for k in (1, 2, 3)]
    assert grads == pytest.approx([0.01821127, -0.75480819, 0.73659691], abs=5e-9)
    # p − t, the shortcut, gives the same
    assert grads == pytest.approx([p[0] - 0, p[1] - 1, p[2] - 0], abs=1e-15)
    # with x = 1 each weight's gradient is its score's
    assert [trace.grad(f"w1_{k}_1") for k in (1, 2, 3)] == pytest.approx(grads, abs=1e-15)
    assert trace.grad("m1") == pytest.approx(0.0, abs=1e-15)  # the largest score's: 0 but for rounding


def test_the_jacobians_first_row_at_the_published_scores() -> None:
    """∂p₁/∂z = (0.01787962, −0.00446526, −0.01341437), read from the loss −log p₁,
    whose gradient at the scores is −(∂p₁/∂z)/p₁."""
    scenario = resolve("softmax")
    trace = run(scenario.graph, {"t1": 1, "t2": 0})
    p1 = trace.value("a1_1")
    row = [-trace.grad(f"z1_{k}") * p1 for k in (1, 2, 3)]
    assert row == pytest.approx([0.01787962, -0.00446526, -0.01341437], abs=5e-9)


def test_both_lessons_come_after_tiny_net_and_xor() -> None:
    names = builtin_names()
    assert names.index("softmax") > max(names.index("tiny_net"), names.index("xor"))
    assert names.index("spiral") == names.index("softmax") + 1


def _generator():
    spec = importlib.util.spec_from_file_location("make_spiral", ROOT / "tests" / "data" / "make_spiral.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_spiral_csv_is_what_its_generator_makes() -> None:
    generator = _generator()
    assert (ROOT / "scenarios" / "spiral.csv").read_text(encoding="utf-8") == generator.spiral_text()
    spiral = resolve("spiral")
    assert spiral.data.columns == ("x1", "x2", "t1", "t2", "t3") and len(spiral.data) == 150
    assert all(sorted(row[2:]) == [0.0, 0.0, 1.0] for row in spiral.data.rows)
    classes = [row[2:].index(1.0) for row in spiral.data.rows]
    assert classes[:6] == [0, 1, 2, 0, 1, 2] and all(classes.count(c) == 50 for c in range(3))


def test_train_spiral_reaches_every_row_in_200_epochs(capsys) -> None:
    """What the lesson's description claims: ``train spiral --epochs 200`` gets all 150 rows right,
    and the mean loss never rises on the way."""
    from tutor.cli import main

    assert main(["train", "spiral", "--epochs", "200", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows_right"] == 150 and data["rows"] == 150 and data["batch_size"] == 10
    losses = [data["initial_loss"], *data["losses"]]
    assert all(b <= a for a, b in zip(losses, losses[1:])) and data["warnings"] == []
    assert losses[-1] < 0.06


def test_train_spiral_is_short_of_that_early_on(capsys) -> None:
    from tutor.cli import main

    assert main(["train", "spiral", "--epochs", "100", "--json"]) == 0
    assert 120 <= json.loads(capsys.readouterr().out)["rows_right"] < 150


def test_train_json_reports_a_classifiers_accuracy() -> None:
    import json
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "tutor", "train", "spiral", "--epochs", "3", "--json"],
                            capture_output=True, text=True, timeout=120)
    data = json.loads(result.stdout)
    assert data["accuracy"] == data["rows_right"] / data["rows"] and 0 < data["accuracy"] <= 1


def test_check_warns_when_a_softmax_s_targets_are_not_one_hot(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "not_one_hot.yaml"
    path.write_text(
        "inputs: {x1: 0, x2: 0, t1: 0, t2: 0, t3: 0}\n"
        "network:\n  inputs: [x1, x2]\n  seed: 1\n  layers:\n    - {size: 3, activation: softmax}\n"
        "nodes:\n  loss: -(t1 * log(a1_1) + t2 * log(a1_2) + t3 * log(a1_3))\noutput: loss\n"
        "data:\n  columns: [x1, x2, t1, t2, t3]\n  rows:\n    - [0, 0, 1, 0, 0]\n    - [0, 1, 1, 1, 0]\n",
        encoding="utf-8",
    )
    result = subprocess.run([sys.executable, "-m", "tutor", "check", str(path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0  # a warning, not an error
    assert f"{path}:14:7: warning: the targets of row 2 of the data are not one-hot" in result.stdout
