"""The app in Japanese: --lang, the saved choice, the palette's Language command redrawing every screen."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET

import pytest

from tutor import i18n, settings
from tutor.teach.text import cells
from tutor.ui.app import TutorApp
from tutor.ui.widgets.footer import KeyBar
from tutor.ui.widgets.progress import Progress

SMALL = (80, 24)


def _keys(app: TutorApp) -> list[str]:
    return [label for _key, _shown, label, _enabled, _tooltip in app.screen.query_one(KeyBar).keys()]


def _progress(app: TutorApp) -> str:
    return app.screen.query_one(Progress)._text.plain  # noqa: SLF001 - the line as drawn


def _screen_text(app: TutorApp) -> list[str]:
    """The screen's rows as its SVG picture shows them."""
    svg = "{http://www.w3.org/2000/svg}"
    rows: dict[float, list[tuple[float, str]]] = {}
    for run in ET.fromstring(app.export_screenshot()).iter(f"{svg}text"):
        if "x" in run.attrib and "y" in run.attrib:
            text = "".join(run.itertext()).replace("\xa0", " ")
            rows.setdefault(float(run.attrib["y"]), []).append((float(run.attrib["x"]), text))
    return ["".join(text for _, text in sorted(runs)) for _, runs in sorted(rows.items())]


def test_lang_ja_shows_the_key_bar_progress_and_panel_in_japanese(drive) -> None:
    async def body(pilot) -> None:
        app = pilot.app
        assert i18n.language() == "ja"
        assert _keys(app)[:2] == ["次へ", "編集"]
        assert _progress(app).startswith(" 開始   ステップ 0/4")
        await pilot.press("right")
        assert "順伝播 →" in _progress(app)
        await pilot.press("5")
        assert _progress(app).startswith(" 勾配確認   葉ノード 3 個、中心差分")

    drive("shopping", body, size=SMALL, language="ja")


def test_the_palette_language_command_redraws_everything_and_is_saved(drive) -> None:
    async def body(pilot) -> None:
        app = pilot.app
        assert _keys(app)[0] == "Next"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Language" in titles and "Scenarios" in titles
        app.action_change_language()
        await pilot.pause()
        await pilot.press(*"日本語")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert i18n.language() == "ja"
        assert _keys(app)[0] == "次へ"
        assert _progress(app).startswith(" 開始   ステップ 0/4")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "言語 (Language)" in titles and "シナリオ一覧" in titles and "テーマ" in titles
        assert app.screen.query_one("#title").render().plain.startswith(" りんごの買い物 (英語の名前)")
        app.use_language("en")
        await pilot.pause()
        assert _keys(app)[0] == "Next"

    drive("shopping", body, size=SMALL)
    assert settings.load().language == "en"  # the last choice made in the app


def test_the_saved_language_opens_the_next_run_unless_lang_says_otherwise() -> None:
    settings.save(settings.Settings(language="ja"))
    TutorApp("shopping")
    assert i18n.language() == "ja"
    TutorApp("shopping", language="en")
    assert i18n.language() == "en"
    TutorApp("shopping", remember=False)  # a picture for a handout reads no settings
    assert i18n.language() == "en"


def test_a_browser_tab_reads_the_saved_language_but_does_not_save_one(monkeypatch) -> None:
    monkeypatch.setattr(TutorApp, "is_web", property(lambda self: True))

    async def choose() -> None:
        app = TutorApp("shopping", language="en")
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            app.use_language("ja")
            await pilot.pause()
            assert i18n.language() == "ja"

    asyncio.run(choose())
    assert settings.load().language is None


def test_picker_help_and_error_screen_in_japanese(drive, tmp_path) -> None:
    async def picker(pilot) -> None:
        text = "\n".join(_screen_text(pilot.app))
        assert "シナリオを選ぶ" in text and "りんごの買い物" in text and "q 終了" in text
        pilot.app.use_language("en")
        await pilot.pause()
        assert "Pick a scenario" in "\n".join(_screen_text(pilot.app))

    drive(None, picker, size=SMALL, language="ja")

    async def help_page(pilot) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(_screen_text(pilot.app))
        assert "キー" in text and "はたらき" in text and "次のステップ" in text

    drive("two_paths", help_page, size=SMALL, language="ja")

    broken = tmp_path / "broken.yaml"
    broken.write_text("title: {en: Broken, fr: Cassé}\nnodes:\n  y: 1\noutput: y\n", encoding="utf-8")

    async def error(pilot) -> None:
        text = "\n".join(_screen_text(pilot.app))
        assert "このシナリオを読み込めませんでした" in text
        assert "broken.yaml:1:21: error: title: unknown language 'fr'" in text  # its shape in every language
        assert "Esc で別のシナリオを選んでください" in text

    drive("broken.yaml", error, size=SMALL, language="ja")  # the tests run in tmp_path


@pytest.mark.parametrize(("scenario", "words"), [("tiny_net", "学習ステップ 1"), ("xor", "エポック 1")])
def test_training_in_japanese(drive, scenario: str, words: str) -> None:
    async def body(pilot) -> None:
        await pilot.press("6", "t")
        await pilot.pause(0.2)
        assert words in "\n".join(_screen_text(pilot.app))
        assert _progress(pilot.app).startswith(" 学習 ")

    drive(scenario, body, size=SMALL, language="ja")


def test_the_training_panel_in_japanese_keeps_to_its_width() -> None:
    from tutor.draw.training_rows import training_panel
    from tutor.scenario import resolve
    from tutor.teach.training import TrainingSession

    i18n.set_language("ja")
    session = TrainingSession(resolve("xor"))
    session.epoch()
    rows = training_panel(session, 76, 7)
    assert all(sum(cells(text) for text, _style in row) <= 76 for row in rows)
    assert any("エポック 0" in text for row in rows for text, _style in row)
    status = session.status()
    assert status[0][0][0] == "エポック 1" and "学習率" in "".join(text for text, _style in status[-1])
