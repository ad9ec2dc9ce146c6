"""The batch engine: the graph run once over many data rows with numpy.

The scalar engine (``tutor.engine.trace``) records every step of one row for
teaching; this module computes the same numbers for a whole batch of rows at
once, for training on a data set: layers of neurons as matrix products
(``tutor.engine.batch_layers``), every other node one numpy call each. It
reads the same op table (each op's ``array_forward`` and
``array_derivatives``), so the engines cannot drift apart: the tests compare
them row by row.

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

from tutor.engine.array_ops import ONE as _ONE
from tutor.engine.batch_layers import (
    LATER, Columns, Layer, Run, find_layers, grad_filler, grad_rules, one_thread, schedule, value_filler,
)
from tutor.engine.batch_layers import backward as layer_backward
from tutor.engine.batch_layers import forward as layer_forward
from tutor.engine.graph import Graph
from tutor.engine.ops import OPS
from tutor.records import record

_NO_LIMIT = contextlib.nullcontext()


@record(slots=True)
class _Plan:
    """The graph flattened for tight loops: one tuple per op node run on its own, or a fused layer."""

    forward: tuple[Any, ...]
    """(index, array forward, inputs, param) per op node, or a ``Layer``."""
    backward: tuple[Any, ...]
    """(index, array derivatives, inputs, param) per op node the output depends on, or a ``Layer``; output first."""
    params: tuple[int, ...]


def _plan(graph: Graph, steps: list[int | Layer] | None = None) -> _Plan:
    needed = graph.ancestors_of_output()
    if steps is None:
        steps = [node.index for node in graph.nodes if node.kind == "op"]
    forward: list[Any] = []
    backward: list[Any] = []
    for step in steps:
        if isinstance(step, Layer):
            forward.append(step)
            backward.append(step)
            continue
        node = graph.nodes[step]
        op = OPS[node.op]
        forward.append((node.index, op.array_forward, node.inputs, node.param))
        if needed[node.index]:
            backward.append((node.index, op.array_derivatives, node.inputs, node.param))
    backward.reverse()
    return _Plan(tuple(forward), tuple(backward), tuple(p.index for p in graph.params))


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
    passes (``mean_grads``, ``output_mean``) write into arrays the engine keeps,
    so one engine runs one pass at a time (the app trains on its event loop).
    """

    def __init__(self, graph: Graph, layers: bool = True) -> None:
        self.graph = graph
        self._plan = _plan(graph)
        self._base = [n.value if n.is_leaf else 0.0 for n in graph.nodes]
        self._not_params = frozenset(n.index for n in graph.nodes if n.kind in ("input", "const"))
        found = find_layers(graph) if layers else []
        self.layers, steps = schedule(graph, found) if found else ([], [])
        """The fused layers, in the order they run."""
        self._fast = _plan(graph, steps) if self.layers else None
        self._fused_params = frozenset(i for lay in self.layers for i in (*lay.weights, *lay.biases) if i >= 0)
        self._unfused = tuple((k, i) for k, i in enumerate(self._plan.params) if i not in self._fused_params)
        self._rules = grad_rules(graph, self.layers)
        self._fill = value_filler(graph, self.layers)
        self._work: dict = {}
        """Arrays the matrix steps of training passes write into, kept from one step to the next."""

    def _forward(self, leaves: dict[int, Any], rows: int, work: dict | None = None) -> tuple[list[Any], Run | None]:
        values: list[Any] = list(self._base)
        for index, value in leaves.items():
            values[index] = value
        plan, run = self._plan, None
        if self._fast is not None:
            fused = self._fused_params
            # a weight given one value per row cannot go into a matrix
            if not any(i in fused and type(v) is not float and np.ndim(v) for i, v in leaves.items()):
                plan, run = self._fast, Run(len(self.layers), work)
        with np.errstate(all="ignore"):
            for step in plan.forward:
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
        final = [0.0 if g is None else g for g in self._backward(values, run, rows, params_only)]
        if run is None:
            return BatchResult(values, final, rows)
        for i in self._rules:
            final[i] = LATER
        columns = Columns(values, self._fill)
        return BatchResult(columns, Columns(final, grad_filler(self._rules, run, columns)), rows, tuple(run.sums))

    def _backward(
        self, values: list[Any], run: Run | None, rows: int, params_only: bool, release: bool = False
    ) -> list[Any]:
        """Every node's gradient (None where none arrived). ``release`` drops each op node's value and
        gradient once its step is done (every reader of them has had its step): a training pass keeps
        only the leaves', and memory stays small."""
        plan = self._plan if run is None else self._fast
        grads: list[Any] = [None] * len(values)
        """None: nothing has arrived yet (read as 0)."""
        skip = self._not_params if params_only else frozenset()
        output = self.graph.output
        if output < 0:
            return grads
        grads[output] = np.ones(rows)  # dL/dL = 1 for every row
        mine = bytearray(len(values))
        full = (rows,)
        with np.errstate(all="ignore"):
            for step in plan.backward:
                if step.__class__ is Layer:
                    layer_backward(step, values, grads, run, rows, skip)
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

    def mean_grads(self, leaves: dict[int, Any], rows: int) -> np.ndarray:
        """What ``param_grads(run(leaves, rows, params_only=True))`` gives, for a training step.

        Nothing of the pass outlives it: the matrix steps write into arrays
        kept from the previous step instead of asking for new ones each time,
        and the backward pass lets go of each node's numbers once used.
        """
        with one_thread() if self.layers else _NO_LIMIT:
            values, run = self._forward(leaves, rows, self._work)
            grads = self._backward(values, run, rows, params_only=True, release=True)
        return self._means(grads, run.sums if run is not None else None, rows)

    def output_mean(self, leaves: dict[int, Any], rows: int) -> float:
        """The output's mean over the rows (the data set's loss), from a pass nothing else keeps."""
        with one_thread() if self.layers else _NO_LIMIT:
            values, _ = self._forward(leaves, rows, self._work)
            out = np.broadcast_to(np.asarray(values[self.graph.output], dtype=float), (rows,))
            with np.errstate(all="ignore"):
                return float(np.mean(out))

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

    @property
    def rows(self) -> int:
        return int(self.matrix.shape[0])

    def leaves_for(self, order: np.ndarray | slice) -> dict[int, np.ndarray]:
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

    @property
    def stopped(self) -> bool:
        """True once a number overflowed: the run cannot go on."""
        return bool(self.warning)

    def _leaves(self, order: np.ndarray | slice) -> dict[int, Any]:
        leaves: dict[int, Any] = dict(zip(self.params, self.values.tolist()))
        leaves.update(self.table.leaves_for(order))
        return leaves

    def mean_loss(self) -> float:
        """The data set's loss: the mean over every row of the output."""
        return self.engine.output_mean(self._leaves(slice(None)), self.table.rows)

    def outputs(self, index: int, leaves: dict[int, Any], rows: int) -> np.ndarray:
        """Node ``index``'s value for each of ``rows`` rows given by ``leaves``, at the current params."""
        given: dict[int, Any] = dict(zip(self.params, self.values.tolist()))
        given.update(leaves)
        values = self.engine.forward(given, rows)
        return np.broadcast_to(np.asarray(values[index], dtype=float), (rows,))

    def step(self, order: np.ndarray | slice) -> None:
        """One batch: mean gradient over its rows, every param moved at once."""
        rows = len(range(*order.indices(self.table.rows))) if isinstance(order, slice) else len(order)
        grads = self.engine.mean_grads(self._leaves(order), rows)
        with np.errstate(all="ignore"):
            self.values = self.values - self.learning_rate * grads
        self.steps += 1
        if not np.all(np.isfinite(self.values)):
            bad = [n for n, v in zip(self.param_names, self.values) if not math.isfinite(v)]
            self.warning = (
                f"a param is no longer a finite number ({', '.join(bad[:3])}) after step {self.steps}: "
                "training stopped; try a smaller learning rate"
            )

    def batches(self) -> list[np.ndarray | slice]:
        rows = self.table.rows
        size = rows if not self.batch_size else max(1, self.batch_size)
        if self._rng is not None:
            order = self._rng.permutation(rows)
            return [order[i : i + size] for i in range(0, rows, size)]
        return [slice(i, min(i + size, rows)) for i in range(0, rows, size)]

    def epoch(self) -> float:
        """Every batch in order; returns the mean loss over all rows afterwards."""
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
            self.warning = f"the loss is {loss} after epoch {self.epochs}: training stopped; try a smaller learning rate"
        return loss

    def train(self, epochs: int) -> list[float]:
        """Up to ``epochs`` epochs (fewer if a number overflows); the losses after each."""
        for _ in range(epochs):
            if self.stopped:
                break
            self.epoch()
        return self.losses

    def param_values(self) -> dict[str, float]:
        return dict(zip(self.param_names, self.values.tolist()))

    def initial_params(self) -> dict[str, float]:
        return dict(zip(self.param_names, self._initial.tolist()))
