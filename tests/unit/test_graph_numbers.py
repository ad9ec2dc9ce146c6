"""Numbers on the graph (tutor.draw.number_columns, tutor.ui.widgets.graph_state): one format per column.

In a column of the drawing every number has the same significant digits
(``∂-0.0031`` never beside ``∂0.003507``), trailing zeros show only where a
number was rounded, and every minus sign is U+2212, as in the step panel.
"""

from __future__ import annotations

import math
import random
import re

import pytest

from tutor.draw.density import BOXES, COMPACT, LINE, NAMES, draw, render_drawing
from tutor.draw.number_columns import FEWEST_CELLS, column_digits, written
from tutor.scenario import builtin_names, resolve
from tutor.teach.lesson import EXPANDED, GROUPS, Lesson
from tutor.teach.text import MINUS
from tutor.ui.widgets.graph_state import graph_spec, number_cells, render_state

NUMBER = re.compile(r"[∂ṫδ]? ?([−-]?(?:\d+\.?\d*(?:e[−-]?\d+)?|inf|nan))")


def _significant(text: str) -> int:
    """Significant digits a written number shows (its mantissa's, leading zeros aside)."""
    mantissa = text.lstrip("−-").split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa) or 1


def test_a_number_is_written_with_its_digits_and_one_minus_sign() -> None:
    assert written(-0.00309829, 3) == "−0.00310"  # rounded: its zero shows the precision
    assert written(0.15, 3) == "0.15" and written(1.0, 4) == "1"  # exact: nothing to show
    assert written(220.00000000000003, 4) == "220"  # float noise is not a digit
    assert written(0.0000351, 3) == "3.51e−5" and written(-123456789.1, 2) == "−1.2e8"
    assert written(float("-inf")) == "−inf" and written(float("nan")) == "nan"
    # too wide for its cells in the plain form: the exponent form keeps the column's digits
    assert written(-0.00043, 2, 7) == "−4.3e−4" and written(-0.021, 2, 7) == "−0.021"


def test_every_number_fits_the_fewest_cells_at_some_digits() -> None:
    rng = random.Random(4)
    samples = [rng.uniform(-1, 1) * 10 ** rng.randint(-320, 308) for _ in range(3000)] + [0.0, -0.0, 1e-323]
    for x in samples:
        digits = column_digits([x], FEWEST_CELLS)
        text = written(x, digits, FEWEST_CELLS)
        assert len(text) <= FEWEST_CELLS and "-" not in text, (x, text)
        assert math.isclose(float(text.replace(MINUS, "-")), x, rel_tol=10 ** (1 - digits)), (x, text)


def _columns(lesson: Lesson, level: str):
    """(column x, every number text drawn in that column, node by node) at the lesson's last step."""
    spec = graph_spec(lesson)
    numbers = number_cells(lesson)
    drawing = draw(spec, level, numbers=numbers)
    state = render_state(lesson, lesson.frame(lesson.last), short=level != BOXES, numbers=numbers)
    by_x: dict[int, list[str]] = {}
    for key in drawing.boxes:
        texts = [t for t in (state.values.get(key), state.grads.get(key)) if t]
        by_x.setdefault(drawing.boxes[key].x if level != BOXES else 0, []).extend(texts)
    rows = ["".join(t for t, _ in row) for row in render_drawing(drawing, state)]
    return by_x, rows


@pytest.mark.parametrize("level", [COMPACT, LINE, BOXES])
@pytest.mark.parametrize("name", ["tiny_net", "xor", "curve", "shopping_oranges", "sigmoid_expanded", "softmax"])
def test_one_format_per_column_and_one_minus_sign(name: str, level: str) -> None:
    lesson = Lesson(resolve(name), {}, GROUPS)
    by_x, rows = _columns(lesson, level)
    for x, texts in by_x.items():
        rounded = [m.group(1) for t in texts for m in [NUMBER.fullmatch(t)] if m]
        assert len(rounded) == len(texts), texts
        # Every number of the column has the column's digits, or fewer where it is exact at fewer.
        widest = max(_significant(t) for t in rounded)
        for text in rounded:
            if _significant(text) < widest:
                value = float(text.replace(MINUS, "-"))
                assert written(value, widest) == text, (x, texts)
    drawn = "\n".join(rows)
    assert not re.search(r"-\d|e-|-inf", drawn), drawn


def test_the_issues_column_reads_with_one_precision() -> None:
    """tiny_net's groups view at the line level: ``∂-0.0031``, ``∂0.00351``, ``∂-0.0039`` stood in one column."""
    lesson = Lesson(resolve("tiny_net"), {}, GROUPS)
    by_x, _ = _columns(lesson, LINE)
    first = by_x[min(by_x)]
    grads = [t for t in first if t.startswith("∂")]
    assert len({_significant(NUMBER.fullmatch(t).group(1)) for t in grads if "0.0" in t}) == 1, grads


@pytest.mark.parametrize("name", builtin_names())
def test_no_hyphen_minus_in_any_drawn_number(name: str) -> None:
    """Not in a value, a gradient, an edge's label, nor a constant's name (``-1`` in sigmoid_expanded)."""
    lesson = Lesson(resolve(name), {}, EXPANDED)
    for level in (BOXES, COMPACT, LINE, NAMES):
        for k in (0, lesson.forward_end, lesson.last):
            spec = graph_spec(lesson)
            numbers = number_cells(lesson)
            drawing = draw(spec, level, numbers=numbers)
            state = render_state(lesson, lesson.frame(k), short=level != BOXES, numbers=numbers)
            text = "\n".join("".join(t for t, _ in row) for row in render_drawing(drawing, state))
            assert not re.search(r"-\d|e-|-inf", text), (name, level, k)
