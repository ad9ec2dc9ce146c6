"""Numeric check: backprop's gradient of every leaf beside its central difference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine import analysis  # deferred (tutor.startup): opening a lesson needs no mode's arithmetic
from tutor.engine.numbers import fmt
from tutor.i18n import N_, _, ngettext
from tutor.teach.text import Line
from tutor.teach.modes.base import Mode, ModeProgress, View, Widget

if TYPE_CHECKING:
    from tutor.engine.analysis import NumericRow

CHECK_COLUMNS = (N_("leaf"), N_("backprop"), N_("central difference"), N_("relative error"), N_("step h"))
"""The table's column titles (translated where the table is made)."""


def check_lines(rows: list[NumericRow]) -> list[Line]:
    """What the check shows, and why backprop is still the way to get gradients."""
    worst = max((r.relative_error for r in rows), default=0.0)
    return [
        [(_("Numeric check "), "title"),
         (_("{formula} for every leaf, beside backprop.").format(formula="(f(x+h) − f(x−h)) / 2h"), "")],
        [(_("Worst relative error "), ""), (f"{worst:.1e}", "good" if worst < 1e-5 else "bad"),
         (_("  Finite differences need 2 forward passes per input and are approximate; backprop is exact "
            "and needs one backward pass. They stay useful as a check."), "dim")],
    ]


class CheckMode(Mode):
    """A table row per leaf; the graph shows the end of the backward pass."""

    name = "check"
    title = N_("numeric check")
    key = "5"
    description = N_("Numeric check")
    tooltip = N_("Numeric check: backprop against central differences for every leaf")
    widget = Widget("table", "check-table")

    def __init__(self, place) -> None:  # noqa: ANN001 - Place
        super().__init__(place)
        self.rows: list[NumericRow] = []

    def rebuild(self) -> None:
        # Central differences cost two forward passes per leaf: once per
        # mode or value change, shared by the table and the panel.
        lesson = self.lesson
        self.rows = analysis.numeric_check(lesson.graph, lesson.trace, lesson.overrides)
        self.revision += 1

    def view(self) -> View:
        return View(self.final_frame(), check_lines(self.rows))

    def progress(self) -> ModeProgress:
        count = len(self.scenario.leaves)
        return ModeProgress(_("NUMERIC CHECK"), ngettext(
            "{count} leaf, central differences", "{count} leaves, central differences", count).format(count=count))

    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        return tuple(_(column) for column in CHECK_COLUMNS), [
            (row.leaf, fmt(row.backprop), fmt(row.numeric), f"{row.relative_error:.1e}", f"{row.step:.0e}")
            for row in self.rows
        ]
