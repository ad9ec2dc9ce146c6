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
from tutor.i18n import N_, _, ngettext
from tutor.teach.lesson.network import delta_name
from tutor.teach.lesson.notes import note_line, pieces_at
from tutor.teach.lesson.phrase import phrase

if TYPE_CHECKING:
    from tutor.scenario import Scenario
    from tutor.teach.lesson.frame import Frame
    from tutor.teach.lesson.lesson import Lesson
    from tutor.teach.lesson.notes import Places
    from tutor.teach.questions import Question
    from tutor.teach.text import Line


LEAF_WORDS = {
    "input and param": N_("input and param"), "input": N_("input"), "param": N_("param"), "node": N_("node"),
}
"""What the backward pass ends at, as ``every ...`` names it (translated where said)."""


def train_hint(scenario: Scenario) -> str:
    """At the start of a lesson with params: the key that trains them, and on what."""
    data = scenario.data
    if data is not None:
        return ngettext("Press t to train on the {rows} row of the data (6 opens the training mode).",
                        "Press t to train on all {rows} rows of the data (6 opens the training mode).",
                        len(data)).format(rows=len(data))
    return _("Press t to train: one gradient-descent step on every param (6 opens the training mode).")


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
            return _(LEAF_WORDS["input and param"])
        if s.inputs:
            return _(LEAF_WORDS["input"])
        if s.params:
            return _(LEAF_WORDS["param"])
        return _(LEAF_WORDS["node"])

    def start_lines(self) -> list[Line]:
        """Position 0: the title and description, the leaves' values, and what the steps will do."""
        lesson = self.lesson
        s = lesson.scenario
        lines: list[Line] = [[(s.title, "title")]]
        if s.description:
            lines.append([(s.description, "dim")])
        lines.append([(_("Start. "), "title"), (_("Inputs are set; nothing is computed yet."), "")])
        line: Line = []
        names = list(s.leaves)
        for i, name in enumerate(names):  # name=value: a narrow panel wraps between pairs
            line += [(name, "name"), ("=", ""), (fmt(lesson.trace.value(name)), "value")]
            if i < len(names) - 1:
                line.append((",  ", ""))
        if line:
            lines.append(line)
        lines.append(phrase(_("Press → to compute the nodes left to right, then walk back from {output} to every "
                                "{leaves}."), "dim", output=(s.output, "name"), leaves=self.leaf_words()))
        if s.params:
            lines.append([(train_hint(s), "dim")])
        lines.extend(self.note_lines(0))
        return lines

    def note_lines(self, k: int) -> list[Line]:
        """The scenario's notes due at position k, with their numbers."""
        return [note_line(note) for note in pieces_at(self.lesson, k)]

    def done_lines(self, compact: bool = False) -> list[Line]:
        """The end of the backward pass: every leaf's gradient together (and every δ, for neurons).

        ``compact``: for the compact form, which lists the gradients only for neurons (whose deltas
        and weights its edge lines do not gather) and leaves the table key to the key bar.
        """
        lesson = self.lesson
        s = lesson.scenario
        out = s.output
        grads = lesson.trace.grad
        table = [] if compact else [(_(" Press v for the table."), "dim")]
        broken = [name for name in s.leaves if not math.isfinite(grads(name))]
        if broken:  # not a success to announce: say which gradients are not numbers, and the usual reason
            more = len(broken) - 1
            lines: list[Line] = [[
                *phrase(_("Done, but {gradient}{more}: a number overflowed on the way back (inf), or met 0 × inf (nan). "
                          "Try a value nearer 0."), "warn",
                        gradient=(f"∂{out}/∂{broken[0]} = {fmt(grads(broken[0]))}", "grad"),
                        more=_(" and {count} more").format(count=more) if more else ""),
                *table]]
        elif s.inputs or s.params:
            lines = [[(_("Done: "), "title"),
                      (_("every {leaves} has its gradient.").format(leaves=self.leaf_words()), "title"), *table]]
        else:
            lines = [[(_("Done: "), "title"), (_("the backward pass is complete."), "title"), *table]]
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
