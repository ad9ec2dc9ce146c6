"""A small dialog to type a new value for an input or param."""

from __future__ import annotations

from typing import Callable

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from tutor.ui.dialogs.dialog import Dialog
from tutor.engine.numbers import fmt
from tutor.i18n import N_, _
from tutor.teach.questions import AnswerError, parse_answer
from tutor.teach.screen_words import EDIT_HINT, edit_not_a_number, edit_prompt, edit_warning


class EditScreen(Dialog[float | None]):
    """Ask for a number or small arithmetic (``2*2``, ``1/3``), read by the quiz's safe parser.

    Enter accepts, Escape cancels. ``check(value)`` may return a warning
    (the output overflows at that value): it is shown, and a second Enter on
    the same text applies the value anyway.
    """

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), tooltip=N_("Keep the old value"))]

    def __init__(self, name: str, value: float, check: Callable[[float], str] | None = None) -> None:
        super().__init__()
        self.leaf = name
        self.value = value
        self.check = check
        self._warned: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            prompt = Text(edit_prompt(self.leaf, fmt(self.value)))
            prompt.highlight_words([self.leaf], "bold")
            yield Label(prompt)
            yield Input(value=fmt(self.value), id="value")
            yield Label(_(EDIT_HINT), id="dialog-hint")

    def _hint(self, markup: str) -> None:
        self.query_one("#dialog-hint", Label).update(markup)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        try:
            value = parse_answer(text)
        except AnswerError as exc:
            lead, rest = edit_not_a_number(str(exc))
            self._hint(f"[b red]{lead}[/]{escape(rest)}")
            return
        warning = self.check(value) if self.check is not None else ""
        if warning and self._warned != text:
            self._warned = text
            lead, rest = edit_warning(warning)
            self._hint(f"[b yellow]{lead}[/]{escape(rest)}")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
