"""A data CSV is read by the csv module: quoted cells (with commas or numbers inside), CRLF line ends,
and every error still at its line and column in the CSV file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.scenario import ScenarioError, load

SCENARIO = "inputs: {x: 0, t: 0}\nparams: {w: 1}\nnodes:\n  loss: (w * x - t) ** 2\noutput: loss\ndata: points.csv\n"


def scenario_with(tmp_path: Path, csv: str | bytes) -> Path:
    data = csv.encode("utf-8") if isinstance(csv, str) else csv
    (tmp_path / "points.csv").write_bytes(data)
    path = tmp_path / "fit.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def error_in(tmp_path: Path, csv: str | bytes) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load(scenario_with(tmp_path, csv))
    assert Path(info.value.path) == tmp_path / "points.csv", info.value.report()
    return info.value


def test_quoted_numbers_read_as_numbers(tmp_path):
    data = load(scenario_with(tmp_path, 'x,t\n"1.5","2"\n" 3 ", 4\n')).data
    assert data.rows == ((1.5, 2.0), (3.0, 4.0))


def test_a_quoted_comma_stays_inside_its_cell(tmp_path):
    """A quoted header names one column even with a comma inside: here a name that is no input, said as such."""
    err = error_in(tmp_path, '"x,t",t\n1,2\n')
    assert (err.line, err.col) == (1, 1) and err.message == "data column 'x,t' is not an input"
    err = error_in(tmp_path, 'x,t\n"1,5",2\n')
    assert (err.line, err.col) == (2, 1) and err.message == "'1,5' in column 'x' is not a number"


def test_a_bad_cell_after_quoted_cells_is_found_at_its_line_and_column(tmp_path):
    csv = '# points\nx,t\n"1","2"\n\n"3", "4"\n5,"six"\n'
    err = error_in(tmp_path, csv)
    assert err.message == "'six' in column 't' is not a number"
    line = csv.split("\n")[err.line - 1]
    assert (err.line, line[err.col - 1 :]) == (6, '"six"')
    err = error_in(tmp_path, 'x,t\n"a, b",1\n"1, 2", 3, oops\n')
    assert (err.line, err.col) == (2, 1)
    err = error_in(tmp_path, 'x,t\n"1,0",1\n2, 3,  4\n')
    assert (err.line, err.col, err.message) == (2, 1, "'1,0' in column 'x' is not a number")


def test_a_row_of_the_wrong_length_counts_quoted_commas_as_text(tmp_path):
    err = error_in(tmp_path, 'x,t\n1,2\n"3,4"\n')
    assert (err.line, err.col) == (3, 1)
    assert err.message == "row has 1 cell, but the header names 2 columns"


def test_crlf_line_ends(tmp_path):
    assert load(scenario_with(tmp_path, b"x,t\r\n1,2\r\n\r\n3,4\r\n")).data.rows == ((1.0, 2.0), (3.0, 4.0))
    err = error_in(tmp_path, b'x,t\r\n1,2\r\n"3",bad\r\n')
    assert (err.line, err.col) == (3, 5) and err.message == "'bad' in column 't' is not a number"


def test_a_cell_quoted_over_two_lines_is_one_cell_and_the_lines_after_it_keep_their_numbers(tmp_path):
    err = error_in(tmp_path, 'x,t\n1,"2\n"\n3,oops\n')
    assert (err.line, err.col) == (4, 3)  # "2" and its line break: the number 2; the row took lines 2 and 3
    err = error_in(tmp_path, 'x,t\n1,"2\nb"\n')
    assert (err.line, err.col, err.message) == (2, 3, "'2\\nb' in column 't' is not a number")
    err = error_in(tmp_path, 'x,t\n"1\n", bad\n')
    assert (err.line, err.col) == (3, 4)  # the bad cell is on the row's second line
