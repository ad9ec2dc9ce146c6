"""Training: gradient-descent steps on the scenario's params, with the loss plotted."""

from __future__ import annotations

from tutor.engine.analysis import TrainStep, train_step
from tutor.engine.numbers import fmt
from tutor.teach.lesson import Line
from tutor.teach.modes.base import Mode, ModeKey, ModeProgress, Move, View, Widget

TRAIN_RUN_STEPS = 50
"""Steps taken by one press of T."""


def explain_train(step: TrainStep, learning_rate: float, number: int) -> list[Line]:
    """One step: the loss before → after, and every param before → after with its gradient."""
    lines: list[Line] = [
        [("Training step ", "title"), (str(number), "value"), ("  loss ", ""), (fmt(step.loss_before), "value"),
         (" → ", ""), (fmt(step.loss_after), "value"),
         ("  (lower)" if step.loss_after < step.loss_before else "  (higher: try a smaller learning rate)",
          "good" if step.loss_after < step.loss_before else "bad")],
        [(f"Every param at once: p ← p − {fmt(learning_rate)} × ∂loss/∂p", "dim")],
    ]
    row: Line = []
    for i, (name, before) in enumerate(step.params_before.items()):
        row += [(name, "name"), (" ", ""), (fmt(before, 4), "value"), (" → ", "dim"),
                (fmt(step.params_after[name], 4), "value"), (f" ∂{fmt(step.grads[name], 3)}", "grad"), ("   ", "")]
        if i % 3 == 2:
            lines.append(row)
            row = []
    if row:
        lines.append(row)
    return lines


def train_intro(learning_rate: float, loss: float) -> list[Line]:
    """Before the first step: the keys and the loss now."""
    return [
        [("Training ", "title"), (f"learning rate {fmt(learning_rate)}", "value")],
        [("t: one gradient-descent step (every param p ← p − lr × ∂loss/∂p, all at once).  ", ""),
         (f"T: run {TRAIN_RUN_STEPS} steps and plot the loss.  r: back to the file's values.", "")],
        [("Loss now ", ""), (fmt(loss), "value")],
    ]


class TrainMode(Mode):
    """``t`` takes one step (it changes the lesson's values); ``T`` takes 50; ``r`` resets."""

    name = "train"
    title = "training"
    key = "6"
    description = "Train"
    tooltip = "Training mode (scenarios with params)"
    widget = Widget("plot", "loss-plot")
    keys = (
        ModeKey("t", "step", "Train step", "Training: one gradient-descent step"),
        ModeKey("T", "step", f"Train {TRAIN_RUN_STEPS}", f"Training: run {TRAIN_RUN_STEPS} steps and plot the loss",
                repeat=TRAIN_RUN_STEPS),
    )

    def __init__(self, place) -> None:  # noqa: ANN001 - Place
        super().__init__(place)
        self.losses: list[float] = []
        """The loss before the first step, then after each step."""
        self.last_step: list[Line] = []

    def unavailable(self) -> str | None:
        if not self.scenario.params:
            return "This scenario has no params to train (tiny_net has)."
        return None

    def reset(self) -> None:
        self.losses = []
        self.last_step = []
        self.revision += 1

    def widget_shown(self) -> bool:
        return bool(self.losses)

    def step(self) -> Move:
        """One gradient-descent step on every param, from the lesson's current values."""
        lesson = self.lesson
        learning_rate = self.scenario.learning_rate
        step = train_step(lesson.graph, lesson.leaf_values(), learning_rate, lesson.trace)
        if not self.losses:
            self.losses.append(step.loss_before)
        self.losses.append(step.loss_after)
        self.last_step = explain_train(step, learning_rate, len(self.losses) - 1)
        self.place.lesson = lesson.with_values(step.params_after)
        self.revision += 1
        return Move.SHOW_IN_PLACE

    @property
    def steps_taken(self) -> int:
        return max(0, len(self.losses) - 1)

    def view(self) -> View:
        lines = self.last_step or train_intro(self.scenario.learning_rate, self.lesson.trace.output_value)
        return View(self.final_frame(), lines)

    def progress(self) -> ModeProgress:
        steps = self.steps_taken
        return ModeProgress("TRAINING", f"{steps} step{'s' if steps != 1 else ''}, learning rate "
                            f"{fmt(self.scenario.learning_rate)}")

    def curve(self) -> tuple[str, list[float]]:
        return "loss per step", list(self.losses)
