"""The lesson screen: graph, progress, step panel and values table.

Stepping only moves the position k; every number on screen is read from the
lesson's step records for k, so stepping back restores the earlier screen.
"""

from __future__ import annotations

import math

from rich.text import Text

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tutor.teach import modes
from tutor.teach.lesson import EXPANDED, GROUPS, Frame, Lesson, Line, default_view
from tutor.engine.numbers import fmt, operand
from tutor.teach.quiz import QuizSession
from tutor.scenario import Scenario
from tutor.ui.screens.edit import EditScreen
from tutor.ui.screens.help import HelpScreen
from tutor.ui.screens.modes import TRAIN_RUN_STEPS, ModesMixin
from tutor.ui.screens.quiz import QuizMixin
from tutor.ui.screens.watching import FileStamp, WatchMixin
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.progress import Progress
from tutor.ui.widgets.step_panel import StepPanel

MIN_WIDTH = 60
MIN_HEIGHT = 18

MODE_NAMES = {
    "step": "step",
    "quiz": "quiz",
    "forward": "forward mode",
    "paths": "paths",
    "check": "numeric check",
    "train": "training",
}


class LessonScreen(ModesMixin, QuizMixin, WatchMixin, Screen):
    """Step forward and backward through one scenario's graph."""

    BINDINGS = [
        Binding("right,l,space", "next", "Next", key_display="→", priority=True, tooltip="Next step"),
        Binding("left,h", "previous", "Back", key_display="←", priority=True, tooltip="Previous step"),
        Binding("home", "start", "Start", show=False, priority=True, tooltip="Go to the first step"),
        Binding("f", "forward_end", "End fwd", show=False, tooltip="Go to the end of the forward pass"),
        Binding("end", "end", "End", show=False, priority=True, tooltip="Go to the last step"),
        Binding("r", "reset", "Reset", show=False, tooltip="Back to step 0 with the file's values"),
        Binding("g", "toggle_groups", "Groups", tooltip="Collapse or expand named groups"),
        Binding("tab,down,j", "select_next", "Select", show=False, priority=True, tooltip="Select the next node"),
        Binding("shift+tab,up,k", "select_previous", "Select prev", show=False, priority=True,
                tooltip="Select the previous node"),
        Binding("e", "edit", "Edit", tooltip="Edit the selected input's value"),
        Binding("v", "values", "Values", tooltip="Show or hide the values table"),
        Binding("1", "mode('step')", "Step", show=False, tooltip="Step mode: walk forward then backward"),
        Binding("2", "mode('quiz')", "Quiz", tooltip="Quiz mode: answer each value and gradient before it is shown"),
        Binding("3", "mode('forward')", "Fwd mode", show=False,
                tooltip="Forward mode: push d(node)/d(selected leaf) left to right"),
        Binding("4", "mode('paths')", "Paths", show=False,
                tooltip="Paths: every path from the selected leaf to the output, and their sum"),
        Binding("5", "mode('check')", "Check", show=False,
                tooltip="Numeric check: backprop against central differences for every leaf"),
        Binding("6", "mode('train')", "Train", show=False, tooltip="Training mode (scenarios with params)"),
        Binding("t", "train_step", "Train step", show=False, tooltip="Training: one gradient-descent step"),
        Binding("T", "train_run", "Train 50", show=False,
                tooltip=f"Training: run {TRAIN_RUN_STEPS} steps and plot the loss"),
        Binding("question_mark", "help", "Help", tooltip="List every key"),
        Binding("escape", "back", "Scenarios", show=False, tooltip="Back to the scenario list"),
        Binding("q", "app.quit", "Quit", tooltip="Quit the tutor"),
    ]

    def __init__(self, scenario: Scenario, watch: str | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.watch_path = watch
        self.stamp = FileStamp(watch)
        self.lesson = Lesson(scenario, view=default_view(scenario))
        self.k = 0
        self.selected: str | None = None
        self.edit_lines: list[Line] = []
        self.mode = "step"
        self.quiz = QuizSession()
        self.quiz_pending: list = []
        self.quiz_target = 0
        self.quiz_feedback: list[Line] = []
        self.walk: modes.TangentWalk | None = None
        self.walk_k = 0
        self.path_view: modes.PathView | None = None
        self.path_index = 0
        self.check_rows: list = []
        self.losses: list[float] = []
        self.train_lines: list[Line] = []
        self.training = False

    @property
    def mode_label(self) -> str:
        return "" if self.mode == "step" else MODE_NAMES[self.mode]

    # -- layout ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="main"):
            yield Static(self._title(), id="title")
            yield Progress(id="progress")
            with Horizontal(id="body"):
                yield GraphView(id="graph")
            with VerticalScroll(id="panel-box"):
                yield StepPanel(id="panel")
        yield Static(
            f"Window too small.\nThe tutor needs at least {MIN_WIDTH}×{MIN_HEIGHT} cells.\nEnlarge the terminal.",
            id="too-small",
        )
        yield Footer()

    def part(self, widget_id: str):  # noqa: ANN201 - returns the widget named
        """A widget used only by some modes, mounted the first time it is needed.

        Startup stays as fast as a bare app: hidden widgets still cost
        styling and layout, so they are not built until asked for.
        """
        found = self.query(f"#{widget_id}")
        if found:
            return found.first()
        from textual.widgets import DataTable, ProgressBar

        if widget_id == "values":
            widget = DataTable(id="values", cursor_type="row", zebra_stripes=True)
            widget.add_columns("name", "kind", "value", "∂" + self.scenario.output + "/∂·")
            self.query_one("#body").mount(widget)
        elif widget_id == "watch-error":
            widget = Static(id="watch-error", markup=False)
            self.query_one("#main").mount(widget, after="#title")
        else:
            widget = {
                "answer": lambda: Input(
                    placeholder="your answer (e.g. 2.2, 1/3, 2*1.1), Enter to check, Esc to leave the quiz",
                    id="answer",
                ),
                "aux": lambda: DataTable(id="aux", cursor_type="row", zebra_stripes=True),
                "train-progress": lambda: ProgressBar(id="train-progress", total=TRAIN_RUN_STEPS, show_eta=False),
                "plot": lambda: Static(id="plot"),
            }[widget_id]()
            self.query_one("#main").mount(widget)
        return widget

    def has_part(self, widget_id: str) -> bool:
        return bool(self.query(f"#{widget_id}"))

    def _title(self) -> Text:
        s = self.scenario
        return Text(f" {s.title}  ·  {s.name}  ·  output: {s.output}")  # plain text: a title may hold "[/]"

    def on_mount(self) -> None:
        if self.watch_path:
            self.set_interval(0.3, self.check_file)
        self.query_one(GraphView).set_lesson(self.lesson)
        self.refresh_view()
        self.query_one(GraphView).focus()

    def on_resize(self) -> None:
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        self.set_class(small, "too-small")
        self.call_after_refresh(self._refresh_progress)

    # -- drawing -------------------------------------------------------------

    def _refresh_progress(self) -> None:
        progress = self.query_one(Progress)
        if self.mode == "forward" and self.walk is not None:
            progress.show_mode(
                "FORWARD MODE", f"d(node)/d{self.walk.leaf}: {self.walk_k} of {len(self.walk) - 1}",
                self.walk_k, len(self.walk) - 1,
            )
        elif self.mode == "paths" and self.path_view is not None:
            count = len(self.path_view.routes)
            where = f"path {self.path_index + 1} of {count}" if count else "too many paths to list"
            progress.show_mode("PATHS", f"from {self.path_view.leaf}: {where}", self.path_index + 1, count)
        elif self.mode == "check":
            progress.show_mode("NUMERIC CHECK", f"{len(self.scenario.leaves)} leaves, central differences")
        elif self.mode == "train":
            steps = max(0, len(self.losses) - 1)
            progress.show_mode("TRAINING", f"{steps} step{'s' if steps != 1 else ''}, learning rate "
                               f"{fmt(self.scenario.learning_rate)}")
        else:
            progress.show(self.lesson, self.k, self.mode_label)

    def refresh_view(self, scroll: bool = True) -> None:
        """Redraw graph, progress and panel for the current mode and position."""
        graph = self.query_one(GraphView)
        frame, lines, highlight_nodes, highlight_edges = self._mode_view()
        graph.show(frame, self.selected, highlight_nodes, highlight_edges, scroll=scroll)
        self._refresh_progress()
        if self.selected and self.mode in ("step", "quiz"):
            lines = lines + self._selected_lines(self.selected, frame)
        if self.edit_lines:
            lines = lines + self.edit_lines
        self.query_one(StepPanel).show(lines)
        self._refresh_table()

    def _mode_view(self) -> tuple[Frame, list[Line], frozenset, frozenset]:
        """The frame to draw and the words to show, by mode."""
        lesson = self.lesson
        empty: frozenset = frozenset()
        if self.mode == "quiz":
            return self._quiz_view()
        if self.mode == "forward" and self.walk is not None:
            j = max(0, min(self.walk_k, len(self.walk) - 1))
            return self.walk.frames[j], list(self.walk.explanations[j]), empty, empty
        if self.mode == "paths" and self.path_view is not None:
            frame = lesson.focus(lesson.frame(lesson.last), None)
            lines = modes.explain_paths(lesson, self.path_view, self.path_index)
            if self.path_view.routes:
                route = self.path_view.routes[self.path_index % len(self.path_view.routes)]
                nodes, edges = modes.path_highlight(lesson, route)
                return frame, lines, nodes, edges
            return frame, lines, empty, empty
        if self.mode in ("check", "train"):
            frame = lesson.focus(lesson.frame(lesson.last), None)
            lines = self._check_lines() if self.mode == "check" else self._train_lines()
            return frame, lines, empty, empty
        return lesson.frame(self.k), lesson.explain(self.k), empty, empty

    def _selected_lines(self, key: str, frame: Frame) -> list[Line]:
        lesson = self.lesson
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
        if not self.has_part("values"):
            return
        table = self.part("values")
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys meant for the answer box go to it while it has focus."""
        typing = ("select_next", "select_previous", "next", "previous", "start", "end")
        if isinstance(self.focused, Input) and action in typing:
            return False
        return True

    # -- stepping --------------------------------------------------------------

    def use_lesson(self, lesson: Lesson) -> None:
        """Show another lesson (new values, view or file); the graph re-lays out if its shape changed."""
        self.lesson = lesson
        self.query_one(GraphView).set_lesson(lesson)

    def go(self, k: int) -> None:
        """Move to position k (clamped) and redraw."""
        self.k = max(0, min(k, self.lesson.last))
        self.refresh_view()

    def action_next(self) -> None:
        """Next step."""
        if self.mode == "quiz":
            self.quiz_advance()
            return
        if self.mode == "forward" and self.walk is not None:
            self._walk_to(self.walk_k + 1)
            return
        if self.mode == "paths" and self.path_view is not None:
            self._path_to(self.path_index + 1)
            return
        if self.k >= self.lesson.last:
            self.app.bell()
            return
        self.go(self.k + 1)

    def action_previous(self) -> None:
        """Previous step."""
        if self.mode == "forward" and self.walk is not None:
            self._walk_to(self.walk_k - 1)
            return
        if self.mode == "paths" and self.path_view is not None:
            self._path_to(self.path_index - 1)
            return
        if self.mode == "quiz" and self.quiz_pending:
            self.app.bell()
            return
        if self.k <= 0:
            self.app.bell()
            return
        self.go(self.k - 1)

    def action_start(self) -> None:
        """To the first step."""
        if self.mode == "forward" and self.walk is not None:
            self._walk_to(0)
            return
        self._leave_quiz_question()
        self.go(0)

    def action_forward_end(self) -> None:
        """To the end of the forward pass."""
        self._leave_quiz_question()
        self.go(self.lesson.forward_end)

    def action_end(self) -> None:
        """To the last step."""
        if self.mode == "forward" and self.walk is not None:
            self._walk_to(len(self.walk) - 1)
            return
        self._leave_quiz_question()
        self.go(self.lesson.last)

    def action_reset(self) -> None:
        """Back to step 0 with the file's values."""
        self.use_lesson(Lesson(self.scenario, view=self.lesson.view))
        self.edit_lines = []
        self.losses = []
        self.train_lines = []
        self.quiz = QuizSession()
        self._leave_quiz_question()
        if self.has_part("plot"):
            self.part("plot").display = False
        self._rebuild_mode()
        self.go(0)

    def action_toggle_groups(self) -> None:
        """Switch between one box per primitive and one box per named node."""
        other = self.lesson.with_view(GROUPS if self.lesson.view == EXPANDED else EXPANDED)
        k = self.lesson.map_position(self.k, other)
        if self.selected and self.selected not in {n.key for n in other.nodes}:
            self.selected = self.lesson.graph.node(self.selected).group or None
        self.use_lesson(other)
        self._leave_quiz_question()
        self._rebuild_mode()
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
        self._selection_changed()
        self.refresh_view(scroll=False)
        self._scroll_to(self.selected)

    def _scroll_to(self, key: str) -> None:
        self.query_one(GraphView).bring_into_view(key)

    def action_select_next(self) -> None:
        """Select the next node (in the file's order)."""
        self._select(1)

    def action_select_previous(self) -> None:
        """Select the previous node."""
        self._select(-1)

    @on(GraphView.NodeSelected)
    def on_graph_view_node_selected(self, message: GraphView.NodeSelected) -> None:
        self.selected = message.key
        self._selection_changed()
        self.refresh_view(scroll=False)

    def _selection_changed(self) -> None:
        """In forward-mode and paths modes, selecting a leaf picks the leaf."""
        if self.mode in ("forward", "paths") and self.selected in self.scenario.leaves:
            self._rebuild_mode()

    def action_values(self) -> None:
        """Show or hide the table of every value and gradient so far."""
        first = not self.has_part("values")
        table = self.part("values")
        table.display = first or not table.display
        self._refresh_table()

    def action_help(self) -> None:
        """List every key."""
        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_back(self) -> None:
        """Back to the scenario list."""
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
        self.use_lesson(new)
        self._rebuild_mode()
        self.go(self.k)
