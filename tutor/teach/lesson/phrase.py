"""A translated sentence with styled parts: the parts stand where the translation puts them.

English says "walk back from **price** to every input"; Japanese puts the name
first ("**price** からすべての入力へ戻ります"). A sentence whose parts have
styles of their own (a name, a formula, a number) is therefore one message
with named placeholders, translated whole and cut into fragments afterwards::

    phrase(_("walk back from {output} to every {leaves}."), "dim", output=(out, "name"), leaves=words)

Each ``{name}`` becomes its part: a ``(text, style)`` fragment, or plain text
in the sentence's own style.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.teach.text import Line

_FORMATTER = string.Formatter()


def phrase(template: str, style: str = "", **parts: str | tuple[str, str]) -> Line:
    """``template`` (already translated) as fragments in ``style``, each ``{name}`` replaced by ``parts[name]``."""
    line: Line = []
    for literal, name, _spec, _conversion in _FORMATTER.parse(template):
        if literal:
            line.append((literal, style))
        if name is None:
            continue
        part = parts[name]
        fragment = part if isinstance(part, tuple) else (part, style)
        if fragment[0]:
            line.append(fragment)
    merged: Line = []
    for text, shown in line:  # one fragment per run of one style, as the sentence would be written by hand
        if merged and merged[-1][1] == shown:
            merged[-1] = (merged[-1][0] + text, shown)
        else:
            merged.append((text, shown))
    return merged
