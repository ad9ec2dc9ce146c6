"""Training: gradient-descent steps on the scenario's params, with the loss plotted.

A scenario with a data set trains on it instead: ``t`` runs one epoch, ``T``
runs epochs live (``p`` pauses and resumes, ``[`` and ``]`` halve and double
the learning rate, ``r`` resets), and the panel shows the loss curve beside
what the net learned (a decision map for two inputs, the fitted curve for
one). The lesson's params follow the training, so stepping shows the net as
it is now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine import analysis  # deferred (tutor.startup): opening a lesson needs no mode's arithmetic
from tutor.engine.numbers import fmt
from tutor.i18n import N_, _, ngettext
from tutor.teach import training  # deferred too: numpy arrives with it
from tutor.teach.text import Line
from tutor.teach.modes.base import Mode, ModeKey, ModeProgress, Move, View, Widget

if TYPE_CHECKING:
    from tutor.engine.analysis import TrainStep

TRAIN_RUN_STEPS = 50
"""Steps taken by one press of T (on a data set: chunks of EPOCHS_PER_RUN_STEP epochs)."""
EPOCHS_PER_RUN_STEP = 10
"""Epochs per repeated step of T on a data set: 500 epochs a press."""


UPDATES_WIDTH = 74
"""Cells a line of param updates may take: the step panel's text at 80 columns, with room for its scroll bar."""
UPDATE_GAP = 3
"""Blanks between two updates on one line."""


def explain_train(step: TrainStep, learning_rate: float, number: int) -> list[Line]:
    """One step: the loss before → after, and every param before → after with its gradient.

    The updates stand in aligned cells, as many to a line as fit ``UPDATES_WIDTH``,
    so a narrow panel never breaks one update across two lines.
    """
    lower = step.loss_after < step.loss_before
    lines: list[Line] = [
        [(_("Training step "), "title"), (str(number), "value"), (_("  loss "), ""), (fmt(step.loss_before), "value"),
         (" → ", ""), (fmt(step.loss_after), "value"),
         (_("  (lower)") if lower else _("  (higher: try a smaller learning rate)"), "good" if lower else "bad")],
        [(_("Every param at once: {rule}").format(rule=f"p ← p − {fmt(learning_rate)} × ∂loss/∂p"), "dim")],
    ]
    cells = [(name, fmt(before, 4), fmt(step.params_after[name], 4), f"∂{fmt(step.grads[name], 3)}")
             for name, before in step.params_before.items()]
    if not cells:
        return lines
    widths = [max(len(cell[i]) for cell in cells) for i in range(4)]
    cell_width = widths[0] + 1 + widths[1] + 3 + widths[2] + 1 + widths[3]
    per_line = max(1, min(3, (UPDATES_WIDTH + UPDATE_GAP) // (cell_width + UPDATE_GAP)))
    for start in range(0, len(cells), per_line):
        row: Line = []
        for i, (name, before, after, grad) in enumerate(cells[start:start + per_line]):
            if i:
                row.append((" " * UPDATE_GAP, ""))
            row += [(name.ljust(widths[0]), "name"), (" ", ""), (before.rjust(widths[1]), "value"), (" → ", "dim"),
                    (after.rjust(widths[2]), "value"), (" ", ""), (grad.ljust(widths[3]), "grad")]
        row[-1] = (row[-1][0].rstrip(), row[-1][1])
        lines.append(row)
    return lines


def train_intro(learning_rate: float, loss: float) -> list[Line]:
    """Before the first step: the keys and the loss now."""
    return [
        [(_("Training "), "title"), (_("learning rate {rate}").format(rate=fmt(learning_rate)), "value")],
        [(_("t: one gradient-descent step (every param {rule}, all at once).  ").format(
            rule="p ← p − lr × ∂loss/∂p"), ""),
         (_("T: run {count} steps and plot the loss.  r: back to the file's values.").format(count=TRAIN_RUN_STEPS),
          "")],
        [(_("Loss now "), ""), (fmt(loss), "value")],
    ]


class TrainMode(Mode):
    """``t`` takes one step (it changes the lesson's values); ``T`` takes 50; ``r`` resets."""

    name = "train"
    title = N_("training")
    key = "6"
    description = N_("Train")
    tooltip = N_("Training mode (scenarios with params)")
    widget = Widget("plot", "loss-plot")
    """The loss plot; on a data set, the training panel instead (set per object)."""
    keys = (
        ModeKey("t", "step", N_("Train step"), N_("Training: one gradient-descent step (on a data set: one epoch)")),
        # Made at import with the numbers in: written out, so that the catalogue holds the words as shown.
        ModeKey("T", "run", N_("Train 50"),
                N_("Training: run 50 steps and plot the loss (on a data set: 500 epochs, live)"), repeat=TRAIN_RUN_STEPS),
        ModeKey("p", "pause", N_("Pause"), N_("Training: pause or resume a run of epochs")),
        ModeKey("left_square_bracket", "slower", N_("lr ÷2"), N_("Training: halve the learning rate")),
        ModeKey("right_square_bracket", "faster", N_("lr ×2"), N_("Training: double the learning rate")),
    )

    def __init__(self, place) -> None:  # noqa: ANN001 - Place
        super().__init__(place)
        self.losses: list[float] = []
        """The loss before the first step, then after each step."""
        self.last_step: list[Line] = []
        self.learning_rate = self.scenario.learning_rate
        self.session = None
        """Training on the scenario's data set (a ``TrainingSession``), made when first used."""
        self.paused = False
        self.running = False
        """True while a run of epochs (T) is under way; the screen sets it."""
        if self.scenario.data is not None:
            # The loss curve beside what the net learned: a decision map or the fitted curve.
            self.widget = Widget("training", "training-panel")

    def _session(self):
        if self.session is None or self.session.scenario is not self.scenario:
            if self.session is not None:
                self.revision += 1  # a reloaded file: the panel shows the new run, not the old one's curve
            self.session = training.TrainingSession(self.scenario, self.lesson.overrides)
            self.session.set_learning_rate(self.learning_rate)
        return self.session

    def rebuild(self) -> None:
        if self.session is not None and self.session.scenario is not self.scenario:
            self._session()  # the file was reloaded: its new run, before the panel is drawn again

    def unavailable(self) -> str | None:
        if not self.scenario.params:
            return _("This scenario has no params to train (tiny_net has).")
        return None

    def reset(self) -> None:
        self.losses = []
        self.last_step = []
        self.learning_rate = self.scenario.learning_rate
        if self.session is not None:
            self.session.reset()
        self.paused = False
        self.revision += 1

    def widget_shown(self) -> bool:
        if self.scenario.data is not None:
            return True
        return bool(self.losses)

    def _epochs(self, count: int) -> Move:
        """``count`` epochs on the data set; the lesson takes the new params."""
        session = self._session()
        if session.trainer.stopped:
            return Move.REFUSED
        for _epoch in range(count):
            session.epoch()
            if session.trainer.stopped:
                break
        self.place.lesson = self.lesson.with_values(session.params())
        self.revision += 1
        return Move.SHOW_IN_PLACE

    def run(self) -> Move:
        """One repeat of T: a step, or a chunk of epochs on a data set."""
        if self.scenario.data is not None:
            if self.paused or self._session().trainer.stopped:
                return Move.SHOW_IN_PLACE  # paused, or stopped by an overflow: the warning is on screen
            return self._epochs(EPOCHS_PER_RUN_STEP)
        return self.step()

    def run_state(self, running: bool) -> None:
        self.running = running
        if not running:
            self.paused = False

    def pause(self) -> Move:
        """Pause or resume a run of epochs (nothing to pause outside a run)."""
        if self.scenario.data is None or not self.running:
            return Move.SHOW_IN_PLACE
        self.paused = not self.paused
        self.revision += 1
        return Move.SHOW_IN_PLACE

    def _set_rate(self, rate: float) -> Move:
        if not 1e-8 <= rate <= 1e4:
            return Move.REFUSED
        self.learning_rate = rate
        if self.session is not None:
            self.session.set_learning_rate(rate)
        self.revision += 1
        return Move.SHOW_IN_PLACE

    def slower(self) -> Move:
        """Halve the learning rate."""
        return self._set_rate(self.learning_rate / 2)

    def faster(self) -> Move:
        """Double the learning rate."""
        return self._set_rate(self.learning_rate * 2)

    def step(self) -> Move:
        """One gradient-descent step on every param, from the lesson's current values."""
        if self.scenario.data is not None:
            return self._epochs(1)
        lesson = self.lesson
        learning_rate = self.learning_rate
        step = analysis.train_step(lesson.graph, lesson.leaf_values(), learning_rate, lesson.trace)
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
        if self.scenario.data is not None:
            session = self._session()
            lines = session.status(self.running, self.paused, TRAIN_RUN_STEPS * EPOCHS_PER_RUN_STEP)
            return View(self.final_frame(), lines)
        lines = self.last_step or train_intro(self.learning_rate, self.lesson.trace.output_value)
        return View(self.final_frame(), lines)

    def progress(self) -> ModeProgress:
        if self.scenario.data is not None:
            session = self._session()
            return ModeProgress(_("TRAINING"), _("epoch {epoch}, mean loss {loss}, learning rate {rate}").format(
                epoch=session.epochs, loss=fmt(session.losses[-1], 4), rate=fmt(self.learning_rate)))
        steps = self.steps_taken
        return ModeProgress(_("TRAINING"), ngettext(
            "{count} step, learning rate {rate}", "{count} steps, learning rate {rate}", steps).format(
            count=steps, rate=fmt(self.learning_rate)))

    def training_session(self):
        """The run on the data set that the training panel draws (a ``TrainingSession``)."""
        return self._session()

    def curve(self) -> tuple[str, list[float]]:
        return _("loss per step"), list(self.losses)
