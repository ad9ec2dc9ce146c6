"""Remembered settings: a round trip, and files that must never stop the tutor."""

from __future__ import annotations

import json
import os

import pytest

from tutor import settings


def test_the_tests_never_touch_the_real_config_folder():
    assert os.environ.get(settings.CONFIG_DIR_ENV)
    assert settings.config_dir() == settings.config_dir().__class__(os.environ[settings.CONFIG_DIR_ENV])


def test_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.CONFIG_DIR_ENV, str(tmp_path / "new" / "folder"))
    assert settings.load().theme is None  # no file yet: defaults, no warning
    assert settings.load().warnings == []
    assert settings.save(settings.Settings(theme="nord")) is None
    assert json.loads(settings.config_path().read_text(encoding="utf-8")) == {"theme": "nord"}
    loaded = settings.load()
    assert loaded.theme == "nord" and loaded.warnings == []
    assert [p.name for p in settings.config_dir().iterdir()] == ["settings.json"]  # no partial file left


def test_the_language_chosen_in_the_app_is_kept_beside_the_theme():
    assert settings.save(settings.Settings(theme="nord", language="ja")) is None
    assert json.loads(settings.config_path().read_text(encoding="utf-8")) == {"theme": "nord", "language": "ja"}
    loaded = settings.load()
    assert (loaded.theme, loaded.language, loaded.warnings) == ("nord", "ja", [])


def test_default_folder_is_the_users_config_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(settings.CONFIG_DIR_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert settings.config_path() == tmp_path / "tutor" / "settings.json"


@pytest.mark.parametrize(
    "content, words",
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b"\xff\xfe\x00garbage", "ignored the settings file"),
        (b'{"theme": 42}', "expected a theme name"),
        (b'{"language": "fr"}', "ignored 'language'"),
    ],
)
def test_a_corrupt_file_is_ignored_with_a_warning(content, words):
    path = settings.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    loaded = settings.load()
    assert loaded.theme is None
    assert len(loaded.warnings) == 1 and words in loaded.warnings[0]
    assert str(path) in loaded.warnings[0]


def test_an_unwritable_folder_gives_a_warning_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(settings.CONFIG_DIR_ENV, str(blocker / "tutor"))
    problem = settings.save(settings.Settings(theme="nord"))
    assert problem and "could not save settings" in problem


@pytest.mark.parametrize("kind", ["fifo", "directory", "huge"])
def test_a_settings_path_that_is_no_small_file_is_ignored_at_once(kind):
    """A FIFO would block the launch forever; a directory or a huge file is no settings file either."""
    path = settings.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path.write_bytes(b" " * (settings.MAX_BYTES + 1) + b"{}")
    try:
        loaded = settings.load()
    finally:
        path.rmdir() if kind == "directory" else path.unlink()
    assert loaded.theme is None
    assert len(loaded.warnings) == 1 and str(path) in loaded.warnings[0]
    words = {"huge": "larger than", "directory": "is a directory", "fifo": "is a FIFO"}[kind]
    assert words in loaded.warnings[0]
