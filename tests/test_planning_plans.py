"""Tests for rolecourse.planning.plans: the plan() API and its lazy export from the package."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import rolecourse
from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import UnknownNameError, UsageError
from rolecourse.planning.plans import StudyPlan, plan

MINI = Path(__file__).parent / "fixtures" / "paths" / "mini.yaml"


@pytest.fixture(scope="module")
def cur():
    return load_curriculum(MINI)


def test_plan_ties_path_and_schedule(cur):
    """plan() returns a StudyPlan whose schedule covers the path's hours."""
    p = plan("Data Scientist", curriculum=cur, known={"sql": 2}, hours_per_week=8, start=date(2025, 3, 3))
    assert isinstance(p, StudyPlan)
    assert [r.id for r in p.targets] == ["data-scientist"]
    assert p.schedule.total_minutes == round(p.path.total_hours * 60)
    assert p.weeks == len(p.schedule.weeks)
    assert p.title == "Study plan: Data Scientist"


def test_known_string_and_mapping_agree(cur):
    """known='sql:2;python' style strings and mappings give the same plan."""
    a = plan("data-scientist", curriculum=cur, known="sql:2,python", start="2025-03-03")
    b = plan("data-scientist", curriculum=cur, known={"sql": 2, "python": 3}, start="2025-03-03")
    assert a == b


def test_from_role_is_recorded_in_title(cur):
    """A move names both roles in the title."""
    p = plan("deep-learning-engineer", curriculum=cur, from_role="Data Scientist", start="2025-03-03", learner="Ada")
    assert p.from_role is not None and p.from_role.id == "data-scientist"
    assert p.title == "Study plan for Ada: Data Scientist → Deep Learning Engineer"


def test_curriculum_may_be_a_file_name():
    """curriculum= accepts a path to a roles file."""
    p = plan("data-analyst", curriculum=str(MINI), start="2025-03-03")
    assert p.curriculum_title == "Fixture curriculum for learning paths"


def test_shipped_curriculum_is_the_default():
    """Without curriculum=, the shipped roles.yaml is used."""
    p = plan("data-scientist", start="2025-03-03")
    assert p.path.total_hours > 0 and p.targets[0].name == "Data Scientist"


def test_package_exports_plan_and_cohort_lazily():
    """rolecourse.plan and rolecourse.cohort are the library functions."""
    from rolecourse.export.cohorts import cohort

    assert rolecourse.plan is plan
    assert rolecourse.cohort is cohort
    assert rolecourse.learning_path.__module__ == "rolecourse.planning.paths"
    assert rolecourse.compare_roles.__module__ == "rolecourse.planning.compare"


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"start": "2025-13-01"}, UsageError),
        ({"start": "2025-03-03", "hours_per_week": 0}, UsageError),
        ({"start": "2025-03-03", "known": "sql:9"}, UsageError),
        ({"start": "2025-03-03", "known": "sqll"}, UnknownNameError),
        ({"start": "2025-03-03", "from_role": "nobody"}, UnknownNameError),
        ({"start": "2025-03-03", "study_days": "someday"}, UnknownNameError),
    ],
)
def test_bad_arguments_raise_usage_errors(cur, kwargs, error):
    """Bad dates, hours, levels, skills, roles and days are usage errors."""
    with pytest.raises(error):
        plan("data-analyst", curriculum=cur, **kwargs)
