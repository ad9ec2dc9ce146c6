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


def files_of(loaded: Scenario | ScenarioError | None) -> tuple[str, ...]:
    """The files a load read or tried to read (the scenario file, its data CSV)."""
    return tuple(getattr(loaded, "files", ()) or ())


class FileWatch:
    """Loads ``path`` again once per change, while the screen is mounted, and hands
    ``on_change`` the scenario or the error.

    Every file the last load read or tried to read is watched: the scenario
    file and its data CSV (``loaded``: the first load's scenario or error).
    With no path it does nothing, so screens can hold one unconditionally.
    """

    def __init__(
        self, path: str | None, on_change: Callable[[Scenario | ScenarioError], None],
        loaded: Scenario | ScenarioError | None = None,
    ) -> None:
        self.path = path
        self.stamp = FileStamp(path)
        self.stamps: dict[str, FileStamp] = {}
        """The other files watched (the data CSV), by path."""
        self.on_change = on_change
        self._timer = None
        self._screen: Screen | None = None
        self._loading = False
        self._follow(loaded)

    @property
    def files(self) -> tuple[str, ...]:
        """Every file watched: the scenario file first."""
        return (self.path, *self.stamps) if self.path else ()

    def _follow(self, loaded: Scenario | ScenarioError | None) -> None:
        """Watch the files ``loaded`` came from; a file watched already keeps its stamp."""
        if not self.path:
            return
        wanted = [f for f in files_of(loaded) if f != self.path]
        self.stamps = {f: self.stamps.get(f) or FileStamp(f) for f in wanted}

    def start(self, screen: Screen) -> None:
        """Poll from ``screen`` (its timers stop with it)."""
        if self.path:
            self._screen = screen
            self._timer = screen.set_interval(POLL_SECONDS, self.check)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def changed(self) -> bool:
        """True once per change on disk of any watched file."""
        changes = [stamp.changed() for stamp in (self.stamp, *self.stamps.values())]  # every stamp moves on
        return any(changes)

    async def check(self) -> None:
        """If a watched file changed since the last look, load the scenario again (off the event
        loop) and call ``on_change``.

        A change seen while a load is under way is picked up by the next tick.
        """
        if self._loading or not self.changed():
            return
        self._loading = True
        try:
            loaded = await load_in_thread(self.path)
        finally:
            self._loading = False
        self._follow(loaded)
        if self._screen is None or self._screen.is_attached:
            self.on_change(loaded)
