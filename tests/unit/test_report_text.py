"""Big traces print as plain aligned text, with the rows the Rich tables show."""

from __future__ import annotations

import subprocess
import sys

from tutor.cli import tables
from tutor.engine.trace import run
from tutor.cli.text_tables import TEXT_ROWS, backward_rows, forward_rows, fmt, text_table
from tutor.scenario import loads, resolve


def test_text_table_aligns_columns_by_cells() -> None:
    text = text_table("T", (("name", "left"), ("value", "right")), [["a", "1"], ["りんご", "-0.25"]])
    assert text.splitlines() == ["T", "name    value", "──────  ─────", "a           1", "りんご  -0.25"]


def test_the_rich_tables_show_the_same_rows() -> None:
    trace = run(resolve("shopping_oranges").graph)
    table = tables.backward_table(trace)
    rows = backward_rows(trace)
    assert [list(map(str, column.cells)) for column in table.columns] == [list(c) for c in zip(*rows)]
    assert [str(c) for c in tables.forward_table(trace).columns[1].cells] == [cells[1] for cells, _ in forward_rows(trace)]


def test_a_big_trace_prints_as_text(tmp_path) -> None:
    n = TEXT_ROWS + 10
    lines = ["inputs: {x: 1}", "nodes:", "  n0: x + x"] + [f"  n{i}: n{i - 1} + x" for i in range(1, n)]
    path = tmp_path / "chain.yaml"
    path.write_text("\n".join(lines + [f"output: n{n - 1}", ""]), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tutor", "trace", str(path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert "Forward pass (left to right)" in out and "Backward pass (right to left)" in out
    assert not any("│" in line or "┃" in line for line in out)  # no frames: plain text
    scenario = loads(path.read_text(encoding="utf-8"), path=str(path))
    last = run(scenario.graph)
    assert any(line.split() == ["x", "input", "1", fmt(last.grad("x"))] for line in out)
