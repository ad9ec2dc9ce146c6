"""The public Python API: tutor.load, loads, run, Graph, builtin_names and tutor.ui.TutorApp."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tutor

ROOT = Path(__file__).resolve().parents[2]


def test_load_and_run_a_scenario_file() -> None:
    scenario = tutor.load(ROOT / "scenarios" / "shopping.yaml")
    trace = tutor.run(scenario)
    assert trace.output_value == pytest.approx(220)
    assert trace.grad("apple") == pytest.approx(2.2)
    assert tutor.run(scenario, overrides={"apple": 150}).output_value == pytest.approx(330)


def test_loads_names_the_scenario_and_its_errors() -> None:
    scenario = tutor.loads("inputs:\n  x: 3\nnodes:\n  y: x ** 2\noutput: y\n", name="square.yaml")
    assert scenario.name == "square"
    assert tutor.run(scenario).grad("x") == pytest.approx(6)
    with pytest.raises(tutor.ScenarioError) as error:
        tutor.loads("inputs:\n  x: 3\nnodes:\n  y: x +* 2\noutput: y\n", name="bad.yaml")
    assert error.value.report().startswith("bad.yaml:4:")


def test_build_a_graph_in_code() -> None:
    g = tutor.Graph()
    a = g.add_leaf("a", "input", 2.0)
    b = g.add_leaf("b", "input", -3.0)
    c = g.add_op("c", "mul", (a, b))
    g.output = g.add_op("d", "add", (c, a))
    trace = tutor.run(g)
    assert trace.output_value == pytest.approx(-4.0)
    assert (trace.grad("a"), trace.grad("b")) == pytest.approx((-2.0, 2.0))  # b + 1, a
    assert g.node("c").group == "c"
    assert [s.node for s in trace.backward] == ["d", "c"]


def test_a_graph_without_an_output_is_refused() -> None:
    g = tutor.Graph()
    g.add_leaf("a", "input", 1.0)
    with pytest.raises(ValueError, match="no output"):
        tutor.run(g)


def test_builtin_names_and_the_app_class() -> None:
    assert "shopping" in tutor.builtin_names()
    from tutor.ui.app import TutorApp

    assert tutor.ui.TutorApp is TutorApp
    with pytest.raises(AttributeError):
        tutor.no_such_name  # noqa: B018
    assert set(tutor.__all__) >= {"Graph", "builtin_names", "load", "loads", "run"}


def test_import_tutor_loads_nothing_else() -> None:
    # The app's launch time matters: the names above are imported on first use.
    code = "import sys, tutor; print(sorted(m for m in sys.modules if m.startswith(('tutor.', 'yaml', 'rich'))))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API") :]
    code = section[section.index("```python\n") + 10 : section.index("```\n", section.index("```python"))]
    worked = readme[readme.index("title: Area of a rectangle") :]
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "rectangle.yaml").write_text(worked[: worked.index("```")], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    lines = [line for line in code.splitlines() if "TutorApp" not in line]  # the app needs a terminal
    assert len(lines) >= 10
    scope: dict = {}
    exec("\n".join(lines), scope)  # noqa: S102 - our own README
    assert scope["trace"].grad("w") == pytest.approx(2 * (4 * 5 - 12) * 5)  # loss = (w·h − target)², h = 5


def test_an_unknown_override_says_which_names_there_are() -> None:
    import tutor

    scenario = tutor.loads("inputs: {a: 2}\nparams: {w: 3}\nnodes: {y: a * w}\noutput: y\n", name="s.yaml")
    with pytest.raises(KeyError) as caught:
        tutor.run(scenario, {"zz": 1})
    assert str(caught.value) == "'zz' is not an input or param of this graph (those are: a, w)"
    with pytest.raises(KeyError):
        tutor.run(scenario, {"y": 1})  # an op node is not overridable


def test_dir_lists_the_public_names() -> None:
    import tutor
    import tutor.ui

    assert {"load", "loads", "run", "Graph", "builtin_names", "ui"} <= set(dir(tutor))
    assert "TutorApp" in dir(tutor.ui)
