"""Shared setup for the UI tests: a fixed theme, colour on, nothing that blinks.

Textual reads ``TEXTUAL_THEME`` when it is imported, so the theme is set on
each app object instead of through the environment.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tutor.ui.app import TutorApp

THEME = "textual-dark"
LESSON_SIZE = (110, 34)
"""Terminal size for lesson screens: room for the graph, the panel and the footer."""
SMALL_SIZE = (80, 24)
"""The classic terminal; one snapshot checks the lesson still reads there."""


@pytest.fixture(autouse=True)
def fixed_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Colour on, a known working directory, and a cursor that never blinks."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TEXTUAL_THEME", THEME)  # for any subprocess; this process already read it
    # The picker also lists ./scenarios/*.yaml: run from an empty folder so it shows the built-ins only.
    monkeypatch.chdir(tmp_path)
    # A blinking cursor would make snapshots depend on timing: Textual's own switch turns blinking off.
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def make_app() -> Callable[..., TutorApp]:
    """Build the app with the theme and the language set explicitly (not from the environment or the locale)."""

    def build(scenario: str | None = None, watch: bool = False, language: str = "en") -> TutorApp:
        app = TutorApp(scenario, watch=watch, language=language)
        app.theme = THEME
        return app

    return build


@pytest.fixture
def drive(make_app) -> Callable[..., TutorApp]:
    """Run ``await body(pilot)`` against a fresh app; an exception inside the app fails the test."""

    def run(
        scenario: str | None,
        body: Callable[[Pilot], Awaitable[None]],
        size: tuple[int, int] = LESSON_SIZE,
        watch: bool = False,
        language: str = "en",
    ) -> TutorApp:
        app = make_app(scenario, watch=watch, language=language)

        async def main() -> None:
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                await body(pilot)

        asyncio.run(main())
        return app

    return run


@pytest.fixture
def snap(snap_compare, make_app) -> Callable[..., bool]:
    """Compare a screenshot of the app (theme and size pinned) with the stored SVG."""

    def check(
        scenario: str | None = None,
        press: tuple[str, ...] = (),
        run_before: Callable[[Pilot], Awaitable[None]] | None = None,
        size: tuple[int, int] = LESSON_SIZE,
        language: str = "en",
    ) -> bool:
        app = make_app(scenario, language=language)
        return snap_compare(app, press=press, terminal_size=size, run_before=run_before)

    return check
