"""Textual's Footer, rebuilt once per refresh however many times the bindings change before it,
and not at all when the keys it would show are the ones it shows.

Opening a lesson changes the bindings several times before the first frame
(the screen resumes, the graph takes focus, ...). Textual's Footer schedules
one rebuild of all its keys for each change; this one schedules at most one
at a time, which rebuilds from the bindings as they are by then, and only if
a key, its label or whether it is enabled differs from what is on screen.
Rebuilding the keys is the dearest part of a lesson's first frame after the
graph itself.
"""

from __future__ import annotations

import sys

from textual.app import ComposeResult
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter

FooterKey = getattr(sys.modules[TextualFooter.__module__], "FooterKey", ())
"""Textual's key widget (not exported by ``textual.widgets``; an empty tuple matches nothing if it moves)."""


class Footer(TextualFooter):
    """The key bar at the bottom of the screen."""

    _rebuild_pending = False
    _composed: tuple | None = None
    """What the keys on screen were built from (see ``_shown``); None before the first build."""

    def _shown(self) -> tuple:
        """Everything Textual's ``compose`` reads to build the keys, as one comparable value."""
        app = self.app
        active = self.screen.active_bindings
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = (binding.key, app.get_key_display(binding), binding.description, binding.action, enabled,
                       binding.tooltip)
        return palette, tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, binding.group,
             enabled, tooltip)
            for _node, binding, enabled, tooltip in active.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        self._composed = self._shown() if self._bindings_ready else None
        for widget in super().compose():
            if self.compact and isinstance(widget, FooterKey):
                # The class its ``compact`` watcher adds on mount: given now, each key is styled once, not twice.
                widget.set_class(True, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            if self._composed is None:
                self.call_next(self._rebuild)  # the first keys: in time for the first frame
            else:
                self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return  # its screen was closed between the change and this rebuild
        try:
            shown = self._shown()
        except NoScreen:
            return
        if self._composed is not None and shown == self._composed:
            return
        await self.recompose()
