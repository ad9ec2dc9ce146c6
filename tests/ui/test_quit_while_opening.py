"""Quitting while a lesson screen is still being set up ends cleanly.

The app can exit between the push of a lesson screen and its mount (a key typed
ahead, the watched file opening the lesson just as the learner quits): the
screen's widgets are gone by then, and its mount handler must not look for them.
"""

from __future__ import annotations

import asyncio

import pytest

from tutor.ui import TutorApp


async def open_then_quit(name: str, ticks: int) -> int | None:
    app = TutorApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_scenario(name)
        for _ in range(ticks):
            await asyncio.sleep(0)
    return app.return_code


@pytest.mark.parametrize("name", ["shopping", "tiny_net"])
def test_quitting_while_the_lesson_opens_is_clean(name: str) -> None:
    for ticks in range(6):
        assert asyncio.run(open_then_quit(name, ticks)) in (None, 0)
