"""The command line: the app, and ``trace``, ``check``, ``train``, ``list``, ``new``, ``schema``,
``serve``, ``export``.

Argument parsing lives here; the work is done by the engine modules. Every
scenario problem is printed as ``FILE:LINE:COL: error: message`` and turns
into exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

from rich.console import Console
from rich.markup import escape

from tutor.cli_progress import ProgressBar
from tutor.engine.bulk import paused_gc
from tutor.engine.numbers import NumberTextError, parse_decimal
from tutor.scenario import Scenario, ScenarioError, load, resolve
from tutor.engine.trace import run

COMMANDS = ("trace", "check", "train", "list", "new", "schema", "serve", "export")
"""Each is a ``cmd_NAME(args, console)`` below with its subparser in ``_parser``."""
MAX_TRAIN_STEPS = 100_000
"""Most steps ``train`` runs in one call (a tiny net takes about 20 s for that many)."""
MAX_TRAIN_EPOCHS = 100_000
"""Most epochs ``train --epochs`` runs in one call."""


def prog_name() -> str:
    """How the user ran us, for the commands we suggest: ``tutor``, or ``python -m tutor``."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if not name or name in ("__main__.py", "-c", "-m") or name.endswith(".py"):
        return "python -m tutor"
    return name


def _version() -> str:
    from tutor import __version__

    return f"tutor {__version__}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog_name(),
        description="Step through backpropagation on a computational graph.",
        epilog=f"Run `{prog_name()} list` to see the built-in scenarios.",
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
    trace.add_argument("--row", type=int, metavar="K", help="use row K of the scenario's data (counting from 1)")

    check = sub.add_parser("check", help="validate scenario files")
    check.add_argument("files", nargs="+", metavar="FILE")

    train = sub.add_parser("train", help="run gradient-descent steps on a scenario's params")
    train.add_argument("scenario")
    train.add_argument(
        "--steps", type=int, metavar="N",
        help=f"number of steps on the inputs' own values, 0 to {MAX_TRAIN_STEPS:,} (default 1); "
        "a progress bar shows on a terminal",
    )
    train.add_argument(
        "--epochs", type=int, metavar="N",
        help=f"number of epochs over the scenario's data (one batch per step), 0 to {MAX_TRAIN_EPOCHS:,}"
    )
    train.add_argument("--lr", type=float, metavar="X", help="learning rate (default: the scenario's)")
    train.add_argument(
        "--batch-size", type=int, metavar="B", help="rows per step with --epochs (default: the scenario's, or all)"
    )
    train.add_argument("--json", action="store_true")
    train.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")

    sub.add_parser("list", help="list the built-in scenarios")

    new = sub.add_parser("new", help="write a commented starter scenario (never overwrites)")
    new.add_argument("path", metavar="PATH")

    sub.add_parser("schema", help="print the JSON Schema of the scenario format")

    serve = sub.add_parser(
        "serve",
        help="serve the tutor to web browsers: each tab gets its own lesson",
        description="Serve the tutor to web browsers. Every browser tab runs its own lesson; "
        "with no SCENARIO each tab starts at the scenario picker. Ctrl+C stops the server.",
    )
    serve.add_argument("scenario", nargs="?", help="a scenario file or a built-in name (default: the picker)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this "
                       "machine only; 0.0.0.0 for every network address)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--url", metavar="URL", help="the address browsers reach the server at, when it differs "
                       "from http://HOST:PORT (behind a proxy, say)")

    export = sub.add_parser(
        "export",
        help="write a handout: the screen at a step (.svg, .html) or a worksheet (.md)",
        description="Write the screen as the app draws it at a step (.svg, or .html showing it), or a "
        "worksheet with forward and backward tables (.md).",
    )
    export.add_argument("scenario", help="a scenario file or a built-in name such as shopping")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.svg, FILE.html or FILE.md")
    export.add_argument("--step", metavar="K", help="step to draw: 0 = start (default), end = last "
                        "step; in forward and paths modes, the position in the mode's walk")
    export.add_argument("--view", choices=("expanded", "groups", "neurons"), help="the graph's view (default: the "
                        "scenario's own)")
    from tutor.teach.modes import PICTURED

    export.add_argument("--mode", default="step", choices=PICTURED,
                        help="the mode shown (pictures only; default step)")
    export.add_argument("--wrt", metavar="LEAF", help="the leaf for --mode forward or paths (default: the first)")
    export.add_argument("--size", metavar="COLSxROWS", help="screen size of a picture (default 100x32)")
    export.add_argument("--theme", help="Textual theme of a picture (default textual-dark; textual-light prints well)")
    export.add_argument("--row", type=int, metavar="K", help="step through row K of the scenario's data (from 1)")
    export.add_argument("--blanks", action="store_true", help="worksheet: leave values and gradients blank, "
                        "with the answers at the end")
    return parser


def _command_help() -> list[tuple[str, str]]:
    """Each command with its one-line help, as the command parser declares them."""
    for action in _parser()._actions:  # noqa: SLF001 - argparse keeps subcommand help only here
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return [(choice.dest, choice.help or "") for choice in action._choices_actions]  # noqa: SLF001
    return []


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
            value = parse_decimal(text)
        except NumberTextError as problem:
            if problem.problem in ("is not a number", "must be a finite number"):
                raise UsageError(f"--set: {text!r} is not a finite number") from None
            raise UsageError(f"--set: {name}={text}: {problem.problem}; {problem.hint}") from None
        values[name] = value
    return values


def checked_row(scenario: Scenario, k: int | None) -> int | None:
    """``--row k`` (1-based) when the scenario's data has that row (None without --row)."""
    if k is None:
        return None
    if scenario.data is None:
        raise UsageError(f"--row: {scenario.name} has no data: section")
    if not 1 <= k <= len(scenario.data):
        raise UsageError(f"--row must be between 1 and {len(scenario.data)} (the rows of {scenario.name})")
    return k


def _row(scenario: Scenario, k: int | None) -> dict[str, float]:
    """The input values of data row ``k`` (1-based), or nothing without --row."""
    return {} if checked_row(scenario, k) is None else scenario.data.row(k)


def cmd_trace(args: argparse.Namespace, console: Console) -> int:
    from tutor import report  # here, as in the other commands: the app's launch needs neither
    from tutor.engine import analysis

    scenario = resolve(args.scenario)
    overrides = {**_row(scenario, args.row), **_overrides(scenario, args.set)}
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
        data = report.extra_json(report.trace_json(scenario, trace, overrides), tangents, routes)
        print(report.dumps(data))
        return 0
    console.print(f"[bold]{escape(scenario.title)}[/]  ({escape(scenario.name)})")
    if scenario.description:
        console.print(scenario.description, style="dim", markup=False)
    if len(trace.forward) > report.TEXT_ROWS:  # Rich lays out a table at about 1.5 ms a row
        console.file.write(report.trace_text(scenario, trace))
    else:  # crop=False: a table wider than the terminal wraps on screen rather than losing digits.
        console.print(report.forward_table(trace), crop=False)
        console.print(report.backward_table(trace), crop=False)
        console.print(report.summary_table(scenario, trace), crop=False)
    if tangents is not None:
        console.print(report.tangent_table(args.wrt, tangents), crop=False)
    if routes is not None:
        if sum(len(r.nodes) for r in routes) > report.PATHS_TABLE_LIMIT:
            console.file.write(report.paths_text(args.wrt, routes))
        else:
            console.print(report.paths_table(args.wrt, routes), crop=False)
    warnings = list(trace.warnings)
    if tangents is not None:
        warnings += [f"d {t.node} / d {args.wrt}: {t.warning}" for t in tangents if t.warning]
    if routes is not None and analysis.path_sum(routes)[1]:
        warnings.append(f"sum over paths: {analysis.path_sum(routes)[1]}")
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", soft_wrap=True)
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
        count = len(scenario.graph)
        print(f"{name}: ok ({count} {'node' if count == 1 else 'nodes'})")
    return 1 if failed else 0


def cmd_train(args: argparse.Namespace, console: Console) -> int:
    from tutor import report
    from tutor.engine import analysis

    scenario = resolve(args.scenario)
    if not scenario.params:
        raise UsageError(f"{scenario.name} has no params to train (add a 'params:' section)")
    lr = scenario.learning_rate if args.lr is None else args.lr
    if not (math.isfinite(lr) and lr > 0):
        raise UsageError("--lr must be a positive number")
    if args.epochs is not None or args.batch_size is not None:
        return _train_epochs(args, scenario, lr, console)
    default_steps, args.steps = args.steps is None, 1 if args.steps is None else args.steps
    if not 0 <= args.steps <= MAX_TRAIN_STEPS:
        raise UsageError(f"--steps must be between 0 and {MAX_TRAIN_STEPS:,}, got {args.steps:,}")
    overrides = _overrides(scenario, args.set)
    start = run(scenario.graph, overrides)
    initial = {p.name: start.values[p.index] for p in scenario.graph.params}
    # Only the losses and the last step are kept: memory does not grow with the params × steps.
    losses: list[float] = []
    last, stopped = None, ""
    bar = ProgressBar(args.steps, f"training {scenario.name}")
    try:
        for last in analysis.training(scenario.graph, overrides, lr, args.steps):
            losses.append(last.loss_after)
            bar.update(len(losses), last.loss_after)
            if stopped := report.stopped_warning(len(losses), last.loss_after, last.params_after):
                break
    finally:
        bar.close()
    final = last.params_after if last is not None else initial
    if args.json:
        rising = report.steps_rising(scenario, start.output_value, losses)
        data = report.train_json_from(losses, final, initial, start.output_value, [w for w in (stopped, rising) if w])
        print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        report.train_warnings(scenario, start.output_value, losses, default_steps)
        return 0
    for table in report.steps_tables(scenario.name, scenario.output, lr, start.output_value, losses, initial, final):
        console.print(table)
    if stopped:
        console.print(f"[yellow]warning:[/] {escape(stopped)}", soft_wrap=True)
    report.train_warnings(scenario, start.output_value, losses, default_steps)
    return 0


def _train_epochs(args: argparse.Namespace, scenario: Scenario, lr: float, console: Console) -> int:
    """``train --epochs N``: batch gradient descent on the data set, with numpy."""
    from tutor import report
    from tutor.teach.training import data_trainer, fit_of, rows_right

    if args.steps is not None:
        raise UsageError("--steps and --epochs do not go together: --epochs trains on the data set")
    epochs = 1 if args.epochs is None else args.epochs
    if epochs < 0:
        raise UsageError("--epochs must be 0 or more")
    if epochs > MAX_TRAIN_EPOCHS:
        raise UsageError(f"--epochs must be between 0 and {MAX_TRAIN_EPOCHS:,}, got {epochs:,}")
    if args.batch_size is not None and args.batch_size < 1:
        raise UsageError("--batch-size must be 1 or more")
    overrides = _overrides(scenario, args.set)
    if columns := [n for n in overrides if scenario.data is not None and n in scenario.data.columns]:
        raise UsageError(f"--set {columns[0]}: a data column; --epochs takes its values from the data rows")
    trainer = data_trainer(scenario, overrides, lr, args.batch_size)
    bar = ProgressBar(epochs, f"training {scenario.name}")
    try:
        for done in range(1, epochs + 1):
            if trainer.stopped:
                break
            bar.update(done, trainer.epoch())
    finally:
        bar.close()
    fit = fit_of(scenario)
    right = rows_right(trainer, scenario, fit) if fit is not None and fit.classes else None
    if args.json:
        data = report.epochs_json(trainer, right)
        if rising := report.epochs_rising(scenario, trainer):
            data["warnings"].append(rising)
        print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        report.epoch_warnings(scenario, trainer, args.epochs is None)
        return 0
    for table in report.epochs_tables(scenario.name, scenario.output, trainer, right):
        console.print(table)
    if trainer.warning:
        console.print(f"[yellow]warning:[/] {escape(trainer.warning)}", soft_wrap=True)
    report.epoch_warnings(scenario, trainer, args.epochs is None)
    return 0


def cmd_list(args: argparse.Namespace, console: Console) -> int:
    from rich.table import Table

    from tutor.scenario.builtins import lesson_files

    table = Table(title="Scenarios, in lesson order (built-ins, and ./scenarios/*.yaml)", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("title")
    for spec, path in lesson_files():
        try:
            title = escape(load(path).title)
        except ScenarioError as exc:
            title = f"[red]{escape(str(exc))}[/]"
        local = spec != path.stem
        table.add_row(escape(os.path.relpath(path) if local else spec), title + (" [dim](yours)[/]" if local else ""))
    console.print(table)
    return 0


def _app_parser() -> argparse.ArgumentParser:
    prog = prog_name()
    listing = "\n".join(f"  {name:<8}  {text}" for name, text in _command_help())
    parser = argparse.ArgumentParser(
        prog=prog,
        usage=f"{prog} [SCENARIO] [--watch] [--screenshots DIR] | {prog} COMMAND ... | {prog} --version",
        description="Step through backpropagation on a computational graph. "
        "With no SCENARIO, opens a scenario picker.",
        epilog=f"commands ({prog} COMMAND --help for each):\n{listing}\n\n"
        f"Run `{prog} list` to see the built-in scenarios.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", nargs="?", help="a scenario file or a built-in name such as shopping")
    parser.add_argument(
        "--watch", action="store_true", help="reload the scenario file when it changes (for authors)"
    )
    parser.add_argument(
        "--screenshots", metavar="DIR", help="folder for the palette's Screenshot (default: the current folder)"
    )
    parser.add_argument("--version", action="version", version=_version())
    return parser


def run_app(argv: list[str]) -> int:
    """Open the Textual app: on a real terminal, or under a driver set in the environment (a browser tab)."""
    args = _app_parser().parse_args(argv)
    driver_set = bool(os.environ.get("TEXTUAL_DRIVER"))  # textual-serve sets its web driver here
    if not driver_set and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "tutor: the interactive tutor needs a terminal; for non-interactive output use "
            f"`{prog_name()} trace SCENARIO` (add --json for JSON).",
            file=sys.stderr,
        )
        return 2
    if driver_set and not sys.stdin.isatty() and hasattr(os, "setsid"):
        # Served to a browser: the server ends this lesson when it stops. Leave the
        # terminal's process group, so a Ctrl+C meant for the server does not reach
        # (and race) every lesson at once.
        try:
            os.setsid()
        except OSError:
            pass
    from tutor.ui.app import run

    run(args.scenario, watch=args.watch, screenshot_dir=args.screenshots)
    return 0


def cmd_new(args: argparse.Namespace, console: Console) -> int:
    from tutor.scenario.starter import starter_path, write_starter

    try:
        path = starter_path(args.path)
        write_starter(path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except FileExistsError:
        raise UsageError(f"{path} already exists; not overwriting it") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path}; check it with: {prog_name()} check {path}; open it with: {prog_name()} {path}")
    return 0


def cmd_schema(args: argparse.Namespace, console: Console) -> int:
    from tutor.scenario.schema import schema

    print(json.dumps(schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_serve(args: argparse.Namespace, console: Console) -> int:
    if not 0 < args.port < 65536:
        raise UsageError("--port must be 1 to 65535")
    title = "tutor"
    if args.scenario:
        title = resolve(args.scenario).title  # a bad file fails here, once, not in every tab
    from tutor.ui.serve import serve

    try:
        serve(args.scenario, args.host, args.port, title=title, url=args.url)
    except OSError as exc:
        raise UsageError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


from tutor.handouts import cmd_export  # noqa: E402 - the export command, beside the others by name


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-V", "--version"):
        print(_version())
        return 0
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        return run_app(argv)
    parser = _parser()
    if argv[0] in ("-h", "--help"):
        _app_parser().print_help()
        return 0
    args = parser.parse_args(argv)
    console = Console()
    handler = globals()[f"cmd_{args.command}"]  # every name in COMMANDS has its cmd_NAME
    try:
        if args.command in ("trace", "check"):
            with paused_gc():  # loading, tracing and writing a big file make no cycles
                return handler(args, console)
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
