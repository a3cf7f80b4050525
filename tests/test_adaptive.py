"""Adaptive learning: quiz answers and exercise checks recorded in progress feed mastery, milestones and paths.

Everything here is real: the shipped curriculum, quiz bank and exercise, the Quiz widget, the
exercise's reference solutions run through its checks, and a ProgressStore in ``tmp_path``
(``ROLECOURSE_HOME``).
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest

import rolecourse
from rolecourse.assessment.checking import StepOutcome
from rolecourse.content.curriculum import load_curriculum
from rolecourse.assessment.exercises import Exercise, load_exercise
from rolecourse.assessment.mastery import mastery_from_results
from rolecourse.progress.mastery import ExerciseMaps
from rolecourse.progress.reports import learner_report
from rolecourse.progress.store import open_progress, ProgressStore
from rolecourse.assessment.questions import load_quiz
from quiz_support import answer_right

os.environ.setdefault("MPLBACKEND", "Agg")

ROLE = "data-analyst"
EXERCISE = "01-data-analyst-sql"
START = date(2025, 3, 3)


@pytest.fixture
def store(tmp_path, monkeypatch) -> ProgressStore:
    """The default store, in a ROLECOURSE_HOME under tmp_path."""
    monkeypatch.setenv("ROLECOURSE_HOME", str(tmp_path / "home"))
    return open_progress()


@pytest.fixture(scope="module")
def curriculum():
    return load_curriculum()


def run_steps(ex: Exercise, count: int | None = None) -> list[StepOutcome]:
    """Run the setup and the first ``count`` steps' reference solutions in one namespace, checking each."""
    import matplotlib.pyplot as plt

    ns: dict[str, Any] = {"ex": ex}
    exec(compile(ex.spec.setup, f"{ex.id}:setup", "exec"), ns)
    outcomes = []
    try:
        for step in ex.steps[:count]:
            exec(compile(step.spec.solution, f"{ex.id}:{step.id}", "exec"), ns)
            outcomes.append(step.check(ns[step.spec.answer]).outcome)
    finally:
        plt.close("all")
    return outcomes


def answer_quiz_right(store: ProgressStore, learner: str):
    """Answer every question of the shipped role quiz right through the Quiz widget; return the widget."""
    from rolecourse.ui.widgets.quiz import Quiz

    w = Quiz(load_quiz(ROLE), mode="all", store=store, learner=learner)
    for view in w.views:
        answer_right(view)
        view.submit.click()
    return w


def analyst(report):
    return next(r for r in report.roles if r.role == ROLE)


def test_exercise_solutions_mark_the_role_milestone(store, curriculum):
    """Checks recorded by load_exercise(record_to=store) mark the role's exercise done once every step is correct."""
    ex = load_exercise(EXERCISE, record_to=store, learner="ada")
    assert ex.steps[0].check(...).outcome is StepOutcome.NOT_ATTEMPTED
    assert analyst(learner_report(store, "ada", curriculum)).exercises_started == 0  # not attempted is not started

    assert run_steps(ex, len(ex.steps) - 1) == [StepOutcome.CORRECT] * (len(ex.steps) - 1)
    before = analyst(learner_report(store, "ada", curriculum))
    assert (before.exercises_started, before.exercises_done) == (1, 0)
    assert store.mastery("ada") == {}

    assert run_steps(load_exercise(EXERCISE, record_to=store, learner="ada")) == [StepOutcome.CORRECT] * len(ex.steps)
    report = learner_report(store, "ada", curriculum)
    assert (analyst(report).exercises_started, analyst(report).exercises_done) == (1, 1)
    assert dict(report.mastery) == store.mastery("ada") == {}  # an exercise alone is practice, not mastery
    assert ExerciseMaps.shipped().roles[EXERCISE] == ROLE


def test_shipped_quiz_through_the_widget_gives_the_grading_levels(store):
    """Answers recorded by the Quiz widget on a shipped bank give the levels mastery_from_results gives."""
    w = answer_quiz_right(store, "ada")
    expected = {s: lvl for s, lvl in mastery_from_results(w.results).items() if lvl > 0}
    assert expected and store.mastery("ada") == expected
    assert {a.level for a in store.load("ada").quiz_answers} >= {1, 2}


def test_path_shrinks_as_the_learner_progresses(store, curriculum):
    """rolecourse.plan(known=store.mastery(learner)) loses modules and hours after quizzes, then after the exercise and a lesson."""

    def my_plan():
        return rolecourse.plan(ROLE, curriculum=curriculum, known=store.mastery("ada"), start=START, learner="ada")

    fresh = my_plan()
    assert fresh.path.skipped == ()

    answer_quiz_right(store, "ada")
    quizzed = my_plan()
    run_steps(load_exercise(EXERCISE, record_to=store, learner="ada"))
    from rolecourse.assessment.lessons import load_lesson

    lesson = load_lesson("sql-analytics").spec  # an intermediate lesson done: every step correct, the quiz passed
    for step in lesson.practice:
        store.record_exercise("ada", exercise=lesson.id, step=step.id, outcome="correct")
    for q in lesson.quiz:
        store.record_quiz_answer("ada", role=q.role, question=q.id, skills=q.skills, score=1.0, correct=True, level=q.level.rank)
    practised = my_plan()

    sizes = [(len(p.path.steps), p.path.total_hours) for p in (fresh, quizzed, practised)]
    assert sizes[0][0] > sizes[1][0] > sizes[2][0] and sizes[0][1] > sizes[1][1] > sizes[2][1], sizes
    assert 0 < quizzed.path.skipped_hours < practised.path.skipped_hours  # (known skills also pull in fewer prerequisites)
    mastery = store.mastery("ada")
    skills = {sid: s.name for sid, s in curriculum.skills.items()}
    for skipped in practised.path.skipped:
        skill = next(sid for sid, s in curriculum.skills.items() if skipped.module in s.modules)
        assert skipped.reason.startswith(f"{skills[skill]} known at level {mastery[skill]} (")
        assert skipped.module.level.rank <= mastery[skill]
    assert not {s.module.id for s in practised.path.steps} & {s.module.id for s in practised.path.skipped}
