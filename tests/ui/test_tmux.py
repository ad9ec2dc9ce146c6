"""Smoke test in a real terminal: tmux runs the app, keys go in, the screen comes out.

Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def _wait_for(session: str, text: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not on screen:\n{screen}")


@pytest.fixture
def session():
    name = f"tutor-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL_THEME")}
    env["PYTHONPATH"] = str(ROOT)
    command = f"cd {ROOT} && {sys.executable} -m tutor two_paths; echo EXITED-$?; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24", command], check=True, env=env
    )
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def test_step_resize_and_quit_in_a_real_terminal(session: str) -> None:
    _wait_for(session, "Start. Inputs are set")
    _tmux("send-keys", "-t", session, "End")
    screen = _wait_for(session, "step 6 of 6")
    assert "BACKWARD" in screen and ("3 + 2 = 5" in screen or "3 → 5 (Σ 2 uses)" in screen)
    _tmux("resize-window", "-t", session, "-x", "50", "-y", "15")
    _wait_for(session, "Window too small")
    _tmux("resize-window", "-t", session, "-x", "100", "-y", "30")
    screen = _wait_for(session, "step 6 of 6")
    assert "3 + 2 = 5" in screen or "3 → 5 (Σ 2 uses)" in screen
    _tmux("send-keys", "-t", session, "Home")
    _wait_for(session, "step 0 of 6")
    _tmux("send-keys", "-t", session, "q")
    _wait_for(session, "EXITED-0")


def _start(name: str, scenario: str, width: int = 80, height: int = 24) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL_THEME")}
    env["PYTHONPATH"] = str(ROOT)
    command = f"cd {ROOT} && {sys.executable} -m tutor {scenario}; echo EXITED-$?; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command], check=True, env=env
    )


def _numbers(x: float) -> set[str]:
    """The ways a gradient may be written on screen: panel (6 or 4 digits) or graph."""
    from tutor.engine.numbers import fmt, fmt_short

    return {fmt(x), fmt(x, 4), fmt_short(x)}


def test_tiny_net_at_80x24_shows_every_gradient_and_a_tall_loss_curve() -> None:
    from tutor.scenario import resolve
    from tutor.teach.lesson import Lesson, default_view

    scenario = resolve("tiny_net")
    lesson = Lesson(scenario, view=default_view(scenario))
    wanted = {name: _numbers(lesson.trace.grad(name)) for name in scenario.params}
    name = f"tutor-{uuid.uuid4().hex[:8]}"
    _start(name, "tiny_net")
    try:
        screens = [_wait_for(name, "step 0 of")]
        for k in range(1, lesson.last + 1):
            _tmux("send-keys", "-t", name, "Right")
            screen = _wait_for(name, f"step {k} of {lesson.last}")
            screens.append(screen)
            # Whatever the panel cannot show at once lies one PgDn away, and says so.
            for _ in range(10):
                if "more below" not in screen:
                    break
                _tmux("send-keys", "-t", name, "PageDown")
                time.sleep(0.3)
                screen = _tmux("capture-pane", "-p", "-t", name)
                screens.append(screen)
            else:
                raise AssertionError(f"the panel never reaches its end at step {k}:\n{screen}")
        seen = "\n".join(screens).replace("\N{MINUS SIGN}", "-")  # the screen's minus sign is U+2212
        lines = seen.splitlines()
        # The graph views write "∂ 0 → g" (compact) or ": 0 → g"; the neuron view tiny_net opens in
        # writes stage 4 as "∂w11 = δ·x1 = … = g".
        missing = {param for param, forms in wanted.items() if not any(
            f"∂ 0 → {form}" in seen or f": 0 → {form}" in seen
            or any(f"∂{param} = " in line and f" {form} " in f"{line} " for line in lines)
            for form in forms)}
        assert not missing, f"gradients never shown: {sorted(missing)}"

        _tmux("send-keys", "-t", name, "6")
        _wait_for(name, "TRAINING")
        _tmux("send-keys", "-t", name, "T")
        screen = _wait_for(name, "50 steps", timeout=60)
        time.sleep(0.5)
        screen = _tmux("capture-pane", "-p", "-t", name)
        curve = [row for row in screen.splitlines() if "┤" in row]
        assert len(curve) >= 6, f"loss curve only {len(curve)} rows tall:\n{screen}"
        _tmux("send-keys", "-t", name, "q")
        _wait_for(name, "EXITED-0")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
