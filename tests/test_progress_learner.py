"""One learner, recorded by default (rolecourse.progress.learner) and the widgets that show it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import rolecourse
from rolecourse.errors import UsageError
from rolecourse.progress import learner as core
from rolecourse.progress.store import ENV_HOME, ProgressStore, ProgressWarning


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_HOME, str(tmp_path))
    return tmp_path


def test_no_learner_records_nothing(home: Path):
    """A fresh folder has no learner: nothing is recorded and no file is created."""
    assert core.current() is None and core.current_learner() is None and core.recording() is None
    ex = rolecourse.load_exercise("01-data-analyst-sql")
    assert ex.record_to is None
    ex.step("revenue-2024").check(17753.06)
    assert list(home.iterdir()) == []


def test_name_given_once_records_every_exercise_and_lesson(home: Path):
    """After set_learner, exercises and lessons opened through rolecourse record to that learner."""
    choice = rolecourse.set_learner("  Ada Lovelace ")
    assert choice.learner == "Ada Lovelace" and core.current_learner() == "Ada Lovelace"
    assert json.loads((home / core.CHOICE_FILE).read_text()) == {"learner": "Ada Lovelace", "recording": True}
    rolecourse.load_exercise("01-data-analyst-sql").step("revenue-2024").check(17753.06)
    lesson = rolecourse.load_lesson("python-foundations")
    lesson.steps[0].check(None)
    progress = ProgressStore(home).load("Ada Lovelace")
    assert [(r.exercise, r.step) for r in progress.exercises] == [("01-data-analyst-sql", "revenue-2024"), ("python-foundations", lesson.steps[0].id)]
    assert ProgressStore(home).learners() == ["Ada Lovelace"]  # the choice file is not a learner


def test_explicit_store_wins(home: Path, tmp_path_factory: pytest.TempPathFactory):
    """A store given explicitly is used, whoever the current learner is."""
    core.set_learner("Ada")
    other = ProgressStore(tmp_path_factory.mktemp("other"))
    rolecourse.load_exercise("01-data-analyst-sql", record_to=other, learner="Bo").step("revenue-2024").check(1.0)
    assert other.learners() == ["Bo"] and not (home / "ada.json").exists()


def test_opt_out_and_switch_keep_progress(home: Path):
    """Stopping records nothing more; switching learner keeps the first learner's progress; forgetting removes only the choice."""
    core.set_learner("Ada")
    rolecourse.load_exercise("01-data-analyst-sql").step("revenue-2024").check(1.0)
    core.stop_recording()
    assert core.recording() is None and core.current_learner() == "Ada"
    rolecourse.load_exercise("01-data-analyst-sql").step("revenue-2024").check(2.0)
    assert len(ProgressStore(home).load("Ada").exercises) == 1
    core.resume_recording()
    core.set_learner("Bo")
    rolecourse.load_exercise("01-data-analyst-sql").step("revenue-2024").check(3.0)
    store = ProgressStore(home)
    assert len(store.load("Ada").exercises) == 1 and len(store.load("Bo").exercises) == 1
    assert core.forget_learner() is True and core.current() is None and store.learners() == ["Ada", "Bo"]
    assert core.forget_learner() is False


def test_bad_names_and_missing_choice(home: Path):
    """An empty name is refused in one line; pausing without a learner says how to set one."""
    with pytest.raises(UsageError, match="non-empty"):
        core.set_learner("   ")
    with pytest.raises(UsageError, match="set_learner"):
        core.stop_recording()


def test_unreadable_choice_warns_and_is_kept(home: Path):
    """A damaged choice file records nothing, says so, and is left for set_learner to replace."""
    (home / core.CHOICE_FILE).write_text("{not json")
    with pytest.warns(ProgressWarning, match="does not name a learner"):
        assert core.recording() is None
    assert (home / core.CHOICE_FILE).read_text() == "{not json"
    core.set_learner("Ada")
    assert core.current_learner() == "Ada"


def test_quiz_records_to_the_current_learner(home: Path):
    """The quiz widget records to the current learner by default and says so; record=False opts out."""
    pytest.importorskip("ipywidgets")
    from rolecourse.assessment.answer_keys import answer_key
    from rolecourse.ui.widgets.quiz import Quiz

    bank = rolecourse.load_quiz("data-analyst")
    assert "not saved" in Quiz(bank).children[0].value
    core.set_learner("Ada")
    quiz = Quiz(bank)
    assert "Ada" in quiz.children[0].value
    view = quiz.views[0]
    key = answer_key(view.question)
    if view.question.type.value == "multiple":
        for i, box in zip(view.order, view.checkboxes):
            box.value = i in key
    else:
        view.input.value = key if not isinstance(key, (int, float)) or view.question.type.value != "numeric" else str(key)
    view.submit.click()
    assert [a.question for a in ProgressStore(home).load("Ada").quiz_answers] == [view.question.id]
    Quiz(bank, record=False).views[0]  # builds without recording
    assert len(ProgressStore(home).load("Ada").quiz_answers) == 1


def test_path_builder_starts_from_progress_and_saves_the_plan(home: Path, tmp_path_factory: pytest.TempPathFactory):
    """With a learner, sliders start from their mastery, a moved slider is their self-assessment, Save writes the plan and links it."""
    pytest.importorskip("ipywidgets")
    from rolecourse.ui.widgets.path_builder import PathBuilder

    cur = rolecourse.load_curriculum()
    scratch = PathBuilder(cur, role="data-analyst", start=date(2026, 12, 1), show_chart=False)
    assert "Starting from scratch" in scratch.answer.value and scratch.learner is None
    core.set_learner("Ada")
    ProgressStore(home).set_self_assessment("Ada", {"python": 2})
    out = tmp_path_factory.mktemp("notebooks") / "my-plans"
    b = PathBuilder(cur, role="data-analyst", start=date(2026, 12, 1), show_chart=False, save_folder=out)
    assert b.sliders["python"].value == 2 and "Ada" in b.answer.value
    assert b.plan.path.total_hours < scratch.plan.path.total_hours
    assert b.answer.value.index("Next:") < len(b.answer.value) and b.answer.value.count("<li>") == 3
    b.sliders["sql"].value = 1
    assert ProgressStore(home).load("Ada").self_assessment["sql"] == 1
    b.format.value = "csv"
    path = b.save_plan()
    assert path == out / "ada-plan-data-analyst.csv" and path.read_text().startswith("week")


def test_learner_panel_sets_pauses_and_switches(home: Path):
    """The panel's Save sets the learner, Stop recording pauses, a new name switches."""
    pytest.importorskip("ipywidgets")
    from rolecourse.ui.widgets.learner import LearnerPanel

    panel = LearnerPanel()
    assert "No learner yet" in panel.status.value and panel.pause.disabled
    panel.name.value = "Ada"
    panel.save.click()
    assert core.current_learner() == "Ada" and "Ada" in panel.status.value
    panel.pause.click()
    assert core.recording() is None and panel.pause.description == "Resume recording"
    panel.pause.click()
    assert core.recording() is not None
    panel.name.value = ""
    panel.save.click()
    assert "non-empty" in panel.status.value and core.current_learner() == "Ada"


def test_dashboard_of_the_current_learner(home: Path):
    """my_progress shows the current learner's dashboard, or says how to become one."""
    pytest.importorskip("ipywidgets")
    from rolecourse.ui.widgets.progress import ProgressDashboard, my_progress

    cur = rolecourse.load_curriculum()
    assert "No learner is set" in my_progress(cur).value
    core.set_learner("Ada")
    dash = my_progress(cur)
    assert isinstance(dash, ProgressDashboard) and "Progress of Ada" in dash.heading.value


def test_a_fourth_hint_says_there_are_no_more():
    """Asking past the last hint shows it again and says it was the last."""
    step = rolecourse.load_exercise("01-data-analyst-sql", record_to=None).steps[0]
    total = len(step.spec.hints)
    hints = [step.hint() for _ in range(total + 1)]
    assert [h.repeated for h in hints] == [False] * total + [True]
    assert "No more hints" in str(hints[-1]) and "No more hints" not in str(hints[-2])
