"""A browser tab without a browser: the served page's websocket protocol, and the screen the tab would show.

The page (textual-serve's ``textual.js``) opens ``/ws?width=W&height=H`` and
sends JSON envelopes: ``["resize", {"width": W, "height": H}]`` once open,
``["stdin", TEXT]`` for every key, ``["ping", T]``, ``["focus"]`` and
``["blur"]``. It receives the lesson's terminal output as binary frames and
a few JSON envelopes (``["pong", T]``...); the server closes the socket when
the lesson ends. The output is replayed into a terminal emulator (pyte) of
the announced size, which gives the screen row by row. Used by the serving
tests and the classroom benchmark (``tests/bench/bench_classroom.py``).
"""

from __future__ import annotations

import asyncio
import codecs
import json
import time

import aiohttp
import pyte

KEYS = {"right": "\x1b[C", "left": "\x1b[D", "down": "\x1b[B", "up": "\x1b[A", "enter": "\r", "escape": "\x1b"}
"""What xterm.js sends for a few keys."""


class PageTab:
    """One tab's websocket session on a ``tutor serve``; ``async with PageTab(url) as tab``."""

    def __init__(self, url: str, width: int = 100, height: int = 32) -> None:
        self.url = url.rstrip("/")
        self.size = (width, height)
        self._screen = pyte.Screen(width, height)
        self._stream = pyte.ByteStream(self._screen)
        self._unread: list[bytes] = []
        """Output not yet replayed into the screen (replaying costs: it is done when the screen is read)."""
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self.output = ""
        """Everything the lesson sent, as text with its escape sequences."""
        self._changed = asyncio.Event()
        self.opened = 0.0
        """When the tab started opening (``time.monotonic``)."""
        self.first_output: float | None = None
        """Seconds from opening to the first output of its lesson."""
        self.closed = False
        """The server closed the connection (the lesson ended)."""
        self._session: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task | None = None

    async def __aenter__(self) -> PageTab:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self, page: bool = True) -> None:
        """Open as the browser does: the page first (``page``), then the websocket, then the size."""
        self.opened = time.monotonic()
        self._session = aiohttp.ClientSession()
        if page:
            async with self._session.get(self.url + "/") as response:
                await response.read()
        width, height = self.size
        self._socket = await self._session.ws_connect(f"{self.url}/ws?width={width}&height={height}")
        await self._socket.send_str(json.dumps(["resize", {"width": width, "height": height}]))
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self._socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                if self.first_output is None:
                    self.first_output = time.monotonic() - self.opened
                self._unread.append(message.data)
                self.output += self._decode(message.data)
                self._changed.set()
        self.closed = True
        self._changed.set()

    def text(self) -> str:
        """The terminal's screen now, one line per row."""
        for data in self._unread:
            self._stream.feed(data)
        self._unread.clear()
        return "\n".join(line.rstrip() for line in self._screen.display)

    @property
    def screen(self) -> pyte.Screen:
        """The terminal (pyte), up to date: its cells carry their colours."""
        self.text()
        return self._screen

    async def wait_for(self, words: str, timeout: float = 30, on_screen: bool = True) -> float:
        """Wait until ``words`` is on screen (or, ``on_screen=False``, only sent: cheaper, no replay);
        seconds since the tab was opened."""
        deadline = time.monotonic() + timeout
        while words not in (self.text() if on_screen else self.output):
            if self.closed:
                raise AssertionError(f"the session ended before {words!r} appeared; the screen shows:\n{self.text()}")
            self._changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{words!r} never appeared; the screen shows:\n{self.text()}")
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except asyncio.TimeoutError:
                pass
        return time.monotonic() - self.opened

    async def wait_closed(self, timeout: float = 30) -> None:
        """Wait until the server has closed this tab's connection."""
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)

    async def press(self, key: str) -> None:
        await self._socket.send_str(json.dumps(["stdin", KEYS.get(key, key)]))

    async def close(self) -> None:
        """Close the tab (its websocket)."""
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.wait([self._reader], timeout=10)
        if self._session is not None:
            await self._session.close()
