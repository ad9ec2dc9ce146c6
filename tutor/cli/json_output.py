"""The JSON that ``trace --json`` and ``train --json`` print.

Both read the same step records the UI shows; numbers keep full float
precision (non-finite ones become the strings "inf", "-inf", "nan", since
JSON has no such numbers). Every object starts with ``format_version``.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from json.encoder import encode_basestring as _encode_str
from typing import TYPE_CHECKING, Any

from tutor.engine.analysis import Route, TangentStep, path_sum
from tutor.engine.numbers import fmt
from tutor.engine.trace import Trace
from tutor.scenario import Scenario

if TYPE_CHECKING:  # numpy is imported only by the commands that train on data
    from tutor.engine.batch import Trainer

FORMAT_VERSION = 1
"""The ``format_version`` of every JSON object: raised when a field changes meaning or goes away
(never for a new field), so that a script can tell its reading still holds."""


def number(x: float) -> float | str:
    """A float for JSON: finite numbers as they are, others as text."""
    if math.isfinite(x):
        return x
    return fmt(x)


def clean(data: Any) -> Any:
    """``data`` with every float made JSON-ready by ``number``."""
    if isinstance(data, float):
        return number(data)
    if isinstance(data, dict):
        return {k: clean(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [clean(v) for v in data]
    return data


def dumps(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)``, character for character, faster.

    The standard library writes indented JSON with its pure-Python encoder;
    a big trace is tens of megabytes of it. This writer handles the types the
    reports hold (dicts with string keys, lists and tuples, strings, floats,
    ints, bools, None) and hands anything else to ``json.dumps``.
    """
    parts: list[str] = []
    _write(data, 0, parts.append)
    return "".join(parts)


def _scalar(o: Any) -> str | None:
    """A string, float, int, bool or None as JSON; None for anything else."""
    t = type(o)
    if t is str:
        return _encode_str(o)
    if t is float:
        if o - o != 0.0:  # inf or nan
            raise ValueError("Out of range float values are not JSON compliant")
        return float.__repr__(o)
    if t is int:
        return int.__repr__(o)
    if o is True:
        return "true"
    if o is False:
        return "false"
    if o is None:
        return "null"
    return None


def _write(o: Any, level: int, put) -> None:  # noqa: ANN001 - list.append
    text = _scalar(o)
    if text is not None:
        put(text)
        return
    t = type(o)
    encode = _encode_str
    if t is dict and all(type(key) is str for key in o):
        if not o:
            put("{}")
            return
        inner = "\n" + "  " * (level + 1)
        sep = "{" + inner
        for key, value in o.items():
            vt = type(value)
            if vt is str:
                put(sep + encode(key) + ": " + encode(value))
            elif vt is float and value - value == 0.0:
                put(sep + encode(key) + ": " + float.__repr__(value))
            elif vt is int:
                put(sep + encode(key) + ": " + int.__repr__(value))
            else:
                put(sep + encode(key) + ": ")
                _write(value, level + 1, put)
            sep = "," + inner
        put("\n" + "  " * level + "}")
    elif t is list or t is tuple:
        if not o:
            put("[]")
            return
        inner = "\n" + "  " * (level + 1)
        sep = "[" + inner
        for value in o:
            vt = type(value)
            if vt is str:
                put(sep + encode(value))
            elif vt is float and value - value == 0.0:
                put(sep + float.__repr__(value))
            else:
                put(sep)
                _write(value, level + 1, put)
            sep = "," + inner
        put("\n" + "  " * level + "]")
    else:
        # subclasses and other types: the standard library's own rules, indented to this level
        text = json.dumps(o, ensure_ascii=False, indent=2, allow_nan=False)
        put(text.replace("\n", "\n" + "  " * level))


def named_values(scenario: Scenario, numbers: tuple[float, ...]) -> dict[str, float]:
    """Every input, param and named node mapped to its entry in ``numbers``."""
    return {name: numbers[scenario.graph.index[name]] for name in scenario.named}


def _forward_json(fields: tuple) -> dict[str, Any]:
    """A forward step as ``asdict`` gives it, numbers cleaned, from the step's fields (a trace has many)."""
    node, op, inputs, input_values, value, expression, warning = fields
    return {
        "phase": "forward",
        "node": node,
        "op": op,
        "inputs": list(inputs),
        "input_values": [number(v) for v in input_values],
        "value": number(value),
        "expression": expression,
        "warning": warning,
    }


def _backward_json(fields: tuple) -> dict[str, Any]:
    node, op, upstream, edges, warning = fields
    return {
        "phase": "backward",
        "node": node,
        "op": op,
        "upstream": number(upstream),
        "edges": [
            {
                "input": name,
                "position": position,
                "local_formula": formula,
                "local": number(local),
                "contribution": number(contribution),
                "grad_before": number(before),
                "grad_after": number(after),
            }
            for name, position, formula, local, contribution, before, after in edges
        ],
        "warning": warning,
    }


def trace_json(scenario: Scenario, trace: Trace, overrides: dict[str, float] | None = None) -> dict[str, Any]:
    """``trace --json``: the trace as JSON-ready data; each step carries the scenario's note shown there ("" for none)."""
    forward, backward = trace.forward, trace.backward
    notes = _step_notes(scenario, overrides) if scenario.notes else {}
    steps = [{**_forward_json(forward.fields(k)), "note": notes.get(1 + k, "")} for k in range(len(forward))]
    offset = 1 + len(forward)
    steps += [
        {**_backward_json(backward.fields(k)), "note": notes.get(offset + k, "")} for k in range(len(backward))
    ]
    return {
        "format_version": FORMAT_VERSION,
        **clean(
            {
                "scenario": scenario.name,
                "title": scenario.title,
                "output": scenario.output,
                "output_value": trace.output_value,
                "values": named_values(scenario, trace.values),
                "grads": named_values(scenario, trace.grads),
            }
        ),
        "steps": steps,
        "warnings": list(trace.warnings),
    }


def _step_notes(scenario: Scenario, overrides: dict[str, float] | None) -> dict[int, str]:
    """Position k (1-based, forward then backward, as in the expanded lesson) -> the rendered notes there."""
    from tutor.teach.lesson import EXPANDED, Lesson  # only for a scenario with notes: a big trace has none

    lesson = Lesson(scenario, dict(overrides or {}), EXPANDED)
    return {k: lesson.note_text(k) for k in range(1, len(lesson))}


def extra_json(data: dict[str, Any], tangents: list[TangentStep] | None, routes: list[Route] | None) -> dict[str, Any]:
    """``trace --mode forward`` and ``--mode paths`` add their tangents or paths to the trace's object."""
    if tangents is not None:
        data["forward_mode"] = clean([asdict(t) for t in tangents])
    if routes is not None:
        data["paths"] = clean([asdict(p) for p in routes])
        data["paths_sum"] = number(path_sum(routes)[0])
    return data


def steps_json(
    losses: list[float], params: dict[str, float], initial: dict[str, float], initial_loss: float,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """``train --steps --json``: the losses, the final and the initial params."""
    data = clean({"initial_loss": initial_loss, "losses": losses, "params": params, "initial_params": initial})
    data["warnings"] = list(warnings or [])
    return {"format_version": FORMAT_VERSION, **data}


def epochs_json(trainer: Trainer, right: int | None = None) -> dict[str, Any]:
    """``train --epochs --json``: mean losses over all rows before and after each epoch, and the params."""
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "initial_loss": trainer.initial_loss,
        "losses": list(trainer.losses),
        "params": trainer.param_values(),
        "initial_params": trainer.initial_params(),
        "epochs": trainer.epochs,
        "steps": trainer.steps,
        "learning_rate": trainer.learning_rate,
        "batch_size": trainer.batch_size or trainer.table.rows,
        "rows": trainer.table.rows,
        "warnings": [trainer.warning] if trainer.warning else [],
    }
    if right is not None:
        data["rows_right"] = right
        data["accuracy"] = right / trainer.table.rows  # a classifier's share of rows right, 0 to 1
    return clean(data)
