"""Step records built on access agree, field by field, with records built eagerly.

The reference below is the plain walk the engine made before it computed in
one tight loop and built records on access: every step and edge made on the
spot. Any difference in a number, a formula, a warning or the order shows up
as a differing record.
"""

from __future__ import annotations

import math

import pytest

from tutor.engine.graph import Graph
from tutor.engine.ops import OPS, evaluate, local_derivative
from tutor.engine.trace import BackwardStep, Edge, ForwardStep, _trouble, leaf_values, run
from tutor.scenario import builtin_names, loads, resolve

from graphs import chain, wide


def eager(graph: Graph, overrides=None):
    values = leaf_values(graph, overrides)
    names = [n.name for n in graph.nodes]
    labels = [n.label for n in graph.nodes]
    forward = []
    for node in graph.nodes:
        if node.kind != "op":
            continue
        op = OPS[node.op]
        inputs = tuple(values[i] for i in node.inputs)
        value = evaluate(op, inputs, node.param)
        values[node.index] = value
        forward.append(
            ForwardStep(node.name, node.op, tuple(names[i] for i in node.inputs), inputs, value,
                        op.expression(tuple(labels[i] for i in node.inputs), node.param), _trouble(op, value, inputs))
        )
    grads = [0.0] * len(graph.nodes)
    backward = []
    if graph.output >= 0:
        needed = graph.ancestors_of_output()
        grads[graph.output] = 1.0
        for node in reversed(graph.nodes[: graph.output + 1]):
            if node.kind != "op" or not needed[node.index]:
                continue
            op = OPS[node.op]
            upstream = grads[node.index]
            inputs = tuple(values[i] for i in node.inputs)
            input_labels = tuple(labels[i] for i in node.inputs)
            edges = []
            for position, i in enumerate(node.inputs):
                local = local_derivative(op, inputs, values[node.index], node.param, position)
                before = grads[i]
                grads[i] = before + upstream * local
                edges.append(Edge(names[i], position, op.formulas[position](input_labels, node.name, node.param),
                                  local, upstream * local, before, grads[i]))
            warning = ""
            if math.isfinite(upstream) and not all(math.isfinite(e.contribution) for e in edges):
                warning = "a local derivative is not finite here"
            backward.append(BackwardStep(node.name, node.op, upstream, tuple(edges), warning))
    warnings = [s.warning for s in (*forward, *backward) if s.warning]
    return values, grads, forward, backward, warnings


TROUBLE = [
    "inputs: {x: 0}\nnodes:\n  y: 1 / x\n  z: y * x\n  w: log(x - 1) + exp(1000 * (x + 1))\n  out: z + w\noutput: out\n",
    "inputs: {x: -2, y: 0.5}\nnodes:\n  p: x ** y\n  q: (x * x) ** 0.5\n  r: relu(p) + max(q, x) - min(x, y)\n"
    "  s: sigmoid(r) * tanh(q) / (x - x)\noutput: s\n",
    "inputs: {a: 3}\nnodes:\n  b: a * a\n  c: b ** 3\n  dead: a + 1\n  d: -c + 1 / b\noutput: d\n",
]


def graphs():
    for name in builtin_names():
        yield name, resolve(name).graph
    for k, text in enumerate(TROUBLE):
        yield f"trouble{k}", loads(text).graph
    yield "chain", chain(400)
    yield "wide", wide(400)


@pytest.mark.parametrize("name,graph", list(graphs()), ids=lambda v: v if isinstance(v, str) else "")
def test_records_match_eager_walk(name, graph):
    trace = run(graph)
    values, grads, forward, backward, warnings = eager(graph)
    assert repr(trace.values) == repr(tuple(values))
    assert repr(trace.grads) == repr(tuple(grads))
    assert len(trace.forward) == len(forward) and len(trace.backward) == len(backward)
    assert repr(list(trace.forward)) == repr(forward)
    assert repr(list(trace.backward)) == repr(backward)
    assert trace.warnings == warnings
    # index access (negative too) and slices give the same records
    if forward:
        assert repr(trace.forward[-1]) == repr(forward[-1])
        assert repr(trace.forward[1:3]) == repr(tuple(forward[1:3]))
    if backward:
        assert repr(trace.backward[len(backward) // 2]) == repr(backward[len(backward) // 2])


def test_steps_are_a_read_only_sequence():
    trace = run(resolve("two_paths").graph)
    assert trace.forward == tuple(trace.forward)
    assert trace.backward[0] == trace.backward[0]  # built twice, equal as records
    with pytest.raises(IndexError):
        trace.forward[len(trace.forward)]
    with pytest.raises(TypeError):
        trace.forward[0] = None  # type: ignore[index]


def test_graph_grown_after_a_run_is_traced_in_full():
    g = Graph()
    x = g.add_leaf("x", "input", 2.0)
    y = g.add_op("y", "mul", (x, x), group="y")
    g.output = y
    assert run(g).grad("x") == 4.0
    z = g.add_op("z", "exp", (y,), group="z")
    g.output = z
    trace = run(g)
    assert [s.node for s in trace.forward] == ["y", "z"]
    assert trace.grad("x") == pytest.approx(4.0 * math.exp(4.0))
