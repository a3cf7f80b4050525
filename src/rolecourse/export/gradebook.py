"""The instructor's class view as text and as a gradebook CSV (``rolecourse progress cohort``).

:func:`rolecourse.progress.cohort.class_view` computes the view (data); this module renders it.
The CSV has one row per learner, a header a gradebook maps to its columns, and every cell that
a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) prefixed with ``'`` so that it stays text. It is written through
:func:`rolecourse.export.files.write_output` (atomic).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

from .._text import count, csv_safe
from ..content.model import SkillLevel
from ..progress.cohort import ClassRow, ClassView
from .files import write_output

GRADEBOOK_COLUMNS = (
    "name",
    "role",
    "role_name",
    "start",
    "hours_per_week",
    "plan_hours",
    "expected_hours",
    "done_hours",
    "behind_hours",
    "status",
    "role_skills_mastered",
    "role_skills_total",
    "skills_mastered",
    "quizzes_answered",
    "quizzes_correct",
    "exercise_steps_correct",
    "progress_file",
)
"""The gradebook CSV's header, in order."""

def csv_cell(value: object) -> str:
    """A cell as text (a float without a useless ``.0``), escaped by the one rule :func:`rolecourse._text.csv_safe`."""
    return csv_safe(f"{value:g}" if isinstance(value, float) else value)


def _skills(row: ClassRow) -> str:
    return ", ".join(f"{name} ({SkillLevel(level).label})" for _, name, level in row.mastered)


def gradebook_rows(view: ClassView) -> list[list[str]]:
    """The CSV's rows: the header, then one row per learner in roster order (cells escaped)."""
    rows = [list(GRADEBOOK_COLUMNS)]
    for r in view.rows:
        values: list[Any] = [
            r.name,
            r.role,
            r.role_name,
            r.start.isoformat(),
            float(r.hours_per_week),
            float(r.plan_hours),
            float(r.expected_hours),
            float(r.done_hours),
            float(r.behind_hours),
            r.status,
            r.role_skills_mastered,
            r.role_skills_total,
            _skills(r),
            r.answered,
            r.correct,
            r.steps_correct,
            Path(r.file).name if r.file else "",
        ]
        rows.append([csv_cell(v) for v in values])
    return rows


def gradebook_csv(view: ClassView) -> bytes:
    """The gradebook CSV as UTF-8 bytes (with a byte-order mark, so Excel reads the names right)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(gradebook_rows(view))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_gradebook(view: ClassView, path: str | os.PathLike[str]) -> Path:
    """Write :func:`gradebook_csv` to ``path`` atomically."""
    return write_output(path, gradebook_csv(view))


def render_class_view(view: ClassView) -> str:
    """Plain text: a head line, then per learner their role, hours against the plan, status and skills mastered."""
    rows = view.rows
    collected = sum(1 for r in rows if r.file is not None)
    lines = [f"{count(len(rows), 'learner')} on the roster, progress collected for {collected}, as of {view.today.isoformat()}"]
    if not rows:
        return "\n".join(lines)
    name_w = max(len(r.name) for r in rows)
    role_w = max(len(r.role_name) for r in rows)
    for r in rows:
        hours = f"{r.done_hours:g} of {r.expected_hours:g} h due ({r.plan_hours:g} h plan)"
        lines.append(f"{r.name:<{name_w}}  {r.role_name:<{role_w}}  {hours}  {r.status}")
        skills = _skills(r) or "none yet"
        lines.append(f"{'':<{name_w}}  key skills {r.role_skills_mastered}/{r.role_skills_total}; mastered: {skills}; quizzes {r.correct}/{r.answered} right")
    return "\n".join(lines)


def class_view_json(view: ClassView) -> dict[str, Any]:
    """The view as JSON-ready data (what ``progress cohort --roster … --json`` prints)."""
    return {
        "today": view.today.isoformat(),
        "files": view.files,
        "problems": list(view.problems),
        "learners": [
            {
                "line": r.line,
                "name": r.name,
                "role": r.role,
                "role_name": r.role_name,
                "start": r.start.isoformat(),
                "hours_per_week": r.hours_per_week,
                "plan_hours": r.plan_hours,
                "expected_hours": r.expected_hours,
                "done_hours": r.done_hours,
                "behind_hours": r.behind_hours,
                "status": r.status,
                "role_skills_mastered": r.role_skills_mastered,
                "role_skills_total": r.role_skills_total,
                "skills_mastered": [{"skill": sid, "name": name, "level": level} for sid, name, level in r.mastered],
                "quizzes_answered": r.answered,
                "quizzes_correct": r.correct,
                "exercise_steps_correct": r.steps_correct,
                "file": r.file,
            }
            for r in view.rows
        ],
    }
