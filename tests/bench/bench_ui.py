"""UI speed benchmark (not part of the default test run).

    python tests/bench/bench_ui.py [--repeat N]

Measures, in one run:
1. launch to first full frame: `tutor shopping` against a bare Textual app
   that only shows a Footer, each started as a fresh process (headless),
   median of N runs, and their ratio (target: at most 1.3x);
2. the median time per step key (→) on tiny_net at 120x36 and at 80x24
   (target: under 16 ms) and on a generated 500-node scenario (target: under
   50 ms); and the time to fit that 500-node graph to an 80x24 pane on open
   (choosing its density and laying it out). The time is the CPU
   time the app spends handling the key and repainting (process time around
   `pilot.press`). Wall time through the test pilot is printed beside it, but
   it includes the pilot's own waits, so the same harness pressing an
   unbound key in a bare app is printed as the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE = """
from textual.app import App
from textual.widgets import Footer

class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Footer()

async def auto(pilot):
    await pilot.pause()
    pilot.app.exit()

Bare().run(headless=True, size=(120, 36), auto_pilot=auto)
"""

TUTOR = """
from tutor.ui.app import TutorApp

async def auto(pilot):
    await pilot.pause()
    pilot.app.exit()

TutorApp("shopping").run(headless=True, size=(120, 36), auto_pilot=auto)
"""


def launch_time(code: str) -> float:
    # Bytecode caching on, as on a user's machine: with PYTHONDONTWRITEBYTECODE
    # set, every launch would recompile the tutor's modules (but not Textual's,
    # which pip compiled at install time), which is not what a user sees.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, env=env)
    return time.perf_counter() - start


def generated_scenario(nodes: int, seed: int = 7) -> str:
    """A random DAG of about ``nodes`` primitive nodes: each named node is one op."""
    rng = random.Random(seed)
    lines = ["title: Generated", "inputs:"]
    names = []
    for i in range(8):
        lines.append(f"  x{i}: {rng.uniform(-1, 1):.3f}")
        names.append(f"x{i}")
    lines.append("nodes:")
    ops = ["{a} * {b}", "{a} + {b}", "tanh({a})", "{a} - {b}", "sigmoid({a})"]
    for i in range(nodes - 8):
        a = names[-1 - rng.randrange(min(6, len(names)))]
        b = names[-1 - rng.randrange(min(12, len(names)))]
        lines.append(f"  n{i}: {rng.choice(ops).format(a=a, b=b)}")
        names.append(f"n{i}")
    lines.append(f"output: {names[-1]}")
    lines.append("view: expanded")
    return "\n".join(lines) + "\n"


async def step_times(app, key: str, presses: int, size: tuple[int, int] = (120, 36)) -> tuple[list[float], list[float]]:
    """(CPU seconds, wall seconds) per key press."""
    cpu, wall = [], []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for _ in range(presses):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            await pilot.press(key)
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start_wall)
    return cpu, wall


def fit_open(scenario, repeat: int) -> None:
    """Time to choose the density that fits an 80x24 graph pane and lay the graph out at it."""
    from tutor.draw.density import fit_level
    from tutor.teach.lesson import Lesson, default_view
    from tutor.ui.widgets.graph_view import VALUE_WIDTH, graph_spec, number_cells

    lesson = Lesson(scenario, view=default_view(scenario))
    times = []
    level = ""
    for _ in range(repeat):
        start = time.process_time()
        spec, numbers = graph_spec(lesson), number_cells(lesson)
        level, drawing = fit_level(spec, 80, 13, VALUE_WIDTH, numbers)
        times.append(time.process_time() - start)
    print(f"fit a {len(spec.nodes)}-node graph on open (80x24 pane): median {statistics.median(times) * 1000:.0f} ms "
          f"CPU over {repeat} runs, level {level}, drawing {drawing.width}x{drawing.height}")


def report(label: str, times: tuple[list[float], list[float]], target: str) -> None:
    cpu, wall = times
    print(f"{label}: median {statistics.median(cpu) * 1000:.1f} ms CPU per key "
          f"(wall through the pilot {statistics.median(wall) * 1000:.1f} ms) over {len(cpu)} presses {target}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    launch_time(BARE)  # warm the file cache for both
    launch_time(TUTOR)
    bare = [launch_time(BARE) for _ in range(args.repeat)]
    tutor = [launch_time(TUTOR) for _ in range(args.repeat)]
    b, t = statistics.median(bare), statistics.median(tutor)
    print(f"launch to first frame (median of {args.repeat}): bare Footer app {b * 1000:.0f} ms, "
          f"tutor shopping {t * 1000:.0f} ms, ratio {t / b:.2f}x (target <= 1.3x)")

    from textual.app import App
    from textual.widgets import Footer

    from tutor.ui.app import TutorApp

    class Bare(App):
        def compose(self):
            yield Footer()

    report("harness baseline, bare app, unbound key", asyncio.run(step_times(Bare(), "x", 20)), "")
    report("step key, tiny_net", asyncio.run(step_times(TutorApp("tiny_net"), "right", 18)), "(target < 16 ms)")
    report("step key, tiny_net at 80x24", asyncio.run(step_times(TutorApp("tiny_net"), "right", 18, (80, 24))),
           "(target < 16 ms)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated_500.yaml"
        path.write_text(generated_scenario(500), encoding="utf-8")
        from tutor.scenario import load

        count = len(load(path).graph)
        times = asyncio.run(step_times(TutorApp(str(path)), "right", 40))
        fit_open(load(path), args.repeat)
    report(f"step key, generated {count}-node scenario", times, "(target < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
