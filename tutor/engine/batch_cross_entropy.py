"""The cross-entropy over a fused softmax layer as one matrix step, for training passes.

Where ``tutor.engine.cross_entropy`` finds a loss L = Σₖ cₖ·log pₖ over a
softmax layer that runs as matrices (``tutor.engine.batch_layers``), a
training pass skips the loss's own nodes (the logs, products and sums) and
sends the layer's sums their gradient at once, as the textbook's
``SoftmaxWithLoss`` does:

    ∂L/∂Z = C − P ⊙ Σₖ Cₖ        (P − T for C = −T, one-hot targets)

times the gradient arriving at L (1 when L is the output), with C the
coefficients row by row (−t₁, −t₂, … read from the data). The batch's mean
then divides by its rows, as every other gradient does. L's value, when a
pass needs it (the epoch's mean loss, or a node reading L), is Σₖ Cₖ·log Pₖ
with P the layer's probabilities, as the nodes compute it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.engine.cross_entropy import CrossEntropy


CACHE_BYTES = 32 * 1024 * 1024
"""The most a step keeps of its batches' coefficients: a data set in file order fits many times over."""


class CrossEntropyStep:
    """L = Σₖ Cₖ·log Pₖ over layer ``key``'s outputs, run in the place of L's nodes."""

    __slots__ = ("key", "root", "position", "constant", "columns", "_cache", "_kept")

    def __init__(self, found: CrossEntropy, key: int) -> None:
        self.key = key
        self.root = found.root
        self.position = found.root
        """It runs where L's root node would."""
        self.constant = np.zeros(len(found.outputs))
        """The coefficients that are numbers (−1 for ``-log(a2_2)``), per output."""
        columns: list[tuple[int, float, int]] = []
        for term in found.terms:
            if term.leaf < 0:
                self.constant[term.output] += term.scale
            else:
                columns.append((term.output, term.scale, term.leaf))
        self.columns = tuple(columns)
        """(output, scale, input leaf) for the coefficients read from the data (−1 × t1)."""
        self._cache: dict[int, tuple[tuple[Any, ...], Any, Any]] = {}
        """C and Σₖ Cₖ for the batches seen last (the same data arrays each epoch): leaves -> (C, ΣC)."""
        self._kept = 0
        """Bytes the cache holds (its C matrices and the data columns it keeps alive)."""

    def coefficients(self, values: list[Any], rows: int) -> tuple[Any, Any]:
        """C (rows × outputs) and its row sums (rows × 1) for this batch."""
        if not self.columns:
            return self.constant, self.constant.sum()
        given = tuple(values[leaf] for _, _, leaf in self.columns)
        first = id(given[0])
        kept = self._cache.get(first)
        if kept is not None and all(a is b for a, b in zip(kept[0], given)):
            return kept[1], kept[2]
        c = np.empty((rows, len(self.constant)))
        c[:] = self.constant
        for (k, scale, _), column in zip(self.columns, given):
            c[:, k] += column if scale == 1.0 else scale * np.asarray(column)
        total = c.sum(axis=1, keepdims=True)
        size = 2 * c.nbytes
        if self._kept + size > CACHE_BYTES:  # shuffled batches are new arrays every epoch: start again
            self._cache.clear()
            self._kept = 0
        self._cache[first] = (given, c, total)
        self._kept += size
        return c, total

    def forward(self, values: list[Any], run: Any, rows: int) -> None:
        """L for every row: Σₖ Cₖ·log Pₖ (0·log 0 is nan, as in the nodes: the trainer says why)."""
        c, _ = self.coefficients(values, rows)
        logs = np.log(run.a[self.key], out=run.buffer(self.key, "logs", run.a[self.key].shape))
        logs *= c
        values[self.root] = logs.sum(axis=1) if logs.shape[1] > 8 else sum(logs[:, k] for k in range(logs.shape[1]))

    def backward(self, values: list[Any], grads: list[Any], run: Any, rows: int, seed: Any) -> None:
        """C − P ⊙ ΣC, times the gradient arriving at L, added to what reaches the layer's sums directly."""
        upstream = grads[self.root]
        if upstream is None:
            return
        c, total = self.coefficients(values, rows)
        p = run.a[self.key]
        delta = np.multiply(p, total, out=run.buffer(self.key, "cross-entropy", p.shape))
        np.subtract(c, delta, out=delta)
        if upstream is not seed:  # L is read by other nodes: their gradient, row by row
            delta *= np.asarray(upstream).reshape(-1, 1)
        before = run.direct[self.key]
        run.direct[self.key] = delta if before is None else before + delta
