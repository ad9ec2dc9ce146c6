"""Styled text as plain data: what every sentence a learner reads is made of, and how it wraps.

A line is a list of fragments, each a piece of text and a style name: ""
(plain), ``title``, ``name``, ``value``, ``grad``, ``formula``, ``note``,
``warn``, ``dim``, ``em``, ``good``, ``bad``. The UI maps style names to the
theme's colours; nothing here knows about colours or terminals.

Widths are terminal cells: a kanji or a full-width character takes two, a
combining mark none. ``wrap`` breaks lines into rows of a given width the way
a reader expects: between words, or (when the tutor speaks Japanese) between
any two characters of Japanese text, never putting a closing mark (。、」）…)
at the start of a row or an opening one at its end, and with a hanging indent,
so that a row that continues a line stands under that line's words, not
under its arrow.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from tutor.i18n import language

Fragment = tuple[str, str]
"""A piece of text and its style name."""
Line = list[Fragment]
"""One line of styled text."""

MATH_STYLES = frozenset({"value", "grad", "formula"})
"""Styles whose text is numbers and formulas (where a minus sign is typeset as −)."""
MINUS = "−"
"""The one minus sign a learner reads in numbers and formulas (U+2212)."""

NO_ROW_START = frozenset("、。，．・：；？！）］｝〕〉》」』】〙〗〟’”々ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ)]},.;:!?%…‥")
"""Characters a row must not start with (closing marks, small kana, punctuation), as Japanese typesetting rules."""
NO_ROW_END = frozenset("（［｛〔〈《「『【〘〖〝‘“([{")
"""Characters a row must not end with (opening marks)."""
OPERATORS = frozenset("=×+−·→≈÷<>≤≥")
"""Signs a row would rather not end or start with: a formula such as ``2 × 1.1 = 2.2`` keeps together."""
LEADS = ("→ ", "✎ ", "⚠ ", "? ", "• ", "▶ ")
"""Marks at the start of a line whose continuation rows stand under the words after them."""


@lru_cache(maxsize=4096)
def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(char) for char in text)


def _wide(char: str) -> bool:
    return _char_cells(char) == 2


def line_cells(line: Line) -> int:
    return sum(cells(text) for text, _ in line)


def plain(line: Line) -> str:
    """A line's text without its styles."""
    return "".join(text for text, _ in line)


def hanging_indent(line: Line) -> int:
    """Cells a continuation row of ``line`` is indented by: its leading blanks, and its lead mark's width."""
    text = plain(line)
    stripped = text.lstrip(" ")
    indent = len(text) - len(stripped)
    for lead in LEADS:
        if stripped.startswith(lead):
            return indent + cells(lead)
    return indent


def _breakable(chars: list[str], i: int, japanese: bool) -> bool:
    """Whether a row may end before ``chars[i]``: after blanks, or in Japanese text beside a wide character,
    but never before a closing mark or after an opening one. In another language a Japanese word (a name
    such as りんごの値段) is a word like any other: it never breaks inside."""
    before, here = chars[i - 1], chars[i]
    if here == " " or here in NO_ROW_START or before in NO_ROW_END:
        return False
    return before == " " or (japanese and (_wide(before) or _wide(here)))


def _beside_operator(chars: list[str], i: int) -> bool:
    """Whether a break before ``chars[i]`` would split a formula: the word before it or the one it starts is a
    sign between two terms (a weak break, taken only when no better one leaves the row at least half full)."""
    j = i - 1
    while j >= 0 and chars[j] == " ":
        j -= 1
    return (j >= 0 and chars[j] in OPERATORS) or (chars[i] in OPERATORS and i + 1 < len(chars) and chars[i + 1] == " ")


def _row(chars: list[str], styles: list[str], start: int, end: int, indent: int) -> Line:
    """Characters ``start:end`` as a row (blanks at its end dropped), after ``indent`` blanks."""
    while end > start and chars[end - 1] == " ":
        end -= 1
    row: Line = [(" " * indent, "")] if indent else []
    for i in range(start, end):
        if row and row[-1][1] == styles[i]:
            row[-1] = (row[-1][0] + chars[i], styles[i])
        else:
            row.append((chars[i], styles[i]))
    return row


def wrap_line(line: Line, width: int) -> list[Line]:
    """``line`` as rows of at most ``width`` cells (continuation rows indented, see ``hanging_indent``)."""
    width = max(1, width)
    if line_cells(line) <= width:
        return [line]
    chars = [char for text, _ in line for char in text]
    styles = [style for text, style in line for _ in text]
    widths = [_char_cells(char) for char in chars]
    indent = min(hanging_indent(line), width // 3)
    japanese = language() == "ja"
    rows: list[Line] = []
    start, first = 0, True
    while start < len(chars):
        room = width - (0 if first else indent)
        used, end, last_break, good_break, good_used = 0, start, None, None, 0
        while end < len(chars):
            if end > start and _breakable(chars, end, japanese):
                last_break = end
                if not _beside_operator(chars, end):
                    good_break, good_used = end, used
            if chars[end] != " " and used + widths[end] > room:
                break
            used += widths[end]
            end += 1
        if end < len(chars):
            if good_break is not None and good_break > start and good_used * 2 >= room:
                end = good_break
            elif last_break is not None and last_break > start:
                end = last_break
            elif end == start:
                end = start + 1  # a character wider than the row: it stands alone
        rows.append(_row(chars, styles, start, end, 0 if first else indent))
        start = end
        while start < len(chars) and chars[start] == " ":
            start += 1  # a continuation row starts at a word, not at the blanks before it
        first = False
    return rows or [[]]


def wrap(lines: list[Line], width: int) -> list[Line]:
    """Every line as rows of at most ``width`` cells."""
    rows: list[Line] = []
    for line in lines:
        rows.extend(wrap_line(line, width))
    return rows


def typeset(lines: list[Line]) -> list[Line]:
    """Lines as a learner reads them: one minus sign (−) in numbers and formulas."""
    out: list[Line] = []
    for line in lines:
        out.append([(text.replace("-", MINUS) if style in MATH_STYLES else text, style) for text, style in line])
    return out
