"""Property tests: whatever the text or bytes, the loader gives a valid scenario
or one positioned, printable, one-line ScenarioError, never another exception
and never runs code; and every valid scenario runs through every mode.

Fixed seed (``derandomize``), no example database, a bounded number of
examples per property: the same inputs on every run, about 20 s in all.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scenario_gen import (
    ANY_TEXT,
    DEEP,
    HOSTILE_EXPRESSIONS,
    SENTINEL,
    mutated_builtins,
    mutated_bytes,
    networks,
    scenarios,
)

from tutor.cli import json_output as report
from tutor.engine import analysis
from tutor.engine.trace import run
from tutor.scenario import Scenario, ScenarioError, loads

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=250,
    suppress_health_check=list(HealthCheck),
)


def lines_of(source: str | bytes) -> list[str]:
    """The file's lines as an editor shows them: split at \\n only, nothing after the last newline."""
    data = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    lines = data.split(b"\n")
    if len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return [line.decode("utf-8", errors="replace").removesuffix("\r") for line in lines]


def check_error(err: ScenarioError, source: str | bytes) -> None:
    lines = lines_of(source)
    assert 1 <= err.line <= len(lines), (err.line, len(lines), str(err))
    assert 1 <= err.col <= len(lines[err.line - 1]) + 1, (err.col, lines[err.line - 1], str(err))
    for text in (str(err), err.message, err.hint):
        assert text.isprintable(), repr(text)  # one line: no \n, no escape sequence, no bidi control
        text.encode("utf-8")  # no lone surrogate: it prints on any terminal
    assert str(err).startswith(f"fuzz.yaml:{err.line}:{err.col}: error: ")
    assert len(err.message) < 500, err.message


def load_or_error(source: str | bytes) -> Scenario | None:
    """The scenario, or None after checking the error; any other exception fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a SyntaxWarning on stderr is a failure too
        try:
            return loads(source, "fuzz.yaml")
        except ScenarioError as err:
            check_error(err, source)
            return None


def exercise(scenario: Scenario) -> None:
    """Trace, group view, forward mode and paths for a few leaves, numeric check, a training step, JSON."""
    graph = scenario.graph
    trace = run(graph)
    analysis.group_trace(graph, trace)
    for leaf in list(scenario.leaves)[:3]:
        steps = analysis.forward_mode(graph, trace, leaf)
        assert all(s.warning == "" for s in steps if math.isfinite(s.tangent))
        try:
            routes = analysis.paths(graph, trace, leaf, limit=200)
        except analysis.TooManyPaths as exc:
            assert exc.count > 200
        else:
            analysis.path_sum(routes)
            report.extra_json({}, steps, routes)
    analysis.numeric_check(graph, trace)
    if graph.params:
        analysis.train_step(graph, {}, scenario.learning_rate, trace)
    json.dumps(report.trace_json(scenario, trace), allow_nan=False)


@pytest.fixture(autouse=True)
def no_code_runs(tmp_path, monkeypatch):
    """Run from an empty folder; fail if anything in a scenario created the sentinel file."""
    monkeypatch.chdir(tmp_path)
    yield
    assert not Path(SENTINEL).exists(), "a scenario ran code"


@settings(FUZZ, max_examples=500)
@given(scenarios())
def test_generated_scenarios_load_or_fail_cleanly_and_run_every_mode(text: str) -> None:
    scenario = load_or_error(text)
    event("valid" if scenario is not None else "refused")
    if scenario is not None:
        exercise(scenario)


@settings(FUZZ, max_examples=300)
@given(mutated_builtins())
def test_mutated_builtins_load_or_fail_cleanly(text: str) -> None:
    scenario = load_or_error(text)
    event("valid" if scenario is not None else "refused")
    if scenario is not None and len(scenario.graph) < 2_000:
        exercise(scenario)


@settings(FUZZ, max_examples=300)
@given(mutated_bytes())
def test_mutated_bytes_load_or_fail_cleanly(data: bytes) -> None:
    load_or_error(data)


@settings(FUZZ, max_examples=150)
@given(ANY_TEXT)
def test_any_unicode_text_loads_or_fails_cleanly(text: str) -> None:
    load_or_error(text)
    load_or_error("nodes:\n  y: " + text + "\noutput: y\n")
    load_or_error(f'title: "{text}"\nnodes:\n  y: 1\noutput: y\n')


@settings(FUZZ, max_examples=60)
@given(DEEP)
def test_deep_nesting_fails_cleanly(text: str) -> None:
    load_or_error(text)


@settings(FUZZ, max_examples=40)
@given(HOSTILE_EXPRESSIONS, st.sampled_from(["plain", "quoted"]))
def test_hostile_expressions_never_run(expression: str, style: str) -> None:
    value = expression if style == "plain" else json.dumps(expression)
    load_or_error("inputs:\n  x: 1\nnodes:\n  y: " + value + "\noutput: y\n")


def test_python_tags_and_hostile_expressions_run_nothing() -> None:
    for text in (
        f"!!python/object/apply:os.system ['touch {SENTINEL}']\n",
        f"nodes:\n  y: !!python/object/apply:os.system ['touch {SENTINEL}']\noutput: y\n",
        f"nodes:\n  y: __import__('os').system('touch {SENTINEL}')\noutput: y\n",
        f"title: !!python/name:os.system\nnodes:\n  y: 1\noutput: y\n",
    ):
        assert load_or_error(text) is None
    assert not os.path.exists(SENTINEL)


@settings(FUZZ, max_examples=40)
@given(networks())
def test_generated_networks_load_and_train_without_a_stray_warning(text: str) -> None:
    """Wide layers (a neuron of 200+ inputs) and numbers that overflow: a net or one error, and
    training on its data warns in words (trainer.warning), never with a numpy warning on stderr."""
    from tutor.teach.training import data_trainer

    scenario = load_or_error(text)
    event("valid" if scenario is not None else "refused")
    if scenario is None:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = run(scenario.graph)
        json.dumps(report.trace_json(scenario, trace), allow_nan=False)
        trainer = data_trainer(scenario)
        for _ in range(2):
            if not trainer.stopped:
                trainer.epoch()
