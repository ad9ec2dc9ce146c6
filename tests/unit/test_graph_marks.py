"""Meaning never carried by colour alone on the graph (tutor.ui.theme.graph_styles and the drawings).

The current node, the selected node, a highlighted path and pending/done
state each differ from a done node by something besides colour (reverse
video, underline, italics, bold, dim), in every drawing: the boxes (their
borders), the dense levels and the neuron view (the names), and the wires.
"""

from __future__ import annotations

import pytest
from textual.theme import BUILTIN_THEMES

from tutor.ui.theme import graph_styles

STATES = ("current", "selected", "highlight", "pending")


def _plain(style) -> tuple:  # noqa: ANN001 - rich.style.Style
    plain = style.without_color
    return (plain.bold, plain.dim, plain.italic, plain.underline, plain.reverse)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
def test_every_state_reads_without_colour(theme: str) -> None:
    styles = graph_styles(BUILTIN_THEMES[theme])
    for state in STATES:
        assert _plain(styles[f"box.{state}"]) != _plain(styles["box.done"]), ("boxes", state)
        assert _plain(styles[f"chip.{state}"]) != _plain(styles["chip.done"]), ("dense names", state)
    # The neuron view names its current and selected neurons as chips, the others by their titles.
    for state in ("highlight", "pending"):
        assert _plain(styles[f"title.{state}"]) != _plain(styles["title.done"]), ("neuron names", state)
    for state in ("active", "highlight", "pending"):
        assert _plain(styles[f"edge.{state}"]) != _plain(styles["edge.done"]), ("wires", state)
