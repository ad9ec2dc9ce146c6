"""Polling a scenario file for changes (``--watch``), shared by the lesson and error screens.

The file is loaded in a worker thread, so a big file, a slow disk, or a file
replaced by a FIFO or a directory never freezes the screen.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Callable

from textual.screen import Screen

from tutor.scenario import Scenario, ScenarioError, load

POLL_SECONDS = 0.3


async def load_in_thread(path: str | Path) -> Scenario | ScenarioError:
    """Load ``path`` in a worker thread; a problem comes back as the ScenarioError."""
    try:
        return await asyncio.to_thread(load, path)
    except ScenarioError as error:
        return error


class FileStamp:
    """Identity, type, modification time and size of a file, to notice that it changed."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.last = self.read()

    def read(self) -> tuple[int, ...] | None:
        if not self.path:
            return None
        try:
            stat = os.stat(self.path)
        except (OSError, ValueError):
            return None
        # The inode and mode too: a file replaced atomically, or by a directory
        # or a FIFO, counts as a change even with the same time and size.
        return (stat.st_ino, stat.st_mode, stat.st_mtime_ns, stat.st_size)

    def changed(self) -> bool:
        """True once per change on disk."""
        now = self.read()
        if now == self.last:
            return False
        self.last = now
        return True


class FileWatch:
    """Loads ``path`` again once per change, while the screen is mounted, and hands
    ``on_change`` the scenario or the error.

    With no path it does nothing, so screens can hold one unconditionally.
    """

    def __init__(self, path: str | None, on_change: Callable[[Scenario | ScenarioError], None]) -> None:
        self.path = path
        self.stamp = FileStamp(path)
        self.on_change = on_change
        self._timer = None
        self._screen: Screen | None = None
        self._loading = False

    def start(self, screen: Screen) -> None:
        """Poll from ``screen`` (its timers stop with it)."""
        if self.path:
            self._screen = screen
            self._timer = screen.set_interval(POLL_SECONDS, self.check)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    async def check(self) -> None:
        """If the file changed since the last look, load it (off the event loop) and call ``on_change``.

        A change seen while a load is under way is picked up by the next tick.
        """
        if self._loading or not self.stamp.changed():
            return
        self._loading = True
        try:
            loaded = await load_in_thread(self.path)
        finally:
            self._loading = False
        if self._screen is None or self._screen.is_attached:
            self.on_change(loaded)
