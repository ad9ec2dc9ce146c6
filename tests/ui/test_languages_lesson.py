"""The lesson screen in Japanese: its title and values table, every mode's words, and a language switch that
rewords everything on the screen (the panel's room measured in the new words)."""

from __future__ import annotations

from tutor import i18n
from tutor.ui.widgets.graph_view import GraphView
from tutor.ui.widgets.progress import Progress
from tutor.ui.widgets.step_panel import StepPanel

SMALL = (80, 24)


def _title(app) -> str:  # noqa: ANN001 - the app
    return app.screen.query_one("#title").render().plain


def _panel(app) -> str:  # noqa: ANN001
    return app.screen.query_one(StepPanel).words()


def _progress(app) -> str:  # noqa: ANN001
    return app.screen.query_one(Progress)._text.plain  # noqa: SLF001 - the line as drawn


def _columns(app) -> list[str]:  # noqa: ANN001
    return [str(column.label) for column in app.screen.query_one("#values").columns.values()]


def test_a_language_switch_rewords_the_lesson_screen(drive) -> None:
    async def body(pilot) -> None:
        app = pilot.app
        await pilot.press("right", "right", "v")
        await pilot.pause()
        assert _title(app).endswith("·  output: price") and _columns(app)[:3] == ["name", "kind", "value"]
        assert _panel(app).startswith("Forward 2 of 2")
        app.use_language("ja")
        await pilot.pause()
        assert _title(app).endswith("·  出力: price")
        assert _columns(app) == ["名前", "種類", "値", "∂price/∂·"]
        assert _panel(app).startswith("順伝播 2/2  乗算ノード")
        assert app.screen._forms_key[-1] == "ja"  # noqa: SLF001 - the panel's room, measured in Japanese
        app.use_language("en")
        await pilot.pause()
        assert _title(app).endswith("·  output: price") and _columns(app)[:3] == ["name", "kind", "value"]
        assert _panel(app).startswith("Forward 2 of 2")

    drive("shopping", body, size=SMALL)


def _graph(app) -> str:  # noqa: ANN001
    graph = app.screen.query_one(GraphView)
    return "\n".join("".join(segment.text for segment in graph.render_line(y)).rstrip()
                     for y in range(graph.size.height))


def test_a_language_switch_relabels_the_graphs_boxes_as_a_fresh_start_draws_them(drive) -> None:
    drawn: dict[str, str] = {}

    def record(key: str, switch: str | None):
        async def body(pilot) -> None:
            await pilot.press("g")  # the groups view: boxes labelled input and 4 nodes
            await pilot.pause()
            if switch:
                pilot.app.use_language(switch)
                await pilot.pause()
            drawn[key] = _graph(pilot.app)

        return body

    try:
        drive("sigmoid_expanded", record("switched", "ja"), size=(120, 40))
        drive("sigmoid_expanded", record("fresh", None), size=(120, 40), language="ja")
    finally:
        i18n.set_language("en")
    assert "入力" in drawn["fresh"] and "4 ノード" in drawn["fresh"]
    assert drawn["switched"] == drawn["fresh"]


def test_the_quiz_forward_mode_and_paths_in_japanese(drive) -> None:
    async def body(pilot) -> None:
        app = pilot.app
        assert i18n.language() == "ja"
        await pilot.press("2", "right")
        await pilot.pause()
        assert "? c = a + b の値は？" in _panel(app) and "既知: a = 2、b = 1" in _panel(app)
        assert _progress(app).startswith(" クイズ   順伝播 →  ステップ 1/6、問題 1/1")
        await pilot.press("4", "enter")
        await pilot.pause()
        assert "違います (4)。ヒント: 式に入力の値を入れる: 2 + 1" in _panel(app)
        await pilot.press("3", "enter")
        await pilot.pause()
        assert "✓ 正解: c = a + b = 2 + 1 = 3" in _panel(app) and "Enter でステップ 1 を表示。" in _panel(app)
        await pilot.press("escape")
        await pilot.pause()
        assert _panel(app).startswith("クイズ終了。 順伝播: 1 問中 1 回目で正解 0、ヒントの後で正解 1、答えを表示 0")
        await pilot.press("3", "right")
        await pilot.pause()
        assert _panel(app).startswith("フォワードモード 1/3")
        assert _progress(app).startswith(" フォワードモード   d(ノード)/da: 1/3")
        await pilot.press("4", "tab", "tab")
        await pilot.pause()
        assert _panel(app).startswith("経路 b から e へ: 2 本。")
        assert "経路の和: 2 + 3 = 5" in _panel(app)

    drive("two_paths", body, size=SMALL, language="ja")


def test_the_japanese_key_bar_fits_80_columns_with_every_key_it_can_show(drive) -> None:
    """Paths in the expanded view of a net with more below: → ← g (next: neurons) e v 1 2 PgDn ? q together."""
    from tutor.teach.text import cells
    from tutor.ui.widgets.footer import KeyBar

    async def body(pilot) -> None:
        app = pilot.app
        await pilot.press("g", "g", "4", "tab")  # neurons → groups → expanded; paths from x1
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        shown = [f"{key} {words}" for _key, key, words, _enabled, _tooltip in bar.keys()]
        assert [item.split()[0] for item in shown] == ["→", "←", "g", "e", "v", "1", "2", "PgDn", "?", "q"]
        assert shown[2] == "g ニューロン" and shown[-1] == "q 終了"
        assert cells(" ".join(shown)) <= 80

    drive("tiny_net", body, size=SMALL, language="ja")
