"""Every built-in scenario passes the JSON Schema that ``tutor schema`` prints.

A small validator of the draft-07 keywords the schema uses, so the test
needs no extra dependency.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tutor.scenario import builtin_names
from tutor.scenario.builtins import builtin_dir
from tutor.scenario.schema import schema

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
}


def problems(value, rule: dict, where: str = "") -> list[str]:
    out: list[str] = []
    if "type" in rule:
        kinds = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
        if not any(TYPES[k](value) for k in kinds):
            return [f"{where or '/'}: {value!r} is not {rule['type']}"]
    if "enum" in rule and value not in rule["enum"]:
        out.append(f"{where}: {value!r} not in {rule['enum']}")
    if "oneOf" in rule:
        passing = [r for r in rule["oneOf"] if not problems(value, r, where)]
        if len(passing) != 1:
            out.append(f"{where}: matches {len(passing)} of oneOf")
    if "pattern" in rule and isinstance(value, str) and not re.search(rule["pattern"], value):
        out.append(f"{where}: {value!r} does not match {rule['pattern']}")
    if "minimum" in rule and value < rule["minimum"]:
        out.append(f"{where}: {value} below {rule['minimum']}")
    if "exclusiveMinimum" in rule and value <= rule["exclusiveMinimum"]:
        out.append(f"{where}: {value} not above {rule['exclusiveMinimum']}")
    if isinstance(value, list):
        if len(value) < rule.get("minItems", 0):
            out.append(f"{where}: fewer than {rule['minItems']} items")
        for k, item in enumerate(value):
            out += problems(item, rule.get("items", {}), f"{where}/{k}")
    if isinstance(value, dict):
        if len(value) < rule.get("minProperties", 0):
            out.append(f"{where}: fewer than {rule['minProperties']} properties")
        out += [f"{where}: missing {key}" for key in rule.get("required", []) if key not in value]
        names = rule.get("propertyNames")
        for key, item in value.items():
            if names:
                out += problems(str(key), names, f"{where}/{key} (name)")
            if key in rule.get("properties", {}):
                out += problems(item, rule["properties"][key], f"{where}/{key}")
            elif rule.get("additionalProperties") is False:
                out.append(f"{where}: {key!r} is not allowed")
            elif isinstance(rule.get("additionalProperties"), dict):
                out += problems(item, rule["additionalProperties"], f"{where}/{key}")
    return out


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_scenario_passes_the_schema(name):
    data = yaml.safe_load((builtin_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    assert problems(data, schema()) == []


def test_the_validator_catches_an_unknown_key():
    assert problems({"nodes": {"y": "1"}, "output": "y", "colour": 1}, schema())


def test_the_schema_has_a_real_identifier():
    """``$id`` is a URI that names this schema without a host that would have to serve it."""
    import uuid

    identifier = schema()["$id"]
    assert identifier.startswith("urn:uuid:") and "example" not in identifier
    assert str(uuid.UUID(identifier.removeprefix("urn:uuid:"))) == identifier.removeprefix("urn:uuid:")
    assert schema()["$id"] == identifier
