"""Tests of rolecourse.export.gradebook: the class view's text and its gradebook CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from rolecourse.export.gradebook import GRADEBOOK_COLUMNS, csv_cell, gradebook_csv, render_class_view, write_gradebook
from rolecourse.progress.cohort import ClassRow, ClassView


def _row(name: str, **kw) -> ClassRow:
    base = dict(line=2, name=name, role="data-analyst", role_name="Data Analyst", start=date(2025, 9, 1), hours_per_week=6.0,
                plan_hours=220.0, expected_hours=18.0, done_hours=12.0, mastered=(("sql", "SQL", 1),), role_skills_mastered=1,
                role_skills_total=8, file="/x/k.json", answered=3, correct=3, steps_correct=0, today=date(2025, 9, 22))
    base.update(kw)
    return ClassRow(**base)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_text(text: str):
    """A cell a spreadsheet would evaluate starts with an apostrophe."""
    assert csv_cell(text) == "'" + text


def test_plain_cells_unchanged():
    """Names, numbers and dates stay as they are; whole floats lose their .0."""
    assert [csv_cell("Ada"), csv_cell(6.0), csv_cell(7.5), csv_cell(3), csv_cell("2025-09-01")] == ["Ada", "6", "7.5", "3", "2025-09-01"]


def test_gradebook_csv(tmp_path):
    """One row per learner under the documented header, UTF-8 with a BOM, written atomically to the path given."""
    view = ClassView((_row("Katherine Johnson"), _row("=cmd|' /C calc'!A0", file=None)), (), date(2025, 9, 22), 1)
    data = gradebook_csv(view)
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == GRADEBOOK_COLUMNS
    first = dict(zip(rows[0], rows[1]))
    assert (first["status"], first["behind_hours"], first["skills_mastered"], first["progress_file"]) == ("behind by 6 h", "6", "SQL (foundation)", "k.json")
    assert rows[2][0] == "'=cmd|' /C calc'!A0" and rows[2][-1] == ""
    target = write_gradebook(view, tmp_path / "gb.csv")
    assert target.read_bytes() == data and [p.name for p in tmp_path.iterdir()] == ["gb.csv"]


def test_render_class_view():
    """The text names the role, hours done against hours due and the status, and the skills by name."""
    text = render_class_view(ClassView((_row("Katherine Johnson"),), (), date(2025, 9, 22), 1))
    assert text.splitlines() == [
        "1 learner on the roster, progress collected for 1, as of 2025-09-22",
        "Katherine Johnson  Data Analyst  12 of 18 h due (220 h plan)  behind by 6 h",
        "                   key skills 1/8; mastered: SQL (foundation); quizzes 3/3 right",
    ]
