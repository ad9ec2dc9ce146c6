"""The lesson screen: graph, progress, step panel and values table.

Stepping only moves the position k; every number on screen is read from the
lesson's step records for k, so stepping back restores the earlier screen.
"""

from __future__ import annotations

import math
import os

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tutor import analysis, modes
from tutor.lesson import EXPANDED, GROUPS, Frame, Lesson, Line, default_view
from tutor.quiz import QuizSession, questions_at
from tutor.numbers import fmt, operand
from tutor.scenario import Scenario, ScenarioError, load
from tutor.ui.screens.edit import EditScreen
from tutor.ui.screens.help import HelpScreen
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.progress import Progress
from tutor.ui.widgets.step_panel import StepPanel

MIN_WIDTH = 60
MIN_HEIGHT = 18
TRAIN_RUN_STEPS = 50

MODE_NAMES = {
    "step": "step",
    "quiz": "quiz",
    "forward": "forward mode",
    "paths": "paths",
    "check": "numeric check",
    "train": "training",
}


class LessonScreen(Screen):
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
        self._stamp = self._file_stamp()
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

    def _title(self) -> str:
        s = self.scenario
        return f" {s.title}  ·  {s.name}  ·  output: {s.output}"

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
        self.query_one(Progress).show(self.lesson, self.k, self.mode_label)

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
            frame = lesson.frame(lesson.last)
            frame = Frame(frame.values, frame.grads, frame.edge_values, frame.edge_grads, None, empty,
                          frame.computed, frame.finished)
            lines = modes.explain_paths(lesson, self.path_view, self.path_index)
            if self.path_view.routes:
                route = self.path_view.routes[self.path_index % len(self.path_view.routes)]
                nodes, edges = modes.path_highlight(lesson, route)
                return frame, lines, nodes, edges
            return frame, lines, empty, empty
        if self.mode in ("check", "train"):
            frame = lesson.frame(lesson.last)
            frame = Frame(frame.values, frame.grads, frame.edge_values, frame.edge_grads, None, empty,
                          frame.computed, frame.finished)
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
        self.lesson = Lesson(self.scenario, view=self.lesson.view)
        self.edit_lines = []
        self.losses = []
        self.train_lines = []
        self.quiz = QuizSession()
        self._leave_quiz_question()
        if self.has_part("plot"):
            self.part("plot").display = False
        self.query_one(GraphView).set_lesson(self.lesson)
        self._rebuild_mode()
        self.go(0)

    def action_toggle_groups(self) -> None:
        """Switch between one box per primitive and one box per named node."""
        other = self.lesson.with_view(GROUPS if self.lesson.view == EXPANDED else EXPANDED)
        k = self.lesson.map_position(self.k, other)
        if self.selected and self.selected not in {n.key for n in other.nodes}:
            self.selected = self.lesson.graph.node(self.selected).group or None
        self.lesson = other
        self.query_one(GraphView).set_lesson(other)
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
        table = self.part("values") if self.has_part("values") else None
        if table is None:
            table = self.part("values")
            table.display = True
        else:
            table.display = not table.display
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
        self.lesson = new
        self.query_one(GraphView).set_lesson(new)
        self._rebuild_mode()
        self.go(self.k)

    # -- modes -------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        """Switch mode: step, quiz, forward, paths, check or train."""
        if mode == "train" and not self.scenario.params:
            self.notify("This scenario has no params to train (tiny_net has).", severity="warning")
            return
        self._leave_quiz_question()
        self.mode = mode
        if mode == "check" or self.has_part("aux"):
            self.part("aux").display = mode == "check"
        if self.has_part("plot"):
            self.part("plot").display = mode == "train" and bool(self.losses)
        if mode != "train" and self.has_part("train-progress"):
            self.part("train-progress").display = False
        self._rebuild_mode()
        if mode == "quiz":
            self.quiz_feedback = [[("Quiz: ", "title"), ("press → and answer before each value and gradient is "
                                                          "shown. Esc in the answer box leaves the quiz.", "")]]
        self.refresh_view()

    def _leaf(self) -> str | None:
        if self.selected in self.scenario.leaves:
            return self.selected
        return next(iter(self.scenario.leaves), None)

    def _rebuild_mode(self) -> None:
        """Recompute the mode's data after a mode, leaf, view or value change."""
        leaf = self._leaf()
        if self.mode == "forward" and leaf:
            self.walk = modes.tangent_walk(self.lesson, leaf)
            self.walk_k = 0
        elif self.mode == "paths" and leaf:
            self.path_view = modes.path_view(self.lesson, leaf)
            self.path_index = 0
        elif self.mode == "check":
            self._fill_check_table()

    def _walk_to(self, j: int) -> None:
        assert self.walk is not None
        if not 0 <= j < len(self.walk):
            self.app.bell()
            return
        self.walk_k = j
        self.refresh_view()

    def _path_to(self, i: int) -> None:
        assert self.path_view is not None
        count = len(self.path_view.routes)
        if count:
            self.path_index = i % count
        self.refresh_view(scroll=False)

    # numeric check

    def _fill_check_table(self) -> None:
        table = self.part("aux")
        table.clear(columns=True)
        table.add_columns("leaf", "backprop", "central difference", "relative error", "step h")
        for row in analysis.numeric_check(self.lesson.graph, self.lesson.trace, self.lesson.overrides):
            table.add_row(row.leaf, fmt(row.backprop), fmt(row.numeric), f"{row.relative_error:.1e}",
                          f"{row.step:.0e}")

    def _check_lines(self) -> list[Line]:
        rows = analysis.numeric_check(self.lesson.graph, self.lesson.trace, self.lesson.overrides)
        worst = max((r.relative_error for r in rows), default=0.0)
        return [
            [("Numeric check ", "title"), ("(f(x+h) − f(x−h)) / 2h for every leaf, beside backprop.", "")],
            [("Worst relative error ", ""), (f"{worst:.1e}", "good" if worst < 1e-5 else "bad"),
             ("  Finite differences need 2 forward passes per input and are approximate; backprop is exact "
              "and needs one backward pass. They stay useful as a check.", "dim")],
        ]

    # training

    def _train_lines(self) -> list[Line]:
        if self.train_lines:
            return self.train_lines
        return [
            [("Training ", "title"), (f"learning rate {fmt(self.scenario.learning_rate)}", "value")],
            [("t: one gradient-descent step (every param p ← p − lr × ∂loss/∂p, all at once).  ", ""),
             (f"T: run {TRAIN_RUN_STEPS} steps and plot the loss.  r: back to the file's values.", "")],
            [("Loss now ", ""), (fmt(self.lesson.trace.output_value), "value")],
        ]

    def _current_values(self) -> dict[str, float]:
        graph = self.lesson.graph
        return {leaf.name: self.lesson.trace.values[leaf.index] for leaf in graph.leaves}

    def action_train_step(self) -> None:
        """One gradient-descent step on every param."""
        if not self.scenario.params:
            self.notify("This scenario has no params to train.", severity="warning")
            return
        if self.mode != "train":
            self.action_mode("train")
        step = analysis.train_step(self.lesson.graph, self._current_values(), self.scenario.learning_rate)
        if not self.losses:
            self.losses.append(step.loss_before)
        self.losses.append(step.loss_after)
        self.train_lines = modes.explain_train(step, self.scenario.learning_rate, len(self.losses) - 1)
        self._set_lesson(self.lesson.with_values(step.params_after))
        self._show_plot()

    def action_train_run(self) -> None:
        """Run several steps with a progress bar, then plot the loss."""
        if not self.scenario.params or self.training:
            return
        if self.mode != "train":
            self.action_mode("train")
        bar = self.part("train-progress")
        bar.display = True
        bar.update(total=TRAIN_RUN_STEPS, progress=0)
        self.training = True
        self._run_chunk(TRAIN_RUN_STEPS)

    def _run_chunk(self, remaining: int) -> None:
        """A few steps per frame so the progress bar moves and keys stay live."""
        if not self.is_mounted:
            return
        chunk = min(5, remaining)
        for _ in range(chunk):
            self.action_train_step()
        bar = self.part("train-progress")
        bar.advance(chunk)
        remaining -= chunk
        if remaining > 0:
            self.set_timer(0.01, lambda: self._run_chunk(remaining))
        else:
            self.training = False
            bar.display = False

    def _set_lesson(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.query_one(GraphView).set_lesson(lesson)
        self.refresh_view(scroll=False)

    def _show_plot(self) -> None:
        widget = self.part("plot")
        widget.display = True
        width = max(30, self.size.width - 4)
        from tutor.plot import plot

        lines = plot(self.losses, width=width, height=5)
        widget.update("loss per step\n" + "\n".join(lines))

    # quiz

    def _quiz_view(self) -> tuple[Frame, list[Line], frozenset, frozenset]:
        lesson = self.lesson
        empty: frozenset = frozenset()
        if self.quiz_pending:
            frame = lesson.frame(self.quiz_target - 1)
            step = lesson.step(self.quiz_target)
            current = step.node if step else None
            active = frozenset(lesson.edges_into(current)) if current else empty
            frame = Frame(frame.values, frame.grads, frame.edge_values, frame.edge_grads, current, active,
                          frame.computed, frame.finished)
            question = self.quiz_pending[0]
            lines: list[Line] = [[("Quiz ", "title"), (f"step {self.quiz_target} of {lesson.last}", "dim")],
                                 [("? ", "title"), (question.prompt, "")]]
            return frame, lines + self.quiz_feedback, empty, empty
        lines = lesson.explain(self.k) + self.quiz_feedback
        if self.k >= lesson.last:
            lines = lines + [[("Quiz summary: ", "title"), ("; ".join(self.quiz.summary()) or "no questions yet", "")]]
        return lesson.frame(self.k), lines, empty, empty

    def quiz_advance(self) -> None:
        """Ask the next step's questions before revealing it."""
        if self.quiz_pending:
            self.part("answer").focus()
            return
        if self.k >= self.lesson.last:
            self.app.bell()
            return
        target = self.k + 1
        questions = questions_at(self.lesson, target)
        if not questions:
            self.quiz_feedback = []
            self.go(target)
            return
        self.quiz_target = target
        self.quiz_pending = list(questions)
        self.quiz.ask(self.quiz_pending[0])
        self.quiz_feedback = []
        answer = self.part("answer")
        answer.value = ""
        answer.display = True
        self.call_after_refresh(answer.focus)
        self.refresh_view()

    @on(Input.Submitted, "#answer")
    def on_answer(self, event: Input.Submitted) -> None:
        if not self.quiz_pending:
            return
        outcome, message = self.quiz.answer(event.value)
        style = {"right": "good", "retry": "bad", "reveal": "warn", "invalid": "warn"}[outcome]
        event.input.value = ""
        if outcome in ("right", "reveal"):
            self.quiz_feedback.append([("✓ " if outcome == "right" else "✗ ", style), (message, style)])
            self.quiz_pending.pop(0)
            if self.quiz_pending:
                self.quiz.ask(self.quiz_pending[0])
            else:
                event.input.display = False
                self.query_one(GraphView).focus()
                self.go(self.quiz_target)
                return
        else:
            self.quiz_feedback = [[(message, style)]]
        self.refresh_view()

    def _leave_quiz_question(self) -> None:
        """Drop an unanswered question (the scenario's position is kept)."""
        if self.quiz_pending:
            self.quiz_pending = []
            self.quiz.current = None
        if self.is_mounted and self.has_part("answer"):
            self.part("answer").display = False

    def on_key(self, event) -> None:  # noqa: ANN001 - textual.events.Key
        if event.key == "escape" and self.mode == "quiz" and isinstance(self.focused, Input):
            event.stop()
            self._leave_quiz_question()
            self.mode = "step"
            self.quiz_feedback = []
            self.query_one(GraphView).focus()
            self.refresh_view()

    # -- watching the file -----------------------------------------------------------

    def _file_stamp(self) -> tuple[int, int] | None:
        if not self.watch_path:
            return None
        try:
            stat = os.stat(self.watch_path)
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def check_file(self) -> None:
        """Reload the watched file when it changes; keep the last good graph on errors."""
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        self.reload()

    def reload(self) -> None:
        try:
            scenario = load(self.watch_path)
        except ScenarioError as error:
            banner = self.part("watch-error")
            banner.update(error.report() + "\n(showing the last version that loaded; fix the file and save)")
            banner.display = True
            return
        if self.has_part("watch-error"):
            self.part("watch-error").display = False
        old = self.lesson
        step = old.step(self.k)
        phase = old.position(self.k).phase
        overrides = {n: v for n, v in old.overrides.items() if n in scenario.leaves}
        lesson = Lesson(scenario, overrides, old.view if scenario.view is None else scenario.view)
        k = 0
        if step is not None:
            found = lesson.index_of(phase, step.node)
            k = found if found is not None else min(self.k, lesson.last)
        self.scenario = scenario
        if self.selected and self.selected not in {n.key for n in lesson.nodes}:
            self.selected = None
        self.query_one("#title", Static).update(self._title())
        self.lesson = lesson
        graph = self.query_one(GraphView)
        graph.lesson = None  # force a new layout: the shape may have changed
        graph.set_lesson(lesson)
        self._rebuild_mode()
        self.go(k)
