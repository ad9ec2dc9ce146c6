"""A view's narration: which steps the learner walks, and what each step says.

Each view of a lesson has one narration object, chosen by the lesson from
its view: ``ExpandedNarration`` (every primitive), ``GroupNarration`` (each
named node as one box) and ``NeuronNarration`` (a net, neuron by neuron).
They answer the same questions (``walk``, ``frame``, ``explain``,
``explain_compact``, ``questions``, ``note_places``...), so the lesson, the
modes and the screen never ask which view they are in. This base class holds
what every view says the same way: the start, the notes, the closing list.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt
from tutor.teach.lesson.network import delta_name

if TYPE_CHECKING:
    from tutor.scenario import Scenario
    from tutor.teach.lesson.frame import Frame
    from tutor.teach.lesson.lesson import Lesson
    from tutor.teach.lesson.notes import Places
    from tutor.teach.questions import Question
    from tutor.teach.text import Line


def train_hint(scenario: Scenario) -> str:
    """At the start of a lesson with params: the key that trains them, and on what."""
    data = scenario.data
    if data is not None:
        return f"Press t to train on all {len(data)} rows of the data (6 opens the training mode)."
    return "Press t to train: one gradient-descent step on every param (6 opens the training mode)."


class Narration:
    """What one view of a lesson walks and says. Subclasses answer the interface below."""

    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson

    # -- the interface -----------------------------------------------------------

    def walk(self) -> tuple[Sequence, Sequence]:
        """The forward and backward steps the learner walks, in order."""
        raise NotImplementedError

    def frame(self, k: int) -> Frame:
        """What the graph shows at position k of the walk."""
        raise NotImplementedError

    def index_of(self, phase: str, node: str) -> int | None:
        """The position of the step about ``node`` in ``phase``, if there is one."""
        raise NotImplementedError

    def map_position(self, k: int, other: Lesson) -> int:
        """The position in ``other`` (the same scenario in another view) that shows what k shows here."""
        raise NotImplementedError

    def note_places(self) -> Places:
        """Position k -> the (name, phase) of each scenario note shown there."""
        raise NotImplementedError

    def explain(self, k: int) -> list[Line]:
        """Position k in words and numbers."""
        raise NotImplementedError

    def explain_compact(self, k: int) -> list[Line]:
        """The same in fewer lines, for a panel too short for the full form."""
        raise NotImplementedError

    def questions(self, k: int) -> list[Question]:
        """What the quiz asks before revealing position k."""
        raise NotImplementedError

    # -- what every view says the same way -----------------------------------------

    def leaf_words(self) -> str:
        """What the backward pass ends at: inputs, params, or only the output's own inputs."""
        s = self.lesson.scenario
        if s.inputs and s.params:
            return "input and param"
        if s.inputs:
            return "input"
        if s.params:
            return "param"
        return "node"

    def start_lines(self) -> list[Line]:
        """Position 0: the title and description, the leaves' values, and what the steps will do."""
        lesson = self.lesson
        s = lesson.scenario
        lines: list[Line] = [[(s.title, "title")]]
        if s.description:
            lines.append([(s.description, "dim")])
        lines.append([("Start. ", "title"), ("Inputs are set; nothing is computed yet.", "")])
        line: Line = []
        names = list(s.leaves)
        for i, name in enumerate(names):  # name=value: a narrow panel wraps between pairs
            line += [(name, "name"), ("=", ""), (fmt(lesson.trace.value(name)), "value")]
            if i < len(names) - 1:
                line.append((",  ", ""))
        if line:
            lines.append(line)
        lines.append(
            [
                ("Press → to compute the nodes left to right, then walk back from ", "dim"),
                (s.output, "name"),
                (f" to every {self.leaf_words()}.", "dim"),
            ]
        )
        if s.params:
            lines.append([(train_hint(s), "dim")])
        lines.extend(self.note_lines(0))
        return lines

    def note_lines(self, k: int) -> list[Line]:
        """The scenario's notes due at position k, with their numbers."""
        return [[("✎ ", "note"), (text, "note")] for text in self.lesson.notes_at(k)]

    def done_lines(self, compact: bool = False) -> list[Line]:
        """The end of the backward pass: every leaf's gradient together (and every δ, for neurons).

        ``compact``: for the compact form, which lists the gradients only for neurons (whose deltas
        and weights its edge lines do not gather) and leaves the table key to the key bar.
        """
        lesson = self.lesson
        s = lesson.scenario
        out = s.output
        grads = lesson.trace.grad
        table = [] if compact else [(" Press v for the table.", "dim")]
        broken = [name for name in s.leaves if not math.isfinite(grads(name))]
        if broken:  # not a success to announce: say which gradients are not numbers, and the usual reason
            lines: list[Line] = [[("Done, but ", "warn"), (f"∂{out}/∂{broken[0]} = {fmt(grads(broken[0]))}", "grad"),
                                  (f"{' and ' + str(len(broken) - 1) + ' more' if len(broken) > 1 else ''}: "
                                   "a number overflowed on the way back (inf), or met 0 × inf (nan). "
                                   "Try a value nearer 0.", "warn"), *table]]
        elif s.inputs or s.params:
            lines = [[("Done: ", "title"), (f"every {self.leaf_words()} has its gradient.", "title"), *table]]
        else:
            lines = [[("Done: ", "title"), ("the backward pass is complete.", "title"), *table]]
        if compact and not lesson.neurons:
            return lines
        # name=number with no space inside, so a narrow panel wraps between pairs, never inside one
        listed: set[str] = set()
        for neuron in lesson.neurons.values():
            row: Line = [("  ", ""), (f"{delta_name(neuron)}={fmt(grads(neuron.z))}", "grad"), (":", "")]
            for param in (*neuron.weights, *neuron.biases):
                row += [("  ", ""), (f"∂{out}/∂{param}={fmt(grads(param))}", "grad")]
                listed.add(param)
            lines.append(row)
        shown = [name for name in s.leaves if name not in listed]
        if shown:
            row = [("  ", "")]
            for i, name in enumerate(shown):
                row += [("  " if i else "", ""), (f"∂{out}/∂{name}={fmt(grads(name))}", "grad")]
            lines.append(row)
        return lines
