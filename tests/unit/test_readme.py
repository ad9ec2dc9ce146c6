"""The README's two commands stay true: CI runs exactly the README's test command."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _ci_lines() -> list[str]:
    return (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def _ci_command() -> str:
    commands = [line for line in _ci_lines() if line.startswith("python3 -m venv") and "pytest" in line]
    assert len(commands) == 1, commands
    return commands[0]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _ci_command() in readme
    assert "pytest" in _ci_command()


def test_ci_runs_the_smoke_suite_on_the_declared_minimums() -> None:
    """The second environment: every runtime dependency pinned at its lower bound, then tests/smoke."""
    text = "\n".join(_ci_lines())
    assert "-c .venv-min/minimums.txt" in text
    assert _ci_lines()[-1].endswith("python -m pytest -q tests/smoke")


def test_readme_run_command_opens_a_builtin_scenario() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    run = [line for line in readme.splitlines() if line.startswith("python3 -m venv") and "pytest" not in line]
    assert run, "README has no install-and-run command"
    scenario = run[0].rsplit(" ", 1)[-1]
    assert (ROOT / "scenarios" / f"{scenario}.yaml").is_file()


def test_readme_screenshots_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    import re

    shots = re.findall(r"\((screenshots/[^)]+\.svg)\)", readme)
    assert len(shots) >= 10
    for shot in shots:
        assert (ROOT / shot).is_file(), shot


def test_readme_check_example_is_what_check_prints() -> None:
    """The README's `check broken.yaml` is tests/data/bad/several_mistakes.yaml under that name."""
    import shutil
    import subprocess
    import sys
    import tempfile

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ python -m tutor check broken.yaml\n", 1)[1].split("```", 1)[0]
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(ROOT / "tests" / "data" / "bad" / "several_mistakes.yaml", Path(folder) / "broken.yaml")
        result = subprocess.run([sys.executable, "-m", "tutor", "check", "broken.yaml"], cwd=folder,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == block
