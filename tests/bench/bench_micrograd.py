"""The engine beside karpathy's micrograd on the same graphs (not part of the test run).

    pip install -e '.[bench]'          # micrograd, for this benchmark only
    python tests/bench/bench_micrograd.py [--repeat 30]

Rows, each a ratio measured in this one run (runs of the two interleaved,
medians reported):

1. forward + backward per primitive node on a 1,000-op chain (multiply by a
   constant, add a param, ReLU, in turn: the ops micrograd has), then on a
   2-16-16-1 ReLU MLP (micrograd's own ``nn.MLP``, built node for node as a
   tutor graph). micrograd's forward builds its ``Value`` objects; the
   tutor's ``trace.run`` walks a graph built once (as the app does: it runs
   one graph many times), and both compute every value and gradient.
2. memory: bytes per primitive node held by a 100,000-op chain after the
   backward pass (tracemalloc), the tutor's trace (its flat plan included)
   beside micrograd's ``Value`` graph.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tutor.engine.graph import Graph  # noqa: E402
from tutor.engine.trace import run  # noqa: E402

try:
    from micrograd.engine import Value
    from micrograd.nn import MLP
except ImportError:  # pragma: no cover - the message says what to do
    sys.exit("micrograd is not installed: pip install -e '.[bench]' (or pip install micrograd)")

KINDS = ("mul", "add", "relu")


def micrograd_chain(ops: int):
    x, w = Value(0.3), Value(1.5)
    prev = x
    for k in range(ops):
        kind = KINDS[k % 3]
        if kind == "mul":
            prev = prev * 0.5
        elif kind == "add":
            prev = prev + w
        else:
            prev = prev.relu()
    prev.backward()
    return prev, x, w


def tutor_chain(ops: int) -> Graph:
    g = Graph()
    prev = g.add_leaf("x", "input", 0.3)
    w = g.add_leaf("w", "param", 1.5)
    for k in range(ops):
        kind = KINDS[k % 3]
        if kind == "mul":
            # micrograd wraps the constant in a Value of its own each time: so does this graph
            half = g.add_leaf(f"c{k}", "const", 0.5)
            prev = g.add_op(f"n{k}", "mul", (prev, half), group=f"n{k}")
        elif kind == "add":
            prev = g.add_op(f"n{k}", "add", (prev, w), group=f"n{k}")
        else:
            prev = g.add_op(f"n{k}", "relu", (prev,), group=f"n{k}")
    g.output = prev
    return g


def tutor_mlp(model, inputs: list[float]) -> Graph:
    """micrograd's MLP as a tutor graph, op for op: ``sum(w·x, b)`` then ReLU but on the last layer."""
    g = Graph()
    xs = [g.add_leaf(f"x{i}", "input", v) for i, v in enumerate(inputs)]
    count = 0

    def op(kind: str, args: tuple[int, ...]) -> int:
        nonlocal count
        count += 1
        return g.add_op(f"o{count}", kind, args, group=f"o{count}")

    for li, layer in enumerate(model.layers):
        outs = []
        for ni, neuron in enumerate(layer.neurons):
            b = g.add_leaf(f"b{li}_{ni}", "param", neuron.b.data)
            acc = b
            for wi, (w, x) in enumerate(zip(neuron.w, xs)):
                wl = g.add_leaf(f"w{li}_{ni}_{wi}", "param", w.data)
                acc = op("add", (acc, op("mul", (wl, x))))
            outs.append(op("relu", (acc,)) if neuron.nonlin else acc)
        xs = outs
    g.output = xs[0]
    return g


def interleaved(a, b, repeat: int) -> tuple[float, float]:
    """Median seconds of a() and b(), run in turn ``repeat`` times."""
    ta, tb = [], []
    for _ in range(repeat):
        for fn, out in ((a, ta), (b, tb)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(ta), statistics.median(tb)


def bytes_held(make) -> tuple[int, object]:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = make()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before, kept


def with_deep_stack(fn):
    """micrograd's backward sorts the graph recursively: give it room for 100,000 levels."""
    result = []
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    thread = threading.Thread(target=lambda: result.append(fn()))
    thread.start()
    thread.join()
    threading.stack_size(0)
    sys.setrecursionlimit(old)
    return result[0]


def rows(repeat: int = 30, memory_ops: int = 100_000) -> list[tuple[str, str, str, float, str]]:
    """(what, micrograd, tutor, ratio tutor/micrograd, target) per row."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    out = []

    ops = 1_000
    graph = tutor_chain(ops)
    top, x, w = micrograd_chain(ops)
    trace = run(graph)
    assert abs(trace.output_value - top.data) < 1e-9 and abs(trace.grad("w") - w.grad) < 1e-9
    mg, tu = interleaved(lambda: micrograd_chain(ops), lambda: run(graph), repeat)
    out.append((f"forward+backward, {ops:,}-op chain", f"{mg / ops * 1e6:.2f} µs/node",
                f"{tu / ops * 1e6:.2f} µs/node", tu / mg, "<= 1.0x"))

    random.seed(1234)
    model = MLP(2, [16, 16, 1])
    inputs = [0.5, -1.25]
    graph = tutor_mlp(model, inputs)
    ops = graph.op_count

    def micrograd_mlp():
        loss = model([Value(v) for v in inputs])
        loss.backward()
        return loss

    loss = micrograd_mlp()
    for p in model.parameters():
        p.grad = 0
    loss = micrograd_mlp()
    trace = run(graph)
    assert abs(trace.output_value - loss.data) < 1e-9
    assert abs(trace.grad("w0_0_0") - model.layers[0].neurons[0].w[0].grad) < 1e-9
    mg, tu = interleaved(micrograd_mlp, lambda: run(graph), repeat)
    out.append((f"forward+backward, 2-16-16-1 MLP ({ops} ops)", f"{mg / ops * 1e6:.2f} µs/node",
                f"{tu / ops * 1e6:.2f} µs/node", tu / mg, "<= 1.0x"))

    graph = tutor_chain(memory_ops)
    tu_bytes, _ = bytes_held(lambda: run(graph))
    mg_bytes, _ = with_deep_stack(lambda: bytes_held(lambda: micrograd_chain(memory_ops)))
    out.append((f"memory after backward, {memory_ops:,}-op chain", f"{mg_bytes / memory_ops:,.0f} B/node",
                f"{tu_bytes / memory_ops:,.0f} B/node", tu_bytes / mg_bytes, "report"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}; medians of {args.repeat} interleaved runs")
    print(f"{'what':<44} {'micrograd':>14} {'tutor':>14} {'ratio':>7}  target")
    for what, mg, tu, ratio, target in rows(args.repeat):
        print(f"{what:<44} {mg:>14} {tu:>14} {ratio:>6.2f}x  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
