"""The message catalogues: every message of the code translated, placeholders kept, the catalogue compiling,
and the rules a module that translates follows (``tutor/i18n/__init__.py``)."""

from __future__ import annotations

import ast
import gettext
import io
import os
import re
import string
import tokenize
from pathlib import Path

import pytest

from tutor import i18n
from tutor.i18n import po

babel_extract = pytest.importorskip("babel.messages.extract")
babel_pofile = pytest.importorskip("babel.messages.pofile")

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tutor"
TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.SOURCE]


def code_messages() -> dict[str | tuple[str, str], str]:
    """Every message the code marks (``_``, ``N_``, ``ngettext``), as Babel extracts it, with where it is."""
    found: dict[str | tuple[str, str], str] = {}
    for filename, line, message, _comments, _context in babel_extract.extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=babel_extract.DEFAULT_KEYWORDS,
    ):
        found.setdefault(message, f"tutor/{filename}:{line}")
    return found


def catalogue(code: str):  # noqa: ANN201 - a babel Catalog
    with open(i18n.catalogue_path(code, ".po"), "rb") as file:
        return babel_pofile.read_po(file)


def fields(text: str) -> list[str]:
    """The ``{name}`` placeholders of a message and its ``%`` ones (argparse's words), sorted."""
    names = [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
    percents = re.findall(r"%(?:\(\w+\))?[sdrf]", text)
    return sorted(names + percents)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_of_the_code_has_a_translation(code: str) -> None:
    translated = {message.id: message for message in catalogue(code) if message.id}
    missing = []
    for message, where in code_messages().items():
        entry = translated.get(message)
        strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(f"{where}: {message!r}")
    assert not missing, f"{len(missing)} messages without a {code} translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_translation_keeps_its_messages_placeholders(code: str) -> None:
    wrong = []
    for message in catalogue(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = fields(ids[-1])
        assert all(fields(one) == wanted for one in ids), f"singular and plural differ: {ids}"
        wrong += [f"{ids[0]!r} -> {text!r}" for text in strings if text and fields(text) != wanted]
    assert not wrong, "\n".join(wrong)


def test_the_placeholder_check_can_fail() -> None:
    assert fields("Backward {j} of {n}") != fields("逆伝播 {j}/{m}")
    assert fields("%(prog)s: error: %(message)s\n") != fields("%(prog)s: エラー\n")
    assert fields("{k} of {rows}") == fields("{rows} 中 {k}")


def test_the_template_holds_every_message_of_the_code() -> None:
    """``tutor.pot`` is what a translator starts from: it is extracted again whenever a message changes."""
    with open(PACKAGE / "locale" / "tutor.pot", "rb") as file:
        template = {message.id for message in babel_pofile.read_po(file) if message.id}
    assert template == set(code_messages())


def test_every_catalogue_is_a_language_the_tutor_names() -> None:
    on_disk = {path.parent.parent.name for path in (PACKAGE / "locale").glob("*/LC_MESSAGES/tutor.po")}
    assert on_disk == set(TRANSLATED)


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_compiles_to_what_gettext_reads(code: str) -> None:
    compiled = gettext.GNUTranslations(io.BytesIO(po.compile_file(i18n.catalogue_path(code, ".po"))))
    checked = 0
    for message in catalogue(code):
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            for count in (1, 2, 5):
                form = message.string[min(len(message.string) - 1, 0 if count == 1 else 1)]
                assert compiled.ngettext(*message.id, count) in message.string
            assert form
        else:
            assert compiled.gettext(message.id) == message.string, message.id
        checked += 1
    assert checked > 300
    assert compiled.info()["language"] == code


def test_the_compiler_reads_what_msgfmt_reads() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: ja\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\nmsgid "Next"\nmsgstr "次へ"\n\n'
        '#, fuzzy\nmsgid "Back"\nmsgstr "戻る"\n\n'
        'msgid "untranslated"\nmsgstr ""\n\n'
        'msgid "{n} row"\nmsgid_plural "{n} rows"\nmsgstr[0] "{n} 行"\n\n'
        'msgid ""\n"two "\n"lines\\n"\nmsgstr "二行\\n"\n\n'
        '#~ msgid "old"\n#~ msgstr "古い"\n'
    )
    compiled = gettext.GNUTranslations(io.BytesIO(po.mo_bytes(po.read(text))))
    assert compiled.gettext("Next") == "次へ"
    assert compiled.gettext("Back") == "Back"  # fuzzy: left out
    assert compiled.gettext("untranslated") == "untranslated"
    assert compiled.ngettext("{n} row", "{n} rows", 3) == "{n} 行"
    assert compiled.gettext("two lines\n") == "二行\n"
    assert compiled.gettext("old") == "old"
    with pytest.raises(po.PoError, match="line 2"):
        po.read('msgid "a"\nmsgstr b\n')


def test_a_catalogue_newer_than_its_compiled_one_is_compiled_when_chosen(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = folder / "tutor.po"
    header = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    source.write_text(header + 'msgid "Next"\nmsgstr "次へ"\n', encoding="utf-8")
    (folder / "tutor.mo").write_bytes(po.mo_bytes(po.read(header + 'msgid "Next"\nmsgstr "古い"\n')))
    os.utime(folder / "tutor.mo", ns=(1, 1))
    monkeypatch.setattr(i18n, "LOCALE_DIR", str(tmp_path))
    i18n.set_language("ja")
    assert i18n._("Next") == "次へ"
    i18n.set_language("en")
    os.utime(folder / "tutor.mo")  # now the compiled one is the newer
    os.utime(source, ns=(1, 1))
    i18n.set_language("ja")
    assert i18n._("Next") == "古い"


def test_english_is_the_code_itself_and_japanese_the_catalogue() -> None:
    assert i18n.language() == "en"
    assert i18n._("Next") == "Next" and i18n.ngettext("{count} leaf, central differences",
                                                      "{count} leaves, central differences", 2).startswith("{count} leaves")
    i18n.set_language("ja")
    assert i18n.language() == "ja"
    assert i18n._("Next") == "次へ"
    assert i18n._("") == ""  # never the catalogue's header
    assert i18n._("not a message of the tutor") == "not a message of the tutor"
    assert i18n.N_("Next") == "Next"


def test_a_language_the_tutor_does_not_speak_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.set_language("fr")
    assert i18n.language() == "en"


@pytest.mark.parametrize(("environ", "code"), [
    ({}, "en"),
    ({"LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LANG": "ja"}, "ja"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}, "ja"),
    ({"LC_MESSAGES": "ja_JP.eucJP", "LANG": "en_US.UTF-8"}, "ja"),
    ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"LANGUAGE": "en", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"LANGUAGE": "ja:en", "LANG": "C"}, "ja"),
    ({"LANGUAGE": "", "LANG": "ja_JP.UTF-8"}, "ja"),
])
def test_the_locale_chooses_with_no_flag(environ: dict[str, str], code: str) -> None:
    assert i18n.from_environment(environ) == code


def test_a_scenario_text_falls_back_to_the_one_for_all_then_english_then_any() -> None:
    i18n.set_language("ja")
    assert i18n.pick({"en": "apples", "ja": "りんご"}) == "りんご"
    assert i18n.pick({"": "every language", "en": "apples"}) == "every language"
    assert i18n.pick({"en": "apples"}) == "apples"
    i18n.set_language("en")
    assert i18n.pick({"ja": "りんご"}) == "りんご"
    assert i18n.pick({}) == ""


def _modules_using_underscore() -> list[Path]:
    return [path for path in PACKAGE.rglob("*.py")
            if re.search(r"^from tutor\.i18n import .*\b_\b", path.read_text(encoding="utf-8"), re.M)]


def test_no_module_that_translates_names_a_variable_underscore() -> None:
    """``for _ in ...`` in a function makes ``_`` local there: its ``_("...")`` calls would fail at run time."""
    found = []
    for path in _modules_using_underscore():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.arg) and node.arg == "_":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert len(_modules_using_underscore()) > 20
    assert not found, found


def test_no_message_is_marked_inside_an_f_string() -> None:
    """The extractor does not read inside f-strings: ``f"{_('word')}"`` would never reach the catalogue."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        with open(path, "rb") as file:
            for token in tokenize.tokenize(file.readline):
                if token.type == tokenize.STRING and re.match(r"^[rbRB]*[fF]", token.string) and re.search(
                        r"""\b(_|N_|ngettext)\(\s*['"]""", token.string):
                    found.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert not found, found


def test_the_key_words_made_with_numbers_match_the_numbers() -> None:
    from tutor.teach.modes import train

    keys = {key.key: key for key in train.TrainMode.keys}
    assert keys["T"].description == f"Train {train.TRAIN_RUN_STEPS}"
    assert f"run {train.TRAIN_RUN_STEPS} steps" in keys["T"].tooltip
    assert f"{train.TRAIN_RUN_STEPS * train.EPOCHS_PER_RUN_STEP} epochs" in keys["T"].tooltip
