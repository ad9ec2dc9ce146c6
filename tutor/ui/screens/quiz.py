"""Quiz mode of the lesson screen: ask before revealing each step."""

from __future__ import annotations

from textual.widgets import Input

from tutor.teach.lesson import Frame, Line
from tutor.teach.quiz import questions_at
from tutor.ui.widgets.graph_view import GraphView


class QuizMixin:
    """Questions before each value and gradient; answers typed in ``#answer``."""

    def _quiz_view(self) -> tuple[Frame, list[Line], frozenset, frozenset]:
        lesson = self.lesson
        empty: frozenset = frozenset()
        if self.quiz_pending:
            # The graph as it was before the step, pointing at the node asked about.
            step = lesson.step(self.quiz_target)
            frame = lesson.focus(lesson.frame(self.quiz_target - 1), step.node if step else None)
            question = self.quiz_pending[0]
            lines: list[Line] = [[("Quiz ", "title"), (f"step {self.quiz_target} of {lesson.last}", "dim")],
                                 [("? ", "title"), (question.prompt, "")]]
            return frame, lines + self.quiz_feedback, empty, empty
        lines = lesson.explain(self.k) + self.quiz_feedback
        if self.k >= lesson.last:
            lines = lines + [[("Quiz summary: ", "title"), ("; ".join(self.quiz.summary()) or "no questions yet", "")]]
        return lesson.frame(self.k), lines, empty, empty

    def quiz_advance(self) -> None:
        """Ask the next step's questions before revealing it."""
        if self.quiz_pending:
            self.part("answer").focus()
            return
        if self.k >= self.lesson.last:
            self.app.bell()
            return
        target = self.k + 1
        questions = questions_at(self.lesson, target)
        if not questions:
            self.quiz_feedback = []
            self.go(target)
            return
        self.quiz_target = target
        self.quiz_pending = list(questions)
        self.quiz.ask(self.quiz_pending[0])
        self.quiz_feedback = []
        answer = self.part("answer")
        answer.value = ""
        answer.display = True
        self.call_after_refresh(answer.focus)
        self.refresh_view()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "answer" or not self.quiz_pending:
            return
        outcome, message = self.quiz.answer(event.value)
        style = {"right": "good", "retry": "bad", "reveal": "warn", "invalid": "warn"}[outcome]
        event.input.value = ""
        if outcome in ("right", "reveal"):
            self.quiz_feedback.append([("✓ " if outcome == "right" else "✗ ", style), (message, style)])
            self.quiz_pending.pop(0)
            if self.quiz_pending:
                self.quiz.ask(self.quiz_pending[0])
            else:
                event.input.display = False
                self.query_one(GraphView).focus()
                self.go(self.quiz_target)
                return
        else:
            self.quiz_feedback = [[(message, style)]]
        self.refresh_view()

    def _leave_quiz_question(self) -> None:
        """Drop an unanswered question (the scenario's position is kept)."""
        if self.quiz_pending:
            self.quiz_pending = []
            self.quiz.current = None
        if self.is_mounted and self.has_part("answer"):
            self.part("answer").display = False

    def on_key(self, event) -> None:  # noqa: ANN001 - textual.events.Key
        if event.key == "escape" and self.mode == "quiz" and isinstance(self.focused, Input):
            event.stop()
            self._leave_quiz_question()
            self.mode = "step"
            self.quiz_feedback = []
            self.query_one(GraphView).focus()
            self.refresh_view()
