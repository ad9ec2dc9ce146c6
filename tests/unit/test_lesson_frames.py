"""Frames built step by step from the previous one equal frames built from scratch."""

from __future__ import annotations

import pytest

from tutor.scenario import builtin_names, loads, resolve
from tutor.teach.lesson import EXPANDED, GROUPS, Lesson

FAN_OUT = "inputs: {x: 2, y: 3}\nnodes:\n  a: x * x\n  b: a + x * y\n  c: b * a - x\noutput: c\n"


def lessons():
    for name in builtin_names():
        for view in (EXPANDED, GROUPS):
            yield f"{name}-{view}", Lesson(resolve(name), view=view)
    for view in (EXPANDED, GROUPS):
        yield f"fan_out-{view}", Lesson(loads(FAN_OUT), view=view)


@pytest.mark.parametrize("name,lesson", list(lessons()), ids=lambda v: v if isinstance(v, str) else "")
def test_stepping_frames_equal_frames_from_scratch(name, lesson):
    for k in range(len(lesson)):
        stepped = lesson.frame(k)  # k - 1 is cached, so this one is built from it
        assert stepped == lesson._build_frame(k), (name, k)


@pytest.mark.parametrize("name,lesson", list(lessons()), ids=lambda v: v if isinstance(v, str) else "")
def test_contributions_list_every_edge_into_a_node_in_backward_order(name, lesson):
    for k in range(len(lesson)):
        pos = lesson.position(k)
        done = lesson.backward[: pos.index + 1] if pos.phase == "backward" else ()
        for key in [n.key for n in lesson.nodes]:
            expected = [(step.node, e.contribution) for step in done for e in step.edges if e.input == key]
            assert lesson.contributions(k, key) == expected, (name, k, key)


def test_frame_cache_is_bounded():
    lesson = Lesson(resolve("tiny_net"), view=EXPANDED)
    for k in range(len(lesson)):
        lesson.frame(k)
    assert len(lesson._frames) <= 64
    assert lesson.frame(3) == lesson._build_frame(3)
