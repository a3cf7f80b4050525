"""Mastery from a learner's records: a level 0-3 per skill, and progress per role.

:func:`mastery_levels` turns the records into a level 0-3 per skill, the scale of
self-assessment and of the path engine (``known`` of :func:`rolecourse.planning.plans.plan`):

* **Quiz evidence** is :func:`rolecourse.assessment.mastery.mastery_from_scores`, the one rule
  shared with :func:`rolecourse.assessment.mastery.mastery_from_results`: per skill, the latest
  answer of each question is grouped by the question's level (1 foundation, 2 intermediate,
  3 advanced); the level is the highest one whose mean score reaches
  :data:`rolecourse.assessment.mastery.PASS_MARK` with every lower level tried also reaching it.
  An answer recorded without its level takes the level of the shipped question with that
  id (:func:`shipped_question_levels`), else foundation.
* **Exercise evidence** (:func:`rolecourse.assessment.mastery.exercise_level`): an exercise is
  complete when every one of its steps' latest outcome is ``correct`` (its steps are the ones
  given in ``exercise_steps``, else the ones recorded). A complete exercise lifts each of its
  skills (from ``exercise_skills``) from quiz level ``q`` to ``max(2, min(3, q + 1))``.
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
from ..assessment.mastery import exercise_level, mastery_from_scores
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



def quiz_mastery(progress: LearnerProgress, question_levels: Mapping[str, int] | None = None) -> dict[str, int]:
    """Quiz evidence per skill, 0-3, by :func:`rolecourse.assessment.mastery.mastery_from_scores` (zeros kept).

    An answer's level is the one recorded with it, else ``question_levels[question]``
    (default :func:`shipped_question_levels`, read only when needed), else foundation (1).
    """
    latest = progress.latest_answers().values()
    if question_levels is None and any(a.level is None for a in latest):
        question_levels = shipped_question_levels()
    lookup = question_levels or {}
    return mastery_from_scores(
        (a.skills, a.level if a.level is not None else lookup.get(a.question, 1), a.score, a.question) for a in latest
    )



def mastery_levels(
    progress: LearnerProgress,
    exercise_skills: Mapping[str, Sequence[str]] | None = None,
    exercise_steps: Mapping[str, Sequence[str]] | None = None,
    *,
    question_levels: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """Level 1-3 per skill: the max of self-assessment, quiz evidence and completed exercises.

    See "Mastery" in the module docstring; zeros are left out and keys are sorted.
    ``question_levels`` is passed to :func:`quiz_mastery`.
    """
    quiz = quiz_mastery(progress, question_levels)
    evidence = dict(quiz)
    for ex in progress.completed_exercises(exercise_steps):
        for skill in (exercise_skills or {}).get(ex, ()):
            evidence[skill] = max(evidence.get(skill, 0), exercise_level(quiz.get(skill, 0)))
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
