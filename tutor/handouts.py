"""``tutor export``: a picture of a step (.svg, .html) or a worksheet (.md), for handouts.

Every option either changes the handout or is refused with one line: a
teacher who asks for ``--step 3`` on a worksheet learns that a worksheet
covers every step, instead of getting the same file as without it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console

from tutor.scenario import resolve

OWN_WALK = ("forward", "paths")
"""Modes that walk from one leaf (``--wrt``); ``--step`` is their position."""
NO_STEPS = ("check", "train")
"""Modes whose screen is the same at every step of the lesson."""


def _usage(message: str) -> Exception:
    from tutor.cli import UsageError

    return UsageError(message)


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
                raise _usage(f"{flag} is for pictures (.svg, .html); {reason}")
        if args.mode != "step":
            raise _usage("--mode is for pictures (.svg, .html); a worksheet covers the whole lesson")
        return
    if args.blanks:
        raise _usage("--blanks is for worksheets (.md)")
    if args.wrt is not None and args.mode not in OWN_WALK:
        raise _usage(f"--wrt is for --mode {' or '.join(OWN_WALK)}: the leaf their walk starts from")
    if args.step is not None and args.mode in NO_STEPS:
        raise _usage(f"--step: the {args.mode} mode's screen is the same at every step; leave --step out")


def _step(text: str | None) -> int | str:
    if text is None or text == "end":
        return text or 0
    try:
        step = int(text)
    except ValueError:
        raise _usage(f"--step expects a number or 'end', got {text!r}") from None
    if step < 0:
        raise _usage("--step must be 0 or more (or 'end')")
    return step


def cmd_export(args: argparse.Namespace, console: Console) -> int:
    out = Path(args.output)
    kind = out.suffix.lower()
    if kind not in (".svg", ".html", ".htm", ".md"):
        raise _usage(f"-o {out}: the file name must end in .svg, .html or .md")
    _refuse_unused(args, kind)
    from tutor.cli import checked_row

    scenario = resolve(args.scenario)
    row = checked_row(scenario, args.row)
    if args.theme is not None:  # before any work
        from tutor.ui.export import theme_problem

        if problem := theme_problem(args.theme):
            raise _usage(problem)
    if kind == ".md":
        from tutor.teach.worksheet import worksheet

        text = worksheet(scenario, view=args.view, blanks=args.blanks, row=row)
    else:
        step = _step(args.step)
        from tutor.ui import export

        try:
            size = export.DEFAULT_SIZE if args.size is None else export.parse_size(args.size)
            theme = export.DEFAULT_THEME if args.theme is None else args.theme
            spec = scenario.path if os.path.isfile(args.scenario) else args.scenario
            shot = export.Shot(spec, step, args.view, args.mode, args.wrt, size, theme, row)
            text = export.svg(shot)
        except export.ExportError as exc:
            raise _usage(str(exc)) from None
        if kind != ".svg":
            text = export.html_page(text, f"{scenario.title}: step {step}")
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _usage(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out}")
    return 0
