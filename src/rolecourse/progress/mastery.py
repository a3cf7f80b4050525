"""Mastery from a learner's records: a level 0-3 per skill, and progress per role.

:func:`mastery_levels` turns the records into a level 0-3 per skill, the scale of
self-assessment and of the path engine (``known`` of :func:`rolecourse.planning.plans.plan`),
by the one rule :func:`rolecourse.assessment.mastery.mastery_from_evidence`:

* **Questions**: the latest answer to each question, with the question's level (recorded with
  the answer, else the shipped question's, else foundation). Questions marked ``recall`` in
  their bank never count. Several distinct questions on a skill at a level must pass together.
* **Checked practice**: a complete exercise (every step's latest outcome ``correct``) is
  intermediate practice of each skill it practises; a lesson whose practice steps are all
  correct is practice at its module's level. From intermediate up, questions count only with
  practice at that level behind them.
* **Lessons done** (practice all correct, quiz passed) are evidence at their module's level.
* The level is the **maximum** of the self-assessed level and the evidence. Skills at level
  0 are left out of the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from ..assessment.checking import StepOutcome
from ..assessment.lessons import lesson_counts, quiz_passed
from ..assessment.mastery import EXERCISE_LEVEL, mastery_from_evidence
from ..errors import ContentError
from .model import LearnerProgress


MASTERED_LEVEL = 2
"""The level from which the dashboard counts a skill as mastered."""



@lru_cache(maxsize=1)
def shipped_question_levels() -> Mapping[str, int]:
    """Level rank of every shipped quiz question, by question id (read once, on first use).

    Used for answers recorded without a level. Empty if the shipped banks cannot be read
    (``rolecourse validate`` reports why); such answers then count as foundation.
    """
    from ..assessment.questions import load_all_quizzes

    try:
        banks = load_all_quizzes()
    except ContentError:
        return MappingProxyType({})
    return MappingProxyType({q.id: q.level.rank for bank in banks for q in bank.questions})



@lru_cache(maxsize=1)
def shipped_recall_questions() -> frozenset[str]:
    """Ids of the shipped questions marked ``recall`` (read once): they never lift mastery."""
    from ..assessment.questions import load_all_quizzes

    try:
        banks = load_all_quizzes()
    except ContentError:
        return frozenset()
    return frozenset(q.id for bank in banks for q in bank.questions if q.recall)


@dataclass(frozen=True, slots=True)
class LessonEvidence:
    """What mastery needs to know of one lesson: the skill and level it teaches, its steps and quiz."""

    skill: str
    """Id of the skill of the lesson's module."""
    level: int
    """The module's level rank, 1-3."""
    steps: tuple[str, ...]
    """Ids of its practice steps (recorded under the lesson's id)."""
    questions: tuple[str, ...]
    """Ids of its quiz questions."""


@lru_cache(maxsize=1)
def shipped_lesson_evidence() -> Mapping[str, LessonEvidence]:
    """The shipped lessons by id, as :class:`LessonEvidence` (read once; empty when they cannot be read)."""
    from ..assessment.lessons import list_lessons
    from ..content.curriculum import load_curriculum

    try:
        curriculum = load_curriculum()
        lessons = list_lessons(curriculum=curriculum)
    except (ContentError, FileNotFoundError):
        return MappingProxyType({})
    out = {}
    for lesson in lessons:
        module = curriculum.modules[lesson.id]
        out[lesson.id] = LessonEvidence(module.skill, module.level.rank, tuple(s.id for s in lesson.practice), tuple(q.id for q in lesson.quiz))
    return MappingProxyType(out)


def quiz_mastery(progress: LearnerProgress, question_levels: Mapping[str, int] | None = None) -> dict[str, int]:
    """Question evidence alone per skill, 0-1 (zeros kept): without practice, quizzes show at most foundation.

    An answer's level is the one recorded with it, else ``question_levels[question]``
    (default :func:`shipped_question_levels`, read only when needed), else foundation (1).
    """
    return mastery_from_evidence(_entries(progress, question_levels))


def _entries(progress: LearnerProgress, question_levels: Mapping[str, int] | None) -> list[tuple[Sequence[str], int, float, str]]:
    latest = progress.latest_answers().values()
    if question_levels is None and any(a.level is None for a in latest):
        question_levels = shipped_question_levels()
    lookup = question_levels or {}
    recall = shipped_recall_questions()
    return [(a.skills, a.level if a.level is not None else lookup.get(a.question, 1), a.score, a.question) for a in latest if a.question not in recall]


def mastery_levels(
    progress: LearnerProgress,
    exercise_skills: Mapping[str, Sequence[str]] | None = None,
    exercise_steps: Mapping[str, Sequence[str]] | None = None,
    *,
    question_levels: Mapping[str, int] | None = None,
    lessons: Mapping[str, LessonEvidence] | None = None,
) -> dict[str, int]:
    """Level 1-3 per skill: the max of self-assessment and the evidence (see the module docstring).

    ``lessons`` defaults to the shipped lessons (:func:`shipped_lesson_evidence`); zeros are
    left out and keys are sorted. ``question_levels`` is as for :func:`quiz_mastery`.
    """
    practice: dict[str, int] = {}
    for ex in progress.completed_exercises(exercise_steps):
        for skill in (exercise_skills or {}).get(ex, ()):
            practice[skill] = max(practice.get(skill, 0), EXERCISE_LEVEL)
    done: dict[str, int] = {}
    lesson_map = shipped_lesson_evidence() if lessons is None else lessons
    if lesson_map:
        latest_steps = progress.latest_steps()
        latest_answers = progress.latest_answers()
        for lesson_id, ev in lesson_map.items():
            correct, _, right, _ = lesson_counts(lesson_id, ev.steps, ev.questions, latest_steps, latest_answers)
            if not ev.steps or correct < len(ev.steps):
                continue
            practice[ev.skill] = max(practice.get(ev.skill, 0), ev.level)
            if quiz_passed(right, len(ev.questions)):
                done[ev.skill] = max(done.get(ev.skill, 0), ev.level)
    evidence = mastery_from_evidence(_entries(progress, question_levels), practice, done)
    levels = dict(progress.self_assessment)
    for skill, level in evidence.items():
        levels[skill] = max(levels.get(skill, 0), level)
    return {s: levels[s] for s in sorted(levels) if levels[s] > 0}


@dataclass(frozen=True, slots=True)
class RoleProgress:
    """How far a learner has come in one role."""

    role: str
    """Role id."""
    name: str
    """Role display name."""
    skills_total: int
    """Number of the role's key skills."""
    skills_mastered: int
    """Of those, how many are at :data:`MASTERED_LEVEL` or above."""
    quizzes_answered: int
    """Distinct questions of the role's quiz answered."""
    quizzes_correct: int
    """Of those, how many were right the last time."""
    exercises_started: int
    """The role's exercises with at least one step checked."""
    exercises_done: int
    """The role's exercises with every step correct."""
    next_skills: tuple[str, ...]
    """Ids of the first not-mastered skills, in the role's order ("what's next")."""

    @property
    def percent_mastered(self) -> float:
        """Share of the role's skills mastered, 0-100."""
        return 100.0 * self.skills_mastered / self.skills_total if self.skills_total else 0.0



def _exercise_role(exercise: str, role_ids: Sequence[str], exercise_roles: Mapping[str, str] | None) -> str | None:
    if exercise_roles and exercise in exercise_roles:
        return exercise_roles[exercise]
    bare = re.sub(r"^[0-9]+-", "", exercise)  # exercise folders may be numbered: 01-data-analyst-sql
    matches = [r for r in role_ids if bare == r or bare.startswith(r + "-")]
    return max(matches, key=len) if matches else None



def summarize(
    progress: LearnerProgress,
    curriculum: Any,
    *,
    exercise_skills: Mapping[str, Sequence[str]] | None = None,
    exercise_steps: Mapping[str, Sequence[str]] | None = None,
    exercise_roles: Mapping[str, str] | None = None,
    mastered_at: int = MASTERED_LEVEL,
    next_count: int = 3,
) -> tuple[RoleProgress, ...]:
    """Per role of ``curriculum`` (a :class:`rolecourse.content.model.Curriculum`), in its order, the learner's progress.

    An exercise belongs to the role ``exercise_roles`` names for it, else to the role whose
    id its id starts with, after any number prefix (``01-data-analyst-sql`` -> ``data-analyst``).
    """
    levels = mastery_levels(progress, exercise_skills, exercise_steps)
    latest = progress.latest_answers()
    role_ids = [r.id for r in curriculum.roles]
    done = set(progress.completed_exercises(exercise_steps))
    started = {r.exercise for r in progress.exercises if r.outcome is not StepOutcome.NOT_ATTEMPTED}
    out = []
    for role in curriculum.roles:
        skills = role.skill_ids
        mastered = [s for s in skills if levels.get(s, 0) >= mastered_at]
        answers = [a for a in latest.values() if a.role == role.id]
        exercises = {e for e in started | done if _exercise_role(e, role_ids, exercise_roles) == role.id}
        out.append(
            RoleProgress(
                role=role.id,
                name=role.name,
                skills_total=len(skills),
                skills_mastered=len(mastered),
                quizzes_answered=len(answers),
                quizzes_correct=sum(1 for a in answers if a.correct),
                exercises_started=len(exercises),
                exercises_done=len(exercises & done),
                next_skills=tuple(s for s in skills if levels.get(s, 0) < mastered_at)[:next_count],
            )
        )
    return tuple(out)



@dataclass(frozen=True, slots=True)
class ExerciseMaps:
    """What progress needs to know of the exercises: their skills, steps and roles, by exercise id."""

    skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Skill ids each exercise practises."""
    steps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Step ids of each exercise, all of which must be correct for it to be done."""
    roles: Mapping[str, str] = field(default_factory=dict)
    """The role each exercise belongs to."""

    @classmethod
    def from_specs(cls, specs: Sequence[Any]) -> "ExerciseMaps":
        """Build from exercise metadata objects with ``id``, ``role``, ``skills`` and ``steps`` (each with an ``id``)."""
        return cls(
            skills={s.id: tuple(s.skills) for s in specs},
            steps={s.id: tuple(step.id for step in s.steps) for s in specs},
            roles={s.id: s.role for s in specs},
        )

    @classmethod
    def shipped(cls) -> "ExerciseMaps":
        """The maps of the shipped exercises (read once, on first use)."""
        return _shipped_exercise_maps()



@lru_cache(maxsize=1)
def _shipped_exercise_maps() -> ExerciseMaps:
    from ..assessment.exercises import list_exercises

    return ExerciseMaps.from_specs(list_exercises())
