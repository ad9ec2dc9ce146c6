"""The palette's Screenshot saves into the current folder (or the one asked for) and says where."""

from __future__ import annotations

from pathlib import Path

from textual.app import SystemCommand


def _screenshot_command(app) -> SystemCommand:  # noqa: ANN001
    return next(c for c in app.get_system_commands(app.screen) if c.title == "Screenshot")


def test_palette_screenshot_saves_in_the_current_folder(drive, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home-without-downloads"))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    notes: list[str] = []

    async def body(pilot) -> None:  # noqa: ANN001
        _screenshot_command(pilot.app).callback()
        await pilot.pause(0.3)
        notes.extend(n.message for n in pilot.app._notifications)  # noqa: SLF001

    drive("shopping", body)
    saved = sorted(Path.cwd().glob("*.svg"))
    assert len(saved) == 1, saved
    assert "Buying" in saved[0].read_text(encoding="utf-8") and "<svg" in saved[0].read_text(encoding="utf-8")
    assert any(f"Saved screenshot to {saved[0].resolve()}" in note for note in notes), notes
    assert not (tmp_path / "home-without-downloads").exists()


def test_screenshot_folder_can_be_chosen(make_app, tmp_path):
    import asyncio

    app = make_app("two_paths")
    app.screenshot_dir = str(tmp_path / "shots" / "today")

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            path = app.deliver_screenshot("here.svg")
            assert path == str((tmp_path / "shots" / "today" / "here.svg").resolve())

    asyncio.run(main())
    assert (tmp_path / "shots" / "today" / "here.svg").is_file()


def test_an_unwritable_folder_is_reported_not_raised(make_app, tmp_path):
    import asyncio

    (tmp_path / "blocker").write_text("a file, not a folder")
    app = make_app("shopping")
    app.screenshot_dir = str(tmp_path / "blocker" / "sub")

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert app.deliver_screenshot() is None
            await pilot.pause()
            assert any("Could not save the screenshot" in n.message for n in app._notifications)  # noqa: SLF001

    asyncio.run(main())
