"""``tutor export SCENARIO -o FILE``: a picture of a step (.svg, .html) or a worksheet (.md), for handouts.

Every option either changes the handout or is refused with one line: a
teacher who asks for ``--step 3`` on a worksheet learns that a worksheet
covers every step, instead of getting the same file as without it. An
existing file is kept unless ``--force`` says to replace it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console

from tutor.cli.arguments import UsageError, checked_row
from tutor.i18n import N_, _
from tutor.scenario import resolve
from tutor.teach.modes import PICTURED

HELP = N_("write a handout: the screen at a step (.svg, .html) or a worksheet (.md)")
DESCRIPTION = N_("Write the screen as the app draws it at a step (.svg, or .html showing it), or a "
                 "worksheet with forward and backward tables (.md).")

OWN_WALK = ("forward", "paths")
"""Modes that walk from one leaf (``--wrt``); ``--step`` is their position."""
NO_STEPS = ("check", "train")
"""Modes whose screen is the same at every step of the lesson."""


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help=_("a scenario file or a built-in name such as shopping"))
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help=_("FILE.svg, FILE.html or FILE.md"))
    parser.add_argument("--force", action="store_true", help=_("replace FILE if it exists (without it, an existing "
                        "file is kept and export stops)"))
    parser.add_argument("--step", metavar="K", help=_("step to draw: 0 = start (default), end = last "
                        "step; in forward and paths modes, the position in the mode's walk"))
    parser.add_argument("--view", choices=("expanded", "groups", "neurons"), help=_("the graph's view (default: the "
                        "scenario's own)"))
    parser.add_argument("--mode", default="step", choices=PICTURED,
                        help=_("the mode shown (pictures only; default step)"))
    parser.add_argument("--wrt", metavar="LEAF", help=_("the leaf for --mode forward or paths (default: the first)"))
    parser.add_argument("--size", metavar="COLSxROWS", help=_("screen size of a picture (default 100x32)"))
    parser.add_argument("--theme",
                        help=_("Textual theme of a picture (default textual-dark; textual-light prints well)"))
    parser.add_argument("--row", type=int, metavar="K", help=_("step through row K of the scenario's data (from 1)"))
    parser.add_argument("--blanks", action="store_true", help=_("worksheet: leave values and gradients blank, "
                        "with the answers at the end"))


def _refuse_unused(args: argparse.Namespace, kind: str) -> None:
    """One line for an option the chosen handout would ignore."""
    if kind == ".md":
        picture_only = {
            "--step": (args.step, N_("a worksheet covers every step of the lesson")),
            "--size": (args.size, N_("a worksheet is text, with no screen size")),
            "--theme": (args.theme, N_("a worksheet is text, with no colours")),
            "--wrt": (args.wrt, N_("a worksheet has the step-by-step tables, not the modes")),
        }
        for flag, (value, reason) in picture_only.items():
            if value is not None:
                raise UsageError(_("{flag} is for pictures (.svg, .html); {reason}").format(flag=flag, reason=_(reason)))
        if args.mode != "step":
            raise UsageError(_("--mode is for pictures (.svg, .html); a worksheet covers the whole lesson"))
        return
    if args.blanks:
        raise UsageError(_("--blanks is for worksheets (.md)"))
    if args.wrt is not None and args.mode not in OWN_WALK:
        raise UsageError(_("--wrt is for --mode {modes}: the leaf their walk starts from").format(
            modes=" or ".join(OWN_WALK)))
    if args.step is not None and args.mode in NO_STEPS:
        raise UsageError(_("--step: the {mode} mode's screen is the same at every step; leave --step out").format(
            mode=args.mode))


def _step(text: str | None) -> int | str:
    if text is None or text == "end":
        return text or 0
    try:
        step = int(text)
    except ValueError:
        raise UsageError(_("--step expects a number or 'end', got {text}").format(text=repr(text))) from None
    if step < 0:
        raise UsageError(_("--step must be 0 or more (or 'end')"))
    return step


def run(args: argparse.Namespace, console: Console) -> int:
    out = Path(args.output)
    kind = out.suffix.lower()
    if kind not in (".svg", ".html", ".htm", ".md"):
        raise UsageError(_("-o {file}: the file name must end in .svg, .html or .md").format(file=out))
    _refuse_unused(args, kind)
    if not args.force and os.path.lexists(out):
        raise UsageError(_("-o {file}: the file exists; add --force to replace it").format(file=out))
    scenario = resolve(args.scenario)
    row = checked_row(scenario, args.row)
    if args.theme is not None:  # before any work
        from tutor.ui.export import theme_problem

        if problem := theme_problem(args.theme):
            raise UsageError(problem)
    if kind == ".md":
        from tutor.teach.worksheet import worksheet

        text = worksheet(scenario, view=args.view, blanks=args.blanks, row=row)
    else:
        step = _step(args.step)
        from tutor.ui import export  # Textual draws the picture: only for a picture

        try:
            size = export.DEFAULT_SIZE if args.size is None else export.parse_size(args.size)
            theme = export.DEFAULT_THEME if args.theme is None else args.theme
            spec = scenario.path if os.path.isfile(args.scenario) else args.scenario
            shot = export.Shot(spec, step, args.view, args.mode, args.wrt, size, theme, row)
            text = export.svg(shot)
        except export.ExportError as exc:
            raise UsageError(str(exc)) from None
        if kind != ".svg":
            text = export.html_page(text, _("{title}: step {step}").format(title=scenario.title, step=step))
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(_("cannot write {path}: {reason}").format(path=out, reason=exc.strerror or exc)) from None
    print(_("wrote {path}").format(path=out))
    return 0
