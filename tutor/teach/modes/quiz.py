"""Quiz mode: before each value and gradient is shown, the learner types it."""

from __future__ import annotations

from tutor.teach.explain import selected_lines
from tutor.teach.lesson import Line
from tutor.teach.modes.base import Move, Mode, View, Widget
from tutor.teach.quiz import Question, QuizSession, questions_at

OUTCOME_STYLES = {"right": "good", "retry": "bad", "reveal": "warn", "invalid": "warn"}


class QuizMode(Mode):
    """Steps pause on questions; answers go through ``submit``; scores are kept until reset."""

    name = "quiz"
    title = "quiz"
    key = "2"
    description = "Quiz"
    tooltip = "Quiz mode: answer each value and gradient before it is shown"
    show_key = True
    label = "quiz"
    widget = Widget("input", "answer")
    pictured = False  # it waits for typed answers

    def __init__(self, place) -> None:  # noqa: ANN001 - Place
        super().__init__(place)
        self.session = QuizSession()
        self.pending: list[Question] = []
        """Questions still to answer before step ``target`` is shown."""
        self.target = 0
        self.feedback: list[Line] = []

    @property
    def asking(self) -> bool:
        return bool(self.pending)

    def enter(self) -> None:
        super().enter()
        self.feedback = [[("Quiz: ", "title"), ("press → and answer before each value and gradient is "
                                                "shown. Esc in the answer box leaves the quiz.", "")]]

    def interrupt(self) -> None:
        if self.pending:
            self.pending = []
            self.session.current = None

    def reset(self) -> None:
        self.session = QuizSession()
        self.interrupt()

    def widget_shown(self) -> bool:
        return self.asking

    def placeholder(self) -> str:
        return "your answer (e.g. 2.2, 1/3, 2*1.1), Enter to check, Esc to leave the quiz"

    def next(self) -> Move:
        """Ask the next step's questions before revealing it."""
        place = self.place
        if self.pending:
            return Move.FOCUS
        if place.k >= self.lesson.last:
            return Move.REFUSED
        target = place.k + 1
        questions = questions_at(self.lesson, target)
        self.feedback = []
        if not questions:
            place.go(target)
            return Move.SHOW
        self.target = target
        self.pending = list(questions)
        self.session.ask(self.pending[0])
        self.revision += 1
        return Move.SHOW

    def previous(self) -> Move:
        if self.pending:
            return Move.REFUSED
        return super().previous()

    def submit(self, text: str) -> Move:
        if not self.pending:
            return Move.REFUSED
        outcome, message = self.session.answer(text)
        style = OUTCOME_STYLES[outcome]
        if outcome in ("right", "reveal"):
            self.feedback.append([("✓ " if outcome == "right" else "✗ ", style), (message, style)])
            self.pending.pop(0)
            if self.pending:
                self.session.ask(self.pending[0])
            else:
                self.place.go(self.target)
        else:
            self.feedback = [[(message, style)]]
        return Move.SHOW

    def view(self) -> View:
        lesson = self.lesson
        place = self.place
        if self.pending:
            # The graph as it was before the step, pointing at the node asked about.
            step = lesson.step(self.target)
            frame = lesson.focus(lesson.frame(self.target - 1), step.node if step else None)
            question = self.pending[0]
            lines: list[Line] = [[("Quiz ", "title"), (f"step {self.target} of {lesson.last}", "dim")],
                                 [("? ", "title"), (question.prompt, "")]]
            lines = lines + self.feedback
        else:
            frame = lesson.frame(place.k)
            lines = lesson.explain(place.k) + self.feedback
            if place.k >= lesson.last:
                summary = "; ".join(self.session.summary()) or "no questions yet"
                lines = lines + [[("Quiz summary: ", "title"), (summary, "")]]
        if place.selected:
            lines = lines + selected_lines(lesson, place.selected, frame)
        return View(frame, lines)
