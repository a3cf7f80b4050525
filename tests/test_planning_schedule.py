"""Tests for rolecourse.planning.schedule: sessions, weeks, parts of long modules, milestones, end date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import UsageError
from rolecourse.planning.paths import learning_path
from rolecourse.planning.schedule import MilestoneKind, build_schedule, lay_out

MINI = Path(__file__).parent / "fixtures" / "paths" / "mini.yaml"
MONDAY = date(2025, 3, 3)


@pytest.fixture(scope="module")
def cur():
    return load_curriculum(MINI)


def test_sessions_fall_on_study_days_with_equal_length(cur):
    """6 h a week on mon,wed,sat → 2 h sessions on those days only."""
    sched = build_schedule(learning_path(cur, "data-scientist"), cur, hours_per_week=6, start=MONDAY, study_days="mon,wed,sat")
    assert sched.session_minutes == 120
    assert {s.date.weekday() for s in sched.sessions} == {0, 2, 5}
    assert all(s.minutes == 120 for s in sched.sessions[:-1])
    assert sched.total_minutes == 38 * 60


def test_default_study_days_are_monday_to_friday(cur):
    """No study days given → Monday to Friday, 10 h a week → 2 h sessions."""
    sched = build_schedule(learning_path(cur, "data-scientist"), cur, hours_per_week=10, start=MONDAY)
    assert sched.study_days == (0, 1, 2, 3, 4)
    assert sched.session_minutes == 120
    assert all(s.date.weekday() < 5 for s in sched.sessions)


def test_long_module_spans_weeks_in_numbered_parts(cur):
    """deep-learning-advanced (12 h) at 4 h a week spans 3 weeks: part 1 of 3 … part 3 of 3."""
    path = learning_path(cur, "dl-engineer", known={"python": 3, "linear-algebra": 3, "probability": 3})
    sched = build_schedule(path, cur, hours_per_week=4, start=MONDAY, study_days="mon,thu")
    labels = [p.label for w in sched.weeks for p in w.parts if p.module.id == "deep-learning-advanced"]
    assert labels == [
        "Deep learning advanced (part 1 of 3)",
        "Deep learning advanced (part 2 of 3)",
        "Deep learning advanced (part 3 of 3)",
    ]
    assert [w.number for w in sched.weeks] == list(range(1, len(sched.weeks) + 1))
    assert sched.weeks[1].start == date(2025, 3, 10) and sched.weeks[1].end == date(2025, 3, 16)


def test_module_within_one_week_has_no_part_label(cur):
    """A module that fits in a week is shown by its title alone."""
    sched = build_schedule(learning_path(cur, "data-analyst"), cur, hours_per_week=40, start=MONDAY)
    assert [p.label for p in sched.weeks[0].parts][:2] == ["SQL foundations", "SQL intermediate"]


def test_session_can_finish_one_module_and_start_the_next(cur):
    """A 5 h session holds the 4 h python-foundations and 1 h of python-intermediate."""
    sched = build_schedule(learning_path(cur, "data-scientist"), cur, hours_per_week=5, start=MONDAY, study_days="sat")
    first = sched.sessions[0]
    assert first.date == date(2025, 3, 8)
    assert [(p.module.id, p.minutes) for p in first.parts] == [("python-foundations", 240), ("python-intermediate", 60)]


def test_end_date_is_last_session_and_weeks_count_from_start(cur):
    """38 h at 6 h a week on mon,wed,sat ends on the 19th session's day, in week 7."""
    sched = build_schedule(learning_path(cur, "data-scientist"), cur, hours_per_week=6, start=date(2025, 3, 5), study_days="mon,wed,sat")
    assert len(sched.sessions) == 19
    assert sched.end == sched.sessions[-1].date
    assert len(sched.weeks) == 7
    assert sched.weeks[0].start == date(2025, 3, 5)


def test_milestones_named_and_placed(cur):
    """Quiz after the role's last key-skill module; hands-on exercise at the end."""
    sched = build_schedule(learning_path(cur, "data-scientist"), cur, hours_per_week=6, start=MONDAY, study_days="mon,wed,sat")
    *checkpoints, quiz, exercise = sched.milestones
    assert all(c.kind is MilestoneKind.CHECKPOINT for c in checkpoints)
    assert (quiz.name, quiz.kind) == ("Quiz: Data Scientist", MilestoneKind.QUIZ)
    assert (exercise.name, exercise.kind) == ("Exercise: Data Scientist hands-on", MilestoneKind.EXERCISE)
    assert exercise.date == sched.end and exercise.week == len(sched.weeks)
    assert sched.weeks[-1].milestones[-2:] == (quiz, exercise)


def test_a_checkpoint_after_each_skill(cur):
    """One checkpoint per skill studied, on the day its last module in the path is finished, with that module's
    id (planning reads no lessons: the exports name the lesson notebook, see tests/test_export_plans.py)."""
    path = learning_path(cur, "data-scientist")
    sched = build_schedule(path, cur, hours_per_week=6, start=MONDAY, study_days="mon,wed,sat")
    checkpoints = [m for m in sched.milestones if m.kind is MilestoneKind.CHECKPOINT]
    ends = sorted({st.module.skill: i for i, st in enumerate(path.steps)}.values())
    assert [c.module for c in checkpoints] == [path.steps[i].module.id for i in ends]
    assert [c.name for c in checkpoints] == [f"Checkpoint: {path.steps[i].skill.name}" for i in ends]
    assert all(c.role == "" for c in checkpoints)
    for c in checkpoints:  # on the day the module's last minute is studied, in the week it falls
        days = [(s.date, s.week) for s in sched.sessions if any(p.module.id == c.module for p in s.parts)]
        assert (c.date, c.week) == days[-1]
    assert [m.date for m in sched.milestones] == sorted(m.date for m in sched.milestones)
    memo: dict = {}
    assert build_schedule(path, cur, hours_per_week=6, start=MONDAY, study_days="mon,wed,sat", layouts=memo).milestones == sched.milestones


def test_quiz_of_first_role_comes_before_end_with_two_targets(cur):
    """With two targets, the first role's quiz falls when its own skills are done."""
    path = learning_path(cur, ["data-analyst", "dl-engineer"])
    sched = build_schedule(path, cur, hours_per_week=10, start=MONDAY)
    quiz = next(m for m in sched.milestones if m.name == "Quiz: Data Analyst")
    assert quiz.date < sched.end
    assert [m.name for m in sched.milestones][-1].startswith("Exercise:")


def test_nothing_to_study_gives_an_empty_schedule(cur):
    """Everything known: no weeks, end = start, milestones on the start date."""
    known = {s: 3 for s in cur.role("data-analyst").skill_ids}
    sched = build_schedule(learning_path(cur, "data-analyst", known=known), cur, hours_per_week=10, start=MONDAY)
    assert sched.weeks == () and sched.end == MONDAY
    assert all(m.date == MONDAY for m in sched.milestones)


def test_schedule_is_pure_and_repeatable(cur):
    """The same inputs give an equal schedule."""
    path = learning_path(cur, "deep-learning-engineer")
    a = build_schedule(path, cur, hours_per_week=7, start=MONDAY, study_days="tue,sun")
    b = build_schedule(path, cur, hours_per_week=7, start=MONDAY, study_days=["sun", "tue"])
    assert a == b


@pytest.mark.parametrize("hours", [0, -5, 81, float("nan"), "10", True])
def test_bad_hours_per_week(cur, hours):
    """Hours per week must be a number in (0, 80]."""
    with pytest.raises(UsageError, match="hours per week"):
        build_schedule(learning_path(cur, "data-analyst"), cur, hours_per_week=hours, start=MONDAY)


@pytest.mark.parametrize(("hours", "shown"), [(0.0, "0"), (1e9, "1e+09"), (-2.5, "-2.5")])
def test_hours_out_of_range_are_shown_as_given(cur, hours, shown):
    """The message shows the hours as a reader writes them (0, not 0.0)."""
    with pytest.raises(UsageError) as info:
        build_schedule(learning_path(cur, "data-analyst"), cur, hours_per_week=hours, start=MONDAY)
    assert str(info.value) == f"hours per week must be more than 0 and at most 80, found {shown}"


def test_plan_past_the_last_date_is_a_usage_error(cur):
    """A start so late that the plan would run past 9999-12-31 is a UsageError, not an OverflowError."""
    path = learning_path(cur, "data-analyst")
    with pytest.raises(UsageError) as info:
        build_schedule(path, cur, hours_per_week=10, start=date(9999, 12, 28))
    weeks = len(build_schedule(path, cur, hours_per_week=10, start=MONDAY).weeks)
    assert str(info.value) == f"expected a plan that ends by 9999-12-31, found {weeks} weeks from 9999-12-28; start earlier or study more hours a week"


def test_lay_out_pours_modules_into_weeks_by_running_totals(cur):
    """Modules of 4 h, 4 h and 3 h in 5 h weeks: parts split at week ends, finish points recorded."""
    mods = [cur.modules[m] for m in ("python-foundations", "linear-algebra-foundations", "probability-foundations")]
    layout = lay_out(mods, 300)
    got = [[(p.module.id, p.minutes, p.part, p.parts) for p in parts] for parts in layout.parts]
    assert got == [
        [("python-foundations", 240, 1, 1), ("linear-algebra-foundations", 60, 1, 2)],
        [("linear-algebra-foundations", 180, 2, 2), ("probability-foundations", 120, 1, 2)],
        [("probability-foundations", 60, 2, 2)],
    ]
    assert layout.minutes == (300, 300, 60)
    assert layout.finished == ((1, 240), (2, 180), (3, 60))


def test_lay_out_rejects_an_empty_week(cur):
    """A week must hold at least one minute."""
    with pytest.raises(UsageError, match="at least one minute"):
        lay_out(learning_path(cur, "data-analyst").modules, 0)


def test_shared_layouts_give_the_same_schedule_for_any_start(cur):
    """With a layouts memo, one layout serves every start date and the schedules equal fresh ones."""
    path = learning_path(cur, "deep-learning-engineer")
    memo: dict = {}
    starts = [MONDAY, date(2025, 3, 6), date(2025, 12, 28)]
    shared = [build_schedule(path, cur, hours_per_week=7, start=s, study_days="tue,sun", layouts=memo) for s in starts]
    fresh = [build_schedule(path, cur, hours_per_week=7, start=s, study_days="tue,sun") for s in starts]
    assert shared == fresh
    layouts = [k for k in memo if len(k) == 2 and k[1] != "facts"]  # (steps, week minutes): one layout for every start
    facts = [k for k in memo if k[-1] == "facts"]  # what the path's milestones are, at any pace: once
    milestones = [k for k in memo if k[-1] == "milestones"]  # milestones per layout and week-day offsets (three weekdays here)
    assert len(layouts) == 1 and len(facts) == 1 and len(milestones) == 3 and len(memo) == 5
    assert all(s.layout is shared[0].layout for s in shared)
    assert [w.start for w in shared[2].weeks][:2] == [date(2025, 12, 28), date(2026, 1, 4)]
    assert shared[0].weeks == fresh[0].weeks and shared[0].week_count == len(fresh[0].weeks)


def test_a_timeline_is_shared_by_starts_on_the_same_weekday_and_dated_from_each(cur):
    """Learners who start on the same weekday share one timeline (milestones counted in days); each schedule's
    milestones are that timeline dated from its own start, equal to a fresh schedule's."""
    from datetime import timedelta

    path = learning_path(cur, "data-analyst")
    memo: dict = {}
    mondays = [MONDAY + timedelta(days=7 * n) for n in (0, 1, 9)]
    shared = [build_schedule(path, cur, hours_per_week=5, start=s, layouts=memo) for s in mondays]
    assert shared[1].timeline is shared[0].timeline is shared[2].timeline and shared[0].timeline
    tuesday = build_schedule(path, cur, hours_per_week=5, start=MONDAY + timedelta(days=1), layouts=memo)
    assert tuesday.timeline is not shared[0].timeline  # the same layout, its study days at other offsets from the start
    for s in [*shared, tuesday]:
        fresh = build_schedule(path, cur, hours_per_week=5, start=s.start)
        assert s.milestones == fresh.milestones and s == fresh
        assert [(m.date - s.start).days for m in s.milestones] == [entry[0] for entry in s.timeline]
        assert [(m.name, m.kind, m.role, m.week, m.module) for m in s.milestones] == [entry[1:] for entry in s.timeline]
        assert s.milestones is s.milestones  # dated once, then kept


def test_layouts_memo_is_keyed_by_path_identity(cur):
    """A memo entry is reused only for the very same path object, never for another path."""
    memo: dict = {}
    a = learning_path(cur, "data-analyst")
    b = learning_path(cur, "deep-learning-engineer")
    sa = build_schedule(a, cur, hours_per_week=5, start=MONDAY, layouts=memo)
    sb = build_schedule(b, cur, hours_per_week=5, start=MONDAY, layouts=memo)
    assert sa.layout is not sb.layout and len([k for k in memo if len(k) == 2 and k[1] != "facts"]) == 2  # and each its facts and milestones
    assert sa.milestones != sb.milestones and len(memo) == 6
    assert sb == build_schedule(b, cur, hours_per_week=5, start=MONDAY)
