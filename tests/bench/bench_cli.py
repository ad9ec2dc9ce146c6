"""Command-line speed on a big scenario file (not part of the test run).

    python tests/bench/bench_cli.py [--repeat 7] [--nodes 45000]

Writes a scenario of ``--nodes`` primitive nodes, then times, each as a fresh
process (as a user runs them), runs interleaved, medians reported:

- the floor: a bare libyaml parse of the file (PyYAML's C loader) plus
  ``ast.parse`` of every node's expression, and nothing else;
- ``tutor check FILE`` (target: at most 2.0x the floor);
- ``tutor trace FILE --json`` (target: at most 6.0x the floor);
- ``tutor export FILE -o lesson.md`` (target: at most 10.0x the floor; the
  lesson must grow linearly with the number of named nodes).

Ratios are of CPU time (user + system) of each process; the wall-clock
ratio is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FLOOR = """
import ast, sys, yaml
data = yaml.load(open(sys.argv[1], encoding="utf-8").read(), Loader=yaml.CSafeLoader)
for text in data["nodes"].values():
    ast.parse(str(text), mode="eval")
print(len(data["nodes"]))
"""


def scenario_text(named: int) -> str:
    """A chain of named nodes, one primitive op each: tanh, add, multiply, sigmoid in turn."""
    lines = ["title: generated", "inputs:", "  x: 0.3", "params:", "  w: 1.5", "nodes:", "  n0: x * w"]
    exprs = ("tanh({p})", "{p} + x", "{p} * w", "sigmoid({p})")
    for k in range(1, named):
        lines.append(f"  n{k}: " + exprs[k % 4].format(p=f"n{k - 1}"))
    lines.append(f"output: n{named - 1}")
    return "\n".join(lines) + "\n"


def timed(argv: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``argv`` as a child process.

    CPU time (user + system) is what the ratios use: on a busy machine the
    wall time also counts the time spent waiting for a core.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def rows(repeat: int = 7, nodes: int = 45_000) -> list[tuple[str, float, float, float, str, float]]:
    """(what, floor CPU s, command CPU s, ratio, target, wall-clock ratio) per row."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(scenario_text(nodes - 2), encoding="utf-8")  # plus the two leaves
        commands = {
            "floor": [sys.executable, "-c", FLOOR, str(path)],
            "check": [sys.executable, "-m", "tutor", "check", str(path)],
            "trace": [sys.executable, "-m", "tutor", "trace", str(path), "--json"],
            "export": [sys.executable, "-m", "tutor", "export", str(path), "-o", str(Path(folder) / "lesson.md"), "--force"],
        }
        for argv in commands.values():  # warm the file cache and the bytecode
            timed(argv)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, argv in commands.items():
                times[name].append(timed(argv))
    cpu = {name: statistics.median(c for c, _ in runs) for name, runs in times.items()}
    wall = {name: statistics.median(w for _, w in runs) for name, runs in times.items()}
    return [
        (f"check, {nodes:,}-node file vs libyaml + ast.parse", cpu["floor"], cpu["check"],
         cpu["check"] / cpu["floor"], "<= 2.0x", wall["check"] / wall["floor"]),
        (f"trace --json, {nodes:,}-node file vs the same floor", cpu["floor"], cpu["trace"],
         cpu["trace"] / cpu["floor"], "<= 6.0x", wall["trace"] / wall["floor"]),
        (f"export -o lesson.md, {nodes:,}-node file vs the same floor", cpu["floor"], cpu["export"],
         cpu["export"] / cpu["floor"], "<= 10.0x", wall["export"] / wall["floor"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--nodes", type=int, default=45_000)
    args = parser.parse_args()
    print(f"medians of {args.repeat} interleaved runs, each a fresh process; CPU seconds (user + system)")
    for what, floor, command, ratio, target, wall_ratio in rows(args.repeat, args.nodes):
        print(f"{what:<52} floor {floor:.2f} s, command {command:.2f} s, {ratio:.2f}x ({target}); "
              f"wall-clock ratio {wall_ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
