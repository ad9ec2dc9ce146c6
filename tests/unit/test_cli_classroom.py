"""Version, one help page, commands suggested under the name the tutor was run as, serve's checks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tutor

ROOT = Path(__file__).resolve().parents[2]


def run(argv: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_version():
    for flag in ("--version", "-V"):
        result = run([sys.executable, "-m", "tutor", flag])
        assert result.returncode == 0
        assert result.stdout.strip() == f"tutor {tutor.__version__}"


def test_version_matches_the_package_metadata():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{tutor.__version__}"' in text


def test_help_is_one_usage_block_listing_every_command():
    from tutor.cli.commands import COMMANDS

    result = run([sys.executable, "-m", "tutor", "--help"])
    assert result.returncode == 0
    assert result.stdout.lower().count("usage:") == 1
    for command in COMMANDS:
        assert f"\n  {command} " in result.stdout, command
    assert "--version" in result.stdout


def test_every_command_is_one_module_in_the_table():
    """A command is its module (HELP, arguments, run) and one line in the table; the parser has each."""
    import argparse

    from tutor.cli.commands import COMMANDS, command
    from tutor.cli.parser import command_parser

    sub = next(a for a in command_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == list(COMMANDS)
    for name, module in COMMANDS.items():
        assert module == f"tutor.cli.{name}"
        handler = command(name)
        assert handler.HELP and callable(handler.arguments) and callable(handler.run), name


def test_opening_the_app_imports_no_command():
    code = (
        "import sys\n"
        "from tutor.cli import app, main\n"
        "app.run = lambda argv: 0\n"
        "main(['shopping'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('tutor.cli.') and m.rsplit('.', 1)[1] in "
        "('trace', 'check', 'train', 'list', 'new', 'schema', 'serve', 'export')))\n"
    )
    result = run([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_new_suggests_commands_under_python_dash_m(tmp_path):
    result = run([sys.executable, "-m", "tutor", "new", "lesson"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "python -m tutor check lesson.yaml" in result.stdout
    assert "python -m tutor lesson.yaml" in result.stdout


def test_new_suggests_commands_under_the_script_name(tmp_path):
    script = shutil.which("tutor", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the tutor script is not installed beside this Python")
    result = run([script, "new", "lesson"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "with: tutor check lesson.yaml" in result.stdout
    assert "python -m" not in result.stdout


def test_pipe_still_gets_the_one_line_hint():
    result = run([sys.executable, "-m", "tutor", "shopping"], env={"TEXTUAL_DRIVER": ""})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "needs a terminal" in result.stderr


def test_a_driver_in_the_environment_runs_the_app_without_a_terminal():
    # Textual's headless driver stands in for textual-serve's web driver: no terminal, yet the app runs.
    code = (
        "import sys\n"
        "from textual.app import App\n"
        "App.run = lambda self, *a, **k: print('ran', type(self).__name__, self.start_spec)\n"
        "from tutor.cli import main\n"
        "sys.exit(main(['shopping']))\n"
    )
    result = run([sys.executable, "-c", code], env={"TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ran TutorApp shopping"


def test_screenshots_tool_has_help_and_takes_options(tmp_path):
    result = run([sys.executable, "-m", "tutor.ui.screenshots", "--help"], cwd=tmp_path)
    assert result.returncode == 0
    assert "usage:" in result.stdout and "--only" in result.stdout
    assert list(tmp_path.iterdir()) == []  # no folder named --help
    result = run([sys.executable, "-m", "tutor.ui.screenshots", str(tmp_path / "out"), "--only", "help"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["help.svg"]


@pytest.mark.parametrize(
    "args, message",
    [(["serve", "shoping"], "shopping"), (["serve", "--port", "0"], "--port"), (["serve", "--port", "x"], "invalid int")],
)
def test_serve_refuses_bad_arguments_before_listening(args, message):
    result = run([sys.executable, "-m", "tutor", *args])
    assert result.returncode != 0
    assert message in result.stderr


def test_serve_command_runs_this_python_on_the_scenario(tmp_path):
    from tutor.ui.serve import app_command, public_url

    (tmp_path / "my lesson.yaml").write_text("nodes: {y: 1}\noutput: y\n")
    os.chdir(tmp_path)
    try:
        assert app_command(None).endswith("-m tutor")
        assert app_command("shopping").endswith("-m tutor shopping")
        assert app_command("my lesson.yaml").endswith(f"-m tutor '{tmp_path / 'my lesson.yaml'}'")
        assert app_command(None).startswith(f"exec {sys.executable} ")
    finally:
        os.chdir(ROOT)
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url("::1", 8000) == "http://[::1]:8000"
    assert public_url("0.0.0.0", 80).endswith(":80") and "0.0.0.0" not in public_url("0.0.0.0", 80)


def test_serve_on_a_busy_port_says_so_in_one_line_without_announcing_an_address():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run([sys.executable, "-m", "tutor", "serve", "--port", str(port)])
    assert result.returncode == 2
    assert "Serving" not in result.stdout
    assert result.stderr.strip().startswith(f"tutor: error: cannot serve on 127.0.0.1:{port}")
    assert len(result.stderr.strip().splitlines()) == 1
