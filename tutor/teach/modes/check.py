"""Numeric check: backprop's gradient of every leaf beside its central difference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine import analysis  # deferred (tutor.startup): opening a lesson needs no mode's arithmetic
from tutor.engine.numbers import fmt
from tutor.teach.text import Line
from tutor.teach.modes.base import Mode, ModeProgress, View, Widget

if TYPE_CHECKING:
    from tutor.engine.analysis import NumericRow

CHECK_COLUMNS = ("leaf", "backprop", "central difference", "relative error", "step h")


def check_lines(rows: list[NumericRow]) -> list[Line]:
    """What the check shows, and why backprop is still the way to get gradients."""
    worst = max((r.relative_error for r in rows), default=0.0)
    return [
        [("Numeric check ", "title"), ("(f(x+h) − f(x−h)) / 2h for every leaf, beside backprop.", "")],
        [("Worst relative error ", ""), (f"{worst:.1e}", "good" if worst < 1e-5 else "bad"),
         ("  Finite differences need 2 forward passes per input and are approximate; backprop is exact "
          "and needs one backward pass. They stay useful as a check.", "dim")],
    ]


class CheckMode(Mode):
    """A table row per leaf; the graph shows the end of the backward pass."""

    name = "check"
    title = "numeric check"
    key = "5"
    description = "Numeric check"
    tooltip = "Numeric check: backprop against central differences for every leaf"
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
        return ModeProgress("NUMERIC CHECK", f"{count} {'leaf' if count == 1 else 'leaves'}, central differences")

    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        return CHECK_COLUMNS, [
            (row.leaf, fmt(row.backprop), fmt(row.numeric), f"{row.relative_error:.1e}", f"{row.step:.0e}")
            for row in self.rows
        ]
