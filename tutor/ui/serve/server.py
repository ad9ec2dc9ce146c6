"""The web server: textual-serve's, with the tutor's page (its font served here) and lessons from a launcher.

Every browser tab opens a websocket; textual-serve makes a session for it
(``session.Session``), whose lesson comes from the launcher the server was
given. The page is textual-serve's with one change: the terminal's font
comes from this server (``page/fonts``), not from a font service on the
internet, so a student's browser asks nothing of any other host.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from tutor.ui.serve.session import Launcher, Session

PAGE = Path(__file__).parent / "page"
"""The page's template (``app_index.html``) and its fonts (``fonts/``, served at ``/fonts/``)."""
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


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


def check_address(host: str, port: int) -> None:
    """Raise OSError now if ``host:port`` cannot be listened on, before announcing an address that will not work."""
    for family, kind, proto, _, address in socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)


class TutorServer(Server):
    """textual-serve's server: announced in one line, the tutor's page, every lesson ended when it stops."""

    def __init__(self, launcher: Launcher, host: str, port: int, title: str, url: str | None = None) -> None:
        super().__init__(
            "tutor", host=host, port=port, title=title, public_url=url or public_url(host, port), templates_path=PAGE
        )
        self.launcher = launcher

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_static("/fonts", PAGE / "fonts", name="fonts")
        return app

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page: textual-serve's context (the websocket's and static files' addresses), and the fonts'."""
        router = request.app.router

        def address(route: str, **parts: str) -> str:
            return f"{self.public_url}{router[route].url_for(**parts)}"

        websocket = address("websocket")
        scheme = "wss:" if self.public_url.startswith("https") else "ws:"
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": scheme + websocket.split(":", 1)[1],
            "config": {"static": {"url": address("static", filename="/").rstrip("/") + "/"}},
            "fonts_url": address("fonts", filename="/").rstrip("/") + "/",
            "application": {"name": self.title},
        }

    async def on_startup(self, app: web.Application) -> None:
        await self.launcher.start()
        self.console.print(
            f"Serving {self.title} on {self.public_url}  (one lesson per browser tab; Ctrl+C stops)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: end every lesson and wait for its process, then the launcher, so nothing outlives the server."""
        await asyncio.gather(*(session.end() for session in list(Session.LIVE)), return_exceptions=True)
        await self.launcher.stop()
