"""Which known name a mistyped one most likely meant, for the "did you mean" of a message.

``difflib``'s ratio misses the commonest slip in a short name: a character
swapped for one that looks the same (``xl`` for ``x1``, ``O`` for ``0``),
which changes half of a two-letter name. Such look-alikes are compared as one
character first; then ``difflib`` finds ordinary typos.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

_LOOK_ALIKE = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "o": "0"})
"""Characters that many fonts draw (nearly) alike, each folded to one of its class."""


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known name ``word`` most likely means, or None when none is close."""
    known = [name for name in known if name != word]
    folded = word.translate(_LOOK_ALIKE)
    for name in known:
        if name.translate(_LOOK_ALIKE) == folded:
            return name
    close = difflib.get_close_matches(word, known, n=1)
    return close[0] if close else None
