"""The mastery rules: graded answers and completed exercises into a skill level 0-3.

Pure functions over plain values, used both by a quiz in a notebook
(:func:`mastery_from_results`) and by stored progress (:mod:`rolecourse.progress.mastery`).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from ..content.model import SkillLevel
from ..errors import UsageError
from .grading import AnswerStatus, Feedback


def exercise_level(quiz_level: int) -> int:
    """The level a completed exercise gives a skill it practises, from the skill's quiz level.

    This is the one exercise rule: finishing an exercise (every step correct) shows at least
    intermediate mastery (2) and adds one level to what the quizzes show, up to 3.
    """
    return max(2, min(3, quiz_level + 1))


PASS_MARK = 0.7
"""Mean score at a level from which that level of a skill counts as mastered."""



MasteryEntry = tuple[Sequence[str], int, float, str]
"""One graded answer as mastery needs it: ``(skill ids, level rank 1..3, score 0..1, question id)``."""



def mastery_from_scores(entries: Iterable[MasteryEntry]) -> dict[str, int]:
    """Per-skill mastery level 0..3 from graded answers: THE mastery rule of rolecourse.

    Each entry is ``(skills, level_rank, score, question_id)``; a question answered more
    than once counts with its last entry. For each skill, the answers are grouped by
    question level rank (1 foundation, 2 intermediate, 3 advanced). The mastery is the
    highest rank whose mean score reaches :data:`PASS_MARK` while every lower rank that
    was tried reaches it too; 0 if none does. Skills never tried are absent; keys are
    sorted. :func:`mastery_from_results` and :func:`rolecourse.progress.mastery.mastery_levels`
    both use this function, so a quiz in a notebook and a learner's stored progress give
    the same levels. Raises :class:`~rolecourse.errors.UsageError` for a rank outside
    1..3 or a score outside 0..1.
    """
    last: dict[str, tuple[Sequence[str], int, float]] = {}
    for skills, rank, score, question_id in entries:
        if not SkillLevel.accepts(rank, lowest=1):
            raise UsageError(f"question {question_id!r}: expected a level rank from 1 to 3, found {rank!r}")
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            raise UsageError(f"question {question_id!r}: expected a score from 0 to 1, found {score!r}")
        last.pop(question_id, None)
        last[question_id] = (tuple(skills), rank, float(score))
    scores: dict[str, dict[int, list[float]]] = {}
    for skills, rank, score in last.values():
        for skill in dict.fromkeys(skills):
            scores.setdefault(skill, {}).setdefault(rank, []).append(score)
    out: dict[str, int] = {}
    for skill in sorted(scores):
        level = 0
        for rank in sorted(scores[skill]):
            got = scores[skill][rank]
            if sum(got) / len(got) >= PASS_MARK:
                level = rank
            else:
                break
        out[skill] = level
    return out



def mastery_from_results(results: Iterable[Feedback]) -> dict[str, int]:
    """Per-skill mastery level 0..3 from graded answers (:func:`mastery_from_scores`).

    NOT_ANSWERED results are ignored; a question answered more than once counts with its
    last answer. Skills tried but not passed at foundation level are 0; skills never
    tried are absent. Keys are sorted.
    """
    return mastery_from_scores(
        (fb.skills, fb.level.rank, fb.score, fb.question_id) for fb in results if fb.status is not AnswerStatus.NOT_ANSWERED
    )
