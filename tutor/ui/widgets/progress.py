"""Phase, step k of N, and a compact timeline of the whole walk."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.teach.lesson import Lesson, views_of

FORWARD_MARK = "▸"
BACKWARD_MARK = "◂"


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
        phase = {"start": "START", "forward": "FORWARD →", "backward": "← BACKWARD"}[pos.phase]
        text = Text()
        text.append(f" {phase} ", "bold reverse")
        text.append(f"  step {k} of {lesson.last}  ")
        if mode:
            text.append(f"[{mode}]  ", "bold")
        if len(views_of(lesson.scenario)) > 1:  # the view is named when the view key can change it
            text.append(f"{lesson.view} view{' · ' + density if density else ''}  ", "dim")
        elif density:
            text.append(f"{density} drawing  ", "dim")
        room = max(10, (self.size.width or 80) - text.cell_len - 2)
        text.append_text(timeline(lesson, k, room))
        self._update(text)
