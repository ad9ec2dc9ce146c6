"""The ``network:`` shorthand: a layered net built into ordinary params and nodes.

::

    inputs: {x1: 0.05, x2: 0.1, t: 1}
    network:
      inputs: [x1, x2]
      seed: 1                 # initialises every layer written without weights
      layers:
        - size: 3
          activation: sigmoid # sigmoid, tanh, relu, softplus, identity, or softmax (the last layer only)
          weights: [[0.15, 0.20], [0.25, 0.30], [-0.35, 0.40]]  # one row per neuron
          biases: [0.35, 0.30, 0.25]
        - {size: 1, activation: identity}
    nodes:
      loss: 0.5 * (a2_1 - t) ** 2  # the loss is written after the network

Generated names, for notes, ``--set`` and the JSON (layers count from 1,
neurons from the top, inputs of a neuron from the top of the layer before):

- ``w{l}_{j}_{i}``: the weight from input i into neuron j of layer l (a param);
- ``b{l}_{j}``: the bias of neuron j of layer l (a param);
- ``z{l}_{j}``: its weighted sum ``w·x + b`` (a node);
- ``a{l}_{j}``: its activation, the neuron's output (a node).

A softmax layer (``{size: 3, activation: softmax}``, on the last layer, of two
neurons or more) turns its scores into probabilities that sum to 1,
``a{l}_{j} = exp(z{l}_{j} − m) / Σₖ exp(z{l}_{k} − m)``, from primitives the
expanded view shows, with three more names:

- ``m{l}``: the largest score, ``max(max(z{l}_1, z{l}_2), z{l}_3)`` (subtracting
  it keeps every exp at most 1: big scores never overflow);
- ``e{l}_{j}``: ``exp(z{l}_{j} - m{l})``, neuron j's share before normalising;
- ``s{l}``: their sum ``e{l}_1 + e{l}_2 + e{l}_3``;

and ``a{l}_{j}`` is ``e{l}_{j} / s{l}``. In the groups view that reads scores →
largest → exps → sum → one box per probability.

Every generated node is an ordinary node, so every mode works on a network.
Seeded weights are uniform in ±sqrt(6 / (fan-in + fan-out)) (±sqrt(6 / fan-in)
for relu), drawn layer by layer, neuron by neuron; biases start at 0.
"""

from __future__ import annotations

import math
import random
from typing import Callable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tutor.engine.expr import build, normalize_name, parse, weighted_sum
from tutor.engine.graph import Graph
from tutor.engine.network import ACTIVATIONS as NEURON_ACTIVATIONS
from tutor.engine.network import SOFTMAX
from tutor.records import record
from tutor.scenario.visible import quoted
from tutor.scenario.errors import error_at
from tutor.scenario.values import read_number, read_text

ACTIVATIONS = NEURON_ACTIVATIONS
NETWORK_KEYS = ("inputs", "layers", "seed")
LAYER_KEYS = ("size", "activation", "weights", "biases")
MAX_LAYER_SIZE = 1000


def weight_name(layer: int, neuron: int, source: int) -> str:
    return f"w{layer}_{neuron}_{source}"


def bias_name(layer: int, neuron: int) -> str:
    return f"b{layer}_{neuron}"


def sum_name(layer: int, neuron: int) -> str:
    return f"z{layer}_{neuron}"


def activation_name(layer: int, neuron: int) -> str:
    return f"a{layer}_{neuron}"


def largest_name(layer: int) -> str:
    """A softmax layer's largest score m{l}."""
    return f"m{layer}"


def exp_name(layer: int, neuron: int) -> str:
    """A softmax neuron's exp(z − m), e{l}_{j}."""
    return f"e{layer}_{neuron}"


def total_name(layer: int) -> str:
    """A softmax layer's sum of exps s{l}."""
    return f"s{layer}"


@record(slots=True)
class _Layer:
    size: int
    activation: str
    weights: list[list[float]] | None
    biases: list[float] | None
    node: Node
    activation_node: Node | None = None


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _fields(node: Node, path: str, allowed: tuple[str, ...], what: str) -> dict[str, tuple[Node, Node]]:
    if not isinstance(node, MappingNode):
        raise error_at(path, node, f"{what} must be a mapping", "keys: " + ", ".join(allowed))
    out: dict[str, tuple[Node, Node]] = {}
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) else "?"
        if name not in allowed:
            raise error_at(path, key, f"unknown key {quoted(name)} in {what}", "keys: " + ", ".join(allowed))
        out[name] = (key, value)
    return out


def _numbers(node: Node, path: str, what: str) -> list[float]:
    if not isinstance(node, SequenceNode):
        raise error_at(path, node, f"{what} must be a list of numbers", "e.g. [0.1, -0.2]")
    return [read_number(item, path, what) for item in node.value]


def _whole(node: Node, path: str, what: str, low: int, high: int) -> int:
    value = read_number(node, path, what)
    if not float(value).is_integer() or not low <= value <= high:
        raise error_at(path, node, f"{what} must be a whole number from {low} to {high}, not {node.value}")
    return int(value)


def _layer(node: Node, path: str, k: int, fan_in: int) -> _Layer:
    what = f"layer {k}"
    fields = _fields(node, path, LAYER_KEYS, what)
    if "size" not in fields:
        raise error_at(path, node, f"{what} needs size: (its number of neurons)", "e.g. - {size: 3, activation: sigmoid}")
    size = _whole(fields["size"][1], path, f"{what} size", 1, MAX_LAYER_SIZE)
    activation = "sigmoid"
    if "activation" in fields:
        act_node = fields["activation"][1]
        activation = read_text(act_node, path, f"{what} activation").strip()
        if activation not in ACTIVATIONS:
            raise error_at(
                path, act_node, f"unknown activation {quoted(activation)}", "activations: " + ", ".join(ACTIVATIONS)
            )
    weights = None
    if "weights" in fields:
        rows_node = fields["weights"][1]
        if not isinstance(rows_node, SequenceNode):
            raise error_at(path, rows_node, f"{what} weights must be a list of rows, one per neuron", "e.g. [[0.1, 0.2]]")
        if len(rows_node.value) != size:
            raise error_at(
                path, rows_node, f"{what} has {_count(size, 'neuron')} but {_count(len(rows_node.value), 'row')} of weights",
                "write one row of weights per neuron",
            )
        weights = []
        for j, row in enumerate(rows_node.value, 1):
            values = _numbers(row, path, f"{what} weight")
            if len(values) != fan_in:
                raise error_at(
                    path, row, f"{what}, neuron {j} has {_count(len(values), 'weight')} but {_count(fan_in, 'input')}",
                    "one weight per input of the layer (the layer before's neurons, or the network inputs)",
                )
            weights.append(values)
    biases = None
    if "biases" in fields:
        bias_node = fields["biases"][1]
        biases = _numbers(bias_node, path, f"{what} bias")
        if len(biases) != size:
            raise error_at(path, bias_node, f"{what} has {_count(size, 'neuron')} but {_count(len(biases), 'bias', 'biases')}", "one bias per neuron")
    return _Layer(size, activation, weights, biases, node, fields["activation"][1] if "activation" in fields else None)


def _initial_weights(rng: random.Random, layer: _Layer, fan_in: int, fan_out: int) -> list[list[float]]:
    # Glorot-uniform keeps sigmoid and tanh out of saturation; He-uniform for relu.
    limit = math.sqrt(6.0 / fan_in) if layer.activation == "relu" else math.sqrt(6.0 / (fan_in + fan_out))
    return [[round(rng.uniform(-limit, limit), 4) for _ in range(fan_in)] for _ in range(layer.size)]


def build_network(
    node: Node,
    path: str,
    graph: Graph,
    inputs: dict[str, float],
    params: dict[str, float],
    define: Callable[[str, Node], None],
    max_nodes: int,
) -> tuple[dict[str, str], tuple[tuple[str, ...], ...]]:
    """Add the network's params and nodes to ``graph``.

    Returns the generated nodes' expressions (name -> text, in order) and the
    layers: the input names, then each layer's neuron outputs (``a{l}_{j}``).
    """
    fields = _fields(node, path, NETWORK_KEYS, "network")
    if "inputs" not in fields:
        raise error_at(path, node, "network needs inputs: (the input names it reads)", "e.g. inputs: [x1, x2]")
    if "layers" not in fields:
        raise error_at(path, node, "network needs layers: (a list of layers)", "e.g. - {size: 3, activation: sigmoid}")
    inputs_node = fields["inputs"][1]
    if not isinstance(inputs_node, SequenceNode) or not inputs_node.value:
        raise error_at(path, inputs_node, "network inputs must be a list of input names", "e.g. inputs: [x1, x2]")
    sources: list[str] = []
    for item in inputs_node.value:
        name = normalize_name(read_text(item, path, "a network input").strip())
        if name not in inputs:
            raise error_at(path, item, f"network input {quoted(name)} is not an input", "declare it under inputs: first")
        if name in sources:
            raise error_at(path, item, f"network input {quoted(name)} is listed twice")
        sources.append(name)
    layers_node = fields["layers"][1]
    if not isinstance(layers_node, SequenceNode) or not layers_node.value:
        raise error_at(path, layers_node, "network layers must be a list of layers", "e.g. - {size: 3, activation: sigmoid}")
    seed = None
    if "seed" in fields:
        seed = _whole(fields["seed"][1], path, "network seed", 0, 2**32 - 1)

    layers: list[_Layer] = []
    fan_in = len(sources)
    for k, item in enumerate(layers_node.value, 1):
        layer = _layer(item, path, k, fan_in)
        if layer.weights is None and seed is None:
            raise error_at(
                path, item, f"layer {k} has no weights: and the network has no seed:",
                "write weights (one row per neuron) or add seed: 1 to the network",
            )
        layers.append(layer)
        fan_in = layer.size
    for k, layer in enumerate(layers, 1):
        if layer.activation == SOFTMAX:
            _check_softmax(layer, k, len(layers), path)
    total = sum(layer.size * (9 if layer.activation == SOFTMAX else 4) for layer in layers) + sum(
        (len(sources) if k == 0 else layers[k - 1].size) * layer.size * 3 for k, layer in enumerate(layers)
    )
    if len(graph) + total > max_nodes:
        raise error_at(path, node, f"network has more than {max_nodes:,} primitive nodes", "make the network smaller")

    rng = random.Random(seed)
    expressions: dict[str, str] = {}
    out_layers: list[tuple[str, ...]] = [tuple(sources)]
    scope = dict(graph.index)
    for l, layer in enumerate(layers, 1):
        fan_in = len(sources)
        fan_out = layers[l].size if l < len(layers) else 1
        weights = layer.weights or _initial_weights(rng, layer, fan_in, fan_out)
        biases = layer.biases or [0.0] * layer.size
        outputs: list[str] = []
        softmax = layer.activation == SOFTMAX
        for j in range(1, layer.size + 1):
            terms = []
            for i, source in enumerate(sources, 1):
                name = weight_name(l, j, i)
                define(name, layer.node)
                params[name] = weights[j - 1][i - 1]
                scope[name] = graph.add_leaf(name, "param", weights[j - 1][i - 1])
                terms.append(f"{name} * {source}")
            bias = bias_name(l, j)
            define(bias, layer.node)
            params[bias] = biases[j - 1]
            scope[bias] = graph.add_leaf(bias, "param", biases[j - 1])
            z = sum_name(l, j)
            a = activation_name(l, j)
            text_z = " + ".join([*terms, bias])
            text_a = z if layer.activation == "identity" else f"{layer.activation}({z})"
            products = [(scope[weight_name(l, j, i)], scope[source]) for i, source in enumerate(sources, 1)]
            z_tree = weighted_sum(products, scope[bias])  # the tree parse(text_z) gives, at any width
            made = ((z, text_z, z_tree),) if softmax else ((z, text_z, z_tree), (a, text_a, None))
            for name, text, tree in made:
                define(name, layer.node)
                members = build(graph, name, tree if tree is not None else parse(text, scope, own_name=name))
                graph.add_group(name, members)
                scope[name] = graph.index[name]
                expressions[name] = text
            outputs.append(a)
        if softmax:
            _build_softmax(graph, l, layer, scope, expressions, define)
        out_layers.append(tuple(outputs))
        sources = outputs
    return expressions, tuple(out_layers)


def _check_softmax(layer: _Layer, k: int, count: int, path: str) -> None:
    """A softmax turns the last layer's scores into class probabilities: two classes or more, nowhere else."""
    where = layer.activation_node if layer.activation_node is not None else layer.node
    if k < count:
        raise error_at(
            path, where, f"softmax is only for the last layer, not layer {k} of {count}",
            "it turns the net's final scores into class probabilities; hidden layers use tanh, sigmoid or relu",
        )
    if layer.size < 2:
        raise error_at(
            path, where, "softmax needs a layer of two neurons or more (one per class): alone, a neuron's is always 1",
            "write size: 2 or more, or use one sigmoid neuron for two classes",
        )


def _fold(graph: Graph, name: str, op: str, items: list[int]) -> tuple[int, ...]:
    """``items`` folded left with ``op`` as named node ``name``: the primitives ``parse`` gives for
    ``max(max(a, b), c)`` or ``a + b + c`` (``name.max1``, …, then ``name``), at any length."""
    members: list[int] = []
    folded = items[0]
    for k, item in enumerate(items[1:], 1):
        folded = graph.add_op(name if k == len(items) - 1 else f"{name}.{op}{k}", op, (folded, item), group=name)
        members.append(folded)
    return tuple(members)


def _build_softmax(
    graph: Graph, l: int, layer: _Layer, scope: dict[str, int], expressions: dict[str, str],
    define: Callable[[str, Node], None],
) -> None:
    """m{l}, e{l}_{j}, s{l} and a{l}_{j} = e{l}_{j} / s{l} over the layer's sums z{l}_{j} (made already)."""
    count = layer.size
    scores = [sum_name(l, j) for j in range(1, count + 1)]
    largest = largest_name(l)
    text = scores[0]
    for score in scores[1:]:
        text = f"max({text}, {score})"
    define(largest, layer.node)
    graph.add_group(largest, _fold(graph, largest, "max", [scope[z] for z in scores]))
    scope[largest] = graph.index[largest]
    expressions[largest] = text
    exps = [exp_name(l, j) for j in range(1, count + 1)]
    total = total_name(l)
    made = [(e, f"exp({z} - {largest})") for e, z in zip(exps, scores)]
    for name, text in made:
        define(name, layer.node)
        graph.add_group(name, build(graph, name, parse(text, scope, own_name=name)))
        scope[name] = graph.index[name]
        expressions[name] = text
    define(total, layer.node)
    graph.add_group(total, _fold(graph, total, "add", [scope[e] for e in exps]))
    scope[total] = graph.index[total]
    expressions[total] = " + ".join(exps)
    for j, e in enumerate(exps, 1):
        a = activation_name(l, j)
        text = f"{e} / {total}"
        define(a, layer.node)
        graph.add_group(a, build(graph, a, parse(text, scope, own_name=a)))
        scope[a] = graph.index[a]
        expressions[a] = text


def parse_layers(node: Node, path: str, positions: dict[str, tuple[int, int]]) -> tuple[tuple[str, ...], ...]:
    """A hand-written net's ``layers:``: the input names, then each layer's neuron nodes."""
    if not isinstance(node, SequenceNode) or len(node.value) < 2:
        raise error_at(
            path, node, "layers must be a list of at least two lists of names: the inputs, then each layer",
            "e.g. layers: [[x1, x2], [h1, h2, h3], [y]]",
        )
    out: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for row in node.value:
        if not isinstance(row, SequenceNode) or not row.value:
            raise error_at(path, row, "each layer must be a list of names", "e.g. [h1, h2, h3]")
        names = []
        for item in row.value:
            name = normalize_name(read_text(item, path, "a layer name").strip())
            if name not in positions:
                raise error_at(path, item, f"{quoted(name)} in layers is not defined", "layers name inputs and nodes")
            if name in seen:
                raise error_at(path, item, f"{quoted(name)} appears twice in layers")
            seen.add(name)
            names.append(name)
        out.append(tuple(names))
    return tuple(out)
