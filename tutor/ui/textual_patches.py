"""Every use of Textual's private names, in one place, each with the reason for it.

Textual is a young library; the tutor leans on a few of its private names to
fix crashes found by random keys and to make the first frame quick. A
Textual release may rename any of them, so ``PRIVATE_NAMES`` lists each one
(``PRIVATE_ATTRIBUTES`` those Textual sets on each instance) and
``tests/unit/test_textual_patches.py`` fails loudly when one has gone
from the installed Textual (the dependency's upper bound in
``pyproject.toml`` keeps users off releases not yet tried). At run time a
patch whose name has gone is left out, and the app runs as Textual would.

- **The command palette** (``CommandPalette._watch__list_visible``): typing
  and pressing Esc or Enter before its search worker finishes makes the
  worker update a list already removed (``NoMatches: CommandList``) and the
  app exits. The watcher now does nothing once the palette's widgets are gone.
- **The command palette** (``CommandPalette.dismiss``, public but patched):
  an Enter typed ahead could reach a palette already closed by the Enter
  before it, whose command then unwound the screens: it closed the screen in
  front instead, or, with one screen left, raised ``ScreenStackError``. A
  palette no longer in front now closes nothing.
- **Option lists** (``OptionList._move_page``): Page Up / Page Down in an
  option list squeezed to no height (the picker or the palette in a 20x5
  terminal) looks up a line never laid out (``KeyError``). There it moves by
  one option instead.
- **Arrangements** (``Widget._clear_arrangement_cache``): the stage shares its
  rows while Textual arranges it; asking sizes then arranges the screen at
  the sizes before, and Textual would reuse that arrangement for the frame.
- **The footer's key widget** (``textual.widgets._footer.FooterKey``, not
  exported): the picker's and error screen's footer styles each key once,
  not twice, by giving it the compact class before it is mounted.
- **Parsed stylesheets** (``Stylesheet._parse_rules``, reading the
  stylesheet's ``_variables``): every app parsed the tutor's ``.tcss`` and
  every widget's ``DEFAULT_CSS`` anew, though the rules they give depend only
  on the text, where it was read from and the theme's variables. Textual keeps
  them for one stylesheet; here they are kept for the whole process, so a
  lesson forked from ``tutor serve``'s pre-loaded process reuses the rules
  that process parsed (read only, as Textual reuses its own), which saves the
  lesson the parsing's time and the memory it would write. The rules of the
  last few sets of variables (themes) are kept.
- **Strips' caches** (``Strip.__init__``, and the slots it fills with
  ``FIFOCache`` objects): every ``Strip`` (one line of a widget's drawing)
  made seven empty caches when it was made, for seven ways it may later be
  cut, styled or moved, which most strips never are. A lesson's screen keeps
  hundreds of strips, and makes and drops many more per frame: the caches
  were about a third of the memory a lesson adds to what it shares with
  ``tutor serve``'s pre-loaded process. Each cache is now made the first time
  it is used (``Strip.__getattr__``), the same size as Textual makes it. The
  patch learns the caches' names and sizes from a strip made by Textual's own
  ``__init__``, and is left out if that strip holds anything else it does not
  expect.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from rich.segment import Segment
from textual.await_complete import AwaitComplete
from textual.cache import FIFOCache
from textual.command import CommandList, CommandPalette
from textual.css.stylesheet import Stylesheet
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, OptionList

PRIVATE_NAMES: tuple[tuple[object, str], ...] = (
    (CommandPalette, "_watch__list_visible"),
    (OptionList, "_move_page"),
    (OptionList, "_index_to_line"),
    (Widget, "_clear_arrangement_cache"),
    (sys.modules[Footer.__module__], "FooterKey"),
    (Stylesheet, "_parse_rules"),
)
"""Every private name of Textual's the tutor uses: (the class or module, the name)."""

PRIVATE_ATTRIBUTES: tuple[tuple[type, str], ...] = ((Stylesheet, "_variables"),)
"""Private attributes Textual sets on each instance (not the class) that a patch reads: (the class, the name)."""

KEPT_THEMES = 4
"""Parsed stylesheets are kept for this many sets of CSS variables (themes), the latest used."""

FooterKey: type | tuple = getattr(sys.modules[Footer.__module__], "FooterKey", ())
"""Textual's footer key widget (an empty tuple, which ``isinstance`` matches to nothing, if it has gone)."""


def forget_arrangements(widget: Widget) -> None:
    """Make ``widget`` and everything inside it arrange afresh at the next layout."""
    for child in widget.walk_children(with_self=True):
        forget = getattr(child, "_clear_arrangement_cache", None)
        if forget is not None:
            forget()


def _guard_command_palette() -> None:
    watch = getattr(CommandPalette, "_watch__list_visible", None)
    if watch is not None and not getattr(watch, "guarded", False):

        def watch_list_visible(self: CommandPalette) -> None:
            if self.query(CommandList) and self.query("#--input"):
                watch(self)

        watch_list_visible.guarded = True  # type: ignore[attr-defined]
        CommandPalette._watch__list_visible = watch_list_visible  # type: ignore[method-assign]

    dismiss = CommandPalette.dismiss
    if not getattr(dismiss, "guarded", False):

        def dismiss_if_in_front(self: CommandPalette, result: object = None) -> AwaitComplete:
            if self.app.screen is not self:
                return AwaitComplete.nothing()
            return dismiss(self, result)

        dismiss_if_in_front.guarded = True  # type: ignore[attr-defined]
        CommandPalette.dismiss = dismiss_if_in_front  # type: ignore[method-assign]


def _guard_option_list() -> None:
    move_page = getattr(OptionList, "_move_page", None)
    if move_page is not None and not getattr(move_page, "guarded", False):

        def safe_move_page(self: OptionList, direction: int) -> None:
            lines = getattr(self, "_index_to_line", None)
            if lines is not None and (self.highlighted or 0) not in lines:
                (self.action_cursor_up if direction < 0 else self.action_cursor_down)()
                return
            move_page(self, direction)

        safe_move_page.guarded = True  # type: ignore[attr-defined]
        OptionList._move_page = safe_move_page  # type: ignore[method-assign]


class _ParsedRules:
    """The rules parsed from each stylesheet source, per set of CSS variables, for every app of the process."""

    def __init__(self) -> None:
        self._by_variables: dict[tuple, dict[tuple, list]] = {}
        self._last: tuple[object, tuple] = (None, ())

    def for_variables(self, variables: dict[str, str]) -> dict[tuple, list]:
        """The parsed rules for ``variables`` (the latest used kept, ``KEPT_THEMES`` sets at most)."""
        seen, key = self._last
        if seen is not variables:  # one app's stylesheets share one dict of variables: compared once
            key = tuple(sorted(variables.items()))
            self._last = (variables, key)
        rules = self._by_variables.pop(key, None)
        if rules is None:
            rules = {}
            while len(self._by_variables) >= KEPT_THEMES:
                del self._by_variables[next(iter(self._by_variables))]
        self._by_variables[key] = rules  # the latest used goes last
        return rules


def _share_parsed_stylesheets() -> None:
    parse_rules = getattr(Stylesheet, "_parse_rules", None)
    if parse_rules is None or getattr(parse_rules, "guarded", False):
        return
    parsed = _ParsedRules()

    def shared_parse_rules(
        self: Stylesheet, css: str, read_from: tuple, is_default_rules: bool = False, tie_breaker: int = 0,
        scope: str = "",
    ) -> list:
        variables = getattr(self, "_variables", None)
        if not isinstance(variables, dict):
            return parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        known = parsed.for_variables(variables)
        source = (css, read_from, is_default_rules, tie_breaker, scope)
        rules = known.get(source)
        if rules is None:
            rules = known[source] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    shared_parse_rules.guarded = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = shared_parse_rules  # type: ignore[method-assign]


STRIP_ARGUMENTS = ("_segments", "_cell_length")
"""The slots ``Strip.__init__`` fills from its arguments: its segments (as a list) and its length in cells."""


def strip_caches() -> dict[str, int] | None:
    """The caches Textual's ``Strip.__init__`` makes, by slot, with their sizes; None if a strip it makes holds
    anything but those, its arguments and slots left None (then the patch is left out)."""
    made = Strip([], 0)
    caches: dict[str, int] = {}
    for name in Strip.__slots__:
        value = getattr(made, name, None)
        if name in STRIP_ARGUMENTS:
            continue
        if type(value) is FIFOCache and not value and isinstance(getattr(value, "_maxsize", None), int):
            caches[name] = value._maxsize
        elif value is not None:
            return None
    return caches or None


def _lazy_strip_caches() -> None:
    if getattr(Strip.__init__, "guarded", False) or hasattr(Strip, "__getattr__"):
        return
    caches = strip_caches()
    if caches is None:
        return
    unset = tuple(name for name in Strip.__slots__ if name not in caches and name not in STRIP_ARGUMENTS)

    def __init__(self: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:  # noqa: N807
        self._segments = list(segments)
        self._cell_length = cell_length
        for name in unset:
            setattr(self, name, None)

    def __getattr__(self: Strip, name: str) -> FIFOCache:  # noqa: N807 - only for a cache not made yet
        size = caches.get(name)
        if size is None:
            raise AttributeError(f"'Strip' object has no attribute {name!r}")
        cache = FIFOCache(size)
        setattr(self, name, cache)
        return cache

    __init__.guarded = True  # type: ignore[attr-defined]
    Strip.__init__ = __init__  # type: ignore[method-assign]
    Strip.__getattr__ = __getattr__  # type: ignore[attr-defined]


def apply() -> None:
    """Patch Textual's widgets as described above (once; applying again changes nothing)."""
    _guard_command_palette()
    _guard_option_list()
    _share_parsed_stylesheets()
    _lazy_strip_caches()
