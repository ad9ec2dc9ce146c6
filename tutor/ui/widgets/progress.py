"""Phase, step k of N, and a compact timeline of the whole walk.

The line is one row, cropped at the window's edge; its words are translated
here (a mode's own progress line comes translated from the mode).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.i18n import N_, _
from tutor.teach.lesson import Lesson, views_of

FORWARD_MARK = "▸"
BACKWARD_MARK = "◂"
PHASES = {"start": N_("START"), "forward": N_("FORWARD →"), "backward": N_("← BACKWARD")}
VIEWS = {"expanded": N_("expanded"), "groups": N_("groups"), "neurons": N_("neurons")}
"""The views' names as the progress line says them."""
DENSITIES = {"boxes": N_("boxes"), "compact": N_("compact"), "line": N_("line"), "names": N_("names")}
"""The graph's drawing densities' names as the progress line says them."""


def timeline(lesson: Lesson, k: int, width: int) -> Text:
    """One mark per step (squeezed to ``width``): forward ▸, backward ◂, here █."""
    total = len(lesson)
    width = max(10, width)
    scale = max(1.0, total / width)
    cells = int(total / scale)
    text = Text()
    here = int(k / scale)
    for c in range(cells):
        step = int(c * scale)
        phase = lesson.position(step).phase
        mark = "●" if phase == "start" else FORWARD_MARK if phase == "forward" else BACKWARD_MARK
        if c == here:
            text.append("█", "bold reverse")
        elif c < here:
            text.append(mark, "bold")
        else:
            text.append(mark, "dim")
    return text


class Progress(Static):
    """Which phase, which step, and where that is in the whole walk."""

    _text: Text | None = None

    def _update(self, text: Text) -> None:
        """Show ``text`` unless it is what is shown (the line is asked again after each refit)."""
        if text != self._text:
            self._text = text
            self.update(text, layout=False)

    def show_mode(self, label: str, detail: str, done: int = 0, total: int = 0) -> None:
        """A mode's own progress: its name, where it is, and a bar if it has steps."""
        text = Text()
        text.append(f" {label} ", "bold reverse")
        text.append(f"  {detail}  ")
        if total:
            room = max(10, (self.size.width or 80) - text.cell_len - 2)
            filled = round(room * done / total)
            text.append("█" * filled, "bold")
            text.append("░" * (room - filled), "dim")
        self._update(text)

    def show(self, lesson: Lesson, k: int, mode: str = "", density: str = "") -> None:
        """Phase, step k of N, mode, view (and the graph's density), then the timeline."""
        pos = lesson.position(k)
        text = Text()
        text.append(f" {_(PHASES[pos.phase])} ", "bold reverse")
        text.append("  " + _("step {k} of {n}").format(k=k, n=lesson.last) + "  ")
        if mode:
            text.append(f"[{_(mode)}]  ", "bold")
        view = _(VIEWS.get(lesson.view, lesson.view))
        shown_density = _(DENSITIES.get(density, density))
        if len(views_of(lesson.scenario)) > 1:  # the view is named when the view key can change it
            if density:
                text.append(_("{view} view · {density}").format(view=view, density=shown_density) + "  ", "dim")
            else:
                text.append(_("{view} view").format(view=view) + "  ", "dim")
        elif density:
            text.append(_("{density} drawing").format(density=shown_density) + "  ", "dim")
        room = max(10, (self.size.width or 80) - text.cell_len - 2)
        text.append_text(timeline(lesson, k, room))
        self._update(text)
