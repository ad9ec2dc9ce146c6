"""Settings remembered across runs (the theme and the language chosen in the app), in a small JSON file.

The file is ``settings.json`` in the user's config folder (on Linux
``$XDG_CONFIG_HOME/tutor``, usually ``~/.config/tutor``); ``TUTOR_CONFIG_DIR``
names another folder (the tests use a temporary one). A file that cannot be
read or parsed is ignored with a one-line warning: settings are a comfort,
never a reason to fail.
"""

from __future__ import annotations

import os
from dataclasses import field
from pathlib import Path

from tutor.i18n import LANGUAGES, _
from tutor.records import record

CONFIG_DIR_ENV = "TUTOR_CONFIG_DIR"
FILE_NAME = "settings.json"


def config_dir() -> Path:
    """The folder holding the settings file."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("tutor", appauthor=False)


def config_path() -> Path:
    return config_dir() / FILE_NAME


@record(frozen=False)
class Settings:
    """What the tutor remembers; ``warnings`` says what was ignored while reading it."""

    theme: str | None = None
    warnings: list[str] = field(default_factory=list)
    language: str | None = None
    """The language chosen in the app (a code of ``tutor.i18n.LANGUAGES``); None: the locale's."""


MAX_BYTES = 65536
"""A settings file is a few bytes; anything past this is not one."""


def _read_small(path: Path) -> str:
    """The text of a regular file of at most ``MAX_BYTES``; never blocks (a FIFO is refused, not opened for long)."""
    from tutor.scenario.files import NotReadable, read_limited

    try:
        data = read_limited(str(path), MAX_BYTES)
    except NotReadable as exc:
        if not os.path.lexists(path):
            raise FileNotFoundError(path) from None
        raise ValueError(str(exc)) from None
    if len(data) > MAX_BYTES:
        raise ValueError(_("larger than {size} bytes").format(size=MAX_BYTES))
    return data.decode("utf-8")


def load() -> Settings:
    """The saved settings, or defaults (with a warning) when the file is unreadable."""
    path = config_path()
    try:
        text = _read_small(path)
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Settings(warnings=[_("ignored the settings file {path}: {reason}").format(path=path, reason=exc)])
    import json  # here: most launches have no settings file to read

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Settings(warnings=[_("ignored the settings file {path}: not valid JSON ({reason}, line {line})").format(
            path=path, reason=exc.msg, line=exc.lineno)])
    if not isinstance(data, dict):
        return Settings(warnings=[_("ignored the settings file {path}: expected a JSON object").format(path=path)])
    settings = Settings()
    theme = data.get("theme")
    if isinstance(theme, str) and theme:
        settings.theme = theme
    elif theme is not None:
        settings.warnings.append(_("ignored 'theme' in {path}: expected a theme name").format(path=path))
    language = data.get("language")
    if language in LANGUAGES:
        settings.language = language
    elif language is not None:
        settings.warnings.append(_("ignored 'language' in {path}: expected one of {codes}").format(
            path=path, codes=", ".join(LANGUAGES)))
    return settings


def save(settings: Settings) -> str | None:
    """Write ``settings``; returns a warning instead of raising when the file cannot be written."""
    import json

    path = config_path()
    data = {"theme": settings.theme} if settings.theme else {}
    if settings.language:
        data["language"] = settings.language
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        return _("could not save settings to {path}: {reason}").format(path=path, reason=exc.strerror or exc)
    return None
