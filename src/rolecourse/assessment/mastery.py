"""The mastery rules: graded answers and completed exercises into a skill level 0-3.

Pure functions over plain values, used both by a quiz in a notebook
(:func:`mastery_from_results`) and by stored progress (:mod:`rolecourse.progress.mastery`).
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from ..content.model import SkillLevel
from ..errors import UsageError
from .grading import AnswerStatus, Feedback


EXERCISE_LEVEL = 2
"""The level of the checked practice a completed exercise gives each skill it practises (exercises are intermediate work)."""


PASS_MARK = 0.7
"""Mean score at a level from which that level of a skill counts as mastered."""



MasteryEntry = tuple[Sequence[str], int, float, str]
"""One graded answer as mastery needs it: ``(skill ids, level rank 1..3, score 0..1, question id)``."""



MIN_QUESTIONS = 3
"""Distinct questions on a skill, at a level or above, whose latest answers must pass together for quiz evidence at that level."""


def mastery_from_evidence(
    entries: Iterable[MasteryEntry],
    practice: Mapping[str, int] | None = None,
    lessons: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """Per-skill mastery level 0..3 from evidence: THE mastery rule of rolecourse.

    * ``entries``: graded answers ``(skills, level_rank, score, question_id)``; a question
      answered more than once counts with its last entry. Recall-only questions must be left
      out by the caller: they never lift mastery.
    * ``practice``: per skill, the highest level of checked practice completed (every step of
      an exercise or of a lesson's practice correct).
    * ``lessons``: per skill, the highest level of a lesson done (practice all correct and its
      quiz passed): a lesson is questions and practice at its module's level in one.

    A skill reaches level L when a lesson of level L or above is done, or when at least
    :data:`MIN_QUESTIONS` distinct questions on it at level L or above were answered with a
    mean score of at least :data:`PASS_MARK` and, from intermediate (2) up, checked practice
    of level L or above backs them. One answer, however hard, lifts nothing; an exercise
    alone lifts nothing; an exercise lifts only the skills it practises. Skills with no
    evidence at all are absent; a skill tried without reaching a level is 0. Keys are sorted.
    Raises :class:`~rolecourse.errors.UsageError` for a rank outside 1..3 or a score outside 0..1.
    """
    last: dict[str, tuple[Sequence[str], int, float]] = {}
    for skills, rank, score, question_id in entries:
        if not SkillLevel.accepts(rank, lowest=1):
            raise UsageError(f"question {question_id!r}: expected a level rank from 1 to 3, found {rank!r}")
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            raise UsageError(f"question {question_id!r}: expected a score from 0 to 1, found {score!r}")
        last.pop(question_id, None)
        last[question_id] = (tuple(skills), rank, float(score))
    scores: dict[str, list[tuple[int, float]]] = {}
    for skills, rank, score in last.values():
        for skill in dict.fromkeys(skills):
            scores.setdefault(skill, []).append((rank, score))
    practice = practice or {}
    lessons = lessons or {}
    out: dict[str, int] = {}
    for skill in sorted(set(scores) | set(practice) | set(lessons)):
        level = 0
        for rank in (1, 2, 3):
            got = [score for r, score in scores.get(skill, ()) if r >= rank]
            quizzes = len(got) >= MIN_QUESTIONS and sum(got) / len(got) >= PASS_MARK
            backed = rank == 1 or practice.get(skill, 0) >= rank
            if lessons.get(skill, 0) >= rank or (quizzes and backed):
                level = rank
        out[skill] = level
    return out


def mastery_from_scores(entries: Iterable[MasteryEntry]) -> dict[str, int]:
    """Per-skill mastery from graded answers alone (:func:`mastery_from_evidence` with no practice): at most foundation."""
    return mastery_from_evidence(entries)


def mastery_from_results(results: Iterable[Feedback]) -> dict[str, int]:
    """Per-skill mastery level 0..3 from graded answers (:func:`mastery_from_scores`).

    NOT_ANSWERED results are ignored; a question answered more than once counts with its
    last answer. Skills tried but not passed at foundation level are 0; skills never
    tried are absent. Keys are sorted.
    """
    return mastery_from_scores(
        (fb.skills, fb.level.rank, fb.score, fb.question_id) for fb in results if fb.status is not AnswerStatus.NOT_ANSWERED
    )
