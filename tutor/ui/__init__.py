"""The Textual app. ``tutor.ui.TutorApp`` is the app class (``TutorApp(scenario, watch=False).run()``)."""

from __future__ import annotations

__all__ = ["TutorApp"]


def __getattr__(name: str) -> object:
    if name == "TutorApp":
        from tutor.ui.app import TutorApp

        return TutorApp
    raise AttributeError(f"module 'tutor.ui' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
