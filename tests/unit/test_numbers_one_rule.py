"""Every number in a scenario, a CSV data file and ``--set`` follows one rule: plain decimal."""

from __future__ import annotations

import pytest

from tutor.engine.numbers import NumberTextError, parse_decimal
from tutor.scenario import ScenarioError, loads

from test_cli import tutor


@pytest.mark.parametrize(
    ("text", "value"),
    [("010", 10.0), ("08", 8.0), ("1e3", 1000.0), ("1E3", 1000.0), ("+.5", 0.5), ("1e+308", 1e308),
     ("1.0e+3", 1000.0), ("-2.5", -2.5), ("1e-400", 0.0)],
)
def test_plain_decimals_read_the_same_everywhere(text, value):
    assert parse_decimal(text) == value
    scenario = loads(f"inputs:\n  x: {text}\nnodes:\n  y: x + 1\noutput: y\n")
    assert scenario.leaves["x"] == value


@pytest.mark.parametrize(
    ("text", "problem"),
    [("0x10", "hexadecimal"), ("0o17", "octal"), ("0b101", "binary"), ("1:30", "base-60"),
     ("1_0", "underscores"), ("٣", "digits 0-9"), ("7" * 5000, "too large"), ("1e400", "too large")],
)
def test_other_notations_are_refused_with_a_hint(text, problem):
    with pytest.raises(NumberTextError) as caught:
        parse_decimal(text)
    assert problem in caught.value.problem
    assert caught.value.hint.startswith(("write", "use"))
    with pytest.raises(ScenarioError):
        loads(f"inputs:\n  x: {text}\nnodes:\n  y: x + 1\noutput: y\n")


@pytest.mark.parametrize(("cell", "problem"), [("1_0", "underscores"), ("٣", "digits 0-9"), ("0x10", "hexadecimal")])
def test_csv_cells_follow_the_rule(tmp_path, cell, problem):
    (tmp_path / "rows.csv").write_text(f"x,t\n1,2\n{cell},3\n", encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text("inputs: {x: 1, t: 0}\nparams: {w: 1}\ndata: rows.csv\nnodes:\n  y: x * w\n  loss: (y - t) ** 2\noutput: loss\n", encoding="utf-8")
    result = tutor("check", str(scenario))
    assert result.returncode != 0
    shown = result.stdout + result.stderr
    assert "rows.csv:3:1: error:" in shown and problem in shown


@pytest.mark.parametrize(("value", "problem"), [("1_0", "underscores"), ("٣", "digits 0-9")])
def test_set_follows_the_rule(value, problem):
    result = tutor("trace", "shopping", "--set", f"{next(iter(loads_builtin().leaves))}={value}", "--json")
    assert result.returncode == 2 or result.returncode == 1
    assert problem in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def loads_builtin():
    from tutor.scenario import resolve

    return resolve("shopping")
