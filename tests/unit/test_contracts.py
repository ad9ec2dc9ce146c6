"""The package's shape: the import contracts declared in pyproject.toml hold.

The contracts (layers, no import cycle at any depth counting imports inside
functions, the core never importing Textual, plain data without YAML or Rich)
are checked by import-linter's ``lint-imports``, which reads them from
``[tool.importlinter]``.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_every_import_contract_is_kept() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_every_part_of_the_package_is_in_a_layer() -> None:
    """A new package or top-level module is placed among the layers (or named here as outside them)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    outside = {"tutor.__main__", "tutor.settings", "tutor.nn"}  # the entry point; the UI's settings; the Python API
    parts = {f"tutor.{p.stem}" for p in (ROOT / "tutor").iterdir()
             if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").exists())}
    assert parts - outside <= placed, sorted(parts - outside - placed)


def test_the_contracts_are_able_to_fail(tmp_path: Path) -> None:
    """A package with a cycle through an import inside a function, and a core module importing Textual."""
    package = tmp_path / "tutor"
    (package / "engine").mkdir(parents=True)
    (package / "ui").mkdir()
    for folder in (package, package / "engine", package / "ui"):
        (folder / "__init__.py").write_text("", encoding="utf-8")
    (package / "engine" / "a.py").write_text("def f():\n    from tutor.engine import b\n", encoding="utf-8")
    (package / "engine" / "b.py").write_text("from tutor.engine import a\nimport textual\n", encoding="utf-8")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = tutor\ninclude_external_packages = True\n\n"
        "[importlinter:contract:cycles]\nname = cycles\ntype = acyclic_siblings\nancestors = tutor\n\n"
        "[importlinter:contract:core]\nname = core\ntype = forbidden\nsource_modules = tutor.engine\n"
        "forbidden_modules = textual\n",
        encoding="utf-8",
    )
    result = subprocess.run([str(LINT), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert result.returncode != 0
    assert "cycles BROKEN" in result.stdout and "core BROKEN" in result.stdout, result.stdout
