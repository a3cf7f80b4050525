"""A learner's progress as an immutable snapshot: quiz answers, exercise steps, self-assessment, reviews.

Plain frozen data with no file, clock or lock: :mod:`.codec` turns it into JSON and back,
:mod:`.store` keeps it on disk, :mod:`.mastery` derives skill levels from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from ..assessment.checking import StepOutcome

SCHEMA_VERSION = 2
"""Version of the progress file format written by this rolecourse (2 added quiz answers' ``level``)."""


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    """One answer to one quiz question."""

    role: str
    """Id of the role whose quiz the question belongs to."""
    question: str
    """Id of the question."""
    skills: tuple[str, ...]
    """Ids of the skills the question tests."""
    score: float
    """Score from 0 to 1 (partial credit allowed)."""
    correct: bool
    """Whether the answer was judged correct."""
    answer: Any = None
    """The learner's answer as a JSON value (string, number, list...), or None."""
    attempt: int = 1
    """1 for the first answer to this question, 2 for the second, and so on."""
    at: str | None = None
    """When it was recorded (ISO 8601, UTC), or None if unknown."""
    level: int | None = None
    """The question's level rank (1 foundation, 2 intermediate, 3 advanced), or None if not recorded."""



@dataclass(frozen=True, slots=True)
class ExerciseResult:
    """The outcome of one check of one exercise step."""

    exercise: str
    """Id of the exercise."""
    step: str
    """Id of the step within the exercise."""
    outcome: StepOutcome
    """Not attempted, incorrect or correct."""
    message: str = ""
    """What the check said."""
    at: str | None = None
    """When it was recorded (ISO 8601, UTC), or None if unknown."""



@dataclass(frozen=True, slots=True)
class ReviewCard:
    """The spaced-repetition schedule of one question."""

    question: str
    """Id of the question to review."""
    card: Mapping[str, Any]
    """The :class:`fsrs.Card` state, as ``Card.to_dict()`` gives it."""
    due: str
    """When the question is next due (ISO 8601, UTC)."""



@dataclass(frozen=True, slots=True)
class LearnerProgress:
    """Everything recorded for one learner, as an immutable snapshot."""

    learner: str
    """The learner's display name."""
    quiz_answers: tuple[QuizAnswer, ...] = ()
    """Every quiz answer, oldest first."""
    exercises: tuple[ExerciseResult, ...] = ()
    """Every exercise check, oldest first."""
    self_assessment: Mapping[str, int] = field(default_factory=dict)
    """Self-assessed level (0-3) per skill id."""
    reviews: Mapping[str, ReviewCard] = field(default_factory=dict)
    """Review schedule per question id."""
    schema_version: int = SCHEMA_VERSION
    """Version of the format this snapshot follows."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "self_assessment", MappingProxyType(dict(sorted(self.self_assessment.items()))))
        object.__setattr__(self, "reviews", MappingProxyType(dict(sorted(self.reviews.items()))))

    @property
    def is_empty(self) -> bool:
        """True when nothing has been recorded."""
        return not (self.quiz_answers or self.exercises or self.self_assessment or self.reviews)

    def latest_answers(self) -> dict[str, QuizAnswer]:
        """The latest answer to each question, by question id."""
        return {a.question: a for a in self.quiz_answers}

    def latest_steps(self) -> dict[tuple[str, str], ExerciseResult]:
        """The latest outcome of each (exercise, step)."""
        return {(r.exercise, r.step): r for r in self.exercises}

    def completed_exercises(self, exercise_steps: Mapping[str, Sequence[str]] | None = None) -> tuple[str, ...]:
        """Exercises whose every step's latest outcome is correct (steps from ``exercise_steps`` if given)."""
        latest = self.latest_steps()
        recorded: dict[str, list[str]] = {}
        for ex, step in latest:
            recorded.setdefault(ex, []).append(step)
        done = []
        for ex in sorted(set(recorded) | set(exercise_steps or {})):
            steps = list((exercise_steps or {}).get(ex) or recorded.get(ex, []))
            if steps and all(
                (ex, s) in latest and latest[(ex, s)].outcome is StepOutcome.CORRECT for s in steps
            ):
                done.append(ex)
        return tuple(done)



def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
