"""The shipped quiz banks measured as a whole: size, coverage, and no giveaway in option lengths.

A learner (or a class, through the GIFT and QTI exports) must not pass by picking the longest
answer, and every key skill of a role must be tested by its bank.
"""

from __future__ import annotations

import pytest

from rolecourse.content.curriculum import load_curriculum
from rolecourse.assessment.lessons import list_lessons
from rolecourse.assessment.questions import QuestionType, load_all_quizzes

CURRICULUM = load_curriculum()
BANKS = load_all_quizzes()
IDS = [b.role for b in BANKS]
MIN_QUESTIONS = 15
MAX_LONGEST_SHARE = 0.35


def longest_is_key_share(questions) -> tuple[int, int]:
    """(questions whose correct option is strictly the longest, single-choice questions)."""
    singles = [q for q in questions if q.type is QuestionType.SINGLE]
    hits = 0
    for q in singles:
        key = max(len(o.text) for o in q.options if o.correct)
        others = [len(o.text) for o in q.options if not o.correct]
        hits += key > max(others)
    return hits, len(singles)


@pytest.mark.parametrize("bank", BANKS, ids=IDS)
def test_each_bank_has_enough_questions_on_every_key_skill(bank):
    """At least 15 questions, and every key skill of the role is tested by one or more of them."""
    assert len(bank.questions) >= MIN_QUESTIONS
    tested = {s for q in bank.questions for s in q.skills}
    missing = set(CURRICULUM.role(bank.role).skill_ids) - tested
    assert not missing, f"{bank.role}: no question tests {sorted(missing)}"


@pytest.mark.parametrize("bank", BANKS, ids=IDS)
def test_the_longest_option_is_rarely_the_key(bank):
    """In at most 35% of single-choice questions is the key strictly the longest option (about 1/n, never most)."""
    hits, n = longest_is_key_share(bank.questions)
    assert n and hits / n <= MAX_LONGEST_SHARE, f"{bank.role}: {hits} of {n}"


@pytest.mark.parametrize("bank", BANKS, ids=IDS)
def test_the_key_is_not_always_in_the_same_place(bank):
    """Keys of single-choice questions sit in at least three different positions in the file."""
    positions = {next(i for i, o in enumerate(q.options) if o.correct) for q in bank.questions if q.type is QuestionType.SINGLE}
    assert len(positions) >= 3


def test_lesson_quizzes_do_not_give_the_key_away_by_length():
    """Across all lesson quizzes, the key is strictly the longest option in at most 35% of single-choice questions."""
    questions = [q for lesson in list_lessons() for q in lesson.quiz]
    hits, n = longest_is_key_share(questions)
    assert n and hits / n <= MAX_LONGEST_SHARE, f"{hits} of {n}"
