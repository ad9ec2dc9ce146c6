"""Traces as JSON-ready data and as Rich tables, for the command line.

Both read the same step records the UI shows; numbers in JSON keep full
float precision (non-finite ones become the strings "inf", "-inf", "nan",
since JSON has no such numbers).
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import asdict
from json.encoder import encode_basestring as _encode_str
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.markup import escape

from tutor.engine.analysis import NumericRow, Route, TangentStep, TrainStep, path_sum
from tutor.engine.numbers import fmt
from tutor.report_text import (
    BACKWARD_COLUMNS, BACKWARD_TITLE, FORWARD_COLUMNS, FORWARD_TITLE, SUMMARY_COLUMNS, backward_rows, forward_rows,
    TEXT_ROWS, local_text, summary_rows, summary_title, trace_text,
)
from tutor.scenario import Scenario
from tutor.engine.trace import Trace

if TYPE_CHECKING:  # numpy is imported only by the commands that train on data
    from tutor.engine.batch import Trainer


def number(x: float) -> float | str:
    """A float for JSON: finite numbers as they are, others as text."""
    if math.isfinite(x):
        return x
    return fmt(x)


def _clean(data: Any) -> Any:
    if isinstance(data, float):
        return number(data)
    if isinstance(data, dict):
        return {k: _clean(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_clean(v) for v in data]
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
    """The trace as JSON-ready data; each step carries the scenario's note shown there ("" for none)."""
    forward, backward = trace.forward, trace.backward
    notes = _step_notes(scenario, overrides) if scenario.notes else {}
    steps = [{**_forward_json(forward.fields(k)), "note": notes.get(1 + k, "")} for k in range(len(forward))]
    offset = 1 + len(forward)
    steps += [
        {**_backward_json(backward.fields(k)), "note": notes.get(offset + k, "")} for k in range(len(backward))
    ]
    return {
        **_clean(
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
    from tutor.teach.lesson import EXPANDED, Lesson

    lesson = Lesson(scenario, dict(overrides or {}), EXPANDED)
    return {k: lesson.note_text(k) for k in range(1, len(lesson))}


def extra_json(data: dict[str, Any], tangents: list[TangentStep] | None, routes: list[Route] | None) -> dict[str, Any]:
    if tangents is not None:
        data["forward_mode"] = _clean([asdict(t) for t in tangents])
    if routes is not None:
        data["paths"] = _clean([asdict(p) for p in routes])
        data["paths_sum"] = number(path_sum(routes)[0])
    return data


def train_json(history: list[TrainStep], initial: dict[str, float], initial_loss: float) -> dict[str, Any]:
    params = history[-1].params_after if history else initial
    return train_json_from([s.loss_after for s in history], params, initial, initial_loss)


TRAIN_TABLE_ROWS = 1_000
"""Past this many steps, the loss table shows every k-th step (and the last)."""


def steps_tables(
    name: str, output: str, lr: float, start_loss: float, losses: list[float],
    initial: dict[str, float], final: dict[str, float],
) -> list[Table]:
    """``train --steps``: the loss after each step (every k-th past 1,000, and the last), each param's start and end."""
    every = max(1, -(-len(losses) // TRAIN_TABLE_ROWS))
    title = f"Training {escape(name)}: learning rate {fmt(lr)}" + (f" (every {every:,} steps)" if every > 1 else "")
    table = Table(title=title, title_justify="left")
    table.add_column("step", justify="right")
    table.add_column(output, justify="right", style="cyan")
    table.add_row("0", fmt(start_loss))
    for k, loss in enumerate(losses, 1):
        if k % every == 0 or k == len(losses):
            table.add_row(f"{k:,}" if every > 1 else str(k), fmt(loss))
    params = Table(title="Params", title_justify="left")
    params.add_column("param")
    params.add_column("start", justify="right")
    params.add_column("final", justify="right", style="magenta")
    for param, value in initial.items():
        params.add_row(param, fmt(value), fmt(final[param]))
    return [table, params]


def train_json_from(
    losses: list[float], params: dict[str, float], initial: dict[str, float], initial_loss: float,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """The ``train --json`` object from the losses and the final params alone."""
    data = _clean({"initial_loss": initial_loss, "losses": losses, "params": params, "initial_params": initial})
    data["warnings"] = list(warnings or [])
    return data


def stopped_warning(step: int, loss: float, params: dict[str, float]) -> str:
    """Why ``train --steps`` stops early (the words ``--epochs`` uses), or "" to go on."""
    bad = [name for name, value in params.items() if not math.isfinite(value)]
    if bad:
        return (f"a param is no longer a finite number ({', '.join(bad[:3])}) after step {step}: "
                "training stopped; try a smaller learning rate")
    if not math.isfinite(loss):
        return f"the loss is {loss} after step {step}: training stopped; try a smaller learning rate"
    return ""


# --- Rich tables -----------------------------------------------------------


def keep_numbers_whole(table: Table) -> Table:
    """No cell's word (a number, a name) is ever cut: each column is at least as wide
    as its longest word, and text wraps only between words."""
    for column in table.columns:
        words: list[str] = str(column.header).split()
        for cell in column.cells:
            words.extend(str(cell).split())
        longest = max((len(word) for word in words), default=0)
        column.min_width = max(column.min_width or 0, longest)
        column.overflow = "fold"
    return table


def _rich_table(title: str, columns, styles: dict[str, str]) -> Table:  # noqa: ANN001 - report_text.Columns
    table = Table(title=title, title_justify="left")
    for header, justify in columns:
        table.add_column(header, justify=justify, style=styles.get(header))
    return table


def forward_table(trace: Trace) -> Table:
    table = _rich_table(FORWARD_TITLE, FORWARD_COLUMNS, {"#": "dim", "node": "bold", "value": "cyan"})
    for cells, warning in forward_rows(trace):
        cells = [escape(cell) for cell in cells]
        if warning:
            cells[-1] += f" [yellow]⚠ {escape(warning)}[/]"
        table.add_row(*cells)
    return keep_numbers_whole(table)


def backward_table(trace: Trace) -> Table:
    table = _rich_table(BACKWARD_TITLE, BACKWARD_COLUMNS, {"#": "dim", "node": "bold", "input grad": "magenta"})
    for cells in backward_rows(trace):
        table.add_row(*(escape(cell) for cell in cells))
    return keep_numbers_whole(table)


def summary_table(scenario: Scenario, trace: Trace) -> Table:
    table = _rich_table(summary_title(scenario), SUMMARY_COLUMNS, {"name": "bold", "value": "cyan", "gradient": "magenta"})
    for cells in summary_rows(scenario, trace):
        table.add_row(*(escape(cell) for cell in cells))
    return keep_numbers_whole(table)


def tangent_table(leaf: str, steps: list[TangentStep]) -> Table:
    table = Table(title=f"Forward mode: d(node)/d{leaf}, left to right", title_justify="left")
    table.add_column("node", style="bold")
    table.add_column("sum of local × input tangent")
    table.add_column(f"d node / d {leaf}", justify="right", style="magenta")
    for step in steps:
        terms = " + ".join(f"{fmt(t.local)}×{fmt(t.input_tangent)}" for t in step.terms)
        table.add_row(step.node, terms, fmt(step.tangent))
    return keep_numbers_whole(table)


def paths_table(leaf: str, routes: list[Route]) -> Table:
    table = Table(title=f"Paths from {leaf} to the output", title_justify="left")
    table.add_column("path")
    table.add_column("edge derivatives")
    table.add_column("product", justify="right", style="magenta")
    for route in routes:
        table.add_row(" → ".join(route.nodes), " · ".join(fmt(x) for x in route.locals), fmt(route.product))
    table.add_row("[bold]sum[/]", "", f"[bold]{fmt(path_sum(routes)[0])}[/]")
    return keep_numbers_whole(table)


PATHS_TABLE_LIMIT = 2_000
"""Past this many nodes over all paths, paths print as plain lines (a wrapped table costs ~15 µs a node)."""


def paths_text(leaf: str, routes: list[Route]) -> str:
    """Paths as plain lines, for long listings: product and edge derivatives, then the route."""
    out = [f"Paths from {leaf} to the output ({len(routes):,}): product = edge derivatives, then the path"]
    for route in routes:
        out.append(f"{fmt(route.product)} = {' · '.join(fmt(x) for x in route.locals) or '1'}")
        out.append("    " + " → ".join(route.nodes))
    out.append(f"sum = {fmt(path_sum(routes)[0])}")
    return "\n".join(out) + "\n"


def numeric_table(rows: list[NumericRow]) -> Table:
    table = Table(title="Backprop vs central differences", title_justify="left")
    for column in ("leaf", "backprop", "numeric", "relative error", "step h"):
        table.add_column(column, justify="left" if column == "leaf" else "right")
    for row in rows:
        table.add_row(row.leaf, fmt(row.backprop), fmt(row.numeric), f"{row.relative_error:.1e}", f"{row.step:.0e}")
    return keep_numbers_whole(table)


# --- training on a data set ---------------------------------------------------


def epochs_json(trainer: Trainer, right: int | None = None) -> dict[str, Any]:
    """``train --epochs``: mean losses over all rows before and after each epoch, and the params."""
    data: dict[str, Any] = {
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
    return _clean(data)


def epochs_tables(name: str, output: str, trainer: Trainer, right: int | None = None) -> list[Table | str]:
    """A line on the run, the loss at about ten epochs (first and last too), each param's start and end."""
    batch = min(trainer.batch_size or trainer.table.rows, trainer.table.rows)
    rows = trainer.table.rows
    heading = (
        f"[bold]Training {escape(name)}[/]: {trainer.epochs} epochs over {rows} row{'s' * (rows != 1)} "
        f"in batches of {batch}, learning rate {fmt(trainer.learning_rate)}"
    )
    losses = Table(title="Mean loss", title_justify="left")
    losses.add_column("epoch", justify="right")
    losses.add_column(f"mean {output}", justify="right", style="cyan")
    losses.add_row("0", fmt(trainer.initial_loss))
    count = len(trainer.losses)
    shown = sorted({round(k * count / 10) for k in range(1, 11)} | {1, count}) if count else []
    for epoch in shown:
        if 1 <= epoch <= count:
            losses.add_row(str(epoch), fmt(trainer.losses[epoch - 1]))
    tables: list[Table | str] = [heading, losses]
    params = Table(title="Params" if right is None else f"Params ({right} of {trainer.table.rows} rows right)",
                   title_justify="left")
    params.add_column("param")
    params.add_column("start", justify="right")
    params.add_column("final", justify="right", style="magenta")
    final = trainer.param_values()
    for param, value in trainer.initial_params().items():
        params.add_row(param, fmt(value), fmt(final[param]))
    tables.append(params)
    return tables


# --- warnings after training (on stderr, so stdout stays clean for a pipe) -----------


def steps_rising(scenario: Scenario, initial_loss: float, losses: list[float]) -> str:
    """The warning for a loss that rose during ``train --steps`` ("" when it never did)."""
    before = [initial_loss, *losses[:-1]]
    rises = [k for k, (old, new) in enumerate(zip(before, losses), 1) if new > old]
    if not rises:
        return ""
    return (f"{scenario.output} rose at {len(rises)} of {len(losses)} steps (first at step {rises[0]}): "
            "diverging: try a smaller --lr")


def epochs_rising(scenario: Scenario, trainer) -> str:  # noqa: ANN001 - a Trainer
    """The warning for a mean loss that rose from one epoch to the next ("" when it never did)."""
    losses = [trainer.initial_loss, *trainer.losses]
    rises = [k for k in range(1, len(losses)) if losses[k] > losses[k - 1]]
    if not rises:
        return ""
    return (f"mean {scenario.output} rose at {len(rises)} of {len(losses) - 1} epochs (first at epoch {rises[0]}): "
            "diverging: try a smaller --lr")


def train_warnings(scenario: Scenario, initial_loss: float, losses: list[float], default_steps: bool) -> None:
    """On stderr, so stdout stays clean for a pipe: a rising loss, and how many steps ran by default."""
    if rising := steps_rising(scenario, initial_loss, losses):
        print(f"tutor: warning: {rising}", file=sys.stderr)
    if default_steps:
        print("ran 1 step (the default); use --steps N for more, e.g. --steps 100", file=sys.stderr)


def epoch_warnings(scenario: Scenario, trainer, default_epochs: bool) -> None:  # noqa: ANN001 - a Trainer
    """On stderr: a mean loss that rose from one epoch to the next, and how many epochs ran by default."""
    if rising := epochs_rising(scenario, trainer):
        print(f"tutor: warning: {rising}", file=sys.stderr)
    if default_epochs:
        print("ran 1 epoch (the default); use --epochs N for more, e.g. --epochs 200", file=sys.stderr)
