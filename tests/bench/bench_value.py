"""tutor.Value beside micrograd's Value, and tutor.show beside opening a file (not part of the test run).

    python tests/bench/bench_value.py [--repeat N]

Rows, each a ratio measured side by side in this one run (runs interleaved,
medians reported):

1. building micrograd's demo loss (its ``MLP(2, [16, 16, 1])`` over 20
   points: SVM max-margin loss plus L2 regularisation, about 21,000 nodes)
   and calling ``backward()``: micrograd's own ``nn.py`` on tutor.Value
   against the same on micrograd's Value, the same weights and points. Once
   with Python's cyclic collector running as usual (micrograd's closures make
   reference cycles it must find), once with it paused during each run (the
   bare cost of the two engines). Target: at most 1.0x.
2. ``tutor.show`` on one sample through that MLP (about 1,000 nodes) against
   opening the same graph written to a file by ``tutor.dumps``: reading the
   graph (``scenario_of`` against ``tutor.load``), then the whole opening, from
   the call to the first frame drawn (headless, 80x24, CPU time, each a fresh
   process, the modules already imported in both). Target: at most 1.0x.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import micrograd.engine  # noqa: E402
import micrograd.nn  # noqa: E402

import tutor  # noqa: E402
from tutor.scenario.dump import scenario_of  # noqa: E402


def micrograd_nn_on_tutor() -> types.ModuleType:
    """micrograd's nn.py with its one import switched to tutor's Value."""
    source = Path(micrograd.nn.__file__).read_text(encoding="utf-8")
    module = types.ModuleType("nn_on_tutor")
    exec(source.replace("from micrograd.engine import Value", "from tutor import Value"), module.__dict__)  # noqa: S102
    return module


def points(n: int = 20, seed: int = 3) -> tuple[list[list[float]], list[int]]:
    rng = random.Random(seed)
    return [[rng.uniform(-1.5, 2.5), rng.uniform(-1.0, 1.5)] for _ in range(n)], [rng.choice((-1, 1)) for _ in range(n)]


def demo_loss(model, V, X, y):
    """micrograd's demo.ipynb loss, as written there."""
    inputs = [list(map(V, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum((p * p for p in model.parameters()))
    return data_loss + reg_loss


def interleaved(a, b, repeat: int, paused: bool) -> tuple[float, float]:
    """Median seconds of a() and b(), run in turn; ``paused``: the cyclic collector off during each run."""
    ta, tb = [], []
    for _ in range(repeat):
        for fn, out in ((a, ta), (b, tb)):
            gc.collect()
            if paused:
                gc.disable()
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
            gc.enable()
    return statistics.median(ta), statistics.median(tb)


def engine_rows(repeat: int) -> list[tuple[str, str, str, float, str]]:
    X, y = points()
    random.seed(1337)
    theirs = micrograd.nn.MLP(2, [16, 16, 1])
    random.seed(1337)
    ours = micrograd_nn_on_tutor().MLP(2, [16, 16, 1])

    def run(model, V):
        def once():
            model.zero_grad()
            loss = demo_loss(model, V, X, y)
            loss.backward()
            return loss

        return once

    a, b = run(theirs, micrograd.engine.Value)(), run(ours, tutor.Value)()
    assert a.data == b.data, (a.data, b.data)
    nodes = len(tutor.engine.from_values.read_values(b).graph)
    out = []
    for paused in (False, True):
        mg, tu = interleaved(run(theirs, micrograd.engine.Value), run(ours, tutor.Value), repeat, paused)
        what = f"demo loss, 20 points ({nodes:,} nodes) + backward" + (", collector paused" if paused else "")
        out.append((what, f"{mg * 1e3:.1f} ms", f"{tu * 1e3:.1f} ms", tu / mg, "<= 1.0x"))
    return out


SAMPLE = """
import random, sys, time
import tutor
from tutor.ui.app import TutorApp
from tutor.scenario.dump import scenario_of

random.seed(1337)
model = tutor.nn.MLP(2, [16, 16, 1])
loss = (1 + -1 * model([0.5, -0.3])).relu()
loss.backward()
"""

OPEN_SHOWN = SAMPLE + """
async def auto(pilot):
    await pilot.pause()
    print("first frame CPU:", time.process_time() - start)
    pilot.app.exit()

start = time.process_time()
TutorApp(scenario_of(loss, model.parameters())).run(headless=True, size=(80, 24), auto_pilot=auto)
"""

OPEN_FILE = SAMPLE + """
async def auto(pilot):
    await pilot.pause()
    print("first frame CPU:", time.process_time() - start)
    pilot.app.exit()

start = time.process_time()
TutorApp(sys.argv[1]).run(headless=True, size=(80, 24), auto_pilot=auto)
"""


def first_frame(code: str, *args: str) -> float:
    """CPU seconds from opening to the first frame, as the app reports it, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=ROOT, capture_output=True,
                          text=True, env=env)
    line = next(line for line in done.stdout.splitlines() if line.startswith("first frame CPU:"))
    return float(line.removeprefix("first frame CPU:"))


def show_rows(repeat: int) -> list[tuple[str, str, str, float, str]]:
    random.seed(1337)
    model = tutor.nn.MLP(2, [16, 16, 1])
    loss = (1 + -1 * model([0.5, -0.3])).relu()
    loss.backward()
    params = model.parameters()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.yaml"
        tutor.dump(loss, path, params)
        nodes = len(tutor.load(path).graph)
        file_s, show_s = interleaved(lambda: tutor.load(path), lambda: scenario_of(loss, params), repeat * 4, False)
        out = [(f"reading a {nodes:,}-node graph: tutor.load(file) vs from the Values", f"{file_s * 1e3:.1f} ms",
                f"{show_s * 1e3:.1f} ms", show_s / file_s, "<= 1.0x")]
        files, shown = [], []
        for _ in range(repeat):
            files.append(first_frame(OPEN_FILE, str(path)))
            shown.append(first_frame(OPEN_SHOWN))
        f, s = statistics.median(files), statistics.median(shown)
        out.append((f"opening it to the first frame (80x24, CPU): file vs tutor.show", f"{f * 1e3:.0f} ms",
                    f"{s * 1e3:.0f} ms", s / f, "<= 1.0x"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}; medians of {args.repeat} interleaved runs")
    print(f"{'what':<66} {'micrograd/file':>14} {'tutor/show':>12} {'ratio':>7}  target")
    for what, base, ours, ratio, target in engine_rows(args.repeat) + show_rows(args.repeat):
        print(f"{what:<66} {base:>14} {ours:>12} {ratio:>6.2f}x  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
