"""A lesson: a scenario's steps laid out for stepping, with each view's words (see ``lesson``).

The parts: ``lesson`` (the ``Lesson``: positions, boxes, frames), ``frame``
(the records a frame is made of), ``views`` (which views a scenario has),
``narration`` (the interface each view's words answer) with
``step_narration``, ``expanded``, ``groups`` and ``neuron_narration``,
``compact`` (the short form of a step), ``notes`` (the scenario's notes in
the steps), ``places`` (a place in one view found in another), ``network``
(neurons and deltas as the lessons name them), and the quiz's questions of
each view (``step_questions``, ``neuron_questions``).
"""

from tutor.teach.lesson.frame import Frame, Position, ViewEdge, ViewNode
from tutor.teach.lesson.lesson import Lesson
from tutor.teach.lesson.views import (
    EXPANDED, GROUPS, GROUPS_BY_DEFAULT_ABOVE, NEURONS, VIEW_KEY_LABELS, default_view, next_view, views_of,
)
from tutor.teach.text import Fragment, Line

__all__ = [
    "EXPANDED", "GROUPS", "GROUPS_BY_DEFAULT_ABOVE", "NEURONS", "VIEW_KEY_LABELS", "Fragment", "Frame", "Lesson",
    "Line", "Position", "ViewEdge", "ViewNode", "default_view", "next_view", "views_of",
]
