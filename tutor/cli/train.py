"""``tutor train SCENARIO``: gradient-descent steps on the scenario's params, or epochs over its data."""

from __future__ import annotations

import argparse
import json
import math
import sys

from rich.console import Console
from rich.markup import escape

from tutor.cli import json_output, tables
from tutor.cli.arguments import UsageError, overrides
from tutor.cli.progress import ProgressBar
from tutor.engine import analysis
from tutor.engine.trace import run as run_trace
from tutor.scenario import Scenario, resolve

HELP = "run gradient-descent steps on a scenario's params"

MAX_TRAIN_STEPS = 100_000
"""Most steps ``train`` runs in one call (a tiny net takes about 20 s for that many)."""
MAX_TRAIN_EPOCHS = 100_000
"""Most epochs ``train --epochs`` runs in one call."""


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="a scenario file or a built-in name with params: such as tiny_net")
    parser.add_argument(
        "--steps", type=int, metavar="N",
        help=f"number of steps on the inputs' own values, 0 to {MAX_TRAIN_STEPS:,} (default 1); "
        "a progress bar shows on a terminal",
    )
    parser.add_argument(
        "--epochs", type=int, metavar="N",
        help=f"number of epochs over the scenario's data (one batch per step), 0 to {MAX_TRAIN_EPOCHS:,}"
    )
    parser.add_argument("--lr", type=float, metavar="X", help="learning rate (default: the scenario's)")
    parser.add_argument(
        "--batch-size", type=int, metavar="B", help="rows per step with --epochs (default: the scenario's, or all)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout: the losses and the params "
                        "(see the README's JSON output)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="start from another value of an input or param (repeatable)")


def run(args: argparse.Namespace, console: Console) -> int:
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
    values = overrides(scenario, args.set)
    start = run_trace(scenario.graph, values)
    initial = {p.name: start.values[p.index] for p in scenario.graph.params}
    # Only the losses and the last step are kept: memory does not grow with the params × steps.
    losses: list[float] = []
    last, stopped = None, ""
    bar = ProgressBar(args.steps, f"training {scenario.name}")
    try:
        for last in analysis.training(scenario.graph, values, lr, args.steps):
            losses.append(last.loss_after)
            bar.update(len(losses), last.loss_after)
            if stopped := stopped_warning(len(losses), last.loss_after, last.params_after):
                break
    finally:
        bar.close()
    final = last.params_after if last is not None else initial
    if args.json:
        rising = steps_rising(scenario, start.output_value, losses)
        data = json_output.steps_json(losses, final, initial, start.output_value, [w for w in (stopped, rising) if w])
        print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        train_warnings(scenario, start.output_value, losses, default_steps)
        return 0
    for table in tables.steps_tables(scenario.name, scenario.output, lr, start.output_value, losses, initial, final):
        console.print(table)
    if stopped:
        console.print(f"[yellow]warning:[/] {escape(stopped)}", soft_wrap=True)
    train_warnings(scenario, start.output_value, losses, default_steps)
    return 0


def _train_epochs(args: argparse.Namespace, scenario: Scenario, lr: float, console: Console) -> int:
    """``train --epochs N``: batch gradient descent on the data set, with numpy."""
    from tutor.teach import training

    if args.steps is not None:
        raise UsageError("--steps and --epochs do not go together: --epochs trains on the data set")
    epochs = 1 if args.epochs is None else args.epochs
    if epochs < 0:
        raise UsageError("--epochs must be 0 or more")
    if epochs > MAX_TRAIN_EPOCHS:
        raise UsageError(f"--epochs must be between 0 and {MAX_TRAIN_EPOCHS:,}, got {epochs:,}")
    if args.batch_size is not None and args.batch_size < 1:
        raise UsageError("--batch-size must be 1 or more")
    values = overrides(scenario, args.set)
    if columns := [n for n in values if scenario.data is not None and n in scenario.data.columns]:
        raise UsageError(f"--set {columns[0]}: a data column; --epochs takes its values from the data rows")
    trainer = training.data_trainer(scenario, values, lr, args.batch_size)
    bar = ProgressBar(epochs, f"training {scenario.name}")
    try:
        for done in range(1, epochs + 1):
            if trainer.stopped:
                break
            bar.update(done, trainer.epoch())
    finally:
        bar.close()
    fit = training.fit_of(scenario)
    right = training.rows_right(trainer, scenario, fit) if fit is not None and fit.classes else None
    if args.json:
        data = json_output.epochs_json(trainer, right)
        if rising := epochs_rising(scenario, trainer):
            data["warnings"].append(rising)
        print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        epoch_warnings(scenario, trainer, args.epochs is None)
        return 0
    for table in tables.epochs_tables(scenario.name, scenario.output, trainer, right):
        console.print(table)
    if trainer.warning:
        console.print(f"[yellow]warning:[/] {escape(trainer.warning)}", soft_wrap=True)
    epoch_warnings(scenario, trainer, args.epochs is None)
    return 0


def stopped_warning(step: int, loss: float, params: dict[str, float]) -> str:
    """Why ``train --steps`` stops early (the words ``--epochs`` uses), or "" to go on."""
    bad = [name for name, value in params.items() if not math.isfinite(value)]
    if bad:
        return (f"a param is no longer a finite number ({', '.join(bad[:3])}) after step {step}: "
                "training stopped; try a smaller learning rate")
    if not math.isfinite(loss):
        return f"the loss is {loss} after step {step}: training stopped; try a smaller learning rate"
    return ""


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
    """On stderr: a rising loss, and how many steps ran by default."""
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
