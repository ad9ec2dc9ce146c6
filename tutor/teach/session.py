"""A lesson session: the state machine the lesson screen drives, as plain data.

The screen forwards each key to one method here and draws what comes back;
everything a key does to the lesson happens here, so it can be tested without
a terminal: stepping (through the current mode), reset, switching the view
while keeping the place, editing an input (with the prediction the old
gradient makes), reloading the file, picking a data row, selecting nodes,
switching modes and the modes' own keys, and the notices a move leaves.

A method answers with an ``Outcome``: what the screen should do (a ``Move``),
a warning to show (a mode this scenario cannot use), and whether the keys on
offer may have changed (a new mode or view).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt
from tutor.i18n import N_, _
from tutor.records import record
from tutor.teach.edits import edit_lines, edit_warning
from tutor.teach.lesson import Lesson, default_view, next_view
from tutor.teach.modes import MODES, Mode, Move, Place, View, make_modes
from tutor.teach.modes.base import no_words
from tutor.teach.screen_words import NO_DATA
from tutor.teach.text import typeset

if TYPE_CHECKING:
    from tutor.scenario import Scenario
    from tutor.teach.modes import ModeProgress
    from tutor.teach.text import Line

STEP_MODE = MODES[0].name
"""The mode a session starts in, and where Esc in another mode returns."""
FULL_FORMS_UP_TO = 300
"""Positions of a lesson whose full explanations the panel measures to keep room for the tallest."""
KINDS = {"input": N_("input"), "param": N_("param"), "const": N_("const"), "node": N_("node")}
"""The values table's kinds (translated where shown)."""


@record(slots=True)
class Outcome:
    """What the screen does after a key."""

    move: Move
    warning: str = ""
    """A sentence to show as a notification (nothing moved)."""
    keys_changed: bool = False
    """The keys on offer may differ now (another mode or view): the key bar is read again."""


@record(slots=True)
class Panel:
    """The step panel's words: the full form, and the compact one for a short panel (None: scroll instead)."""

    lines: list[Line]
    compact: list[Line] | None


class LessonSession:
    """One scenario being taught: its place (lesson, position, selection), its modes and the current one."""

    def __init__(self, scenario: Scenario) -> None:
        self.place = Place(Lesson(scenario, view=default_view(scenario)))
        self.modes: dict[str, Mode] = make_modes(self.place)
        self.mode: Mode = self.modes[STEP_MODE]

    # -- what is shown ------------------------------------------------------------

    @property
    def lesson(self) -> Lesson:
        return self.place.lesson

    @property
    def scenario(self) -> Scenario:
        return self.place.scenario

    @property
    def k(self) -> int:
        return self.place.k

    @property
    def selected(self) -> str | None:
        return self.place.selected

    def view(self) -> View:
        """The current mode's frame, words and highlights."""
        return self.mode.view()

    def progress(self) -> ModeProgress | None:
        """The current mode's own progress line, or None for the lesson's timeline."""
        return self.mode.progress()

    def panel(self, view: View) -> Panel:
        """The panel's words for ``view``: what the learner just did (an edit's predicted and actual change,
        a quiz's score) comes first, where an 80×24 panel shows it, then the step's words."""
        first = self.place.notice() + self.place.edit_note()
        compact = typeset(first + view.compact) if view.compact is not None else None
        return Panel(typeset(first + view.lines), compact)

    def full_forms(self) -> list[list[Line]]:
        """Every step's full explanation, for the panel to keep room for the tallest, so that the full form is
        shown throughout when it fits (none outside step mode, or for a lesson too long to read through)."""
        lesson = self.lesson
        if self.mode.name != STEP_MODE or len(lesson) > FULL_FORMS_UP_TO:
            return []
        return [typeset(lesson.explain(k)) for k in range(len(lesson))]

    def values_rows(self) -> list[tuple[str, str, str, str]]:
        """The values table: every leaf and named node with its kind, value and gradient so far."""
        frame = self.lesson.frame(self.k)
        rows = []
        for name in self.scenario.named:
            node = self.lesson.graph.node(name)
            kind = node.kind if node.kind != "op" else "node"
            value = fmt(frame.values[name]) if name in frame.values else "·"
            grad = fmt(frame.grads[name]) if name in frame.grads else "·"
            rows.append((name, _(KINDS.get(kind, kind)), value, grad))
        return rows

    def offers_view(self, view: str) -> bool:
        """Whether the view key leads to ``view`` now (a scenario with one view has no view key)."""
        return view == next_view(self.scenario, self.lesson.view) != self.lesson.view

    # -- stepping, through the current mode ---------------------------------------------

    def _moved(self) -> None:
        """A step key: the notice of a mode just left goes, and the step's words come first again."""
        self.place.notice = no_words
        self.place.selection_first = False

    def next(self) -> Outcome:
        self._moved()
        return Outcome(self.mode.next())

    def previous(self) -> Outcome:
        self._moved()
        return Outcome(self.mode.previous())

    def start(self) -> Outcome:
        self._moved()
        return Outcome(self.mode.start())

    def forward_end(self) -> Outcome:
        self._moved()
        return Outcome(self.mode.forward_end())

    def end(self) -> Outcome:
        self._moved()
        return Outcome(self.mode.end())

    def submit(self, text: str) -> Outcome:
        """Text typed in the current mode's input widget."""
        return Outcome(self.mode.submit(text))

    # -- modes ---------------------------------------------------------------------

    def switch_mode(self, name: str) -> Outcome:
        """Switch to mode ``name`` (step, quiz, forward, paths, check or train)."""
        mode = self.modes[name]
        reason = mode.unavailable()
        if reason:
            return Outcome(Move.REFUSED, warning=reason)
        # Leaving a mode may leave words behind (the quiz's score so far), shown until the next move.
        self.place.notice = self.mode.leave if mode is not self.mode and self.mode.leave() else no_words
        self.mode.interrupt()
        self.mode = mode
        mode.enter()
        return Outcome(Move.SHOW, keys_changed=True)

    def mode_key(self, name: str, action: str) -> Outcome:
        """A mode's own key (training's t): switch to the mode if needed, then act."""
        mode = self.modes[name]
        reason = mode.unavailable()
        if reason:
            return Outcome(Move.REFUSED, warning=reason)
        switched = mode is not self.mode
        if switched:
            self.switch_mode(name)
        return Outcome(getattr(mode, action)(), keys_changed=switched)

    def run_state(self, name: str, running: bool) -> None:
        """A repeated mode key (T) started or finished."""
        self.modes[name].run_state(running)

    def back(self) -> Outcome | None:
        """Esc: out of the current mode (a quiz ends with its score so far); None in step mode."""
        if self.mode.name != STEP_MODE:
            return self.switch_mode(STEP_MODE)
        return None

    # -- changing the lesson ----------------------------------------------------------

    def _lesson_changed(self, k: int) -> Outcome:
        """After new values, view or file: the mode recomputes, then position k is shown."""
        self.mode.rebuild()
        self.place.go(k)
        return Outcome(Move.SHOW, keys_changed=True)  # the view key's label names the view after this one

    def reset(self) -> Outcome:
        """Back to step 0 with the file's values."""
        self.place.lesson = Lesson(self.scenario, view=self.lesson.view)
        self.place.edit_note = no_words
        self.place.row = None
        for mode in self.modes.values():
            mode.reset()
        self.mode.interrupt()
        return self._lesson_changed(0)

    def change_view(self, view: str) -> Outcome:
        """Show ``view``, keeping the place (and the selection, or its group where the node has no box)."""
        other = self.lesson.with_view(view)
        k = self.lesson.map_position(self.k, other)
        selected = self.place.selected
        if selected and selected not in {n.key for n in other.nodes}:
            self.place.selected = self.lesson.graph.node(selected).group or None
        self.place.lesson = other
        self.mode.interrupt()
        return self._lesson_changed(k)

    def reload(self, scenario: Scenario) -> Outcome:
        """A new version of the watched file: the nearest place in it, edits and picked row kept where they can be."""
        k = self.place.reload(scenario)
        if self.place.selected and self.place.selected not in {n.key for n in self.lesson.nodes}:
            self.place.selected = None
        return self._lesson_changed(k)

    def edit_target(self) -> str | None:
        """The leaf the edit key changes: the selected one, else the first (which becomes selected)."""
        leaves = self.scenario.leaves
        if self.place.selected not in leaves:
            self.place.selected = next(iter(leaves), None)
        return self.place.selected

    def edit_warning(self, name: str, value: float) -> str:
        """A warning to give before applying ``name`` = ``value`` (an output that overflows), else ""."""
        return edit_warning(self.lesson, name, value)

    def edit(self, name: str, value: float) -> Outcome:
        """Recompute with ``name`` = ``value``; say what the old gradient predicted and what happened."""
        old = self.lesson
        self.place.lesson = old.with_values({name: value})
        self.place.edit_note = partial(edit_lines, old, self.place.lesson, name)
        return self._lesson_changed(self.k)

    def can_pick_row(self) -> Outcome | None:
        """None when the scenario has data rows to pick from; else why not."""
        if self.scenario.data is None:
            return Outcome(Move.REFUSED, warning=_(NO_DATA))
        return None

    def use_row(self, k: int) -> Outcome:
        """Step through data row ``k`` (from 1)."""
        self.place.use_row(k)
        return self._lesson_changed(self.k)

    # -- selecting ------------------------------------------------------------------------

    def select_step(self, delta: int) -> Outcome:
        """Select the next (+1) or previous (-1) node in the file's order."""
        keys = [n.key for n in self.lesson.nodes]
        if not keys:
            return Outcome(Move.REFUSED)
        selected = self.place.selected
        if selected in keys:
            index = (keys.index(selected) + delta) % len(keys)
        else:
            index = 0 if delta > 0 else len(keys) - 1
        return self.select(keys[index])

    def select(self, key: str) -> Outcome:
        """Select node ``key`` (a click on the graph): its details come first until the next step."""
        self.place.selected = key
        self.place.selection_first = True
        self.mode.selection_changed()
        return Outcome(Move.SHOW_IN_PLACE)
