"""The mastery rule against learners who try to game it (issue: assessment you can trust).

A learner's plan shrinks by what the course believes they master; these tests check that one
answer, recall questions, repeated answers or an exercise alone cannot make it believe much.
"""

from __future__ import annotations

import pytest

import rolecourse
from rolecourse.assessment.lessons import list_lessons
from rolecourse.assessment.questions import load_all_quizzes
from rolecourse.content.curriculum import load_curriculum
from rolecourse.progress.mastery import mastery_levels
from rolecourse.progress.model import LearnerProgress, QuizAnswer

CURRICULUM = load_curriculum()
QUESTIONS = [q for bank in load_all_quizzes() for q in bank.questions] + [q for lesson in list_lessons() for q in lesson.quiz]
START = "2026-01-05"
BASE_HOURS = {r.id: rolecourse.plan(r.id, curriculum=CURRICULUM, start=START).path.total_hours for r in CURRICULUM.roles}


def right(q) -> QuizAnswer:
    return QuizAnswer(q.role or "lesson", q.id, tuple(q.skills), 1.0, True, None, 1, None, q.level.rank)


def test_no_single_right_answer_changes_any_plan():
    """For every shipped question, a learner with only that answer right has no mastery, so every role's plan keeps all its hours."""
    for q in QUESTIONS:
        assert mastery_levels(LearnerProgress("ada", quiz_answers=(right(q),))) == {}, q.id


@pytest.mark.parametrize("role", [r.id for r in CURRICULUM.roles])
def test_one_right_answer_per_question_of_a_skill_is_not_enough_for_two_levels(role):
    """Answering every question of a role's bank right (no practice, no lesson) lowers its plan by at most the foundation modules."""
    bank = next(b for b in load_all_quizzes() if b.role == role)
    known = mastery_levels(LearnerProgress("ada", quiz_answers=tuple(right(q) for q in bank.questions)), lessons={})
    assert set(known.values()) <= {1}
    after = rolecourse.plan(role, curriculum=CURRICULUM, known=known, start=START).path.total_hours
    foundation = sum(m.hours for sid in known for m in CURRICULUM.skill(sid).modules if m.level.rank == 1)
    assert BASE_HOURS[role] - after <= foundation


def test_recall_questions_right_keep_every_plan(monkeypatch):
    """A learner who answers every recall-type question right and does nothing else keeps 100% of every role's plan hours."""
    import rolecourse.progress.mastery as mastery

    monkeypatch.setattr(mastery, "shipped_recall_questions", lambda: frozenset(q.id for q in QUESTIONS))
    known = mastery_levels(LearnerProgress("ada", quiz_answers=tuple(right(q) for q in QUESTIONS)), lessons={})
    assert known == {}
    for role in CURRICULUM.roles:
        hours = rolecourse.plan(role.id, curriculum=CURRICULUM, known=known, start=START).path.total_hours
        assert hours >= 0.95 * BASE_HOURS[role.id]


def test_an_exercise_lifts_only_the_skills_it_practises():
    """Finishing exercises without passing questions lifts nothing, however many (the 552 h -> 309 h case)."""
    from rolecourse.assessment.exercises import list_exercises
    from rolecourse.progress.model import ExerciseResult
    from rolecourse.assessment.checking import StepOutcome
    from rolecourse.progress.mastery import ExerciseMaps

    specs = list_exercises()
    results = tuple(ExerciseResult(e.id, s.id, StepOutcome.CORRECT) for e in specs for s in e.steps)
    maps = ExerciseMaps.from_specs(specs)
    assert mastery_levels(LearnerProgress("ada", exercises=results), maps.skills, maps.steps, lessons={}) == {}
