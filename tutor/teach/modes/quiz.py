"""Quiz mode: before each value and gradient is shown, the learner types it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.teach import questions  # deferred (tutor.startup): opening a lesson needs no quiz
from tutor.teach.selected import selected_lines
from tutor.teach.text import Line
from tutor.i18n import N_, _, language
from tutor.teach.modes.base import ModeProgress, Move, Mode, View, Widget

if TYPE_CHECKING:
    from tutor.teach.questions import Question, QuizSession

OUTCOME_STYLES = {"right": "good", "retry": "bad", "reveal": "warn", "invalid": "warn", "close": "warn"}


class QuizMode(Mode):
    """Steps pause on questions; answers go through ``submit``; scores are kept until reset.

    While a question is open nothing that gives its answer away is shown: the
    graph is drawn as it was before the step, notes are hidden, and the
    feedback of the previous question is gone. After an answer (right, or
    revealed after the second miss) the answer box keeps the keyboard and
    shows the outcome until the learner presses Enter to move on, so typing
    never reaches the app's keys by surprise.
    """

    name = "quiz"
    title = N_("quiz")
    key = "2"
    description = N_("Quiz")
    tooltip = N_("Quiz mode: answer each value and gradient before it is shown")
    show_key = True
    label = N_("quiz")
    widget = Widget("input", "answer")
    pictured = False  # it waits for typed answers

    def __init__(self, place) -> None:  # noqa: ANN001 - Place
        super().__init__(place)
        self._session: QuizSession | None = None
        self.pending: list[Question] = []
        """Questions still to answer before step ``target`` is shown (the first is on screen)."""
        self.target = 0
        self.asked_here = 0
        """How many questions step ``target`` has in all."""
        self.feedback: list[Line] = []
        self.opening: list[Line] | None = None
        """The opening words, while ``feedback`` is they (said again in another language)."""
        """About the question on screen only: cleared when the next question appears."""
        self.answered = False
        """The question on screen is answered; Enter moves on."""
        self.asked_in = language()
        """The language the questions on screen were made in: they are asked again in another."""

    @property
    def session(self) -> QuizSession:
        """The score so far (made on first use: a lesson opens without loading the quiz)."""
        if self._session is None:
            self._session = questions.QuizSession()
        return self._session

    @property
    def asking(self) -> bool:
        return bool(self.pending)

    def enter(self) -> None:
        super().enter()
        self.feedback = self.opening = self._opening()
        self.asked_in = language()

    @staticmethod
    def _opening() -> list[Line]:
        return [[(_("Quiz: "), "title"), (_("press → and answer before each value and gradient is "
                                            "shown. Esc in the answer box ends the quiz."), "")]]

    def interrupt(self) -> None:
        if self.pending:
            self.pending = []
            self.session.current = None
        self.answered = False

    def reset(self) -> None:
        self._session = None
        self.interrupt()

    def leave(self) -> list[Line]:
        """Leaving the quiz (Esc, or another mode): the score so far."""
        if not self.session.asked:
            return []
        return [[(_("Quiz ended. "), "title"), ("; ".join(self.session.summary()), "")]]

    def widget_shown(self) -> bool:
        return self.asking

    def placeholder(self) -> str:
        return _("your answer (e.g. 2.2, 1/3, 2*1.1), Enter to check, Esc to end the quiz")

    def _ask_next_step(self) -> Move:
        place = self.place
        if place.k >= self.lesson.last:
            return Move.REFUSED
        target = place.k + 1
        asked = self.lesson.questions(target)
        self.feedback = []
        if not asked:
            place.go(target)
            return Move.SHOW
        self.target = target
        self.asked_in = language()
        self.pending = list(asked)
        self.asked_here = len(asked)
        self.answered = False
        self.session.ask(self.pending[0])
        self.revision += 1
        return Move.SHOW

    def _move_on(self) -> Move:
        """After an answer: the next question of this step, or the step itself."""
        self.answered = False
        self.feedback = []
        self.pending.pop(0)
        self.revision += 1
        if self.pending:
            self.session.ask(self.pending[0])
        else:
            self.place.go(self.target)
        return Move.SHOW

    def can_step(self, delta: int) -> bool:
        if delta > 0:
            return self.answered or bool(self.pending) or self.place.k < self.lesson.last
        return not self.pending and self.place.k > 0

    def next(self) -> Move:
        """Ask the next step's questions before revealing it (or move on after an answer)."""
        if self.answered:
            return self._move_on()
        if self.pending:
            return Move.FOCUS
        return self._ask_next_step()

    def previous(self) -> Move:
        if self.pending:
            return Move.REFUSED
        return super().previous()

    def submit(self, text: str) -> Move:
        if not self.pending:
            return Move.REFUSED
        if self.answered:
            return self._move_on()
        outcome, message = self.session.answer(text)
        style = OUTCOME_STYLES[outcome]
        if outcome in ("right", "reveal"):
            self.answered = True
            more = (_("Press Enter for the next question.") if len(self.pending) > 1
                    else _("Press Enter to show step {k}.").format(k=self.target))
            self.feedback = [
                [("✓ " if outcome == "right" else "✗ ", style), *questions.styled(message, style)],
                [(more, "dim")],
            ]
        else:
            self.feedback = [questions.styled(message, style)]
        return Move.SHOW

    def progress(self) -> ModeProgress | None:
        """While a question is open, the status bar shows the step asked about, not the one before it."""
        if not self.pending:
            return None
        lesson = self.lesson
        phase = lesson.position(self.target).phase
        return ModeProgress(
            _("QUIZ"), (_("FORWARD →") if phase == "forward" else _("← BACKWARD")) + "  " + self._where(),
            self.target, lesson.last,
        )

    def _where(self) -> str:
        """``step 3 of 8, question 1 of 2``: the step asked about, and which of its questions is on screen."""
        return _("step {k} of {n}, question {question} of {questions}").format(
            k=self.target, n=self.lesson.last, question=self.asked_here - len(self.pending) + 1,
            questions=self.asked_here)

    def _in_this_language(self) -> None:
        """The questions on screen asked again, and the opening words said again, when the language changed
        since they were made (an answer's feedback stays as it was said, until the next question)."""
        code = language()
        if self.feedback is self.opening and self.asked_in != code:
            self.feedback = self.opening = self._opening()
        if not self.pending or self.asked_in == code:
            self.asked_in = code
            return
        asked = self.lesson.questions(self.target)
        self.asked_in = language()
        if len(asked) == self.asked_here:
            self.pending = asked[len(asked) - len(self.pending):]
            if not self.answered:
                self.session.current = self.pending[0]

    def view(self) -> View:
        lesson = self.lesson
        place = self.place
        self._in_this_language()
        if self.pending:
            # The graph as it was before the step, pointing at the node asked about.
            step = lesson.step(self.target)
            frame = lesson.focus(lesson.frame(self.target - 1), step.node if step else None)
            question = self.pending[0]
            lines: list[Line] = [
                [(_("Quiz "), "title"), (self._where(), "dim")],
                [("? ", "title"), (question.prompt, "")],
            ]
            if question.given:
                lines.append([(_("  known: "), "dim"), (question.given, "dim")])
            lines = lines + self.feedback
            if place.selected:
                lines = lines + selected_lines(lesson, place.selected, frame, self.target - 1, note=False)
            return View(frame, lines)
        frame = lesson.frame(place.k)
        if place.k >= lesson.last:  # the score first: the quiz is over, whatever the step's words below
            summary = "; ".join(self.session.summary()) or _("no questions asked")
            lines = self.feedback + [[(_("Quiz finished. "), "title"), (summary, "")],
                                     [(_("Esc leaves the quiz; the step's own words follow."), "dim")]] + lesson.explain(
                place.k)
        else:
            lines = lesson.explain(place.k) + self.feedback
        if place.selected:
            lines = lines + selected_lines(lesson, place.selected, frame, place.k)
        return View(frame, lines)
