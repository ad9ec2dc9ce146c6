"""Styled text as plain data: what every sentence a learner reads is made of.

A line is a list of fragments, each a piece of text and a style name: ""
(plain), ``title``, ``name``, ``value``, ``grad``, ``formula``, ``note``,
``warn``, ``dim``, ``em``, ``good``, ``bad``. The UI maps style names to the
theme's colours; nothing here knows about colours or terminals.
"""

from __future__ import annotations

Fragment = tuple[str, str]
"""A piece of text and its style name."""
Line = list[Fragment]
"""One line of styled text."""
