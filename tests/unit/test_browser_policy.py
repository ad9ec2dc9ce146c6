"""Without a browser the browser tests skip with the reason, except in CI, where they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_browser_tests(ci: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUTOR_TEST_CHROMIUM": "/nonexistent/chromium", "CI": ci}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests/web/test_browser.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_no_browser_locally_skips_with_the_reason():
    result = _run_browser_tests(ci="")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped" in result.stdout
    assert "no chromium browser at /nonexistent/chromium" in result.stdout


def test_no_browser_in_ci_fails():
    result = _run_browser_tests(ci="true")
    assert result.returncode != 0
    assert "browser tests cannot run in CI" in result.stdout + result.stderr
