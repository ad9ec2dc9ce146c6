"""The start-up policy (tutor/startup.py): what a lesson's first frame does not need is not run for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FIRST_FRAME = """
import asyncio, importlib.util, sys
from tutor.startup import DEFERRED
from tutor.ui.app import TutorApp

async def main():
    app = TutorApp({name!r}, remember=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
    ran = sorted(name for name in DEFERRED
                 if name in sys.modules and type(sys.modules[name]) is not importlib.util._LazyModule)
    print(ran)
    print("numpy" in sys.modules)

asyncio.run(main())
"""


def _first_frame(name: str) -> tuple[str, str]:
    result = subprocess.run([sys.executable, "-c", FIRST_FRAME.format(name=name)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    ran, numpy = result.stdout.strip().splitlines()[-2:]
    return ran, numpy


def test_opening_a_lesson_runs_no_deferred_module() -> None:
    assert _first_frame("shopping") == ("[]", "False")


def test_a_groups_view_runs_only_the_group_analysis() -> None:
    ran, numpy = _first_frame("sigmoid")
    assert ran == "[]" and numpy == "False"
    ran, numpy = _first_frame("square_of_sum")
    assert numpy == "False" and set(eval(ran)) <= {"tutor.engine.analysis"}  # noqa: S307 - our own list


def test_deferred_modules_run_when_first_used() -> None:
    code = (
        "import importlib.util, sys\n"
        "from tutor.engine import analysis\n"
        "assert type(sys.modules['tutor.engine.analysis']) is importlib.util._LazyModule\n"
        "analysis.numeric_check\n"
        "assert type(sys.modules['tutor.engine.analysis']) is not importlib.util._LazyModule\n"
        "from tutor.startup import numpy\n"
        "assert 'numpy' not in sys.modules\n"
        "numpy.zeros(1)\n"
        "assert 'numpy' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_every_deferred_module_exists() -> None:
    from tutor.startup import DEFERRED

    missing = [name for name in DEFERRED if (ROOT / (name.replace(".", "/") + ".py")).exists() is False]
    assert missing == []
