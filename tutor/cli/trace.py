"""``tutor trace SCENARIO``: the forward and backward steps as tables, or as one JSON object."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.markup import escape

from tutor.cli import json_output, tables
from tutor.cli.arguments import UsageError, overrides, row_values
from tutor.cli.text_tables import TEXT_ROWS, trace_text
from tutor.cli.wrapping import paragraph
from tutor.engine import analysis
from tutor.engine.trace import run as run_trace
from tutor.i18n import N_, _
from tutor.scenario import resolve
from tutor.startup import paused_gc
from tutor.teach import engine_words

HELP = N_("print the forward and backward steps of a scenario")


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help=_("a scenario file or a built-in name such as shopping"))
    parser.add_argument("--json", action="store_true",
                        help=_("one JSON object on stdout (see the README's JSON output)"))
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help=_("override an input or param (repeatable)")
    )
    parser.add_argument("--wrt", metavar="LEAF", help=_("the leaf for --mode"))
    parser.add_argument("--mode", choices=("forward", "paths"), help=_("forward-mode tangents or all paths for --wrt"))
    parser.add_argument("--row", type=int, metavar="K", help=_("use row K of the scenario's data (counting from 1)"))


def run(args: argparse.Namespace, console: Console) -> int:
    with paused_gc():  # loading, tracing and writing a big file make no cycles
        return _trace(args, console)


def _trace(args: argparse.Namespace, console: Console) -> int:
    scenario = resolve(args.scenario)
    values = {**row_values(scenario, args.row), **overrides(scenario, args.set)}
    trace = run_trace(scenario.graph, values)
    tangents = routes = None
    if args.mode or args.wrt:
        if not (args.mode and args.wrt):
            raise UsageError(_("--wrt and --mode go together, e.g. --wrt b --mode paths"))
        if args.wrt not in scenario.leaves:
            raise UsageError(_("--wrt: {leaf} is not an input or param of {scenario}").format(
                leaf=repr(args.wrt), scenario=scenario.name))
        if args.mode == "forward":
            tangents = analysis.forward_mode(scenario.graph, trace, args.wrt)
        else:
            try:
                routes = analysis.paths(scenario.graph, trace, args.wrt)
            except analysis.TooManyPaths as exc:
                raise UsageError(str(exc)) from None
    if args.json:
        data = json_output.extra_json(json_output.trace_json(scenario, trace, values), tangents, routes)
        print(json_output.dumps(data))
        return 0
    console.print(f"[bold]{escape(scenario.title)}[/]  ({escape(scenario.name)})")
    if scenario.description:
        console.print(paragraph(scenario.description, console.width), style="dim", markup=False)
    if len(trace.forward) > TEXT_ROWS:  # Rich lays out a table at about 1.5 ms a row
        console.file.write(trace_text(scenario, trace))
    else:  # a table wider than the terminal wraps between words rather than losing digits
        tables.show(console, tables.forward_table(trace))
        tables.show(console, tables.backward_table(trace))
        tables.show(console, tables.summary_table(scenario, trace))
    if tangents is not None:
        tables.show(console, tables.tangent_table(args.wrt, tangents))
    if routes is not None:
        if sum(len(r.nodes) for r in routes) > tables.PATHS_TABLE_LIMIT:
            console.file.write(tables.paths_text(args.wrt, routes))
        else:
            tables.show(console, tables.paths_table(args.wrt, routes))
    warnings = [engine_words.shown(warning) for warning in trace.warnings]
    if tangents is not None:
        warnings += [f"d {t.node} / d {args.wrt}: {engine_words.shown(t.warning)}" for t in tangents if t.warning]
    if routes is not None and analysis.path_sum(routes)[1]:
        trouble = engine_words.shown(analysis.path_sum(routes)[1])
        warnings.append(_("sum over paths: {warning}").format(warning=trouble))
    label = escape(_("warning:"))
    for warning in warnings:
        console.print(f"[yellow]{label}[/] {escape(warning)}", soft_wrap=True)
    return 0
