"""The extra widget a mode may ask for, by kind: a line to type in, a table, a plot.

The mode says which kind and what goes in it (``Mode.widget``,
``placeholder()``, ``table()``, ``curve()``); this module only builds the
Textual widget and copies the mode's data into it.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Input, Static

from tutor import startup
from tutor.i18n import _
from tutor.draw import plot, training_rows  # deferred (tutor.startup): drawn when a mode asks
from tutor.teach.modes import Mode
from tutor.ui.widgets import training_panel  # deferred too

PLOT_HEIGHT = 6
"""Rows of the curve at least; it grows with the pane it fills."""
PLOT_LABELS = 3
"""Rows around the curve: its title, the axis and the step labels."""


def build_mode_widget(mode: Mode) -> Widget:
    """A new, empty widget of the kind the mode asks for."""
    spec = mode.widget
    assert spec is not None
    if spec.kind == "input":
        return Input(placeholder=mode.placeholder(), id=spec.id)
    if spec.kind == "table":
        return startup.deferred("textual.widgets", "DataTable")(id=spec.id, cursor_type="row", zebra_stripes=True)
    if spec.kind == "plot":
        return Static(id=spec.id)
    if spec.kind == "training":
        return training_panel.TrainingPanel(id=spec.id)
    raise ValueError(f"unknown widget kind {spec.kind!r}")


def training_height(screen_height: int) -> int:
    """Rows for the training panel's drawing: a third of the window, from 5 to 12 rows.

    Measured on the window, not on the graph's pane, which the panel itself
    shrinks: sized from the pane, each refill came out smaller than the last.
    At 24 rows the loss curve gets 6 rows (plus its axis and labels).
    """
    return max(5, min(12, screen_height // 3)) if screen_height else 5


def fill_mode_widget(widget: Widget, mode: Mode, width: int, height: int = 0) -> None:
    """Put the mode's current data in its widget (``width`` and ``height``: the pane it fills)."""
    spec = mode.widget
    assert spec is not None
    if spec.kind == "input":
        assert isinstance(widget, Input)
        widget.value = ""  # a new question: start with an empty line
    elif spec.kind == "table":
        columns, rows = mode.table()
        widget.clear(columns=True)
        widget.add_columns(*columns)
        for row in rows:
            widget.add_row(*row)
    elif spec.kind == "training":
        widget.show([], training_rows.training_panel(mode.training_session(), max(40, width - 4),
                                                     training_height(widget.screen.size.height)))
    elif spec.kind == "plot":
        assert isinstance(widget, Static)
        title, numbers = mode.curve()
        lines = plot.plot(numbers, width=max(30, width - 4), height=max(PLOT_HEIGHT, height - PLOT_LABELS))
        lines[-1] = training_rows.relabel_axis(lines[-1], _("step 0"))
        widget.update(title + "\n" + "\n".join(lines))
