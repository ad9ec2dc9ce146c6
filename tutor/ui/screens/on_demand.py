"""Widgets the lesson screen mounts only when first needed.

Startup stays as fast as a bare app: hidden widgets still cost styling and
layout, so the values table, the watch banner, the run progress bar and each
mode's widget are built the first time they are asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Static

from tutor.ui.screens.fitting import IN_GRAPHS_PLACE
from tutor.ui.widgets.mode_widget import build_mode_widget

if TYPE_CHECKING:
    from tutor.ui.screens.lesson_screen import LessonScreen


def mount_on_demand(screen: LessonScreen, widget_id: str) -> Widget:
    """Build and mount the widget named ``widget_id`` where it belongs on the lesson screen."""
    if widget_id == "values":
        from textual.widgets import DataTable

        widget = DataTable(id="values", cursor_type="row", zebra_stripes=True)
        widget.add_columns("name", "kind", "value", "∂" + screen.scenario.output + "/∂·")
        screen.query_one("#body").mount(widget)
        return widget
    if widget_id == "watch-error":
        widget = Static(id="watch-error", markup=False)
        screen.query_one("#main").mount(widget, after="#title")
        return widget
    if widget_id == "run-progress":
        from textual.widgets import ProgressBar

        widget = ProgressBar(id="run-progress", show_eta=False)
    else:
        owner = next(m for m in screen.modes.values() if m.widget and m.widget.id == widget_id)
        widget = build_mode_widget(owner)
        if owner.widget.kind in IN_GRAPHS_PLACE:
            screen.query_one("#body").mount(widget)
            return widget
    screen.query_one("#main").mount(widget)
    return widget
