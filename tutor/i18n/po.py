"""Compile a ``.po`` catalogue into the ``.mo`` file ``gettext`` reads (what GNU ``msgfmt`` does).

Standard library only and no import of the tutor, so the wheel's build hook
(``tutor/locale/build_hook.py``) loads this file on its own. Fuzzy and
untranslated entries are left out, as ``msgfmt`` leaves them: ``gettext``
then shows the English message.
"""

from __future__ import annotations

import ast
import struct

MAGIC = 0x950412DE


class PoError(ValueError):
    """A line of the ``.po`` file that is not the format (with its line number)."""


def _unquote(text: str, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or not text.startswith('"') or not text.endswith('"'):
        raise PoError(f"line {line}: expected a quoted string, got {text[:40]!r}")
    try:
        return ast.literal_eval(text)
    except (SyntaxError, ValueError):
        raise PoError(f"line {line}: not a valid C string: {text[:40]!r}") from None


def read(text: str) -> list[tuple[str, str, list[str], bool]]:
    """The entries of a ``.po`` file: (msgid with ``msgctxt`` and ``\\x04`` before it if any, msgid_plural
    or "", the msgstr forms, fuzzy)."""
    entries: list[tuple[str, str, list[str], bool]] = []
    fields: dict[str, str] = {}
    forms: dict[int, str] = {}
    fuzzy = False
    current: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal fields, forms, fuzzy, current
        if "msgid" in fields:
            msgid = fields["msgid"]
            if "msgctxt" in fields:
                msgid = fields["msgctxt"] + "\x04" + msgid
            strings = [forms[k] for k in sorted(forms)] if forms else [fields.get("msgstr", "")]
            entries.append((msgid, fields.get("msgid_plural", ""), strings, fuzzy))
        fields, forms, fuzzy, current = {}, {}, False, None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        complete = "msgstr" in fields or bool(forms)
        if line.startswith("#"):
            if complete:
                finish()  # a comment opens the next entry
            if line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split():
                fuzzy = True
            continue
        if line.startswith('"'):
            if current is None:
                raise PoError(f"line {number}: a string continues nothing")
            name, index = current
            if name == "msgstr[]":
                forms[index] += _unquote(line, number)
            else:
                fields[name] += _unquote(line, number)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit():
            index = int(keyword[7:-1])
            forms[index] = _unquote(rest, number)
            current = ("msgstr[]", index)
            continue
        if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            raise PoError(f"line {number}: unknown keyword {keyword!r}")
        if keyword in ("msgctxt", "msgid") and complete:
            finish()
        fields[keyword] = _unquote(rest, number)
        current = (keyword, 0)
    finish()
    return entries


def mo_bytes(entries: list[tuple[str, str, list[str], bool]]) -> bytes:
    """The ``.mo`` file for ``entries`` (the header, and every translated entry that is not fuzzy)."""
    table: dict[bytes, bytes] = {}
    for msgid, plural, strings, fuzzy in entries:
        if msgid and (fuzzy or not all(strings)):
            continue
        key = msgid + ("\x00" + plural if plural else "")
        table[key.encode("utf-8")] = "\x00".join(strings).encode("utf-8")
    keys = sorted(table)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    strings_at = translations_at + count * 8
    ids = b"".join(key + b"\x00" for key in keys)
    strs = b"".join(table[key] + b"\x00" for key in keys)
    header = struct.pack("<7I", MAGIC, 0, count, originals_at, translations_at, 0, strings_at)
    offsets, position = [], strings_at
    for key in keys:
        offsets += [len(key), position]
        position += len(key) + 1
    for key in keys:
        offsets += [len(table[key]), position]
        position += len(table[key]) + 1
    return header + struct.pack(f"<{len(offsets)}I", *offsets) + ids + strs


def compile_file(path: str) -> bytes:
    """The ``.mo`` bytes of the ``.po`` file at ``path``."""
    with open(path, encoding="utf-8") as file:
        return mo_bytes(read(file.read()))
