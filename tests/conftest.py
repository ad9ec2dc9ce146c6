"""Every test runs with its own settings folder, so none reads or writes the real one, and in English,
whatever the machine's locale (a test of another language asks for it)."""

from __future__ import annotations

import pytest

from tutor import i18n


@pytest.fixture(autouse=True)
def private_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    """Point the tutor's settings (and any subprocess's) at an empty temporary folder."""
    monkeypatch.setenv("TUTOR_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch):
    """The tutor speaks English here and in any subprocess (LANGUAGE comes first among the locale's variables)."""
    monkeypatch.setenv("LANGUAGE", "en")
    i18n.set_language("en")
    yield
    i18n.set_language("en")
