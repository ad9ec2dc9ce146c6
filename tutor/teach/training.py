"""Training on a scenario's data set: the trainer, and what it has learned, as plain data.

Shared by ``tutor train --epochs`` and the app's training panel. The batch
engine does the arithmetic; this module picks the rows (the scenario's data,
or its inputs' own values as a one-row data set), the prediction and target
for counting rows right, and the words that describe the run.

A net of one output is right on a row when its output rounds to the 0/1
target; a classifier of several outputs (a softmax layer, one output per
class) when its largest output is the row's class, the target column
holding the 1.
"""

from __future__ import annotations

from dataclasses import field

import numpy as np

from tutor.engine.batch import Trainer, data_table
from tutor.engine.cross_entropy import find as find_cross_entropy
from tutor.engine.network import Network, NotANeuron, from_layers, infer
from tutor.engine.numbers import fmt
from tutor.i18n import _, listing, ngettext
from tutor.records import record
from tutor.scenario import Scenario
from tutor.teach.text import Line


def data_trainer(
    scenario: Scenario, overrides: dict[str, float] | None = None, learning_rate: float | None = None,
    batch_size: int | None = None,
) -> Trainer:
    """A trainer over the scenario's data (or its inputs' own values as one row)."""
    overrides = dict(overrides or {})
    if scenario.data is not None:
        columns, rows = scenario.data.columns, scenario.data.rows
    else:
        columns = tuple(scenario.inputs)
        rows = (tuple(overrides.get(c, scenario.inputs[c]) for c in columns),)
    table = data_table(scenario.graph, columns, rows)
    return Trainer(
        scenario.graph,
        table,
        scenario.learning_rate if learning_rate is None else learning_rate,
        batch_size if batch_size is not None else scenario.batch_size,
        scenario.shuffle,
        start=overrides,
    )


@record(slots=True)
class Prediction:
    """What the net predicts and which data columns it is compared to."""

    inputs: tuple[str, ...]
    """The data columns the net reads."""
    output: str
    """The node carrying the net's output (a classifier's: its first output)."""
    target: str
    """The data column it should match (a classifier's: its first target column)."""
    classes: bool
    """True when every target is 0 or 1: a row is right when the prediction rounds to it, or, for several
    outputs, when the largest output is the one whose target is 1."""
    outputs: tuple[str, ...] = ()
    """Every output node, one per class when there are several (else ``output`` alone)."""
    targets: tuple[str, ...] = ()
    """The target column of each output, in the outputs' order."""


def _network(scenario: Scenario) -> Network | None:
    try:
        return from_layers(scenario.graph, scenario.layers) if scenario.layers else infer(scenario.graph)
    except NotANeuron:
        return None


def prediction_of(scenario: Scenario) -> Prediction | None:
    """The net's inputs, outputs and targets, when the scenario has data and a target column per output.

    A classifier's target columns pair with its outputs as its cross-entropy pairs them
    (``t2 * log(a2_2)``), else in the data's order.
    """
    net = _network(scenario)
    data = scenario.data
    if net is None or data is None:
        return None
    outputs = tuple(n.name for n in net.layers[-1])
    inputs = tuple(c for c in data.columns if c in net.inputs)
    targets = [c for c in data.columns if c not in net.inputs]
    if not inputs or len(targets) != len(outputs):
        return None
    if len(outputs) > 1:
        graph = scenario.graph
        loss = find_cross_entropy(graph, tuple(graph.index[name] for name in outputs))
        paired = {t.output: graph.nodes[t.leaf].name for t in loss.terms if t.leaf >= 0} if loss else {}
        if sorted(paired.values()) == sorted(targets) and len(paired) == len(outputs):
            targets = [paired[k] for k in range(len(outputs))]
    columns = [data.columns.index(t) for t in targets]
    classes = all(row[c] in (0.0, 1.0) for row in data.rows for c in columns)
    return Prediction(inputs, outputs[0], targets[0], classes, outputs, tuple(targets))


def _outputs(prediction: Prediction) -> tuple[str, ...]:
    return prediction.outputs or (prediction.output,)


def _targets(prediction: Prediction) -> tuple[str, ...]:
    return prediction.targets or (prediction.target,)


def predictions(trainer: Trainer, prediction: Prediction, points: dict[str, np.ndarray]) -> np.ndarray:
    """The net's output at the current params for each point (input name -> array); for several outputs,
    one column per output."""
    graph = trainer.graph
    rows = len(next(iter(points.values())))
    leaves = {graph.index[name]: np.asarray(values, dtype=float) for name, values in points.items()}
    outputs = _outputs(prediction)
    if len(outputs) == 1:
        return trainer.outputs(graph.index[prediction.output], leaves, rows)
    return trainer.output_columns(tuple(graph.index[name] for name in outputs), leaves, rows)


def _right(trainer: Trainer, scenario: Scenario, prediction: Prediction) -> np.ndarray:
    """Per data row: whether the net gets it right."""
    data = scenario.data
    matrix = np.asarray(data.rows, dtype=float)
    targets = _targets(prediction)
    points = {name: matrix[:, data.columns.index(name)] for name in data.columns if name not in targets}
    with np.errstate(all="ignore"):
        predicted = predictions(trainer, prediction, points)
        target = matrix[:, [data.columns.index(t) for t in targets]]
        if len(targets) == 1:
            return np.abs(predicted - target[:, 0]) < 0.5
        # the largest output is the row's class; a row whose outputs are not numbers is not right
        return np.isfinite(predicted).all(axis=1) & (np.argmax(predicted, axis=1) == np.argmax(target, axis=1))


def rows_right(trainer: Trainer, scenario: Scenario, prediction: Prediction) -> int:
    """How many data rows the net gets right (the prediction rounds to the 0/1 target; for several outputs,
    the largest output is the row's class)."""
    return int(np.sum(_right(trainer, scenario, prediction)))


def accuracy(trainer: Trainer, scenario: Scenario) -> float | None:
    """The share of data rows the net gets right (0 to 1), for a classifier (targets of 0 and 1); else None.

    What ``train --json`` reports as the accuracy of a classification lesson.
    """
    prediction = prediction_of(scenario)
    if prediction is None or not prediction.classes:
        return None
    return rows_right(trainer, scenario, prediction) / len(scenario.data)


def _span(values: np.ndarray) -> tuple[float, float]:
    """The data's range with a margin of 15% each side (never empty)."""
    low, high = float(np.min(values)), float(np.max(values))
    margin = (high - low) * 0.15 or 0.5
    return low - margin, high + margin


@record(slots=True)
class Picture:
    """What the net has learned, sampled for drawing."""

    kind: str
    """``map`` (two inputs, one output), ``classes`` (two inputs, an output per class) or ``curve`` (one input)."""
    grid: list[list[float]]
    """map: the output per pixel row (top first) and column; classes: the class the net picks there (its
    largest output, counting from 0); curve: one row, the output per column."""
    xs: list[float]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    points: list[tuple[float, ...]]
    """map: (x1, x2, target); classes: (x1, x2, the row's class from 0); curve: (x, target)."""
    labels: tuple[str, str]
    low: float
    high: float
    """The output range the colours (map) span: 0 to 1 for classes, the targets' range otherwise; for
    ``classes``, the confidence's: 1/(number of classes) to 1."""
    confidence: list[list[float]] = field(default_factory=list)
    """classes: the net's largest output per pixel, how sure it is of the class it picks there."""
    names: tuple[str, ...] = ()
    """classes: each class's target column, in class order."""


def picture(trainer: Trainer, scenario: Scenario, prediction: Prediction, cols: int, rows: int) -> Picture | None:
    """The decision map (two inputs) or the fitted curve (one input) at the current params."""
    data = scenario.data
    matrix = np.asarray(data.rows, dtype=float)
    if len(_outputs(prediction)) > 1:
        return _class_map(trainer, scenario, prediction, cols, rows) if prediction.classes and len(prediction.inputs) == 2 else None
    target = matrix[:, data.columns.index(prediction.target)]
    low, high = (0.0, 1.0) if prediction.classes else (float(np.min(target)), float(np.max(target)))
    if len(prediction.inputs) == 1:
        name = prediction.inputs[0]
        x = matrix[:, data.columns.index(name)]
        x_range = _span(x)
        xs = np.linspace(*x_range, max(2, cols))
        with np.errstate(all="ignore"):
            ys = predictions(trainer, prediction, {name: xs})
        return Picture("curve", [ys.tolist()], xs.tolist(), x_range, (low, high),
                       list(zip(x.tolist(), target.tolist())), (name, prediction.target), low, high)
    if len(prediction.inputs) == 2:
        first, second = prediction.inputs
        x = matrix[:, data.columns.index(first)]
        y = matrix[:, data.columns.index(second)]
        x_range, y_range = _span(x), _span(y)
        xs = np.linspace(*x_range, max(2, cols))
        ys = np.linspace(y_range[1], y_range[0], max(2, 2 * rows))  # top row first
        gx, gy = np.meshgrid(xs, ys)
        with np.errstate(all="ignore"):
            out = predictions(trainer, prediction, {first: gx.ravel(), second: gy.ravel()}).reshape(gx.shape)
        return Picture("map", out.tolist(), xs.tolist(), x_range, y_range,
                       list(zip(x.tolist(), y.tolist(), target.tolist())), (first, second), low, high)
    return None


def _class_map(trainer: Trainer, scenario: Scenario, prediction: Prediction, cols: int, rows: int) -> Picture:
    """The decision map of a classifier: at each pixel the class of the largest output, and that output."""
    data = scenario.data
    matrix = np.asarray(data.rows, dtype=float)
    first, second = prediction.inputs
    x = matrix[:, data.columns.index(first)]
    y = matrix[:, data.columns.index(second)]
    targets = matrix[:, [data.columns.index(t) for t in _targets(prediction)]]
    x_range, y_range = _span(x), _span(y)
    xs = np.linspace(*x_range, max(2, cols))
    ys = np.linspace(y_range[1], y_range[0], max(2, 2 * rows))  # top row first
    gx, gy = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        out = predictions(trainer, prediction, {first: gx.ravel(), second: gy.ravel()})
        picked = np.argmax(np.nan_to_num(out, nan=-np.inf), axis=1)
        sure = np.max(out, axis=1)  # nan where the outputs are not numbers
    count = len(_outputs(prediction))
    points = list(zip(x.tolist(), y.tolist(), np.argmax(targets, axis=1).astype(float).tolist()))
    return Picture("classes", picked.reshape(gx.shape).astype(float).tolist(), xs.tolist(), x_range, y_range,
                   points, (first, second), 1.0 / count, 1.0, sure.reshape(gx.shape).tolist(), _targets(prediction))


# --- a training run in the app ------------------------------------------------------

RUN_EPOCHS = 200
"""Epochs run by one press of T (live, a few per frame; p pauses)."""


class TrainingSession:
    """Training on the scenario's data as the app shows it: epochs, losses, learning rate, what was learned.

    The app runs epochs a few at a time so the loss curve and the picture
    update live; stepping through the lesson shows one row at the current params.
    """

    def __init__(self, scenario: Scenario, overrides: dict[str, float] | None = None) -> None:
        self.scenario = scenario
        self.overrides = dict(overrides or {})
        self.learning_rate = scenario.learning_rate
        self.trainer = data_trainer(scenario, self.overrides, self.learning_rate)
        self.prediction = prediction_of(scenario)
        self.target = 0
        """The epoch the current run stops at (0: no run yet)."""

    def reset(self) -> None:
        """Back to the file's params, no epochs, the file's learning rate."""
        self.learning_rate = self.scenario.learning_rate
        self.trainer.learning_rate = self.learning_rate
        self.trainer.reset()
        self.target = 0

    def set_learning_rate(self, value: float) -> None:
        self.learning_rate = value
        self.trainer.learning_rate = value

    def epoch(self) -> float:
        return self.trainer.epoch()

    @property
    def epochs(self) -> int:
        return self.trainer.epochs

    @property
    def losses(self) -> list[float]:
        """The mean loss before training, then after each epoch."""
        return [self.trainer.initial_loss, *self.trainer.losses]

    def params(self) -> dict[str, float]:
        return self.trainer.param_values()

    def right(self) -> int | None:
        """Rows the net gets right, for a classifier (targets of 0 and 1); else None."""
        if self.prediction is None or not self.prediction.classes:
            return None
        return rows_right(self.trainer, self.scenario, self.prediction)

    def accuracy_words(self) -> str | None:
        """``accuracy 97.3% (146/150)``: for a classifier, drawn beside the loss curve; else None."""
        right = self.right()
        if right is None:
            return None
        rows = self.trainer.table.rows
        return _("accuracy {percent} ({right}/{rows})").format(percent=percent(right, rows), right=right, rows=rows)

    def picture(self, cols: int, rows: int) -> Picture | None:
        if self.prediction is None:
            return None
        return picture(self.trainer, self.scenario, self.prediction, cols, rows)

    def status(self, running: bool = False, paused: bool = False, run_epochs: int = RUN_EPOCHS) -> list[Line]:
        """One line on the run: epoch, loss, rows right, learning rate, and what the keys do."""
        rows = self.trainer.table.rows
        batch = min(self.trainer.batch_size or rows, rows)
        loss = self.losses[-1]
        # "of N rows": the graph shows one example's loss, this is the mean over the data set.
        line: Line = [(_("epoch {epoch}").format(epoch=self.epochs), "value"),
                      (ngettext("  mean loss of {rows} row ", "  mean loss of {rows} rows ", rows).format(rows=rows), ""),
                      (fmt(loss, 4), "value")]
        right = self.right()
        if right is not None:
            line += [("  ", ""), (_("{right}/{rows} right").format(right=right, rows=rows),
                                  "good" if right == rows else "value"),
                     (f" ({percent(right, rows)})", "dim")]
        line += [(_("  lr "), ""), (fmt(self.learning_rate), "value")]
        if batch < rows:
            line += [(_("  batches of {size}").format(size=batch), "dim")]
        if running:
            line += [(_("  paused") if paused else _("  running"), "bad" if paused else "good")]
        lines = [line]
        if self.trainer.warning:
            lines.append([("⚠ ", "warn"), (self.trainer.warning, "warn")])
        lines.append([(_("t: 1 epoch  T: {count} epochs  p: pause  [ ]: lr ÷2 ×2  r: reset  d: row").format(
            count=run_epochs), "dim")])
        return lines


def percent(right: int, rows: int) -> str:
    """``97.3%``: the share of rows right, to a tenth of a percent (never 100% unless every row is right)."""
    share = 100.0 * right / rows if rows else 0.0
    text = f"{share:.1f}"
    if right < rows and text == "100.0":
        text = "99.9"
    return f"{text.removesuffix('.0')}%"


def row_labels(scenario: Scenario) -> list[str]:
    """Each data row as the row picker lists it: ``2: x1 = 0, x2 = 1, t = 1``."""
    if scenario.data is None:
        return []
    data = scenario.data
    return [
        f"{k}: " + listing(f"{c} = {fmt(v)}" for c, v in zip(data.columns, row))
        for k, row in enumerate(data.rows, 1)
    ]


def row_gone(k: int, rows: int) -> list[Line]:
    """Said once when the data, reloaded, no longer has the row the lesson stepped through."""
    left = ngettext("it has {rows} row", "it has {rows} rows", rows).format(rows=rows) if rows else _("it has no rows")
    return [[(_("Row {k} is no longer in the data ({left}): ").format(k=k, left=left), "title"),
             (_("the inputs have the file's values again; d picks a row."), "")]]


def row_note(scenario: Scenario, k: int) -> list[Line]:
    """The line under every step while the lesson steps through data row k."""
    data = scenario.data
    values = listing(f"{c} = {fmt(v)}" for c, v in zip(data.columns, data.rows[k - 1]))
    return [[(_("Row "), "title"), (_("{k} of {rows}").format(k=k, rows=len(data)), "value"), (": ", ""),
             (values, ""), (_("   (d: another row; the loss shown is this row's)"), "dim")]]
