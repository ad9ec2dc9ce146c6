"""The Mode interface: one way of walking a lesson, as plain data.

The lesson screen holds one ``Mode`` object per mode and delegates every key
to the current one: ``next``, ``previous``, ``start``, ``forward_end``,
``end``, ``selection_changed``, ``submit``. A mode answers with a ``Move``
(what the screen should do next) and describes what to draw with ``view()``
and ``progress()``. Everything a mode shows is built here, so it can be
tested without a terminal.

Every mode shares one ``Place``: the lesson on screen (values and view), the
position k in its steps and the selected node. A mode's own state (the
quiz's questions, the forward-mode walk, the chosen path, the losses) lives
in the mode, so switching modes loses nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import partial
from typing import ClassVar

from tutor.records import record
from tutor.scenario import Scenario
from tutor.teach import training  # deferred (tutor.startup): words about data rows arrive with training
from tutor.teach.lesson import Frame, Lesson, ViewEdge
from tutor.teach.text import Line


class Move(enum.Enum):
    """What the screen does after a key."""

    REFUSED = "refused"
    """Nothing changed: ring the bell."""
    SHOW = "show"
    """Redraw and bring the current (or selected) node into view."""
    SHOW_IN_PLACE = "show in place"
    """Redraw and keep the graph's scroll position."""
    FOCUS = "focus"
    """Nothing moved: the mode's widget (e.g. the answer box) takes the focus."""


@record(slots=True)
class View:
    """What the screen draws for a mode: a frame, the panel's lines, highlights."""

    frame: Frame
    lines: list[Line]
    highlight_nodes: frozenset[str] = frozenset()
    """Nodes to mark (e.g. a path's); the screen scrolls them into view."""
    highlight_edges: frozenset[ViewEdge] = frozenset()
    compact: list[Line] | None = None
    """The same words in fewer lines, for a panel too short for ``lines`` (None: scroll instead)."""
    focus_line: int | None = None
    """The line of ``lines`` the learner is looking at (the chosen path): the panel scrolls it into view."""


@record(slots=True)
class ModeProgress:
    """A mode's own progress line: its name, where it is, and a bar if it has steps."""

    label: str
    detail: str
    done: int = 0
    total: int = 0


@record(slots=True)
class Widget:
    """The one extra widget a mode needs beside the graph and the panel.

    ``kind`` is ``input`` (a line to type in), ``table`` (rows of cells),
    ``plot`` (a curve of numbers) or ``training`` (the training panel: a loss
    plot with the data set's picture); ``id`` names it on the screen.
    """

    kind: str
    id: str


@record(slots=True)
class ModeKey:
    """A key of its own that a mode offers (e.g. training's t and T).

    ``action`` names a method of the mode that returns a ``Move``; ``repeat``
    above 1 runs it that many times with a progress bar.
    """

    key: str
    action: str
    description: str
    tooltip: str
    repeat: int = 1


Words = Callable[[], list[Line]]
"""Lines made when they are shown, so that they are said in the language of the moment (a note kept on screen
while the learner switches the language)."""


def no_words() -> list[Line]:
    return []


@record(frozen=False)
class Place:
    """What every mode shares: the lesson on screen, the position k, the selected node.

    ``edit_note`` explains the last edit of an input; it stays below every
    mode's words until the lesson is reset.
    """

    lesson: Lesson
    k: int = 0
    selected: str | None = None
    edit_note: Words = no_words
    """Made when shown (see ``Words``)."""
    row: int | None = None
    """The data row being stepped through (from 1), when the learner picked one."""
    notice: Words = no_words
    """Words from a mode just left (the quiz's partial summary); shown until the next move; made when shown."""
    selection_first: bool = False
    """The learner just selected a node: its details come first, above the step's words, until the next step."""

    @property
    def scenario(self) -> Scenario:
        return self.lesson.scenario

    def use_row(self, k: int) -> None:
        """Step through data row k (from 1): its values go into the lesson, a note says which row."""
        self.lesson = self.lesson.with_values(self.scenario.data.row(k))
        self.row = k
        self.edit_note = partial(training.row_note, self.scenario, k)

    def reload(self, scenario: Scenario) -> int:
        """Take a new version of the file (or of its data CSV); returns the position nearest the old one.

        A picked row stays picked by its number, with that row's new values;
        if the data no longer has it, its values go and the file's come back.
        """
        data = self.scenario.data
        old_columns = set(data.columns) if data is not None and self.row is not None else set()
        self.lesson, k = self.lesson.reloaded(scenario, self.k)
        if self.row is not None:
            if scenario.data is not None and self.row <= len(scenario.data):
                self.use_row(self.row)
            else:
                kept = {n: v for n, v in self.lesson.overrides.items() if n not in old_columns}
                self.lesson = Lesson(scenario, kept, self.lesson.view)
                rows = len(scenario.data) if scenario.data is not None else 0
                self.notice = partial(training.row_gone, self.row, rows)
                self.row = None
                self.edit_note = no_words
        return k

    def go(self, k: int) -> None:
        """Move to position k, clamped to the lesson."""
        self.k = max(0, min(k, self.lesson.last))

    def leaf(self) -> str | None:
        """The selected leaf, or the first leaf when no leaf is selected."""
        if self.selected in self.scenario.leaves:
            return self.selected
        return next(iter(self.scenario.leaves), None)


class Mode:
    """One mode of the lesson screen. Subclasses set the class attributes and
    override what differs; the defaults walk the lesson's steps one by one."""

    name: ClassVar[str]
    """Short name used by the registry and the key binding: ``mode('name')``."""
    title: ClassVar[str]
    """The mode's name as the learner reads it (``forward mode``)."""
    key: ClassVar[str]
    """The key that switches to it."""
    description: ClassVar[str]
    """Footer and command-palette label."""
    tooltip: ClassVar[str]
    """What it does, in the help screen."""
    show_key: ClassVar[bool] = False
    """Whether the footer shows the key."""
    label: ClassVar[str] = ""
    """Tag shown after ``step k of N`` while the lesson's own timeline is shown."""
    pictured: ClassVar[bool] = True
    """Whether a handout picture (``tutor export --mode``) can show it."""
    own_steps: ClassVar[bool] = False
    """True when → and ← move through the mode's own positions, not the lesson's steps."""
    widget: ClassVar[Widget | None] = None
    keys: ClassVar[tuple[ModeKey, ...]] = ()

    paused = False
    """True while the mode holds its repeated action (training's p); the screen waits meanwhile."""

    def __init__(self, place: Place) -> None:
        self.place = place
        self.revision = 0
        """Bumped whenever the mode's widget needs new contents."""

    # -- convenience ---------------------------------------------------------

    @property
    def lesson(self) -> Lesson:
        return self.place.lesson

    @property
    def scenario(self) -> Scenario:
        return self.place.scenario

    # -- switching -------------------------------------------------------------

    def unavailable(self) -> str | None:
        """Why this mode cannot be used with this scenario, or None."""
        return None

    def enter(self) -> None:
        """The learner switched to this mode."""
        self.rebuild()

    def rebuild(self) -> None:
        """Recompute the mode's data after a lesson, view, value or leaf change."""

    def interrupt(self) -> None:
        """Drop anything half done (an unanswered question); the position is kept."""

    def reset(self) -> None:
        """Forget what the mode accumulated (scores, losses): back to the file's values."""

    def run_state(self, running: bool) -> None:
        """The screen started (True) or finished (False) repeating one of the mode's keys (T)."""
    def leave(self) -> list[Line]:
        """The learner is leaving this mode: words to show once afterwards (none by default)."""
        return []

    def widget_shown(self) -> bool:
        """Whether the mode's widget is on screen now."""
        return self.widget is not None

    # -- moving ------------------------------------------------------------------

    def next(self) -> Move:
        if self.place.k >= self.lesson.last:
            return Move.REFUSED
        self.place.go(self.place.k + 1)
        return Move.SHOW

    def previous(self) -> Move:
        if self.place.k <= 0:
            return Move.REFUSED
        self.place.go(self.place.k - 1)
        return Move.SHOW

    def start(self) -> Move:
        self.interrupt()
        self.place.go(0)
        return Move.SHOW

    def forward_end(self) -> Move:
        self.interrupt()
        self.place.go(self.lesson.forward_end)
        return Move.SHOW

    def end(self) -> Move:
        self.interrupt()
        self.place.go(self.lesson.last)
        return Move.SHOW

    def can_step(self, delta: int) -> bool:
        """Whether → (+1) or ← (-1) would move (the key bar shows only the keys that would)."""
        return 0 <= self.place.k + delta <= self.lesson.last

    def selection_changed(self) -> None:
        """The learner selected another node (``place.selected``)."""

    def submit(self, text: str) -> Move:
        """Text typed in the mode's input widget."""
        return Move.REFUSED

    # -- showing -------------------------------------------------------------------

    def view(self) -> View:
        """The frame to draw and the words to show."""
        return View(self.lesson.frame(self.place.k), self.lesson.explain(self.place.k))

    def progress(self) -> ModeProgress | None:
        """The mode's own progress line, or None for the lesson's timeline (with ``label``)."""
        return None

    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """Column titles and rows, for a mode whose widget is a table."""
        return (), []

    def curve(self) -> tuple[str, list[float]]:
        """A title and the numbers to plot, for a mode whose widget is a plot."""
        return "", []

    def placeholder(self) -> str:
        """The hint shown in an empty input widget."""
        return ""

    def final_frame(self) -> Frame:
        """The end of the backward pass with no node current: every value and gradient."""
        lesson = self.lesson
        return lesson.focus(lesson.frame(lesson.last), None)
