"""The key bars at the bottom of the screens.

``KeyBar`` (the lesson screen) draws every key in one widget. ``Footer``
(the picker and the error screen) is Textual's Footer, rebuilt once per
refresh however many times the bindings change before it, and not at all
when the keys it would show are the ones it shows: Textual's schedules one
rebuild of all its keys for each change of bindings.

Both show each key's description and tooltip translated (``tutor.i18n``):
a ``Binding`` is made at import, so it holds the English words.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter

from tutor.i18n import N_, _, language
from tutor.ui.textual_patches import FooterKey

_DIM = Style(dim=True)

TEXTUAL_KEYS = (N_("palette"), N_("Open the command palette"))
"""The words of Textual's own command palette key (Ctrl+P), for the catalogue: the footer shows them translated."""


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
        return language(), palette, tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, binding.group,
             enabled, tooltip)
            for _node, binding, enabled, tooltip in active.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        self._composed = self._shown() if self._bindings_ready else None
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
                if widget.tooltip:
                    widget.tooltip = _(str(widget.tooltip))
                if self.compact:
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


class KeyBar(Widget, can_focus=False):
    """The lesson screen's keys: Textual's compact Footer (no palette key), drawn as one widget.

    It looks and works as that Footer does (each key bold in the key colour, its
    label after it, a disabled key dim, the key under the mouse highlighted,
    a click presses the key, the key's tooltip on hover), but it is one widget
    instead of one per key: a lesson's first frame mounts, styles and lays out
    a dozen fewer widgets, and a change of keys repaints one line instead of
    rebuilding the keys.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--item", "key-bar--key", "key-bar--description", "key-bar--hover"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .key-bar--item { background: $footer-item-background; }
        & > .key-bar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--hover { color: $footer-key-foreground; background: $block-hover-background; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._keys: tuple[tuple[str, str, str, bool, str], ...] | None = None
        """(key, as shown, label, enabled, tooltip) per key shown; None until read from the bindings."""
        self._spans: list[tuple[int, int]] = []
        """The cells each key covers, as drawn last."""
        self._hover: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._keys = None  # read again at the next paint: many changes in one frame cost one read
            self.refresh()

    def keys(self) -> tuple[tuple[str, str, str, bool, str], ...]:
        """(key, as shown, label, enabled, tooltip) of each key shown, in the bindings' order.

        As Textual's Footer: bindings marked ``show``, the first binding of each action.
        """
        if self._keys is None:
            app, seen, out = self.app, set(), []
            try:
                active = self.screen.active_bindings
            except NoScreen:
                return ()
            # In the order the screen lists its keys, whichever widget has the focus (a table's own arrow keys
            # would otherwise put ← before →).
            order = {binding.action: i for i, binding in enumerate(getattr(self.screen, "BINDINGS", ()))}
            for _node, binding, enabled, tooltip in active.values():
                if binding.show and binding.action not in seen:
                    seen.add(binding.action)
                    out.append((order.get(binding.action, len(order)), binding.key, app.get_key_display(binding),
                                _(binding.description), enabled, _(tooltip or binding.tooltip)))
            out.sort(key=lambda item: item[0])
            self._keys = tuple(item[1:] for item in out)
        return self._keys

    def render(self) -> Text:
        item = self.get_component_rich_style("key-bar--item")
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        hover = self.get_component_rich_style("key-bar--hover")
        base = self.rich_style
        text = Text(no_wrap=True, overflow="crop", end="")
        spans = []
        for index, (_key, shown, description, enabled, _tooltip) in enumerate(self.keys()):
            if index:
                text.append(" ", base)  # the gap between keys
            start = text.cell_len
            own = item + _DIM if not enabled else item
            part = Text.assemble((shown, key_style), (" " + description, description_style) if description else "")
            part.stylize_before(base + own)
            if index == self._hover:
                part.stylize(Style(bgcolor=hover.bgcolor))  # as Footer's key:hover, whose parts show its background
            text.append_text(part)
            spans.append((start, text.cell_len))
        self._spans = spans
        return text

    def _key_at(self, x: int) -> int | None:
        return next((i for i, (start, end) in enumerate(self._spans) if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._key_at(event.x)
        if index != self._hover:
            self._hover = index
            keys = self.keys()
            self.tooltip = keys[index][4] or None if index is not None and index < len(keys) else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._key_at(event.x)
        keys = self.keys()
        if index is None or index >= len(keys):
            return
        key, _shown, _description, enabled, _tooltip = keys[index]
        if enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
