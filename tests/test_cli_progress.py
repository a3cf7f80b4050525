"""Tests of the ``rolecourse progress`` commands (show, export, import, cohort)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from rolecourse.cli import main
from rolecourse.cli import progress as cli_progress
from rolecourse.progress.mastery import ExerciseMaps
from rolecourse.progress.store import ProgressStore

FIXTURES = Path(__file__).parent / "fixtures" / "progress"


def _fixture_curriculum():
    spec = importlib.util.spec_from_file_location("progress_fixture_curriculum", FIXTURES / "fixture_curriculum.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ROLECOURSE_HOME in tmp_path, the fixture curriculum, one exercise mapped to a role."""
    folder = tmp_path / "home"
    monkeypatch.setenv("ROLECOURSE_HOME", str(folder))
    monkeypatch.setattr(cli_progress, "_curriculum", lambda args: _fixture_curriculum())
    maps = ExerciseMaps(skills={"da-sql": ("sql",)}, steps={"da-sql": ("s1",)}, roles={"da-sql": "data-analyst"})
    monkeypatch.setattr(cli_progress, "_exercises", lambda: maps)
    return folder


def _seed(home: Path) -> ProgressStore:
    store = ProgressStore(home, clock=lambda: datetime(2024, 5, 1, tzinfo=timezone.utc))
    for q in ("q1", "q3", "q4"):  # three intermediate SQL questions passed: with the exercise's practice, SQL at level 2
        store.record_quiz_answer("Ada Lovelace", role="data-analyst", question=q, skills=["sql"], score=1.0, correct=True, answer="b", level=2)
    store.record_quiz_answer("Ada Lovelace", role="data-analyst", question="q2", skills=["python"], score=0.0, correct=False)
    store.record_exercise("Ada Lovelace", exercise="da-sql", step="s1", outcome="correct")
    store.set_self_assessment("Grace", {"etl": 3}, curriculum=_fixture_curriculum())
    return store


def test_list_learners(home: Path, capsys: pytest.CaptureFixture[str]):
    """`progress` with no learner lists the learners' names."""
    _seed(home)
    assert main(["progress"]) == 0
    assert capsys.readouterr().out.splitlines() == ["Ada Lovelace", "Grace"]


def test_list_learners_when_none(home: Path, capsys: pytest.CaptureFixture[str]):
    """With no progress yet, the folder is named and the exit code is 0."""
    assert main(["progress", "show"]) == 0
    assert f"no learner has progress in {home}" in capsys.readouterr().out


def test_show_learner_text(home: Path, capsys: pytest.CaptureFixture[str]):
    """`progress --learner NAME` prints per role skills, quizzes, exercises and what's next."""
    _seed(home)
    assert main(["progress", "--learner", "Ada Lovelace"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Ada Lovelace: 4 questions answered, 3 right; 1 due for review")  # q2, missed in 2024
    assert "Data Analyst   skills 1/4 (25%)  quizzes 3/4 right  exercises 1 done of 1 started  next: python, statistics, visualization" in out
    assert "mastery: sql 2" in out  # three intermediate questions passed, backed by the exercise's practice


def test_show_learner_json_by_slug(home: Path, capsys: pytest.CaptureFixture[str]):
    """`progress show --learner slug --json` gives the report as JSON; the slug finds the learner."""
    _seed(home)
    assert main(["progress", "--json", "show", "--learner", "ada-lovelace"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["learner"] == "Ada Lovelace" and data["mastery"] == {"sql": 2}
    assert [(r["role"], r["skills_mastered"], r["exercises_done"]) for r in data["roles"]] == [("data-analyst", 1, 1), ("data-engineer", 1, 0)]


def test_show_unknown_learner(home: Path, capsys: pytest.CaptureFixture[str]):
    """An unknown learner is a usage error (exit 2) with a suggestion."""
    _seed(home)
    assert main(["progress", "--learner", "Ada Lovelac"]) == 2
    assert "unknown learner 'Ada Lovelac'; did you mean 'Ada Lovelace'" in capsys.readouterr().err


def test_export_then_import_elsewhere(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """An export imported into another home gives the same progress."""
    store = _seed(home)
    out_file = tmp_path / "ada.json"
    assert main(["progress", "export", "--learner", "Ada Lovelace", "-o", str(out_file)]) == 0
    assert f"exported Ada Lovelace's progress to {out_file}" in capsys.readouterr().out
    other = tmp_path / "other"
    monkeypatch.setenv("ROLECOURSE_HOME", str(other))
    assert main(["progress", "import", str(out_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"learner": "Ada Lovelace", "home": str(other), "merged": True}
    assert ProgressStore(other).load("Ada Lovelace") == store.load("Ada Lovelace")


def test_export_unknown_learner(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Exporting a learner with no progress is a usage error and writes nothing."""
    assert main(["progress", "export", "--learner", "Nobody", "-o", str(tmp_path / "x.json")]) == 2
    assert "unknown learner 'Nobody'" in capsys.readouterr().err and not (tmp_path / "x.json").exists()


def test_export_needs_output(home: Path, capsys: pytest.CaptureFixture[str]):
    """export without -o is a usage error (exit 2)."""
    with pytest.raises(SystemExit) as info:
        main(["progress", "export", "--learner", "Ada"])
    assert info.value.code == 2 and "-o/--output" in capsys.readouterr().err


def test_import_invalid_file(home: Path, capsys: pytest.CaptureFixture[str]):
    """A broken file is invalid content (exit 1) with file:line:col problems, and nothing is imported."""
    assert main(["progress", "import", str(FIXTURES / "bad-types.json")]) == 1
    err = capsys.readouterr().err
    assert f"{FIXTURES / 'bad-types.json'}:1:1: quiz_answers[0].score: expected a number from 0 to 1, found 7" in err
    assert "4 problems found" in err
    assert ProgressStore(home).learners() == []


def test_import_syntax_error(home: Path, capsys: pytest.CaptureFixture[str]):
    """Broken JSON is reported at json's line and column."""
    assert main(["progress", "import", str(FIXTURES / "truncated.json")]) == 1
    assert "truncated.json:4:1: (root): expected valid JSON" in capsys.readouterr().err


def test_import_missing_file(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """A file that does not exist is a usage error."""
    assert main(["progress", "import", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_import_replace_keeps_backup(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """--replace swaps the progress in and keeps the old file as a backup."""
    _seed(home)
    src = tmp_path / "v0.json"
    shutil.copy(FIXTURES / "v0-ada.json", src)
    with pytest.warns(UserWarning, match="backup-1"):
        assert main(["progress", "import", str(src), "--replace"]) == 0
    assert (home / "ada-lovelace.backup-1.json").exists()
    assert [a.question for a in ProgressStore(home).load("Ada Lovelace").quiz_answers] == ["da-sql-1", "da-sql-2"]


def test_cohort_reports_bad_files(home: Path, capsys: pytest.CaptureFixture[str]):
    """cohort shows the good files and reports the bad one on stderr with exit code 1."""
    assert main(["progress", "cohort", str(FIXTURES / "cohort")]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "2 learners read from 3 files",
        "Ada Lovelace  quizzes 1/2 right  exercise steps correct 1",
        "Grace Hopper  quizzes 1/1 right  exercise steps correct 0",
    ]
    assert "broken.json:1:1: self_assessment.sql: expected an integer from 0 to 3, found 5" in captured.err
    assert "1 file could not be read" in captured.err


def test_cohort_json(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """cohort --json of good files only exits 0 and lists each learner's figures."""
    folder = tmp_path / "good"
    folder.mkdir()
    for name in ("ada.json", "grace.json"):
        shutil.copy(FIXTURES / "cohort" / name, folder / name)
    assert main(["progress", "cohort", str(folder), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["learner"], r["answered"], r["correct"], r["ok"]) for r in rows] == [("Ada Lovelace", 2, 1, True), ("Grace Hopper", 1, 1, True)]
    assert rows[0]["mastery"] == {"statistics": 2}  # one right answer lifts nothing; statistics is self-assessed


def test_cohort_missing_folder(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """A cohort folder that does not exist is a usage error."""
    assert main(["progress", "cohort", str(tmp_path / "none")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_unknown_action(home: Path, capsys: pytest.CaptureFixture[str]):
    """An unknown action is a usage error listing the actions."""
    with pytest.raises(SystemExit) as info:
        main(["progress", "bogus"])
    assert info.value.code == 2 and "show" in capsys.readouterr().err


def test_show_with_shipped_curriculum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Without patches, the shipped roles.yaml and exercises feed the report (wiring check)."""
    monkeypatch.setenv("ROLECOURSE_HOME", str(tmp_path))
    ProgressStore(tmp_path).set_self_assessment("Ada", {"sql": 3})
    assert main(["progress", "--learner", "Ada", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["roles"][0]["role"] == "data-analyst" and data["mastery"] == {"sql": 3}
