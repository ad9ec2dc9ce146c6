"""Command-line speed on a big scenario file (not part of the test run).

    python tests/bench/bench_cli.py [--repeat 7] [--nodes 45000]

Writes a scenario of ``--nodes`` primitive nodes, then times, each as a fresh
process (as a user runs them), runs interleaved, medians reported:

- the floor: a bare libyaml parse of the file (PyYAML's C loader) plus
  ``ast.parse`` of every node's expression, and nothing else;
- ``tutor check FILE`` (target: at most 2.0x the floor);
- ``tutor trace FILE --json`` (target: at most 6.0x the floor).
"""

from __future__ import annotations

import argparse
import os
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


def timed(argv: list[str]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def rows(repeat: int = 7, nodes: int = 45_000) -> list[tuple[str, float, float, float, str]]:
    """(what, floor s, command s, ratio, target) per row."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(scenario_text(nodes - 2), encoding="utf-8")  # plus the two leaves
        commands = {
            "floor": [sys.executable, "-c", FLOOR, str(path)],
            "check": [sys.executable, "-m", "tutor", "check", str(path)],
            "trace": [sys.executable, "-m", "tutor", "trace", str(path), "--json"],
        }
        for argv in commands.values():  # warm the file cache and the bytecode
            timed(argv)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, argv in commands.items():
                times[name].append(timed(argv))
    floor = statistics.median(times["floor"])
    check = statistics.median(times["check"])
    trace = statistics.median(times["trace"])
    return [
        (f"check, {nodes:,}-node file vs libyaml + ast.parse", floor, check, check / floor, "<= 2.0x"),
        (f"trace --json, {nodes:,}-node file vs the same floor", floor, trace, trace / floor, "<= 6.0x"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--nodes", type=int, default=45_000)
    args = parser.parse_args()
    print(f"medians of {args.repeat} interleaved runs, each a fresh process")
    for what, floor, command, ratio, target in rows(args.repeat, args.nodes):
        print(f"{what:<52} floor {floor:.2f} s, command {command:.2f} s, {ratio:.2f}x ({target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
