"""Layers of neurons as matrices: the batch engine's fast path.

Where a graph's neurons (``tutor.engine.network``: activation(Σ w·x + b))
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

A softmax layer (``tutor.engine.network``: ``a_k = exp(z_k − m) / s``) is
fused with its shared nodes (the max, the exps, the sum) when nothing else
reads them: A = softmax(Z) row by row, computed as the nodes do (less the
largest score, exp, divided by the sum), and δ = P ⊙ (E − Σₖ Eₖ·Pₖ), the
Jacobian ∂p_j/∂z_k = p_j(δ_jk − p_k) applied to the error E arriving at its
outputs. When they are read elsewhere, only its weighted sums run as a
matrix (an identity layer) and the softmax's nodes run one by one.

The nodes inside a fused neuron keep their numbers: a result computes them
(with the same op table) only when someone reads them
(``tutor.engine.batch_columns``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from tutor.engine.arithmetic import ONE
from tutor.engine.batch_columns import LATER
from tutor.engine.graph import Graph
from tutor.engine.network import SOFTMAX, Neuron, chain, named_neurons
from tutor.engine.ops import OPS


_CONTROLLER: Any = None
_DEPTH = 0
"""How many ``one_thread`` contexts are open: an inner one (a pass inside a training run) costs nothing."""
_NOTHING = contextlib.nullcontext()


def one_thread() -> Any:
    """A context in which numpy's BLAS uses one thread.

    These matrices are small (a batch's rows × a layer's width, a graph
    holds at most 50,000 nodes): measured here, BLAS threads make a matrix
    step slower, not faster, and double its CPU, and the app trains beside
    its own UI thread. threadpoolctl sets the limit and restores it after;
    setting it costs more than a small training step, so a whole run of
    epochs opens one context and the passes inside it open none.
    """
    global _CONTROLLER
    if _DEPTH:
        return _NOTHING
    if _CONTROLLER is None:
        try:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER = ThreadpoolController()
        except Exception:  # noqa: BLE001 - without it, numpy's own threading stays
            _CONTROLLER = False
    if not _CONTROLLER:
        return _NOTHING
    return _limited()


@contextlib.contextmanager
def _limited() -> Any:
    global _DEPTH
    with _CONTROLLER.limit(limits=1, user_api="blas"):
        _DEPTH += 1
        try:
            yield
        finally:
            _DEPTH -= 1


class Layer:
    """Fused neurons run as one matrix step; indices are node indices."""

    __slots__ = ("parts", "key", "position", "sources", "outputs", "zs", "weights", "biases", "activation",
                 "forward", "derivative", "inner", "chain", "weight_slots", "bias_slots", "bias_mask", "shared",
                 "block")

    def __init__(self, neurons: list[tuple[int, int, dict[int, int], int, tuple[int, ...]]],
                 sources: tuple[int, ...], activation: str, shared: tuple[int, ...] = ()) -> None:
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
        self.shared = shared
        """A softmax layer's nodes between its sums and its outputs (the max, the exps, the sum), in index order."""
        self.position = max(max(n[0], n[1], *n[4]) for n in neurons)
        """The highest index among its nodes: the layer runs in that node's place."""
        self.activation = activation
        if activation == SOFTMAX:
            self.forward, self.derivative = _softmax, None
        else:
            op = OPS[activation]
            self.forward = op.array_forward
            self.derivative = op.array_derivatives[0]
        self.chain = -1
        """The key of the layer whose outputs are exactly this one's sources (its matrix is reused)."""
        self.weight_slots: Any = None
        self.bias_slots: Any = None
        self.bias_mask: Any = None
        self.block = -1
        """The first param slot when the layer's params lie in the order the network shorthand makes them
        (each neuron's weights, then its bias): W and b are then views of the params' vector; else -1."""

    def nodes(self) -> set[int]:
        return {*self.outputs, *self.zs, *(i for inner in self.inner for i in inner), *self.shared}


def _softmax(values: tuple[Any, ...], _: float) -> Any:
    """Each row's softmax, as the nodes compute it: exp(z − the row's largest z) over the sum of those."""
    return _softmax_into(values[0], None)


FEW = 8
"""Up to this many outputs, a softmax's largest score and sum are taken column by column, left to right, as
its max and add nodes do (numpy's reductions along a row of a few numbers cost several times more)."""


def _softmax_into(z: Any, out: Any) -> Any:
    count = z.shape[1]
    if not 2 <= count <= FEW:
        e = np.subtract(z, z.max(axis=1, keepdims=True), out=out)
        np.exp(e, out=e)
        e /= e.sum(axis=1, keepdims=True)
        return e
    largest = np.maximum(z[:, 0], z[:, 1])
    for j in range(2, count):
        np.maximum(largest, z[:, j], out=largest)
    e = np.subtract(z, largest[:, None], out=out)
    np.exp(e, out=e)
    total = e[:, 0] + e[:, 1]
    for j in range(2, count):
        total += e[:, j]
    e /= total[:, None]
    return e


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
    softmax_of: dict[int, tuple[int, int]] = {}
    """A softmax neuron's weighted sum -> (its output, its softmax's largest-score node)."""
    for neuron in named_neurons(graph):
        if neuron.activation == SOFTMAX:
            # its weighted sum runs as an identity neuron; the softmax joins it when the whole layer can
            linear = Neuron(neuron.z, neuron.z, "identity", neuron.synapses, neuron.bias)
            found = _fusable(graph, linear, consumers, reader)
            if found is not None:
                softmax_of[found[0]] = (graph.index[neuron.name], graph.index[neuron.softmax.largest])
                fused.append((found, ("softmax", softmax_of[found[0]][1])))
            continue
        found = _fusable(graph, neuron, consumers, reader)
        if found is not None:
            fused.append((found, (neuron.activation, -1)))
    fused.sort(key=lambda f: f[0][0])
    depth: dict[int, int] = {}
    groups: dict[tuple[int, tuple[str, int], tuple[int, ...]], list] = {}
    for found, activation in fused:
        sources = tuple(sorted(found[2]))
        level = 1 + max((depth.get(s, 0) for s in sources), default=0)
        depth[found[0]] = level
        if found[0] in softmax_of:
            depth[softmax_of[found[0]][0]] = level
        groups.setdefault((level, activation, sources), []).append(found)
    layers = []
    for (_, (activation, _), sources), neurons in groups.items():
        layer = _softmax_layer(graph, neurons, sources, softmax_of, consumers) if activation == SOFTMAX else None
        layers.append(layer or Layer(neurons, sources, "identity" if activation == SOFTMAX else activation))
    return layers


def _softmax_layer(
    graph: Graph, neurons: list, sources: tuple[int, ...], softmax_of: dict[int, tuple[int, int]], consumers: list[int]
) -> Layer | None:
    """The softmax layer over these weighted sums, when the matrices compute exactly what its nodes do.

    Every score of the softmax must be here (a max over every z of the layer), and the nodes between
    the sums and the outputs read nothing else and are read by nothing else: then they are the
    softmax of the sums, whatever the order the author wrote them in.
    """
    nodes = graph.nodes
    zs = {n[0] for n in neurons}
    outputs = [softmax_of[z][0] for z in sorted(zs)]
    largest = nodes[softmax_of[min(zs)][1]]
    if set(chain(graph, largest.index, "max")) != zs:
        return None  # some of its scores are not in this layer
    shared: set[int] = set()
    stack = [i for out in outputs for i in nodes[out].inputs]
    while stack:
        i = stack.pop()
        if i in zs or i in shared:
            continue
        if nodes[i].kind != "op" or i == graph.output:
            return None
        shared.add(i)
        stack.extend(nodes[i].inputs)
    inside = shared | set(outputs)
    readers = [0] * len(nodes)
    for node in nodes:
        if node.index in inside:
            for i in node.inputs:
                readers[i] += 1
    if any(readers[i] != consumers[i] for i in (*shared, *zs)) or any(z == graph.output for z in zs):
        return None  # a node of the softmax, or a sum, is read outside it
    parts = [(softmax_of[n[0]][0], n[0], n[2], n[3], n[4]) for n in sorted(neurons, key=lambda n: n[0])]
    return Layer(parts, sources, SOFTMAX, tuple(sorted(shared)))


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
        if bad.activation == SOFTMAX:  # its sums still make a layer; the softmax's nodes run one by one
            layers.append(Layer([(p[1], p[1], *p[2:]) for p in bad.parts], bad.sources, "identity"))
        elif len(bad.parts) > 1:
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
        layer.block = _block(layer)
        by_outputs[layer.outputs] = key
    return layers, [step for _, step in steps]


def _block(layer: Layer) -> int:
    """The layer's first param slot when slot + j·(k + 1) + c holds neuron j's weight c and + k its bias."""
    n, k = len(layer.outputs), len(layer.sources)
    if layer.bias_slots.size != n or not layer.weight_slots.size:
        return -1
    start = int(layer.weight_slots[0])
    rows = start + np.arange(n)[:, None] * (k + 1)
    same = np.array_equal(layer.weight_slots, (rows + np.arange(k)).ravel())
    return start if same and np.array_equal(layer.bias_slots, rows[:, 0] + k) else -1


class Run:
    """One pass's matrices, per layer: sources X, weights W, sums Z, outputs A, δ, and the error waiting for it."""

    __slots__ = ("x", "w", "z", "a", "delta", "pending", "direct", "sums", "work", "target", "columns")

    def __init__(self, count: int, work: dict[tuple[int, str, tuple[int, int]], Any] | None = None,
                 target: Any = None, columns: tuple | None = None) -> None:
        self.x: list[Any] = [None] * count
        self.w: list[Any] = [None] * count
        self.z: list[Any] = [None] * count
        self.a: list[Any] = [None] * count
        self.delta: list[Any] = [None] * count
        self.pending: list[Any] = [None] * count
        self.direct: list[Any] = [None] * count
        """A gradient arriving at a layer's sums themselves: a cross-entropy's p − t (training passes)."""
        self.sums: list[tuple[Any, Any]] = []
        """(param positions, gradients summed over the rows), per fused layer reached by the backward pass."""
        self.work = work
        """Arrays kept from earlier passes to write into, when nothing of this pass outlives it (training steps)."""
        self.target = target
        """A training pass's params' gradients, summed over the rows, in param order: the layers write theirs
        straight into it (``sums`` stays empty)."""
        self.columns = columns
        """A training pass: per layer, the (place, node) of the outputs some node reads (``Plan.columns``)."""

    def buffer(self, key: int, name: str, shape: tuple[int, int]) -> Any:
        """A kept array to write into, or None (numpy makes a new one)."""
        if self.work is None:
            return None
        found = self.work.get((key, name, shape))
        if found is None:
            found = self.work[(key, name, shape)] = np.empty(shape)
        return found

    def ones(self, rows: int) -> Any:
        """A row of ones, to sum a matrix's columns with one product (kept between passes)."""
        found = self.work.get(rows) if self.work is not None else None
        if found is None:
            found = np.ones(rows)
            if self.work is not None:
                self.work[rows] = found
        return found


def forward(
    layer: Layer, values: list[Any], run: Run, rows: int, params: Any = None, columns: tuple | None = None
) -> None:
    """Z = X·Wᵀ + b, A = activation(Z); every output and weighted sum gets its column.

    ``params``: the params in param order (a training pass), read by slot instead of from ``values``;
    ``columns``: the (place, node) of the only outputs to write (a training pass reads no others).
    """
    key, n, k = layer.key, len(layer.outputs), len(layer.sources)
    if layer.chain >= 0:
        x = run.a[layer.chain]
    else:
        x = run.buffer(key, "x", (rows, k))
        if x is None:
            x = np.empty((rows, k))
        for c, s in enumerate(layer.sources):
            x[:, c] = values[s]
    bias: Any = None
    if params is None:
        w = np.array([values[i] for i in layer.weights], dtype=float).reshape(n, k)
        if layer.bias_slots.size:
            bias = np.array([values[b] if b >= 0 else 0.0 for b in layer.biases], dtype=float)
    elif layer.block >= 0:
        span = params[layer.block : layer.block + n * (k + 1)].reshape(n, k + 1)
        w, bias = span[:, :k], span[:, k]
    else:
        w = params[layer.weight_slots].reshape(n, k)
        if layer.bias_slots.size:
            bias = np.zeros(n)
            bias[layer.bias_mask] = params[layer.bias_slots]
    z = np.matmul(x, w.T, out=run.buffer(key, "z", (rows, n)))
    if bias is not None:
        z += bias
    a = layer.forward((z,), 0.0) if layer.derivative is not None else _softmax_into(z, run.buffer(key, "a", (rows, n)))
    run.x[key], run.w[key], run.z[key], run.a[key] = x, w, z, a
    if columns is not None:
        for j, out in columns:
            values[out] = a[:, j]
        return
    for j, (out, zj) in enumerate(zip(layer.outputs, layer.zs)):
        values[out] = a[:, j]
        values[zj] = z[:, j]
    for inner in layer.inner:
        for i in inner:
            values[i] = LATER
    for i in layer.shared:
        values[i] = LATER


def backward(layer: Layer, values: list[Any], grads: list[Any], run: Run, rows: int, skip: frozenset[int]) -> None:
    """δ = E ⊙ act′(Z); the params' gradients summed over the rows; δ·W sent back to the sources."""
    key = layer.key
    error = run.pending[key]
    # a training pass's outputs get a gradient only where a node reads them (its plan's columns)
    for j, out in enumerate(layer.outputs) if run.columns is None else run.columns[key]:
        g = grads[out]
        if g is not None:
            if error is None:
                error = run.buffer(key, "error", (rows, len(layer.outputs)))
                if error is None:
                    error = np.zeros((rows, len(layer.outputs)))
                else:
                    error.fill(0.0)
            error[:, j] += g
    direct = run.direct[key]
    if error is None and direct is None:
        return  # no gradient reaches this layer
    if error is None:
        delta = direct
    else:
        if run.target is None:  # a training pass reads no gradient of the outputs once its layer is done
            for j, out in enumerate(layer.outputs):
                grads[out] = error[:, j]
        if layer.derivative is None:  # softmax: δ = P ⊙ (E − Σₖ Eₖ·Pₖ), the Jacobian times the error
            p = run.a[key]
            delta = p * (error - np.einsum("ij,ij->i", error, p)[:, None])
        else:
            local = layer.derivative((run.z[key],), run.a[key], 0.0)
            delta = error if local is ONE else np.multiply(error, local, out=run.buffer(key, "delta", error.shape))
        if direct is not None:
            delta = delta + direct
    run.delta[key] = delta
    x = run.x[key]
    # Σ over the rows of a bias's δ as a product with ones: one BLAS call, far quicker than a sum down each column
    target = run.target
    if target is None:
        run.sums.append((layer.weight_slots, (delta.T @ x).ravel()))
        if layer.bias_slots.size:
            run.sums.append((layer.bias_slots, (run.ones(rows) @ delta)[layer.bias_mask]))
    elif layer.block >= 0:
        n, k = len(layer.outputs), len(layer.sources)
        span = target[layer.block : layer.block + n * (k + 1)].reshape(n, k + 1)
        np.matmul(delta.T, x, out=span[:, :k])
        np.matmul(run.ones(rows), delta, out=span[:, k])
    else:
        target[layer.weight_slots] = (delta.T @ x).ravel()
        if layer.bias_slots.size:
            target[layer.bias_slots] = (run.ones(rows) @ delta)[layer.bias_mask]
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
