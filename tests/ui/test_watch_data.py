"""--watch with a data CSV: the CSV is watched as well as the scenario file. Fixed,
broken, deleted, replaced by a directory or a FIFO: the lesson keeps the last rows
that loaded and says what is wrong in one line; the error screen opens the lesson
as soon as the CSV is fixed. Loading never holds up the screen."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.test_watch_faults import banner, bump, wait_for
from tutor.ui import file_watch
from tutor.ui.screens.error import ErrorScreen
from tutor.ui.screens.lesson_screen import LessonScreen
from tutor.ui.widgets.step_panel import StepPanel

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")

FIT = """title: Fit a line
inputs: {x: 0, t: 0}
params: {w: 0.5}
nodes:
  y: w * x
  loss: (y - t) ** 2
output: loss
data: pts.csv
"""


def write_csv(csv: Path, text: str) -> None:
    csv.write_text(text, encoding="utf-8")
    bump(csv)


def fit_files(tmp_path: Path, rows: str | None) -> tuple[Path, Path]:
    """The FIT scenario and its data file (``rows``: the CSV's text, None for no file yet)."""
    path, csv = tmp_path / "fit.yaml", tmp_path / "pts.csv"
    path.write_text(FIT, encoding="utf-8")
    if rows is not None:
        csv.write_text(rows, encoding="utf-8")
    return path, csv


def test_lesson_follows_its_csv_through_every_fault(drive, tmp_path: Path) -> None:
    path, csv = fit_files(tmp_path, "x,t\n1,1\n2,2\n3,3\n")

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        screen.use_row(2)  # what the row picker hands back for row 2
        await pilot.press("right", "right", "right")
        k = screen.k
        assert screen.lesson.trace.value("x") == 2 and screen.lesson.trace.output_value == 1  # (0.5·2 − 2)²

        write_csv(csv, "x,t\n1,1\n4,0\n")  # new rows: row 2 is x = 4, t = 0, at the same place
        await wait_for(pilot, lambda: screen.scenario.data.rows == ((1, 1), (4, 0)), "the new rows")
        assert screen.place.row == 2 and screen.k == k
        assert screen.lesson.trace.value("x") == 4 and screen.lesson.trace.output_value == 4
        assert banner(screen) == ""

        async def fault(make, message: str) -> None:
            make()
            bump(csv)
            await wait_for(pilot, lambda: message in banner(screen), repr(message))
            assert pilot.app.screen is screen
            assert screen.scenario.data.rows == ((1, 1), (4, 0))  # the last rows that loaded stay
            assert screen.lesson.trace.output_value == 4
            first = banner(screen).split("\n")[0]
            assert "error:" in first and "\n" not in first
            await pilot.press("left")
            assert screen.k == k - 1  # the screen answers keys
            await pilot.press("right")

        await fault(lambda: csv.write_text("x,t\n1,1\n2,abc\n", encoding="utf-8"), "pts.csv:3:3: error: 'abc'")
        await fault(lambda: csv.write_text("x\n1\n", encoding="utf-8"), "no column for input 't'")
        await fault(lambda: csv.unlink(), "cannot read data file pts.csv")
        await fault(lambda: csv.mkdir(), "data file pts.csv is a directory")
        await fault(lambda: (csv.rmdir(), os.mkfifo(csv)), "is a FIFO (named pipe), not a regular file")

        csv.unlink()
        replacement = tmp_path / "new.csv"
        replacement.write_text("x,t\n3,0\n", encoding="utf-8")
        os.replace(replacement, csv)  # one row now: row 2 is gone, the file's own values come back
        await wait_for(pilot, lambda: screen.scenario.data.rows == ((3, 0),), "the atomic replacement")
        assert banner(screen) == ""
        assert screen.place.row is None and screen.lesson.trace.value("x") == 0
        assert "Row 2 is no longer in the data (it has 1 row)" in screen.query_one(StepPanel).words()

    drive(str(path), body, watch=True)


def test_error_screen_waits_for_the_csv_then_the_lesson_watches_it(drive, tmp_path: Path) -> None:
    path, csv = fit_files(tmp_path, "x,t\n1,1\n2,abc\n")

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, ErrorScreen)

        def shown(widget: str) -> str:
            return str(screen.query_one(f"#{widget}").render())

        assert "pts.csv:3:3: error:" in shown("error-location")
        assert "Watching fit.yaml and pts.csv" in shown("error-help")
        for make, message in (
            (lambda: csv.unlink(), "cannot read data file pts.csv"),  # the error is in the scenario now
            (lambda: os.mkfifo(csv), "is a FIFO"),
            (lambda: (csv.unlink(), csv.write_text("x\n1\n", encoding="utf-8")), "no column for input 't'"),
        ):
            make()
            bump(csv)
            await wait_for(pilot, lambda: message in shown("error-location"), repr(message))
            assert pilot.app.screen is screen
        write_csv(csv, "x,t\n1,1\n2,2\n")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen), "the lesson")
        lesson = pilot.app.screen
        assert lesson.scenario.data.rows == ((1, 1), (2, 2))

        write_csv(csv, "x,t\n1,1\n2,2\n5,5\n")  # the lesson opened from the error screen watches the CSV too
        await wait_for(pilot, lambda: len(lesson.scenario.data) == 3, "the third row")

    drive(str(path), body, watch=True)


def test_a_missing_csv_at_start_is_watched(drive, tmp_path: Path) -> None:
    path, csv = fit_files(tmp_path, None)

    async def body(pilot: Pilot) -> None:
        assert isinstance(pilot.app.screen, ErrorScreen)
        csv.write_text("x,t\n1,2\n", encoding="utf-8")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen), "the lesson")
        assert pilot.app.screen.scenario.data.rows == ((1, 2),)

    drive(str(path), body, watch=True)


def test_keys_work_while_a_load_is_under_way(drive, tmp_path: Path, monkeypatch) -> None:
    path, csv = fit_files(tmp_path, "x,t\n1,1\n")
    started, release = threading.Event(), threading.Event()
    real_load = file_watch.load

    def slow_load(p):
        started.set()
        release.wait(10)  # a slow disk
        return real_load(p)

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        monkeypatch.setattr(file_watch, "load", slow_load)
        write_csv(csv, "x,t\n1,1\n7,7\n")
        await wait_for(pilot, started.is_set, "the load to start")
        for _ in range(3):
            await pilot.press("right")
        assert screen.k == 3 and len(screen.scenario.data) == 1  # moved while the load waits
        release.set()
        await wait_for(pilot, lambda: len(screen.scenario.data) == 2, "the load to finish")
        assert screen.k == 3

    try:
        drive(str(path), body, watch=True)
    finally:
        release.set()


def test_a_reload_in_training_shows_the_new_run_at_once(drive, tmp_path: Path) -> None:
    """The training panel is drawn from the reloaded file straight away, not at the next epoch."""
    path, csv = fit_files(tmp_path, "x,t\n1,1\n2,2\n3,3\n")

    def panel(screen: LessonScreen) -> str:
        return str(screen.query_one("#training-panel").render())

    async def body(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        await pilot.press("6", "t", "t", "t")
        await pilot.pause()
        assert "epoch 0 3" in panel(screen)  # the loss curve's epoch axis
        assert screen.query_one(StepPanel).words().startswith("epoch 3")

        path.write_text(FIT.replace("w: 0.5", "w: 0.25").replace("Fit a line", "Fit a line again"), encoding="utf-8")
        bump(path)
        await wait_for(pilot, lambda: screen.scenario.title == "Fit a line again", "the reloaded file")
        await pilot.pause()
        assert screen.query_one(StepPanel).words().startswith("epoch 0")
        assert "epoch 0 3" not in panel(screen)  # the old run's curve is gone with it
        assert screen.mode.name == "train"

    drive(str(path), body, watch=True)
