"""Lessons as fresh processes: each tab runs ``python -m tutor`` from nothing (where lessons cannot be forked).

This is how textual-serve runs an app: a shell command per tab, with the
lesson's environment. It costs a whole Python start and every import per
tab; ``forks`` avoids that on Linux, and the classroom benchmark measures
the two side by side.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Sequence


def shell_command(program: str, args: Sequence[str] = ()) -> str:
    """The shell command each browser tab runs (``exec``: the lesson replaces the shell, one process per tab)."""
    return "exec " + shlex.join([sys.executable, "-m", program, *args])


class FreshProcesses:
    """Each lesson a new process running ``shell_command``."""

    def __init__(self, program: str, args: Sequence[str]) -> None:
        self.command = shell_command(program, args)

    async def start(self) -> None:
        pass

    async def open(self, env: dict[str, str]) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_shell(
            self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )

    def release(self, process: asyncio.subprocess.Process) -> None:
        pass  # asyncio closes a process's pipes when it exits

    async def stop(self) -> None:
        pass
