"""Engine timing: forward + backward + JSON on generated graphs, and YAML loading.

Not a test (pytest does not collect ``bench_*.py``). Run it by hand:

    python tests/bench/bench_engine.py            # 1k, 10k, 100k nodes
    python tests/bench/bench_engine.py --repeat 3 # best of 3 per row

Per-node time should stay roughly flat as the graph grows (ratio near 1):
every pass is a loop over creation order, linear in the node count.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from tutor.cli import json_output as report  # noqa: E402
from tutor.engine.graph import Graph  # noqa: E402
from tutor.scenario import Scenario, loads  # noqa: E402
from tutor.engine.trace import run  # noqa: E402

from graphs import chain, wide  # noqa: E402

SIZES = (1_000, 10_000, 100_000)


def as_scenario(graph: Graph) -> Scenario:
    """Wrap a generated graph so report.trace_json can name its values."""
    leaves = {n.name: n.value for n in graph.nodes if n.kind in ("input", "param")}
    nodes = {n.name: n.op or "" for n in graph.nodes if n.kind == "op"}
    return Scenario(
        path="<bench>",
        name="bench",
        title="bench",
        description="",
        inputs=leaves,
        params={},
        nodes=nodes,
        output=graph.nodes[graph.output].name,
        graph=graph,
    )


_GC_OFF = False


def best(fn, repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        if _GC_OFF:
            gc.disable()
        try:
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times), result


def yaml_text(named: int) -> str:
    lines = ["title: generated", "inputs:", "  x: 0.3", "params:", "  w: 1.5", "nodes:", "  n0: x * w"]
    exprs = ("tanh({p})", "{p} + x", "{p} * w", "sigmoid({p})")
    for k in range(1, named):
        lines.append(f"  n{k}: " + exprs[k % 4].format(p=f"n{k - 1}"))
    lines.append(f"output: n{named - 1}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per row (default 1)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument(
        "--no-gc", action="store_true", help="disable the cyclic garbage collector while timing (isolates its cost)"
    )
    args = parser.parse_args()
    if args.no_gc:
        global _GC_OFF
        _GC_OFF = True

    print(f"python {sys.version.split()[0]}; best of {args.repeat}; cyclic gc {'off' if args.no_gc else 'on'}")
    header = f"{'size':>8} {'kind':<6} {'run s':>8} {'json s':>8} {'total s':>8} {'us/node':>8} {'vs 1k':>6}"
    print(header)
    print("-" * len(header))
    base: dict[str, float] = {}
    warm = chain(2_000)  # warm up caches and the allocator before the first row
    report.trace_json(as_scenario(warm), run(warm))
    for kind, make in (("chain", chain), ("wide", wide)):
        for size in args.sizes:
            graph = make(size)
            assert len(graph) == size, (kind, size, len(graph))
            run_s, trace = best(lambda: run(graph), args.repeat)
            scenario = as_scenario(graph)

            def to_json():
                return json.dumps(report.trace_json(scenario, trace), allow_nan=False)

            json_s, _ = best(to_json, args.repeat)
            total = run_s + json_s
            per_node = total / size * 1e6
            base.setdefault(kind, per_node)
            print(
                f"{size:>8,} {kind:<6} {run_s:>8.3f} {json_s:>8.3f} {total:>8.3f} {per_node:>8.1f} "
                f"{per_node / base[kind]:>6.2f}"
            )

    named = 20_000
    text = yaml_text(named)
    load_s, scenario = best(lambda: loads(text, "<generated>"), args.repeat)
    run_s, _ = best(lambda: run(scenario.graph), args.repeat)
    print()
    print(
        f"YAML scenario: {named:,} named nodes, {len(scenario.graph):,} primitive nodes, "
        f"{len(text.encode()) / 1024:.0f} KiB: load {load_s:.3f} s "
        f"({load_s / len(scenario.graph) * 1e6:.1f} us/node), run {run_s:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
