"""Choosing the language on the command line: ``--lang`` on the app and every command, else the locale."""

from __future__ import annotations

import argparse
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from tutor import i18n
from tutor.cli import main
from tutor.cli import parser as cli_parser
from tutor.cli.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_lang_before_or_after_the_command(capsys) -> None:
    before = run(capsys, "--lang", "ja", "trace", "shopping")
    i18n.set_language("en")
    after = run(capsys, "trace", "shopping", "--lang=ja")
    assert before == after
    code, out, _err = before
    assert code == 0
    assert "順伝播 (左から右へ)" in out and "逆伝播 (右から左へ)" in out
    assert "りんごの買い物 (英語の名前)" in out  # the scenario's own title in Japanese
    assert "220" in out and "2.2" in out  # numbers as they are


def test_english_is_the_default_and_unchanged(capsys) -> None:
    code, out, _err = run(capsys, "trace", "shopping")
    assert code == 0
    assert out.startswith("Buying apples  (shopping)\nTwo apples at 100 each")
    assert "Forward pass (left to right)" in out and "順伝播" not in out


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_takes_lang_and_says_its_help_in_it(capsys, command: str) -> None:
    with pytest.raises(SystemExit) as leaving:
        main([command, "--lang", "ja", "--help"])
    out = capsys.readouterr().out
    assert leaving.value.code == 0
    assert out.startswith("使い方: ")
    assert "--lang CODE" in out and "オプション:" in out and "このヘルプを表示して終了する" in out


def test_the_apps_help_is_in_the_language_asked_for(capsys) -> None:
    assert main(["--lang", "ja", "--help"]) == 0
    out = capsys.readouterr().out
    assert "計算グラフの上で逆伝播を 1 ステップずつたどります。" in out
    assert "コマンド (それぞれ" in out and "シナリオファイルを検査し" in out


def test_help_in_japanese_is_wrapped_by_cells(capsys, monkeypatch) -> None:
    from tutor.teach.text import cells

    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        main(["--lang", "ja", "export", "--help"])
    lines = capsys.readouterr().out.splitlines()
    assert any("ワークシート" in line for line in lines)
    assert max(cells(line) for line in lines if not line.isascii() and not line.startswith("使い方")) <= 58


def test_a_language_the_tutor_does_not_speak_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as leaving:
        main(["trace", "shopping", "--lang", "fr"])
    assert leaving.value.code == 2
    assert "invalid choice: 'fr' (choose from 'en', 'ja')" in capsys.readouterr().err


def test_usage_errors_and_warnings_in_japanese(capsys) -> None:
    code, _out, err = run(capsys, "--lang", "ja", "trace", "shopping", "--set", "nope=1")
    assert code == 2
    assert err == "tutor: エラー: --set: 'nope' は shopping の入力でもパラメータでもありません\n"
    with pytest.raises(SystemExit):
        main(["--lang", "ja", "trace"])
    assert "エラー: 次の引数が必要です: scenario" in capsys.readouterr().err


def test_positioned_errors_keep_their_shape_in_japanese(capsys) -> None:
    bad = ROOT / "tests" / "data" / "bad" / "language_unknown_title.yaml"
    code, out, _err = run(capsys, "--lang", "ja", "check", str(bad))
    assert code == 1
    assert f"{bad}:1:28: error: title: unknown language 'fr'" in out
    code, out, _err = run(capsys, "--lang", "ja", "check", str(ROOT / "scenarios" / "shopping.yaml"))
    assert code == 0 and out.endswith(": OK (ノード 5 個)\n")


def test_worksheet_in_japanese(capsys, tmp_path) -> None:
    sheet = tmp_path / "sheet.md"
    code, out, _err = run(capsys, "--lang", "ja", "export", "shopping_ja", "-o", str(sheet))
    assert code == 0 and out == f"{sheet} を書き出しました\n"
    text = sheet.read_text(encoding="utf-8")
    assert text.startswith("# りんごの買い物\n")
    for words in ("## 計算グラフ", "### 順伝播", "### 逆伝播", "| # | ノード | 式 | 値 |", "局所的な微分", "上流から伝わってきた微分"):
        assert words in text, words


def test_the_locale_chooses_with_no_flag(tmp_path) -> None:
    env = {"PATH": "/usr/bin:/bin", "LANG": "ja_JP.UTF-8", "TUTOR_CONFIG_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "tutor", "trace", "two_paths"], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 つの経路  (two_paths)")
    env["LANG"] = "de_DE.UTF-8"
    result = subprocess.run([sys.executable, "-m", "tutor", "trace", "two_paths"], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.stdout.startswith("Two paths  (two_paths)")


def test_argparse_still_looks_its_words_up_through_the_names_replaced() -> None:
    """If argparse stops calling ``_`` and ``ngettext`` by these names, its words stay English: fail loudly."""
    assert argparse._ is i18n._ and argparse.ngettext is i18n.ngettext
    source = inspect.getsource(argparse)
    for words in ("usage: ", "positional arguments", "options", "show this help message and exit",
                  "the following arguments are required: %s", "%(prog)s: error: %(message)s\\n"):
        assert f"_('{words}')" in source or f'_("{words}")' in source, words
    assert set(cli_parser.ARGPARSE_WORDS) >= {"usage: ", "options"}


def test_serve_passes_the_language_to_every_tab(monkeypatch, capsys) -> None:
    import tutor.ui.serve as serving

    calls = []
    monkeypatch.setattr(serving, "serve", lambda *args, **kwargs: calls.append(kwargs))
    assert main(["serve", "shopping", "--lang", "ja"]) == 0
    assert main(["--lang", "ja", "serve"]) == 0
    assert main(["serve"]) == 0
    assert [call["app_args"] for call in calls] == [("--lang", "ja"), ("--lang", "ja"), ()]
    assert serving.lesson_args("shopping", ("--lang", "ja")) == ["shopping", "--lang", "ja"]


def test_the_app_takes_lang(monkeypatch) -> None:
    import tutor.ui.app as ui_app
    from tutor.cli import app

    seen = {}
    monkeypatch.setattr(ui_app, "run", lambda scenario, **kwargs: seen.update(kwargs, scenario=scenario))
    monkeypatch.setenv("TEXTUAL_DRIVER", "headless")  # as under serve: no terminal needed
    monkeypatch.setattr("os.setsid", lambda: None)
    assert main(["--lang", "ja", "shopping"]) == 0
    assert seen == {"scenario": "shopping", "watch": False, "screenshot_dir": None, "language": "ja"}
    assert app.run(["two_paths"]) == 0
    assert seen["language"] is None  # no flag: the saved choice, else the locale
