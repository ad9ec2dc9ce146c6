"""Bad command-line values give one line ``tutor: error: ...``, never a traceback."""

from __future__ import annotations

import json

import pytest
from test_cli import tutor


@pytest.mark.parametrize("suffix", [".svg", ".html", ".md"])
@pytest.mark.parametrize("theme", ["nope", ""])
def test_unknown_theme_is_one_line_listing_the_themes(tmp_path, suffix, theme):
    out = tmp_path / f"x{suffix}"
    result = tutor("export", "two_paths", "-o", str(out), "--theme", theme)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tutor: error: --theme")
    if suffix == ".md":
        assert "is for pictures" in lines[0]  # a worksheet has no colours
    else:
        assert "textual-light" in lines[0]
    assert not out.exists()


def test_new_without_a_name_is_refused():
    result = tutor("new", "")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0] == "tutor: error: new needs a file name, e.g. my_lesson"


def test_new_refuses_a_path_that_is_not_a_regular_file(tmp_path):
    result = tutor("new", str(tmp_path))
    assert result.returncode == 2
    assert "is not a scenario file" in result.stderr
    assert not (tmp_path.parent / (tmp_path.name + ".yaml")).exists()


def test_new_refuses_a_missing_folder(tmp_path):
    result = tutor("new", str(tmp_path / "nope" / "lesson"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_train_steps_stops_when_the_loss_is_no_longer_finite():
    result = tutor("train", "tiny_net", "--steps", "50", "--lr", "1e10", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert len(data["losses"]) < 50
    assert "training stopped" in data["warnings"][0]
    assert data["warnings"][1:] == [f"loss rose at {len(data['losses'])} of {len(data['losses'])} steps (first at step 1): "
                                    "diverging: try a smaller --lr"]


def test_train_steps_json_has_no_warnings_when_all_is_well():
    data = json.loads(tutor("train", "tiny_net", "--steps", "3", "--json").stdout)
    assert data["warnings"] == [] and len(data["losses"]) == 3


def test_export_step_past_the_paths_is_refused_like_the_lesson_steps(tmp_path):
    out = tmp_path / "p.svg"
    result = tutor("export", "two_paths", "--mode", "paths", "--wrt", "a", "--step", "99", "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.strip() == "tutor: error: --step 99: paths from a has steps 0 to 0 (or 'end')"
    assert not out.exists()


def test_export_forward_without_wrt_starts_from_the_first_leaf(tmp_path):
    out = tmp_path / "f.svg"
    refused = tutor("export", "two_paths", "--mode", "forward", "--step", "99", "-o", str(out))
    assert "forward mode from a has steps 0 to" in refused.stderr
    assert tutor("export", "two_paths", "--mode", "forward", "--step", "1", "-o", str(out)).returncode == 0
    assert "a" in out.read_text(encoding="utf-8")


def test_train_epochs_refuses_set_on_a_data_column():
    result = tutor("train", "xor", "--epochs", "1", "--set", "x1=5")
    assert result.returncode == 2
    assert result.stderr.strip() == "tutor: error: --set x1: a data column; --epochs takes its values from the data rows"
    assert tutor("train", "xor", "--epochs", "1", "--set", "w1_1_1=0.5").returncode == 0


def test_trace_table_shows_no_empty_brackets_for_a_step_on_constants(tmp_path):
    scenario = tmp_path / "power.yaml"
    scenario.write_text('inputs: {x: 1}\nnodes:\n  y: "-(0.5) ** (-2) + x"\noutput: y\n', encoding="utf-8")
    result = tutor("trace", str(scenario))
    assert result.returncode == 0
    assert "0.5⁻²" in result.stdout
    assert "()" not in result.stdout
