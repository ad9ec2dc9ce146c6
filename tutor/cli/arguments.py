"""Command-line values the commands share (``--set NAME=VALUE``, ``--row K``) and the error a bad one raises.

A bad value is a ``UsageError``: ``main`` prints it as one line,
``tutor: error: ...``, and exits with status 2 (a scenario problem is a
``ScenarioError`` instead, status 1).
"""

from __future__ import annotations

from tutor.engine.numbers import NumberTextError, parse_decimal
from tutor.i18n import _
from tutor.scenario import Scenario


class UsageError(Exception):
    """A bad command-line value (not a scenario problem)."""


def overrides(scenario: Scenario, pairs: list[str]) -> dict[str, float]:
    """The ``--set NAME=VALUE`` pairs as input or param values by name."""
    values: dict[str, float] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep:
            raise UsageError(_("--set expects NAME=VALUE, got {pair}").format(pair=repr(pair)))
        if name not in scenario.leaves:
            raise UsageError(_("--set: {name} is not an input or param of {scenario}").format(
                name=repr(name), scenario=scenario.name))
        try:
            value = parse_decimal(text)
        except NumberTextError as problem:
            if problem.problem in ("is not a number", "must be a finite number"):
                raise UsageError(_("--set: {text} is not a finite number").format(text=repr(text))) from None
            raise UsageError(f"--set: {name}={text}: {problem.problem}; {problem.hint}") from None
        values[name] = value
    return values


def checked_row(scenario: Scenario, k: int | None) -> int | None:
    """``--row k`` (1-based) when the scenario's data has that row (None without --row)."""
    if k is None:
        return None
    if scenario.data is None:
        raise UsageError(_("--row: {scenario} has no data: section").format(scenario=scenario.name))
    if not 1 <= k <= len(scenario.data):
        raise UsageError(_("--row must be between 1 and {rows} (the rows of {scenario})").format(
            rows=len(scenario.data), scenario=scenario.name))
    return k


def row_values(scenario: Scenario, k: int | None) -> dict[str, float]:
    """The input values of data row ``k`` (1-based), or nothing without --row."""
    return {} if checked_row(scenario, k) is None else scenario.data.row(k)
