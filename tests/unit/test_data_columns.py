"""A data set must give a column to every input the output depends on; the files a load read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.engine.trace import run
from tutor.scenario import ScenarioError, load, loads

FIT = """
inputs: {x: 0, t: 0, scale: 3}
params: {w: 0.5}
nodes:
  y: w * x
  loss: (y - t) ** 2
output: loss
"""


def inline(columns: str, rows: str) -> str:
    return FIT + f"data:\n  columns: [{columns}]\n  rows: {rows}\n"


def test_inline_data_missing_inputs_names_each_one_at_the_data_key() -> None:
    text = FIT.replace("(y - t) ** 2", "(y - t) ** 2 * scale") + "data:\n  columns: [x]\n  rows: [[1], [2]]\n"
    with pytest.raises(ScenarioError) as info:
        loads(text, "fit.yaml")
    err = info.value
    assert "no columns for inputs 't', 'scale', which the output uses" in err.message
    assert text.split("\n")[err.line - 1][err.col - 1:].startswith("data:")
    assert "columns: [x, t, scale]" in err.hint


def test_an_input_the_output_does_not_use_may_be_left_out() -> None:
    scenario = loads(inline("x, t", "[[1, 2], [2, 3]]"))
    assert scenario.data.columns == ("x", "t")
    assert scenario.data.row(2) == {"x": 2.0, "t": 3.0}
    assert run(scenario.graph).value("scale") == 3  # its own value


def test_every_column_given_still_loads() -> None:
    assert loads(inline("t, x, scale", "[[1, 2, 0]]")).data.columns == ("t", "x", "scale")


def test_csv_missing_an_input_is_an_error_at_its_header_line(tmp_path: Path) -> None:
    (tmp_path / "pts.csv").write_text("# x only\n\nx\n1\n2\n", encoding="utf-8")
    path = tmp_path / "fit.yaml"
    path.write_text(FIT + "data: pts.csv\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load(path)
    err = info.value
    assert (Path(err.path), err.line, err.col) == (tmp_path / "pts.csv", 3, 1)
    assert "no column for input 't'" in err.message and "scale" not in err.message
    assert err.hint.endswith("the header x,t")


def test_a_load_names_the_files_it_read(tmp_path: Path) -> None:
    csv = tmp_path / "pts.csv"
    csv.write_text("x,t\n1,2\n", encoding="utf-8")
    path = tmp_path / "fit.yaml"
    path.write_text(FIT + "data: pts.csv\n", encoding="utf-8")
    assert [Path(f) for f in load(path).files] == [path, csv]
    assert loads(FIT + "data: pts.csv\n", str(path)).files == (str(csv),)  # text: only the CSV was read
    path.write_text(FIT, encoding="utf-8")
    assert load(path).files == (str(path),)


@pytest.mark.parametrize(
    ("make", "blamed"),
    [
        (lambda csv: csv.write_text("x,t\n1,abc\n", encoding="utf-8"), "csv"),  # a bad cell
        (lambda csv: None, "yaml"),  # missing
        (lambda csv: csv.mkdir(), "yaml"),  # a directory
        (lambda csv: csv.write_text("x\n1\n", encoding="utf-8"), "csv"),  # a column short
    ],
)
def test_a_failed_load_names_the_files_it_tried(tmp_path: Path, make, blamed: str) -> None:
    csv = tmp_path / "pts.csv"
    path = tmp_path / "fit.yaml"
    path.write_text(FIT + "data: pts.csv\n", encoding="utf-8")
    make(csv)
    with pytest.raises(ScenarioError) as info:
        load(path)
    assert [Path(f) for f in info.value.files] == [path, csv]
    assert Path(info.value.path) == (csv if blamed == "csv" else path)


def test_an_unreadable_scenario_names_itself(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load(tmp_path / "none.yaml")
    assert info.value.files == (str(tmp_path / "none.yaml"),)
