"""Textual's Footer, rebuilt once per refresh however many times the bindings change before it.

Opening a lesson changes the bindings several times before the first frame
(the screen resumes, the graph takes focus, ...). Textual's Footer schedules
one rebuild of all its keys for each change; this one schedules at most one
at a time, which rebuilds from the bindings as they are by then: the same
keys, a third of the work.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """The key bar at the bottom of the screen."""

    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
