"""The stage: the graph's pane and the step panel, sharing the window.

Stacked (graph above, panel below) in ordinary windows, side by side from
``WIDE`` columns. The stage alone decides how its rows are shared: the graph
is fitted first, at the density that shows it whole with room left for the
panel; the panel then takes the rows the pane does not need, and shows the
full explanation, or its compact form, or scrolls with a "more below" mark.
It shares them again whenever its content, its size or the graph's density
changes, and then posts ``RowsShared`` for the screen to read what changed.
The stage also remembers the scroll positions of every place the learner
has been, so stepping back restores the earlier screen exactly.
"""

from __future__ import annotations

from textual.containers import Container
from textual.css.scalar import Unit
from textual.geometry import Size
from textual.message import Message

from tutor.draw.density import NAMES
from tutor.teach.text import Line, wrap
from tutor.ui.textual_patches import forget_arrangements
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.step_panel import PanelBox, StepPanel

WIDE = 140
"""From this many columns on, the panel stands beside the graph instead of under it."""
PANEL_WIDTH = 64
"""The panel's width beside the graph, at least."""
PANEL_MAX_WIDTH = 110
"""The panel's width beside the graph at most: it takes the columns the graph leaves, up to a line one reads."""
PANEL_MIN = 8
"""Rows the panel keeps under the graph (frame included): six lines of words."""
PANEL_FLOOR = 4
"""Rows the panel never goes below (two lines), for a graph that does not fit even at its smallest."""
BODY_MIN = 10
"""Rows a table or plot in the graph's place keeps: a loss curve of 6 rows with its labels."""
SCROLL_BAR = 1
"""Columns the panel's scroll bar takes (``PanelBox``'s style)."""
GRAPH = "graph"
"""The pane's content when it shows the graph (the stage asks the graph how tall it is)."""


class Stage(Container):
    """Graph (or a table or plot in its place) and the step panel."""

    class RowsShared(Message):
        """The stage shared its rows again: the graph's density, the panel's form or its scrolling may differ."""

    def __init__(self, *children, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(*children, id=id)
        self._scrolls: dict[tuple, tuple[float, float, float]] = {}
        self._shown: tuple | None = None
        self._arranged: Size | None = None
        self._words: tuple[list[Line], list[Line] | None] | None = None
        self._pane: tuple[str, int] = (GRAPH, 0)
        self._forms: list[list[Line]] | None = None
        self._tallest: dict[int, int] = {}
        self._keeps: dict[tuple[int, int], bool] = {}
        """Stage size -> whether the panel keeps room for the tallest full form there (decided once per size)."""
        self._fitted: tuple | None = None
        """The graph as the last sharing left it (``_graph_state``): a refit that changes nothing shares nothing."""

    def show(
        self, lines: list[Line], compact: list[Line] | None, pane: str = GRAPH, pane_rows: int = 0,
        full_forms: list[list[Line]] | None = None,
    ) -> None:
        """New words for the panel, and what the pane shows: the graph, or something else ``pane_rows`` tall.

        ``full_forms``: every step's full explanation; under the graph, the panel keeps room for the tallest
        when the graph still shows its numbers in the rows left, so that the full form stays on screen
        throughout the lesson instead of giving way to the compact one at its longest steps.
        """
        self._words = (lines, compact)
        self._pane = (pane, pane_rows)
        if full_forms is not self._forms:
            self._forms, self._tallest, self._keeps = full_forms, {}, {}
        self.share_rows()

    def _tallest_rows(self, width: int) -> int:
        """Rows the tallest full explanation takes at ``width`` cells (0 without full forms)."""
        if not self._forms:
            return 0
        if width not in self._tallest:
            self._tallest[width] = max(len(wrap(lines, max(1, width))) for lines in self._forms)
        return self._tallest[width]

    def arrange(self, size: Size, optimal: bool = False):  # noqa: ANN201 - Textual's DockArrangeResult
        """Share the stage for a new size before the graph and panel are placed in it.

        Textual arranges the stage, draws the frame, and only then tells the stage
        its size (``on_resize``): shared there, the first frame of a lesson (and of
        each window size) was drawn unfitted, then laid out and drawn again.
        """
        if size != self._arranged and size.width > 0 and size.height > 0:
            self._arranged = size
            self.share_rows(size)
            # Sharing asks sizes, which arranges the screen again at the sizes before: forget those.
            forget_arrangements(self)
        return super().arrange(size, optimal=optimal)

    def on_resize(self) -> None:
        if self.size != self._arranged:  # else shared already, while being arranged at this size
            self.share_rows()

    def on_graph_view_level_changed(self) -> None:
        """A zoom or a refit of the graph: share the rows again, if it changed since the stage last shared them
        (the fits the sharing itself makes report too: answering those would share forever)."""
        self.call_after_refresh(self._share_if_refitted)

    def _graph_state(self) -> tuple:
        graph = self.query_one(GraphView)
        return graph.level, graph.virtual_size, graph.drawing_height, graph.room

    def _share_if_refitted(self) -> None:
        if self.is_attached and self.query(GraphView) and self._graph_state() != self._fitted:
            self.share_rows()

    @property
    def wide(self) -> bool:
        return self.size.width >= WIDE

    def _pane_rows(self) -> int:
        """Rows the pane needs to show everything it holds (asked after the graph is fitted: a drawing's
        height depends on its density)."""
        pane, rows = self._pane
        return self.query_one(GraphView).drawing_height if pane == GRAPH else rows

    def share_rows(self, size: Size | None = None) -> None:
        """Fit the graph, then give the panel its rows (``size``: the stage's, while being arranged)."""
        if self._words is None or not self.is_attached or not self.query(GraphView):
            return  # nothing to show yet, or the screen is going (a late call queued before Esc)
        width, height = size or self.size
        if width <= 0 or height <= 0:
            return
        lines, compact = self._words
        wide = width >= WIDE
        self.set_class(wide, "wide")
        graph = self.query_one(GraphView)
        box = self.query_one(PanelBox)
        panel = self.query_one(StepPanel)
        panel_width = width
        if wide:
            # Beside the graph, the panel takes the columns the graph does not need (a small graph at 200
            # columns leaves a hundred).
            graph.set_room((width - PANEL_WIDTH, height))
            panel_width = max(PANEL_WIDTH, min(PANEL_MAX_WIDTH, width - graph.virtual_size.width - 4))
            if box.styles.inline.width is None or box.styles.inline.width.value != panel_width:
                box.styles.width = panel_width  # (its own width only: an unchanged one would lay the screen out again)
        elif box.styles.inline.width is not None:
            box.styles.width = None
        # The panel's words are wrapped to its frame's width less the frame, the padding and the scroll bar's
        # column (kept whether the bar shows or not, so the same words always wrap the same way; and asked of
        # the styles, since asking the panel for its region while arranging would arrange the whole screen).
        known = panel_width - box.styles.gutter.width - panel.styles.gutter.width - SCROLL_BAR
        cap = box.styles.max_height
        box_height: int | None = None  # beside the graph: as tall as the stage
        if not wide and cap is not None and cap.unit is Unit.CELLS:
            # A panel kept short by its style (training's status lines): it takes the rows its
            # words need, up to that, and the graph every other row (fitted to them, not to fewer).
            rows = max(PANEL_FLOOR, int(cap.value)) - 2
            used = panel.show(lines, compact, rows, known)
            box_height = max(PANEL_FLOOR - 1, min(used, rows) + 2)
            graph.set_room((width, height - box_height))
        else:
            if wide:
                graph.set_room((width - panel_width, height))
                rows = height - 2
            else:
                keep = self._tallest_rows(known) + 2
                decided = self._keeps.get((width, height))
                if decided is None and keep > PANEL_MIN:
                    decided = self._keeps[(width, height)] = self._fits_beside(graph, width, height - keep)
                if decided:
                    graph.set_room((width, height - keep))
                else:
                    graph.set_room((width, height - PANEL_MIN))
                need = self._pane_rows()
                # A graph too tall even at its smallest may take rows down to PANEL_FLOOR (the panel scrolls).
                rows = max(PANEL_FLOOR, height - min(need, height - PANEL_FLOOR)) - 2
                rows = max(rows, min(PANEL_MIN, height - need) - 2)
            used = panel.show(lines, compact, rows, known)
            if not wide:
                # The frame is as tall as the lesson's tallest explanation (or as the rows the graph leaves) at
                # every step: a frame that grew and shrank with the words laid the whole screen out again at
                # each step, for rows the graph, fitted without them, left blank anyway.
                hold = keep - 2
                box_height = max(min(PANEL_MIN, rows + 2), min(max(used, hold), rows) + 2)
        if box_height is None:
            box.styles.height = None
        elif box.styles.height is None or box.styles.height.value != box_height:
            box.styles.height = box_height
        panel.fill((box_height if box_height is not None else height) - box.styles.gutter.height)
        self._fitted = self._graph_state()
        self.post_message(self.RowsShared())

    def _fits_beside(self, graph: GraphView, width: int, rows: int) -> bool:
        """Fit the graph into ``rows``; whether it shows there whole and with its numbers (not names only)."""
        if rows < BODY_MIN // 2 or self._pane[0] != GRAPH:
            return False
        graph.set_room((width, rows))
        return graph.level != NAMES and graph.drawing_height <= rows

    def arrive(self, place: tuple) -> tuple[float, float, float] | None:
        """Keep the scroll positions of the place being left; those kept for ``place``, if it was seen."""
        graph, box = self.query_one(GraphView), self.query_one(PanelBox)
        if self._shown is not None:
            self._scrolls[self._shown] = (graph.scroll_x, graph.scroll_y, box.scroll_y)
        memory = self._scrolls.get(place) if place != self._shown else None
        self._shown = place
        return memory

    def restore(self, memory: tuple[float, float, float]) -> None:
        """Scroll graph and panel back to where they were."""
        self.query_one(GraphView).scroll_to(memory[0], memory[1], animate=False, immediate=True)
        box = self.query_one(PanelBox)
        self.call_after_refresh(lambda: box.scroll_to(y=memory[2], animate=False, immediate=True))
