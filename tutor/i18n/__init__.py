"""The tutor in several languages: Python's ``gettext``, one catalogue per language.

English is written in the code; every other language is a catalogue,
``tutor/locale/LANG/LC_MESSAGES/tutor.po``, the one file a translator edits.
The wheel ships it compiled (``tutor.mo``, made by ``tutor/locale/build_hook.py``
when a wheel or an editable install is built); a catalogue missing or older than
its ``.po`` is compiled from the ``.po`` when the language is chosen.

Adding a sentence a learner (or a command's user) reads:

1. **Made when it is shown** (inside a function): write it in English inside
   ``_()``, with named placeholders filled afterwards::

       _("Backward {j} of {n}").format(j=j, n=n)

   Never an f-string or ``%`` inside ``_()``: the extractor reads the literal
   text, and a translation may move the placeholders (``{n} 中 {j}``). Numbers,
   names, formulas and notation (∂, δ, Σ, ṫ) go in placeholders, so they stay
   as they are in every language.
2. **Made at import** (a module's constant, a class attribute, a Textual
   ``Binding``'s description or tooltip): mark it with ``N_()``, which returns
   it unchanged, and translate it where it is shown, ``_(mode.title)``.
   A widget that shows such text (the key bar, the help page, the palette)
   calls ``_()`` on it.
3. **A count**: ``ngettext("{n} row", "{n} rows", n).format(n=n)``.
   In a module that imports ``_``, no variable is named ``_`` (``for _ in``
   would hide it), and no message is marked inside an f-string (the
   extractor cannot see it there): a test checks both.
4. **Then** extract, merge and translate (the README's "Languages" says how)::

       pybabel extract -F pyproject.toml -o tutor/locale/tutor.pot tutor
       pybabel update -i tutor/locale/tutor.pot -d tutor/locale -D tutor

   ``tests/unit/test_i18n.py`` fails until every message of the code has a
   translation in every catalogue, with the same placeholders.

Text kept after it is made (a cache of panel lines) must be keyed on
``language()``: switching the language in the app redraws everything.
Words measured or wrapped for the screen are measured in cells and wrapped
with ``tutor.teach.text`` (``cells``, ``wrap``): a kanji takes two cells.
The scenario file's own words (title, description, notes) may be given per
language; ``pick`` chooses the current language's.
"""

from __future__ import annotations

import gettext
import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

SOURCE = "en"
"""The language the code is written in: no catalogue, every message is its own translation."""
LANGUAGES: dict[str, str] = {"en": "English", "ja": "日本語"}
"""Every language the tutor speaks, by code, with its name in itself (a catalogue for each but English)."""
DOMAIN = "tutor"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locale")
"""``tutor/locale``: ``LANG/LC_MESSAGES/tutor.po`` (and ``.mo``, compiled) for each language."""
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""The variables that choose the language when no ``--lang`` does, first set first (as gettext reads them)."""

_code = SOURCE
_translations: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` in the current language (itself in English, or where the catalogue lacks it)."""
    return _translations.gettext(message) if message else message  # gettext("") is the catalogue's header


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Mark ``message`` for the catalogue without translating it (a constant made at import; see rule 2)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of ``singular`` / ``plural`` for ``count``, in the current language."""
    return _translations.ngettext(singular, plural, count)


def listing(items: Iterable[str]) -> str:
    """Items of a list in a sentence, joined as the language joins them (``a, b`` in English, ``a、b`` in Japanese)."""
    # Translators: the separator between the items of a list in a sentence ("via d, via c"; "x1 = 0, x2 = 1").
    return _(", ").join(items)


def language() -> str:
    """The code of the current language (``en``, ``ja``)."""
    return _code


def catalogue_path(code: str, suffix: str = ".mo") -> str:
    """Where language ``code``'s catalogue is: ``.mo`` compiled, ``.po`` as the translator writes it."""
    return os.path.join(LOCALE_DIR, code, "LC_MESSAGES", DOMAIN + suffix)


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _load(code: str) -> gettext.NullTranslations:
    """Language ``code``'s catalogue: the compiled one, or the ``.po`` compiled now when that is newer."""
    if code == SOURCE:
        return gettext.NullTranslations()
    compiled, source = catalogue_path(code), catalogue_path(code, ".po")
    compiled_at, written_at = _mtime(compiled), _mtime(source)
    if compiled_at is not None and (written_at is None or written_at <= compiled_at):
        with open(compiled, "rb") as file:
            return gettext.GNUTranslations(file)
    if written_at is not None:
        import io

        # Only while translating (the .po edited since the last build): the tutor needs no build step to try it.
        from tutor.i18n import po

        return gettext.GNUTranslations(io.BytesIO(po.compile_file(source)))
    return gettext.NullTranslations()  # no catalogue at all: the words stay English


def set_language(code: str) -> None:
    """Speak language ``code`` from now on (a key of ``LANGUAGES``; ``ValueError`` for any other)."""
    global _code, _translations
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose one of: {', '.join(LANGUAGES)}")
    if code != _code:
        _translations = _load(code)
        _code = code


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first of ``ENVIRONMENT`` that is set (``ja_JP.UTF-8`` gives
    ``ja``); English when it names a language the tutor does not speak, or none is set."""
    environ = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = environ.get(name)
        if value:
            first = value.split(":")[0].split(".")[0].split("@")[0]
            code = first.split("_")[0].split("-")[0].lower()
            return code if code in LANGUAGES else SOURCE
    return SOURCE


def pick(texts: Mapping[str, str]) -> str:
    """The text for the current language from ``texts`` (language code -> text; ``""``: every language):
    the current language's, else the one for every language, else English's, else any ("" for none)."""
    for code in (_code, "", SOURCE):
        if code in texts:
            return texts[code]
    return next(iter(texts.values()), "")


set_language(from_environment())
