"""Where a place in one view of a lesson is in another (the view key keeps the learner's place).

The start, the end of the forward pass and the end map to themselves. A
step about a node maps to the step about its group (groups view) or about
the group's primitives (expanded view). In the backward pass a group's step
is done in the expanded view only once every one of its primitives' steps
is, so a group maps to the last of those; any of those maps back to the
group's step. The order of places is kept, and a groups-view place survives
a trip to the expanded view and back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.teach.lesson.views import EXPANDED, GROUPS

if TYPE_CHECKING:
    from tutor.teach.lesson.lesson import Lesson


def landmark(lesson: Lesson, k: int, other: Lesson) -> int | None:
    """The start, the end of the forward pass or the end: the same place in ``other``; else None."""
    if k <= 0:
        return 0
    if k >= lesson.last:
        return other.last
    if k == lesson.forward_end:
        return other.forward_end
    return None


def map_position(lesson: Lesson, k: int, other: Lesson) -> int:
    """The position in ``other`` (another view of the same scenario) that shows what ``lesson`` shows at k,
    for a lesson whose steps are its boxes' own (expanded or groups view)."""
    same = landmark(lesson, k, other)
    if same is not None:
        return same
    phase = lesson.position(k).phase
    node = lesson.step(k).node
    graph = lesson.graph
    group = graph.nodes[graph.index[node]].group if node in graph.index else node
    members = [graph.nodes[m].name for m in graph.groups.get(group, ())]
    if phase == "backward" and len(members) > 1 and lesson.view == GROUPS and other.view == EXPANDED:
        # The group's step is done in the expanded view at the last of its primitives' steps.
        steps = [f for f in (other.index_of("backward", m) for m in members) if f is not None]
        if steps:
            return max(steps)
    found = other.index_of(phase, group) if group else None
    if found is None:
        found = other.index_of(phase, node)
    if found is not None:
        return found
    return other.forward_end if phase == "forward" else other.last
