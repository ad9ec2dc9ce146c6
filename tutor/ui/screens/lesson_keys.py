"""The lesson screen's keys: stepping, views, each mode's keys (from the mode registry), panel and help."""

from __future__ import annotations

from textual.binding import Binding

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
    tooltip = "Next view: neurons (nets), groups, expanded primitives"
    return [Binding("g", f"view({view!r})", label, tooltip=tooltip) for view, label in VIEW_KEY_LABELS.items()]


LESSON_BINDINGS = [
    Binding("right,l,space", "next", "Next", key_display="→", priority=True, tooltip="Next step"),
    Binding("left,h", "previous", "Back", key_display="←", priority=True, tooltip="Previous step"),
    Binding("home", "start", "Start", show=False, priority=True, tooltip="Go to the first step"),
    Binding("f", "forward_end", "End of forward pass", show=False, tooltip="Go to the end of the forward pass"),
    Binding("end", "end", "End", show=False, priority=True, tooltip="Go to the last step"),
    Binding("r", "reset", "Reset", show=False, tooltip="Back to step 0 with the file's values"),
    *view_bindings(),
    Binding("tab,down,j", "select_next", "Select", show=False, priority=True, tooltip="Select the next node"),
    Binding("shift+tab,up,k", "select_previous", "Select previous", show=False, priority=True,
            tooltip="Select the previous node"),
    Binding("e", "edit", "Edit", tooltip="Edit the selected input's value"),
    Binding("v", "values", "Values", tooltip="Show or hide the values table"),
    Binding("d", "pick_row", "Row", show=False, tooltip="Pick the data row to step through (scenarios with data)"),
    *mode_bindings(),
    Binding("pagedown", "panel(1)", "More", key_display="PgDn",
            tooltip="Scroll the step panel down (its frame says when more lies below)"),
    Binding("pageup", "panel(-1)", "Up", key_display="PgUp", show=False, tooltip="Scroll the step panel up"),
    Binding("question_mark", "help", "Help", tooltip="List every key"),
    Binding("escape", "back", "Scenarios", show=False,
            tooltip="Leave the current mode (back to step), else close the values table, "
                    "else back to the scenario list"),
    Binding("q", "app.quit", "Quit", tooltip="Quit the tutor"),
]
