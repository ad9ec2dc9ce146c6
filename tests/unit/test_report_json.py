"""trace --json's steps are exactly the step records, field for field (as dataclasses.asdict gives them)."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from tutor.cli import json_output as report
from tutor.engine.trace import run
from tutor.scenario import builtin_names, loads, resolve
from tutor.teach.lesson import EXPANDED, Lesson

from test_trace_records import TROUBLE


def reference(scenario, trace):
    # Each step also carries the note the expanded lesson shows at it ("" for none).
    lesson = Lesson(scenario, view=EXPANDED)
    steps = [{"phase": "forward", **asdict(s), "note": lesson.note_text(k)} for k, s in enumerate(trace.forward, 1)]
    offset = 1 + len(trace.forward)
    steps += [
        {"phase": "backward", **asdict(s), "note": lesson.note_text(k)} for k, s in enumerate(trace.backward, offset)
    ]
    return report.clean(
        {
            "format_version": report.FORMAT_VERSION,
            "scenario": scenario.name,
            "title": scenario.title,
            "output": scenario.output,
            "output_value": trace.output_value,
            "values": report.named_values(scenario, trace.values),
            "grads": report.named_values(scenario, trace.grads),
            "steps": steps,
            "warnings": trace.warnings,
        }
    )


@pytest.mark.parametrize("source", [*builtin_names(), *TROUBLE])
def test_trace_json_is_the_records(source):
    scenario = resolve(source) if source in builtin_names() else loads(source)
    trace = run(scenario.graph)
    got = json.dumps(report.trace_json(scenario, trace), ensure_ascii=False, indent=2, allow_nan=False)
    expected = json.dumps(reference(scenario, trace), ensure_ascii=False, indent=2, allow_nan=False)
    assert got == expected


def random_data(rng, depth=0):
    kinds = ["str", "float", "int", "bool", "none"] + (["dict", "list", "tuple"] if depth < 4 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        return rng.choice(["", "a", "n1.mul2", "∂x/∂y", "tab\there", 'quote"s', "back\\slash", "日本", "\x01\n"])
    if kind == "float":
        return rng.choice([0.0, -0.0, 1.5, 1e-300, 1e300, -2.5e-7, 0.1 + 0.2, 123456789.0])
    if kind == "int":
        return rng.choice([0, -1, 7, 10**20])
    if kind == "bool":
        return rng.choice([True, False])
    if kind == "none":
        return None
    items = [random_data(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    if kind == "dict":
        return {f"k{i}{rng.choice(['', 'é', ' '])}": v for i, v in enumerate(items)}
    return items if kind == "list" else tuple(items)


def test_dumps_writes_what_json_dumps_writes():
    import random

    rng = random.Random(11)
    for _ in range(2000):
        data = random_data(rng)
        assert report.dumps(data) == json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def test_dumps_refuses_non_finite_numbers_as_json_does():
    for bad in (float("nan"), float("inf"), [1.0, float("-inf")], {"a": float("nan")}):
        with pytest.raises(ValueError):
            report.dumps(bad)
