"""A scenario's notes in a lesson: at which positions each shows, and its text with that position's numbers.

A node's forward note shows when its value is complete (its own step, or its
group's root); its backward note when it has sent every gradient (its own
step in the groups view, its group's last primitive in the expanded view). A
leaf's forward note shows at the start, its backward note at the step that
completes its gradient. Where a view walks other steps (the neuron view), its
narration moves the places (``Narration.note_places``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.scenario.notes import Piece, fill

if TYPE_CHECKING:
    from tutor.teach.text import Line
    from tutor.teach.lesson.frame import Frame
    from tutor.teach.lesson.lesson import Lesson

Places = dict[int, list[tuple[str, str]]]
"""Position k -> the (name, phase) of each note shown there."""


def step_places(lesson: Lesson, group_of) -> Places:  # noqa: ANN001 - node name -> its group's name
    """Where the notes show when the learner walks the boxes' own steps (expanded and groups views)."""
    places: Places = {}
    notes = lesson.scenario.notes
    if not notes:
        return places
    forward = lesson.boxes_forward
    forward_at = {step.node: 1 + i for i, step in enumerate(forward)}
    offset = 1 + len(forward)
    backward_at: dict[str, int] = {}
    last_sent: dict[str, int] = {}
    for i, step in enumerate(lesson.boxes_backward):
        backward_at[group_of(step.node)] = offset + i  # the group's last primitive visited wins
        for edge in step.edges:
            last_sent[edge.input] = offset + i
    leaves = lesson.scenario.leaves
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


def shown_at(lesson: Lesson, k: int) -> list[str]:
    """The notes shown at position k of the lesson's walk, their placeholders filled with the numbers at k."""
    return [joined(note) for note in pieces_at(lesson, k)]


def pieces_at(lesson: Lesson, k: int) -> list[list[Piece]]:
    """The notes shown at position k, as pieces (``tutor.scenario.notes.fill``)."""
    places = lesson._note_places.get(k, [])
    if not places:
        return []
    return shown_pieces(lesson, places, lesson.frame(k), lesson.position(k).phase == "backward")


def shown_pieces(lesson: Lesson, places: list[tuple[str, str]], frame: Frame, backward: bool) -> list[list[Piece]]:
    """The notes at ``places`` (name, phase) with the numbers of ``frame`` (of the backward pass or not), as
    pieces."""
    if not places:
        return []
    index = lesson.graph.index

    def grad(name: str) -> float | None:
        if name in frame.grads:
            return frame.grads[name]
        # Nothing has arrived yet: the accumulated gradient is still 0.
        return 0.0 if backward and name in index else None

    return [fill(lesson.scenario.notes[name].text(phase), frame.values.get, grad) for name, phase in places]


def selected_pieces(lesson: Lesson, name: str, k: int) -> list[Piece]:
    """The note of a selected node at position k, once the lesson has reached it: its backward note from
    its backward step on, else its forward note from its forward step on (as pieces; none when none is due)."""
    note = lesson.scenario.notes.get(name)
    if note is None:
        return []
    reached = {phase for place, names in lesson._note_places.items() if place <= k
               for shown, phase in names if shown == name}
    phase = "backward" if "backward" in reached else "forward" if "forward" in reached else ""
    if not phase:
        return []
    frame = lesson.frame(k)
    backward = lesson.position(k).phase == "backward"
    return fill(
        note.text(phase),
        lambda n: frame.values.get(n),
        lambda n: frame.grads.get(n, 0.0 if backward else None),
    )


def joined(note: list[Piece]) -> str:
    """A note's pieces as one string."""
    return "".join(text for text, _ in note)


def note_line(note: list[Piece], lead: str = "✎ ") -> Line:
    """A note as a learner reads it: the teacher's words in the note's style, each number filled in styled as
    the value or gradient it is (so it is typeset as every number is)."""
    return [(lead, "note")] + [(text, kind or "note") for text, kind in note if text]
