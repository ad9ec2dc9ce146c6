"""Paragraphs the commands print, wrapped by terminal cells when they hold Japanese.

argparse and Rich break lines between words only, counting characters
(argparse) or cells (Rich); a Japanese sentence has few blanks, so its rows
came out ragged or too wide. Text with wide (CJK) characters is wrapped here
instead, by the rules of ``tutor.teach.text.wrap``; other text is left to
argparse and Rich, so English reads as it always has.
"""

from __future__ import annotations

from tutor.teach.text import cells, plain, wrap


def has_wide(text: str) -> bool:
    """Whether ``text`` holds a character two cells wide (CJK)."""
    return not text.isascii() and cells(text) > len(text)


def rows(text: str, width: int) -> list[str]:
    """``text`` (whitespace collapsed) in rows of at most ``width`` terminal cells."""
    return [plain(row) for row in wrap([[(" ".join(text.split()), "")]], max(1, width))]


def paragraph(text: str, width: int) -> str:
    """``text`` as Rich would print it at ``width``, but with Japanese wrapped by cells (see the module)."""
    return "\n".join(rows(text, width)) if has_wide(text) else text
