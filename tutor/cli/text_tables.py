"""The trace tables' rows, shared by the Rich tables (``tables``) and plain text for big graphs.

Rich lays out a table by measuring every cell several times: about 1.5 ms a
row, so the tables of a 50,000-node file took over a minute. From
``TEXT_ROWS`` rows on, ``trace`` prints the same rows as plain aligned text
(no frame, no colour), which takes a few microseconds a row.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len

from tutor.engine.numbers import fmt as _fmt
from tutor.engine.ops import title as op_title
from tutor.engine.trace import Trace
from tutor.i18n import N_, _
from tutor.scenario import Scenario
from tutor.teach import engine_words

TEXT_ROWS = 2_000
"""Tables with more rows than this print as plain text."""

fmt = lru_cache(maxsize=8192)(_fmt)
"""The panel's number format, remembered: a big graph's tables repeat the same gradients (1, 0) often."""

Columns = tuple[tuple[str, str], ...]
"""(header, ``left`` or ``right``) per column; headers are marked for translation and translated where shown."""

FORWARD_TITLE = N_("Forward pass (left to right)")
FORWARD_COLUMNS: Columns = (
    ("#", "right"), (N_("node"), "left"), (N_("op"), "left"), (N_("computes"), "left"), (N_("value"), "right"),
)
BACKWARD_TITLE = N_("Backward pass (right to left)")
BACKWARD_COLUMNS: Columns = (
    ("#", "right"), (N_("node"), "left"), (N_("upstream"), "right"), (N_("to input"), "left"),
    (N_("local derivative"), "left"), (N_("upstream × local"), "right"), (N_("input grad"), "right"),
)
SUMMARY_COLUMNS: Columns = (
    (N_("name"), "left"), (N_("kind"), "left"), (N_("value"), "right"), (N_("gradient"), "right"),
)
KINDS = {"input": N_("input"), "param": N_("param"), "const": N_("const"), "node": N_("node")}
"""The summary's kinds, as the scenario names them."""


def summary_title(scenario: Scenario) -> str:
    return _("Every value and its gradient ∂{output}/∂name").format(output=scenario.output)


def local_text(formula: str, value: float) -> str:
    """``tax = 1.1``, or just ``1`` when the formula is the number itself."""
    shown = fmt(value)
    return shown if formula == shown else f"{formula} = {shown}"


def forward_rows(trace: Trace) -> list[tuple[list[str], str]]:
    """(cells, warning) per forward step."""
    is_constant = trace.graph.is_constant
    rows = []
    for k, step in enumerate(trace.forward, 1):
        inputs = ", ".join(f"{n}={fmt(v)}" for n, v in zip(step.inputs, step.input_values) if not is_constant(n))
        computes = f"{step.expression}  ({inputs})" if inputs else step.expression
        rows.append(([str(k), step.node, _(op_title(step.op)), computes, fmt(step.value)],
                     engine_words.shown(step.warning)))
    return rows


def backward_rows(trace: Trace) -> list[list[str]]:
    """One row per edge of each backward step (the step's number, node and upstream on its first)."""
    is_constant = trace.graph.is_constant
    rows = []
    for k, step in enumerate(trace.backward, 1):
        edges = [e for e in step.edges if not is_constant(e.input)]
        for j, edge in enumerate(edges):
            first = j == 0
            rows.append([
                str(k) if first else "", step.node if first else "", fmt(step.upstream) if first else "",
                edge.input, local_text(edge.local_formula, edge.local), fmt(edge.contribution),
                f"{fmt(edge.grad_before)} → {fmt(edge.grad_after)}",
            ])
    return rows


def summary_rows(scenario: Scenario, trace: Trace) -> list[list[str]]:
    rows = []
    for name in scenario.named:
        node = scenario.graph.node(name)
        kind = node.kind if node.kind != "op" else "node"
        rows.append([name, _(KINDS.get(kind, kind)), fmt(trace.value(name)), fmt(trace.grad(name))])
    return rows


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def text_table(title: str, columns: Columns, rows: list[list[str]]) -> str:
    """``rows`` under ``title`` as aligned plain text: two spaces between columns, a rule under the headers."""
    sizes = [[_cells(cell) for cell in row] for row in rows]
    widths = [max([_cells(_(header)), *(size[i] for size in sizes)]) for i, (header, _justify) in enumerate(columns)]
    right = [justify == "right" for _header, justify in columns]

    def line(cells: list[str], size: list[int]) -> str:
        return "  ".join(
            " " * (w - n) + cell if r else cell + " " * (w - n) for cell, n, w, r in zip(cells, size, widths, right)
        ).rstrip()

    headers = [_(h) for h, _justify in columns]
    body = [_(title), line(headers, [_cells(h) for h in headers]), "  ".join("─" * w for w in widths)]
    body += [line(row, size) for row, size in zip(rows, sizes)]
    return "\n".join(body) + "\n"


def trace_text(scenario: Scenario, trace: Trace) -> str:
    """The forward, backward and summary tables of ``trace`` as plain text."""
    forward = [cells[:-1] + [cells[-1] + (f"  ⚠ {warning}" if warning else "")] for cells, warning in forward_rows(trace)]
    return "\n".join([
        text_table(FORWARD_TITLE, FORWARD_COLUMNS, forward),
        text_table(BACKWARD_TITLE, BACKWARD_COLUMNS, backward_rows(trace)),
        text_table(summary_title(scenario), SUMMARY_COLUMNS, summary_rows(scenario, trace)),
    ])
