"""The selected node in words: its kind, value and gradient so far, its formula and its note.

Plain data (lines of styled fragments); no UI imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt
from tutor.engine.ops import title as op_title
from tutor.i18n import N_, _
from tutor.teach.lesson import notes
from tutor.teach.lesson.phrase import phrase
from tutor.teach.lesson.views import EXPANDED

if TYPE_CHECKING:
    from tutor.teach.lesson import Frame, Lesson
    from tutor.teach.text import Line

KINDS = {"input": N_("input"), "param": N_("param"), "const": N_("const"), "group": N_("group")}
"""A node's kind as the learner reads it (an op's kind is its title; translated where said)."""


def selected_lines(lesson: Lesson, key: str, frame: Frame, k: int | None = None, note: bool = True) -> list[Line]:
    """The selected node: its kind, value and gradient so far, formula, note.

    The note is the one for the pass shown at position ``k`` (its backward note
    once its backward step is shown), with its numbers; ``note=False`` hides
    it (a quiz question is waiting).
    """
    out = lesson.scenario.output
    node = lesson.graph.node(key)
    kind = node.kind if node.kind != "op" else (op_title(node.op) if lesson.view == EXPANDED else "group")
    line: Line = phrase(_("Selected {node}"), "title", node=(lesson.title_of(key), "name"))
    line += [(_(" ({kind})").format(kind=_(KINDS.get(kind, kind))), "dim")]
    if key in frame.values:
        line += [(_("  value "), ""), (fmt(frame.values[key]), "value")]
    else:
        line += [(_("  value not computed yet"), "dim")]
    if key in frame.grads:
        line += [("  ", ""), (f"∂{out}/∂{key}", "grad"), (" = ", ""), (fmt(frame.grads[key]), "grad")]
        if key not in frame.finished and node.kind == "op" and key != out:
            line += [(_(" so far"), "dim")]
    lines = [line]
    if key in lesson.scenario.nodes:
        lines.append([("  ", ""), (key, "name"), (": ", ""), (lesson.scenario.nodes[key], "formula")])
    if node.kind in ("input", "param"):
        lines.append([(_("  press e to change its value"), "dim")])
    if k is None:  # no position given: the frame tells which pass it shows
        k = lesson.last if frame.grads else (lesson.forward_end if len(frame.computed) > len(lesson.scenario.leaves) else 0)
    pieces = lesson.selected_note(key, k) if note else []
    if pieces and frame.current != key and notes.joined(pieces) not in lesson.notes_at(k):  # never the step's own twice
        lines.append(notes.note_line(pieces, "  ✎ "))
    return lines
