"""The README's "Step through your own code" examples run and print what they say (show needs no terminal here)."""

from __future__ import annotations

from pathlib import Path

import pytest

import tutor
from tutor.engine.network import infer
from tutor.scenario.dump import scenario_of

ROOT = Path(__file__).resolve().parents[2]


def python_blocks(start: str, end: str) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index(start) : readme.index(end, readme.index(start))]
    blocks = part.split("```python\n")[1:]
    return [block[: block.index("```")] for block in blocks]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list:
    """What tutor.show was asked to open, in order (the scenario it would open, built as show builds it)."""
    opened: list = []
    monkeypatch.setattr(tutor, "show", lambda root, params=None: opened.append(scenario_of(root, params)))
    monkeypatch.chdir(tmp_path)
    return opened


def test_the_step_through_your_own_code_example(shown: list, capsys: pytest.CaptureFixture) -> None:
    first, nets = python_blocks("## Step through your own code", "## Python API")
    exec(first, {})  # noqa: S102 - our own README
    assert capsys.readouterr().out == "24.7041 138.8338 645.5773\n"
    (scenario,) = shown
    assert list(scenario.inputs) == ["a", "b"]
    written = tutor.load("mine.yaml")
    assert written.nodes == scenario.nodes
    assert tutor.run(written).grad("a") == tutor.run(scenario).grad("a")

    exec(nets, {})  # noqa: S102
    network = infer(shown[1].graph)
    assert network is not None and network.shape == (2, 16, 16, 1)


def test_the_python_api_example(shown: list) -> None:
    (block,) = python_blocks("Your own code, written for micrograd", "## How the code is organized")
    scope: dict = {"tutor": tutor}
    exec(block, scope)  # noqa: S102
    assert scope["w"].grad == pytest.approx(0.5 * (1 - scope["y"].data ** 2))
    assert tutor.loads(scope["text"], name="y.yaml").params == {"w": -1.5}
    assert list(shown[0].params) == ["w"]
