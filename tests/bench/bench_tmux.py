"""The real app in a real terminal (tmux): big graph against small (not part of the test run).

    python tests/bench/bench_tmux.py [--repeat 5] [--small 300] [--big 3000]

For a generated scenario of ``--small`` and one of ``--big`` primitive nodes,
in a 120x36 tmux window, runs interleaved, medians reported:

- launch until the graph is drawn: from starting ``python -m tutor FILE``
  until the pane shows step 0 (graph and step panel are drawn together);
- step key until the screen changes: from sending → until the pane shows
  the next step ("step k of").

Targets: the big graph within 1.5x of the small one for both. Needs tmux.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ui import generated_scenario  # noqa: E402

POLL = 0.002


def capture(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True, check=False
    ).stdout


def wait_for(session: str, done, timeout: float = 60.0) -> str:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        screen = capture(session)
        if done(screen):
            return screen
        time.sleep(POLL)
    raise TimeoutError(f"{session}: the screen never got there; it shows:\n{screen}")


def one_session(path: Path, presses: int) -> tuple[float, list[float]]:
    """(seconds from launch to the graph drawn, [seconds from each → to a changed screen])."""
    session = f"bench-{os.getpid()}-{time.monotonic_ns()}"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR")}
    command = f"{sys.executable} -m tutor {path}"
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36", command], check=True, cwd=ROOT, env=env
    )
    try:
        # The graph and the step panel (full, or compact when the graph takes the
        # room) are drawn in the same frame (a big graph's top-left corner may be
        # blank: its boxes sit lower down).
        wait_for(session, lambda s: "step 0 of" in s and ("Start. Inputs are set" in s or "Start: " in s))
        launch = time.perf_counter() - start
        time.sleep(0.3)  # let the first frame settle before the first press
        steps = []
        for k in range(1, presses + 1):
            start = time.perf_counter()
            subprocess.run(["tmux", "send-keys", "-t", session, "Right"], check=True)
            wait_for(session, lambda s: f"step {k} of" in s)
            steps.append(time.perf_counter() - start)
            time.sleep(0.05)
        return launch, steps
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False, capture_output=True)


def rows(repeat: int = 5, small: int = 300, big: int = 3000, presses: int = 8):
    """(what, small s, big s, ratio, target) per row."""
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for size in (small, big):
            paths[size] = Path(folder) / f"generated_{size}.yaml"
            paths[size].write_text(generated_scenario(size), encoding="utf-8")
        launches: dict[int, list[float]] = {small: [], big: []}
        steps: dict[int, list[float]] = {small: [], big: []}
        one_session(paths[small], 1)  # warm the file cache and the bytecode
        for _ in range(repeat):
            for size in (small, big):
                launch, step = one_session(paths[size], presses)
                launches[size].append(launch)
                steps[size].extend(step)
    out = []
    ls, lb = statistics.median(launches[small]), statistics.median(launches[big])
    out.append((f"tmux: launch until the graph is drawn, {big:,} vs {small:,} nodes", ls, lb, lb / ls, "<= 1.5x"))
    ss, sb = statistics.median(steps[small]), statistics.median(steps[big])
    out.append((f"tmux: step key until the screen changes, {big:,} vs {small:,} nodes", ss, sb, sb / ss, "<= 1.5x"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--small", type=int, default=300)
    parser.add_argument("--big", type=int, default=3000)
    args = parser.parse_args()
    for what, small, big, ratio, target in rows(args.repeat, args.small, args.big):
        print(f"{what:<62} {small * 1000:7.0f} ms vs {big * 1000:7.0f} ms  {ratio:.2f}x ({target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
