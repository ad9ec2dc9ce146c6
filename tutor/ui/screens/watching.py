"""Reloading a scenario file when it changes (``--watch``)."""

from __future__ import annotations

import os

from textual.widgets import Static

from tutor.teach.lesson import Lesson
from tutor.scenario import ScenarioError, load


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


class WatchMixin:
    """Keeps the last good graph on screen while the file is invalid."""


    def check_file(self) -> None:
        """Reload the watched file when it changes; keep the last good graph on errors."""
        if self.stamp.changed():
            self.reload()

    def reload(self) -> None:
        try:
            scenario = load(self.watch_path)
        except ScenarioError as error:
            banner = self.part("watch-error")
            banner.update(error.report() + "\n(showing the last version that loaded; fix the file and save)")
            banner.display = True
            return
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
