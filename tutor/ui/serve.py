"""Serve the tutor to browsers: every tab gets its own lesson, in its own process.

textual-serve runs one command per browser tab, with Textual's web driver
set in that process's environment; the command here is this Python running
``-m tutor`` (with the scenario, or none for the picker).
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import socket
import sys

from textual_serve.server import Server

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def app_command(scenario: str | None) -> str:
    """The shell command each browser tab runs."""
    argv = [sys.executable, "-m", "tutor"]
    if scenario:
        argv.append(os.path.abspath(scenario) if os.path.isfile(scenario) else scenario)
    return shlex.join(argv)


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


class TutorServer(Server):
    """textual-serve's server, announcing itself in one line."""

    def __init__(self, command: str, host: str, port: int, title: str, url: str | None = None) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=url or public_url(host, port))

    async def on_startup(self, app) -> None:  # noqa: ANN001 - aiohttp's Application
        self.console.print(
            f"Serving {self.title} on {self.public_url}  (one lesson per browser tab; Ctrl+C stops)",
            highlight=False,
            markup=False,
        )


def serve(scenario: str | None, host: str, port: int, title: str, url: str | None = None) -> None:
    """Run the web server until Ctrl+C."""
    TutorServer(app_command(scenario), host, port, title=title, url=url).serve()
