"""Step mode: walk the forward pass, then the backward pass, one node at a time."""

from __future__ import annotations

from tutor.teach.selected import selected_lines
from tutor.i18n import N_
from tutor.teach.modes.base import Mode, View


class StepMode(Mode):
    """The lesson's own steps; the selected node's details below them."""

    name = "step"
    title = N_("step")
    key = "1"
    description = N_("Step")
    show_key = True
    """Shown in the footer while another mode runs: the way back (hidden in step mode itself)."""
    tooltip = N_("Step mode: walk forward then backward")

    def view(self) -> View:
        place = self.place
        frame = self.lesson.frame(place.k)
        lines = self.lesson.explain(place.k)
        compact = self.lesson.explain_compact(place.k)
        if place.selected:
            selected = selected_lines(self.lesson, place.selected, frame, place.k)
            if place.selection_first:  # just selected: its details where the eye is, above the step's words
                lines, compact = selected + lines, selected + compact
            else:
                lines, compact = lines + selected, compact + selected
        return View(frame, lines, compact=compact)
