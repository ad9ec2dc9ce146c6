"""The package's shape: layers import only the layers above them, and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tutor"
LAYERS = ["engine", "scenario", "teach", "draw", "ui"]
"""Top to bottom: each may import the ones before it, never the ones after."""
MAX_LINES = 500


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_layers_import_only_the_layers_above(layer: str) -> None:
    below = {f"tutor.{name}" for name in LAYERS[LAYERS.index(layer) + 1 :]}
    for path in (PACKAGE / layer).rglob("*.py"):
        for name in imported(path):
            assert not any(name == b or name.startswith(b + ".") for b in below), (path.name, name)
            if layer != "ui":
                assert name.split(".")[0] != "textual", (path.name, name)


def test_the_check_sees_imports() -> None:
    assert "tutor.teach.modes" in imported(PACKAGE / "ui" / "screens" / "lesson_screen.py")


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_500_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines: split it by job"
