"""Training a softmax classifier: the batch engine against the same loop written in torch, side by side.

Not a test (pytest does not collect ``bench_*.py``). Run it by hand:

    python tests/bench/bench_softmax.py              # 300 epochs of spiral, 5 runs each, interleaved
    python tests/bench/bench_softmax.py --repeat 9

It reports, measured in this one run (CPU time of the training loop only:
loading the scenario, building the trainer and importing torch are left
out; both sides on one thread, as the batch engine runs numpy's BLAS):

1. the built-in ``spiral`` (a 2-8-3 tanh/softmax net, cross-entropy, 150
   rows) for 300 epochs in the scenario's batches of 10, against torch
   float64 doing the same: the same rows in the same batches, the same
   initial params, the same learning rate, and after each epoch the mean
   loss over all rows (what ``Trainer.epoch`` reports; torch computes it
   under ``no_grad``). Target: at most 0.5x torch's time;
2. the same 300 epochs in one full batch of 150 rows;
3. ``xor`` for 3,000 full-batch epochs (squared error, a loss the engine
   runs node by node), for comparison.

Every run checks that both sides end with the same losses (to 1e-9).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tutor.scenario import resolve  # noqa: E402
from tutor.teach.training import data_trainer  # noqa: E402


def _tensors(torch, params: dict[str, float], sizes: list[int]) -> list:
    """Each layer's W and b (float64, requiring gradients) from the network shorthand's param names."""
    out = []
    for l in range(1, len(sizes)):
        rows, cols = sizes[l], sizes[l - 1]
        w = [[params[f"w{l}_{j}_{i}"] for i in range(1, cols + 1)] for j in range(1, rows + 1)]
        b = [params[f"b{l}_{j}"] for j in range(1, rows + 1)]
        out += [torch.tensor(w, dtype=torch.float64, requires_grad=True),
                torch.tensor(b, dtype=torch.float64, requires_grad=True)]
    return out


def _spiral_loss(torch, tensors, x, t):
    w1, b1, w2, b2 = tensors
    scores = torch.tanh(x @ w1.T + b1) @ w2.T + b2
    return -(t * torch.log_softmax(scores, dim=1)).sum(dim=1).mean()


def _xor_loss(torch, tensors, x, t):
    w1, b1, w2, b2 = tensors
    y = torch.sigmoid(torch.sigmoid(x @ w1.T + b1) @ w2.T + b2)[:, 0]
    return (0.5 * (y - t) ** 2).mean()


def torch_run(torch, loss, params, sizes, x, t, lr: float, batch: int, epochs: int) -> tuple[float, list[float]]:
    """(CPU seconds, the mean loss after each epoch) of the plain torch loop."""
    tensors = _tensors(torch, params, sizes)
    losses = []
    start = time.process_time()
    for _ in range(epochs):
        for begin in range(0, len(x), batch):
            value = loss(torch, tensors, x[begin : begin + batch], t[begin : begin + batch])
            for tensor in tensors:
                tensor.grad = None
            value.backward()
            with torch.no_grad():
                for tensor in tensors:
                    tensor -= lr * tensor.grad
        with torch.no_grad():
            losses.append(loss(torch, tensors, x, t).item())
    return time.process_time() - start, losses


def tutor_run(name: str, batch: int | None, epochs: int) -> tuple[float, list[float], dict[str, float]]:
    """(CPU seconds, the mean loss after each epoch, the initial params) of ``Trainer.train``."""
    trainer = data_trainer(resolve(name), batch_size=batch)
    start = time.process_time()
    trainer.train(epochs)
    return time.process_time() - start, list(trainer.losses), trainer.initial_params()


def compare(torch, name: str, loss, sizes, batch: int | None, epochs: int, repeat: int) -> tuple[float, float, float]:
    scenario = resolve(name)
    rows = np.asarray(scenario.data.rows, dtype=float)
    inputs = sizes[0]
    x = torch.tensor(rows[:, :inputs])
    t = torch.tensor(rows[:, inputs:] if rows.shape[1] - inputs > 1 else rows[:, inputs])
    size = batch or scenario.batch_size or len(rows)
    ours, theirs, worst = [], [], 0.0
    for _ in range(repeat):  # interleaved, so both see the same load on a shared machine
        seconds, losses, params = tutor_run(name, batch, epochs)
        ours.append(seconds)
        seconds, expected = torch_run(torch, loss, params, sizes, x, t, scenario.learning_rate, size, epochs)
        theirs.append(seconds)
        worst = max(worst, float(np.max(np.abs(np.array(losses) - expected))))
    return statistics.median(ours), statistics.median(theirs), worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side, interleaved (default 5)")
    parser.add_argument("--epochs", type=int, default=300, help="spiral epochs (default 300)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    print(f"torch {torch.__version__} (1 thread), numpy {np.__version__}; CPU seconds, median of {args.repeat}")
    runs = [
        (f"spiral 2-8-3, {args.epochs} epochs in batches of 10", "spiral", _spiral_loss, [2, 8, 3], None,
         args.epochs, "<= 0.5x"),
        (f"spiral 2-8-3, {args.epochs} epochs in one batch of 150", "spiral", _spiral_loss, [2, 8, 3], 150,
         args.epochs, "<= 0.5x"),
        ("xor 2-3-1, 3,000 full-batch epochs", "xor", _xor_loss, [2, 3, 1], None, 3000, "report"),
    ]
    for label, name, loss, sizes, batch, epochs, target in runs:
        ours, theirs, worst = compare(torch, name, loss, sizes, batch, epochs, args.repeat)
        print(f"{label}: tutor {ours:.3f} s, torch {theirs:.3f} s: {ours / theirs:.2f}x torch's time "
              f"(target {target}); losses agree within {worst:.1e}")


if __name__ == "__main__":
    main()
