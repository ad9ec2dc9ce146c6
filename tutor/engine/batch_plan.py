"""The batch engine's plans: the graph flattened into steps for its tight loops.

A plan lists, in creation order, one step per op node (its index, array
function, inputs and param) or a fused layer in its place
(``tutor.engine.batch_layers``), and the steps of the backward pass in
reverse, only those the output depends on. Three plans serve one graph:

- every node on its own (``plan(graph)``);
- layers as matrices, every other node on its own (``plan(graph, steps)``):
  what a lesson reads, every node's numbers;
- the training plan (``training_plan``): the same, but a cross-entropy over
  a softmax layer (``tutor.engine.cross_entropy``) is one step that sends
  the layer's sums C − P·ΣC and skips the loss's own nodes, and a layer
  writes only the output columns some node reads. A training pass needs
  the params' mean gradients and the loss, nothing else.
"""

from __future__ import annotations

from typing import Any

from tutor.engine.batch_cross_entropy import CrossEntropyStep
from tutor.engine.batch_layers import Layer
from tutor.engine.cross_entropy import find as find_cross_entropy
from tutor.engine.graph import Graph
from tutor.engine.network import SOFTMAX
from tutor.engine.ops import OPS
from tutor.records import record


@record(slots=True)
class Plan:
    """The graph flattened for tight loops: one tuple per op node run on its own, or a fused step."""

    forward: tuple[Any, ...]
    """(index, array forward, inputs, param) per op node, a ``Layer`` or a ``CrossEntropyStep``."""
    backward: tuple[Any, ...]
    """(index, array derivatives, inputs, param) per op node the output depends on, or a fused step; output first."""
    params: tuple[int, ...]
    columns: tuple[tuple[tuple[int, int], ...], ...] | None = None
    """Training plans: per fused layer (by its key), the (place, node) of its outputs that some node reads;
    None: every layer writes every column."""


def plan(graph: Graph, steps: list[int | Layer] | None = None) -> Plan:
    """Every op node on its own, or ``steps`` (op node indices and layers, in order) as given."""
    if steps is None:
        steps = [node.index for node in graph.nodes if node.kind == "op"]
    forward, backward = _flatten(graph, steps)
    return Plan(forward, backward, tuple(p.index for p in graph.params))


def _flatten(graph: Graph, steps: list[Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    needed = graph.ancestors_of_output()
    forward: list[Any] = []
    backward: list[Any] = []
    for step in steps:
        if isinstance(step, (Layer, CrossEntropyStep)):
            forward.append(step)
            if not isinstance(step, CrossEntropyStep) or needed[step.root]:
                backward.append(step)
            continue
        node = graph.nodes[step]
        op = OPS[node.op]
        forward.append((node.index, op.array_forward, node.inputs, node.param))
        if needed[node.index]:
            backward.append((node.index, op.array_derivatives, node.inputs, node.param))
    backward.reverse()
    return tuple(forward), tuple(backward)


def training_plan(graph: Graph, layers: list[Layer], steps: list[int | Layer]) -> Plan:
    """``steps`` for a training pass: each cross-entropy over a fused softmax layer as one step, and the
    output columns each layer writes limited to those that the op nodes left (or a layer's sources) read."""
    fused: list[CrossEntropyStep] = []
    skipped: set[int] = set()
    for layer in layers:
        if layer.activation != SOFTMAX:
            continue
        found = find_cross_entropy(graph, layer.outputs)
        if found is not None:
            fused.append(CrossEntropyStep(found, layer.key))
            skipped.update(found.nodes)
    kept: list[Any] = [s for s in steps if isinstance(s, Layer) or s not in skipped]
    ordered = sorted(kept + fused, key=lambda s: s if isinstance(s, int) else s.position)
    read = {graph.output}
    for step in ordered:
        if isinstance(step, int):
            read.update(graph.nodes[step].inputs)
        elif isinstance(step, Layer) and step.chain < 0:
            read.update(step.sources)
    columns = tuple(tuple((j, out) for j, out in enumerate(layer.outputs) if out in read) for layer in layers)
    forward, backward = _flatten(graph, ordered)
    return Plan(forward, backward, tuple(p.index for p in graph.params), columns)
