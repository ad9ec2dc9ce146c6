"""Worksheets: the lesson's own numbers in Markdown tables, with or without blanks."""

from __future__ import annotations

import re

import pytest

from tutor.engine.numbers import fmt
from tutor.scenario import builtin_names, resolve
from tutor.teach.lesson import Lesson
from tutor.teach.worksheet import BLANK, worksheet


def _section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1 :]
    stop = re.search(rf"^#{{1,{len(level)}}} ", rest, re.M)
    return rest[: stop.start()] if stop else rest


def _rows(section: str, header_start: str) -> list[list[str]]:
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_shopping_worksheet_has_title_graph_and_both_tables():
    text = worksheet(resolve("shopping"))
    assert text.startswith("# Buying apples\n")
    assert "Two apples at 100 each" in text
    graph = _section(text, "## The graph")
    assert "| `price` | node | `apple_price * tax` |" in graph
    assert "| `tax` | input | 1.1 |" in graph
    forward = _rows(_section(text, "### Forward pass"), "| # | node | expression | value |")
    assert forward == [["1", "`apple_price`", "`apple × apple_count`", "200"], ["2", "`price`", "`apple_price × tax`", "220"]]
    backward = _rows(_section(text, "### Backward pass"), "| # | node | upstream |")
    assert backward[0] == ["1", "`price`", "1", "`apple_price`", "`tax` = 1.1", "1 × 1.1 = 1.1", "0 → 1.1"]
    assert backward[1] == ["", "", "", "`tax`", "`apple_price` = 200", "1 × 200 = 200", "0 → 200"]
    assert backward[3][3:] == ["`apple_count`", "`apple` = 100", "1.1 × 100 = 110", "0 → 110"]
    assert "## Answers" not in text
    assert BLANK not in text


def test_fan_out_shows_the_gradient_accumulating():
    backward = _rows(_section(worksheet(resolve("two_paths")), "### Backward pass"), "| # | node | upstream |")
    b_rows = [row for row in backward if row[3] == "`b`"]
    assert [row[-1] for row in b_rows] == ["0 → 3", "3 → 5"]


def test_blanks_leave_every_value_and_gradient_empty_and_answer_at_the_end():
    scenario = resolve("shopping")
    text = worksheet(scenario, blanks=True)
    head, answers = text.split("\n## Answers\n")
    assert "## Answers" not in head and answers.strip()
    forward = _rows(_section(head, "### Forward pass"), "| # | node | expression | value |")
    assert [row[-1] for row in forward] == [BLANK, BLANK]
    backward = _rows(_section(head, "### Backward pass"), "| # | node | upstream |")
    for row in backward:
        assert row[2] in (BLANK, "")
        assert row[4].endswith(f"= {BLANK}")
        assert row[5] == BLANK and row[6] == f"{BLANK} → {BLANK}"
    # no number of the trace leaks into the tables above the answers
    tables = "\n".join(line for line in head.splitlines() if line.startswith("| ") and "`" in line)
    for number in ("200", "220", "2.2", "110"):
        assert number not in tables.replace("`apple_price` = ", "")
    assert worksheet(scenario) .split("## Steps\n", 1)[1].strip() == answers.strip()


@pytest.mark.parametrize("view", ["expanded", "groups"])
def test_every_number_comes_from_the_lesson(view):
    scenario = resolve("tiny_net")
    lesson = Lesson(scenario, view=view)
    text = worksheet(scenario, view=view)
    forward = _rows(_section(text, "### Forward pass"), "| # | node | expression | value |")
    assert [row[-1] for row in forward] == [fmt(step.value) for step in lesson.forward]
    backward = _rows(_section(text, "### Backward pass"), "| # | node | upstream |")
    afters = [row[-1].split(" → ")[1] for row in backward if row[-1]]
    expected = [fmt(e.grad_after) for s in lesson.backward for e in s.edges if not scenario.graph.is_constant(e.input)]
    assert afters == expected


def test_a_data_lesson_says_which_row_its_inputs_are() -> None:
    curve = resolve("curve")
    assert "The inputs are row 1 of the 21 rows of the data set: `x` = -3, `t` = -0.1411." in worksheet(curve)
    third = worksheet(curve, row=3)
    x3 = curve.data.row(3)["x"]
    assert "The inputs are row 3 of the 21 rows" in third and f"| `x` | input | {fmt(x3)} |" in third
    assert "row" not in worksheet(resolve("shopping")).split("## The graph")[0]


def test_worksheets_carry_no_app_keys() -> None:
    """A paper handout has no keys to press: descriptions leave them to the app."""
    for name in builtin_names():
        head = worksheet(resolve(name)).split("## The graph")[0]
        assert "press" not in head.lower(), name
