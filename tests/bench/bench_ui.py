"""UI speed benchmark (not part of the default test run).

    python tests/bench/bench_ui.py [--repeat N] [--lang CODE] [--launch-only]

Measures, in one run:
1. launch to first full frame: `tutor shopping` against a bare Textual app
   that only shows a Footer, each started as a fresh process (headless),
   runs interleaved, medians of the CPU time each process has used when its
   first frame is drawn (it prints ``time.process_time()`` then: interpreter
   start-up included, shutting down not) and their ratio (target: at most
   1.3x), the ratios of whole-process CPU and of wall-clock time beside it
   (``--lang ja``: the tutor launched in Japanese, as ``tutor --lang ja shopping``;
   ``--launch-only``: this row alone);
2. the median time per step key (→) on tiny_net (also at 80x24), the time to
   fit a generated 500-node graph to an 80x24 pane on open, and the step key on generated 500- and
   3,000-node scenarios (target: every size under 16 ms). The time is the CPU
   time the app spends handling the key and repainting (process time around
   `pilot.press`). Wall time through the test pilot is printed beside it, but
   it includes the pilot's own waits, so the same harness pressing an
   unbound key in a bare app is printed as the baseline;
3. layout alone (``tutor.draw.layout.layout``) on generated 300- and
   3,000-node scenarios, interleaved, and the ratio (target: at most 12x for
   10x the nodes); then a generated 10,000-node scenario opened headless,
   from starting the process to its first frame (target: under 2 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FIRST_FRAME = "first frame CPU:"
"""What each launched app prints once its first frame is drawn: its CPU seconds so far."""

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Footer

class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Footer()

async def auto(pilot):
    await pilot.pause()
    print("first frame CPU:", time.process_time())
    pilot.app.exit()

Bare().run(headless=True, size=(120, 36), auto_pilot=auto)
"""

TUTOR = """
import sys, time
from tutor.ui.app import TutorApp

async def auto(pilot):
    await pilot.pause()
    print("first frame CPU:", time.process_time())
    pilot.app.exit()

app = TutorApp(sys.argv[1] if len(sys.argv) > 1 else "shopping", language=sys.argv[2] if len(sys.argv) > 2 else None)
app.freeze_after_start = True  # as `tutor shopping` runs it (tutor.ui.app.run)
app.run(headless=True, size=(120, 36), auto_pilot=auto)
"""


def launch_times(code: str, *args: str) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one headless launch to the first frame, as a fresh process.

    CPU time (user + system of the child) is what the ratios use: on a busy
    machine the wall clock also counts the time spent waiting for a core.
    """
    # Bytecode caching on, as on a user's machine: with PYTHONDONTWRITEBYTECODE
    # set, every launch would recompile the tutor's modules (but not Textual's,
    # which pip compiled at install time), which is not what a user sees.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=ROOT, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def first_frame_times(code: str, *args: str) -> tuple[float, float, float]:
    """(CPU seconds to the first frame, CPU seconds of the whole process, wall seconds) of one launch.

    The first is what the app itself reports once its first frame is drawn
    (``time.process_time()``: from the start of the process, interpreter start-up
    included), so the work of shutting down after the frame is not counted.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=ROOT, capture_output=True, env=env,
                          text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    whole = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    line = next(line for line in done.stdout.splitlines() if line.startswith(FIRST_FRAME))
    return float(line.removeprefix(FIRST_FRAME)), whole, wall


def launch_time(code: str, *args: str) -> float:
    """CPU seconds of one headless launch (see ``launch_times``)."""
    return launch_times(code, *args)[0]


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


def layout_times(repeat: int, small: int = 300, big: int = 3000) -> tuple[float, float]:
    """Median CPU seconds to lay out the generated small and big scenarios, runs interleaved."""
    from tutor.draw.layout import layout
    from tutor.scenario import loads
    from tutor.teach.lesson import Lesson
    from tutor.ui.widgets.graph_view import VALUE_WIDTH, graph_spec

    specs = [graph_spec(Lesson(loads(generated_scenario(n), "<generated>"), view="expanded")) for n in (small, big)]
    times: list[list[float]] = [[], []]
    for _ in range(repeat):
        for spec, out in zip(specs, times):
            start = time.process_time()  # CPU time: steadier than the wall clock on a busy machine
            layout(spec, value_width=VALUE_WIDTH)
            out.append(time.process_time() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def fit_time(path: Path, repeat: int) -> tuple[float, str]:
    """Median CPU seconds to choose the density that fits an 80x24 graph pane and lay the graph out at it."""
    from tutor.draw.density import choose_level
    from tutor.scenario import load
    from tutor.teach.lesson import Lesson
    from tutor.ui.widgets.graph_view import VALUE_WIDTH, graph_spec, number_cells

    lesson = Lesson(load(path), view="expanded")
    times, level = [], ""
    for _ in range(repeat):
        start = time.process_time()
        level, _ = choose_level(graph_spec(lesson), 80, 13, VALUE_WIDTH, number_cells(lesson))
        times.append(time.process_time() - start)
    return statistics.median(times), level


def rows(repeat: int = 5, language: str | None = None,
         launch_only: bool = False) -> list[tuple[str, str, str, float | None, str]]:
    """(what, baseline, measured, ratio or None, target) per row of the table."""
    sys.path.insert(0, str(ROOT))
    out: list[tuple[str, str, str, float | None, str]] = []

    args = ("shopping", language) if language else ()
    first_frame_times(BARE)  # warm the file cache and the bytecode for both
    first_frame_times(TUTOR, *args)
    bare, tutor = [], []
    for _ in range(max(repeat, 9)):  # interleaved; at least 9 runs, as single launches vary by several percent
        bare.append(first_frame_times(BARE))
        tutor.append(first_frame_times(TUTOR, *args))

    def ratio(i: int) -> float:
        return statistics.median(r[i] for r in tutor) / statistics.median(r[i] for r in bare)

    b, t = statistics.median(r[0] for r in bare), statistics.median(r[0] for r in tutor)
    out.append((f"launch to first frame (CPU; whole process {ratio(1):.2f}x, wall {ratio(2):.2f}x), "
                f"tutor {f'--lang {language} ' if language else ''}shopping vs a bare app with a Footer",
                f"{b * 1000:.0f} ms", f"{t * 1000:.0f} ms", t / b, "<= 1.3x"))
    if launch_only:
        return out

    from textual.app import App
    from textual.widgets import Footer

    from tutor.ui.app import TutorApp

    class Bare(App):
        def compose(self):
            yield Footer()

    cpu, _ = asyncio.run(step_times(Bare(), "x", 20))
    harness = statistics.median(cpu)
    cpu, _ = asyncio.run(step_times(TutorApp("tiny_net"), "right", 18))
    tiny = statistics.median(cpu)
    cpu, _ = asyncio.run(step_times(TutorApp("tiny_net"), "right", 18, (80, 24)))
    out.append((f"step key at 80x24, CPU per press: tiny_net", "", f"{statistics.median(cpu) * 1000:.1f} ms", None,
                "< 16 ms"))
    sizes = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in (500, 3000):
            path = Path(folder) / f"generated_{size}.yaml"
            path.write_text(generated_scenario(size), encoding="utf-8")
            cpu, _ = asyncio.run(step_times(TutorApp(str(path)), "right", 40))
            sizes[size] = statistics.median(cpu)
            if size == 500:
                fitted, level = fit_time(path, repeat)
                out.append((f"fit a 500-node graph to an 80x24 pane on open (density {level})", "",
                            f"{fitted * 1000:.0f} ms", None, "CPU"))
        out.append(("step key, CPU per press: tiny_net / 500 / 3,000 nodes (harness alone "
                    f"{harness * 1000:.1f} ms)", f"{tiny * 1000:.1f} ms",
                    f"{sizes[500] * 1000:.1f} / {sizes[3000] * 1000:.1f} ms", sizes[3000] / tiny,
                    "each < 16 ms"))

        small, big = layout_times(repeat)
        out.append(("layout alone, 300 -> 3,000 nodes", f"{small * 1000:.0f} ms", f"{big * 1000:.0f} ms",
                    big / small, "<= 12x"))
        path = Path(folder) / "generated_10000.yaml"
        path.write_text(generated_scenario(10_000), encoding="utf-8")
        launch_time(TUTOR, str(path))
        runs = [launch_times(TUTOR, str(path)) for _ in range(max(1, repeat // 2))]
        cpu, wall = statistics.median(c for c, _ in runs), statistics.median(w for _, w in runs)
        out.append((f"10,000 nodes: launch to first frame (CPU; wall {wall:.2f} s)", "", f"{cpu:.2f} s", None,
                    "< 2 s"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", metavar="CODE", help="launch the tutor in this language (en, ja)")
    parser.add_argument("--launch-only", action="store_true", help="measure the launch alone")
    args = parser.parse_args()
    for what, base, measured, ratio, target in rows(args.repeat, args.lang, args.launch_only):
        shown = f"{ratio:.2f}x" if ratio is not None else ""
        print(f"{what:<78} {base:>9} {measured:>16} {shown:>7}  ({target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
