"""Training timing: the numpy batch engine against the scalar engine looped per row.

Not a test (pytest does not collect ``bench_*.py``). Run it by hand:

    python tests/bench/bench_batch.py              # full sizes
    python tests/bench/bench_batch.py --rows 2000  # a quicker scalar loop

It reports, measured in this one run:

1. one full-batch epoch over 10,000 rows of a 2-16-16-1 tanh net: the batch
   engine (one numpy pass over all rows, then one update; the net's layers
   run as matrix products, the loss node by node) against looping the scalar
   engine (``trace.run``, the teaching trace) over every row and averaging
   the gradients by hand (target: at least 100× faster); also the batch
   engine with the matrix path off (one numpy call per primitive node), for
   comparison;
2. 1,000 full-batch epochs of the built-in ``xor`` (target: under 1 s of CPU).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tutor.engine.batch import Trainer, data_table  # noqa: E402
from tutor.engine.trace import run  # noqa: E402
from tutor.scenario import loads, resolve  # noqa: E402
from tutor.teach.training import data_trainer  # noqa: E402

NET = """
inputs: {x1: 0, x2: 0, t: 0}
network:
  inputs: [x1, x2]
  seed: 1
  layers:
    - {size: 16, activation: tanh}
    - {size: 16, activation: tanh}
    - {size: 1, activation: sigmoid}
nodes:
  loss: 0.5 * (a3_1 - t) ** 2
output: loss
"""


def rows(count: int) -> np.ndarray:
    """Two-spiral-ish points labelled by the sign of x1·x2 (a non-linear boundary)."""
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, size=(count, 2))
    labels = (points[:, 0] * points[:, 1] > 0).astype(float)
    return np.column_stack([points, labels])


def batch_epoch(
    scenario, matrix: np.ndarray, with_loss: bool = False, layers: bool = True
) -> tuple[float, dict[str, float]]:
    """One full-batch epoch: forward and backward over every row, one update; ``with_loss`` adds the
    epoch's report (the mean loss over all rows after the update, one more forward pass); ``layers``
    False runs every node on its own."""
    table = data_table(scenario.graph, ("x1", "x2", "t"), matrix)
    trainer = Trainer(scenario.graph, table, 0.1, layers=layers)
    start = time.process_time()
    if with_loss:
        trainer.epoch()
    else:
        for order in trainer.batches():
            trainer.step(order)
    return time.process_time() - start, trainer.param_values()


def scalar_epoch(scenario, matrix: np.ndarray) -> tuple[float, dict[str, float]]:
    graph = scenario.graph
    params = {p.name: p.value for p in graph.params}
    start = time.process_time()
    totals = dict.fromkeys(params, 0.0)
    for x1, x2, t in matrix.tolist():
        trace = run(graph, {"x1": x1, "x2": x2, "t": t})
        for name in params:
            totals[name] += trace.grad(name)
    params = {name: params[name] - 0.1 * totals[name] / len(matrix) for name in params}
    run(graph, params)  # the loss after the update (one row; the batch side computes the mean)
    return time.process_time() - start, params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows for the scalar loop (default 10,000)")
    args = parser.parse_args()

    scenario = loads(NET)
    matrix = rows(10_000)
    print(f"2-16-16-1 tanh net: {scenario.graph.op_count} primitive op nodes, {len(scenario.params)} params")
    batch_time = float(np.median([batch_epoch(scenario, matrix)[0] for _ in range(5)]))
    reported_time = float(np.median([batch_epoch(scenario, matrix, with_loss=True)[0] for _ in range(5)]))
    by_node_time = float(np.median([batch_epoch(scenario, matrix, layers=False)[0] for _ in range(5)]))
    subset = matrix[: args.rows]
    scalar_time, scalar_params = scalar_epoch(scenario, subset)
    scalar_per_10k = scalar_time * 10_000 / len(subset)
    _, batch_params = batch_epoch(scenario, subset)
    agree = max(abs(batch_params[k] - scalar_params[k]) for k in batch_params)
    note = "" if len(subset) == 10_000 else f" (measured on {len(subset):,} rows, scaled to 10,000)"
    print(f"one epoch, 10,000 rows: batch {batch_time * 1000:.1f} ms CPU (median of 5), "
          f"scalar loop {scalar_per_10k:.2f} s CPU{note}")
    print(f"  ratio: {scalar_per_10k / batch_time:.0f}x faster (target >= 100x); "
          f"params after one epoch agree within {agree:.1e}")
    print(f"  with the epoch's mean-loss report (one more forward pass): {reported_time * 1000:.1f} ms, "
          f"{scalar_per_10k / reported_time:.0f}x")
    print(f"  the batch engine node by node (matrix path off): {by_node_time * 1000:.1f} ms, "
          f"{scalar_per_10k / by_node_time:.0f}x")

    xor = resolve("xor")
    trainer = data_trainer(xor)
    start = time.process_time()
    trainer.train(1000)
    xor_time = time.process_time() - start
    print(f"xor, 1,000 full-batch epochs: {xor_time:.3f} s CPU (target < 1 s); "
          f"loss {trainer.initial_loss:.4f} -> {trainer.losses[-1]:.4f}")


if __name__ == "__main__":
    main()
