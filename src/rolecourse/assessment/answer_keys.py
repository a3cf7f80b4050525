"""Small pure helpers the course notebooks call: answer keys of a quiz bank and their check.

A role notebook carries the answer key of its quiz as a literal and proves it with
:func:`grade_answers`: the key must give full marks and a wrong answer must not. When a
key in ``exercises/quizzes/<role>.yaml`` changes without its notebook, the notebook's
checked output changes and CI fails. :func:`answer_key` derives the key from a bank (to
write or refresh that literal); :func:`wrong_answer` gives an answer the bank marks wrong.

:func:`profile_markdown` writes a role's profile as Markdown for a notebook to display;
:func:`transition_table` lays out the hours to move between compared roles.

Nothing here imports a widget or plotting library, and nothing reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..planning.compare import Comparison
from ..errors import UsageError
from .grading import Status, grade
from ..content.model import Curriculum
from ..planning.profiles import item_detail, role_profile
from .questions import Question, QuestionType, Quiz

__all__ = ["QuizScore", "answer_key", "grade_answers", "profile_markdown", "quiz_key", "transition_table", "wrong_answer"]


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


def quiz_key(quiz: Quiz) -> dict[str, Any]:
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


def grade_answers(quiz: Quiz, answers: Mapping[str, Any]) -> QuizScore:
    """Grade ``answers`` (question id → answer) against every question of ``quiz``.

    A question missing from ``answers`` counts as not answered. An answer of the wrong kind
    (an option index the question lacks) raises :class:`~rolecourse.errors.UsageError`.
    """
    correct = 0
    not_correct: list[str] = []
    for q in quiz.questions:
        fb = grade(q, answers.get(q.id))
        if fb.status is Status.CORRECT:
            correct += 1
        else:
            not_correct.append(q.id)
    ids = {q.id for q in quiz.questions}
    unknown = tuple(sorted(k for k in answers if k not in ids))
    return QuizScore(quiz.role, correct, len(quiz.questions), tuple(not_correct), unknown)


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _md(text: str) -> str:
    """``text`` with Markdown's inline specials escaped, on one line."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _hours(h: float) -> str:
    return f"{h:g} h"


def profile_markdown(curriculum: Curriculum, key: str, *, heading_level: int = 3) -> str:
    """A role's profile as Markdown: summary, responsibilities, key skills by group, related roles.

    Built from :func:`rolecourse.planning.profiles.role_profile`; headings start at ``heading_level``.
    The day-in-the-life scenario is left out (a notebook shows it in its own section).
    """
    if not 1 <= heading_level <= 5:
        raise UsageError(f"heading_level: expected 1 to 5, found {heading_level!r}")
    p = role_profile(curriculum, key)
    h = "#" * heading_level
    out = [f"**{_md(p['name'])}**: {_md(p['summary'])}", "", f"{h} Responsibilities", ""]
    out += [f"- **{_md(r['title'])}**: {_md(r['description'])}" for r in p["responsibilities"]]
    out += ["", f"{h} Key skills", ""]
    for g in p["skill_groups"]:
        out += [f"**{_md(g['name'])}**: {_md(g['text'])}", ""]
        for it in g["items"]:
            said = item_detail(it)
            detail = f" ({_md(said)})" if said else ""
            out.append(f"- {_md(it['name'])}{detail}: {_hours(it['hours'])} of study")
        out.append("")
    out.append(f"Total study time for the role's key skills: **{_hours(p['hours'])}**.")
    if p["see_also"]:
        out += ["", f"{h} Related roles", ""]
        out += [f"- **{_md(link['name'])}**: {_md(link['note'])}" for link in p["see_also"]]
    return "\n".join(out) + "\n"


def transition_table(comparison: Comparison) -> str:
    """Hours of study to move from each compared role (rows) to each other one (columns), as text.

    Columns are numbered like the rows (``1`` is the first role); the diagonal shows ``-``.
    The hours are those of :func:`rolecourse.planning.compare.compare_roles` (the first role's key skills
    mastered, what the second adds studied, prerequisites included).
    """
    roles = comparison.roles
    namew = max(len(r.name) for r in roles) + 4
    cells = [[("-" if a is b else f"{comparison.pair(a.id, b.id).hours_a_to_b:g}") for b in roles] for a in roles]
    colw = max(5, *(len(c) for row in cells for c in row))
    head = "from \\ to".ljust(namew) + "".join(f"{i:>{colw + 2}}" for i in range(1, len(roles) + 1))
    lines = [head]
    for i, (role, row) in enumerate(zip(roles, cells), 1):
        lines.append(f"{f'{i}. {role.name}':<{namew}}" + "".join(f"{c:>{colw + 2}}" for c in row))
    return "\n".join(lines) + "\n"
