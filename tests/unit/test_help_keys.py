"""The help screen names keys as they are typed, never by Textual's internal names."""

from __future__ import annotations

from tutor.ui.dialogs.help import key_text
from tutor.ui.screens.lesson_keys import LESSON_BINDINGS
from tutor.ui.widgets.graph_view import GraphView


def test_brackets_and_symbols_read_as_typed() -> None:
    assert key_text("left_square_bracket") == "["
    assert key_text("right_square_bracket,plus") == "], +"


def test_no_key_in_help_reads_as_an_internal_name() -> None:
    for binding in LESSON_BINDINGS + GraphView.BINDINGS:
        for shown in key_text(binding.key).split(", "):
            assert "_" not in shown, (binding.key, shown)
