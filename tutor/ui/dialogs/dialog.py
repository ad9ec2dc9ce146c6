"""The tutor's dialogs' base: a modal screen that closes once, however many keys ask it to.

Keys arrive faster than a dialog closes: two Enters on the row list, or
Enter then Escape, each ask for ``dismiss``; the second found the dialog
already gone and popped a screen that was not there (``ScreenStackError``).
"""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

Result = TypeVar("Result")


class Dialog(ModalScreen[Result]):
    """A ``ModalScreen`` whose ``dismiss`` does nothing once it is no longer the screen in front."""

    def dismiss(self, result: Result | None = None) -> AwaitComplete:
        if self.app.screen is not self:
            return AwaitComplete.nothing()
        return super().dismiss(result)
