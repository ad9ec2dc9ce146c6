"""The patches of Textual's private names: each name still there, each patch in place, and what the patches do."""

from __future__ import annotations

import itertools

import pytest
import textual.css.stylesheet as stylesheet_module
from textual.command import CommandPalette
from rich.segment import Segment
from rich.style import Style
from textual.css.stylesheet import Stylesheet
from textual.strip import Strip
from textual.widgets import OptionList

from tutor.ui import textual_patches

SOURCES = itertools.count()


def test_every_private_name_is_still_in_the_installed_textual():
    gone = [f"{getattr(owner, '__name__', owner)}.{name}" for owner, name in textual_patches.PRIVATE_NAMES
            if not hasattr(owner, name)]
    assert not gone, f"Textual no longer has {', '.join(gone)}: see tutor/ui/textual_patches.py"


def test_every_private_attribute_is_still_set_on_a_new_instance():
    gone = [f"{owner.__name__}().{name}" for owner, name in textual_patches.PRIVATE_ATTRIBUTES
            if not hasattr(owner(), name)]
    assert not gone, f"Textual no longer sets {', '.join(gone)}: see tutor/ui/textual_patches.py"


def test_every_patch_is_in_place_once_applied():
    textual_patches.apply()
    once = Stylesheet._parse_rules
    textual_patches.apply()
    assert Stylesheet._parse_rules is once  # applying again changes nothing
    patched = {
        "CommandPalette._watch__list_visible": CommandPalette._watch__list_visible,
        "CommandPalette.dismiss": CommandPalette.dismiss,
        "OptionList._move_page": OptionList._move_page,
        "Stylesheet._parse_rules": Stylesheet._parse_rules,
        "Strip.__init__": Strip.__init__,
    }
    missing = [name for name, function in patched.items() if not getattr(function, "guarded", False)]
    assert not missing, f"not patched: {', '.join(missing)}"


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The CSS texts Textual parses from now on."""
    textual_patches.apply()
    parsed: list[str] = []
    parse = stylesheet_module.parse

    def counting(scope, css, *args, **kwargs):
        parsed.append(css)
        return parse(scope, css, *args, **kwargs)

    monkeypatch.setattr(stylesheet_module, "parse", counting)
    return parsed


def _rules(css: str, source: tuple[str, str], colour: str) -> list[str]:
    sheet = Stylesheet(variables={"tutor-test-colour": colour})
    sheet.add_source(css, read_from=source)
    sheet.parse()
    return [rule.css for rule in sheet.rules]


def test_stylesheets_with_the_same_variables_parse_a_source_once(parses):
    css = "Label { color: $tutor-test-colour; width: 3; }"
    source = ("test_textual_patches", str(next(SOURCES)))
    first = _rules(css, source, "red")
    again = _rules(css, source, "red")
    assert parses == [css]
    assert again == first and "#FF0000" in first[0]


def test_other_variables_parse_the_source_again(parses):
    css = "Label { color: $tutor-test-colour; }"
    source = ("test_textual_patches", str(next(SOURCES)))
    red, blue = _rules(css, source, "red"), _rules(css, source, "blue")
    assert parses == [css, css]
    assert "#FF0000" in red[0] and "#0000FF" in blue[0]


def test_only_the_latest_sets_of_variables_are_kept(parses):
    css = "Label { color: $tutor-test-colour; }"
    source = ("test_textual_patches", str(next(SOURCES)))
    colours = [f"#0000{k:02x}" for k in range(textual_patches.KEPT_THEMES + 1)]
    for colour in colours:
        _rules(css, source, colour)
    _rules(css, source, colours[-1])  # still kept
    assert len(parses) == len(colours)
    _rules(css, source, colours[0])  # the oldest was let go
    assert len(parses) == len(colours) + 1


def test_the_installed_textuals_strips_make_the_caches_the_patch_expects():
    caches = textual_patches.strip_caches()
    assert caches is not None, "Textual's Strip holds more than its caches: see tutor/ui/textual_patches.py"
    assert caches["_crop_cache"] == 16 and len(caches) >= 5


def _made(strip: Strip, cache: str) -> bool:
    try:
        Strip.__dict__[cache].__get__(strip)  # the slot itself, without the patch's __getattr__
    except AttributeError:
        return False
    return True


def test_a_strips_caches_are_made_when_first_used_and_then_work_as_textuals():
    textual_patches.apply()
    caches = textual_patches.strip_caches()
    strip = Strip([Segment("hello "), Segment("world", Style(bold=True))], 11)
    assert not any(_made(strip, name) for name in caches)  # a new strip makes none
    cropped = strip.crop(0, 5)
    assert cropped.text == "hello" and strip.crop(0, 5) is cropped  # the crop cache, made and used
    assert _made(strip, "_crop_cache") and not _made(strip, "_style_cache")
    assert strip._crop_cache._maxsize == caches["_crop_cache"]
    assert [part.text for part in strip.divide([3, 11])] == ["hel", "lo world"]
    styled = strip.apply_style(Style(italic=True))
    assert styled.text == "hello world" and all(segment.style.italic for segment in styled)
    assert strip.cell_length == 11 and strip.extend_cell_length(13).cell_length == 13
    assert Strip.join([strip, cropped]).text == "hello worldhello"
    with pytest.raises(AttributeError):
        strip.not_a_cache  # noqa: B018 - any other missing name is missing, as before
