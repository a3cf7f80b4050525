"""Tests for rolecourse.cli.plans: the plan, cohort and compare commands."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rolecourse.cli import main

FIX = Path(__file__).parent / "fixtures" / "paths"
ROLES = ["--roles", str(FIX / "mini.yaml")]


def test_plan_prints_markdown(capsys):
    """`plan ROLE` prints the Markdown plan on stdout."""
    assert main(["plan", "data-scientist", "--start", "2025-03-03", *ROLES]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Study plan: Data Scientist\n") and "Quiz: Data Scientist" in out


def test_plan_options_reach_the_library(capsys):
    """--from, --know, --hours-per-week, --study-days and --format json are all applied."""
    argv = ["plan", "deep-learning-engineer", "--from", "data-analyst", "--know", "statistics:1,gpus", "--hours-per-week", "6",
            "--study-days", "mon,wed,sat", "--start", "2025-03-03", "--format", "json", *ROLES]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["from_role"]["id"] == "data-analyst"
    assert data["known"]["statistics"] == 1 and data["known"]["gpus"] == 3
    assert data["hours_per_week"] == 6 and data["study_days"] == ["Monday", "Wednesday", "Saturday"]


def test_plan_writes_file(tmp_path, capsys):
    """-o FILE writes the plan and says so on stderr."""
    target = tmp_path / "plan.ics"
    assert main(["plan", "data-analyst", "--start", "2025-03-03", "--format", "ics", "-o", str(target), *ROLES]) == 0
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert "wrote" in capsys.readouterr().err


def test_plan_to_a_missing_folder_exits_2_without_traceback(tmp_path, capsys):
    """-o into a folder that does not exist is a usage error in one line, and nothing is printed."""
    target = tmp_path / "nodir" / "plan.md"
    assert main(["plan", "data-analyst", "--start", "2025-03-03", "-o", str(target), *ROLES]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"rolecourse: error: cannot write {str(target)!r}: the folder {str(target.parent)!r} does not exist\n"


def test_cohort_output_over_a_file_exits_2(tmp_path, capsys):
    """-o DIR naming an existing file is a usage error in one line."""
    blocker = tmp_path / "plans"
    blocker.write_text("mine")
    assert main(["cohort", str(FIX / "roster_clean.csv"), "-o", str(blocker), "--start", "2025-03-03", *ROLES]) == 2
    assert capsys.readouterr().err == f"rolecourse: error: cannot create the folder {str(blocker)!r}: a file of that name is in the way (expected a folder)\n"
    assert blocker.read_text() == "mine"


def test_plan_start_defaults_to_today(capsys):
    """Without --start the CLI starts today."""
    assert main(["plan", "data-analyst", "--json", *ROLES]) == 0
    assert json.loads(capsys.readouterr().out)["start"] == date.today().isoformat()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--start", "2025-13-01"], "expected a date as YYYY-MM-DD"),
        (["--hours-per-week", "lots"], "expected a number of hours"),
        (["--hours-per-week", "0"], "hours per week must be more than 0"),
        (["--know", "sqll:2"], "unknown skill 'sqll'"),
        (["--know", "sql:5"], "from 0 to 3"),
        (["--from", "data-analist"], "did you mean 'data-analyst'"),
        (["--study-days", "mon,funday"], "unknown study day"),
        (["--format", "pdf"], "invalid choice"),
    ],
)
def test_plan_bad_input_exits_2_with_a_clear_message(capsys, extra, message):
    """Bad dates, numbers, skills, levels, roles, days and formats: exit 2, one clear line."""
    assert_exit(["plan", "data-scientist", "--start", "2025-03-03", *extra, *ROLES], 2)
    err = capsys.readouterr().err
    assert message.lower() in err.lower()
    assert "Traceback" not in err


def assert_exit(argv, code):
    try:
        rc = main(argv)
    except SystemExit as exc:
        rc = exc.code
    assert rc == code


def test_unknown_role_exits_2_with_suggestion(capsys):
    """A misspelt target role gets close matches."""
    assert main(["plan", "data-scienist", *ROLES]) == 2
    assert "did you mean 'data-scientist'" in capsys.readouterr().err


def test_cohort_writes_plans_and_reports_bad_rows(tmp_path, capsys):
    """cohort: plans written, bad rows as ROSTER:LINE: message on stderr, exit 1, no progress bar off a terminal."""
    roster = FIX / "roster_mixed.csv"
    rc = main(["cohort", str(roster), "-o", str(tmp_path), "--start", "2025-03-03", *ROLES])
    captured = capsys.readouterr()
    assert rc == 1
    assert f"{roster}:5: unknown role 'data-scienist'" in captured.err
    assert "9/9" not in captured.err  # no progress bar when stderr is not a terminal
    assert "wrote 3 plans" in captured.out
    assert (tmp_path / "summary.md").exists() and (tmp_path / "ada-lovelace.md").exists()


def test_cohort_of_one_says_one_plan(tmp_path, capsys):
    """The summary line counts in the singular for one learner and one failed row."""
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role,known,hours_per_week\nAda,data-scientist,,8\nBob,data-scienist,,8\n", encoding="utf-8")
    assert main(["cohort", str(roster), "-o", str(tmp_path / "out"), "--start", "2025-03-03", *ROLES]) == 1
    assert capsys.readouterr().out == f"wrote 1 plan and summary.md to {tmp_path / 'out'}, 1 row failed\n"


def test_cohort_clean_roster_exits_0_with_json(tmp_path, capsys):
    """A clean roster exits 0; --json prints the summary as data."""
    assert main(["cohort", str(FIX / "roster_clean.csv"), "-o", str(tmp_path), "--format", "html", "--start", "2025-03-03", "--json", *ROLES]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["planned"] == 4 and data["errors"] == []
    assert (tmp_path / "ada-lovelace.html").exists()


def test_cohort_progress_bar_on_a_terminal(tmp_path, capsys, monkeypatch):
    """With stderr on a terminal, a progress bar is drawn."""
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert main(["cohort", str(FIX / "roster_clean.csv"), "-o", str(tmp_path), "--start", "2025-03-03", *ROLES]) == 0
    assert "4/4" in capsys.readouterr().err


def test_cohort_file_problem_exits_1(tmp_path, capsys):
    """A non-UTF-8 roster is a content error: exit 1, located message."""
    assert main(["cohort", str(FIX / "roster_latin1.csv"), "-o", str(tmp_path), *ROLES]) == 1
    assert "roster_latin1.csv:3:1" in capsys.readouterr().err


def test_cohort_needs_output_dir(capsys):
    """-o DIR is required."""
    assert_exit(["cohort", str(FIX / "roster_clean.csv")], 2)


def test_compare_prints_plain_overlap(capsys):
    """compare shows the DL roles as identical except statistics."""
    assert main(["compare", "dl-engineer", "Deep Learning Engineer", *ROLES]) == 0
    out = capsys.readouterr().out
    assert "identical key skills except Statistics (only Deep Learning Engineer)" in out


def test_compare_json(capsys):
    """compare --json gives the comparison as data."""
    assert main(["compare", "data-analyst", "data-scientist", "--json", *ROLES]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pairs"][0]["only_b"] == ["statistics"]


def test_compare_one_role_exits_2(capsys):
    """compare needs two roles."""
    assert main(["compare", "data-analyst", *ROLES]) == 2
    assert "at least two" in capsys.readouterr().err


# -- plan --learner: the learner's recorded mastery feeds the path ---------------------------------


def _plan_json(capsys, *extra):
    assert main(["plan", "data-analyst", "--start", "2025-03-03", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def learner_home(tmp_path, monkeypatch):
    """A progress folder (ROLECOURSE_HOME) where 'Ada' passed three intermediate SQL questions and finished the SQL exercise."""
    from rolecourse.assessment.exercises import load_exercise
    from rolecourse.progress.store import ProgressStore

    home = tmp_path / "progress"
    monkeypatch.setenv("ROLECOURSE_HOME", str(home))
    store = ProgressStore(home)
    for question in ("cli-sql-1", "cli-sql-2", "cli-sql-3"):
        store.record_quiz_answer("Ada", role="data-analyst", question=question, skills=["sql"], score=1.0, correct=True, level="intermediate")
    exercise = load_exercise("01-data-analyst-sql")
    for step in exercise.steps:
        store.record_exercise("Ada", exercise=exercise.id, step=step.id, outcome="correct")
    return home


def test_plan_learner_uses_recorded_mastery(learner_home, capsys):
    """--learner NAME plans from the learner's mastery: fewer modules and hours, skipped modules say why."""
    base = _plan_json(capsys)
    mine = _plan_json(capsys, "--learner", "Ada")
    assert mine["learner"] == "Ada" and mine["known"] == {"sql": 2}
    assert len(mine["path"]) < len(base["path"]) and mine["total_hours"] < base["total_hours"]
    skipped = {s["module"]: s["reason"] for s in mine["skipped"]}
    assert skipped and all(r.startswith("SQL known at level 2 (intermediate)") for r in skipped.values())
    assert not {s["module"] for s in mine["path"]} & set(skipped)


def test_plan_know_overrides_learner_skill_by_skill(learner_home, capsys):
    """--know entries win over the learner's mastery for their skills only."""
    again = _plan_json(capsys, "--learner", "Ada", "--know", "sql:0,python:1")
    assert again["known"] == {"python": 1, "sql": 0}
    assert all(not s["reason"].startswith("SQL") for s in again["skipped"])


def test_plan_unknown_learner_exits_2(learner_home, capsys):
    """A learner with no progress in ROLECOURSE_HOME is a usage error with a close match."""
    assert main(["plan", "data-analyst", "--start", "2025-03-03", "--learner", "Adda"]) == 2
    err = capsys.readouterr().err
    assert "unknown learner 'Adda'; did you mean" in err and "Traceback" not in err
