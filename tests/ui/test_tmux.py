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
    screen = _wait_for(session, "3 + 2 = 5")
    assert "BACKWARD" in screen and "step 6 of 6" in screen
    _tmux("resize-window", "-t", session, "-x", "50", "-y", "15")
    _wait_for(session, "Window too small")
    _tmux("resize-window", "-t", session, "-x", "100", "-y", "30")
    screen = _wait_for(session, "3 + 2 = 5")
    assert "step 6 of 6" in screen
    _tmux("send-keys", "-t", session, "Home")
    _wait_for(session, "step 0 of 6")
    _tmux("send-keys", "-t", session, "q")
    _wait_for(session, "EXITED-0")
