"""How the lesson screen fills its window: what the graph's pane shows, and the panel's rows.

The graph's pane shows the graph, or in its place the values table (in a
narrow window) or the current mode's table or plot. The ``Stage`` widget
then shares the rows between that pane and the step panel. Kept apart from
the screen, which only calls ``fit`` after each redraw and on resize.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size

from tutor.teach.lesson import Line
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.mode_widget import fill_mode_widget
from tutor.ui.widgets.stage import BODY_MIN, WIDE, Stage
from tutor.ui.widgets.step_panel import PanelBox

if TYPE_CHECKING:
    from tutor.ui.screens.lesson_screen import LessonScreen

IN_GRAPHS_PLACE = ("table", "plot")
"""Kinds of mode widget that take the graph's place (at 80×24 there is no room beside it)."""


class Fitting:
    """The lesson screen's stage: what its pane shows, the panel's words and rows, the footer's PgDn."""

    def __init__(self, screen: LessonScreen) -> None:
        self.screen = screen
        self.panel_lines: tuple[list[Line], list[Line] | None] | None = None
        self.panel_place: tuple | None = None
        self.panel_scrolls = False

    def shown_in_body(self) -> str:
        """What the graph's pane shows: ``graph``, ``values`` (narrow windows) or a mode's table or plot."""
        screen = self.screen
        if screen.has_widget("values") and screen.widget_for("values").display and screen.size.width < WIDE:
            return "values"
        widget = screen.mode.widget
        if widget is not None and widget.kind in IN_GRAPHS_PLACE and screen.mode.widget_shown():
            return widget.id
        return "graph"

    def show_body(self) -> None:
        screen = self.screen
        shown = self.shown_in_body()
        screen.query_one(GraphView).display = shown == "graph"
        if screen.has_widget("values"):
            screen.widget_for("values").styles.width = "1fr" if shown == "values" else 46

    def body_need(self) -> int:
        """Rows the graph's pane needs to show everything it holds."""
        screen = self.screen
        shown = self.shown_in_body()
        if shown == "graph":
            return screen.query_one(GraphView).drawing_height
        if shown == "values":
            return len(screen.scenario.named) + 3
        if screen.mode.widget is not None and screen.mode.widget.kind == "table":
            return len(screen.mode.table()[1]) + 1
        return BODY_MIN

    def show(self, lines: list[Line], compact: list[Line] | None, place: tuple, memory, view) -> None:  # noqa: ANN001
        """After a redraw: the panel's words, the pane's contents, the fit, then the scroll positions."""
        screen = self.screen
        self.panel_lines = (lines, compact)
        self.show_body()
        self.fit()
        if memory is not None:
            screen.query_one(Stage).restore(memory)
        else:
            if view.highlight_nodes:
                screen.query_one(GraphView).bring_nodes_into_view(view.highlight_nodes, screen.place.leaf())
            if place != self.panel_place:
                screen.query_one(PanelBox).scroll_home(animate=False, immediate=True)
        self.panel_place = place

    def gone(self) -> bool:
        """True once the screen's widgets are gone (a callback queued before Esc left the lesson runs late)."""
        return not self.screen.is_attached or not self.screen.query(Stage)

    def fit(self, size: Size | None = None) -> None:
        """Share the stage between graph and panel (see ``Stage.fit``; ``size``: the stage's, while arranged)."""
        screen = self.screen
        if self.panel_lines is None or self.gone() or not screen.query_one(Stage).fit(*self.panel_lines, self.body_need, size):
            return
        screen.call_after_refresh(self.panel_keys)
        if self.shown_in_body() not in ("graph", "values"):
            screen.call_after_refresh(self.refill_mode_widget)

    def refill_mode_widget(self) -> None:
        """A plot is drawn to the size of the pane it fills: again after the pane changed."""
        screen, mode = self.screen, self.screen.mode
        if self.gone():
            return
        if mode.widget is not None and mode.widget.kind == "plot" and mode.widget_shown():
            body = screen.query_one("#body").size
            fill_mode_widget(screen.widget_for(mode.widget.id), mode, body.width, body.height)

    def refill_training(self) -> None:
        """The training panel is drawn to the window's size: again after a resize."""
        screen, mode = self.screen, self.screen.mode
        if self.gone():
            return
        if mode.widget is not None and mode.widget.kind == "training" and screen.has_widget(mode.widget.id):
            widget = screen.widget_for(mode.widget.id)
            if widget.display:
                fill_mode_widget(widget, mode, screen.query_one("#body").size.width or screen.size.width)

    def panel_keys(self) -> None:
        """Show PgDn in the footer while more of the panel lies below (the footer rebuilds only on a change)."""
        if self.gone():
            return
        box = self.screen.query_one(PanelBox)
        scrolls = box.scroll_y < box.max_scroll_y
        if scrolls != self.panel_scrolls:
            self.panel_scrolls = scrolls
            self.screen.refresh_bindings()
