"""The engine and the command line never import the UI toolkit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "tutor",
    "tutor.engine.ops",
    "tutor.engine.numbers",
    "tutor.engine.expr",
    "tutor.engine.graph",
    "tutor.engine.trace",
    "tutor.engine.analysis",
    "tutor.scenario",
    "tutor.cli",
    "tutor.report",
]


def test_engine_and_cli_do_not_import_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_cli_commands_do_not_import_textual():
    code = (
        "import sys, contextlib, io\n"
        "from tutor.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['trace', 'shopping', '--json'])\n"
        "    main(['list'])\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_check_is_able_to_fail():
    # Importing the UI does bring textual in: the test above would notice.
    code = "import sys, textual; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "True"
