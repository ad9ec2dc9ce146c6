"""How many students one machine serves: `tutor serve` with 1 and N browser tabs at once.

    .venv/bin/python tests/bench/bench_serve.py [--tabs 1 10] [--scenario shopping]

For each count, starts `tutor serve` on a free local port, opens that many
tabs in headless Chromium at the same moment and measures:

- time to first frame: from opening a tab until its lesson is on screen
  (the step line drawn), the median and the slowest tab;
- memory per session: resident (RSS) and proportional (PSS, which shares
  common pages fairly) size of each tab's lesson process once drawn, and the
  server's own (and the pre-loaded process's, which the lessons are forked
  from); also after 10 steps in every tab.

``tests/bench/bench_classroom.py`` compares forked lessons with a fresh
process per tab, without a browser.

It prints the figures and a students-per-machine estimate from the PSS and
the machine's memory (the CPU is idle between key presses: one step costs a
few milliseconds). Needs chromium and the test extra (playwright, pyte).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.web import browser  # noqa: E402


def _memory_total_kib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return 0


def measure(tabs: int, scenario: str, work: Path) -> dict[str, float]:
    server = browser.Server(scenario, work)
    try:
        with browser.browser(work / f"profile-{tabs}") as context:
            cpu_before = _cpu_of_everyone(server, work)
            # Open every tab first (each navigation returns once the server answers), then wait for each lesson.
            opened = [browser.Tab(context, server.url, wait_until="commit") for _ in range(tabs)]
            firsts = [tab.wait_for("step 0 of", timeout=120) for tab in opened]
            sessions = server.sessions()
            assert len(sessions) == tabs, (len(sessions), tabs)
            cpu_after = _cpu_of_everyone(server, work)
            drawn = [browser.memory_kib(pid) for pid in sessions]
            start_cpu = [browser.cpu_seconds(pid) for pid in sessions]
            for tab in opened:
                for _ in range(10):
                    tab.press("ArrowRight")
            for tab in opened:
                tab.wait_for("step ", timeout=60)
            time.sleep(1.0)
            stepped = [browser.memory_kib(pid) for pid in server.sessions()]
            step_cpu = (sum(map(browser.cpu_seconds, sessions)) - sum(start_cpu)) / (10 * tabs)
            server_rss, server_pss = browser.memory_kib(server.process.pid)
            preloaded_pss = sum(browser.memory_kib(pid)[1] for pid in server.preloaded())
    finally:
        server.interrupt()
    return {
        "tabs": tabs,
        "first_median": statistics.median(firsts),
        "first_max": max(firsts),
        "rss": statistics.mean(r for r, _ in drawn) / 1024,
        "pss": statistics.mean(p for _, p in drawn) / 1024,
        "pss_stepped": statistics.mean(p for _, p in stepped) / 1024,
        "server_rss": server_rss / 1024,
        "server_pss": server_pss / 1024,
        "preloaded_pss": preloaded_pss / 1024,
        "start_cpu": statistics.mean(start_cpu),
        "step_cpu": step_cpu,
        "cpu_split": {k: cpu_after[k] - cpu_before.get(k, 0.0) for k in cpu_after},
    }


def _cpu_of_everyone(server: browser.Server, work: Path) -> dict[str, float]:
    """CPU seconds used so far by the lessons, the server and the browser (found by its profile folder)."""
    lessons = sum(browser.cpu_seconds(pid) for pid in server.sessions())
    chromium = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(work).encode() in cmdline and b"chrom" in cmdline:
                chromium += browser.cpu_seconds(int(entry.name))
    return {"lessons": lessons, "server": browser.cpu_seconds(server.process.pid), "browser": chromium}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, nargs="+", default=[1, 10], help="tab counts to measure (default 1 10)")
    parser.add_argument("--scenario", default="shopping")
    args = parser.parse_args()
    reason = browser.missing()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory() as work:
        for tabs in args.tabs:
            results.append(measure(tabs, args.scenario, Path(work)))
    print(f"tutor serve {args.scenario}: headless Chromium, tabs opened together")
    print(f"{'tabs':>5} {'first frame median':>19} {'slowest':>8} {'RSS/session':>12} {'PSS/session':>12} "
          f"{'PSS after 10 steps':>19} {'server RSS':>11} {'CPU to start':>13} {'CPU per step':>13}")
    for r in results:
        print(f"{r['tabs']:>5} {r['first_median']:>17.2f} s {r['first_max']:>6.2f} s {r['rss']:>8.1f} MiB "
              f"{r['pss']:>8.1f} MiB {r['pss_stepped']:>15.1f} MiB {r['server_rss']:>7.1f} MiB "
              f"{r['start_cpu']:>11.2f} s {r['step_cpu'] * 1000:>10.1f} ms")
    for r in results:
        if r["preloaded_pss"]:
            print(f"{r['tabs']} tab(s): the pre-loaded process the lessons are forked from holds "
                  f"{r['preloaded_pss']:.1f} MiB PSS, shared out over them")
    for r in results:
        split = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in r["cpu_split"].items())
        print(f"CPU until every lesson of {r['tabs']} tab(s) was drawn: {split}")
    total = _memory_total_kib() / 1024
    per = max(r["pss_stepped"] for r in results)
    budget = total - 2048  # leave 2 GiB for the system and the server
    print(f"machine memory {total / 1024:.1f} GiB: about {int(budget / per)} sessions fit at {per:.1f} MiB each "
          f"(PSS), leaving 2 GiB for everything else")
    start = max(r["start_cpu"] for r in results)
    print(f"CPU: each session costs about {start:.2f} s of CPU to start, so on 2 cores a class of 30 opening "
          f"at once waits about {30 * start / 2:.0f} s for the last lesson; then each step costs "
          f"{max(r['step_cpu'] for r in results) * 1000:.0f} ms")
    if len(results) > 1:
        print(f"first frame, {results[-1]['tabs']} tabs vs 1 tab (median): "
              f"{results[-1]['first_median'] / results[0]['first_median']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
