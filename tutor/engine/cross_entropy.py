"""The cross-entropy loss over a softmax layer, found in a graph: −Σₖ tₖ·log pₖ.

When a softmax layer's outputs p_k reach a node only through ``log(p_k)``
terms added up with coefficients (``-(t1 * log(a2_1) + t2 * log(a2_2))``,
``-log(a2_2)``, ``log(a2_1) * t1``, in any order and sign), that node is a
loss L = Σ_k c_k·log p_k, and its gradient at the layer's scores z collapses:

    ∂L/∂z_j = c_j − p_j · Σ_k c_k        (for c = −t with Σ t_k = 1: p_j − t_j)

since ∂p_k/∂z_j = p_k(δ_kj − p_j) and ∂log p_k/∂z_j = δ_kj − p_j. Neither the
Jacobian nor 1/p_k is needed: the textbook's ``SoftmaxWithLoss``. The batch
engine uses it for training (``tutor.engine.batch_layers``); the lesson can
say so. A coefficient is a number, an input (a data column such as ``t1``),
or a product of those with at most one input; anything else (a param, a
node that depends on the net) is not this loss, and the general chain rule
applies.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutor.engine.graph import Graph
from tutor.records import record

Coefficient = tuple[float, int]
"""scale × (the input leaf's value, or 1 when the leaf is -1)."""


@record(slots=True)
class LogTerm:
    """scale × leaf × log(p_k), one term of the loss."""

    output: int
    """k: the softmax output's place in its layer, from 0."""
    scale: float
    leaf: int
    """The input leaf multiplying it (a target such as t1), or -1 for none."""


@record(slots=True)
class CrossEntropy:
    """A node L = Σ terms, each scale × leaf × log(p_k), over one softmax layer's outputs."""

    root: int
    """The node carrying L."""
    outputs: tuple[int, ...]
    """The softmax layer's outputs p_k (node indices), in the layer's order."""
    terms: tuple[LogTerm, ...]
    nodes: tuple[int, ...]
    """L's own nodes between it and the outputs (logs, products, sums, negations, constants), in index order,
    ``root`` last: each read by nothing outside L."""

    @property
    def leaves(self) -> tuple[int, ...]:
        """The input leaves the coefficients read (the targets), each once, in the terms' order."""
        return tuple(dict.fromkeys(t.leaf for t in self.terms if t.leaf >= 0))


def _scaled(form: list[LogTerm], factor: Coefficient) -> list[LogTerm] | None:
    scale, leaf = factor
    if leaf >= 0 and any(t.leaf >= 0 for t in form):
        return None  # t·t·log p is not linear in the coefficients' sense: leave it to the chain rule
    return [LogTerm(t.output, t.scale * scale, leaf if leaf >= 0 else t.leaf) for t in form]


def _product(a: Coefficient, b: Coefficient) -> Coefficient | None:
    if a[1] >= 0 and b[1] >= 0:
        return None
    return a[0] * b[0], max(a[1], b[1])


def find(graph: Graph, outputs: Sequence[int]) -> CrossEntropy | None:
    """The largest node that is Σ c_k·log(p_k) over ``outputs`` (one softmax layer's), if any.

    Walks the graph once in creation order, keeping for each node its linear form in the
    log(p_k) (a list of terms) or, for a coefficient, its (scale, leaf).
    """
    nodes = graph.nodes
    place = {index: k for k, index in enumerate(outputs)}
    forms: dict[int, list[LogTerm]] = {}
    coefficients: dict[int, Coefficient] = {}
    for node in nodes:
        i = node.index
        if node.kind == "const":
            coefficients[i] = (node.value, -1)
            continue
        if node.kind == "input":
            coefficients[i] = (1.0, i)
            continue
        if node.kind != "op":
            continue
        args = node.inputs
        op = node.op
        if op == "log" and args[0] in place:
            forms[i] = [LogTerm(place[args[0]], 1.0, -1)]
        elif op in ("neg", "identity"):
            sign = -1.0 if op == "neg" else 1.0
            if args[0] in forms:
                forms[i] = [LogTerm(t.output, sign * t.scale, t.leaf) for t in forms[args[0]]]
            elif args[0] in coefficients:
                scale, leaf = coefficients[args[0]]
                coefficients[i] = (sign * scale, leaf)
        elif op in ("add", "sub") and args[0] in forms and args[1] in forms:
            sign = -1.0 if op == "sub" else 1.0
            forms[i] = forms[args[0]] + [LogTerm(t.output, sign * t.scale, t.leaf) for t in forms[args[1]]]
        elif op == "mul":
            left, right = args
            if left in forms and right in coefficients:
                found = _scaled(forms[left], coefficients[right])
            elif right in forms and left in coefficients:
                found = _scaled(forms[right], coefficients[left])
            else:
                if left in coefficients and right in coefficients:
                    product = _product(coefficients[left], coefficients[right])
                    if product is not None:
                        coefficients[i] = product
                continue
            if found is not None:
                forms[i] = found
        elif op == "div" and args[1] in coefficients and coefficients[args[1]][1] < 0 and coefficients[args[1]][0]:
            divisor = coefficients[args[1]][0]
            if args[0] in forms:
                forms[i] = [LogTerm(t.output, t.scale / divisor, t.leaf) for t in forms[args[0]]]
            elif args[0] in coefficients:
                scale, leaf = coefficients[args[0]]
                coefficients[i] = (scale / divisor, leaf)
    if not forms:
        return None
    consumers = [0] * len(nodes)
    for node in nodes:
        for i in node.inputs:
            consumers[i] += 1
    best: CrossEntropy | None = None
    readers: dict[int, list[int]] = {}
    for node in nodes:
        for i in node.inputs:
            readers.setdefault(i, []).append(node.index)
    for root in forms:
        if any(r in forms for r in readers.get(root, ())):
            continue  # not the largest form: a form reads it
        inside = _closed(graph, root, place, consumers)
        if inside is None:
            continue
        if best is None or len(inside) > len(best.nodes):
            best = CrossEntropy(root, tuple(outputs), tuple(forms[root]), inside)
    return best


def _closed(graph: Graph, root: int, place: dict[int, int], consumers: list[int]) -> tuple[int, ...] | None:
    """The nodes under ``root`` down to the outputs and the input leaves, when nothing outside reads them."""
    nodes = graph.nodes
    inside: set[int] = set()
    stack = [root]
    while stack:
        i = stack.pop()
        if i in inside:
            return None  # read twice inside: not a tree of its own
        inside.add(i)
        for k in nodes[i].inputs:
            if k in place or nodes[k].kind == "input":
                continue
            if nodes[k].kind == "param" or consumers[k] != 1 or k == graph.output:
                return None
            stack.append(k)
    return tuple(sorted(inside))
