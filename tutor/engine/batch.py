"""The batch engine: the graph run once over many data rows with numpy.

The scalar engine (``tutor.engine.trace``) records every step of one row for
teaching; this module computes the same numbers for a whole batch of rows at
once, for training on a data set: layers of neurons as matrix products
(``tutor.engine.batch_layers``, a softmax layer among them), every other
node one numpy call each. It reads the same op table (each op's
``array_forward`` and ``array_derivatives``), so the engines cannot drift
apart: the tests compare them row by row.

A training step needs only the params' mean gradients, so it follows the
training plan (``tutor.engine.batch_plan``): a cross-entropy over a softmax
layer is one step sending the layer P − T (``tutor.engine.batch_cross_entropy``),
the params are one vector the layers read their W and b from as views, and
the gradients are summed straight into one. When the numbers stop being
numbers, the trainer says where (``tutor.engine.batch_trouble``).

Semantics, as the scenario format promises: the graph's output is the loss
of one row; the loss of a data set is the mean of its rows' losses; a
training step takes one batch of consecutive rows, averages each param's
gradient over the batch and moves every param by -learning_rate × that mean,
all at once; an epoch is every batch in order (shuffled only with a seed).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import field
from collections.abc import Sequence
from typing import Any

import numpy as np

from tutor.engine.arithmetic import ONE as _ONE
from tutor.engine.batch_columns import LATER, Columns, grad_filler, grad_rules, value_filler
from tutor.engine.batch_cross_entropy import CrossEntropyStep
from tutor.engine.batch_layers import Layer, Run, find_layers, one_thread, schedule
from tutor.engine.batch_plan import Plan, plan, training_plan
from tutor.engine.batch_trouble import SMALLER, Trouble, first_trouble
from tutor.engine.batch_layers import backward as layer_backward
from tutor.engine.batch_layers import forward as layer_forward
from tutor.engine.graph import Graph
from tutor.engine.numbers import fmt
from tutor.records import record

_NO_LIMIT = contextlib.nullcontext()


@record(slots=True)
class BatchResult:
    """Every node's value and gradient for each row of one batch."""

    values: Sequence[Any]
    """Per node: an array with one entry per row, or a scalar shared by all rows."""
    grads: Sequence[Any]
    """Per node: d(output of the row)/d(node) for each row (0.0 when none flows)."""
    rows: int
    sums: tuple[tuple[Any, Any], ...] | None = None
    """Fused layers' param gradients summed over the rows: (param positions, sums); None when none ran."""

    def column(self, index: int, which: str = "values") -> np.ndarray:
        """One node's numbers as an array of one entry per row."""
        data = (self.values if which == "values" else self.grads)[index]
        return np.broadcast_to(np.asarray(data, dtype=float), (self.rows,))


class BatchEngine:
    """Runs one graph over batches of rows; leaves not given by rows keep their value.

    Layers of neurons found in the graph run as matrix steps
    (``tutor.engine.batch_layers``) unless ``layers`` is False; every other
    node runs on its own. Both give the same numbers for every node. Training
    passes (``mean_grads``, ``output_mean``, ``train_grads``, ``train_loss``)
    follow the training plan (``tutor.engine.batch_plan``: a cross-entropy over
    a softmax layer as one step) and write into arrays the engine keeps, so
    one engine runs one pass at a time (the app trains on its event loop).
    """

    def __init__(self, graph: Graph, layers: bool = True) -> None:
        self.graph = graph
        self._plan = plan(graph)
        self._base = [n.value if n.is_leaf else 0.0 for n in graph.nodes]
        self._not_params = frozenset(n.index for n in graph.nodes if n.kind in ("input", "const"))
        found = find_layers(graph) if layers else []
        self.layers, self._steps = schedule(graph, found) if found else ([], [])
        """The fused layers, in the order they run."""
        self._fast = plan(graph, self._steps) if self.layers else None
        self._training: Plan | None = None
        """The training plan, made on the first training pass."""
        self._fused_params = frozenset(i for lay in self.layers for i in (*lay.weights, *lay.biases) if i >= 0)
        self._unfused = tuple((k, i) for k, i in enumerate(self._plan.params) if i not in self._fused_params)
        self._param_place = {i: k for k, i in enumerate(self._plan.params)}
        self._rules = grad_rules(graph, self.layers)
        self._fill = value_filler(graph, self.layers)
        self._work: dict = {}
        """Arrays the matrix steps of training passes write into, kept from one step to the next."""

    def _forward(self, leaves: dict[int, Any], rows: int) -> tuple[list[Any], Run | None]:
        values: list[Any] = list(self._base)
        for index, value in leaves.items():
            values[index] = value
        steps, run = self._plan, None
        if self._fast is not None:
            fused = self._fused_params
            # a weight given one value per row cannot go into a matrix
            if not any(i in fused and type(v) is not float and np.ndim(v) for i, v in leaves.items()):
                steps, run = self._fast, Run(len(self.layers))
        with np.errstate(all="ignore"):
            for step in steps.forward:
                if step.__class__ is Layer:
                    layer_forward(step, values, run, rows)
                    continue
                index, function, inputs, param = step
                values[index] = function(tuple(values[i] for i in inputs), param)
        return values, run

    def forward(self, leaves: dict[int, Any], rows: int) -> Sequence[Any]:
        """Every node's values; ``leaves`` maps a leaf's index to its value (array or scalar)."""
        with one_thread() if self.layers else _NO_LIMIT:
            values, run = self._forward(leaves, rows)
        return values if run is None else Columns(values, self._fill)

    def run(self, leaves: dict[int, Any], rows: int, params_only: bool = False) -> BatchResult:
        """Forward, then backward from the output for every row at once.

        ``params_only`` skips the gradients of inputs and constants (training
        needs only the params'); the values and every other gradient are the same.
        """
        with one_thread() if self.layers else _NO_LIMIT:
            return self._run(leaves, rows, params_only)

    def _run(self, leaves: dict[int, Any], rows: int, params_only: bool) -> BatchResult:
        values, run = self._forward(leaves, rows)
        steps = self._plan if run is None else self._fast
        skip = self._not_params if params_only else frozenset()
        final = [0.0 if g is None else g for g in self._backward(steps, values, run, rows, skip)]
        if run is None:
            return BatchResult(values, final, rows)
        for i in self._rules:
            final[i] = LATER
        columns = Columns(values, self._fill)
        grads = Columns(final, grad_filler(self.graph, self.layers, self._rules, run, columns))
        return BatchResult(columns, grads, rows, tuple(run.sums))

    def _backward(
        self, steps: Plan, values: list[Any], run: Run | None, rows: int, skip: frozenset[int], release: bool = False
    ) -> list[Any]:
        """Every node's gradient (None where none arrived), none for the leaves in ``skip``. ``release`` drops
        each op node's value and gradient once its step is done (every reader of them has had its step): a
        training pass keeps only the leaves', and memory stays small."""
        grads: list[Any] = [None] * len(values)
        """None: nothing has arrived yet (read as 0)."""
        output = self.graph.output
        if output < 0:
            return grads
        seed = grads[output] = np.ones(rows)  # dL/dL = 1 for every row
        mine = bytearray(len(values))
        full = (rows,)
        with np.errstate(all="ignore"):
            for step in steps.backward:
                kind = step.__class__
                if kind is Layer:
                    layer_backward(step, values, grads, run, rows, skip)
                    continue
                if kind is CrossEntropyStep:
                    step.backward(values, grads, run, rows, seed)
                    continue
                index, derivatives, inputs, param = step
                upstream = grads[index]
                if upstream is None:
                    continue
                args = tuple(values[i] for i in inputs)
                out = values[index]
                for position, i in enumerate(inputs):
                    if i in skip:
                        continue
                    local = derivatives[position](args, out, param)
                    # contribution = upstream × local (an add's 1 passes it on unchanged)
                    contribution = upstream if local is _ONE else upstream * local
                    before = grads[i]
                    # Fan-out adds up. A gradient this loop made itself (one full row array) is added to in
                    # place; anything else (another node's gradient passed on, a matrix column) never is.
                    if before is None:
                        grads[i] = contribution
                        mine[i] = contribution is not upstream and getattr(contribution, "shape", None) == full
                    elif mine[i]:
                        before += contribution
                    else:
                        grads[i] = before = before + contribution
                        mine[i] = getattr(before, "shape", None) == full
                if release:
                    values[index] = grads[index] = None
        return grads

    # --- training passes -----------------------------------------------------------

    def _param_vector(self, leaves: dict[int, Any]) -> np.ndarray | None:
        """The params' values in param order from ``leaves`` (the graph's own where not given), or None
        when one is given per row (a matrix cannot hold it: that pass runs node by node)."""
        out = []
        for i in self._plan.params:
            value = leaves.get(i, self._base[i])
            if type(value) is not float and np.ndim(value):
                return None
            out.append(float(value))
        return np.array(out, dtype=float)

    def _training_plan(self) -> Plan:
        if self._training is None:
            self._training = training_plan(self.graph, self.layers, self._steps) if self.layers else self._plan
        return self._training

    def _train_forward(
        self, params: np.ndarray, data: dict[int, Any], rows: int, loss: bool
    ) -> tuple[list[Any], Run | None]:
        """Forward over the training plan; ``loss``: the output's value is wanted (else a fused loss is skipped)."""
        steps = self._training_plan()
        values: list[Any] = list(self._base)
        if self._unfused:
            flat = params.tolist()
            for k, i in self._unfused:
                values[i] = flat[k]
        for index, value in data.items():
            values[index] = value
        columns = steps.columns
        run = Run(len(self.layers), self._work, np.zeros(len(self._plan.params)), columns) if self.layers else None
        output = self.graph.output
        for step in steps.forward:
            kind = step.__class__
            if kind is Layer:
                layer_forward(step, values, run, rows, params, columns[step.key])
            elif kind is CrossEntropyStep:
                if loss or step.root != output:
                    step.forward(values, run, rows)
            else:
                index, function, inputs, param = step
                values[index] = function(tuple(values[i] for i in inputs), param)
        return values, run

    def train_grads(self, params: np.ndarray, data: dict[int, Any], rows: int) -> np.ndarray:
        """Each param's gradient averaged over a batch, at ``params`` (in param order), for a training step.

        ``data``: leaf index -> one value per row (the batch's columns). The numbers
        ``param_grads(run(...))`` gives; nothing of the pass outlives it (the matrix
        steps write into arrays kept from the previous step, the backward pass lets go
        of each node's numbers once used).
        """
        with one_thread() if self.layers else _NO_LIMIT, np.errstate(all="ignore"):
            values, run = self._train_forward(params, data, rows, loss=False)
            grads = self._backward(self._training_plan(), values, run, rows, self._not_params, release=True)
            out = run.target if run is not None else np.zeros(len(self._plan.params))
            for k, index in self._unfused:  # the params no layer holds: their gradients, summed over the rows
                grad = grads[index]
                if grad is not None:
                    out[k] = float(np.add.reduce(grad)) if isinstance(grad, np.ndarray) else float(grad) * rows
            out /= rows
            return out

    def train_loss(self, params: np.ndarray, data: dict[int, Any], rows: int) -> float:
        """The output's mean over a batch's rows (the data set's loss) at ``params``."""
        with one_thread() if self.layers else _NO_LIMIT, np.errstate(all="ignore"):
            values, _ = self._train_forward(params, data, rows, loss=True)
            out = values[self.graph.output]
            if isinstance(out, np.ndarray) and out.shape == (rows,):
                return float(np.add.reduce(out)) / rows
            return float(np.mean(np.broadcast_to(np.asarray(out, dtype=float), (rows,))))

    def _split(self, leaves: dict[int, Any]) -> tuple[np.ndarray | None, dict[int, Any]]:
        params = self._param_vector(leaves)
        place = self._param_place
        return params, {i: v for i, v in leaves.items() if i not in place}

    def mean_grads(self, leaves: dict[int, Any], rows: int) -> np.ndarray:
        """What ``param_grads(run(leaves, rows, params_only=True))`` gives, for a training step (as ``train_grads``)."""
        params, data = self._split(leaves)
        if params is not None:
            return self.train_grads(params, data, rows)
        with np.errstate(all="ignore"):  # a param given per row: node by node
            values, _ = self._forward(leaves, rows)
            grads = self._backward(self._plan, values, None, rows, self._not_params, release=True)
            return self._summed_means(grads, None, rows)

    def output_mean(self, leaves: dict[int, Any], rows: int) -> float:
        """The output's mean over the rows (the data set's loss), from a pass nothing else keeps."""
        params, data = self._split(leaves)
        if params is not None:
            return self.train_loss(params, data, rows)
        values, _ = self._forward(leaves, rows)
        with np.errstate(all="ignore"):
            return float(np.mean(np.broadcast_to(np.asarray(values[self.graph.output], dtype=float), (rows,))))

    def param_grads(self, result: BatchResult) -> np.ndarray:
        """Each param's gradient averaged over the batch's rows, in param order."""
        return self._means(result.grads, result.sums, result.rows)

    def _means(self, grads: Sequence[Any], sums: Any, rows: int) -> np.ndarray:
        """Each param's mean gradient; a sum that overflows is inf (the trainer warns), never a numpy warning."""
        with np.errstate(all="ignore"):
            return self._summed_means(grads, sums, rows)

    def _summed_means(self, grads: Sequence[Any], sums: Any, rows: int) -> np.ndarray:
        if sums is None:
            chosen: Any = enumerate(self._plan.params)
            out = np.empty(len(self._plan.params))
        else:
            chosen = self._unfused
            out = np.zeros(len(self._plan.params))  # a fused layer no gradient reached stays at 0
            for positions, summed in sums:
                out[positions] = summed / rows
        for k, index in chosen:
            grad = grads[index]
            if grad is None:
                out[k] = 0.0
            else:
                out[k] = float(np.sum(grad)) / rows if isinstance(grad, np.ndarray) else float(grad)
        return out


@record(slots=True)
class DataTable:
    """Data rows as a matrix, with the leaf index of each column."""

    leaves: tuple[int, ...]
    matrix: np.ndarray
    """Shape (rows, columns)."""

    kept: dict[tuple[int, int], dict[int, np.ndarray]] = field(default_factory=dict, compare=False, repr=False)
    """The columns of each run of consecutive rows asked for, kept: epochs in file order take the same
    batches every time (and the cross-entropy step recognises them, see ``CrossEntropyStep``)."""

    @property
    def rows(self) -> int:
        return int(self.matrix.shape[0])

    def leaves_for(self, order: np.ndarray | slice) -> dict[int, np.ndarray]:
        """Each column's numbers for the rows ``order`` picks (leaf index -> array); never changed by a reader."""
        if isinstance(order, slice):
            span = order.indices(self.rows)[:2]
            found = self.kept.get(span)
            if found is None:
                found = self.kept[span] = self._columns(order)
            return found
        return self._columns(order)

    def _columns(self, order: np.ndarray | slice) -> dict[int, np.ndarray]:
        block = self.matrix[order]
        return {leaf: np.ascontiguousarray(block[:, j]) for j, leaf in enumerate(self.leaves)}


def data_table(graph: Graph, columns: tuple[str, ...], rows: list[tuple[float, ...]] | np.ndarray) -> DataTable:
    """A table for ``graph`` from column names (input leaves) and rows of numbers."""
    matrix = np.asarray(rows, dtype=float).reshape(len(rows), len(columns))
    return DataTable(tuple(graph.index[c] for c in columns), matrix)


@record(frozen=False)
class Trainer:
    """Gradient descent on a data set, one batch per step, as the scenario format defines it."""

    graph: Graph
    table: DataTable
    learning_rate: float
    batch_size: int | None = None
    """Rows per step; None means every row in one batch."""
    shuffle: int | None = None
    """A seed: shuffle the rows before each epoch. None keeps file order."""
    start: dict[str, float] = field(default_factory=dict)
    """Leaf values to start from (params and inputs not in the data)."""
    layers: bool = True
    """Run layers of neurons as matrices (False: every node on its own; the numbers are the same)."""

    def __post_init__(self) -> None:
        self.engine = BatchEngine(self.graph, self.layers)
        self.params = [p.index for p in self.graph.params]
        self.param_names = [p.name for p in self.graph.params]
        for name, value in self.start.items():
            self.engine._base[self.graph.index[name]] = float(value)
        self._initial = np.array([self.engine._base[i] for i in self.params], dtype=float)
        self.reset()

    def reset(self) -> None:
        """Back to the starting params, before any epoch."""
        self.values = self._initial.copy()
        self.epochs = 0
        self.steps = 0
        self.warning = ""
        self._rng = np.random.default_rng(self.shuffle) if self.shuffle is not None else None
        self.initial_loss = self.mean_loss()
        self.losses: list[float] = []
        if not math.isfinite(self.initial_loss):
            self.warning = _stopped(f"the loss is {fmt(self.initial_loss)} before training", self.trouble(),
                                    "training cannot start")

    def trouble(self) -> Trouble | None:
        """Where the numbers of the data set's rows first stop being finite at the current params
        (``loss.log1 = log(0) = -inf in row 2 ...``); None when every value is finite."""
        leaves: dict[int, Any] = dict(zip(self.params, self.values.tolist()))
        leaves.update(self.table.leaves_for(slice(None)))
        values = self.engine.forward(leaves, self.table.rows)
        with np.errstate(all="ignore"):
            return first_trouble(self.graph, values, self.table.rows)

    @property
    def stopped(self) -> bool:
        """True once a number overflowed: the run cannot go on."""
        return bool(self.warning)

    def mean_loss(self) -> float:
        """The data set's loss: the mean over every row of the output."""
        return self.engine.train_loss(self.values, self.table.leaves_for(slice(None)), self.table.rows)

    def outputs(self, index: int, leaves: dict[int, Any], rows: int) -> np.ndarray:
        """Node ``index``'s value for each of ``rows`` rows given by ``leaves``, at the current params."""
        given: dict[int, Any] = dict(zip(self.params, self.values.tolist()))
        given.update(leaves)
        values = self.engine.forward(given, rows)
        return np.broadcast_to(np.asarray(values[index], dtype=float), (rows,))

    def output_columns(self, indices: tuple[int, ...], leaves: dict[int, Any], rows: int) -> np.ndarray:
        """Several nodes' values from one pass: shape (rows, len(indices)), at the current params."""
        given: dict[int, Any] = dict(zip(self.params, self.values.tolist()))
        given.update(leaves)
        values = self.engine.forward(given, rows)
        return np.column_stack([np.broadcast_to(np.asarray(values[i], dtype=float), (rows,)) for i in indices])

    def step(self, order: np.ndarray | slice) -> None:
        """One batch: mean gradient over its rows, every param moved at once."""
        rows = len(range(*order.indices(self.table.rows))) if isinstance(order, slice) else len(order)
        grads = self.engine.train_grads(self.values, self.table.leaves_for(order), rows)
        with np.errstate(all="ignore"):
            grads *= self.learning_rate
            self.values = self.values - grads
            total = float(np.add.reduce(self.values))  # finite unless a param is not (or their sum overflows)
        self.steps += 1
        if not math.isfinite(total) and not np.all(np.isfinite(self.values)):
            bad = [n for n, v in zip(self.param_names, self.values) if not math.isfinite(v)]
            self.values = self.values + grads  # the params the trouble came from, to say where it starts
            where = self.trouble()
            self.values = self.values - grads
            self.warning = _stopped(f"a param is no longer a finite number ({', '.join(bad[:3])}) after step "
                                    f"{self.steps}", where)

    def batches(self) -> list[np.ndarray | slice]:
        rows = self.table.rows
        size = rows if not self.batch_size else max(1, self.batch_size)
        if self._rng is not None:
            order = self._rng.permutation(rows)
            return [order[i : i + size] for i in range(0, rows, size)]
        return [slice(i, min(i + size, rows)) for i in range(0, rows, size)]

    def epoch(self) -> float:
        """Every batch in order; returns the mean loss over all rows afterwards."""
        with one_thread() if self.engine.layers else _NO_LIMIT:
            return self._epoch()

    def _epoch(self) -> float:
        if self.stopped:
            return self.losses[-1] if self.losses else self.initial_loss
        for order in self.batches():
            self.step(order)
            if self.stopped:
                break
        self.epochs += 1
        loss = self.mean_loss()
        self.losses.append(loss)
        if not self.stopped and not math.isfinite(loss):
            self.warning = _stopped(f"the loss is {loss} after epoch {self.epochs}", self.trouble())
        return loss

    def train(self, epochs: int) -> list[float]:
        """Up to ``epochs`` epochs (fewer if a number overflows); the losses after each."""
        with one_thread() if self.engine.layers else _NO_LIMIT:
            for _ in range(epochs):
                if self.stopped:
                    break
                self._epoch()
        return self.losses

    def param_values(self) -> dict[str, float]:
        return dict(zip(self.param_names, self.values.tolist()))

    def initial_params(self) -> dict[str, float]:
        return dict(zip(self.param_names, self._initial.tolist()))


def _stopped(what: str, trouble: Trouble | None, outcome: str = "training stopped") -> str:
    """The trainer's warning: what went wrong, where it started, and what to try."""
    if trouble is None:
        return f"{what}: {outcome}; {SMALLER}"
    return f"{what}, from {trouble.where}: {outcome}; {trouble.advice}"
