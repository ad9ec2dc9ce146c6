"""Nothing outside tutor/ui/ (and the app launch) imports the UI toolkit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_module_outside_the_ui_imports_without_textual():
    # Walk the package (not a hand-kept list): every module but tutor.ui.* and
    # tutor.__main__ (which would run the CLI) is imported in a fresh interpreter.
    code = (
        "import importlib, pkgutil, sys, tutor\n"
        "names = ['tutor'] + [m.name for m in pkgutil.walk_packages(tutor.__path__, 'tutor.')\n"
        "    if not m.name.startswith('tutor.ui') and m.name != 'tutor.__main__']\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(len(names))\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.strip().splitlines()
    assert int(count) >= 25  # engine, scenario, teach (and its modes), draw, cli, report
    assert loaded == "[]"


def test_the_public_api_works_without_textual():
    code = (
        "import sys, tutor\n"
        "trace = tutor.run(tutor.load('scenarios/shopping.yaml'), overrides={'apple': 150})\n"
        "assert abs(trace.output_value - 330) < 1e-9, trace.output_value\n"
        "tutor.builtin_names(); tutor.loads('inputs: {a: 1}\\nnodes: {b: a * 2}\\noutput: b\\n', name='x')\n"
        "import tutor.ui\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


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
