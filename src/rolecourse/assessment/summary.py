"""The end of a quiz as data: the score, the questions to review, their skills and a next step.

Pure: the results, the questions and (optionally) the curriculum and the lesson links go in, a
:class:`QuizSummary` comes out. Nothing is read from disk here; the caller passes
:func:`rolecourse.assessment.lessons.lesson_links` when lessons are shipped. The quiz widget only
renders the summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .grading import AnswerStatus, Feedback
from .questions import Question

if TYPE_CHECKING:
    from ..content.model import Curriculum

PROMPT_WORDS = 8
"""How many words of a prompt name a question to review."""


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A question answered wrong or partly right, by its latest answer."""

    question_id: str
    """Id of the question."""
    prompt_start: str
    """The first words of its prompt (``…`` when cut)."""
    status: AnswerStatus
    """Incorrect or partly correct."""
    score: float
    """The latest answer's score, 0..1."""
    skills: tuple[str, ...]
    """Ids of the skills it tests."""


@dataclass(frozen=True, slots=True)
class NextStep:
    """What to do next for one skill to review."""

    skill: str
    """Skill id."""
    skill_name: str
    """The skill's name from the curriculum, else its id."""
    text: str
    """The step in words: ``Open the lesson for SQL: lessons/sql-foundations/sql-foundations.ipynb``."""
    link: str = ""
    """The lesson notebook, relative to the course folder; empty when there is no lesson."""


@dataclass(frozen=True, slots=True)
class QuizSummary:
    """How a quiz went, by the latest answer to each question."""

    score: float
    """Sum of the latest scores."""
    total: int
    """Number of questions."""
    answered: int
    """Questions answered at least once."""
    to_review: tuple[ReviewItem, ...]
    """The questions whose latest answer was wrong or partly right, in quiz order."""
    skills: tuple[tuple[str, str], ...]
    """``(id, name)`` of the skills the questions to review test, first seen first (name = id without a curriculum)."""
    next_steps: tuple[NextStep, ...]
    """One step per skill to review; with nothing to review, one step without a skill that says to move on."""

    @property
    def complete(self) -> bool:
        """Whether every question has been answered at least once."""
        return self.answered == self.total


def prompt_start(prompt: str, words: int = PROMPT_WORDS) -> str:
    """The first ``words`` words of ``prompt``, with ``…`` when there were more."""
    parts = prompt.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def _lesson_for(skill: str, level_rank: int, curriculum: Curriculum | None, lessons: Mapping[str, str]) -> tuple[str, str]:
    """``(module title, lesson link)`` for ``skill``: the module nearest the question's level among those with a lesson, else among all."""
    if curriculum is None or skill not in curriculum.skills:
        return "", ""
    modules = curriculum.skills[skill].modules
    with_lesson = [m for m in modules if m.id in lessons]
    pool = with_lesson or list(modules)
    if not pool:
        return "", ""
    best = min(pool, key=lambda m: (abs(m.level.rank - level_rank), m.level.rank))
    return best.title, lessons.get(best.id, "")


def quiz_summary(
    questions: Sequence[Question],
    results: Iterable[Feedback],
    *,
    curriculum: Curriculum | None = None,
    lessons: Mapping[str, str] | None = None,
) -> QuizSummary:
    """Summarise a quiz from its ``results`` (every submitted feedback, in order; the latest per question id counts).

    Questions whose latest answer is incorrect or partly correct are to review; their skills
    are named from ``curriculum`` when given. ``lessons`` maps module ids to lesson notebooks
    (as :func:`~rolecourse.assessment.lessons.lesson_links` does): a skill with a lesson gets
    "Open the lesson for …" (the module nearest the level of the first question to review on
    it, ties to the lower level); one without gets that module to study, or, without a
    curriculum, a retry of its questions. Not-answered feedback is ignored.
    """
    lessons = lessons or {}
    latest: dict[str, Feedback] = {}
    for fb in results:
        if fb.status is not AnswerStatus.NOT_ANSWERED:
            latest[fb.question_id] = fb
    asked = [q for q in questions if q.id in latest]
    review = [q for q in asked if latest[q.id].status in (AnswerStatus.INCORRECT, AnswerStatus.PARTLY_CORRECT)]
    items = tuple(ReviewItem(q.id, prompt_start(q.prompt), latest[q.id].status, latest[q.id].score, q.skills) for q in review)
    names = curriculum.skills if curriculum is not None else {}
    levels: dict[str, int] = {}
    for q in review:
        for skill in q.skills:
            levels.setdefault(skill, q.level.rank)
    skills = tuple((s, names[s].name if s in names else s) for s in levels)
    steps: list[NextStep] = []
    for skill, name in skills:
        title, link = _lesson_for(skill, levels[skill], curriculum, lessons)
        if link:
            steps.append(NextStep(skill, name, f"Open the lesson for {name}: {link}", link))
        elif title:
            steps.append(NextStep(skill, name, f"Study the module “{title}” for {name}, then retry its questions."))
        else:
            steps.append(NextStep(skill, name, f"Review {name}, then retry its questions."))
    if not steps:
        steps.append(NextStep("", "", "Every answer is right: go on to the next module of your plan."))
    score = sum(latest[q.id].score for q in asked)
    return QuizSummary(score, len(questions), len(asked), items, skills, tuple(steps))


__all__ = ["NextStep", "PROMPT_WORDS", "QuizSummary", "ReviewItem", "prompt_start", "quiz_summary"]
