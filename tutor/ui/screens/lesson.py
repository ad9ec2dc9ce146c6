"""The lesson screen: graph, progress, step panel and values table.

Stepping only moves the position k; every number on screen is read from the
lesson's step records for k, so stepping back restores the earlier screen.
"""

from __future__ import annotations

import math

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tutor.lesson import EXPANDED, GROUPS, Lesson, Line, default_view
from tutor.numbers import fmt, operand
from tutor.scenario import Scenario
from tutor.ui.screens.edit import EditScreen
from tutor.ui.screens.help import HelpScreen
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.progress import Progress
from tutor.ui.widgets.step_panel import StepPanel

MIN_WIDTH = 60
MIN_HEIGHT = 18


class LessonScreen(Screen):
    """Step forward and backward through one scenario's graph."""

    BINDINGS = [
        Binding("right,l,space", "next", "Next", tooltip="Next step"),
        Binding("left,h", "previous", "Back", tooltip="Previous step"),
        Binding("home", "start", "Start", show=False, tooltip="Go to the first step"),
        Binding("f", "forward_end", "End fwd", show=False, tooltip="Go to the end of the forward pass"),
        Binding("end", "end", "End", show=False, tooltip="Go to the last step"),
        Binding("r", "reset", "Reset", show=False, tooltip="Back to step 0 with the file's values"),
        Binding("g", "toggle_groups", "Groups", tooltip="Collapse or expand named groups"),
        Binding("tab,down,j", "select_next", "Select", show=False, priority=True, tooltip="Select the next node"),
        Binding("shift+tab,up,k", "select_previous", "Select prev", show=False, priority=True,
                tooltip="Select the previous node"),
        Binding("e", "edit", "Edit", tooltip="Edit the selected input's value"),
        Binding("v", "values", "Values", tooltip="Show or hide the values table"),
        Binding("question_mark", "help", "Help", tooltip="List every key"),
        Binding("escape", "back", "Scenarios", show=False, tooltip="Back to the scenario list"),
        Binding("q", "app.quit", "Quit", tooltip="Quit the tutor"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.lesson = Lesson(scenario, view=default_view(scenario))
        self.k = 0
        self.selected: str | None = None
        self.edit_lines: list[Line] = []

    # -- layout ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="main"):
            yield Static(self._title(), id="title")
            yield Progress(id="progress")
            with Horizontal(id="body"):
                yield GraphView(id="graph")
                yield DataTable(id="values", cursor_type="row", zebra_stripes=True)
            yield StepPanel(id="panel")
        yield Static(
            f"Window too small.\nThe tutor needs at least {MIN_WIDTH}×{MIN_HEIGHT} cells.\nEnlarge the terminal.",
            id="too-small",
        )
        yield Footer()

    def _title(self) -> str:
        s = self.scenario
        return f" {s.title}  ·  {s.name}  ·  output: {s.output}"

    def on_mount(self) -> None:
        table = self.query_one("#values", DataTable)
        table.add_columns("name", "kind", "value", "∂" + self.scenario.output + "/∂·")
        table.display = False
        self.query_one(GraphView).set_lesson(self.lesson)
        self.refresh_view()
        self.query_one(GraphView).focus()

    def on_resize(self) -> None:
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        self.set_class(small, "too-small")
        self.call_after_refresh(self._refresh_progress)

    # -- drawing -------------------------------------------------------------

    def _refresh_progress(self) -> None:
        self.query_one(Progress).show(self.lesson, self.k, getattr(self, "mode_label", ""))

    def refresh_view(self, scroll: bool = True) -> None:
        graph = self.query_one(GraphView)
        graph.show(self.k, self.selected, scroll=scroll)
        self._refresh_progress()
        lines = self.lesson.explain(self.k)
        if self.selected:
            lines = lines + self._selected_lines(self.selected)
        if self.edit_lines:
            lines = lines + self.edit_lines
        self.query_one(StepPanel).show(lines)
        self._refresh_table()

    def _selected_lines(self, key: str) -> list[Line]:
        lesson = self.lesson
        frame = lesson.frame(self.k)
        out = lesson.scenario.output
        node = lesson.graph.node(key)
        kind = node.kind if node.kind != "op" else ("group" if lesson.view == GROUPS else node.op)
        line: Line = [("Selected ", "title"), (lesson.title_of(key), "name"), (f" ({kind})", "dim")]
        if key in frame.values:
            line += [("  value ", ""), (fmt(frame.values[key]), "value")]
        else:
            line += [("  value not computed yet", "dim")]
        if key in frame.grads:
            line += [("  ", ""), (f"∂{out}/∂{key}", "grad"), (" = ", ""), (fmt(frame.grads[key]), "grad")]
            if key not in frame.finished and node.kind == "op" and key != out:
                line += [(" so far", "dim")]
        lines = [line]
        if key in lesson.scenario.nodes:
            lines.append([("  ", ""), (key, "name"), (": ", ""), (lesson.scenario.nodes[key], "formula")])
        if node.kind in ("input", "param"):
            lines.append([("  press e to change its value", "dim")])
        note = lesson.scenario.notes.get(key)
        if note and (not frame.current or frame.current != key):
            lines.append([("  ✎ ", "note"), (note, "note")])
        return lines

    def _refresh_table(self) -> None:
        table = self.query_one("#values", DataTable)
        if not table.display:
            return
        frame = self.lesson.frame(self.k)
        table.clear()
        for name in self.scenario.named:
            node = self.lesson.graph.node(name)
            kind = node.kind if node.kind != "op" else "node"
            value = fmt(frame.values[name]) if name in frame.values else "·"
            grad = fmt(frame.grads[name]) if name in frame.grads else "·"
            table.add_row(name, kind, value, grad, key=name)

    # -- stepping --------------------------------------------------------------

    def go(self, k: int) -> None:
        """Move to position k (clamped) and redraw."""
        self.k = max(0, min(k, self.lesson.last))
        self.refresh_view()

    def action_next(self) -> None:
        """Next step."""
        if self.k >= self.lesson.last:
            self.app.bell()
            return
        self.go(self.k + 1)

    def action_previous(self) -> None:
        """Previous step."""
        if self.k <= 0:
            self.app.bell()
            return
        self.go(self.k - 1)

    def action_start(self) -> None:
        """To the first step."""
        self.go(0)

    def action_forward_end(self) -> None:
        """To the end of the forward pass."""
        self.go(self.lesson.forward_end)

    def action_end(self) -> None:
        """To the last step."""
        self.go(self.lesson.last)

    def action_reset(self) -> None:
        """Back to step 0 with the file's values."""
        self.lesson = Lesson(self.scenario, view=self.lesson.view)
        self.edit_lines = []
        self.query_one(GraphView).set_lesson(self.lesson)
        self.go(0)

    def action_toggle_groups(self) -> None:
        """Switch between one box per primitive and one box per named node."""
        other = self.lesson.with_view(GROUPS if self.lesson.view == EXPANDED else EXPANDED)
        k = self.lesson.map_position(self.k, other)
        if self.selected and self.selected not in {n.key for n in other.nodes}:
            self.selected = self.lesson.graph.node(self.selected).group or None
        self.lesson = other
        self.query_one(GraphView).set_lesson(other)
        self.go(k)

    def _select(self, delta: int) -> None:
        keys = [n.key for n in self.lesson.nodes]
        if not keys:
            return
        if self.selected in keys:
            index = (keys.index(self.selected) + delta) % len(keys)
        else:
            index = 0 if delta > 0 else len(keys) - 1
        self.selected = keys[index]
        self.refresh_view(scroll=False)
        self._scroll_to(self.selected)

    def _scroll_to(self, key: str) -> None:
        graph = self.query_one(GraphView)
        box = graph.layout_.boxes.get(key) if graph.layout_ else None
        if box is not None:
            from textual.geometry import Region

            graph.scroll_to_region(Region(box.x, box.y, box.w, box.h), animate=False)

    def action_select_next(self) -> None:
        """Select the next node (in the file's order)."""
        self._select(1)

    def action_select_previous(self) -> None:
        """Select the previous node."""
        self._select(-1)

    @on(GraphView.NodeSelected)
    def on_graph_view_node_selected(self, message: GraphView.NodeSelected) -> None:
        self.selected = message.key
        self.refresh_view(scroll=False)

    def action_values(self) -> None:
        """Show or hide the table of every value and gradient so far."""
        table = self.query_one("#values", DataTable)
        table.display = not table.display
        self._refresh_table()

    def action_help(self) -> None:
        """List every key."""
        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_back(self) -> None:
        """Back to the scenario list."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.action_show_picker()

    # -- editing an input ------------------------------------------------------------

    def action_edit(self) -> None:
        """Change the selected input's value; the whole trace recomputes."""
        key = self.selected
        leaves = self.scenario.leaves
        if key not in leaves:
            key = next(iter(leaves), None)
            if key is None:
                return
            self.selected = key
        current = self.lesson.trace.value(key)

        def apply(value: float | None) -> None:
            if value is not None:
                self.apply_edit(key, value)

        self.app.push_screen(EditScreen(key, current), apply)

    def apply_edit(self, name: str, value: float) -> None:
        """Recompute with ``name`` = value; explain what the old gradient predicted."""
        old = self.lesson
        new = old.with_values({name: value})
        out = self.scenario.output
        before = old.trace.value(name)
        delta = value - before
        grad = old.trace.grad(name)
        predicted = grad * delta
        actual = new.trace.output_value - old.trace.output_value
        lines: list[Line] = [
            [("Edited ", "title"), (name, "name"), (": ", ""), (fmt(before), "value"), (" → ", ""),
             (fmt(value), "value"), (f" (change {'+' if delta >= 0 else ''}{fmt(delta)})", "dim")],
            [("  The gradient predicted ", ""), (f"∂{out}/∂{name}", "grad"), (" × change = ", ""),
             (operand(grad), "grad"), (" × ", ""), (operand(delta), "value"), (" = ", ""), (fmt(predicted), "grad")],
            [("  Actual change of ", ""), (out, "name"), (": ", ""), (fmt(old.trace.output_value), "value"),
             (" → ", ""), (fmt(new.trace.output_value), "value"), (" = ", ""), (fmt(actual), "value")],
        ]
        if math.isfinite(predicted) and math.isfinite(actual):
            close = math.isclose(predicted, actual, rel_tol=1e-9, abs_tol=1e-12)
            words = (
                "Exact: the output is linear in this input." if close else
                "Not exact: the gradient is the slope at the old point, a linear prediction."
            )
            lines.append([("  " + words, "note")])
        self.edit_lines = lines
        self.lesson = new
        self.query_one(GraphView).set_lesson(new)
        self.go(self.k)
