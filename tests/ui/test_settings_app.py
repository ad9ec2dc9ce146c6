"""The app remembers the learner's theme, and a broken settings file only earns a warning."""

from __future__ import annotations

import asyncio

from tutor import settings
from tutor.ui.app import TutorApp


def _notes(app: TutorApp) -> list[str]:
    return [n.message for n in app._notifications]  # noqa: SLF001 - what the learner sees as toasts


def test_theme_choice_is_remembered_for_the_next_run(monkeypatch):
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)

    async def pick() -> None:
        app = TutorApp("shopping")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.theme = "nord"
            await pilot.pause()

    asyncio.run(pick())
    assert settings.load().theme == "nord"
    assert TutorApp("shopping").theme == "nord"


def test_pictures_for_handouts_neither_read_nor_write_settings(monkeypatch):
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    settings.save(settings.Settings(theme="nord"))

    async def draw() -> None:
        app = TutorApp("shopping", remember=False)
        assert app.theme != "nord"
        app.theme = "gruvbox"
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.theme = "dracula"
            await pilot.pause()

    asyncio.run(draw())
    assert settings.load().theme == "nord"


def test_corrupt_settings_open_the_lesson_with_a_warning(monkeypatch):
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    path = settings.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"theme": ', encoding="utf-8")
    seen: list[str] = []

    async def run() -> None:
        app = TutorApp("shopping")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            seen.extend(_notes(app))
            assert app.screen.__class__.__name__ == "LessonScreen"

    asyncio.run(run())
    assert any("ignored the settings file" in note for note in seen)


def test_an_unknown_saved_theme_is_ignored_with_a_warning(monkeypatch):
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    settings.save(settings.Settings(theme="no-such-theme"))
    app = TutorApp("shopping")
    assert app.theme != "no-such-theme"
    assert any("no-such-theme" in w for w in app.settings.warnings)


def test_a_browser_tab_does_not_save_its_theme_for_everyone(monkeypatch):
    # Tabs served by `tutor serve` share the server's settings folder: one student's theme stays theirs.
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.setattr(TutorApp, "is_web", property(lambda self: True))

    async def pick() -> None:
        app = TutorApp("shopping")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.theme = "nord"
            await pilot.pause()

    asyncio.run(pick())
    assert not settings.config_path().exists()
