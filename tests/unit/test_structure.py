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


FORBIDDEN = {
    "engine": {"yaml", "rich", "textual"},
    "scenario": {"rich", "textual"},
    "teach": {"yaml", "rich", "textual"},
    "draw": {"yaml", "textual"},
}
"""Outside libraries each layer must not import: numbers in, numbers out; words as plain data."""


def imported(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """Every module ``path`` imports, anywhere in it (relative imports resolved from ``root``)."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add(node.module or "")
                continue
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            names.add(".".join(base + ([node.module] if node.module else [])))
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_layers_import_only_the_layers_above(layer: str) -> None:
    below = {f"tutor.{name}" for name in LAYERS[LAYERS.index(layer) + 1 :]}
    for path in (PACKAGE / layer).rglob("*.py"):
        for name in imported(path):
            assert not any(name == b or name.startswith(b + ".") for b in below), (path.name, name)
            assert name.split(".")[0] not in FORBIDDEN.get(layer, set()), (path.name, name)


def test_the_check_sees_imports(tmp_path: Path) -> None:
    assert "tutor.teach.modes" in imported(PACKAGE / "ui" / "screens" / "lesson_screen.py")
    assert "tutor.teach.modes.base" in imported(PACKAGE / "teach" / "modes" / "step.py")
    fake = tmp_path / "tutor" / "teach" / "modes" / "fake.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ..lesson import Lesson\nfrom . import base\ndef f():\n    import rich\n", encoding="utf-8")
    assert imported(fake, tmp_path) == {"tutor.teach.lesson", "tutor.teach.modes", "rich"}


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_500_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines: split it by job"
