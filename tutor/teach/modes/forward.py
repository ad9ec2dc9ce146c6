"""Forward mode: the tangent d(node)/d(leaf) pushed left to right, one node at a time.

Tangents are written with an upright d (and marked ṫ on the graph) so they are
never mistaken for reverse mode's gradients ∂. In the groups view each named
node is one box with its group-level local derivatives.
"""

from __future__ import annotations


from tutor.engine import analysis, groups  # deferred (tutor.startup): opening a lesson needs no mode's arithmetic
from tutor.engine.numbers import fmt, operand
from tutor.records import record
from tutor.teach import engine_words
from tutor.teach.lesson import Frame, Lesson, ViewEdge
from tutor.teach.lesson.phrase import phrase
from tutor.teach.text import Line
from tutor.i18n import N_, _, language
from tutor.teach.modes.base import Mode, ModeProgress, Move, View


@record(slots=True)
class TangentWalk:
    """Forward mode for one leaf: a frame and an explanation per position."""

    leaf: str
    frames: tuple[Frame, ...]
    explanations: tuple[tuple[Line, ...], ...]
    language: str = "en"
    """The language the explanations are in."""

    def __len__(self) -> int:
        return len(self.frames)


TANGENT_MARK = "ṫ"
"""How the graph marks forward mode's tangents (reverse mode's gradients are marked ∂)."""


def _operand(name: str) -> str:
    """A name after d: as it is when short (``dz``, ``dx1``), in parentheses when longer (``d(apple)``), so that
    ``d(apple_price)`` never reads as one word."""
    return name if len(name) <= 2 else f"({name})"


def tangent(node: str, leaf: str) -> str:
    """How a tangent reads in words: ``dz/dx``, ``d(apple_price)/d(apple)`` (gradients are written ∂)."""
    return f"d{_operand(node)}/d{_operand(leaf)}"


def tangent_walk(lesson: Lesson, leaf: str) -> TangentWalk:
    """Position 0 seeds d(leaf)/d(leaf) = 1; then one position per node of the view.

    In the groups view each named node is one box: its tangent uses the
    group-level local derivatives, so every name on screen is a box on screen.
    """
    graph = lesson.graph
    if lesson.groups is not None:
        steps = groups.group_forward_mode(graph, lesson.groups, leaf)
    else:
        steps = analysis.forward_mode(graph, lesson.trace, leaf)
    keys = {n.key for n in lesson.nodes}
    values = {n.key: lesson.trace.values[graph.index[n.key]] for n in lesson.nodes}
    out = lesson.scenario.output
    tangents: dict[str, float] = {n.key: 0.0 for n in lesson.nodes if graph.node(n.key).is_leaf}
    tangents[leaf] = 1.0
    frames: list[Frame] = []
    explanations: list[tuple[Line, ...]] = []
    all_computed = frozenset(keys)
    leaves_count = len(graph.leaves)

    def frame(current: str | None, edge_values: dict[ViewEdge, float]) -> Frame:
        tangents_so_far = Frame(
            values, dict(tangents), {}, edge_values, None, frozenset(), all_computed, frozenset(tangents),
            grad_mark=TANGENT_MARK,
        )
        return lesson.focus(tangents_so_far, current)

    frames.append(frame(leaf, {}))
    explanations.append(
        (
            [(_("Forward mode "), "title"), (_("with respect to {leaf}").format(leaf=leaf), "name")],
            phrase(_("Seed: {seed}, every other leaf 0. Each node's tangent is the sum over its inputs of local "
                     "derivative × the input's tangent."), seed=(f"{tangent(leaf, leaf)} = 1", "grad")),
            [(_("Notation: "), "dim"),
             *phrase(_("{tangent}, marked {mark} on the graph, is a tangent: how fast z moves when only {leaf} moves, "
                       "pushed forward left to right. Reverse mode's gradients are written ∂ and pulled back from the "
                       "output."), "dim", tangent=(tangent("z", leaf), "grad"), mark=TANGENT_MARK, leaf=leaf)],
        )
    )
    edge_tangents: dict[ViewEdge, float] = {}
    for step in steps:
        if step.node not in keys:
            continue
        tangents[step.node] = step.tangent
        for edge in lesson.edges_into(step.node):
            if edge.position < len(step.terms):
                edge_tangents[edge] = step.terms[edge.position].product
        terms = [t for t in step.terms if not graph.is_constant(t.input)]
        moving = [t for t in terms if t.input_tangent != 0]
        # Inputs whose tangent is 0 add nothing: say so once rather than write "×0" for each.
        working = " + ".join(f"{operand(t.local)}×{operand(t.input_tangent)}" for t in moving) or "0"
        if moving and len(moving) < len(terms):
            working += _("  (other inputs: tangent 0)")
        explanations.append(
            (
                [(_("Forward mode "), "title"),
                 (_("{k} of {n}").format(k=len(frames), n=len([s for s in steps if s.node in keys])), "dim")],
                [(tangent(step.node, leaf), "grad"), (_(" = Σ local × input tangent = "), ""), (working, "value"),
                 (" = ", ""), (fmt(step.tangent), "grad")],
            )
            + (([(_("Warning: "), "warn"), (engine_words.shown(step.warning), "warn")],) if step.warning else ())
        )
        frames.append(frame(step.node, dict(edge_tangents)))
    final = tangents.get(out, 0.0)
    reverse = lesson.trace.grad(leaf)
    explanations[-1] = explanations[-1] + (
        [(_("Done: "), "title"), (f"{tangent(out, leaf)} = {fmt(final)}", "grad"),
         (_(" (reverse mode gave {gradient}: the same number, found the other way).").format(
             gradient=f"∂{out}/∂{leaf} = {fmt(reverse)}"), "")],
        [(_passes_note(leaves_count), "note")],
    )
    return TangentWalk(leaf, tuple(frames), tuple(explanations), language())


def _passes_note(leaves: int) -> str:
    """Forward against reverse mode, counted in passes (one leaf needs no comparison of counts)."""
    if leaves == 1:
        return _("Forward mode gave the one input's derivative in this pass; with one input, reverse mode "
                 "needs one backward pass too. With more inputs, forward mode needs a pass for each.")
    return _("Forward mode gave one input's derivative in this pass; reverse mode gave all {count} "
             "in one backward pass. For every input, forward mode needs {count} passes here.").format(count=leaves)


class ForwardMode(Mode):
    """Walks the tangent of the selected leaf (the first leaf if none is selected).

    Without any leaf there is nothing to walk, and the lesson's steps are shown.
    """

    name = "forward"
    title = N_("forward mode")
    key = "3"
    description = N_("Forward mode")
    tooltip = N_("Forward mode: push d(node)/d(selected leaf) left to right")
    label = N_("forward mode")
    own_steps = True

    def __init__(self, place) -> None:  # noqa: ANN001 - Place
        super().__init__(place)
        self.walk: TangentWalk | None = None
        self.index = 0
        """Position in the walk: 0 is the seed."""

    def rebuild(self) -> None:
        leaf = self.place.leaf()
        if leaf:
            self.walk = tangent_walk(self.lesson, leaf)
            self.index = 0

    def selection_changed(self) -> None:
        if self.place.selected in self.scenario.leaves:
            self.rebuild()

    def _walk_to(self, j: int) -> Move:
        assert self.walk is not None
        if not 0 <= j < len(self.walk):
            return Move.REFUSED
        self.index = j
        return Move.SHOW

    def can_step(self, delta: int) -> bool:
        if self.walk is None:
            return super().can_step(delta)
        return 0 <= self.index + delta < len(self.walk)

    def next(self) -> Move:
        return self._walk_to(self.index + 1) if self.walk is not None else super().next()

    def previous(self) -> Move:
        return self._walk_to(self.index - 1) if self.walk is not None else super().previous()

    def start(self) -> Move:
        return self._walk_to(0) if self.walk is not None else super().start()

    def end(self) -> Move:
        return self._walk_to(len(self.walk) - 1) if self.walk is not None else super().end()

    def view(self) -> View:
        if self.walk is None:
            return super().view()
        if self.walk.language != language():  # its words made in another language: made again, in place
            self.walk = tangent_walk(self.lesson, self.walk.leaf)
        j = max(0, min(self.index, len(self.walk) - 1))
        return View(self.walk.frames[j], list(self.walk.explanations[j]))

    def progress(self) -> ModeProgress | None:
        if self.walk is None:
            return None
        last = len(self.walk) - 1
        return ModeProgress(_("FORWARD MODE"), _("{tangent}: {k} of {n}").format(
            tangent=tangent(_("node"), self.walk.leaf), k=self.index, n=last), self.index, last)
