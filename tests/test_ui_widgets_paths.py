"""Tests for rolecourse.ui.widgets.path_builder and rolecourse.ui.widgets.explorer, without a browser."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from rolecourse.content.curriculum import load_curriculum  # noqa: E402
from rolecourse.planning.plans import plan  # noqa: E402
from rolecourse.ui.widgets.explorer import RoleExplorer, skill_matrix  # noqa: E402
from rolecourse.ui.widgets.path_builder import PathBuilder  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
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


def _profile_texts(curriculum, role_id):
    """What the printed profile of a role shows: its summary, responsibilities and skill groups' texts."""
    from rolecourse.planning.profiles import role_profile

    p = role_profile(curriculum, role_id)
    return [p["summary"]] + [r["description"] for r in p["responsibilities"]] + [g["text"] for g in p["skill_groups"]]


def test_explorer_without_profile_opens_one_skill():
    """profile=False (the role notebooks, which print the profile above): the explorer shows no profile text,
    only the chosen skill: what to study first, its modules with level, hours, objectives, lesson links, other roles."""
    from rolecourse.assessment.lessons import lesson_links

    shipped = load_curriculum()
    ex = RoleExplorer(shipped, role="data-analyst", profile=False)
    assert ex.profile not in ex.widget.children and ex.profile.value == ""
    assert [v for _, v in ex.skill.options] == list(shipped.role("data-analyst").skill_ids)
    assert ex.skill.value == "sql"
    page = ex.details.value
    for text in _profile_texts(shipped, "data-analyst"):
        assert html.escape(text) not in page, f"the explorer repeats the profile: {text[:60]}"
    links = lesson_links()
    for module in shipped.skills["sql"].modules:
        assert f"<td>{html.escape(module.title)}</td><td>{module.hours:g} h</td>" in page
        assert all(html.escape(o) in page for o in module.objectives)
        assert f'<a href="../{links[module.id]}" target="_blank">open lesson</a>' in page
        assert (REPO_ROOT / links[module.id]).is_file()
    assert "Study first:</strong> nothing" in page
    assert "Other roles that need it:</strong> Data Engineer, Data Scientist" in page

    ex.skill.value = "statistics"
    page = ex.details.value
    assert "Study first:</strong> Probability (35 h)" in page
    assert "Descriptive statistics" in page and "Data Analyst" not in page.split("Other roles that need it")[1]


def test_explorer_keeps_a_shared_skill_open_when_the_role_changes():
    """Switching role keeps the opened skill when the new role needs it (a comparison), else opens the new role's first skill."""
    shipped = load_curriculum()
    ex = RoleExplorer(shipped, role="data-analyst", profile=False)
    ex.skill.value = "statistics"
    ex.role.value = "data-scientist"
    assert ex.skill.value == "statistics" and "Data Analyst" in ex.details.value.split("Other roles that need it")[1]
    ex.role.value = "dl-engineer"
    first = shipped.role("dl-engineer").skill_ids[0]
    assert ex.skill.value == first
    assert f"<h4>{shipped.skills[first].name}:" in ex.details.value


def test_explorer_says_where_a_module_without_a_lesson_is_studied(cur):
    """A module without a lesson notebook names its resources (none shipped for the fixture's modules), or why it is practised outside."""
    from rolecourse.ui.widgets.explorer import skill_html

    page = skill_html(cur, "python", lessons={})
    assert "open lesson" not in page
    assert 'no lesson notebook yet: <a href="https://example.org/python-foundations" target="_blank">Python foundations guide</a>' in page
    shipped = load_curriculum()
    excel = shipped.modules["excel-analysis"]
    assert excel.outside is not None
    assert f"outside a notebook: {excel.outside.reason[:40]}" in skill_html(shipped, "excel", lessons={})


def test_profile_mode_shows_the_profile_and_the_skill(cur):
    """profile=True (the Voilà app, where no profile is printed): the role's profile above the opened skill."""
    ex = RoleExplorer(cur, role="dl-engineer")
    assert ex.widget.children == (ex.role, ex.profile, ex.skill, ex.details)
    assert "<h3>DL Engineer</h3>" in ex.profile.value and ex.details.value.startswith('<div class="rolecourse-skill">')


@pytest.mark.parametrize("notebook", sorted((REPO_ROOT / "notebooks").glob("0[1-7]-*.ipynb")), ids=lambda p: p.name)
def test_role_notebook_explorer_does_not_repeat_its_profile(notebook, monkeypatch, tmp_path):
    """Run a committed role notebook's setup, profile and explorer cells: the explorer shows none of the profile the notebook prints."""
    import nbformat

    monkeypatch.setenv("ROLECOURSE_HOME", str(tmp_path))
    nb = nbformat.read(notebook, as_version=4)
    cells = {c.metadata.get("rolecourse", {}).get("key"): c.source for c in nb.cells}
    ns: dict = {}
    exec(cells["setup"], ns)  # noqa: S102 - the course's own notebook
    printed = eval(cells["profile:show"], ns).data  # noqa: S307
    explorer = eval(cells["explorer:widget"], ns)  # noqa: S307
    shown = " ".join(_html_values(explorer.widget))
    assert explorer.details.value.startswith('<div class="rolecourse-skill">') and explorer.details.value in shown
    for text in _profile_texts(ns["curriculum"], ns["role"].id):
        assert text in printed
        assert text not in shown and html.escape(text) not in shown, f"the explorer repeats the printed profile: {text[:60]}"


def _html_values(widget):
    """The HTML of every HTML widget inside ``widget`` (what the learner reads)."""
    import ipywidgets

    if isinstance(widget, ipywidgets.HTML):
        yield widget.value
    for child in getattr(widget, "children", ()):
        yield from _html_values(child)
