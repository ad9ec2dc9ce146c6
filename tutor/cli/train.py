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
from tutor.i18n import N_, _
from tutor.scenario import Scenario, resolve
from tutor.teach import training  # deferred (tutor.startup): numpy, only for --epochs

HELP = N_("run gradient-descent steps on a scenario's params")

MAX_TRAIN_STEPS = 100_000
"""Most steps ``train`` runs in one call (a tiny net takes about 20 s for that many)."""
MAX_TRAIN_EPOCHS = 100_000
"""Most epochs ``train --epochs`` runs in one call."""


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help=_("a scenario file or a built-in name with params: such as tiny_net"))
    parser.add_argument(
        "--steps", type=int, metavar="N",
        help=_("number of steps on the inputs' own values, 0 to {most} (default 1); "
               "a progress bar shows on a terminal").format(most=f"{MAX_TRAIN_STEPS:,}"),
    )
    parser.add_argument(
        "--epochs", type=int, metavar="N",
        help=_("number of epochs over the scenario's data (one batch per step), 0 to {most}").format(
            most=f"{MAX_TRAIN_EPOCHS:,}")
    )
    parser.add_argument("--lr", type=float, metavar="X", help=_("learning rate (default: the scenario's)"))
    parser.add_argument(
        "--batch-size", type=int, metavar="B", help=_("rows per step with --epochs (default: the scenario's, or all)")
    )
    parser.add_argument("--json", action="store_true", help=_("one JSON object on stdout: the losses and the params "
                        "(see the README's JSON output)"))
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help=_("start from another value of an input or param (repeatable)"))


def run(args: argparse.Namespace, console: Console) -> int:
    scenario = resolve(args.scenario)
    if not scenario.params:
        raise UsageError(_("{scenario} has no params to train (add a 'params:' section)").format(
            scenario=scenario.name))
    lr = scenario.learning_rate if args.lr is None else args.lr
    if not (math.isfinite(lr) and lr > 0):
        raise UsageError(_("--lr must be a positive number"))
    if args.epochs is not None or args.batch_size is not None:
        return _train_epochs(args, scenario, lr, console)
    default_steps, args.steps = args.steps is None, 1 if args.steps is None else args.steps
    if not 0 <= args.steps <= MAX_TRAIN_STEPS:
        raise UsageError(_("--steps must be between 0 and {most}, got {given}").format(
            most=f"{MAX_TRAIN_STEPS:,}", given=f"{args.steps:,}"))
    values = overrides(scenario, args.set)
    start = run_trace(scenario.graph, values)
    initial = {p.name: start.values[p.index] for p in scenario.graph.params}
    # Only the losses and the last step are kept: memory does not grow with the params × steps.
    losses: list[float] = []
    last, stopped = None, ""
    bar = ProgressBar(args.steps, _("training {scenario}").format(scenario=scenario.name))
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
        console.print(f"[yellow]{escape(warning_label())}[/] {escape(stopped)}", soft_wrap=True)
    train_warnings(scenario, start.output_value, losses, default_steps)
    return 0


def _train_epochs(args: argparse.Namespace, scenario: Scenario, lr: float, console: Console) -> int:
    """``train --epochs N``: batch gradient descent on the data set, with numpy."""
    if args.steps is not None:
        raise UsageError(_("--steps and --epochs do not go together: --epochs trains on the data set"))
    epochs = 1 if args.epochs is None else args.epochs
    if epochs < 0:
        raise UsageError(_("--epochs must be 0 or more"))
    if epochs > MAX_TRAIN_EPOCHS:
        raise UsageError(_("--epochs must be between 0 and {most}, got {given}").format(
            most=f"{MAX_TRAIN_EPOCHS:,}", given=f"{epochs:,}"))
    if args.batch_size is not None and args.batch_size < 1:
        raise UsageError(_("--batch-size must be 1 or more"))
    values = overrides(scenario, args.set)
    if columns := [n for n in values if scenario.data is not None and n in scenario.data.columns]:
        raise UsageError(_("--set {column}: a data column; --epochs takes its values from the data rows").format(
            column=columns[0]))
    trainer = training.data_trainer(scenario, values, lr, args.batch_size)
    bar = ProgressBar(epochs, _("training {scenario}").format(scenario=scenario.name))
    try:
        for done in range(1, epochs + 1):
            if trainer.stopped:
                break
            bar.update(done, trainer.epoch())
    finally:
        bar.close()
    prediction = training.prediction_of(scenario)
    right = training.rows_right(trainer, scenario, prediction) if prediction is not None and prediction.classes else None
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
        console.print(f"[yellow]{escape(warning_label())}[/] {escape(trainer.warning)}", soft_wrap=True)
    epoch_warnings(scenario, trainer, args.epochs is None)
    return 0


def warning_label() -> str:
    """The word before a warning printed with the tables."""
    return _("warning:")


def stopped_warning(step: int, loss: float, params: dict[str, float]) -> str:
    """Why ``train --steps`` stops early (the words ``--epochs`` uses), or "" to go on."""
    bad = [name for name, value in params.items() if not math.isfinite(value)]
    if bad:
        return _("a param is no longer a finite number ({params}) after step {step}: "
                 "training stopped; try a smaller learning rate").format(params=", ".join(bad[:3]), step=step)
    if not math.isfinite(loss):
        return _("the loss is {loss} after step {step}: training stopped; try a smaller learning rate").format(
            loss=loss, step=step)
    return ""


# --- warnings after training (on stderr, so stdout stays clean for a pipe) -----------


def steps_rising(scenario: Scenario, initial_loss: float, losses: list[float]) -> str:
    """The warning for a loss that rose during ``train --steps`` ("" when it never did)."""
    before = [initial_loss, *losses[:-1]]
    rises = [k for k, (old, new) in enumerate(zip(before, losses), 1) if new > old]
    if not rises:
        return ""
    return _("{output} rose at {count} of {total} steps (first at step {first}): diverging: try a smaller --lr").format(
        output=scenario.output, count=len(rises), total=len(losses), first=rises[0])


def epochs_rising(scenario: Scenario, trainer) -> str:  # noqa: ANN001 - a Trainer
    """The warning for a mean loss that rose from one epoch to the next ("" when it never did)."""
    losses = [trainer.initial_loss, *trainer.losses]
    rises = [k for k in range(1, len(losses)) if losses[k] > losses[k - 1]]
    if not rises:
        return ""
    return _("mean {output} rose at {count} of {total} epochs (first at epoch {first}): diverging: try a smaller --lr"
             ).format(output=scenario.output, count=len(rises), total=len(losses) - 1, first=rises[0])


def train_warnings(scenario: Scenario, initial_loss: float, losses: list[float], default_steps: bool) -> None:
    """On stderr: a rising loss, and how many steps ran by default."""
    if rising := steps_rising(scenario, initial_loss, losses):
        print(_("tutor: warning: {warning}").format(warning=rising), file=sys.stderr)
    if default_steps:
        print(_("ran 1 step (the default); use --steps N for more, e.g. --steps 100"), file=sys.stderr)


def epoch_warnings(scenario: Scenario, trainer, default_epochs: bool) -> None:  # noqa: ANN001 - a Trainer
    """On stderr: a mean loss that rose from one epoch to the next, and how many epochs ran by default."""
    if rising := epochs_rising(scenario, trainer):
        print(_("tutor: warning: {warning}").format(warning=rising), file=sys.stderr)
    if default_epochs:
        print(_("ran 1 epoch (the default); use --epochs N for more, e.g. --epochs 200"), file=sys.stderr)
