"""The compact form of the step explanation (tutor.teach.lesson.compact) and short numbers."""

from __future__ import annotations

import pytest

from tutor.engine.numbers import fmt, fmt_short
from tutor.scenario import builtin_names, loads, resolve
from tutor.teach.lesson import GROUPS, NEURONS, Lesson, default_view
from tutor.teach.text import wrap_line


def text(lines) -> list[str]:
    return ["".join(fragment for fragment, _ in line) for line in lines]


def lesson(name: str) -> Lesson:
    """The scenario in the graph view it opens with (the groups view for nets that open as neurons)."""
    scenario = resolve(name)
    view = default_view(scenario)
    return Lesson(scenario, view=GROUPS if view == NEURONS else view)


@pytest.mark.parametrize("name", ["tiny_net", "xor"])
def test_the_neuron_view_is_its_own_compact_form(name: str) -> None:

    scenario = resolve(name)
    assert default_view(scenario) == NEURONS
    neurons = Lesson(scenario, view=NEURONS)
    for k in range(len(neurons)):
        assert neurons.explain_compact(k) == neurons.explain(k)


def test_one_line_per_edge_with_local_upstream_contribution_and_before_after() -> None:
    shop = lesson("shopping_oranges")
    rows = text(shop.explain_compact(shop.last))
    assert rows[0] == "Backward 4 of 4 apple_price  upstream ∂price/∂apple_price = 1.1"
    # The words stay: what the input gets is upstream × local derivative, then its gradient before → after.
    assert "→ apple: upstream 1.1 × local (apple_count = 2) = 2.2;  ∂price/∂apple 0 → 2.2" in rows
    assert "→ apple_count: upstream 1.1 × local (apple = 100) = 110;  ∂price/∂apple_count 0 → 110" in rows


def test_the_notation_is_said_once_at_the_first_backward_step() -> None:
    shop = lesson("shopping_oranges")
    said = [k for k in range(len(shop)) if any(row.startswith("Each → line") for row in text(shop.explain_compact(k)))]
    assert said == [shop.forward_end + 1]


def test_fan_out_shows_the_running_sum() -> None:
    paths = lesson("two_paths")
    rows = "\n".join(text(paths.explain_compact(paths.last)))
    assert "→ b: upstream 2 × local 1 = 2;  ∂e/∂b 3 + 2 = 5  (fan-out: b feeds 2 nodes)" in rows  # 1·3 from d, 1·2 from c


@pytest.mark.parametrize("name", builtin_names())
def test_compact_is_never_longer_than_the_full_form_and_keeps_every_edge(name: str) -> None:
    les = lesson(name)
    for k in range(len(les)):
        full, compact = les.explain(k), les.explain_compact(k)
        assert len(compact) <= len(full), k
        step = les.step(k)
        if k > les.forward_end:
            shown = [e for e in step.edges if not les.graph.is_constant(e.input)]
            assert sum(row.startswith("→ ") for row in text(compact)) == len(shown), k


HAND_NAMED = [name for name in builtin_names() if name not in ("curve", "xor", "softmax", "spiral")]
"""Built-ins with hand-chosen names; nets from the ``network:`` shorthand have longer ones (w1_7_1), whose
compact lines may wrap once."""


@pytest.mark.parametrize("name", HAND_NAMED)
def test_compact_edge_lines_take_at_most_two_rows_at_80_columns(name: str) -> None:
    les = lesson(name)
    for k in range(les.forward_end + 1, len(les)):
        for line in les.explain_compact(k):
            if text([line])[0].startswith("→ "):
                rows = wrap_line(line, 76)  # a panel at 80 columns: frame, padding and scrollbar aside
                assert len(rows) <= 2, text(rows)
                assert all(row.startswith("  ") for row in text(rows[1:]))  # under the words, not under the arrow


@pytest.mark.parametrize("x", [-0.0003512, 0.0358143, 2.2, 650, 123456789.0, -1.5e-12, 1 / 3, 0.0, 1e300])
def test_short_numbers_fit_and_stay_close(x: float) -> None:
    short = fmt_short(x)
    assert len(short) <= 7
    assert float(short) == pytest.approx(x, rel=0.05)
    if len(fmt(x, 4)) <= 7:
        assert short == fmt(x, 4)


def test_a_local_formula_is_never_written_as_equal_to_the_product() -> None:
    """``apple_count = 2 × 1.1`` reads as a false equation; the formula and its number stay in parentheses."""
    for name in builtin_names():
        les = lesson(name)
        for k in range(les.forward_end + 1, les.last + 1):
            rows = [row for row in text(les.explain_compact(k)) if row.startswith("→ ")]
            edges = [e for e in les.step(k).edges if not les.graph.is_constant(e.input)]
            for row, edge in zip(rows, edges):
                local = row.split(" × local ", 1)[1]
                if edge.local_formula != fmt(edge.local):
                    assert local.startswith(f"({edge.local_formula} = "), (name, k, row)
                else:
                    assert local.split(" = ")[0] == fmt(edge.local, 4) or local.startswith("("), (name, k, row)


def test_the_start_keeps_the_title_and_description_and_names_the_leaves() -> None:
    shop = lesson("shopping_oranges")
    rows = text(shop.explain_compact(0))
    assert rows[0] == "Buying apples and oranges" and rows[1] == shop.scenario.description
    assert rows[-1] == "→ computes left to right, then back from price to every input."
    net = Lesson(resolve("tiny_net"), view=GROUPS)
    rows = text(net.explain_compact(0))
    assert "→ computes left to right, then back from loss to every input and param." in rows
    assert any(row.startswith("Press t to train") for row in rows)


def test_the_expanded_sigmoid_collapsed_shows_its_factors_agreeing_with_y_one_minus_y() -> None:
    sig = Lesson(resolve("sigmoid_expanded"), view=GROUPS)
    rows = text(sig.explain_compact(sig.last))
    assert "   factors (-0.3875) × 1 × 0.6065 × (-1) = 0.235 = y(1 − y) = 0.6225 × (1 − 0.6225)" in rows


def test_neurons_in_the_groups_view_name_their_deltas_and_sum_the_fan_out() -> None:
    net = Lesson(resolve("tiny_net"), view=GROUPS)
    rows = text(net.explain_compact(net.last))
    assert rows[0] == "Backward 9 of 9 z1  upstream ∂loss/∂z1 = δ(h1) = -0.0619658"
    assert ("   Σⱼ δⱼ·wⱼ₁ = (-0.06197)×0.15 + 0.07015×0.25 + (-0.07878)×(-0.35) = 0.0358143  (fan-out: 3 neurons)"
            in rows)
    assert "  δ(h1)=-0.0619658:  ∂loss/∂w11=-0.00309829  ∂loss/∂w12=-0.00619658  ∂loss/∂b1=-0.0619658" in rows
    assert "  ∂loss/∂x1=0.0358143  ∂loss/∂x2=-0.0228602  ∂loss/∂target=0.641998" in rows
    activation = next(k for k in range(len(net)) if net.step(k) and getattr(net.step(k), "node", "") == "h1"
                      and k > net.forward_end)
    assert any(row.startswith("→ z1:") and " = δ(h1);  ∂loss/∂z1 " in row for row in text(net.explain_compact(activation)))


def test_the_end_names_the_leaves_there_are() -> None:
    only_params = Lesson(loads("params: {w: 2, b: 1}\nnodes: {y: w * 3 + b}\noutput: y\n", path="p.yaml"))
    rows = text(only_params.explain_compact(only_params.last))
    assert any(row.startswith("Done: every param has its gradient.") for row in rows)
    assert not any("every input" in row for row in rows)
