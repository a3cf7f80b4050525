"""Tests of rolecourse.progress: mastery levels and per-role progress from a learner's records."""

from __future__ import annotations



from rolecourse.assessment.checking import StepOutcome
from rolecourse.assessment.mastery import exercise_level
from rolecourse.progress.mastery import ExerciseMaps, mastery_levels, shipped_question_levels, summarize
from rolecourse.progress.model import ExerciseResult, LearnerProgress, QuizAnswer
from rolecourse.progress.store import ProgressStore
from progress_support import answer, clock, fixture_curriculum, store  # noqa: F401 (clock and store are fixtures)


class TestMastery:
    def test_exercise_level_rule(self):
        """A completed exercise gives max(2, min(3, quiz level + 1))."""
        assert [exercise_level(q) for q in range(4)] == [2, 2, 3, 3]

    def test_mastery_from_quizzes_uses_latest_answer_per_level(self, store: ProgressStore):
        """Per skill and level, the latest scores are averaged; the highest level passed (>= 0.7) with all lower tried levels counts."""
        for q in ("q1", "q2", "q3"):
            answer(store, q, True, level=1)
        answer(store, "q4", False, level=1)
        assert store.mastery("Ada") == {"sql": 1}  # foundation 3 of 4 = 0.75
        answer(store, "q5", True, level=2)
        answer(store, "q6", False, level=2)
        assert store.mastery("Ada") == {"sql": 1}  # intermediate 1 of 2 = 0.5: not passed
        answer(store, "q6", True, level=2)
        assert store.mastery("Ada") == {"sql": 2}  # the corrected answer counts
        answer(store, "q7", True, level=3)
        assert store.mastery("Ada") == {"sql": 3}

    def test_a_failed_lower_level_caps_mastery(self, store: ProgressStore):
        """Passing advanced questions does not count while the foundation questions tried are failed."""
        answer(store, "q1", False, level=1)
        answer(store, "q2", True, level=3)
        assert store.mastery("Ada") == {}  # level 0 is left out
        answer(store, "q1", True, level=1)
        assert store.mastery("Ada") == {"sql": 3}

    def test_accuracy_alone_no_longer_gives_high_levels(self, store: ProgressStore):
        """Many right foundation answers give level 1 only: the level of the questions matters, not the count."""
        for i in range(10):
            answer(store, f"q{i}", True, level="foundation")
        assert store.mastery("Ada") == {"sql": 1}

    def test_answers_without_level_use_the_shipped_bank(self, store: ProgressStore):
        """An answer recorded without a level takes its shipped question's level, else foundation."""
        shipped = dict(shipped_question_levels())
        intermediate = sorted(q for q, rank in shipped.items() if rank == 2)[0]
        assert "q-not-shipped" not in shipped
        answer(store, intermediate, True, skills=["sql"])
        answer(store, "q-not-shipped", True, skills=["python"])
        assert store.mastery("Ada") == {"python": 1, "sql": 2}

    def test_question_levels_can_be_given(self):
        """mastery_levels takes question_levels for answers without a level (no shipped bank read)."""
        p = LearnerProgress("Ada", quiz_answers=(QuizAnswer("r", "q", ("sql",), 1.0, True),))
        assert mastery_levels(p, question_levels={"q": 3}) == {"sql": 3}
        assert mastery_levels(p, question_levels={}) == {"sql": 1}

    def test_store_mastery_matches_grading_rule(self, store: ProgressStore):
        """The store's quiz evidence equals grading.mastery_from_scores on the same answers."""
        from rolecourse.assessment.mastery import mastery_from_scores

        rows = [("q1", ("sql",), 1, 1.0), ("q2", ("sql", "python"), 2, 0.5), ("q3", ("python",), 1, 0.75), ("q4", ("etl",), 3, 1.0)]
        for q, skills, level, score in rows:
            answer(store, q, score == 1.0, skills=skills, score=score, level=level)
        expected = {k: v for k, v in mastery_from_scores((sk, lv, sc, q) for q, sk, lv, sc in rows).items() if v > 0}
        assert store.mastery("Ada") == expected == {"etl": 3, "python": 1, "sql": 1}

    def test_mastery_takes_max_of_self_assessment_and_evidence(self, store: ProgressStore):
        """Self-assessment is never lowered by evidence, and evidence lifts a low self-assessment."""
        store.set_self_assessment("Ada", {"sql": 0, "python": 3})
        answer(store, "q1", False, skills=["python"], level=1)
        answer(store, "q2", True, skills=["sql"], level=2)
        assert store.mastery("Ada") == {"python": 3, "sql": 2}

    def test_completed_exercise_lifts_its_skills(self, store: ProgressStore):
        """An exercise with every step correct lifts its skills to max(2, quiz level + 1)."""
        store.record_exercise("Ada", exercise="ex", step="s1", outcome="correct")
        store.record_exercise("Ada", exercise="ex", step="s2", outcome="correct")
        answer(store, "q1", True, skills=["sql"], level=1)
        assert store.mastery("Ada", exercise_skills={"ex": ["sql", "etl"]}) == {"etl": 2, "sql": 2}
        answer(store, "q2", True, skills=["sql"], level=2)
        assert store.mastery("Ada", exercise_skills={"ex": ["sql", "etl"]}) == {"etl": 2, "sql": 3}

    def test_two_exercises_do_not_stack(self, store: ProgressStore):
        """Two completed exercises on one skill give the exercise level once, not one level each."""
        for ex in ("ex1", "ex2"):
            store.record_exercise("Ada", exercise=ex, step="s1", outcome="correct")
        assert store.mastery("Ada", exercise_skills={"ex1": ["etl"], "ex2": ["etl"]}) == {"etl": 2}

    def test_store_mastery_defaults_to_shipped_exercises(self, store: ProgressStore):
        """Without exercise maps, the store uses the shipped exercises' skills and steps."""
        maps = ExerciseMaps.shipped()
        ex = sorted(maps.steps)[0]
        for step in maps.steps[ex][:-1]:
            store.record_exercise("Ada", exercise=ex, step=step, outcome="correct")
        assert store.mastery("Ada") == {}  # one step still unchecked
        store.record_exercise("Ada", exercise=ex, step=maps.steps[ex][-1], outcome="correct")
        assert store.mastery("Ada") == {s: 2 for s in sorted(maps.skills[ex])}
        assert store.mastery("Ada", exercises=ExerciseMaps()) == {}

    def test_exercise_with_a_wrong_step_gives_nothing(self, store: ProgressStore):
        """A step whose latest outcome is incorrect leaves the exercise incomplete."""
        store.record_exercise("Ada", exercise="ex", step="s1", outcome="correct")
        store.record_exercise("Ada", exercise="ex", step="s2", outcome="incorrect")
        assert store.mastery("Ada", exercise_skills={"ex": ["etl"]}) == {}

    def test_declared_steps_must_all_be_correct(self, store: ProgressStore):
        """With exercise_steps, steps never checked keep the exercise incomplete."""
        store.record_exercise("Ada", exercise="ex", step="s1", outcome="correct")
        assert store.mastery("Ada", exercise_skills={"ex": ["etl"]}) == {"etl": 2}
        assert store.mastery("Ada", exercise_skills={"ex": ["etl"]}, exercise_steps={"ex": ["s1", "s2"]}) == {}

    def test_mastery_is_pure_on_snapshots(self):
        """mastery_levels works on a snapshot with no store."""
        p = LearnerProgress("Ada", self_assessment={"sql": 1, "r": 0})
        assert mastery_levels(p) == {"sql": 1}



class TestSummarize:
    def test_summary_per_role(self, store: ProgressStore):
        """Each role reports skills mastered of total, quizzes, exercises and what's next in role order."""
        curriculum = fixture_curriculum()
        store.set_self_assessment("Ada", {"python": 2, "etl": 3})
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
