"""Serve the tutor to browsers: every tab gets its own lesson, in its own process.

textual-serve runs one command per browser tab, with Textual's web driver
set in that process's environment; the command here is this Python running
``-m tutor`` (with the scenario, or none for the picker).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import shlex
import signal
import socket
import sys

import textual_serve.server
from textual_serve.app_service import AppService
from textual_serve.server import Server

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def app_command(scenario: str | None) -> str:
    """The shell command each browser tab runs (``exec``: the lesson replaces the shell, one process per tab)."""
    argv = [sys.executable, "-m", "tutor"]
    if scenario:
        argv.append(os.path.abspath(scenario) if os.path.isfile(scenario) else scenario)
    return "exec " + shlex.join(argv)


def public_url(host: str, port: int) -> str:
    """The address browsers use: the host itself, or this machine's name when listening on every address."""
    if host in WILDCARD_HOSTS:
        host = socket.gethostname()
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f"[{host}]"
    except ValueError:
        pass
    return f"http://{host}:{port}"


STOP_TIMEOUT = 5.0
"""Seconds each lesson gets to quit when the server stops, before it is killed."""


class _Session(AppService):
    """One tab's lesson process, kept in ``LIVE`` while it runs so that shutdown can end it."""

    LIVE: set["_Session"] = set()

    async def start(self, width: int, height: int) -> None:
        _Session.LIVE.add(self)
        await super().start(width, height)

    async def stop(self) -> None:
        """Quit the lesson (a tab closed), then wait for its process to be gone."""
        try:
            await super().stop()
        finally:
            _Session.LIVE.discard(self)
            await self._reap()

    async def end(self) -> None:
        """Ask the lesson to quit; kill it if it does not, and wait until it is gone."""
        try:
            await asyncio.wait_for(super().stop(), STOP_TIMEOUT)
        except (asyncio.TimeoutError, ConnectionError, OSError):
            pass
        _Session.LIVE.discard(self)
        await self._reap()

    async def _reap(self) -> None:
        """Wait for the lesson's process to exit (killing it after ``STOP_TIMEOUT``).

        The exit must be collected by asyncio's child watcher before the process
        object is dropped: dropping it while the process runs makes the transport
        poll (and so reap) it behind the watcher's back, which then logs a warning
        about an unknown child.
        """
        process = self._process
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(process.wait()), STOP_TIMEOUT)
            return
        except asyncio.TimeoutError:
            pass
        # os.kill, not process.kill(): the latter polls first and may reap the process itself.
        try:
            os.kill(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        await process.wait()


class TutorServer(Server):
    """textual-serve's server, announcing itself in one line and ending every lesson when it stops."""

    def __init__(self, command: str, host: str, port: int, title: str, url: str | None = None) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=url or public_url(host, port))

    async def on_startup(self, app) -> None:  # noqa: ANN001 - aiohttp's Application
        self.console.print(
            f"Serving {self.title} on {self.public_url}  (one lesson per browser tab; Ctrl+C stops)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )

    async def on_shutdown(self, app) -> None:  # noqa: ANN001 - aiohttp's Application
        """Ctrl+C: end every lesson and wait for its process, so none outlives the server or is left unreaped."""
        await asyncio.gather(*(session.end() for session in list(_Session.LIVE)), return_exceptions=True)


def check_address(host: str, port: int) -> None:
    """Raise OSError now if ``host:port`` cannot be listened on, before announcing an address that will not work."""
    for family, kind, proto, _, address in socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)


def serve(scenario: str | None, host: str, port: int, title: str, url: str | None = None) -> None:
    """Run the web server until Ctrl+C."""
    check_address(host, port)
    textual_serve.server.AppService = _Session  # the server makes one per tab; ours can be ended on shutdown
    TutorServer(app_command(scenario), host, port, title=title, url=url).serve()
