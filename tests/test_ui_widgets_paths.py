"""Tests for rolecourse.ui.widgets.path_builder and rolecourse.ui.widgets.explorer, without a browser."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from rolecourse.content.curriculum import load_curriculum  # noqa: E402
from rolecourse.planning.plans import plan  # noqa: E402
from rolecourse.ui.widgets.explorer import RoleExplorer, skill_matrix  # noqa: E402
from rolecourse.ui.widgets.path_builder import PathBuilder  # noqa: E402

MINI = Path(__file__).parent / "fixtures" / "paths" / "mini.yaml"
START = date(2025, 3, 3)


@pytest.fixture(scope="module")
def cur():
    return load_curriculum(MINI)


def test_builder_shows_what_plan_computes(cur):
    """The summary is the plan() result for the chosen role, pace and start."""
    b = PathBuilder(cur, start=START, role="data-scientist", show_chart=False)
    expected = plan("data-scientist", curriculum=cur, hours_per_week=10, start=START)
    assert b.plan == expected
    assert f"{expected.weeks} weeks" in b.summary.value and "Probability foundations" in b.summary.value


def test_sliders_skip_known_skills(cur):
    """Setting the SQL slider to 2 removes the SQL modules and lists them as skipped."""
    b = PathBuilder(cur, start=START, role="data-scientist", show_chart=False)
    assert list(b.sliders) == ["python", "sql", "visualization", "statistics"]
    b.sliders["sql"].value = 2
    assert b.known() == {"sql": 2}
    assert b.plan == plan("data-scientist", curriculum=cur, known={"sql": 2}, start=START)
    assert "Skipped:" in b.summary.value and "SQL known at level 2" in b.summary.value


def test_role_change_rebuilds_sliders_and_pace_updates(cur):
    """A new role gets its own sliders; changing hours re-plans."""
    b = PathBuilder(cur, start=START, show_chart=False)
    b.role.value = "dl-engineer"
    assert list(b.sliders) == ["python", "deep-learning", "linear-algebra", "probability", "gpus"]
    b.hours.value = 20
    assert b.plan.schedule.hours_per_week == 20 and "at 20 h a week" in b.summary.value


def test_builder_displays_a_gantt_figure(cur, capsys):
    """With the chart on, each update displays a matplotlib figure (outside a kernel: its repr)."""
    import matplotlib

    matplotlib.use("Agg")
    b = PathBuilder(cur, start=START, role="data-analyst", show_chart=True)
    b.hours.value = 5
    assert capsys.readouterr().out.count("Figure(") == 2


def test_explorer_profile_follows_dropdown(cur):
    """Choosing a role shows its responsibilities, skills with tools, modules, hours and see-also."""
    ex = RoleExplorer(cur)
    ex.role.value = "dl-engineer"
    page = ex.profile.value
    assert "<h3>DL Engineer</h3>" in page
    assert "Deep learning (tools: PyTorch)" in page
    assert "Deep learning advanced (advanced, 12 h)" in page
    assert "Deep Learning Engineer" in page and "Same work under another name." in page


def test_skill_matrix_marks_role_skills(cur):
    """The matrix has a row per skill and a mark where a role names it."""
    m = skill_matrix(cur, ["dl-engineer", "deep-learning-engineer"])
    row = next(r for r in m.value.split("<tr>") if r.startswith("<td>Statistics"))
    assert row.count("●") == 1


def test_path_builder_starts_today_unless_given_a_date(cur):
    """Without start= the builder plans from today (the learner-facing default); a given date is kept."""
    before = date.today()
    b = PathBuilder(cur, show_chart=False)
    assert b.start.value in {before, date.today()} and b.plan.schedule.start == b.start.value
    assert PathBuilder(cur, start=START, show_chart=False).plan.schedule.start == START


def test_role_change_keeps_the_ratings_of_shared_skills(cur):
    """A skill rated for one role keeps its rating in the next role that needs it, even after a role without it."""
    b = PathBuilder(cur, start=START, role="data-scientist", show_chart=False)
    b.sliders["python"].value = 3
    b.sliders["sql"].value = 2
    b.role.value = "dl-engineer"
    assert b.sliders["python"].value == 3 and "sql" not in b.sliders
    assert b.known() == {"python": 3}
    assert b.plan == plan("dl-engineer", curriculum=cur, known={"python": 3}, start=START)
    b.role.value = "data-scientist"
    assert b.known() == {"python": 3, "sql": 2}


def test_summary_links_each_module_with_a_lesson():
    """A module of the path that has a lesson gets an "open lesson" link to its notebook, relative to notebooks/."""
    from rolecourse.content.curriculum import load_curriculum
    from rolecourse.assessment.lessons import lesson_links
    from rolecourse.ui.widgets.path_builder import summary_html

    shipped = load_curriculum()
    study = plan("data-analyst", curriculum=shipped, start=date(2025, 1, 6))
    page = summary_html(study)
    links = lesson_links()
    with_lesson = [st.module.id for st in study.path.steps if st.module.id in links]
    assert with_lesson, "the Data Analyst path has at least one lesson"
    for mid in with_lesson:
        assert f'<a href="../{links[mid]}" target="_blank">open lesson</a>' in page
    assert page.count("open lesson") == len(with_lesson)
