"""An instructor's walk through the command line (issue #20): roster -> ``cohort`` plans ->
each learner's exported progress collected in a folder -> ``progress cohort --roster`` with
on-track status and a gradebook CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from rolecourse.cli import main
from rolecourse.progress.store import ProgressStore

ROSTER = """\
name,role,known,hours_per_week,start
Ada Lovelace,data-scientist,python:2;sql:1,8,2025-09-01
Katherine Johnson,data-analyst,excel:2,6,2025-09-01
"=HYPERLINK(""http://x"")",data-analyst,,6,2025-09-01
Alan Turing,data-engineer,,10,2025-10-06
Bad Row,no-such-role,,6,
"""
TODAY = "2025-09-22"  # three weeks into the plans that start on 2025-09-01


def _learner(home: Path, name: str, skill: str, questions: int = 3) -> None:
    """A learner who answered ``questions`` distinct foundation questions on ``skill`` right (a quiz in a notebook)."""
    store = ProgressStore(home, clock=lambda: datetime(2025, 9, 15, tzinfo=timezone.utc))
    for i in range(questions):
        store.record_quiz_answer(name, role="data-scientist", question=f"walk-{skill}-{i}", skills=[skill], score=1.0, correct=True, answer="a", level=1)


@pytest.fixture
def walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    plans = tmp_path / "plans"
    # 1. the class's plans from the roster (the bad row is reported, the others planned)
    assert main(["cohort", str(roster), "-o", str(plans), "--start", "2025-09-01"]) == 1
    err = capsys.readouterr().err
    assert f"{roster}:6: unknown role 'no-such-role'" in err
    assert (plans / "ada-lovelace.md").is_file() and (plans / "katherine-johnson.md").is_file()
    # 2. each learner studies on their own machine, then exports their progress for the instructor
    collected = tmp_path / "collected"
    collected.mkdir()
    for name, skills, file in [
        ("Ada Lovelace", ["linear-algebra", "probability"], "ada.json"),  # 20 h + 15 h of her plan
        ("Katherine Johnson", ["sql"], "katherine.json"),  # 12 h of hers
        ("Grace Hopper", ["sql"], "grace.json"),  # not on this roster
    ]:
        home = tmp_path / "homes" / file
        monkeypatch.setenv("ROLECOURSE_HOME", str(home))
        for skill in skills:
            _learner(home, name, skill)
        assert main(["progress", "export", "--learner", name, "-o", str(collected / file)]) == 0
    (collected / "broken.json").write_text('{"schema_version": 1, "learner": ', encoding="utf-8")
    capsys.readouterr()
    return {"roster": roster, "collected": collected, "tmp": tmp_path}


def test_instructor_walk(walk: dict[str, Path], capsys: pytest.CaptureFixture[str]):
    """progress cohort --roster shows each learner's role, hours against the plan and skills by name, and writes the gradebook."""
    gradebook = walk["tmp"] / "out" / "gradebook.csv"
    gradebook.parent.mkdir()
    code = main(["progress", "cohort", str(walk["collected"]), "--roster", str(walk["roster"]), "--today", TODAY, "--csv", str(gradebook)])
    assert code == 1  # a broken file, a bad roster row and a learner not on the roster: reported, the rest shown
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    assert out[0] == "4 learners on the roster, progress collected for 2, as of 2025-09-22"
    ada = next(line for line in out if line.startswith("Ada Lovelace"))
    assert "Data Scientist" in ada and "35 of 24 h due" in ada and ada.endswith("on track")
    kath = next(line for line in out if line.startswith("Katherine Johnson"))
    assert "Data Analyst" in kath and "12 of 18 h due" in kath and kath.endswith("behind by 6 h")
    alan = next(line for line in out if line.startswith("Alan Turing"))
    assert alan.endswith("not started yet (starts 2025-10-06); no progress collected")
    assert "key skills 1/9; mastered: Probability (foundation), Linear Algebra (foundation); quizzes 6/6 right" in out[out.index(ada) + 1]
    err = captured.err.splitlines()
    assert any(line.startswith(f"{walk['collected'] / 'broken.json'}:1:") and "expected valid JSON" in line for line in err)
    assert f"{walk['roster']}:6: unknown role 'no-such-role'" in " ".join(err)
    assert any("grace.json: learner 'Grace Hopper' is not in the roster" in line for line in err)
    assert "rolecourse: 3 problems (the other learners are shown)" in err
    rows = list(csv.DictReader(io.StringIO(gradebook.read_text(encoding="utf-8-sig"))))
    assert [r["name"] for r in rows] == ["Ada Lovelace", "Katherine Johnson", "'=HYPERLINK(\"http://x\")", "Alan Turing"]
    assert (rows[0]["status"], rows[0]["done_hours"], rows[0]["expected_hours"], rows[0]["behind_hours"]) == ("on track", "35", "24", "0")
    assert (rows[1]["status"], rows[1]["behind_hours"], rows[1]["skills_mastered"], rows[1]["progress_file"]) == ("behind by 6 h", "6", "SQL (foundation)", "katherine.json")
    assert rows[2]["status"] == "behind by 18 h; no progress collected"
    assert rows[0]["role"] == "data-scientist" and rows[0]["plan_hours"] != "" and float(rows[0]["plan_hours"]) > 35


def test_instructor_walk_json(walk: dict[str, Path], capsys: pytest.CaptureFixture[str]):
    """--json gives the same view as data, problems included."""
    main(["progress", "cohort", str(walk["collected"]), "--roster", str(walk["roster"]), "--today", TODAY, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["today"] == TODAY and data["files"] == 4 and len(data["problems"]) == 3
    ada = data["learners"][0]
    assert (ada["name"], ada["status"], ada["done_hours"]) == ("Ada Lovelace", "on track", 35.0)
    assert [s["name"] for s in ada["skills_mastered"]] == ["Probability", "Linear Algebra"]


def test_good_folder_exits_zero(walk: dict[str, Path], capsys: pytest.CaptureFixture[str]):
    """With every file matched and every row planned the command exits 0."""
    (walk["collected"] / "broken.json").unlink()
    (walk["collected"] / "grace.json").unlink()
    walk["roster"].write_text("\n".join(ROSTER.splitlines()[:3]) + "\n", encoding="utf-8")
    assert main(["progress", "cohort", str(walk["collected"]), "--roster", str(walk["roster"]), "--today", TODAY]) == 0
    assert capsys.readouterr().err == ""


def test_csv_without_roster_is_a_usage_error(walk: dict[str, Path], capsys: pytest.CaptureFixture[str]):
    """--csv means the class view: without --roster it is a usage error (exit 2) saying so."""
    assert main(["progress", "cohort", str(walk["collected"]), "--csv", str(walk["tmp"] / "g.csv")]) == 2
    assert "need --roster" in capsys.readouterr().err


def test_bad_today(walk: dict[str, Path], capsys: pytest.CaptureFixture[str]):
    """A --today that is not a date is a usage error."""
    with pytest.raises(SystemExit) as info:
        main(["progress", "cohort", str(walk["collected"]), "--roster", str(walk["roster"]), "--today", "22/09/2025"])
    assert info.value.code == 2 and "--today" in capsys.readouterr().err
