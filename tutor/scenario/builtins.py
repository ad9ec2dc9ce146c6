"""The built-in scenarios: found beside the package, listed, and resolved by name."""

from __future__ import annotations

import difflib
import math
import os
import re
from pathlib import Path

from tutor.scenario.files import NotReadable, read_limited
from tutor.scenario.loader import MAX_BYTES, Scenario, ScenarioError, load
from tutor.scenario.program import program_name


def builtin_dir() -> Path:
    """The folder of built-in scenarios, found beside the package's own files.

    An installed wheel carries them as ``tutor/scenarios``; a source checkout
    keeps them in the top-level ``scenarios/``. Never relative to the
    working directory.
    """
    package = Path(__file__).resolve().parents[1]
    packaged = package / "scenarios"
    if packaged.is_dir():
        return packaged
    return package.parent / "scenarios"


_ORDER = re.compile(r"^order:[ ]*([-+]?[0-9]+(?:\.[0-9]*)?)[ ]*(?:#.*)?$", re.MULTILINE)


def lesson_order(path: Path) -> tuple[float, str]:
    """Sort key: the file's ``order:`` (lesson order), then its name; files without one go last.

    Read with a pattern rather than a full load so listing stays instant; the
    loader validates the same key when the scenario is opened. Anything but a
    regular file (a FIFO would block the read) sorts last, unread.
    """
    try:
        text = read_limited(str(path), MAX_BYTES).decode("utf-8", errors="replace")
    except NotReadable:
        text = ""
    found = _ORDER.search(text)
    return (float(found.group(1)) if found else math.inf, path.stem)


def lesson_files(cwd: Path | None = None) -> list[tuple[str, Path]]:
    """(spec, path) of every built-in and every ``./scenarios/*.yaml``, in one lesson order.

    A local file's ``order:`` places it among the built-ins (``order: 4.5`` comes
    between the 4th and the 5th); on a tie the built-in comes first. A built-in's
    spec is its name, a local file's its path.
    """
    found = [(p.stem, p, 0) for p in builtin_dir().glob("*.yaml")]
    local = (cwd or Path.cwd()) / "scenarios"
    if local.is_dir() and local.resolve() != builtin_dir().resolve():
        found += [(str(p), p, 1) for p in local.glob("*.yaml")]

    def place(entry: tuple[str, Path, int]) -> tuple[float, int, str]:
        order, stem = lesson_order(entry[1])
        return order, entry[2], stem

    return [(spec, path) for spec, path, _ in sorted(found, key=place)]


def builtin_names() -> list[str]:
    """The built-in scenarios' names in lesson order (``order:``), then by name."""
    return [p.stem for p in sorted(builtin_dir().glob("*.yaml"), key=lesson_order)]


def builtin_scenarios() -> list[tuple[str, Scenario | ScenarioError]]:
    """Each built-in's name with its loaded scenario, or the error if it does not load."""
    out: list[tuple[str, Scenario | ScenarioError]] = []
    for name in builtin_names():
        try:
            out.append((name, load(builtin_dir() / f"{name}.yaml")))
        except ScenarioError as error:
            out.append((name, error))
    return out


def resolve(spec: str) -> Scenario:
    """Load ``spec``: a file path, or the name of a built-in scenario."""
    path = Path(spec)
    if path.is_file():
        return load(path)
    candidate = builtin_dir() / f"{spec}.yaml"
    if "/" not in spec and candidate.is_file():
        return load(candidate)
    if os.path.lexists(spec):  # a FIFO, a device, a directory, a broken link: load says which, reading nothing
        return load(path)
    close = difflib.get_close_matches(spec, builtin_names(), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"run `{program_name()} list` for the scenarios"
    raise ScenarioError(spec, 1, 1, "no such file or built-in scenario", hint)
