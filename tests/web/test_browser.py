"""The tutor served to a real browser: headless Chromium on ``tutor serve``, several tabs at once.

Skipped with the reason when no browser is available here; with CI=true a
missing browser fails the run instead, so CI always runs these.
"""

from __future__ import annotations

import os
import time

import pytest

from . import browser

REASON = browser.missing()
if REASON and os.environ.get("CI", "").lower() == "true":
    pytest.fail(f"browser tests cannot run in CI: {REASON}", pytrace=False)
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"browser tests need a browser: {REASON}")


@pytest.fixture
def serve(tmp_path):
    """Start ``tutor serve`` (scenario or picker); stopped with Ctrl+C afterwards, which must end it cleanly."""
    started: list[browser.Server] = []

    def start(scenario: str | None) -> browser.Server:
        server = browser.Server(scenario, tmp_path)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            status = server.interrupt()
            output = server.output()
            assert status == 0, output
            for trouble in ("Traceback", "Exception", "WARNING", "ERROR"):
                assert trouble not in output, output
            assert server.survivors() == []  # no lesson outlives the server


@pytest.fixture
def chromium(tmp_path):
    with browser.browser(tmp_path / "profile") as context:
        yield context


def test_a_lesson_steps_in_the_browser(serve, chromium):
    server = serve("shopping")
    assert server.url in server.output() or f"127.0.0.1:{server.port}" in server.output()
    tab = browser.Tab(chromium, server.url)
    tab.wait_for("step 0 of 4")
    tab.wait_for("apple_count")  # the graph is drawn once its pane has its size
    screen = tab.text()
    assert "Buying apples" in screen and "apple_count" in screen
    assert "220" not in screen
    for k in (1, 2):  # one key at a time: a slow frame must not make the test overshoot
        tab.press("ArrowRight")
        tab.wait_for(f"step {k} of 4")
    tab.wait_for("price = apple_price × tax = 200 × 1.1 = 220")
    screen = tab.text()
    assert "step 2 of 4" in screen
    assert "FORWARD" in screen
    assert "Traceback" not in screen


def test_several_students_each_get_their_own_lesson(serve, chromium):
    server = serve("two_paths")
    tabs = [browser.Tab(chromium, server.url) for _ in range(3)]
    for tab in tabs:
        tab.wait_for("step 0 of")
    assert len(server.sessions()) == 3, server.sessions()
    # Each tab moves on its own: tab k takes k steps.
    for k, tab in enumerate(tabs):
        for _ in range(k):
            tab.press("ArrowRight")
    for k, tab in enumerate(tabs):
        tab.wait_for(f"step {k} of")
    assert "step 0 of" in tabs[0].text() and "step 2 of" in tabs[2].text()
    # Closing a tab ends its lesson's process.
    tabs[0].close()
    deadline = time.monotonic() + 20
    while len(server.sessions()) > 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(server.sessions()) == 2
    # Ctrl+C with students still connected stops everything cleanly.
    assert server.interrupt() == 0, server.output()
    assert "Traceback" not in server.output() and "WARNING" not in server.output(), server.output()
    assert len(server.interrupted) == 2 and server.survivors() == []


def test_with_no_scenario_each_tab_starts_at_the_picker(serve, chromium, tmp_path):
    from tutor.ui.screens.picker import entries

    second_spec, second_title, _ = entries(tmp_path)[1]  # the server runs in tmp_path: built-ins only
    server = serve(None)
    tab = browser.Tab(chromium, server.url)
    tab.wait_for("Pick a scenario")
    screen = tab.text()
    assert "Buying apples" in screen and "Two paths" in screen
    tab.press("ArrowDown")  # from the first scenario to the second, as a student would
    tab.press("Enter")
    tab.wait_for("step 0 of")
    assert f"{second_title}  ·  {second_spec}  ·" in tab.text()


def test_the_page_asks_no_other_host_and_draws_in_its_own_font(serve, chromium):
    from urllib.parse import urlsplit

    server = serve("shopping")
    tab = browser.Tab(chromium, server.url)
    tab.wait_for("step 0 of 4")
    hosts = {urlsplit(url).netloc for url in tab.requests}
    assert hosts == {f"127.0.0.1:{server.port}"}, tab.requests
    assert any(url.endswith(".woff2") for url in tab.requests), tab.requests
    # The terminal's font is the one the server sent, ready (regular and bold) before the lesson was drawn.
    assert tab.page.evaluate("['16px', 'bold 16px'].every(f => document.fonts.check(f + \" 'Roboto Mono'\"))")
    faces = "[...document.fonts].filter(f => f.status == 'loaded').map(f => `${f.family} ${f.weight}`)"
    loaded = tab.page.evaluate(faces)
    assert "Roboto Mono 400" in loaded and "Roboto Mono 700" in loaded, loaded
