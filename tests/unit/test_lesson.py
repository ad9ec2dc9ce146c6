"""Lessons as plain data: positions, frames and the words for each step (no Textual)."""

from __future__ import annotations

import pytest

from tutor.scenario import builtin_names, loads, resolve
from tutor.teach.edits import edit_lines
from tutor.teach.selected import selected_lines
from tutor.teach.lesson import EXPANDED, GROUPS, Lesson, default_view, views_of


def text(lines) -> str:
    return "\n".join("".join(fragment for fragment, _ in line) for line in lines)


def shopping() -> Lesson:
    return Lesson(resolve("shopping"))


def test_positions_run_start_forward_backward() -> None:
    lesson = shopping()
    assert len(lesson) == 5 and lesson.last == 4 and lesson.forward_end == 2
    assert [lesson.position(k).phase for k in range(5)] == ["start", "forward", "forward", "backward", "backward"]
    assert [lesson.step(k).node for k in range(1, 5)] == ["apple_price", "price", "price", "apple_price"]
    assert lesson.step(0) is None
    assert lesson.index_of("backward", "apple_price") == 4
    assert lesson.index_of("forward", "nothing") is None


def test_frames_show_only_what_is_known_at_k() -> None:
    lesson = shopping()
    start = lesson.frame(0)
    assert set(start.values) == {"apple", "apple_count", "tax"} and not start.grads and start.current is None
    first = lesson.frame(1)
    assert first.values["apple_price"] == 200 and "price" not in first.values
    assert first.current == "apple_price"
    assert {(e.source, e.target) for e in first.active_edges} == {("apple", "apple_price"), ("apple_count", "apple_price")}
    end = lesson.frame(lesson.last)
    assert end.grads["apple"] == pytest.approx(2.2)
    assert end.grads["apple_count"] == pytest.approx(110)
    assert end.grads["tax"] == pytest.approx(200)
    assert end.finished == {"price", "apple_price"}


def test_frames_are_the_same_when_stepping_back() -> None:
    lesson = shopping()
    before = [lesson.frame(k) for k in range(len(lesson))]
    fresh = shopping()
    assert [fresh.frame(k) for k in reversed(range(len(fresh)))][::-1] == before
    assert lesson.frame(-3) == lesson.frame(0) and lesson.frame(99) == lesson.frame(lesson.last)


def test_explanations_carry_the_published_numbers() -> None:
    lesson = shopping()
    assert "apple=100,  apple_count=2,  tax=1.1" in text(lesson.explain(0))
    assert "apple_price = apple × apple_count = 100 × 2 = 200" in text(lesson.explain(1))
    backward = text(lesson.explain(4))
    assert "upstream ∂price/∂apple_price = 1.1" in backward
    assert "1.1 × 2 = 2.2" in backward and "1.1 × 100 = 110" in backward
    assert "Done: every input has its gradient." in backward


def test_fan_out_is_explained_as_a_sum() -> None:
    lesson = Lesson(resolve("two_paths"))
    assert "∂e/∂b: 3 + 2 = 5" in text(lesson.explain(lesson.last))
    assert "fan-out: b feeds 2 nodes" in text(lesson.explain(lesson.last))


def test_big_scenarios_open_collapsed_and_positions_map_between_views() -> None:
    tiny_net = resolve("tiny_net")
    assert default_view(tiny_net) == "neurons"  # the file asks for the neuron view
    assert default_view(resolve("xor")) == "neurons"  # a network: opens as neurons
    assert default_view(resolve("shopping")) == EXPANDED
    groups = Lesson(tiny_net, view=GROUPS)
    expanded = groups.with_view(EXPANDED)
    assert len(expanded) > len(groups)
    for k in range(len(groups)):
        mapped = groups.map_position(k, expanded)
        assert groups.position(k).phase == expanded.position(mapped).phase


def test_with_values_recomputes_and_leaf_values_reads_them() -> None:
    lesson = shopping().with_values({"apple": 150})
    assert lesson.trace.output_value == pytest.approx(330)
    assert lesson.leaf_values() == {"apple": 150, "apple_count": 2, "tax": 1.1}
    assert shopping().leaf_values()["apple"] == 100


def test_reloaded_keeps_edits_and_the_node_at_k() -> None:
    source = "inputs:\n  a: 2\n  b: 1\nnodes:\n  c: a + b\n  d: b + 1\n  e: c * d\noutput: e\n"
    lesson = Lesson(loads(source)).with_values({"a": 5})
    k = lesson.index_of("forward", "d")
    # A new node in front moves d one step later; the edit of a survives, b's value comes from the file.
    changed = source.replace("  c: a + b\n", "  z: a * 3\n  c: a + b\n")
    new, new_k = lesson.reloaded(loads(changed), k)
    assert new.step(new_k).node == "d" and new_k == k + 1
    assert new.overrides == {"a": 5}
    gone, gone_k = lesson.reloaded(loads(source.replace("a: 2", "q: 2").replace("a + b", "q + b")), 0)
    assert gone.overrides == {} and gone_k == 0


def test_selected_lines_describe_the_node_so_far() -> None:
    lesson = shopping()
    at_start = text(selected_lines(lesson, "apple_price", lesson.frame(0)))
    assert "Selected apple_price (multiply)" in at_start and "value not computed yet" in at_start
    assert "apple_price: apple * apple_count" in at_start
    assert "✎" not in at_start  # no note before the lesson reaches the node, and never the backward one early
    forward = text(selected_lines(lesson, "apple_price", lesson.frame(2), 2))
    assert "✎ apple_price = apple × apple_count: the apples' cost before tax, 200." in forward
    end = text(selected_lines(lesson, "apple_price", lesson.focus(lesson.frame(lesson.last), None), lesson.last))
    # The last step shows apple_price's backward note itself: selecting the node does not show it a second time.
    assert "✎ A multiply node sends back the other input" in text(lesson.explain(lesson.last))
    assert "✎" not in end
    middle = text(selected_lines(lesson, "apple_price", lesson.frame(3)))
    assert "value 200" in middle and "∂price/∂apple_price = 1.1 so far" in middle
    leaf = text(selected_lines(lesson, "apple", lesson.frame(0)))
    assert "press e to change its value" in leaf


def test_edit_lines_compare_the_prediction_with_the_change() -> None:
    old = shopping()
    linear = text(edit_lines(old, old.with_values({"apple": 200}), "apple"))
    assert "Edited apple: 100 → 200 (change +100)" in linear
    assert "2.2 × 100 = 220" in linear and "Actually price went 220 → 440, a change of +220" in linear
    assert "Exact: the output is linear in this input." in linear
    sigmoid = Lesson(resolve("sigmoid"))
    leaf = next(iter(sigmoid.scenario.leaves))
    curved = text(edit_lines(sigmoid, sigmoid.with_values({leaf: 3.0}), leaf))
    assert "Not exact: the gradient is the slope at the old point" in curved


@pytest.mark.parametrize("name", builtin_names())
def test_every_position_of_every_builtin_has_a_frame_and_words(name: str) -> None:
    scenario = resolve(name)
    for view in (EXPANDED, GROUPS):
        lesson = Lesson(scenario, view=view)
        for k in range(len(lesson)):
            assert lesson.explain(k)
            frame = lesson.frame(k)
            assert set(frame.values) <= {n.key for n in lesson.nodes}


@pytest.mark.parametrize("name", builtin_names())
def test_switching_views_keeps_the_place_both_ways(name: str) -> None:
    """The start, the end of the forward pass and the end map to themselves; the order of places is
    kept; and a groups-view place survives a trip to the expanded view and back."""
    scenario = resolve(name)
    lessons = [Lesson(scenario, view=view) for view in views_of(scenario)]
    for one in lessons:
        for other in lessons:
            if other is one:
                continue
            assert one.map_position(0, other) == 0
            assert one.map_position(one.forward_end, other) == other.forward_end
            assert one.map_position(one.last, other) == other.last
            mapped = [one.map_position(k, other) for k in range(len(one))]
            assert mapped == sorted(mapped), (one.view, other.view, mapped)
    groups = Lesson(scenario, view=GROUPS)
    expanded = groups.with_view(EXPANDED)
    for k in range(len(groups)):
        assert expanded.map_position(groups.map_position(k, expanded), groups) == k, k
