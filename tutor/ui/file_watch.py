"""Polling a scenario file for changes (``--watch``), shared by the lesson and error screens."""

from __future__ import annotations

import os
from typing import Callable

from textual.screen import Screen

POLL_SECONDS = 0.3


class FileStamp:
    """Modification time and size of a file, to notice that it changed."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.last = self.read()

    def read(self) -> tuple[int, int] | None:
        if not self.path:
            return None
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def changed(self) -> bool:
        """True once per change on disk."""
        now = self.read()
        if now == self.last:
            return False
        self.last = now
        return True


class FileWatch:
    """Calls ``on_change`` once per change of ``path`` while the screen is mounted.

    With no path it does nothing, so screens can hold one unconditionally.
    """

    def __init__(self, path: str | None, on_change: Callable[[], None]) -> None:
        self.path = path
        self.stamp = FileStamp(path)
        self.on_change = on_change
        self._timer = None

    def start(self, screen: Screen) -> None:
        """Poll from ``screen`` (its timers stop with it)."""
        if self.path:
            self._timer = screen.set_interval(POLL_SECONDS, self.check)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def check(self) -> None:
        """Call ``on_change`` if the file changed since the last look."""
        if self.stamp.changed():
            self.on_change()
