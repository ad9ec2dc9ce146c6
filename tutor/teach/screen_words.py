"""The sentences of the app's screens and dialogs that are not about a step.

Built here, as plain text, like every other sentence a learner reads, so they
can be tested and translated in one place; the UI only places and styles them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from tutor.scenario.visible import visible
from tutor.teach.lesson.compact import NOTATION

BACKPROP_IN_BRIEF = (
    "Forward goes left to right computing values; backward goes right to left, "
    "multiplying each upstream gradient by the local derivative of every edge. "
    "Gradients are marked ∂. In a short panel, " + NOTATION[0].lower() + NOTATION[1:]
)
"""The whole method in two sentences, and the short panel's notation (under the keys on the help page)."""
ROW_PROMPT = "Step through which row of the data? (Enter picks, Escape cancels)"
NO_DATA = "This scenario has no data: section (xor and curve have)."
EDIT_HINT = "Enter to apply, Escape to cancel"
WATCH_KEEPS_LAST = "(showing the last version that loaded; fix the file and save)"
ERROR_TITLE = "This scenario could not be loaded"
HELP_TITLE = "Keys  (↑ ↓ PgUp PgDn scroll this list, Esc closes it)"
HELP_SCROLL = "↑ ↓ PgUp PgDn scroll this list; Esc closes it."
HELP_EXTRA_ROWS = (
    ("click", "Select a node on the graph"),
    ("Ctrl+P", "Command palette: every action by name, and the theme switcher"),
)


def picker_title(count: int) -> str:
    """Above the scenario list: what to do, and how many there are (the list may scroll)."""
    return f"tutor — step through backpropagation. Pick a scenario ({count}; ↑ ↓, Enter)."


def too_small(width: int, height: int) -> str:
    """Shown instead of the lesson in a window below ``width``×``height`` cells."""
    return f"Window too small.\nThe tutor needs at least {width}×{height} cells.\nEnlarge the terminal."


def edit_prompt(name: str, now: str) -> str:
    """The edit dialog's question for the leaf ``name`` whose value reads ``now``."""
    return f"New value for {name} (now {now}):"


def edit_not_a_number(reason: str) -> tuple[str, str]:
    """The edit dialog's answer to text it cannot read, as (the emphasised lead, the rest)."""
    return "Not a number:", f" {reason}. Type e.g. 150, 0.5 or 2*2"


def edit_warning(warning: str) -> tuple[str, str]:
    """The edit dialog's second thought about a value (e.g. one that overflows), as (lead, rest)."""
    return "Warning:", f" {warning}. Enter again to apply it anyway"


def error_hint(hint: str) -> str:
    """The hint line under a file's error (empty when the error has none)."""
    return f"hint: {hint}" if hint else ""


def unknown_saved_theme(name: str) -> str:
    """A notice on launch: the theme saved in the settings is not one this Textual has."""
    return f"ignored the saved theme {name!r}: no such theme"


def error_help(watching: bool | Sequence[str]) -> str:
    """Under a file's error: what the learner can do next (``watching``: the files watched, or whether any is)."""
    names = [visible(os.path.basename(f) or f, 60) for f in watching] if not isinstance(watching, bool) else []
    if len(names) > 1:
        waiting = f"Watching {', '.join(names[:-1])} and {names[-1]}: the lesson opens as soon as they load. "
    else:
        waiting = "Watching the file: it opens as soon as it loads. " if watching else ""
    return waiting + "Fix the file and open it again, or press Esc to pick another scenario."


def screenshot_saved(path: str) -> str:
    return f"Saved screenshot to {path}"


def screenshot_failed(folder: str, reason: str) -> str:
    return f"Could not save the screenshot in {folder}: {reason}"
