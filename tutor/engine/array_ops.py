"""Moved: the array versions of the ops are in each op's record (``tutor.engine.ops``)."""

from tutor.engine.arithmetic import ONE  # noqa: F401
