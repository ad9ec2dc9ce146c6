"""A class opening the served lesson at the same moment: forked lessons against fresh processes, in one run.

    .venv/bin/python tests/bench/bench_classroom.py [--tabs 30] [--scenario shopping] [--rounds 1]

For each way ``tutor serve`` starts a tab's lesson, measured side by side:

- fresh: a new ``python -m tutor`` process per tab (how it served before);
- forked: a fork of the pre-loaded process (``tutor.ui.preload``), the default.

Each round starts the server on a free local port, opens one tab and closes
it (so both ways start warm, as a server does once the teacher has tried
the link), then opens ``--tabs`` tabs at once. A tab is a websocket session
speaking the browser page's protocol (``tests/web/page_client.py``; no
browser). Every tab must draw the lesson and then step it (a right-arrow
key until the step line says step 1); times are taken when the words
arrive, and afterwards each tab's output is replayed into a screen (pyte)
to check it shows the stepped lesson (replaying while timing would make
this client, on the same cores, the slowest part).

Per way it reports the median and slowest time from opening a tab to its
lesson's first output (first bytes) and to the lesson drawn (its step line
on screen), the median time a step takes, the CPU each lesson used to
start, and memory with every tab open: the pages each lesson alone maps
(for a forked one, those it has copied from the pre-loaded process or made
itself), proportional set size (PSS, from ``/proc/PID/smaps_rollup``: a page
shared by k processes counts 1/k in each) per lesson, and per lesson with
the pre-loaded process's share added in. Then the ratios forked / fresh, and how many students one machine of
this size serves. Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.web import browser  # noqa: E402
from tests.web.page_client import PageTab  # noqa: E402

WAYS = {"fresh": False, "forked": True}
SIZE = (120, 36)
"""Each tab's terminal, about what a 1100x700 browser window shows."""


def _private_kib(pid: int) -> int:
    """Pages only this process maps, in KiB: for a forked lesson, those it wrote (copied) or made itself."""
    total = 0
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total


def _memory_total_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _class(url: str, tabs: int) -> tuple[list[PageTab], list[dict[str, float]]]:
    """Open ``tabs`` tabs at once; each draws the lesson and steps it. Seconds per tab."""
    opened = [PageTab(url, *SIZE) for _ in range(tabs)]

    async def one(tab: PageTab) -> dict[str, float]:
        await tab.open()
        drawn = await tab.wait_for("step 0 of", timeout=180, on_screen=False)
        return {"first_output": tab.first_output, "drawn": drawn}

    times = await asyncio.gather(*(one(tab) for tab in opened))
    return opened, times


async def _step_all(opened: list[PageTab]) -> list[float]:
    async def step(tab: PageTab) -> float:
        await tab.wait_for("Quit", timeout=60, on_screen=False)  # the whole first frame is in
        start = time.monotonic()
        await tab.press("right")
        await tab.wait_for("step 1 of", timeout=60, on_screen=False)
        return time.monotonic() - start

    return await asyncio.gather(*(step(tab) for tab in opened))


async def _warm_up(url: str) -> None:
    async with PageTab(url, *SIZE) as tab:
        await tab.wait_for("step 0 of", timeout=120)


def measure(way: str, tabs: int, scenario: str, work: Path) -> dict[str, float]:
    server = browser.Server(scenario, work, preload=WAYS[way])
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_warm_up(server.url))
        deadline = time.monotonic() + 10
        while server.sessions() and time.monotonic() < deadline:  # the warm-up tab's lesson has ended
            time.sleep(0.05)
        opened, times = loop.run_until_complete(_class(server.url, tabs))
        lessons = server.sessions()
        assert len(lessons) == tabs, (len(lessons), tabs)
        start_cpu = [browser.cpu_seconds(pid) for pid in lessons]
        steps = loop.run_until_complete(_step_all(opened))
        time.sleep(0.5)
        for tab in opened:  # replayed into a screen once timed: every tab shows its lesson, stepped
            screen = tab.text()
            assert "step 1 of" in screen and "Quit" in screen, screen
        memory = [browser.memory_kib(pid) for pid in lessons]
        private = [_private_kib(pid) for pid in lessons]
        preloaded = [browser.memory_kib(pid)[1] for pid in server.preloaded()]
        server_rss, server_pss = browser.memory_kib(server.process.pid)
        for tab in opened:
            loop.run_until_complete(tab.close())
    finally:
        loop.close()
        status = server.interrupt()
        left = server.survivors()
    assert status == 0 and not left, (status, left, server.output()[-2000:])
    pss = [p / 1024 for _, p in memory]
    return {
        "first_median": statistics.median(t["first_output"] for t in times),
        "first_max": max(t["first_output"] for t in times),
        "drawn_median": statistics.median(t["drawn"] for t in times),
        "drawn_max": max(t["drawn"] for t in times),
        "step_median": statistics.median(steps),
        "start_cpu": statistics.mean(start_cpu),
        "rss": statistics.mean(r for r, _ in memory) / 1024,
        "pss": statistics.mean(pss),
        "private": statistics.mean(private) / 1024,
        "pss_shared_out": (sum(pss) + sum(preloaded) / 1024) / tabs,
        "preloaded_pss": sum(preloaded) / 1024,
        "server_pss": server_pss / 1024,
    }


ROWS = [
    ("first output, median", "first_median", "s"),
    ("first output, slowest", "first_max", "s"),
    ("lesson drawn, median", "drawn_median", "s"),
    ("lesson drawn, slowest", "drawn_max", "s"),
    ("a step, median", "step_median", "s"),
    ("CPU to start a lesson", "start_cpu", "s"),
    ("RSS per lesson", "rss", "MiB"),
    ("private memory per lesson (its own pages)", "private", "MiB"),
    ("PSS per lesson", "pss", "MiB"),
    ("PSS per lesson, pre-loaded process shared out", "pss_shared_out", "MiB"),
    ("pre-loaded process PSS", "preloaded_pss", "MiB"),
    ("server PSS", "server_pss", "MiB"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=30, help="tabs opened at once (default 30)")
    parser.add_argument("--scenario", default="shopping")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of both ways, alternating (default 1)")
    args = parser.parse_args()
    if not Path("/proc/self/smaps_rollup").is_file():
        print("cannot run: needs Linux's /proc (smaps_rollup)", file=sys.stderr)
        return 2
    results: dict[str, list[dict[str, float]]] = {way: [] for way in WAYS}
    with tempfile.TemporaryDirectory() as work:
        for _ in range(args.rounds):
            for way in WAYS:
                results[way].append(measure(way, args.tabs, args.scenario, Path(work)))
    figures = {
        way: {key: statistics.median(run[key] for run in runs) for _, key, _ in ROWS} for way, runs in results.items()
    }
    fresh, forked = figures["fresh"], figures["forked"]
    print(f"tutor serve {args.scenario}: {args.tabs} tabs opened at once, {os.cpu_count()} cores, "
          f"{args.rounds} round(s) (medians over rounds)")
    print(f"{'':47} {'fresh':>9} {'forked':>9} {'forked/fresh':>13}")
    for label, key, unit in ROWS:
        ratio = f"{forked[key] / fresh[key]:.2f}x" if fresh[key] else "-"
        print(f"{label:47} {fresh[key]:>6.2f} {unit:<3}{forked[key]:>6.2f} {unit:<3}{ratio:>12}")
    print(f"target: median first output at {args.tabs} tabs <= 1.5 s: lesson drawn {forked['drawn_median']:.2f} s "
          f"({'met' if forked['drawn_median'] <= 1.5 else 'NOT met'}); "
          f"PSS per lesson <= half of fresh: {forked['pss_shared_out'] / fresh['pss']:.2f} "
          f"({'met' if forked['pss_shared_out'] <= fresh['pss'] / 2 else 'NOT met'})")
    total = _memory_total_mib()
    budget = total - 2048  # 2 GiB for the system and the server
    print(f"machine memory {total / 1024:.1f} GiB: about {int(budget / forked['pss_shared_out'])} forked lessons fit "
          f"(fresh: {int(budget / fresh['pss'])}), leaving 2 GiB for everything else")
    return 0


if __name__ == "__main__":
    sys.exit(main())
