"""Forward mode, paths, numeric check and training: modes of the lesson screen.

Mixed into ``LessonScreen``; each mode only changes what the graph and the
panel show, never the scenario, so leaving a mode loses nothing.
"""

from __future__ import annotations

from tutor.engine import analysis
from tutor.teach import modes
from tutor.teach.lesson import Line
from tutor.engine.numbers import fmt

TRAIN_RUN_STEPS = 50
"""Steps taken by one press of T."""


class ModesMixin:
    """Mode switching and the forward-mode, paths, check and training modes."""

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
            # Central differences cost two forward passes per leaf: once per
            # mode or value change, shared by the table and the panel.
            self.check_rows = analysis.numeric_check(self.lesson.graph, self.lesson.trace, self.lesson.overrides)
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
        for row in self.check_rows:
            table.add_row(row.leaf, fmt(row.backprop), fmt(row.numeric), f"{row.relative_error:.1e}",
                          f"{row.step:.0e}")

    def _check_lines(self) -> list[Line]:
        worst = max((r.relative_error for r in self.check_rows), default=0.0)
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
        step = analysis.train_step(
            self.lesson.graph, self._current_values(), self.scenario.learning_rate, self.lesson.trace
        )
        if not self.losses:
            self.losses.append(step.loss_before)
        self.losses.append(step.loss_after)
        self.train_lines = modes.explain_train(step, self.scenario.learning_rate, len(self.losses) - 1)
        self.use_lesson(self.lesson.with_values(step.params_after))
        self.refresh_view(scroll=False)
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

    def _show_plot(self) -> None:
        widget = self.part("plot")
        widget.display = True
        # The plot takes the graph's place: as tall as that pane (label and axis rows aside).
        body = self.query_one("#body").size
        width = max(30, (body.width or self.size.width) - 2)
        from tutor.draw.plot import plot

        lines = plot(self.losses, width=width, height=max(6, (body.height or 9) - 3))
        widget.update("loss per step\n" + "\n".join(lines))

    # quiz
