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
from tutor.scenario import resolve
from tutor.teach.modes import PICTURED

HELP = "write a handout: the screen at a step (.svg, .html) or a worksheet (.md)"
DESCRIPTION = ("Write the screen as the app draws it at a step (.svg, or .html showing it), or a "
               "worksheet with forward and backward tables (.md).")

OWN_WALK = ("forward", "paths")
"""Modes that walk from one leaf (``--wrt``); ``--step`` is their position."""
NO_STEPS = ("check", "train")
"""Modes whose screen is the same at every step of the lesson."""


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="a scenario file or a built-in name such as shopping")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.svg, FILE.html or FILE.md")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists (without it, an existing "
                        "file is kept and export stops)")
    parser.add_argument("--step", metavar="K", help="step to draw: 0 = start (default), end = last "
                        "step; in forward and paths modes, the position in the mode's walk")
    parser.add_argument("--view", choices=("expanded", "groups", "neurons"), help="the graph's view (default: the "
                        "scenario's own)")
    parser.add_argument("--mode", default="step", choices=PICTURED, help="the mode shown (pictures only; default step)")
    parser.add_argument("--wrt", metavar="LEAF", help="the leaf for --mode forward or paths (default: the first)")
    parser.add_argument("--size", metavar="COLSxROWS", help="screen size of a picture (default 100x32)")
    parser.add_argument("--theme", help="Textual theme of a picture (default textual-dark; textual-light prints well)")
    parser.add_argument("--row", type=int, metavar="K", help="step through row K of the scenario's data (from 1)")
    parser.add_argument("--blanks", action="store_true", help="worksheet: leave values and gradients blank, "
                        "with the answers at the end")


def _refuse_unused(args: argparse.Namespace, kind: str) -> None:
    """One line for an option the chosen handout would ignore."""
    if kind == ".md":
        picture_only = {
            "--step": (args.step, "a worksheet covers every step of the lesson"),
            "--size": (args.size, "a worksheet is text, with no screen size"),
            "--theme": (args.theme, "a worksheet is text, with no colours"),
            "--wrt": (args.wrt, "a worksheet has the step-by-step tables, not the modes"),
        }
        for flag, (value, reason) in picture_only.items():
            if value is not None:
                raise UsageError(f"{flag} is for pictures (.svg, .html); {reason}")
        if args.mode != "step":
            raise UsageError("--mode is for pictures (.svg, .html); a worksheet covers the whole lesson")
        return
    if args.blanks:
        raise UsageError("--blanks is for worksheets (.md)")
    if args.wrt is not None and args.mode not in OWN_WALK:
        raise UsageError(f"--wrt is for --mode {' or '.join(OWN_WALK)}: the leaf their walk starts from")
    if args.step is not None and args.mode in NO_STEPS:
        raise UsageError(f"--step: the {args.mode} mode's screen is the same at every step; leave --step out")


def _step(text: str | None) -> int | str:
    if text is None or text == "end":
        return text or 0
    try:
        step = int(text)
    except ValueError:
        raise UsageError(f"--step expects a number or 'end', got {text!r}") from None
    if step < 0:
        raise UsageError("--step must be 0 or more (or 'end')")
    return step


def run(args: argparse.Namespace, console: Console) -> int:
    out = Path(args.output)
    kind = out.suffix.lower()
    if kind not in (".svg", ".html", ".htm", ".md"):
        raise UsageError(f"-o {out}: the file name must end in .svg, .html or .md")
    _refuse_unused(args, kind)
    if not args.force and os.path.lexists(out):
        raise UsageError(f"-o {out}: the file exists; add --force to replace it")
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
            text = export.html_page(text, f"{scenario.title}: step {step}")
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out}")
    return 0
