"""Text from a scenario file made safe to print on one terminal line.

Names and values quoted in messages come from the file, which may hold a
newline, an escape sequence (``\\x1b[2J`` clears the screen), a bidi
override (``\\u202e`` reverses what follows) or a lone surrogate (which no
terminal can encode). Every such character is written as its Python escape,
so a message is always one line that shows what is really in the file.
"""

from __future__ import annotations

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, limit: int = 0) -> str:
    """``text`` with every non-printable character escaped; cut to ``limit`` characters if given."""
    text = str(text)
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)


def quoted(text: str, limit: int = 60) -> str:
    """A name or value as quoted in a message: visible, at most ``limit`` characters, in single quotes."""
    return f"'{visible(text, limit)}'"
