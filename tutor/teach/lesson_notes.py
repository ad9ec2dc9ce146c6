"""Notes in the lesson: where each scenario note shows (its pass, its step) and
its text with the numbers of that step filled in.

A mixin of ``Lesson`` (kept apart to keep modules small).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.teach.lesson import Line


class LessonNotes:
    """Which notes show at position k, rendered."""


    @cached_property
    def _note_places(self) -> dict[int, list[tuple[str, str]]]:
        """Position k -> the (name, phase) of each note shown there.

        A node's forward note shows when its value is complete (its own step,
        or its group's root); its backward note when it has sent every
        gradient (its own step in the groups view, its group's last primitive
        in the expanded view). A leaf's forward note shows at the start, its
        backward note at the step that completes its gradient.
        """
        places: dict[int, list[tuple[str, str]]] = {}
        notes = self.scenario.notes
        if not notes:
            return places
        forward_at = {step.node: 1 + i for i, step in enumerate(self.forward)}
        offset = 1 + len(self.forward)
        backward_at: dict[str, int] = {}
        last_sent: dict[str, int] = {}
        for i, step in enumerate(self.backward):
            node = self.graph.node(step.node)
            group = step.node if self.groups is not None else node.group
            backward_at[group] = offset + i  # the group's last primitive visited wins
            for edge in step.edges:
                last_sent[edge.input] = offset + i
        leaves = self.scenario.leaves
        for name, note in notes.items():
            if note.forward:
                k = 0 if name in leaves else forward_at.get(name)
                if k is not None:
                    places.setdefault(k, []).append((name, "forward"))
            if note.backward:
                k = last_sent.get(name) if name in leaves else backward_at.get(name)
                if k is not None:
                    places.setdefault(k, []).append((name, "backward"))
        return places

    def notes_at(self, k: int) -> list[str]:
        """The notes shown at position k, their placeholders filled with the numbers at k."""
        from tutor.scenario.notes import render

        places = self._note_places.get(k, [])
        if not places:
            return []
        frame = self.frame(k)
        backward = self.position(k).phase == "backward"
        index = self.graph.index

        def value(name: str) -> float | None:
            if name in frame.values:
                return frame.values[name]
            return None

        def grad(name: str) -> float | None:
            if name in frame.grads:
                return frame.grads[name]
            # Nothing has arrived yet: the accumulated gradient is still 0.
            return 0.0 if backward and name in index else None

        return [render(self.scenario.notes[name].text(phase), value, grad) for name, phase in places]

    def selected_note(self, name: str, k: int) -> str:
        """The note of a selected node at position k, once the lesson has reached it:
        its backward note from its backward step on, else its forward note from its
        forward step on (rendered; "" when none is due yet)."""
        from tutor.scenario.notes import render

        note = self.scenario.notes.get(name)
        if note is None:
            return ""
        reached = {phase for place, names in self._note_places.items() if place <= k
                   for shown, phase in names if shown == name}
        phase = "backward" if "backward" in reached else "forward" if "forward" in reached else ""
        if not phase:
            return ""
        frame = self.frame(k)
        backward = self.position(k).phase == "backward"
        return render(
            note.text(phase),
            lambda n: frame.values.get(n),
            lambda n: frame.grads.get(n, 0.0 if backward else None),
        )

    def note_text(self, k: int) -> str:
        """The notes at position k as one string ("" when none), for the JSON trace."""
        return "\n".join(self.notes_at(k))

    def note_lines(self, k: int) -> list[Line]:
        return [[("✎ ", "note"), (text, "note")] for text in self.notes_at(k)]
