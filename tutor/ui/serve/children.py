"""The server as the parent of every lesson: it adopts the lessons forked for it, and reaps every child.

Lessons forked by the pre-loaded process are handed to the server: the server
is a *child subreaper* (Linux ``prctl``), so a process whose parent exits is
reparented to it rather than to the system's first process. It then reaps
every child as it exits (``SIGCHLD``, ``waitpid``), the lessons and the
pre-loaded process alike, which leaves no zombie behind, and a process id it
has not reaped yet cannot be reused, so ending a lesson by its id is safe.

Nothing else in a server that forks lessons starts child processes (the
fresh-process mode, which uses asyncio's own child watcher, does not use
this), so reaping any child here takes none from another owner.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import sys
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
"""From <linux/prctl.h>."""
FORGET_AFTER = 60.0
"""Seconds an exit nobody asked about is remembered (a lesson that ended before its fork was answered)."""


def become_subreaper() -> bool:
    """Adopt this process's orphaned descendants (Linux); False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


class Children:
    """Every child of this process, reaped when it exits; ``exit_of(pid)`` is its exit status."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: dict[int, asyncio.Future[int]] = {}
        self._unclaimed: dict[int, tuple[int, float]] = {}

    def start(self) -> None:
        self._loop.add_signal_handler(signal.SIGCHLD, self.reap)
        self.reap()

    def stop(self) -> None:
        self._loop.remove_signal_handler(signal.SIGCHLD)

    def exit_of(self, pid: int) -> asyncio.Future[int]:
        """A future for ``pid``'s exit status (``os.waitstatus_to_exitcode``: minus the signal if killed)."""
        future = self._waiting.get(pid)
        if future is None:
            future = self._waiting[pid] = self._loop.create_future()
            if pid in self._unclaimed:
                self._settle(pid, self._unclaimed.pop(pid)[0])
        return future

    def reap(self) -> None:
        """Collect every child that has exited (run on ``SIGCHLD``)."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            code = os.waitstatus_to_exitcode(status)
            if pid in self._waiting:
                self._settle(pid, code)
            else:
                self._unclaimed[pid] = (code, time.monotonic())
        cutoff = time.monotonic() - FORGET_AFTER
        for pid in [pid for pid, (_, at) in self._unclaimed.items() if at < cutoff]:
            del self._unclaimed[pid]

    def _settle(self, pid: int, code: int) -> None:
        future = self._waiting.pop(pid)
        if not future.done():
            future.set_result(code)

    def living(self) -> list[int]:
        """This process's children that have not been reaped yet (from ``/proc``)."""
        me, found = os.getpid(), []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                    found.append(int(entry.name))
        return found
