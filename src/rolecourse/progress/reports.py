"""Reports as data: a learner's progress per role, and what a learner knows for planning.

Text for a terminal is :func:`rolecourse.export.text.render_report`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Mapping

from .mastery import ExerciseMaps, RoleProgress, mastery_levels, summarize
from .store import ProgressStore, open_progress


@dataclass(frozen=True, slots=True)
class LearnerReport:
    """A learner's progress summed up: per role, per skill and reviews due."""

    learner: str
    """The learner's display name."""
    roles: tuple[RoleProgress, ...]
    """Progress per role, in the curriculum's order."""
    mastery: Mapping[str, int]
    """Level 1-3 per skill (see :func:`mastery_levels`)."""
    answered: int
    """Distinct questions answered."""
    correct: int
    """Of those, answered right the last time."""
    due: tuple[str, ...]
    """Questions due for review now."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (sorted, no timestamps)."""
        return {
            "learner": self.learner,
            "answered": self.answered,
            "correct": self.correct,
            "due_reviews": list(self.due),
            "mastery": dict(self.mastery),
            "roles": [
                {
                    "role": r.role,
                    "name": r.name,
                    "skills_mastered": r.skills_mastered,
                    "skills_total": r.skills_total,
                    "quizzes_answered": r.quizzes_answered,
                    "quizzes_correct": r.quizzes_correct,
                    "exercises_started": r.exercises_started,
                    "exercises_done": r.exercises_done,
                    "next_skills": list(r.next_skills),
                }
                for r in self.roles
            ],
        }



def learner_report(
    store: ProgressStore,
    learner: str,
    curriculum: Any,
    exercises: ExerciseMaps | None = None,
    now: datetime | None = None,
) -> LearnerReport:
    """Sum up an existing learner's progress against ``curriculum`` (UnknownNameError if no such learner).

    ``exercises`` defaults to the shipped exercises (:meth:`ExerciseMaps.shipped`).
    """
    store.require(learner)
    progress = store.load(learner)
    maps = exercises if exercises is not None else ExerciseMaps.shipped()
    latest = progress.latest_answers()
    return LearnerReport(
        learner=progress.learner,
        roles=summarize(progress, curriculum, exercise_skills=maps.skills, exercise_steps=maps.steps, exercise_roles=maps.roles),
        mastery=MappingProxyType(mastery_levels(progress, maps.skills, maps.steps)),
        answered=len(latest),
        correct=sum(1 for a in latest.values() if a.correct),
        due=tuple(store.due_reviews(learner, now)),
    )



def learner_known(
    learner: str,
    curriculum: Any,
    know: Mapping[str, int] | str | None = None,
    *,
    store: ProgressStore | None = None,
    exercises: ExerciseMaps | None = None,
) -> dict[str, int]:
    """What an existing learner knows, as ``known`` for :func:`rolecourse.planning.plans.plan`.

    The learner's :meth:`ProgressStore.mastery` (``store`` defaults to :func:`open_progress`,
    which honours ``$ROLECOURSE_HOME``), limited to the skills of ``curriculum`` (a
    :class:`~rolecourse.content.model.Curriculum`), then overridden skill by skill by ``know``
    (a mapping, or text such as ``"sql:2,python"``; ``"sql:0"`` studies SQL from scratch).
    Raises :class:`UnknownNameError` for an unknown learner or skill.
    """
    from ..planning.paths import normalize_known, parse_known

    store = store if store is not None else open_progress()
    store.require(learner)
    mastery = store.mastery(learner, exercises=exercises)
    levels = {skill: level for skill, level in mastery.items() if skill in curriculum.skills}
    if isinstance(know, str):
        levels.update(parse_known(know, curriculum))
    elif know is not None:
        levels.update(normalize_known(curriculum, know))
    return dict(sorted(levels.items()))
