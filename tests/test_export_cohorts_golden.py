"""Golden tests for rolecourse.export.cohorts: a fixed, diverse roster gives the same bytes, file by file, in every format.

The roster (``tests/fixtures/cohort/roster.csv``, 256 rows) was drawn once by
``benchmarks/rosters.py`` (own skills at random levels, own pace, own start day, names that
repeat) with 16 bad or tricky rows spread through it; the curriculum is a frozen copy of
``roles.yaml`` (``tests/fixtures/cohort/roles.yaml``) and the lessons linked are fixed, so
neither the course's content nor its lessons change these files. The golden manifests
(``tests/golden/cohort/<fmt>.sha256``, in ``sha256sum`` format) were recorded before the
cohort writer was made to stream; they pin every byte of every learner's file and of the
summaries. After an intended change of output, refresh them with

    ROLECOURSE_UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_export_cohorts_golden.py

and review what changed (``summary.md`` and the CLI's messages are kept in full).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from rolecourse.cli import main
from rolecourse.content.curriculum import load_curriculum
from rolecourse.export.cohorts import cohort
from rolecourse.export.plans import FORMATS

HERE = Path(__file__).parent
FIX = HERE / "fixtures" / "cohort"
ROSTER = FIX / "roster.csv"
ROLES = FIX / "roles.yaml"
GOLDEN = HERE / "golden" / "cohort"
UPDATE = os.environ.get("ROLECOURSE_UPDATE_GOLDENS") == "1"
START = "2026-01-12"

FIXED_LESSONS = {
    "python-foundations": "lessons/python-foundations/python-foundations.ipynb",
    "sql-foundations": "lessons/sql-foundations/sql-foundations.ipynb",
    "probability-foundations": "lessons/probability-foundations/probability-foundations.ipynb",
}
"""Lessons as the golden files see them, whatever the course ships."""


@pytest.fixture(autouse=True)
def fixed_lessons(monkeypatch):
    """Exports link the lessons of FIXED_LESSONS, so golden files do not change when a lesson is added."""
    monkeypatch.setattr("rolecourse.export.plans.lesson_links", lambda: FIXED_LESSONS)


@pytest.fixture(scope="module")
def cur():
    return load_curriculum(ROLES)


def manifest(folder: Path) -> str:
    """``sha256  name`` for every file of ``folder``, sorted by name (what ``sha256sum *`` prints)."""
    files = sorted(p for p in folder.iterdir())
    assert all(p.is_file() and not p.is_symlink() for p in files)
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in files)


def check_golden(name: str, data: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(data, encoding="utf-8", newline="")
    expected = golden.read_text(encoding="utf-8")
    if data != expected:
        got, want = data.splitlines(), expected.splitlines()
        differ = [g for g, w in zip(got, want) if g != w][:5]
        pytest.fail(f"{name}: {len(got)} lines against {len(want)} golden; first differing lines: {differ}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_file_matches_its_golden_bytes(cur, tmp_path, fmt):
    """Each learner's file and both summaries equal the bytes recorded before the writer streamed."""
    out = tmp_path / "out"
    result = cohort(ROSTER, out, fmt=fmt, curriculum=cur, start=START)
    assert len(result.learners) == 246 and len(result.errors) == 10
    assert len(list(out.iterdir())) == 248
    check_golden(f"{fmt}.sha256", manifest(out))
    if fmt == "md":
        check_golden("summary.md", (out / "summary.md").read_text(encoding="utf-8"))
        check_golden("summary.csv", (out / "summary.csv").read_text(encoding="utf-8"))


def test_cli_reports_every_bad_row_by_line(tmp_path, capsys):
    """The command prints each bad row as ROSTER:LINE: message (roster order) and its JSON report; exit 1."""
    out = tmp_path / "out"
    rc = main(["cohort", str(ROSTER), "-o", str(out), "--format", "json", "--start", START, "--json", "--roles", str(ROLES)])
    captured = capsys.readouterr()
    assert rc == 1
    stderr = captured.err.replace(str(ROSTER), "ROSTER")
    report = json.loads(captured.out)
    assert report.pop("out_dir") == str(out)
    check_golden("cli-stderr.txt", stderr)
    check_golden("cli-report.json", json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    lines = [int(line.split(":")[1]) for line in stderr.splitlines()]
    assert lines == sorted(lines) and len(lines) == 10
