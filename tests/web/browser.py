"""Drive ``tutor serve`` from headless Chromium: shared by the browser tests and the classroom benchmark.

The page's terminal (xterm.js) draws on a canvas, so its text is not in the
DOM; instead every byte the page receives over its websocket is replayed
into a terminal emulator (pyte) of the size the page announced, which gives
the screen the learner sees, row by row.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = os.environ.get("TUTOR_TEST_CHROMIUM", "/usr/bin/chromium")
"""The browser to drive: Debian's chromium, or the one TUTOR_TEST_CHROMIUM names."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
        import pyte  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install -e '.[test]')"
    if chromium_path() is None:
        return f"no chromium browser at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


def chromium_path() -> str | None:
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    if "TUTOR_TEST_CHROMIUM" in os.environ:
        return None  # the one asked for, or none
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVE_WITH = (
    "import sys\n"
    "from tutor.ui.serve import serve\n"
    "serve(sys.argv[1] or None, '127.0.0.1', int(sys.argv[2]), title='tutor', preload=sys.argv[3] == 'forks',\n"
    "      app_args=sys.argv[4:])\n"
)
"""``tutor serve`` with its lessons forked (``forks``) or fresh processes (``fresh``), chosen by the test,
and more arguments for every lesson after those."""


class Server:
    """``tutor serve`` running in a subprocess on a free local port.

    ``preload``: None runs the command as a teacher does (``python -m tutor serve``); True or
    False choose how lessons start (forked from a pre-loaded process, or fresh processes).
    """

    def __init__(
        self, scenario: str | None, cwd: Path, preload: bool | None = None, env: dict | None = None,
        app_args: tuple[str, ...] = (),
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        if preload is None:
            argv = [sys.executable, "-m", "tutor", "serve", *([scenario] if scenario else []), "--port", str(self.port)]
        else:
            way = "forks" if preload else "fresh"
            argv = [sys.executable, "-c", SERVE_WITH, scenario or "", str(self.port), way, *app_args]
        env = {**os.environ, "COLUMNS": "200", "PYTHONUNBUFFERED": "1", **(env or {})}
        self.log = cwd / f"serve-{self.port}.log"
        self._log = self.log.open("w+", encoding="utf-8")
        # Its own process group, so that interrupt() is a terminal's Ctrl+C: the server and every lesson get SIGINT.
        self.process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tutor serve exited early:\n{self.output()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"tutor serve did not listen on {self.port}:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    interrupted: list[int] = []
    interrupted_preloaded: list[int] = []

    def sessions(self) -> list[int]:
        """Process ids of the lessons this server runs (forked ones are its children; fresh ones, a shell's)."""
        return [pid for pid in descendants(self.process.pid) if _is_tutor_app(pid)]

    def preloaded(self) -> list[int]:
        """Process ids of the pre-loaded process (one, or none when lessons start as fresh processes)."""
        return [pid for pid in descendants(self.process.pid) if process_name(pid) == PRELOAD_NAME]

    def interrupt(self, timeout: float = 20) -> int:
        """Ctrl+C, as a teacher stops it (the whole process group gets SIGINT); the exit status.

        The lessons running at that moment are kept in ``interrupted``: once the server
        has gone they are no longer its descendants, so ``survivors`` looks them up by id.
        """
        self.interrupted = self.sessions()
        self.interrupted_preloaded = self.preloaded()
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout)
        finally:
            self._log.close()

    def survivors(self, grace: float = 10) -> list[int]:
        """The lessons (and pre-loaded process) running at ``interrupt`` still there after ``grace`` seconds."""
        deadline = time.monotonic() + grace
        while True:
            alive = [pid for pid in self.interrupted if _is_tutor_app(pid)]
            alive += [pid for pid in self.interrupted_preloaded if process_name(pid) == PRELOAD_NAME]
            if not alive or time.monotonic() > deadline:
                return alive
            time.sleep(0.1)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self._log.close()


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


PRELOAD_NAME, LESSON_NAME = "tutor-preload", "tutor-lesson"
"""The names (``comm``) of the pre-loaded process and of the lessons forked from it."""


def process_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    """The process is there: running, or exited but never reaped (a zombie is left behind too)."""
    try:
        Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return True


def _is_tutor_app(pid: int) -> bool:
    name = process_name(pid)
    if name in (LESSON_NAME, PRELOAD_NAME):
        return name == LESSON_NAME  # forked lessons share the pre-loaded process's command line
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"-m" in argv and b"tutor" in argv and b"serve" not in argv and not argv[0].endswith(b"sh")


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB: PSS shares common pages fairly between processes."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Tab:
    """One browser tab on the served page, with the screen it shows."""

    def __init__(self, context, url: str, wait_until: str = "load") -> None:  # noqa: ANN001 - a BrowserContext
        import pyte

        self.page = context.new_page()
        self.received: list[bytes] = []
        self.sent: list[str | bytes] = []
        self.size = (80, 24)
        self.page.on("websocket", self._watch)
        self.requests: list[str] = []
        """Every address the page asked for over HTTP (the page and every file it loads)."""
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.opened = time.monotonic()
        self.page.goto(url, wait_until=wait_until)
        self._screen = pyte.Screen(*self.size)
        self._stream = pyte.ByteStream(self._screen)
        self._fed = 0

    def _watch(self, ws) -> None:  # noqa: ANN001 - a Playwright WebSocket
        ws.on("framereceived", lambda payload: isinstance(payload, bytes) and self.received.append(payload))
        ws.on("framesent", self._sent)

    def _sent(self, payload: str | bytes) -> None:
        self.sent.append(payload)
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.size = (int(size["width"]), int(size["height"]))

    def text(self) -> str:
        """The terminal's screen now, one line per row."""
        if (self._screen.columns, self._screen.lines) != self.size:
            import pyte

            self._screen = pyte.Screen(*self.size)
            self._stream = pyte.ByteStream(self._screen)
            self._fed = 0
        while self._fed < len(self.received):
            self._stream.feed(self.received[self._fed])
            self._fed += 1
        return "\n".join(line.rstrip() for line in self._screen.display)

    def wait_for(self, words: str, timeout: float = 30) -> float:
        """Wait until ``words`` is on screen; seconds since the tab was opened."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if words in self.text():
                return time.monotonic() - self.opened
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{words!r} never appeared; the screen shows:\n{self.text()}")

    def press(self, key: str) -> None:
        self.page.focus(".xterm-helper-textarea")  # focus without a click, which the app would see
        self.page.keyboard.press(key)

    def close(self) -> None:
        self.page.close()


@contextmanager
def browser(profile: Path) -> Iterator:
    """Headless Chromium with a fresh profile; yields a Playwright browser context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium_path(),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1100, "height": 700},
        )
        try:
            yield context
        finally:
            context.close()
