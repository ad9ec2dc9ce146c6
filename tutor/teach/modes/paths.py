"""Paths: every route from the selected leaf to the output, and their sum."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine import analysis, groups  # deferred (tutor.startup): opening a lesson needs no mode's arithmetic
from tutor.engine.numbers import fmt, operand, signed_sum
from tutor.teach import engine_words
from tutor.teach.lesson import Lesson, ViewEdge
from tutor.teach.lesson.phrase import phrase
from tutor.teach.text import Line
from tutor.i18n import N_, _, ngettext
from tutor.teach.modes.base import Mode, ModeProgress, Move, View

if TYPE_CHECKING:
    from tutor.engine.analysis import Route

ROUTE_LIMIT = 200
"""More routes than this are counted, not listed."""


def route_highlight(lesson: Lesson, route: Route) -> tuple[frozenset[str], frozenset[ViewEdge]]:
    """The view's boxes and edges along one route (group boxes in the collapsed view)."""
    keys = {n.key for n in lesson.nodes}
    graph = lesson.graph
    shown: list[str] = []
    for name in route.nodes:
        key = name if name in keys else graph.node(name).group
        if key in keys and (not shown or shown[-1] != key):
            shown.append(key)
    edges: set[ViewEdge] = set()
    for a, b in zip(shown, shown[1:]):
        for edge in lesson.edges_into(b):
            if edge.source == a:
                edges.add(edge)
    return frozenset(shown), frozenset(edges)


def explain_routes(lesson: Lesson, leaf: str, found: tuple[Route, ...], error: str, selected: int) -> list[Line]:
    """Each route with its edge derivatives and product; their sum beside backprop's gradient."""
    out = lesson.scenario.output
    if error:
        return [[(_("Paths "), "title"), (_("from {leaf}").format(leaf=leaf), "name")],
                [(engine_words.shown(error), "warn")]]
    total, trouble = analysis.path_sum(found)
    summed = signed_sum([r.product for r in found]) if len(found) > 1 else ""
    # The sum first: it is the step's answer, and a short panel shows its first lines.
    lines: list[Line] = [
        [(_("Paths "), "title"), (_("from {leaf} to {output}: ").format(leaf=leaf, output=out), "name"),
         (ngettext("{count} path; each is the product of its edge derivatives. ← → choose a path.",
                   "{count} paths; each is the product of its edge derivatives. ← → choose a path.",
                   len(found)).format(count=len(found)), "dim")],
        [(_("Sum over paths: "), ""), (summed, "grad"), (" = " if summed else "", ""),
         (fmt(total), "grad"), (_("   backprop's {gradient} = ").format(gradient=f"∂{out}/∂{leaf}"), ""),
         (fmt(lesson.trace.grad(leaf)), "grad")],
    ]
    if trouble:  # +inf meeting -inf: nan, said plainly
        lines.append([(_("Warning: "), "warn"), (engine_words.shown(trouble), "warn")])
    for i, route in enumerate(found):
        names = " → ".join(lesson.title_of(n) for n in route.nodes)
        factors = " · ".join(operand(x) for x in route.locals) or "1"
        mark = "▶ " if i == selected else "  "
        line: Line = [(mark, "title"), (names, "name" if i == selected else ""), ("   ", "")]
        if lesson.groups is not None and route.formulas:
            # The groups view names each factor: w11 · h1(1 − h1) · v1 · 1 · err = numbers.
            line += [(" · ".join(route.formulas), "formula"), (" = ", "")]
        if len(route.locals) == 1:  # one factor: its number is the product, said once
            lines.append(line + [(fmt(route.product), "grad")])
        else:
            lines.append(line + [(factors, "value"), (" = ", ""), (fmt(route.product), "grad")])
    return lines


class PathsMode(Mode):
    """← → choose a route; the chosen one is highlighted on the graph.

    Without any leaf there is nothing to list, and the lesson's steps are shown.
    """

    name = "paths"
    title = N_("paths")
    key = "4"
    description = N_("Paths")
    tooltip = N_("Paths: every path from the selected leaf to the output, and their sum")
    label = N_("paths")
    own_steps = True

    def __init__(self, place) -> None:  # noqa: ANN001 - Place
        super().__init__(place)
        self.leaf: str | None = None
        self.routes: tuple[Route, ...] = ()
        self.error = ""
        """Set instead of ``routes`` when there are too many to list."""
        self.index = 0

    def rebuild(self) -> None:
        leaf = self.place.leaf()
        if not leaf:
            return
        self.leaf, self.index = leaf, 0
        lesson = self.lesson
        try:
            if lesson.groups is not None:  # through the boxes on screen, with group-level local derivatives
                found = groups.group_paths(lesson.graph, lesson.groups, leaf, ROUTE_LIMIT)
            else:
                found = analysis.paths(lesson.graph, lesson.trace, leaf, ROUTE_LIMIT)
            self.routes, self.error = tuple(found), ""
        except analysis.TooManyPaths as exc:
            self.routes, self.error = (), str(exc)

    def selection_changed(self) -> None:
        if self.place.selected in self.scenario.leaves:
            self.rebuild()

    def _route_to(self, i: int) -> Move:
        if self.routes:
            self.index = i % len(self.routes)
        return Move.SHOW_IN_PLACE

    def can_step(self, delta: int) -> bool:
        if not self.leaf:
            return super().can_step(delta)
        return len(self.routes) > 1  # the paths go round

    def next(self) -> Move:
        return self._route_to(self.index + 1) if self.leaf else super().next()

    def previous(self) -> Move:
        return self._route_to(self.index - 1) if self.leaf else super().previous()

    def view(self) -> View:
        if not self.leaf:
            return super().view()
        lesson = self.lesson
        frame = self.final_frame()
        lines = explain_routes(lesson, self.leaf, self.routes, self.error, self.index)
        selected = self.place.selected
        if selected and selected not in self.scenario.leaves:  # a Tab that picked no leaf still says something
            lines.insert(1, phrase(_("Paths start at an input or param; {node} is a node. Tab on to a leaf."), "dim",
                                   node=(lesson.title_of(selected), "name")))
        if self.routes:
            nodes, edges = route_highlight(lesson, self.routes[self.index % len(self.routes)])
            first = len(lines) - len(self.routes)
            return View(frame, lines, nodes, edges, focus_line=first + self.index % len(self.routes))
        return View(frame, lines)

    def progress(self) -> ModeProgress | None:
        if not self.leaf:
            return None
        count = len(self.routes)
        where = _("path {k} of {n}").format(k=self.index + 1, n=count) if count else _("too many paths to list")
        return ModeProgress(_("PATHS"), _("from {leaf}: {where}").format(leaf=self.leaf, where=where),
                            self.index + 1, count)
