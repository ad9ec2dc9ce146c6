"""Serve the tutor to browsers: every tab gets its own lesson, in its own process.

- ``server``: the web server (textual-serve's) and the page, whose font is served here;
- ``session``: one tab's session, ending its lesson when the tab or the server goes;
- ``forks``: lessons forked from a pre-loaded process (``tutor.ui.preload``), which has
  imported Python, Textual and the tutor once for every tab; ``children`` reaps them;
- ``fresh``: lessons as fresh ``python -m tutor`` processes, where forking is not possible.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence

import textual_serve.server

from tutor.ui import preload as preloaded
from tutor.ui.serve import forks
from tutor.ui.serve.forks import Forks
from tutor.ui.serve.fresh import FreshProcesses, shell_command
from tutor.ui.serve.server import TutorServer, check_address, public_url
from tutor.ui.serve.session import Launcher, Session, lesson_environment

__all__ = ["app_command", "lesson_args", "public_url", "serve"]

PROGRAM = "tutor"
"""Each lesson is ``python -m tutor [SCENARIO] [ARGS]``, forked or fresh."""


def lesson_args(scenario: str | None, app_args: Sequence[str] = ()) -> list[str]:
    """A lesson's command-line arguments: the scenario (a file by its absolute path) and any others for the app."""
    args = []
    if scenario:
        args.append(os.path.abspath(scenario) if os.path.isfile(scenario) else scenario)
    return [*args, *app_args]


def app_command(scenario: str | None, app_args: Sequence[str] = ()) -> str:
    """The shell command a tab runs as a fresh process (``exec``: the lesson replaces the shell)."""
    return shell_command(PROGRAM, lesson_args(scenario, app_args))


def launcher(scenario: str | None, app_args: Sequence[str] = (), preload: bool | None = None) -> Launcher:
    """Where the lessons come from: forks of a pre-loaded process (the default where possible), or fresh processes."""
    args = lesson_args(scenario, app_args)
    if preload is False or not forks.supported():
        return FreshProcesses(PROGRAM, args)
    # The pre-loaded process rehearses a lesson as the tabs will open it (the picker's: a built-in one).
    rehearsal = args if scenario else lesson_args(preloaded.REHEARSAL_SCENARIO, app_args)
    return Forks(PROGRAM, args, lesson_environment(), rehearsal=rehearsal)


def serve(
    scenario: str | None,
    host: str,
    port: int,
    title: str,
    url: str | None = None,
    *,
    app_args: Sequence[str] = (),
    preload: bool | None = None,
) -> None:
    """Run the web server until Ctrl+C (or SIGTERM).

    ``app_args``: more arguments for every lesson (``python -m tutor SCENARIO ARGS``).
    ``preload``: fork lessons from a pre-loaded process where this system allows it (True or
    None, the default), or start each as a fresh process (False).
    """
    check_address(host, port)
    lessons = launcher(scenario, app_args, preload)
    # The server makes one AppService per tab; ours takes its lesson from the launcher and can be ended on shutdown.
    textual_serve.server.AppService = functools.partial(Session, launcher=lessons)
    TutorServer(lessons, host, port, title=title, url=url).serve()
