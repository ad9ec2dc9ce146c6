"""The commands' tables, as Rich draws them: the trace's steps, modes and training runs.

No number or name in a cell is ever cut: each column is at least as wide as
its longest word, and text wraps only between words. A table is laid out to
the console's width (80 columns when the output is piped, or ``COLUMNS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from tutor.cli.text_tables import (
    BACKWARD_COLUMNS, BACKWARD_TITLE, FORWARD_COLUMNS, FORWARD_TITLE, SUMMARY_COLUMNS, Columns, backward_rows,
    forward_rows, summary_rows, summary_title,
)
from tutor.engine.analysis import Route, TangentStep, path_sum
from tutor.engine.numbers import fmt
from tutor.engine.trace import Trace
from tutor.i18n import _, ngettext
from tutor.scenario import Scenario

if TYPE_CHECKING:  # numpy is imported only by the commands that train on data
    from tutor.engine.batch import Trainer


def keep_numbers_whole(table: Table) -> Table:
    """No cell's word (a number, a name) is ever cut: each column is at least as wide
    as its longest word, and text wraps only between words."""
    for column in table.columns:
        words: list[str] = str(column.header).split()
        for cell in column.cells:
            text = str(cell)
            words.extend((Text.from_markup(text).plain if "[" in text else text).split())
        longest = max((cell_len(word) for word in words), default=0)
        column.min_width = max(column.min_width or 0, longest)
        column.overflow = "fold"
    return table


def within_width(table: Table, console: Console) -> Table:
    """Lay ``table`` out for ``console``'s width, every word whole: each column gets its longest word
    and a share of the room left, in proportion to what it would need more.

    Rich narrows the widest columns first and then widens any below its
    ``min_width`` again, which left tables a few columns wider than a pipe's
    80. When even the longest words do not fit inside the frame, the table
    drops its frame: a rule under the headers and two spaces between columns
    (as the plain-text tables have), or one when two are still too many; only
    a table whose words need more than that runs wider than the console.
    """
    options = console.options
    wanted, least = [], []
    for column in table.columns:
        sizes = [Measurement.get(console, options, cell) for cell in (column.header, *column.cells)]
        least.append(max([column.min_width or 0, *(size.minimum for size in sizes)]))
        wanted.append(max([least[-1], *(size.maximum for size in sizes)]))
    count = len(table.columns)
    framed = count + 1 + 2 * count  # a line before each column and after the last, a space each side of a cell
    if sum(wanted) <= options.max_width - framed:
        return table
    for gap in (None, 2, 1):
        room = options.max_width - (framed if gap is None else gap * (count - 1))
        if gap is not None:
            table.box, table.show_edge, table.pad_edge = box.SIMPLE_HEAD, False, False
            table.padding = (0, gap - 1, 0, 0)  # the divider between columns is a space of its own
        if sum(least) <= room:
            break
    else:
        return table  # wider than the console only where a word needs it (each column at its min_width)
    spare = room - sum(least)
    extra = [w - m for w, m in zip(wanted, least)]
    for column, width, more in zip(table.columns, least, extra):
        column.width = min(width + spare * more // max(sum(extra), 1), width + more)
    return table


def show(console: Console, table: Table) -> None:
    """Print a table of whole words laid out to the console's width."""
    console.print(within_width(table, console), crop=False)


def _rich_table(title: str, columns: Columns, styles: dict[str, str]) -> Table:
    table = Table(title=_(title), title_justify="left")
    for header, justify in columns:
        table.add_column(_(header), justify=justify, style=styles.get(header))
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
    table = Table(title=_("Forward mode: d(node)/d{leaf}, left to right").format(leaf=leaf), title_justify="left")
    table.add_column(_("node"), style="bold")
    table.add_column(_("sum of local × input tangent"))
    table.add_column(_("d node / d {leaf}").format(leaf=leaf), justify="right", style="magenta")
    for step in steps:
        terms = " + ".join(f"{fmt(t.local)}×{fmt(t.input_tangent)}" for t in step.terms)
        table.add_row(step.node, terms, fmt(step.tangent))
    return keep_numbers_whole(table)


def paths_table(leaf: str, routes: list[Route]) -> Table:
    table = Table(title=_("Paths from {leaf} to the output").format(leaf=leaf), title_justify="left")
    table.add_column(_("path"))
    table.add_column(_("edge derivatives"))
    table.add_column(_("product"), justify="right", style="magenta")
    for route in routes:
        table.add_row(" → ".join(route.nodes), " · ".join(fmt(x) for x in route.locals), fmt(route.product))
    total = escape(_("sum"))
    table.add_row(f"[bold]{total}[/]", "", f"[bold]{fmt(path_sum(routes)[0])}[/]")
    return keep_numbers_whole(table)


PATHS_TABLE_LIMIT = 2_000
"""Past this many nodes over all paths, paths print as plain lines (a wrapped table costs ~15 µs a node)."""


def paths_text(leaf: str, routes: list[Route]) -> str:
    """Paths as plain lines, for long listings: product and edge derivatives, then the route."""
    out = [_("Paths from {leaf} to the output ({count}): product = edge derivatives, then the path").format(
        leaf=leaf, count=f"{len(routes):,}")]
    for route in routes:
        out.append(f"{fmt(route.product)} = {' · '.join(fmt(x) for x in route.locals) or '1'}")
        out.append("    " + " → ".join(route.nodes))
    out.append(_("sum = {total}").format(total=fmt(path_sum(routes)[0])))
    return "\n".join(out) + "\n"


# --- training -----------------------------------------------------------------

TRAIN_TABLE_ROWS = 1_000
"""Past this many steps, the loss table shows every k-th step (and the last)."""


def steps_tables(
    name: str, output: str, lr: float, start_loss: float, losses: list[float],
    initial: dict[str, float], final: dict[str, float],
) -> list[Table]:
    """``train --steps``: the loss after each step (every k-th past 1,000, and the last), each param's start and end."""
    every = max(1, -(-len(losses) // TRAIN_TABLE_ROWS))
    title = _("Training {name}: learning rate {rate}").format(name=escape(name), rate=fmt(lr))
    if every > 1:
        title += _(" (every {every} steps)").format(every=f"{every:,}")
    table = Table(title=title, title_justify="left")
    table.add_column(_("step"), justify="right")
    table.add_column(output, justify="right", style="cyan")
    table.add_row("0", fmt(start_loss))
    for k, loss in enumerate(losses, 1):
        if k % every == 0 or k == len(losses):
            table.add_row(f"{k:,}" if every > 1 else str(k), fmt(loss))
    return [table, _params_table(_("Params"), initial, final)]


def _params_table(title: str, initial: dict[str, float], final: dict[str, float]) -> Table:
    params = Table(title=title, title_justify="left")
    params.add_column(_("param"))
    params.add_column(_("start"), justify="right")
    params.add_column(_("final"), justify="right", style="magenta")
    for param, value in initial.items():
        params.add_row(param, fmt(value), fmt(final[param]))
    return params


def epochs_tables(name: str, output: str, trainer: Trainer, right: int | None = None) -> list[Table | str]:
    """A line on the run, the loss at about ten epochs (first and last too), each param's start and end."""
    batch = min(trainer.batch_size or trainer.table.rows, trainer.table.rows)
    rows = trainer.table.rows
    heading = (
        "[bold]" + _("Training {name}").format(name=escape(name)) + "[/]" + escape(ngettext(
            ": {epochs} epochs over {rows} row in batches of {batch}, learning rate {rate}",
            ": {epochs} epochs over {rows} rows in batches of {batch}, learning rate {rate}", rows,
        ).format(epochs=trainer.epochs, rows=rows, batch=batch, rate=fmt(trainer.learning_rate)))
    )
    losses = Table(title=_("Mean loss"), title_justify="left")
    losses.add_column(_("epoch"), justify="right")
    losses.add_column(_("mean {output}").format(output=output), justify="right", style="cyan")
    losses.add_row("0", fmt(trainer.initial_loss))
    count = len(trainer.losses)
    shown = sorted({round(k * count / 10) for k in range(1, 11)} | {1, count}) if count else []
    for epoch in shown:
        if 1 <= epoch <= count:
            losses.add_row(str(epoch), fmt(trainer.losses[epoch - 1]))
    title = _("Params") if right is None else _("Params ({right} of {rows} rows right)").format(
        right=right, rows=trainer.table.rows)
    return [heading, losses, _params_table(title, trainer.initial_params(), trainer.param_values())]
