"""A batch's numbers for every node, those inside fused layers computed when first read.

The matrix steps of ``tutor.engine.batch_layers`` compute a layer's outputs
and weighted sums; the nodes inside its neurons (products, partial sums), a
softmax's shared nodes (the max, the exps, the sum) and their gradients are
marked ``LATER`` and computed from the op table, the layer's δ or the
gradients at its outputs, only when a result is read: a training pass never
pays for them, and a lesson reading them gets the numbers the nodes give.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from tutor.engine.arithmetic import ONE
from tutor.engine.graph import Graph
from tutor.engine.ops import OPS


class _Later:
    """Marks a node whose numbers a result computes only when read."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "LATER"


LATER: Any = _Later()


class Columns(Sequence):
    """Every node's numbers for a batch; the nodes inside fused neurons computed when first read."""

    __slots__ = ("_items", "_fill")

    def __init__(self, items: list[Any], fill: Callable[[list[Any], int], Any]) -> None:
        self._items = items
        self._fill = fill

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._items)))]
        item = self._items[index]
        if item is LATER:
            item = self._fill(self._items, index % len(self._items))
        return item

    def __iter__(self):
        for i in range(len(self._items)):
            yield self[i]

    def __repr__(self) -> str:
        return f"Columns({len(self._items)} nodes)"


def value_filler(graph: Graph, layers: list[Any]) -> Callable[[list[Any], int], Any]:
    """Computes an inner node's values from its inputs with the op table (its neuron's earlier nodes first)."""
    owner: dict[int, tuple[int, ...]] = {}
    for layer in layers:
        for inner in (*layer.inner, layer.shared):
            for i in inner:
                owner[i] = inner

    def fill(items: list[Any], index: int) -> Any:
        with np.errstate(all="ignore"):
            for i in owner[index]:
                if items[i] is LATER:
                    node = graph.nodes[i]
                    items[i] = OPS[node.op].array_forward(tuple(items[k] for k in node.inputs), node.param)
                if i == index:
                    break
        return items[index]

    return fill


SHARED = -2
"""The source of a rule for a softmax's shared node: its gradient comes from the outputs' (see ``grad_filler``)."""


def grad_rules(graph: Graph, layers: list[Any]) -> dict[int, tuple[int, int, int]]:
    """For each node whose gradient a fused layer leaves for later: (layer key, neuron, source, -1 or SHARED).

    Inner nodes, the weighted sum and the bias get δ of their neuron; a weight gets δ × its source; a
    softmax's shared node gets what the op table sends back to it from the gradients at the outputs.
    """
    rules: dict[int, tuple[int, int, int]] = {}
    for layer in layers:
        k = len(layer.sources)
        for j, (out, z) in enumerate(zip(layer.outputs, layer.zs)):
            for i in (*layer.inner[j], *([z] if z != out else [])):
                rules[i] = (layer.key, j, -1)
            if layer.biases[j] >= 0:
                rules[layer.biases[j]] = (layer.key, j, -1)
            for c, s in enumerate(layer.sources):
                rules[layer.weights[j * k + c]] = (layer.key, j, s)
        for i in layer.shared:
            rules[i] = (layer.key, -1, SHARED)
    return rules


def grad_filler(
    graph: Graph, layers: list[Any], rules: dict[int, tuple[int, int, int]], run: Any, values: Sequence[Any]
) -> Callable[[list[Any], int], Any]:
    def fill(items: list[Any], index: int) -> Any:
        key, j, source = rules[index]
        delta = run.delta[key]
        if delta is None:
            grad: Any = 0.0
        elif source == SHARED:
            _fill_shared(graph, layers[key], items, values)
            return items[index]
        elif source < 0:
            grad = delta[:, j]
        else:
            with np.errstate(all="ignore"):
                grad = delta[:, j] * values[source]
        items[index] = grad
        return grad

    return fill


def _fill_shared(graph: Graph, layer: Any, items: list[Any], values: Sequence[Any]) -> None:
    """A softmax's shared nodes' gradients: the backward pass over them, from the gradients at its outputs,
    as the node-by-node engine runs it (the sums' gradients are δ, kept apart)."""
    grads: dict[int, Any] = {out: items[out] for out in layer.outputs}
    stop = set(layer.zs)
    with np.errstate(all="ignore"):
        for i in sorted((*layer.shared, *layer.outputs), reverse=True):
            upstream = grads.get(i)
            if upstream is None:
                continue
            node = graph.nodes[i]
            op = OPS[node.op]
            args = tuple(values[k] for k in node.inputs)
            out = values[i]
            for position, k in enumerate(node.inputs):
                if k in stop:
                    continue
                local = op.array_derivatives[position](args, out, node.param)
                contribution = upstream if local is ONE else upstream * local
                grads[k] = contribution if k not in grads else grads[k] + contribution
    for i in layer.shared:
        items[i] = grads.get(i, 0.0)
