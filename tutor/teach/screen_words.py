"""The sentences of the app's screens and dialogs that are not about a step.

Built here, as plain text, like every other sentence a learner reads, so they
can be tested and translated in one place; the UI only places and styles them.
A constant is marked with ``N_`` and translated where it is shown (``_(ROW_PROMPT)``);
a function returns its sentence in the current language.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from tutor.i18n import N_, _, listing
from tutor.scenario.visible import visible
from tutor.teach.lesson.compact import NOTATION

BACKPROP_IN_BRIEF = (
    "Forward goes left to right computing values; backward goes right to left, "
    "multiplying each upstream gradient by the local derivative of every edge. "
    "Gradients are marked ∂. In a short panel, " + NOTATION[0].lower() + NOTATION[1:]
)
"""The whole method in two sentences, and the short panel's notation, in English (see ``backprop_in_brief``)."""
ROW_PROMPT = N_("Step through which row of the data? (Enter picks, Escape cancels)")
NO_DATA = N_("This scenario has no data: section (xor and curve have).")
EDIT_HINT = N_("Enter to apply, Escape to cancel")
WATCH_KEEPS_LAST = N_("(showing the last version that loaded; fix the file and save)")
ERROR_TITLE = N_("This scenario could not be loaded")
HELP_TITLE = N_("Keys  (↑ ↓ PgUp PgDn scroll this list, Esc closes it)")
HELP_SCROLL = N_("↑ ↓ PgUp PgDn scroll this list; Esc closes it.")
HELP_EXTRA_ROWS = (
    ("click", N_("Select a node on the graph")),
    ("Ctrl+P", N_("Command palette: every action by name, and the theme switcher")),
)
HELP_COLUMNS = (N_("key"), N_("what it does"))
"""The help page's column titles."""


def backprop_in_brief() -> str:
    """The whole method in two sentences, and the short panel's notation (under the keys on the help page)."""
    notation = _(NOTATION)
    return _("Forward goes left to right computing values; backward goes right to left, "
             "multiplying each upstream gradient by the local derivative of every edge. "
             "Gradients are marked ∂. In a short panel, {notation}").format(
        notation=notation[0].lower() + notation[1:])


def picker_title(count: int) -> str:
    """Above the scenario list: what to do, and how many there are (the list may scroll)."""
    return _("tutor — step through backpropagation. Pick a scenario ({count}; ↑ ↓, Enter).").format(count=count)


def too_small(width: int, height: int) -> str:
    """Shown instead of the lesson in a window below ``width``×``height`` cells."""
    return _("Window too small.\nThe tutor needs at least {width}×{height} cells.\nEnlarge the terminal.").format(
        width=width, height=height)


def edit_prompt(name: str, now: str) -> str:
    """The edit dialog's question for the leaf ``name`` whose value reads ``now``."""
    return _("New value for {name} (now {now}):").format(name=name, now=now)


def edit_not_a_number(reason: str) -> tuple[str, str]:
    """The edit dialog's answer to text it cannot read, as (the emphasised lead, the rest)."""
    return _("Not a number:"), _(" {reason}. Type e.g. 150, 0.5 or 2*2").format(reason=reason)


def edit_warning(warning: str) -> tuple[str, str]:
    """The edit dialog's second thought about a value (e.g. one that overflows), as (lead, rest)."""
    return _("Warning:"), _(" {warning}. Enter again to apply it anyway").format(warning=warning)


def error_hint(hint: str) -> str:
    """The hint line under a file's error (empty when the error has none)."""
    return _("hint: {hint}").format(hint=hint) if hint else ""


def unknown_saved_theme(name: str) -> str:
    """A notice on launch: the theme saved in the settings is not one this Textual has."""
    return _("ignored the saved theme {name}: no such theme").format(name=repr(name))


def language_saved(name: str) -> str:
    """A notice when the learner picks a language in the app: it is remembered."""
    return _("Language: {name} (the tutor opens in it next time too)").format(name=name)


def error_help(watching: bool | Sequence[str]) -> str:
    """Under a file's error: what the learner can do next (``watching``: the files watched, or whether any is)."""
    names = [visible(os.path.basename(f) or f, 60) for f in watching] if not isinstance(watching, bool) else []
    if len(names) > 1:
        waiting = _("Watching {files} and {last}: the lesson opens as soon as they load. ").format(
            files=listing(names[:-1]), last=names[-1])
    else:
        waiting = _("Watching the file: it opens as soon as it loads. ") if watching else ""
    return waiting + _("Fix the file and open it again, or press Esc to pick another scenario.")


def screenshot_saved(path: str) -> str:
    return _("Saved screenshot to {path}").format(path=path)


def screenshot_failed(folder: str, reason: str) -> str:
    return _("Could not save the screenshot in {folder}: {reason}").format(folder=folder, reason=reason)
