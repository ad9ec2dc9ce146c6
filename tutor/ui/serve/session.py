"""One browser tab's session: its lesson process, started by a launcher, ended when the tab or the server goes.

textual-serve makes one ``AppService`` per tab's websocket and talks to the
lesson over its stdin and stdout (its packet protocol). A ``Session`` is that
service with two changes: where its process comes from is the launcher's
business (a fork of the pre-loaded process, ``forks.Forks``, or a fresh
``python -m tutor``, ``fresh.FreshProcesses``), and it is kept in ``LIVE``
while it runs, so that stopping the server can end every lesson and wait for
its process. A lesson that ends by itself (it crashed, or was killed) closes
its tab's connection, so the page says the session ended.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any, Protocol

from textual_serve.app_service import AppService

STOP_TIMEOUT = 5.0
"""Seconds each lesson gets to quit when the server stops, before it is killed."""


def lesson_environment() -> dict[str, str]:
    """The environment textual-serve gives every lesson (Textual's web driver, colours...), less what
    each tab sets itself: its terminal size."""
    service = AppService("", write_bytes=None, write_str=None, close=None, download_manager=None)  # type: ignore[arg-type]
    environment = service._build_environment()
    for per_tab in ("COLUMNS", "ROWS"):
        environment.pop(per_tab, None)
    return environment


class Stopping(Exception):
    """The launcher is stopping with the server: no more lessons."""


class Launcher(Protocol):
    """Where lessons come from: ``open`` starts one with that environment and returns its process
    (asyncio's ``Process`` or one that looks like it); ``release`` lets go of an exited one."""

    async def start(self) -> None: ...

    async def open(self, env: dict[str, str]) -> Any: ...

    def release(self, process: Any) -> None: ...

    async def stop(self) -> None: ...


class Session(AppService):
    """One tab's lesson process, kept in ``LIVE`` while it runs so that shutdown can end it."""

    LIVE: set["Session"] = set()

    def __init__(self, command: str, *, launcher: Launcher, **options: Any) -> None:
        super().__init__(command, **options)
        self.launcher = launcher

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        """The tab's lesson, from the launcher, with the environment textual-serve gives it (its terminal size)."""
        self._process = process = await self.launcher.open(self._build_environment(width=width, height=height))
        self._stdin = process.stdin
        return process

    async def start(self, width: int, height: int) -> None:
        Session.LIVE.add(self)
        try:
            await super().start(width, height)
        except Stopping:  # a tab that arrives as the server stops: its page says the session ended
            Session.LIVE.discard(self)
            await self.remote_close()

    async def run(self) -> None:
        """Relay the lesson's output to the tab until it ends; then close the tab's connection (the page says so).

        textual-serve reads the lesson's errors in a task of its own, cancelled when the output
        ends; a lesson that ends at once (a bad argument, say) ends its output before that task
        has run, and the task's cancellation then ends this one too, leaving the tab open and the
        errors unread. Here only a cancellation of this task itself stops it, and whatever
        errors are left are shown as textual-serve shows them.
        """
        try:
            await super().run()
        except asyncio.CancelledError:
            if asyncio.current_task().cancelling():
                raise
        await self._show_errors_left()
        await self.remote_close()

    async def _show_errors_left(self) -> None:
        try:
            left = await asyncio.wait_for(self._process.stderr.read(), STOP_TIMEOUT)
        except (asyncio.TimeoutError, ConnectionError, ValueError):
            return
        if left:
            sys.stdout.write(left.decode("utf-8", "replace"))

    async def stop(self) -> None:
        """Quit the lesson (a tab closed), then wait for its process to be gone."""
        try:
            await super().stop()
        finally:
            Session.LIVE.discard(self)
            await self._reap()

    async def end(self) -> None:
        """Ask the lesson to quit; kill it if it does not, and wait until it is gone."""
        try:
            await asyncio.wait_for(super().stop(), STOP_TIMEOUT)
        except (asyncio.TimeoutError, ConnectionError, OSError):
            pass
        Session.LIVE.discard(self)
        await self._reap()

    async def _reap(self) -> None:
        """Wait for the lesson's process to exit (killing it after ``STOP_TIMEOUT``), then let go of its pipes.

        The exit must be collected by whoever watches the process before the
        process object is dropped: dropping an asyncio process while it runs
        makes its transport poll (and so reap) it behind the child watcher's
        back, which then logs a warning about an unknown child.
        """
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            try:
                await asyncio.wait_for(asyncio.shield(process.wait()), STOP_TIMEOUT)
            except asyncio.TimeoutError:
                # os.kill, not process.kill(): the latter polls first and may reap the process itself.
                try:
                    os.kill(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                await process.wait()
        self.launcher.release(process)
