"""Reloading a scenario file when it changes (``--watch``)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.widgets import Static

from tutor.teach.lesson import Lesson
from tutor.scenario import Scenario, ScenarioError, load


async def load_in_thread(path: str | Path) -> Scenario | ScenarioError:
    """Load ``path`` in a worker thread: a big file or a slow disk never freezes the screen."""
    try:
        return await asyncio.to_thread(load, path)
    except ScenarioError as error:
        return error


class FileStamp:
    """Modification time and size of a file, to notice that it changed."""

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


class WatchMixin:
    """Keeps the last good graph on screen while the file is invalid."""


    _loading = False

    async def check_file(self) -> None:
        """Reload the watched file when it changes; keep the last good graph on errors.

        The file is read in a worker thread; a change seen while a load is
        under way is picked up by the next tick.
        """
        if self._loading or not self.stamp.changed():
            return
        self._loading = True
        try:
            loaded = await load_in_thread(self.watch_path)
        finally:
            self._loading = False
        if self.is_attached:
            self.reload(loaded)

    def reload(self, loaded: Scenario | ScenarioError | None = None) -> None:
        if loaded is None:
            try:
                loaded = load(self.watch_path)
            except ScenarioError as error:
                loaded = error
        if isinstance(loaded, ScenarioError):
            error = loaded
            banner = self.part("watch-error")
            banner.update(error.report() + "\n(showing the last version that loaded; fix the file and save)")
            banner.display = True
            return
        scenario = loaded
        if self.has_part("watch-error"):
            self.part("watch-error").display = False
        old = self.lesson
        step = old.step(self.k)
        phase = old.position(self.k).phase
        overrides = {n: v for n, v in old.overrides.items() if n in scenario.leaves}
        lesson = Lesson(scenario, overrides, old.view if scenario.view is None else scenario.view)
        k = 0
        if step is not None:
            found = lesson.index_of(phase, step.node)
            k = found if found is not None else min(self.k, lesson.last)
        self.scenario = scenario
        if self.selected and self.selected not in {n.key for n in lesson.nodes}:
            self.selected = None
        self.query_one("#title", Static).update(self._title())
        self.use_lesson(lesson)
        self._rebuild_mode()
        self.go(k)
