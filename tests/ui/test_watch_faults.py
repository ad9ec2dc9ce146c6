"""--watch under faults: the watched file half-written, invalid, deleted, replaced
atomically, replaced by a directory and by a FIFO. The app keeps running, keeps
the last valid lesson on screen, and says what is wrong in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tutor.ui.screens.error import ErrorScreen
from tutor.ui.screens.lesson_screen import LessonScreen

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def scenario(a: int) -> str:
    return f"title: Watched\ninputs:\n  a: {a}\n  b: 1\nnodes:\n  c: a + b\n  e: c * 2\noutput: e\n"


def bump(path: Path) -> None:
    """Move the mtime on, so a change within the clock's resolution is still seen."""
    try:
        stat = os.stat(path)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000), follow_symlinks=False)
    except OSError:
        pass


def banner(screen: LessonScreen) -> str:
    shown = [b for b in screen.query("#watch-error") if b.display]
    return str(shown[0].render()) if shown else ""


async def wait_for(pilot: Pilot, condition, what: str) -> None:
    for _ in range(100):  # the 0.3 s interval, and the load in its thread
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_watch_survives_every_kind_of_fault(drive, tmp_path: Path) -> None:
    path = tmp_path / "watched.yaml"
    path.write_text(scenario(2), encoding="utf-8")

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        await pilot.press("right", "right")
        assert screen.lesson.trace.output_value == 6

        async def fault(make, message: str) -> None:
            make()
            bump(path)
            await wait_for(pilot, lambda: message in banner(screen), repr(message))
            assert pilot.app.screen is screen
            assert screen.lesson.trace.output_value == expected[0]  # the last valid lesson stays
            assert "\n" not in banner(screen).split("\n(showing")[0].split("\n    hint")[0]
            k = screen.k
            await pilot.press("right")
            assert screen.k == min(k + 1, screen.lesson.last)  # the screen answers keys
            await pilot.press("left")

        expected = [6]
        text = scenario(5)
        await fault(lambda: path.write_text(text[: text.index("c: a +") + 6], encoding="utf-8"), "error:")
        await fault(lambda: path.write_text("nodes: [1\n", encoding="utf-8"), "YAML syntax error")
        await fault(lambda: path.unlink(), "cannot read file")

        replacement = tmp_path / "new.yaml"
        replacement.write_text(scenario(5), encoding="utf-8")
        os.replace(replacement, path)
        await wait_for(pilot, lambda: screen.lesson.trace.output_value == 12, "the atomic replacement")
        assert banner(screen) == ""
        expected[0] = 12

        await fault(lambda: (path.unlink(), path.mkdir()), "is a directory, not a scenario file")
        await fault(lambda: (path.rmdir(), os.mkfifo(path)), "is a FIFO (named pipe), not a regular file")
        assert screen.lesson.trace.output_value == 12  # ends showing the last valid content
        assert "Watched" in str(screen.query_one("#title").render())

        path.unlink()
        path.write_text(scenario(9), encoding="utf-8")
        bump(path)
        await wait_for(pilot, lambda: screen.lesson.trace.output_value == 20, "the file back")
        assert banner(screen) == ""

    drive(str(path), body, watch=True)


def test_error_screen_watch_survives_faults_then_opens_the_lesson(drive, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("nodes: [1\n", encoding="utf-8")

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, ErrorScreen)

        def location() -> str:
            return str(screen.query_one("#error-location").render())

        for make, message in (
            (lambda: path.write_text("nodes:\n  y: 1\x01\noutput: y\n", encoding="utf-8"), r"\x01"),
            (lambda: (path.unlink(), os.mkfifo(path)), "is a FIFO"),
            (lambda: (path.unlink(), path.mkdir()), "is a directory"),
        ):
            make()
            bump(path)
            await wait_for(pilot, lambda: message in location(), repr(message))
            assert pilot.app.screen is screen
        path.rmdir()
        path.write_text(scenario(3), encoding="utf-8")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen), "the lesson")
        assert pilot.app.screen.lesson.trace.output_value == 8

    drive(str(path), body, watch=True)
