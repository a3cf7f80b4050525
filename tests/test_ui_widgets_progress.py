"""Tests of the progress dashboard widget and the progress plot (driven without a browser)."""

from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta, timezone
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from rolecourse.ui.plots import PALETTE  # noqa: E402
from rolecourse.ui.plots.progress import plot_progress  # noqa: E402
from rolecourse.progress.mastery import ExerciseMaps, summarize  # noqa: E402
from rolecourse.progress.model import LearnerProgress  # noqa: E402
from rolecourse.progress.store import ProgressStore  # noqa: E402
from rolecourse.ui.widgets.progress import ProgressDashboard, role_line  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "progress"
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def curriculum():
    spec = importlib.util.spec_from_file_location("progress_fixture_curriculum", FIXTURES / "fixture_curriculum.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build()


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path, clock=lambda: T0)


def _texts(dashboard: ProgressDashboard) -> list[str]:
    return [row.children[1].value for row in dashboard.rows.children]


def test_dashboard_shows_each_role(store: ProgressStore, curriculum):
    """One row per role: a bar of skills mastered and the figures in words, with what's next by name."""
    store.set_self_assessment("Ada", {"sql": 2})
    store.record_quiz_answer("Ada", role="data-analyst", question="q1", skills=["python"], score=0.0, correct=False)
    dash = ProgressDashboard(store, "Ada", curriculum, now=T0 + timedelta(days=1))
    assert isinstance(dash, widgets.VBox)
    assert "Progress of Ada" in dash.heading.value and "1 question answered, 0 right; 1 due for review" in dash.heading.value
    bars = [row.children[0] for row in dash.rows.children]
    assert [(b.description, b.value, b.max) for b in bars] == [("Data Analyst", 1, 4), ("Data Engineer", 1, 3)]
    assert _texts(dash)[0] == (
        "1 of 4 skills mastered (25%) · quizzes 0 of 1 right · exercises 0 done of 0 started · next: Python, Statistics, Visualization"
    )


def test_refresh_picks_up_new_progress(store: ProgressStore, curriculum):
    """refresh() (and the Refresh button) read the store again."""
    dash = ProgressDashboard(store, "Ada", curriculum, exercises=ExerciseMaps(skills={"da-x": ("etl",)}, roles={"da-x": "data-engineer"}))
    assert _texts(dash)[1].startswith("0 of 3 skills mastered")
    store.record_exercise("Ada", exercise="da-x", step="s1", outcome="correct")
    store.set_self_assessment("Ada", {"etl": 2}, curriculum=curriculum)  # an exercise alone is practice, not mastery
    dash.refresh_button.click()
    assert _texts(dash)[1].startswith("1 of 3 skills mastered (33%) · quizzes 0 of 0 right · exercises 1 done of 1 started")
    assert dash.summary[1].exercises_done == 1


def test_shipped_exercise_is_done_only_when_every_step_is_correct(store: ProgressStore):
    """By default the dashboard knows the shipped exercises: all steps correct marks the role's exercise done."""
    from rolecourse.content.curriculum import load_curriculum

    maps = ExerciseMaps.shipped()
    ex = next(e for e, role in sorted(maps.roles.items()) if role == "data-analyst")
    steps = maps.steps[ex]
    for step in steps[:-1]:
        store.record_exercise("Ada", exercise=ex, step=step, outcome="correct")
    dash = ProgressDashboard(store, "Ada", load_curriculum())
    analyst = next(r for r in dash.summary if r.role == "data-analyst")
    assert (analyst.exercises_started, analyst.exercises_done) == (1, 0)
    store.record_exercise("Ada", exercise=ex, step=steps[-1], outcome="incorrect")
    store.record_exercise("Ada", exercise=ex, step=steps[-1], outcome="correct")
    dash.refresh()
    analyst = next(r for r in dash.summary if r.role == "data-analyst")
    assert (analyst.exercises_started, analyst.exercises_done) == (1, 1)
    assert "exercises 1 done of 1 started" in _texts(dash)[0]


def test_text_is_escaped(store: ProgressStore, curriculum):
    """A learner name with markup is shown as text."""
    store.set_self_assessment("<b>Bob</b>", {"sql": 1})
    dash = ProgressDashboard(store, "<b>Bob</b>", curriculum)
    assert "&lt;b&gt;Bob&lt;/b&gt;" in dash.heading.value and "<b>Bob" not in dash.heading.value


def test_role_line_when_everything_is_mastered(curriculum):
    """A role with no skill left says so instead of an empty 'next'."""
    p = LearnerProgress("Ada", self_assessment={"sql": 3, "python": 3, "etl": 3})
    assert role_line(summarize(p, curriculum)[1]).endswith("next: all key skills mastered")


def test_plot_has_a_labelled_bar_per_role(curriculum):
    """The plot has one bar per role, a title, axis labels, Okabe-Ito colours and a text label per bar."""
    p = LearnerProgress("Ada", self_assessment={"sql": 2, "python": 3})
    fig = plot_progress(summarize(p, curriculum))
    ax = fig.axes[0]
    assert len(ax.patches) == 2
    assert ax.get_title() == "Skills mastered per role"
    assert ax.get_xlabel() == "Key skills mastered (%)" and ax.get_ylabel() == "Role"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Data Analyst", "Data Engineer"]
    assert list(ax.get_yticks()) == [1, 0]  # first role on top
    assert [t.get_text() for t in ax.texts] == ["2/4 (50%)", "2/3 (67%)"]
    assert [round(bar.get_width(), 1) for bar in ax.patches] == [50.0, 66.7]
    assert matplotlib.colors.to_hex(ax.patches[0].get_facecolor()).upper() == PALETTE[0].upper()


def test_plot_of_nothing():
    """An empty summary gives a titled figure saying there is nothing to show."""
    fig = plot_progress(())
    ax = fig.axes[0]
    assert len(ax.patches) == 0 and [t.get_text() for t in ax.texts] == ["no roles to show"]
