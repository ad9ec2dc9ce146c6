"""The command line: the app, and ``trace``, ``check``, ``train``, ``list``, ``new``, ``schema``.

Argument parsing lives here; the work is done by the engine modules. Every
scenario problem is printed as ``FILE:LINE:COL: error: message`` and turns
into exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from rich.console import Console
from rich.markup import escape

from tutor import report
from tutor.engine import analysis
from tutor.scenario import Scenario, ScenarioError, builtin_scenarios, load, resolve
from tutor.engine.trace import run

COMMANDS = ("trace", "check", "train", "list", "new", "schema")
MAX_TRAIN_STEPS = 100_000
"""Most steps ``train`` runs in one call (a tiny net takes about 20 s for that many)."""
TRAIN_TABLE_ROWS = 1_000
"""Past this many steps, the loss table shows every k-th step (and the last)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="Step through backpropagation on a computational graph.",
        epilog="Run `python -m tutor list` to see the built-in scenarios.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    trace = sub.add_parser("trace", help="print the forward and backward steps of a scenario")
    trace.add_argument("scenario", help="a scenario file or a built-in name such as shopping")
    trace.add_argument("--json", action="store_true", help="one JSON object on stdout")
    trace.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override an input or param (repeatable)"
    )
    trace.add_argument("--wrt", metavar="LEAF", help="the leaf for --mode")
    trace.add_argument("--mode", choices=("forward", "paths"), help="forward-mode tangents or all paths for --wrt")

    check = sub.add_parser("check", help="validate scenario files")
    check.add_argument("files", nargs="+", metavar="FILE")

    train = sub.add_parser("train", help="run gradient-descent steps on a scenario's params")
    train.add_argument("scenario")
    train.add_argument(
        "--steps", type=int, default=1, metavar="N",
        help=f"number of steps, 0 to {MAX_TRAIN_STEPS:,} (default 1); a progress bar shows on a terminal",
    )
    train.add_argument("--lr", type=float, metavar="X", help="learning rate (default: the scenario's)")
    train.add_argument("--json", action="store_true")
    train.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")

    sub.add_parser("list", help="list the built-in scenarios")

    new = sub.add_parser("new", help="write a commented starter scenario (never overwrites)")
    new.add_argument("path", metavar="PATH")

    sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    return parser


class UsageError(Exception):
    """A bad command-line value (not a scenario problem)."""


def _overrides(scenario: Scenario, pairs: list[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep:
            raise UsageError(f"--set expects NAME=VALUE, got {pair!r}")
        if name not in scenario.leaves:
            raise UsageError(f"--set: {name!r} is not an input or param of {scenario.name}")
        try:
            value = float(text)
        except ValueError:
            raise UsageError(f"--set: {text!r} is not a number") from None
        if not math.isfinite(value):
            raise UsageError(f"--set: {name} must be finite")
        values[name] = value
    return values


def cmd_trace(args: argparse.Namespace, console: Console) -> int:
    scenario = resolve(args.scenario)
    overrides = _overrides(scenario, args.set)
    trace = run(scenario.graph, overrides)
    tangents = routes = None
    if args.mode or args.wrt:
        if not (args.mode and args.wrt):
            raise UsageError("--wrt and --mode go together, e.g. --wrt b --mode paths")
        if args.wrt not in scenario.leaves:
            raise UsageError(f"--wrt: {args.wrt!r} is not an input or param of {scenario.name}")
        if args.mode == "forward":
            tangents = analysis.forward_mode(scenario.graph, trace, args.wrt)
        else:
            try:
                routes = analysis.paths(scenario.graph, trace, args.wrt)
            except analysis.TooManyPaths as exc:
                raise UsageError(str(exc)) from None
    if args.json:
        data = report.extra_json(report.trace_json(scenario, trace), tangents, routes)
        print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    console.print(f"[bold]{escape(scenario.title)}[/]  ({escape(scenario.name)})")
    if scenario.description:
        console.print(scenario.description, style="dim", markup=False)
    console.print(report.forward_table(trace))
    console.print(report.backward_table(trace))
    console.print(report.summary_table(scenario, trace))
    if tangents is not None:
        console.print(report.tangent_table(args.wrt, tangents))
    if routes is not None:
        if sum(len(r.nodes) for r in routes) > report.PATHS_TABLE_LIMIT:
            console.file.write(report.paths_text(args.wrt, routes))
        else:
            console.print(report.paths_table(args.wrt, routes))
    warnings = list(trace.warnings)
    if tangents is not None:
        warnings += [f"d {t.node} / d {args.wrt}: {t.warning}" for t in tangents if t.warning]
    if routes is not None and analysis.path_sum(routes)[1]:
        warnings.append(f"sum over paths: {analysis.path_sum(routes)[1]}")
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    return 0


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    failed = 0
    for name in args.files:
        try:
            scenario = load(name)
        except ScenarioError as exc:
            failed += 1
            print(exc.report())
            continue
        print(f"{name}: ok ({len(scenario.graph)} nodes)")
    return 1 if failed else 0


class _ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal and the run is long."""

    def __init__(self, total: int, label: str, clock=None) -> None:
        import time

        self.total = total
        self.label = label
        self.clock = clock or time.monotonic
        self.start = self.clock()
        self.last = 0.0
        self.enabled = total > 0 and sys.stderr.isatty()
        self.shown = False

    def update(self, done: int, loss: float) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.last < 0.1 or (not self.shown and now - self.start < 0.5):
            return
        self.last = now
        self.shown = True
        from tutor.engine.numbers import fmt

        fraction = done / self.total
        filled = int(fraction * 30)
        rate = done / max(now - self.start, 1e-9)
        left = (self.total - done) / rate if rate > 0 else 0.0
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{self.total:,} "
            f"{fraction:4.0%}  loss {fmt(loss, 4)}  {left:4.0f} s left \x1b[K"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def cmd_train(args: argparse.Namespace, console: Console) -> int:
    scenario = resolve(args.scenario)
    if not scenario.params:
        raise UsageError(f"{scenario.name} has no params to train (add a 'params:' section)")
    if not 0 <= args.steps <= MAX_TRAIN_STEPS:
        raise UsageError(f"--steps must be between 0 and {MAX_TRAIN_STEPS:,}, got {args.steps:,}")
    lr = scenario.learning_rate if args.lr is None else args.lr
    if not (math.isfinite(lr) and lr > 0):
        raise UsageError("--lr must be a positive number")
    overrides = _overrides(scenario, args.set)
    start = run(scenario.graph, overrides)
    initial = {p.name: start.values[p.index] for p in scenario.graph.params}
    # Only the losses and the last step are kept: memory does not grow with the params × steps.
    losses: list[float] = []
    last = None
    bar = _ProgressBar(args.steps, f"training {scenario.name}")
    try:
        for last in analysis.training(scenario.graph, overrides, lr, args.steps):
            losses.append(last.loss_after)
            bar.update(len(losses), last.loss_after)
    finally:
        bar.close()
    final = last.params_after if last is not None else initial
    if args.json:
        data = report.train_json_from(losses, final, initial, start.output_value)
        print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    from rich.table import Table

    from tutor.engine.numbers import fmt

    every = max(1, -(-len(losses) // TRAIN_TABLE_ROWS))
    title = f"Training {scenario.name}: learning rate {fmt(lr)}" + (f" (every {every:,} steps)" if every > 1 else "")
    table = Table(title=title, title_justify="left")
    table.add_column("step", justify="right")
    table.add_column(scenario.output, justify="right", style="cyan")
    table.add_row("0", fmt(start.output_value))
    for k, loss in enumerate(losses, 1):
        if k % every == 0 or k == len(losses):
            table.add_row(f"{k:,}" if every > 1 else str(k), fmt(loss))
    console.print(table)
    params = Table(title="Params", title_justify="left")
    params.add_column("param")
    params.add_column("start", justify="right")
    params.add_column("final", justify="right", style="magenta")
    for name, value in initial.items():
        params.add_row(name, fmt(value), fmt(final[name]))
    console.print(params)
    return 0


def cmd_list(args: argparse.Namespace, console: Console) -> int:
    from rich.table import Table

    table = Table(title="Built-in scenarios", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("title")
    for name, scenario in builtin_scenarios():
        title = f"[red]{escape(str(scenario))}[/]" if isinstance(scenario, ScenarioError) else escape(scenario.title)
        table.add_row(name, title)
    console.print(table)
    return 0


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        usage=f"tutor [SCENARIO] [--watch] | tutor {{{','.join(COMMANDS)}}} ...",
        description="Step through backpropagation on a computational graph. "
        "With no SCENARIO, opens a scenario picker.",
        epilog=f"Commands: {', '.join(COMMANDS)} (tutor COMMAND --help). "
        "Run `python -m tutor list` to see the built-in scenarios.",
    )
    parser.add_argument("scenario", nargs="?", help="a scenario file or a built-in name such as shopping")
    parser.add_argument(
        "--watch", action="store_true", help="reload the scenario file when it changes (for authors)"
    )
    return parser


def run_app(argv: list[str]) -> int:
    """Open the Textual app (only on a real terminal)."""
    args = _app_parser().parse_args(argv)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "tutor: the interactive tutor needs a terminal; for non-interactive output use "
            "`python -m tutor trace SCENARIO` (add --json for JSON).",
            file=sys.stderr,
        )
        return 2
    from tutor.ui.app import run

    run(args.scenario, watch=args.watch)
    return 0


def cmd_new(args: argparse.Namespace, console: Console) -> int:
    from pathlib import Path

    from tutor.scenario.starter import write_starter

    path = Path(args.path)
    if path.suffix not in (".yaml", ".yml"):
        path = path.with_suffix(path.suffix + ".yaml") if path.suffix else path.with_suffix(".yaml")
    try:
        write_starter(path)
    except FileExistsError:
        raise UsageError(f"{path} already exists; not overwriting it") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path}; open it with: python -m tutor {path}")
    return 0


def cmd_schema(args: argparse.Namespace, console: Console) -> int:
    from tutor.scenario.schema import schema

    print(json.dumps(schema(), indent=2, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        return run_app(argv)
    parser = _parser()
    if argv[0] in ("-h", "--help"):
        _app_parser().print_help()
        print()
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    console = Console()
    handler = {
        "trace": cmd_trace,
        "check": cmd_check,
        "train": cmd_train,
        "list": cmd_list,
        "new": cmd_new,
        "schema": cmd_schema,
    }[args.command]
    try:
        return handler(args, console)
    except ScenarioError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"tutor: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("tutor: interrupted", file=sys.stderr)
        return 130
