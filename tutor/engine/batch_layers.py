"""Layers of neurons as matrices: the batch engine's fast path.

Where a graph's neurons (``tutor.engine.neurons``: activation(Σ w·x + b))
form dense layers, a layer's forward pass over every row is one matrix
product, a bias and the activation (Z = X·Wᵀ + b, A = act(Z)), and its
backward pass a few more: δ = E ⊙ act′(Z) for the error E arriving at its
outputs, the weights' gradient summed over the rows δᵀ·X, the biases' Σδ,
and the error sent back to the sources δ·W. That replaces one numpy call per
primitive node (three per weight). The activation and its local derivative
come from the op table's array functions, as everywhere in the batch engine.

A neuron is fused only when the matrices compute exactly what its nodes
would: each of its weights and its bias read by that one node only, every
node inside it (products, partial sums, the weighted sum under an
activation) read by nothing outside it, its sources distinct. A layer is a
set of fused neurons at the same depth with one activation and one set of
sources. Anything else runs node by node; the two parts meet at a layer's
sources and outputs, where gradients add up as at any fan-out.

The nodes inside a fused neuron keep their numbers: a result computes them
(with the same op table) only when someone reads them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from tutor.engine.array_ops import ONE
from tutor.engine.graph import Graph
from tutor.engine.neurons import Neuron, named_neurons
from tutor.engine.ops import OPS


_CONTROLLER: Any = None


def one_thread() -> Any:
    """A context in which numpy's BLAS uses one thread.

    These matrices are small (a batch's rows × a layer's width, a graph
    holds at most 50,000 nodes): measured here, BLAS threads make a matrix
    step slower, not faster, and double its CPU, and the app trains beside
    its own UI thread. threadpoolctl sets the limit and restores it after.
    """
    global _CONTROLLER
    if _CONTROLLER is None:
        try:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER = ThreadpoolController()
        except Exception:  # noqa: BLE001 - without it, numpy's own threading stays
            _CONTROLLER = False
    if not _CONTROLLER:
        return contextlib.nullcontext()
    return _CONTROLLER.limit(limits=1, user_api="blas")


class _Later:
    """Marks a node whose numbers a result computes only when read."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "LATER"


LATER: Any = _Later()


class Layer:
    """Fused neurons run as one matrix step; indices are node indices."""

    __slots__ = ("parts", "key", "position", "sources", "outputs", "zs", "weights", "biases", "activation",
                 "forward", "derivative", "inner", "chain", "weight_slots", "bias_slots", "bias_mask")

    def __init__(self, neurons: list[tuple[int, int, dict[int, int], int, tuple[int, ...]]],
                 sources: tuple[int, ...], activation: str) -> None:
        self.parts = neurons
        self.key = -1
        self.sources = sources
        self.outputs = tuple(n[0] for n in neurons)
        self.zs = tuple(n[1] for n in neurons)
        self.weights = tuple(n[2][s] for n in neurons for s in sources)
        """Row-major: neuron j, then source column c."""
        self.biases = tuple(n[3] for n in neurons)
        """-1 where a neuron has no bias."""
        self.inner = tuple(n[4] for n in neurons)
        """Per neuron: its nodes other than output and weighted sum, in index order."""
        self.position = max(max(n[0], n[1], *n[4]) for n in neurons)
        """The highest index among its nodes: the layer runs in that node's place."""
        self.activation = activation
        op = OPS[activation]
        self.forward = op.array_forward
        self.derivative = op.array_derivatives[0]
        self.chain = -1
        """The key of the layer whose outputs are exactly this one's sources (its matrix is reused)."""
        self.weight_slots: Any = None
        self.bias_slots: Any = None
        self.bias_mask: Any = None

    def nodes(self) -> set[int]:
        return {*self.outputs, *self.zs, *(i for inner in self.inner for i in inner)}


def _fusable(graph: Graph, neuron: Neuron, consumers: list[int], reader: list[int]):
    """(output, z, weight by source, bias, inner nodes) when the neuron can run as a matrix row, else None."""
    index = graph.index
    out, z = index[neuron.name], index[neuron.z]
    sources = [index[s.source] for s in neuron.synapses]
    weights = [index[s.weight] for s in neuron.synapses]
    bias = index[neuron.bias] if neuron.bias is not None else -1
    if len(set(sources)) != len(sources):
        return None
    sums: list[int] = []
    stack = [z]
    while stack:  # the add-chain under z, walked as neurons.neuron_at walks it
        i = stack.pop()
        node = graph.nodes[i]
        if node.kind == "op" and node.op == "add" and (i == z or node.name not in graph.groups):
            sums.append(i)
            stack.extend(node.inputs)
    inside = {*sums, *(index[s.product] for s in neuron.synapses), z} - {out}
    for p in (*weights, *([bias] if bias >= 0 else [])):
        if consumers[p] != 1 or p == graph.output:
            return None
    for i in inside:
        if consumers[i] != 1 or i == graph.output or (reader[i] not in inside and reader[i] != out):
            return None
    inner = tuple(sorted(inside - {z}))
    return out, z, dict(zip(sources, weights)), bias, inner


def find_layers(graph: Graph) -> list[Layer]:
    """The graph's fusable neurons grouped into layers (unordered, unchecked against each other)."""
    nodes = graph.nodes
    consumers = [0] * len(nodes)
    reader = [-1] * len(nodes)
    for node in nodes:
        for i in node.inputs:
            consumers[i] += 1
            reader[i] = node.index
    fused = []
    for neuron in named_neurons(graph):
        found = _fusable(graph, neuron, consumers, reader)
        if found is not None:
            fused.append((found, neuron.activation))
    fused.sort(key=lambda f: f[0][0])
    depth: dict[int, int] = {}
    groups: dict[tuple[int, str, tuple[int, ...]], list] = {}
    for found, activation in fused:
        sources = tuple(sorted(found[2]))
        level = 1 + max((depth.get(s, 0) for s in sources), default=0)
        depth[found[0]] = level
        groups.setdefault((level, activation, sources), []).append(found)
    return [Layer(neurons, key[2], key[1]) for key, neurons in groups.items()]


def schedule(graph: Graph, layers: list[Layer]) -> tuple[list[Layer], list[int | Layer]]:
    """The layers kept and every step in order: an op node's index, or a layer in its place.

    A layer whose outputs are read before its place, or whose sources are
    not ready at it, is split into one layer per neuron, and a one-neuron
    layer is dropped (its nodes run one by one), until the order holds.
    """
    layers = list(layers)
    while True:
        fused = set().union(*(layer.nodes() for layer in layers)) if layers else set()
        steps: list[tuple[int, int | Layer]] = [(n.index, n.index) for n in graph.nodes
                                                 if n.kind == "op" and n.index not in fused]
        steps.extend((layer.position, layer) for layer in layers)
        steps.sort(key=lambda s: s[0])
        made = {layer.outputs[j]: layer for layer in layers for j in range(len(layer.outputs))}
        made.update({z: layer for layer in layers for z in layer.zs})
        ready = [n.kind != "op" for n in graph.nodes]
        bad: Layer | None = None
        for _, step in steps:
            reads = step.sources if isinstance(step, Layer) else graph.nodes[step].inputs
            missing = [i for i in reads if not ready[i]]
            if missing:
                bad = step if isinstance(step, Layer) else made.get(missing[0])
                if bad is None:  # cannot happen in creation order; run every node one by one
                    return [], [n.index for n in graph.nodes if n.kind == "op"]
                break
            if isinstance(step, Layer):
                for i in (*step.outputs, *step.zs):
                    ready[i] = True
            else:
                ready[step] = True
        if bad is None:
            break
        layers.remove(bad)
        if len(bad.parts) > 1:
            layers.extend(Layer([part], bad.sources, bad.activation) for part in bad.parts)
    layers.sort(key=lambda layer: layer.position)
    params = {p.index: k for k, p in enumerate(graph.params)}
    by_outputs: dict[tuple[int, ...], int] = {}
    for key, layer in enumerate(layers):
        layer.key = key
        layer.weight_slots = np.array([params[w] for w in layer.weights], dtype=np.intp)
        layer.bias_mask = np.array([b >= 0 for b in layer.biases], dtype=bool)
        layer.bias_slots = np.array([params[b] for b in layer.biases if b >= 0], dtype=np.intp)
        layer.chain = by_outputs.get(layer.sources, -1)
        by_outputs[layer.outputs] = key
    return layers, [step for _, step in steps]


class Run:
    """One pass's matrices, per layer: sources X, weights W, sums Z, outputs A, δ, and the error waiting for it."""

    __slots__ = ("x", "w", "z", "a", "delta", "pending", "sums", "work")

    def __init__(self, count: int, work: dict[tuple[int, str, tuple[int, int]], Any] | None = None) -> None:
        self.x: list[Any] = [None] * count
        self.w: list[Any] = [None] * count
        self.z: list[Any] = [None] * count
        self.a: list[Any] = [None] * count
        self.delta: list[Any] = [None] * count
        self.pending: list[Any] = [None] * count
        self.sums: list[tuple[Any, Any]] = []
        """(param positions, gradients summed over the rows), per fused layer reached by the backward pass."""
        self.work = work
        """Arrays kept from earlier passes to write into, when nothing of this pass outlives it (training steps)."""

    def buffer(self, key: int, name: str, shape: tuple[int, int]) -> Any:
        """A kept array to write into, or None (numpy makes a new one)."""
        if self.work is None:
            return None
        found = self.work.get((key, name, shape))
        if found is None:
            found = self.work[(key, name, shape)] = np.empty(shape)
        return found


def forward(layer: Layer, values: list[Any], run: Run, rows: int) -> None:
    """Z = X·Wᵀ + b, A = activation(Z); every output and weighted sum gets its column."""
    key, n, k = layer.key, len(layer.outputs), len(layer.sources)
    if layer.chain >= 0:
        x = run.a[layer.chain]
    else:
        x = run.buffer(key, "x", (rows, k))
        if x is None:
            x = np.empty((rows, k))
        for c, s in enumerate(layer.sources):
            x[:, c] = values[s]
    w = np.array([values[i] for i in layer.weights], dtype=float).reshape(n, k)
    z = np.matmul(x, w.T, out=run.buffer(key, "z", (rows, n)))
    if layer.bias_mask.any():
        z += np.array([values[b] if b >= 0 else 0.0 for b in layer.biases], dtype=float)
    a = layer.forward((z,), 0.0)
    run.x[key], run.w[key], run.z[key], run.a[key] = x, w, z, a
    for j, (out, zj) in enumerate(zip(layer.outputs, layer.zs)):
        values[out] = a[:, j]
        values[zj] = z[:, j]
    for inner in layer.inner:
        for i in inner:
            values[i] = LATER


def backward(layer: Layer, values: list[Any], grads: list[Any], run: Run, rows: int, skip: frozenset[int]) -> None:
    """δ = E ⊙ act′(Z); the params' gradients summed over the rows; δ·W sent back to the sources."""
    key = layer.key
    error = run.pending[key]
    for j, out in enumerate(layer.outputs):
        g = grads[out]
        if g is not None:
            if error is None:
                error = run.buffer(key, "error", (rows, len(layer.outputs)))
                if error is None:
                    error = np.zeros((rows, len(layer.outputs)))
                else:
                    error.fill(0.0)
            error[:, j] += g
    if error is None:
        return  # no gradient reaches this layer
    for j, out in enumerate(layer.outputs):
        grads[out] = error[:, j]
    local = layer.derivative((run.z[key],), run.a[key], 0.0)
    delta = error if local is ONE else np.multiply(error, local, out=run.buffer(key, "delta", error.shape))
    run.delta[key] = delta
    x = run.x[key]
    run.sums.append((layer.weight_slots, (delta.T @ x).ravel()))
    if layer.bias_slots.size:
        # Σ over the rows as a product with ones: one BLAS call, far quicker than a sum down each column
        run.sums.append((layer.bias_slots, (np.ones(rows) @ delta)[layer.bias_mask]))
    if all(s in skip for s in layer.sources):
        return
    back = np.matmul(delta, run.w[key], out=run.buffer(key, "back", (rows, len(layer.sources))))
    if layer.chain >= 0:
        before = run.pending[layer.chain]
        run.pending[layer.chain] = back if before is None else before + back
        return
    for c, s in enumerate(layer.sources):
        if s in skip:
            continue
        before = grads[s]
        grads[s] = back[:, c] if before is None else before + back[:, c]


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


def value_filler(graph: Graph, layers: list[Layer]) -> Callable[[list[Any], int], Any]:
    """Computes an inner node's values from its inputs with the op table (its neuron's earlier nodes first)."""
    owner: dict[int, tuple[int, ...]] = {}
    for layer in layers:
        for inner in layer.inner:
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


def grad_rules(graph: Graph, layers: list[Layer]) -> dict[int, tuple[int, int, int]]:
    """For each node whose gradient a fused layer leaves for later: (layer key, neuron, source or -1).

    Inner nodes, the weighted sum and the bias get δ of their neuron; a weight gets δ × its source.
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
    return rules


def grad_filler(rules: dict[int, tuple[int, int, int]], run: Run, values: Sequence[Any]) -> Callable[[list[Any], int], Any]:
    def fill(items: list[Any], index: int) -> Any:
        key, j, source = rules[index]
        delta = run.delta[key]
        if delta is None:
            grad: Any = 0.0
        elif source < 0:
            grad = delta[:, j]
        else:
            with np.errstate(all="ignore"):
                grad = delta[:, j] * values[source]
        items[index] = grad
        return grad

    return fill
