"""The scenario file format: YAML in, a validated ``Scenario`` out.

Every problem is a ``ScenarioError`` with FILE:LINE:COL. The loader lives in
``loader``, the built-in scenarios in ``builtins``, the JSON Schema in
``schema`` and the commented starter file in ``starter``.
"""

from tutor.scenario.builtins import builtin_dir, builtin_names, builtin_scenarios, resolve
from tutor.scenario.loader import MAX_BYTES, MAX_NODES, Scenario, ScenarioError, load, loads

__all__ = [
    "MAX_BYTES", "MAX_NODES", "Scenario", "ScenarioError", "builtin_dir", "builtin_names",
    "builtin_scenarios", "load", "loads", "resolve",
]
