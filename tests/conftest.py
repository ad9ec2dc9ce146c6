"""Every test runs with its own settings folder, so none reads or writes the real one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    """Point the tutor's settings (and any subprocess's) at an empty temporary folder."""
    monkeypatch.setenv("TUTOR_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
