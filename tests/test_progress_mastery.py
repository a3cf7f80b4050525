"""Tests of rolecourse.progress: mastery levels and per-role progress from a learner's records."""

from __future__ import annotations



from rolecourse.assessment.checking import StepOutcome
from rolecourse.progress.mastery import ExerciseMaps, LessonEvidence, mastery_levels, shipped_question_levels, summarize
from rolecourse.progress.model import ExerciseResult, LearnerProgress, QuizAnswer
from rolecourse.progress.store import ProgressStore
from progress_support import answer, clock, fixture_curriculum, store  # noqa: F401 (clock and store are fixtures)


NO_LESSONS: dict = {}
"""Mastery without the shipped lessons (tests that are about questions and exercises)."""


def levels(store: ProgressStore, **kwargs) -> dict[str, int]:
    return mastery_levels(store.load("Ada"), kwargs.pop("exercise_skills", None), kwargs.pop("exercise_steps", None), lessons=kwargs.pop("lessons", NO_LESSONS), **kwargs)


class TestMastery:
    def test_one_right_answer_lifts_nothing(self, store: ProgressStore):
        """A single correct answer, even an advanced one, gives no level: several distinct questions must pass."""
        answer(store, "q1", True, level=3)
        assert levels(store) == {}
        answer(store, "q2", True, level=1)
        assert levels(store) == {}

    def test_three_foundation_questions_give_foundation(self, store: ProgressStore):
        """Three distinct questions at a level, latest answers averaging >= 0.7, give that level (1 without practice)."""
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, level=1)
        assert levels(store) == {"sql": 1}
        answer(store, "q4", False, level=1)
        assert levels(store) == {"sql": 1}  # 3 of 4 = 0.75
        answer(store, "q5", False, level=1)
        assert levels(store) == {}  # 3 of 5 = 0.6: not passed
        answer(store, "q5", True, level=1)
        assert levels(store) == {"sql": 1}  # the corrected answer counts

    def test_answering_one_question_many_times_is_one_question(self, store: ProgressStore):
        """The same question answered again counts once (its latest answer): it cannot be farmed."""
        for _ in range(5):
            answer(store, "q1", True, level=2)
        assert levels(store) == {}

    def test_intermediate_needs_practice_behind_the_questions(self, store: ProgressStore):
        """Three intermediate questions passed give only foundation until checked practice of that level backs them."""
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, level=2)
        assert levels(store) == {"sql": 1}
        store.record_exercise("Ada", exercise="ex", step="s1", outcome="correct")
        assert levels(store, exercise_skills={"ex": ["sql"]}) == {"sql": 2}

    def test_an_exercise_alone_lifts_nothing_and_only_its_skills(self, store: ProgressStore):
        """A completed exercise is practice, not mastery: without questions it lifts nothing, and never a skill it does not practise."""
        store.record_exercise("Ada", exercise="ex", step="s1", outcome="correct")
        assert levels(store, exercise_skills={"ex": ["sql", "etl"]}) == {}
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, skills=["python"], level=2)
        assert levels(store, exercise_skills={"ex": ["sql", "etl"]}) == {"python": 1}

    def test_advanced_needs_advanced_practice(self, store: ProgressStore):
        """Exercises are intermediate practice: advanced questions with an exercise give intermediate, not advanced."""
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, level=3)
        store.record_exercise("Ada", exercise="ex", step="s1", outcome="correct")
        assert levels(store, exercise_skills={"ex": ["sql"]}) == {"sql": 2}

    def test_a_lesson_done_is_evidence_at_its_level(self, store: ProgressStore):
        """Every practice step correct and the quiz passed: the lesson's skill reaches its module's level."""
        lessons = {"sql-analytics": LessonEvidence("sql", 2, ("a", "b", "c"), ("l1", "l2", "l3"))}
        for step in ("a", "b", "c"):
            store.record_exercise("Ada", exercise="sql-analytics", step=step, outcome="correct")
        assert levels(store, lessons=lessons) == {}  # practice alone
        answer(store, "l1", True, level=2)
        answer(store, "l2", True, level=2)
        assert levels(store, lessons=lessons) == {}  # 2 of 3 quiz questions: below the pass mark
        answer(store, "l3", True, level=2)
        assert levels(store, lessons=lessons) == {"sql": 2}

    def test_recall_questions_never_count(self, store: ProgressStore, monkeypatch):
        """Questions marked recall in their bank are left out of the evidence."""
        import rolecourse.progress.mastery as mastery

        monkeypatch.setattr(mastery, "shipped_recall_questions", lambda: frozenset({"q1", "q2", "q3"}))
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, level=1)
        assert levels(store) == {}

    def test_answers_without_level_use_the_shipped_bank(self, store: ProgressStore):
        """An answer recorded without a level takes its shipped question's level, else foundation."""
        shipped = dict(shipped_question_levels())
        intermediate = sorted(q for q, rank in shipped.items() if rank == 2)[:3]
        for q in intermediate:
            answer(store, q, True, skills=["sql"])
        store.record_exercise("Ada", exercise="ex", step="s1", outcome="correct")
        assert levels(store, exercise_skills={"ex": ["sql"]}) == {"sql": 2}

    def test_question_levels_can_be_given(self):
        """mastery_levels takes question_levels for answers without a level (no shipped bank read)."""
        answers = tuple(QuizAnswer("r", q, ("sql",), 1.0, True) for q in ("q1", "q2", "q3"))
        p = LearnerProgress("Ada", quiz_answers=answers, exercises=(ExerciseResult("ex", "s", StepOutcome.CORRECT),))
        assert mastery_levels(p, {"ex": ["sql"]}, question_levels={"q1": 2, "q2": 2, "q3": 2}, lessons={}) == {"sql": 2}
        assert mastery_levels(p, {"ex": ["sql"]}, question_levels={}, lessons={}) == {"sql": 1}

    def test_store_mastery_matches_the_rule(self, store: ProgressStore):
        """The store's levels equal assessment.mastery.mastery_from_evidence on the same answers and practice."""
        from rolecourse.assessment.mastery import mastery_from_evidence

        rows = [("q1", ("sql",), 1, 1.0), ("q2", ("sql", "python"), 1, 0.5), ("q3", ("sql",), 1, 1.0), ("q4", ("sql",), 1, 1.0), ("q5", ("python",), 1, 1.0)]
        for q, skills, level, score in rows:
            answer(store, q, score == 1.0, skills=skills, score=score, level=level)
        expected = {k: v for k, v in mastery_from_evidence((sk, lv, sc, q) for q, sk, lv, sc in rows).items() if v > 0}
        assert levels(store) == expected == {"sql": 1}

    def test_mastery_takes_max_of_self_assessment_and_evidence(self, store: ProgressStore):
        """Self-assessment is never lowered by evidence, and evidence lifts a low self-assessment."""
        store.set_self_assessment("Ada", {"sql": 0, "python": 3})
        answer(store, "p1", False, skills=["python"], level=1)
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, skills=["sql"], level=1)
        assert levels(store) == {"python": 3, "sql": 1}

    def test_store_mastery_defaults_to_shipped_exercises(self, store: ProgressStore):
        """Without exercise maps, the store uses the shipped exercises' skills and steps as practice."""
        maps = ExerciseMaps.shipped()
        ex = sorted(maps.steps)[0]
        skill = sorted(maps.skills[ex])[0]
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, skills=[skill], level=2)
        for step in maps.steps[ex][:-1]:
            store.record_exercise("Ada", exercise=ex, step=step, outcome="correct")
        assert store.mastery("Ada")[skill] == 1  # one step still unchecked: no practice yet
        store.record_exercise("Ada", exercise=ex, step=maps.steps[ex][-1], outcome="correct")
        assert store.mastery("Ada")[skill] == 2
        assert store.mastery("Ada", exercises=ExerciseMaps())[skill] == 1

    def test_exercise_with_a_wrong_step_is_no_practice(self, store: ProgressStore):
        """A step whose latest outcome is incorrect leaves the exercise incomplete."""
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, skills=["etl"], level=2)
        store.record_exercise("Ada", exercise="ex", step="s1", outcome="correct")
        store.record_exercise("Ada", exercise="ex", step="s2", outcome="incorrect")
        assert levels(store, exercise_skills={"ex": ["etl"]}) == {"etl": 1}

    def test_declared_steps_must_all_be_correct(self, store: ProgressStore):
        """With exercise_steps, steps never checked keep the exercise incomplete."""
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, skills=["etl"], level=2)
        store.record_exercise("Ada", exercise="ex", step="s1", outcome="correct")
        assert levels(store, exercise_skills={"ex": ["etl"]}) == {"etl": 2}
        assert levels(store, exercise_skills={"ex": ["etl"]}, exercise_steps={"ex": ["s1", "s2"]}) == {"etl": 1}

    def test_mastery_is_pure_on_snapshots(self):
        """mastery_levels works on a snapshot with no store."""
        p = LearnerProgress("Ada", self_assessment={"sql": 1, "r": 0})
        assert mastery_levels(p) == {"sql": 1}



class TestSummarize:
    def test_summary_per_role(self, store: ProgressStore):
        """Each role reports skills mastered of total, quizzes, exercises and what's next in role order."""
        curriculum = fixture_curriculum()
        store.set_self_assessment("Ada", {"python": 2, "etl": 3, "sql": 2}, curriculum=curriculum)  # one answer lifts nothing: sql is mastered by self-assessment here
        answer(store, "q1", True, skills=["sql"], level=2)
        answer(store, "q2", False, skills=["statistics"])
        answer(store, "q3", True, skills=["etl"], role="data-engineer")
        store.record_exercise("Ada", exercise="data-analyst-sql", step="s1", outcome="correct")
        store.record_exercise("Ada", exercise="data-engineer-etl", step="s1", outcome="incorrect")
        da, de = summarize(store.load("Ada"), curriculum)
        assert (da.role, da.skills_total, da.skills_mastered, da.quizzes_answered, da.quizzes_correct) == ("data-analyst", 4, 2, 2, 1)
        assert (da.exercises_started, da.exercises_done, da.next_skills) == (1, 1, ("statistics", "visualization"))
        assert (de.skills_total, de.skills_mastered, de.quizzes_answered, de.exercises_started, de.exercises_done) == (3, 3, 1, 1, 0)
        assert de.next_skills == () and de.percent_mastered == 100.0 and da.percent_mastered == 50.0

    def test_exercise_roles_mapping_overrides_prefix(self):
        """An explicit exercise_roles mapping decides which role an exercise counts for."""
        p = LearnerProgress("Ada", exercises=(ExerciseResult("pipeline", "s", StepOutcome.CORRECT),))
        da, de = summarize(p, fixture_curriculum(), exercise_roles={"pipeline": "data-engineer"})
        assert (da.exercises_done, de.exercises_done) == (0, 1)

    def test_numbered_exercise_ids_match_their_role(self):
        """A numbered exercise id (01-data-analyst-sql) counts for the role its name starts with."""
        p = LearnerProgress("Ada", exercises=(ExerciseResult("01-data-analyst-sql", "s", StepOutcome.CORRECT),))
        da, de = summarize(p, fixture_curriculum())
        assert (da.exercises_done, de.exercises_done) == (1, 0)

    def test_exercise_maps_from_metadata(self):
        """ExerciseMaps.from_specs reads id, role, skills and step ids of exercise metadata."""
        from types import SimpleNamespace as NS

        spec = NS(id="ex", role="data-engineer", skills=("etl",), steps=(NS(id="a"), NS(id="b")))
        maps = ExerciseMaps.from_specs([spec])
        assert (maps.skills, maps.steps, maps.roles) == ({"ex": ("etl",)}, {"ex": ("a", "b")}, {"ex": "data-engineer"})

    def test_empty_progress_summary(self):
        """No progress: nothing mastered, and what's next is the role's first skills."""
        da, _ = summarize(LearnerProgress("Ada"), fixture_curriculum(), next_count=2)
        assert (da.skills_mastered, da.quizzes_answered, da.next_skills) == (0, 0, ("sql", "python"))
