"""Generated graphs of any size, shared by the engine tests and the engine benchmark.

Built with Graph.add_leaf / add_op directly (no YAML), exactly ``size`` nodes.
"""

from __future__ import annotations

import random

from tutor.engine.graph import Graph


def chain(size: int) -> Graph:
    """Each node uses the previous one: mul by a constant, add, sigmoid, tanh."""
    g = Graph()
    prev = g.add_leaf("x", "input", 0.3)
    half = g.add_leaf("half", "const", 0.5)
    w = g.add_leaf("w", "param", 1.5)
    kinds = ("mul", "add", "sigmoid", "tanh")
    while len(g) < size:
        k = len(g)
        kind = kinds[k % 4]
        if kind == "mul":
            prev = g.add_op(f"n{k}", "mul", (prev, half), group=f"n{k}")
        elif kind == "add":
            prev = g.add_op(f"n{k}", "add", (prev, w), group=f"n{k}")
        else:
            prev = g.add_op(f"n{k}", kind, (prev,), group=f"n{k}")
    g.output = prev
    return g



def wide(size: int, seed: int = 1234) -> Graph:
    """Layers of nodes each combining two random earlier nodes (seeded), squashed by tanh."""
    rng = random.Random(seed)
    g = Graph()
    pool = [g.add_leaf(f"x{i}", "input", rng.uniform(-1, 1)) for i in range(min(100, size // 10))]
    ops = ("add", "mul", "sub", "max", "min")
    while len(g) < size - 1:
        k = len(g)
        a, b = rng.choice(pool), rng.choice(pool)
        mixed = g.add_op(f"m{k}", ops[k % len(ops)], (a, b), group=f"n{k}")
        if len(g) < size - 1:
            pool.append(g.add_op(f"n{k}", "tanh", (mixed,), group=f"n{k}"))
    g.output = g.add_op("out", "add", (pool[-1], pool[-2]), group="out")
    return g
