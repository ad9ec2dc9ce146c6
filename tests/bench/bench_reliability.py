"""Timing for the limits a user can reach: checking files at the size limit, and listing paths.

Not a test (pytest does not collect ``bench_*.py``). Run it by hand:

    python tests/bench/bench_reliability.py            # best of 3 per row
    python tests/bench/bench_reliability.py --repeat 1

What it prints, each figure measured in this run:

- ``tutor check`` (a fresh process, as a user runs it) on two files at the
  50,000-node limit: a chain of products (two primitives a line) and a chain
  of sums (one a line). The target is under 2 s each.
- The YAML step alone: libyaml's C parser (what the loader uses) against
  PyYAML's pure-Python one, composing the same events; the ratio is the
  speed-up.
- ``paths`` on chains of 1k, 2k, 4k, 8k nodes: a single path as long as the
  chain, and a chain where every node also reads the leaf (n paths, n²/2
  names in all). Time per name listed should stay flat (ratio near 1):
  the cost is linear in the total length of the paths listed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tutor.engine import analysis  # noqa: E402
from tutor.engine.trace import run  # noqa: E402
from tutor.scenario import loads  # noqa: E402


def product_chain(count: int) -> str:
    lines = ["inputs:", "  x: 1", "nodes:", "  n0: x * 1.0001"]
    lines += [f"  n{k}: n{k - 1} * 1.0001" for k in range(1, count)]
    return "\n".join(lines) + f"\noutput: n{count - 1}\n"


def sum_chain(count: int) -> str:
    lines = ["inputs:", "  x: 1", "nodes:", "  n0: x"]
    lines += [f"  n{k}: n{k - 1} + x" for k in range(1, count)]
    return "\n".join(lines) + f"\noutput: n{count - 1}\n"


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def check_files(repeat: int) -> None:
    print("tutor check at the 50,000-node limit (a fresh process each time; target < 2 s)")
    with tempfile.TemporaryDirectory() as folder:
        for label, text in (("24,999 products (49,999 nodes)", product_chain(24_999)),
                            ("49,998 sums (49,999 nodes)", sum_chain(49_998))):
            path = Path(folder) / "big.yaml"
            path.write_text(text, encoding="utf-8")

            def check() -> None:
                result = subprocess.run([sys.executable, "-m", "tutor", "check", str(path)], capture_output=True,
                                        text=True, cwd=ROOT)
                assert result.returncode == 0 and "ok (49999 nodes)" in result.stdout, result.stdout + result.stderr

            print(f"  {label:34} {best(repeat, check):6.2f} s   ({len(text) / 1e6:.1f} MB)")


def yaml_parsers(repeat: int) -> None:
    import yaml

    from tutor.scenario import compose

    text = sum_chain(49_998)

    class PureLoader(yaml.SafeLoader):
        pass

    pure = best(repeat, lambda: PureLoader(text).get_single_node())
    fast = best(repeat, lambda: compose._Loader(text, "bench.yaml").get_single_node())
    print("YAML composition of the 49,998-sum file")
    print(f"  pure-Python parser                 {pure:6.2f} s")
    print(f"  the loader (libyaml {'yes' if yaml.__with_libyaml__ else 'NO'})             {fast:6.2f} s"
          f"   {pure / fast:4.1f}x faster")


def paths_scaling(repeat: int) -> None:
    print("paths: time per name listed (flat = linear in the total length of the paths)")
    for label, make in (("one path as long as the chain", product_chain), ("n paths, n²/2 names", sum_chain)):
        first = None
        for count in (1_000, 2_000, 4_000, 8_000):
            if make is sum_chain and count > 2_000:
                break  # 8,000 paths of up to 8,000 names is 32 M names: minutes of output for nothing
            scenario = loads(make(count), "bench.yaml")
            trace = run(scenario.graph)
            limit = count + 1
            routes = analysis.paths(scenario.graph, trace, "x", limit=limit)
            names = sum(len(r.nodes) for r in routes)
            seconds = best(repeat, lambda: analysis.paths(scenario.graph, trace, "x", limit=limit))
            per = seconds / names * 1e9
            first = first or per
            print(f"  {label:30} {count:6,} nodes  {names:10,} names  {seconds * 1e3:8.1f} ms"
                  f"  {per:6.0f} ns/name  ratio {per / first:4.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    check_files(args.repeat)
    yaml_parsers(args.repeat)
    paths_scaling(args.repeat)


if __name__ == "__main__":
    main()
