"""``tutor serve`` with lessons forked from a pre-loaded process: isolation, clean ends, and a page that stays home.

No browser here: each tab is a websocket client speaking the page's protocol
(``page_client``), its screen replayed with pyte. Processes are found by
name (``tutor-lesson``, ``tutor-preload``) among the server's descendants.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from . import browser

pytest.importorskip("pyte")
pytest.importorskip("aiohttp")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="lessons are forked on Linux only")

from .page_client import PageTab  # noqa: E402 - needs pyte and aiohttp

TROUBLE = ("Traceback", "Exception", "WARNING", "ERROR")


def run(coroutine):
    return asyncio.run(coroutine)


def left_behind(pids: list[int], grace: float = 15) -> list[int]:
    """Those of ``pids`` still there (running, or exited and never reaped) after ``grace`` seconds."""
    names = (browser.LESSON_NAME, browser.PRELOAD_NAME)
    deadline = time.monotonic() + grace
    while True:
        there = [pid for pid in pids if browser.alive(pid) and browser.process_name(pid) in names]
        if not there or time.monotonic() > deadline:
            return there
        time.sleep(0.1)


def wait_until(condition, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
    return found


@pytest.fixture
def server(tmp_path):
    """``tutor serve shopping`` with forked lessons; stopped with Ctrl+C afterwards, which must end it cleanly."""
    started = browser.Server("shopping", tmp_path, preload=True)
    yield started
    if started.process.poll() is None:
        assert started.interrupt() == 0, started.output()
        assert started.survivors() == [], started.output()
    for trouble in TROUBLE:
        assert trouble not in started.output(), started.output()


def test_lessons_are_forked_from_one_preloaded_process(server):
    def parent(pid: int) -> int:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])

    async def go() -> None:
        async with PageTab(server.url) as one, PageTab(server.url) as two:
            await one.wait_for("step 0 of 4")
            await two.wait_for("step 0 of 4")
            lessons = server.sessions()
            (preloaded,) = server.preloaded()
            assert len(lessons) == 2 and preloaded not in lessons
            # Handed to the server, which reaps them: a lesson that ends leaves no zombie behind.
            assert [parent(pid) for pid in lessons] == [server.process.pid] * 2
            assert parent(preloaded) == server.process.pid
            assert len(os.listdir(f"/proc/{preloaded}/task")) == 1  # one thread: a fork copies no half-held lock
            # No process holds another's sockets: not the server's (its listening one), nor another tab's.
            holders = [server.process.pid, preloaded, *lessons]
            held = [_sockets(pid) for pid in holders]
            for k, mine in enumerate(held):
                assert mine, holders[k]
                for other in held[k + 1 :]:
                    assert not mine & other, holders

    run(go())


def _sockets(pid: int) -> set[str]:
    """The sockets a process holds (their inodes, as ``/proc`` names them)."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found


def test_a_lesson_killed_from_outside_takes_no_other_with_it(server):
    async def go() -> None:
        tabs = [PageTab(server.url) for _ in range(3)]
        await asyncio.gather(*(tab.open() for tab in tabs))
        for tab in tabs:
            await tab.wait_for("step 0 of 4")
        lessons = server.sessions()
        assert len(lessons) == 3
        victim = lessons[1]
        os.kill(victim, signal.SIGKILL)
        for _ in range(200):  # its tab's connection is closed: the page says the session ended
            closed = [tab for tab in tabs if tab.closed]
            if closed:
                break
            await asyncio.sleep(0.05)
        assert len(closed) == 1
        assert left_behind([victim], grace=10) == []  # reaped: not even a zombie
        for tab in tabs:
            if tab is not closed[0]:
                await tab.press("right")
                await tab.wait_for("step 1 of 4")
                assert not tab.closed
        async with PageTab(server.url) as late:  # and a new student still gets a lesson
            await late.wait_for("step 0 of 4")
        for tab in tabs:
            await tab.close()

    run(go())


def test_closing_a_tab_ends_its_lesson(server):
    async def go() -> None:
        async with PageTab(server.url) as stays:
            leaves = PageTab(server.url)
            await leaves.open()
            await stays.wait_for("step 0 of 4")
            await leaves.wait_for("step 0 of 4")
            both = server.sessions()
            assert len(both) == 2
            await leaves.close()
            (left,) = wait_until(lambda: [pid for pid in both if pid not in server.sessions()] or None)
            assert left_behind([left], grace=10) == []
            await stays.press("right")
            await stays.wait_for("step 1 of 4")
            assert len(server.sessions()) == 1

    run(go())


def test_each_lesson_draws_at_its_tabs_size(server):
    async def screen(width: int, height: int) -> list[str]:
        async with PageTab(server.url, width, height) as tab:
            await tab.wait_for("step 0 of 4")
            await tab.wait_for("Quit")
            return tab.text().splitlines()

    for width, height in ((90, 26), (120, 40)):
        rows = run(screen(width, height))
        assert "Quit" in rows[height - 1]  # the key bar sits on the tab's last row
        panel = [row for row in rows if row.startswith("╭")]
        assert panel and len(panel[0]) == width and panel[0].endswith("╮"), rows  # the panel spans the tab


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_stopping_the_server_ends_every_lesson_and_the_preloaded_process(tmp_path, stop):
    server = browser.Server("shopping", tmp_path, preload=True)
    try:
        async def open_tabs() -> list[PageTab]:
            tabs = [PageTab(server.url) for _ in range(3)]
            await asyncio.gather(*(tab.open() for tab in tabs))
            for tab in tabs:
                await tab.wait_for("step 0 of 4")
            return tabs

        loop = asyncio.new_event_loop()
        tabs = loop.run_until_complete(open_tabs())
        processes = server.sessions() + server.preloaded()
        assert len(processes) == 4
        if stop == "SIGINT":
            status = server.interrupt()  # a terminal's Ctrl+C: the server's whole process group
        else:
            server.process.send_signal(signal.SIGTERM)  # as a service manager stops it
            status = server.process.wait(30)
        assert status == 0, server.output()
        assert left_behind(processes) == [], server.output()
        for tab in tabs:
            loop.run_until_complete(tab.close())
        loop.close()
        output = server.output()
        for trouble in TROUBLE:
            assert trouble not in output, output
    finally:
        server.kill()


def test_a_killed_preloaded_process_is_replaced_and_running_lessons_go_on(server):
    async def go() -> None:
        async with PageTab(server.url) as first:
            await first.wait_for("step 0 of 4")
            (old,) = server.preloaded()
            os.kill(old, signal.SIGKILL)
            new = wait_until(lambda: [pid for pid in server.preloaded() if pid != old] or None)
            assert left_behind([old], grace=10) == []
            await first.press("right")
            await first.wait_for("step 1 of 4")
            async with PageTab(server.url) as second:
                await second.wait_for("step 0 of 4")
            assert server.preloaded() == new

    run(go())


def test_a_saved_theme_reaches_every_forked_lesson(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps({"theme": "textual-light"}), encoding="utf-8")

    async def screen_background(server: browser.Server) -> int:
        async with PageTab(server.url) as tab:
            await tab.wait_for("step 0 of 4")
            await asyncio.sleep(0.3)
            return _brightness(tab)

    backgrounds = {}
    for theme, env in (("light", {"TUTOR_CONFIG_DIR": str(config)}), ("default", {})):
        server = browser.Server("shopping", tmp_path, preload=True, env=env)
        try:
            backgrounds[theme] = run(screen_background(server))
        finally:
            assert server.interrupt() == 0
    assert backgrounds["light"] > 600 > backgrounds["default"], backgrounds


def _brightness(tab: PageTab) -> int:
    """R+G+B of the background most cells of the tab's screen have (0 black, 765 white)."""
    counts: dict[str, int] = {}
    screen = tab.screen
    for y in range(screen.lines):
        for x in range(screen.columns):
            colour = screen.buffer[y][x].bg
            counts[colour] = counts.get(colour, 0) + 1
    common = max(counts, key=counts.get)
    assert re.fullmatch(r"[0-9a-fA-F]{6}", common), common
    return sum(int(common[k : k + 2], 16) for k in (0, 2, 4))


@pytest.mark.parametrize("preload", [True, False], ids=["forked", "fresh"])
def test_more_arguments_reach_every_lesson_as_on_its_command_line(tmp_path, preload):
    # An option the lesson's command line refuses: its own error, in the server's log, proves it got there.
    server = browser.Server("shopping", tmp_path, preload=preload, app_args=("--no-such-option",))
    try:
        async def open_tab() -> None:
            async with PageTab(server.url) as tab:
                await tab.wait_closed()  # the lesson ended at once: the page says the session ended

        run(open_tab())
        wait_until(lambda: "unrecognized arguments: --no-such-option" in server.output())
    finally:
        assert server.interrupt() == 0
    assert server.survivors() == []


def test_a_lessons_arguments_are_the_scenario_then_the_rest(tmp_path, monkeypatch):
    from tutor.ui.serve import lesson_args

    (tmp_path / "mine.yaml").write_text("nodes: {y: 1}\noutput: y\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert lesson_args("mine.yaml", ["--lang", "fr"]) == [str(tmp_path / "mine.yaml"), "--lang", "fr"]
    assert lesson_args("shopping") == ["shopping"]
    assert lesson_args(None, ["--lang", "fr"]) == ["--lang", "fr"]


def test_the_page_asks_nothing_of_another_host(server):
    """The page, its stylesheets and the fonts they name all come from the server itself."""
    base = server.url
    page = _get(base).decode("utf-8")
    assert "googleapis" not in page
    urls = _addresses(page, base)
    stylesheets = [url for url in urls if url.endswith(".css")]
    assert any(url.endswith("fonts.css") for url in stylesheets), urls
    for sheet in stylesheets:
        urls |= _addresses(_get(sheet).decode("utf-8"), sheet)
    assert any(url.endswith(".woff2") for url in urls), urls
    for url in urls:
        assert urlsplit(url).netloc == urlsplit(base).netloc, url
        assert _get(url), url  # and it is there


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - our own server on 127.0.0.1
        return response.read()


def _addresses(text: str, base: str) -> set[str]:
    """Every address an HTML page or a stylesheet refers to (src, href, url(), @import), made absolute."""
    found = re.findall(r'(?:src|href)\s*=\s*"([^"]+)"', text)
    found += re.findall(r"""url\(\s*["']?([^"')]+)["']?\s*\)""", text)
    found += re.findall(r"""@import\s+["']([^"']+)["']""", text)
    return {urljoin(base, url) for url in found if not url.startswith(("data:", "#"))}
