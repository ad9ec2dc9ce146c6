"""Moved: ``paused_gc`` is part of the start-up policy (``tutor.startup``)."""

from tutor.startup import paused_gc  # noqa: F401
