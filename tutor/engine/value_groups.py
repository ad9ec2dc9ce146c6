"""Which primitives of a graph read from code become named nodes, as a person would write them.

Code such as ``d = a * b + b**3`` makes three primitives and one variable; a
scenario writes ``d: a * b + b ** 3``. With no variable names to go by, a
primitive is a named node (a group of its own) when:

- it has a label, or it is the output;
- its value is used more than once (``t`` in ``t * t``), or never;
- it is a neuron's weighted sum ``b + Σ w·x`` (the w's and b params, every x
  a leaf or a named node) or the activation applied to it: two named nodes,
  as the ``network:`` shorthand writes a neuron (``z1_1`` and ``a1_1``), so the
  neuron view finds it and steps through its four stages;
- folding it into the node that uses it would let a file's parser meet a
  deeper expression than it accepts (only when writing a file);
- folding it would change the order of the primitives (when that order is
  known): the tutor's trace adds a gradient's contributions in graph order,
  and ``backward()`` in the order the nodes were made, so the two agree to the
  last bit only when the orders agree (``z = y + x`` with ``x`` made first
  names ``x``).

Every other primitive is folded into the one node that uses it.
"""

from __future__ import annotations

ACTIVATIONS = ("relu", "tanh", "sigmoid")
"""The ops the neuron view takes as a neuron's activation (beside none: a neuron that is its weighted sum)."""


class Shape:
    """A graph as parallel lists, one entry per node, inputs before the nodes that use them (root last)."""

    __slots__ = ("size", "root", "kinds", "ops", "params", "inputs", "values", "labelled", "uses", "consumer",
                 "neurons")

    def __init__(self, size: int, root: int) -> None:
        self.size = size
        self.root = root
        self.kinds = ["op"] * size
        """``input``, ``param``, ``const`` (a number an operator wrapped) or ``op``."""
        self.ops = [""] * size
        self.params = [0.0] * size
        """A power's exponent."""
        self.inputs: list[tuple[int, ...]] = [()] * size
        self.values = [0.0] * size
        """A leaf's value."""
        self.labelled = [False] * size
        self.uses = [0] * size
        """How many edges leave each node (``a * a`` uses ``a`` twice)."""
        self.consumer = [-1] * size
        """The last node that uses each node (the only one, when it is used once)."""
        self.neurons: list[tuple[int, int, tuple[tuple[int, int], ...], int]] = []
        """(output, weighted sum, ((weight, source)...), bias or -1) for each neuron found, in the order made."""

    def count_uses(self) -> None:
        for i in range(self.size):
            for j in self.inputs[i]:
                self.uses[j] += 1
                self.consumer[j] = i

    def neuron_names(self, named: list[bool]) -> dict[int, str]:
        """Names in the ``network:`` shorthand's scheme for the neurons' nodes and params: ``z{l}_{j}`` the
        weighted sum of neuron j of layer l, ``a{l}_{j}`` its output (its activation; a neuron without one is
        its weighted sum), ``w{l}_{j}_{i}`` its weight from input i, ``b{l}_{j}`` its bias.

        A neuron's layer is one more than its deepest source's (an input's is 0); a neuron reading
        anything else (a param, a node that is not a neuron) is not placed, as the neuron finder does.
        """
        layer_of: dict[int, int] = {}
        count: dict[int, int] = {}
        names: dict[int, str] = {}
        for out, top, synapses, bias in self.neurons:
            if not named[out]:
                continue
            layers = [0 if self.kinds[s] == "input" else layer_of.get(s, -1) for _, s in synapses]
            if min(layers) < 0:
                continue
            layer = max(layers) + 1
            layer_of[out] = layer
            count[layer] = j = count.get(layer, 0) + 1
            names.setdefault(out, f"a{layer}_{j}")
            if top != out:
                names.setdefault(top, f"z{layer}_{j}")
            for i, (weight, _) in enumerate(synapses, 1):
                names.setdefault(weight, f"w{layer}_{j}_{i}")
            if bias >= 0:
                names.setdefault(bias, f"b{layer}_{j}")
        return names


def group_roots(shape: Shape, max_depth: int | None = None, keep_order: bool = True) -> list[bool]:
    """For each node, True when it is a named node (see the module); leaves are always False.

    ``keep_order``: the nodes are in the order they were made (not only in some topological order),
    and the grouping keeps it.
    """
    kinds, uses = shape.kinds, shape.uses
    named = [kinds[i] == "op" and (shape.labelled[i] or i == shape.root or uses[i] != 1) for i in range(shape.size)]
    _neurons(shape, named)
    if max_depth is not None:
        _limit_depth(shape, named, max_depth)
    if keep_order:
        _keep_order(shape, named)
    return named


def _folded(shape: Shape, named: list[bool], j: int) -> bool:
    return shape.kinds[j] == "op" and not named[j]


def _neurons(shape: Shape, named: list[bool]) -> None:
    """Name every neuron's output (see the module), and remember the neurons in ``shape.neurons``."""
    kinds, ops, inputs, uses, consumer = shape.kinds, shape.ops, shape.inputs, shape.uses, shape.consumer
    if "param" not in kinds:
        return  # no params, no weights: no neurons
    for top in range(shape.size):
        if ops[top] != "add":
            continue
        user = consumer[top] if uses[top] == 1 else -1
        if not named[top] and user >= 0 and ops[user] == "add":
            continue  # an inner add of a longer sum
        terms = []
        stack = [top]
        while stack:
            i = stack.pop()
            if i == top or (ops[i] == "add" and _folded(shape, named, i) and uses[i] == 1):
                stack.extend(reversed(inputs[i]))
            else:
                terms.append(i)
        synapses: list[tuple[int, int]] = []
        bias = -1
        for i in terms:
            if kinds[i] == "param" and bias < 0:
                bias = i
                continue
            if ops[i] == "mul":
                left, right = inputs[i]
                weight, source = (left, right) if kinds[left] == "param" else (right, left)
                if kinds[weight] == "param" and kinds[source] != "const":
                    if kinds[source] != "op" or named[source]:
                        synapses.append((weight, source))
                        continue
            synapses = []
            break
        if not synapses:
            continue
        out = user if user >= 0 and ops[user] in ACTIVATIONS else top
        named[out] = named[top] = True
        shape.neurons.append((out, top, tuple(synapses), bias))


def _limit_depth(shape: Shape, named: list[bool], max_depth: int) -> None:
    """Name the deepest folded input wherever an expression would nest deeper than ``max_depth`` ops."""
    depth = [0] * shape.size
    for i in range(shape.size):
        if shape.kinds[i] != "op":
            continue
        inside = [j for j in shape.inputs[i] if _folded(shape, named, j)]
        while inside and 1 + max(depth[j] for j in inside) > max_depth:
            deepest = max(inside, key=depth.__getitem__)
            named[deepest] = True
            inside = [j for j in inside if j != deepest]
        depth[i] = 1 + max((depth[j] for j in inside), default=0)


def _keep_order(shape: Shape, named: list[bool]) -> None:
    """Name the primitives that would otherwise come out of the order they were made in."""
    while True:
        late = []
        last = -1
        for i in emission(shape, named):
            if i < last:
                late.append(i)
            else:
                last = i
        if not late:
            return
        # Name the top of each late subtree: its folded primitives move with it.
        moved = set(late)
        for i in late:
            if shape.consumer[i] not in moved:
                named[i] = True


def emission(shape: Shape, named: list[bool]):
    """The op nodes in the order a scenario's loader makes them: each named node in turn (in the order
    made), its folded primitives first, left to right, depth first."""
    inputs = shape.inputs
    for root in range(shape.size):
        if not named[root]:
            continue
        stack = [(root, False)]
        while stack:
            i, ready = stack.pop()
            if ready:
                yield i
                continue
            stack.append((i, True))
            stack.extend((j, False) for j in reversed(inputs[i]) if _folded(shape, named, j))
