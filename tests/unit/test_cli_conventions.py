"""The command line keeps the conventions of one: hints name the command as it was run, every option says
what it does, piped tables fit the terminal, nothing is overwritten unasked, JSON says its format."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tutor.scenario import builtin_names

ROOT = Path(__file__).resolve().parents[2]
MODULE = [sys.executable, "-m", "tutor"]


def script() -> list[str]:
    found = shutil.which("tutor", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the tutor script is not installed beside this Python")
    return [found]


def run(argv: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120,
                            stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    assert "Traceback" not in result.stderr, result.stderr
    return result


# --- hints name the command the tutor was run as -------------------------------------------


@pytest.mark.parametrize("how", ["script", "module"])
def test_every_hint_names_the_command_as_it_was_run(how, tmp_path):
    prog = script() if how == "script" else MODULE
    said = "tutor" if how == "script" else "python -m tutor"
    other = "python -m tutor" if how == "script" else None
    unknown = run([*prog, "trace", "qqqq_no_such_lesson"], cwd=tmp_path)
    assert unknown.returncode == 1 and f"hint: run `{said} list` for the scenarios" in unknown.stderr
    no_terminal = run([*prog, "shopping"], cwd=tmp_path, env={"TEXTUAL_DRIVER": ""})
    assert f"use `{said} trace SCENARIO`" in no_terminal.stderr
    helped = run([*prog, "--help"], cwd=tmp_path).stdout
    assert f"Run `{said} list`" in helped and f"({said} COMMAND --help for each)" in helped
    (tmp_path / "scenarios").mkdir()
    wrote = run([*prog, "new", "scenarios/lesson"], cwd=tmp_path)
    assert wrote.stdout.strip() == (f"wrote scenarios/lesson.yaml; check it with: {said} check scenarios/lesson.yaml; "
                                    f"open it with: {said} scenarios/lesson.yaml")
    header = (tmp_path / "scenarios" / "lesson.yaml").read_text(encoding="utf-8").splitlines()[:2]
    assert header == [f"# A tutor scenario. Check it with:  {said} check scenarios/lesson.yaml",
                      f"# Open it with:                      {said} scenarios/lesson.yaml"]
    for text in (unknown.stderr, no_terminal.stderr, helped, wrote.stdout, "\n".join(header)):
        assert other is None or other not in text


def test_the_starter_headers_command_works_from_where_new_ran(tmp_path):
    """Typed as it stands in the folder where ``new`` ran, the header's check command passes."""
    (tmp_path / "lessons" / "week1").mkdir(parents=True)
    assert run([*MODULE, "new", "lessons/week1/my lesson"], cwd=tmp_path).returncode == 0
    first = (tmp_path / "lessons" / "week1" / "my lesson.yaml").read_text(encoding="utf-8").splitlines()[0]
    command = first.split("Check it with:", 1)[1].strip()
    assert command == "python -m tutor check 'lessons/week1/my lesson.yaml'"
    checked = subprocess.run(command.replace("python", sys.executable, 1), shell=True, cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and checked.stdout.startswith("lessons/week1/my lesson.yaml: ok ("), checked


# --- every option says what it does ---------------------------------------------------------


def test_every_argument_of_every_command_has_a_help_text():
    from tutor.cli.parser import app_parser, command_parser

    sub = next(a for a in command_parser()._actions if isinstance(a, argparse._SubParsersAction))
    parsers = {"(the app)": app_parser(), **sub.choices}
    bare = [(name, action.dest) for name, parser in parsers.items() for action in parser._actions
            if not action.help]
    assert bare == []


def test_list_says_it_lists_local_files_too():
    helped = run([*MODULE, "--help"]).stdout
    line = next(line for line in helped.splitlines() if line.strip().startswith("list "))
    assert "./scenarios/*.yaml" in line
    assert "./scenarios/*.yaml" in run([*MODULE, "list", "--help"]).stdout


def test_every_commands_help_says_what_it_does():
    from tutor.cli.commands import COMMANDS

    for name in COMMANDS:
        text = run([*MODULE, name, "--help"]).stdout
        assert text.split("\n\n")[1].strip(), name  # the paragraph under the usage line


# --- piped tables keep within the terminal ------------------------------------------------------


def _widest(result: subprocess.CompletedProcess) -> int:
    assert result.returncode == 0, result.stderr
    return max(cell_len(line) for line in result.stdout.splitlines())


@pytest.mark.parametrize("name", builtin_names())
def test_piped_trace_tables_keep_within_80_columns(name):
    assert _widest(run([*MODULE, "trace", name], env={"COLUMNS": ""})) <= 80


def test_tables_honour_columns():
    assert 80 < _widest(run([*MODULE, "trace", "tiny_net"], env={"COLUMNS": "120"})) <= 120
    assert _widest(run([*MODULE, "trace", "shopping"], env={"COLUMNS": "60"})) <= 80  # wider only where a word needs it
    assert _widest(run([*MODULE, "train", "tiny_net", "--steps", "3"], env={"COLUMNS": ""})) <= 80
    assert _widest(run([*MODULE, "trace", "two_paths", "--wrt", "b", "--mode", "paths"], env={"COLUMNS": ""})) <= 80


def test_a_narrow_table_keeps_every_number_whole():
    """Too narrow for a frame, a table drops it rather than cut a number or a name."""
    result = run([*MODULE, "trace", "xor", "--json"])
    numbers = json.loads(result.stdout)
    table = run([*MODULE, "trace", "xor"], env={"COLUMNS": ""}).stdout
    for name in ("loss.pow1", "loss.sub1", "z2_1.add2"):
        assert name in table
    for step in numbers["steps"]:
        if step["phase"] == "forward":
            assert step["node"] in table


# --- export never overwrites unasked -----------------------------------------------------------


@pytest.mark.parametrize("suffix", [".md", ".svg"])
def test_export_keeps_an_existing_file_unless_forced(tmp_path, suffix):
    out = tmp_path / f"handout{suffix}"
    out.write_text("my notes", encoding="utf-8")
    refused = run([*MODULE, "export", "two_paths", "-o", str(out)])
    assert refused.returncode == 2
    assert refused.stderr.strip() == f"tutor: error: -o {out}: the file exists; add --force to replace it"
    assert out.read_text(encoding="utf-8") == "my notes"
    forced = run([*MODULE, "export", "two_paths", "-o", str(out), "--force"])
    assert forced.returncode == 0, forced.stderr
    assert out.read_text(encoding="utf-8") != "my notes"


# --- JSON says its format ------------------------------------------------------------------------


def test_every_json_output_carries_the_documented_format_version():
    from tutor.cli.json_output import FORMAT_VERSION

    outputs = [
        ["trace", "two_paths", "--json"],
        ["trace", "two_paths", "--json", "--wrt", "b", "--mode", "paths"],
        ["train", "tiny_net", "--steps", "2", "--json"],
        ["train", "xor", "--epochs", "2", "--json"],
    ]
    for argv in outputs:
        data = json.loads(run([*MODULE, *argv]).stdout)
        assert data["format_version"] == FORMAT_VERSION == 1, argv
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### JSON output"):readme.index("## Writing a scenario")]
    assert f"`format_version`" in section and str(FORMAT_VERSION) in section
