"""Neurons found in a graph: which nodes form activation(Σ w·x + b), in layers.

A neuron is a named node that is an activation (sigmoid, tanh, relu, or
none: identity) of a weighted sum: an add-chain of ``param × source`` terms
and at most one bias param. Sources are inputs or other neurons. The layers
are either declared by the scenario or inferred: a neuron's layer is one
more than the deepest layer among its sources (inputs are layer 0).

A softmax is the one activation made of several primitives and shared by a
whole layer: neuron k's output is ``e_k / s`` with ``e_k = exp(z_k − m)``,
``s`` the add-chain of every ``e_j`` and ``m`` the max-chain of every score
``z_j`` (the largest, so no exp overflows). Such a neuron has the activation
``softmax``, its weighted sum ``z_k`` and the shared nodes in ``softmax``.

This is what the neuron view draws and steps through; the numbers still come
from the ordinary trace of the graph.
"""

from __future__ import annotations


from tutor.engine.graph import Graph
from tutor.engine.ops import ACTIVATIONS as ACTIVATION_OPS
from tutor.engine.ops import OPS, Activation
from tutor.records import record

__all__ = [
    "ACTIVATIONS", "ACTIVATION_OPS", "SOFTMAX", "SOFTMAX_WORDS", "Network", "Neuron", "NotANeuron", "SoftmaxParts",
    "Synapse", "activation_of", "chain", "from_layers", "infer", "named_neurons", "neuron_at", "softmax_at",
]
SOFTMAX = "softmax"
"""The activation of a whole layer, made of primitives (max, subtract, exp, add, divide), not one op:
the ops a neuron may use (``ACTIVATION_OPS``, the op table's) apply to one neuron's weighted sum each."""
ACTIVATIONS = (*ACTIVATION_OPS, SOFTMAX)
"""Every activation a neuron may have."""
SOFTMAX_WORDS = Activation(symbol="softmax", derivative="pⱼ(δⱼₖ − pₖ)", rule="{a}(δⱼₖ − pₖ)")
"""How the neuron view writes a softmax: its symbol and its Jacobian (each p depends on every score)."""


def activation_of(name: str) -> Activation:
    """How an activation reads (symbol, derivative): the op table's for one op, the softmax's own for a layer."""
    return SOFTMAX_WORDS if name == SOFTMAX else OPS[name].activation


@record(slots=True)
class Synapse:
    """One weighted input of a neuron: ``weight × source``."""

    source: str
    weight: str
    """The param that weighs it."""
    product: str
    """The primitive multiply node computing weight × source."""


@record(slots=True)
class SoftmaxParts:
    """The primitives a softmax neuron's output is made of, beyond its weighted sum (node names)."""

    largest: str
    """m: the root of the max-chain over every score of the layer."""
    exp: str
    """e_k = exp(z_k − m): this neuron's exp node."""
    total: str
    """s: the root of the add-chain of every e_j."""
    scores: tuple[str, ...]
    """Every z_j of the layer, in the order the sum adds their exps."""


@record(slots=True)
class Neuron:
    name: str
    """The node carrying the neuron's output (its activation)."""
    z: str
    """The node carrying its weighted sum (the same node when the activation is identity and unwritten)."""
    activation: str
    """sigmoid, tanh, relu, identity or softmax."""
    synapses: tuple[Synapse, ...]
    bias: str | None
    layer: int = 0
    position: int = 0
    """Its place in its layer, from 0 at the top."""
    softmax: SoftmaxParts | None = None
    """For a softmax neuron, the nodes it shares with its layer; None otherwise."""

    @property
    def weights(self) -> tuple[str, ...]:
        return tuple(s.weight for s in self.synapses)

    @property
    def inputs(self) -> tuple[str, ...]:
        """What each weight multiplies, in the order of ``weights``."""
        return tuple(s.source for s in self.synapses)

    @property
    def biases(self) -> tuple[str, ...]:
        return (self.bias,) if self.bias is not None else ()

    def weight_for(self, source: str) -> str | None:
        """The param weighing ``source``, if the neuron reads it."""
        for s in self.synapses:
            if s.source == source:
                return s.weight
        return None


@record(slots=True)
class Network:
    """Input names, then each layer of neurons."""

    inputs: tuple[str, ...]
    layers: tuple[tuple[Neuron, ...], ...]

    @property
    def neurons(self) -> list[Neuron]:
        return [n for layer in self.layers for n in layer]

    def neuron(self, name: str) -> Neuron | None:
        for n in self.neurons:
            if n.name == name:
                return n
        return None

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self.inputs), *(len(layer) for layer in self.layers))

    def is_softmax(self, layer: int) -> bool:
        """True when layer ``layer`` (counting from 1, as ``Neuron.layer``) is a softmax layer."""
        return 1 <= layer <= len(self.layers) and all(n.activation == SOFTMAX for n in self.layers[layer - 1])

    @property
    def softmax_layers(self) -> tuple[int, ...]:
        """The softmax layers, counting from 1."""
        return tuple(l for l in range(1, len(self.layers) + 1) if self.is_softmax(l))


class NotANeuron(ValueError):
    """A declared neuron that is not activation(Σ w·x + b)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def _named(graph: Graph, index: int) -> bool:
    node = graph.nodes[index]
    return node.kind in ("input", "param") or node.name in graph.groups


def chain(graph: Graph, root: int, op: str) -> list[int]:
    """The terms of an ``op``-chain under ``root``, left to right: through ``root`` and unnamed ``op`` nodes.

    ``w1 * x1 + w2 * x2 + b`` gives its two products and ``b``; ``max(max(z1, z2), z3)`` the three z's.
    """
    terms: list[int] = []
    stack = [root]
    while stack:
        i = stack.pop()
        n = graph.nodes[i]
        if n.kind == "op" and n.op == op and (i == root or n.name not in graph.groups):
            stack.extend(reversed(n.inputs))
        else:
            terms.append(i)
    return terms


def softmax_at(graph: Graph, index: int) -> tuple[int, SoftmaxParts] | None:
    """(the weighted sum's index, the shared parts) when node ``index`` is ``exp(z_k − m) / s`` of a softmax.

    ``s`` must be an add-chain of ``exp(z_j − m)`` terms, one per score, this one's among them, and
    ``m`` a max-chain over exactly those scores.
    """
    nodes = graph.nodes
    node = nodes[index]
    if node.kind != "op" or node.op != "div":
        return None
    numerator, total = (nodes[i] for i in node.inputs)
    if numerator.kind != "op" or numerator.op != "exp":
        return None
    shifted = nodes[numerator.inputs[0]]
    if shifted.kind != "op" or shifted.op != "sub":
        return None
    z_index, largest = shifted.inputs
    scores: list[int] = []
    for term in chain(graph, total.index, "add"):
        e = nodes[term]
        if e.kind != "op" or e.op != "exp":
            return None
        u = nodes[e.inputs[0]]
        if u.kind != "op" or u.op != "sub" or u.inputs[1] != largest:
            return None
        scores.append(u.inputs[0])
    if z_index not in scores or len(set(scores)) != len(scores):
        return None
    if sorted(chain(graph, largest, "max")) != sorted(scores):
        return None
    names = tuple(nodes[i].name for i in scores)
    return z_index, SoftmaxParts(nodes[largest].name, numerator.name, total.name, names)


def neuron_at(graph: Graph, index: int) -> Neuron | str:
    """The neuron whose output is node ``index``, or the reason it is not one."""
    node = graph.nodes[index]
    if node.kind != "op":
        return f"'{node.name}' is a leaf, not a neuron"
    softmax = softmax_at(graph, index)
    parts = None
    if softmax is not None:
        activation, (z_index, parts) = SOFTMAX, softmax
    elif node.op in ACTIVATION_OPS:
        activation, z_index = node.op, node.inputs[0]
    else:
        activation, z_index = "identity", index
    terms = chain(graph, z_index, "add")
    synapses: list[Synapse] = []
    bias: str | None = None
    for i in terms:
        term = graph.nodes[i]
        if term.kind == "param":
            if bias is not None:
                return f"'{node.name}' has two bias params ({bias} and {term.name})"
            bias = term.name
            continue
        if term.kind == "op" and term.op == "mul":
            left, right = (graph.nodes[k] for k in term.inputs)
            weight, source = (left, right) if left.kind == "param" else (right, left)
            if weight.kind == "param" and source.kind != "const" and _named(graph, source.index):
                synapses.append(Synapse(source.name, weight.name, term.name))
                continue
        shape = "activation(Σ w·x + b), with each w a param"
        return f"'{node.name}' is not a neuron: it should have the shape {shape}"
    if not synapses:
        return f"'{node.name}' is not a neuron: its sum has no weighted inputs"
    return Neuron(node.name, graph.nodes[z_index].name, activation, tuple(synapses), bias, softmax=parts)


def _place(neurons: list[Neuron], inputs: set[str]) -> tuple[tuple[str, ...], tuple[tuple[Neuron, ...], ...]]:
    depth: dict[str, int] = {}
    layers: dict[int, list[Neuron]] = {}
    used_inputs: list[str] = []
    for neuron in neurons:
        level = 0
        for synapse in neuron.synapses:
            if synapse.source in inputs:
                if synapse.source not in used_inputs:
                    used_inputs.append(synapse.source)
                continue
            level = max(level, depth[synapse.source])
        depth[neuron.name] = level + 1
        layers.setdefault(level + 1, []).append(neuron)
    out = []
    for l in sorted(layers):
        out.append(tuple(
            Neuron(n.name, n.z, n.activation, n.synapses, n.bias, l, p, n.softmax) for p, n in enumerate(layers[l])
        ))
    return tuple(used_inputs), tuple(out)


def from_layers(graph: Graph, layers: tuple[tuple[str, ...], ...]) -> Network:
    """The network a scenario declares: input names, then each layer's neuron nodes."""
    known = set(layers[0])
    for name in layers[0]:
        if graph.node(name).kind not in ("input", "param"):
            raise NotANeuron(name, f"'{name}' is in the first layer, which lists the network's inputs")
    out: list[tuple[Neuron, ...]] = []
    for l, names in enumerate(layers[1:], 1):
        row = []
        for p, name in enumerate(names):
            found = neuron_at(graph, graph.index[name])
            if isinstance(found, str):
                raise NotANeuron(name, found)
            for synapse in found.synapses:
                if synapse.source not in known:
                    raise NotANeuron(name, f"'{name}' reads '{synapse.source}', which is not in an earlier layer")
            row.append(Neuron(found.name, found.z, found.activation, found.synapses, found.bias, l, p, found.softmax))
        out.append(tuple(row))
        known.update(names)
    return Network(tuple(layers[0]), tuple(out))


def named_neurons(graph: Graph) -> list[Neuron]:
    """The graph's neuron-shaped named nodes, in the author's order.

    A weighted sum wrapped by an activation is part of that neuron, not a neuron itself.
    """
    candidates: list[Neuron] = []
    for name in graph.groups:
        found = neuron_at(graph, graph.index[name])
        if isinstance(found, Neuron):
            candidates.append(found)
    wrapped = {n.z for n in candidates if n.z != n.name}
    return [n for n in candidates if n.name not in wrapped]


def infer(graph: Graph) -> Network | None:
    """The network formed by the graph's neuron-shaped named nodes, if there are two layers or more."""
    inputs = {n.name for n in graph.nodes if n.kind == "input"}
    kept: list[Neuron] = []
    names: set[str] = set()
    for neuron in named_neurons(graph):
        if all(s.source in inputs or s.source in names for s in neuron.synapses):
            kept.append(neuron)
            names.add(neuron.name)
    if not kept:
        return None
    used, layers = _place(kept, inputs)
    if len(layers) < 2:
        return None
    return Network(used, layers)
