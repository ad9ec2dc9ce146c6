"""The lesson screen's modes: one class per file, one line each in ``MODES``.

Each mode is a ``Mode`` (see ``base``): it owns its state, its frames and
its words, and answers the keys the screen passes on. To add a mode, write
``tutor/teach/modes/NAME.py`` with a ``Mode`` subclass and add it below; if
it needs a widget beside the graph, it names one of the widget kinds the
screen knows (``input``, ``table``, ``plot``, ``training``). Its key, footer label and help
line come from the class, in this order.
"""

from __future__ import annotations

from tutor.teach.modes.base import Mode, ModeKey, ModeProgress, Move, Place, View, Widget
from tutor.teach.modes.check import CheckMode
from tutor.teach.modes.forward import ForwardMode
from tutor.teach.modes.paths import PathsMode
from tutor.teach.modes.quiz import QuizMode
from tutor.teach.modes.step import StepMode
from tutor.teach.modes.train import TrainMode

MODES: tuple[type[Mode], ...] = (
    StepMode,
    QuizMode,
    ForwardMode,
    PathsMode,
    CheckMode,
    TrainMode,
)
"""Every mode, in key order; the first is where the screen starts (and where Esc in a mode's widget returns)."""

PICTURED: tuple[str, ...] = tuple(m.name for m in MODES if m.pictured)
"""Modes a handout picture can show (``tutor export --mode``)."""


def make_modes(place: Place) -> dict[str, Mode]:
    """One object per mode, sharing ``place``, by name."""
    return {mode.name: mode(place) for mode in MODES}


__all__ = ["MODES", "PICTURED", "Mode", "ModeKey", "ModeProgress", "Move", "Place", "View", "Widget", "make_modes"]
