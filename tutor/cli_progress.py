"""A one-line progress bar on stderr for long command-line runs (``train``)."""

from __future__ import annotations

import sys


class ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal and the run is long."""

    def __init__(self, total: int, label: str, clock=None) -> None:
        import time

        self.total = total
        self.label = label
        self.clock = clock or time.monotonic
        self.start = self.clock()
        self.last = 0.0
        self.enabled = total > 0 and sys.stderr.isatty()
        self.shown = False

    def update(self, done: int, loss: float) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.last < 0.1 or (not self.shown and now - self.start < 0.5):
            return
        self.last = now
        self.shown = True
        from tutor.engine.numbers import fmt

        fraction = done / self.total
        filled = int(fraction * 30)
        rate = done / max(now - self.start, 1e-9)
        left = (self.total - done) / rate if rate > 0 else 0.0
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{self.total:,} "
            f"{fraction:4.0%}  loss {fmt(loss, 4)}  {left:4.0f} s left \x1b[K"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
