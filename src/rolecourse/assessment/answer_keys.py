"""Answer keys of a quiz bank and their check, for the course notebooks.

A role notebook carries the answer key of its quiz as a literal and proves it with
:func:`grade_answers`: the key must give full marks and a wrong answer must not. When a
key in ``exercises/quizzes/<role>.yaml`` changes without its notebook, the notebook's
checked output changes and CI fails. :func:`answer_key` derives the key from a bank (to
write or refresh that literal); :func:`wrong_answer` gives an answer the bank marks wrong.

(A role's profile as Markdown and the table of transition hours are in :mod:`rolecourse.export.text`.)

Nothing here imports a widget or plotting library, and nothing reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..errors import UsageError
from .grading import AnswerStatus, grade
from .questions import Question, QuestionBank, QuestionType

__all__ = ["QuizScore", "answer_key", "grade_answers", "quiz_key", "wrong_answer"]


def answer_key(question: Question) -> Any:
    """The answer the bank marks fully right, in the form :func:`~rolecourse.assessment.grading.grade` takes.

    Single choice: the option index; multiple select: the sorted list of correct indices;
    true/false: ``True`` or ``False``; numeric: the number; text: the first accepted answer.
    """
    if question.type is QuestionType.SINGLE:
        return question.correct_options[0]
    if question.type is QuestionType.MULTIPLE:
        return list(question.correct_options)
    if question.type is QuestionType.TRUE_FALSE:
        return bool(question.answer)
    if question.type is QuestionType.NUMERIC:
        value = float(question.answer or 0.0)
        return int(value) if value.is_integer() else value
    return question.accept[0]


def quiz_key(quiz: QuestionBank) -> dict[str, Any]:
    """Question id → :func:`answer_key`, in the bank's order."""
    return {q.id: answer_key(q) for q in quiz.questions}


def wrong_answer(question: Question) -> Any:
    """An answer the bank marks wrong: the first wrong option, the other truth value,
    a number outside the tolerance, or a text no accepted answer matches."""
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        wrong = [i for i, o in enumerate(question.options) if not o.correct]
        if not wrong:
            raise UsageError(f"question {question.id!r}: every option is correct, so no answer is wrong")
        return wrong[0] if question.type is QuestionType.SINGLE else [wrong[0]]
    if question.type is QuestionType.TRUE_FALSE:
        return not bool(question.answer)
    if question.type is QuestionType.NUMERIC:
        value = float(question.answer or 0.0)
        miss = value + 2 * question.tolerance + max(1.0, abs(value))
        return int(miss) if miss.is_integer() else miss
    candidate = "not the answer"
    while grade(question, candidate).correct:
        candidate += " either"
    return candidate


@dataclass(frozen=True, slots=True)
class QuizScore:
    """How a set of answers fared against a quiz bank."""

    role: str
    """Id of the role whose bank was graded."""
    correct: int
    """Questions answered fully right."""
    total: int
    """Questions in the bank."""
    not_correct: tuple[str, ...]
    """Ids of the questions not answered fully right (wrong, partly right or missing), in bank order."""
    unknown: tuple[str, ...] = ()
    """Ids in the answers that the bank does not have, sorted."""

    @property
    def full_marks(self) -> bool:
        """Whether every question was answered fully right and no unknown id was given."""
        return self.correct == self.total and not self.unknown

    def __str__(self) -> str:
        """``12/12 correct`` (plus what was not right, and any unknown question ids)."""
        text = f"{self.correct}/{self.total} correct"
        if self.not_correct:
            text += "; not right: " + ", ".join(self.not_correct)
        if self.unknown:
            text += "; not in the bank: " + ", ".join(self.unknown)
        return text


def grade_answers(quiz: QuestionBank, answers: Mapping[str, Any]) -> QuizScore:
    """Grade ``answers`` (question id → answer) against every question of ``quiz``.

    A question missing from ``answers`` counts as not answered. An answer of the wrong kind
    (an option index the question lacks) raises :class:`~rolecourse.errors.UsageError`.
    """
    correct = 0
    not_correct: list[str] = []
    for q in quiz.questions:
        fb = grade(q, answers.get(q.id))
        if fb.status is AnswerStatus.CORRECT:
            correct += 1
        else:
            not_correct.append(q.id)
    ids = {q.id for q in quiz.questions}
    unknown = tuple(sorted(k for k in answers if k not in ids))
    return QuizScore(quiz.role, correct, len(quiz.questions), tuple(not_correct), unknown)




