"""The progress bar of long command-line runs (``train``), on stderr, drawn by ``rich.progress``.

Drawn at most ten times a second, from the training loop itself (no refresh
thread): a drawing costs about 0.8 ms of CPU, under 1% of a training run's
time; an update between drawings, a fraction of a microsecond.
"""

from __future__ import annotations

import time
from typing import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TaskProgressColumn, TextColumn
from rich.progress import TimeRemainingColumn
from rich.text import Text

from tutor.engine.numbers import fmt
from tutor.i18n import _

DELAY = 0.5
"""Seconds a run goes before its bar shows: a short run prints nothing."""
REFRESH = 0.1
"""Seconds between two drawings of the bar."""


class _Loss(ProgressColumn):
    """The loss after the last step, formatted only when the bar is drawn."""

    def render(self, task: Task) -> Text:
        loss = task.fields.get("loss")
        return Text("" if loss is None else _("loss {loss}").format(loss=fmt(loss, 4)))


class ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal and the run is long; gone when done."""

    def __init__(self, total: int, label: str, clock: Callable[[], float] | None = None,
                 console: Console | None = None) -> None:
        self.clock = clock or time.monotonic
        self.console = console or Console(stderr=True)
        self.enabled = total > 0 and self.console.is_terminal
        self.start = self.clock()
        self.last = self.start
        self.shown = False
        # No refresh thread: the bar is drawn from update(), at most every REFRESH seconds.
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(bar_width=30), MofNCompleteColumn(), TaskProgressColumn(),
            _Loss(), TimeRemainingColumn(), console=self.console, auto_refresh=False, transient=True,
            get_time=self.clock,
        )
        self.task = self.progress.add_task(label, total=total)

    def update(self, done: int, loss: float) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.last < REFRESH or (not self.shown and now - self.start < DELAY):
            return
        self.last = now
        if not self.shown:
            self.shown = True
            self.progress.start()
        self.progress.update(self.task, completed=done, loss=loss, refresh=True)

    def close(self) -> None:
        if self.shown:
            self.progress.stop()
