"""The expanded view's narration: every primitive node is a box and a step of its own."""

from __future__ import annotations

from tutor.teach.lesson.step_narration import StepNarration


class ExpandedNarration(StepNarration):
    """Steps are primitive nodes; a node's notes show with its group's root (forward) and last primitive (backward)."""

    grouped = False

    def group_of(self, node: str) -> str:
        return self.lesson.graph.node(node).group
