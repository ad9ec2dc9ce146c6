"""The lesson screen's keys: stepping, views, each mode's keys (from the mode registry), panel and help.

Textual makes a ``Binding`` at import, so its description and tooltip are
marked (``N_``) here and translated where they are shown: the key bar, the
help page and the command palette.
"""

from __future__ import annotations

from textual.binding import Binding

from tutor.i18n import N_
from tutor.teach.lesson import VIEW_KEY_LABELS
from tutor.teach.modes import MODES


def mode_bindings() -> list[Binding]:
    """A key per mode, then each mode's own keys, in the registry's order."""
    bindings = [
        Binding(mode.key, f"mode({mode.name!r})", mode.description, show=mode.show_key, tooltip=mode.tooltip)
        for mode in MODES
    ]
    for mode in MODES:
        for key in mode.keys:
            action = f"mode_key({mode.name!r}, {key.action!r}, {key.repeat})"
            bindings.append(Binding(key.key, action, key.description, show=False, tooltip=key.tooltip))
    return bindings


def view_bindings() -> list[Binding]:
    """The view key, once per view it can lead to: the footer shows the one that applies (see check_action)."""
    tooltip = N_("Next view: neurons (nets), groups, expanded primitives")
    return [Binding("g", f"view({view!r})", label, tooltip=tooltip) for view, label in VIEW_KEY_LABELS.items()]


LESSON_BINDINGS = [
    Binding("right,l,space", "next", N_("Next"), key_display="→", priority=True, tooltip=N_("Next step")),
    Binding("left,h", "previous", N_("Back"), key_display="←", priority=True, tooltip=N_("Previous step")),
    Binding("home", "start", N_("Start"), show=False, priority=True, tooltip=N_("Go to the first step")),
    Binding("f", "forward_end", N_("End of forward pass"), show=False,
            tooltip=N_("Go to the end of the forward pass")),
    Binding("end", "end", N_("End"), show=False, priority=True, tooltip=N_("Go to the last step")),
    Binding("r", "reset", N_("Reset"), show=False, tooltip=N_("Back to step 0 with the file's values")),
    *view_bindings(),
    Binding("tab,down,j", "select_next", N_("Select"), show=False, priority=True, tooltip=N_("Select the next node")),
    Binding("shift+tab,up,k", "select_previous", N_("Select previous"), show=False, priority=True,
            tooltip=N_("Select the previous node")),
    Binding("e", "edit", N_("Edit"), tooltip=N_("Edit the selected input's value")),
    Binding("v", "values", N_("Values"), tooltip=N_("Show or hide the values table")),
    Binding("d", "pick_row", N_("Row"), show=False,
            tooltip=N_("Pick the data row to step through (scenarios with data)")),
    *mode_bindings(),
    Binding("pagedown", "panel(1)", N_("More"), key_display="PgDn",
            tooltip=N_("Scroll the step panel down (its frame says when more lies below)")),
    Binding("pageup", "panel(-1)", N_("Up"), key_display="PgUp", show=False, tooltip=N_("Scroll the step panel up")),
    Binding("question_mark", "help", N_("Help"), tooltip=N_("List every key")),
    Binding("escape", "back", N_("Scenarios"), show=False,
            tooltip=N_("Leave the current mode (back to step), else close the values table, "
                       "else back to the scenario list")),
    Binding("q", "app.quit", N_("Quit"), tooltip=N_("Quit the tutor")),
]
