"""Cohort mode's files: one study plan per learner of a roster, plus ``summary.md`` and ``summary.csv``.

:mod:`rolecourse.planning.cohorts` reads the roster and plans every row; this module names
and writes the files. Learner names never choose where a file goes: each file's stem is
:func:`rolecourse._text.slug` of the name (ASCII letters and digits joined by ``-``), made
unique within the cohort, so no name can make a path outside ``out_dir``. Output is
byte-identical from run to run; for JSON, the learner-independent part of the text is
encoded once per schedule.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from .._text import count
from ..content.model import Curriculum
from ..planning.cohorts import PlannedRow, Progress, RoleSummary, RowError, _Planner, plan_rows, read_roster, role_summaries
from ..planning.plans import StudyPlan, resolve_curriculum
from ..planning.schedule import parse_date
from .files import make_folder, os_error, write_file
from .plans import JsonRenderer, check_format, render


SUMMARY_FILES = ("summary.md", "summary.csv")
"""The summary files written next to the plans."""


@dataclass(frozen=True, slots=True)
class LearnerPlan:
    """What was written for one learner."""

    line: int
    """1-based line of the learner's row."""
    name: str
    """The learner's name as in the roster."""
    folder: Path
    """The output folder (shared by every learner of the cohort)."""
    file_name: str
    """Name of the plan file in ``folder`` (a safe stem and the format's extension)."""
    role: str
    """Id of the target role."""
    weeks: int
    """Weeks the plan lasts."""
    hours: float
    """Hours of study on the path."""
    end: date
    """The plan's end date."""

    @property
    def file(self) -> Path:
        """The plan file written (inside the output folder)."""
        return self.folder / self.file_name


@dataclass(frozen=True, slots=True)
class CohortResult:
    """The outcome of planning a cohort."""

    roster: str
    """The roster file as named."""
    out_dir: Path
    """The folder written to."""
    learners: tuple[LearnerPlan, ...]
    """One entry per planned learner, in roster order."""
    errors: tuple[RowError, ...]
    """Rows that failed, in roster order."""
    summaries: tuple[RoleSummary, ...]
    """Per role (curriculum order), for the planned learners."""

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file written: the plans, then ``summary.md`` and ``summary.csv``."""
        return (*(lp.file for lp in self.learners), *(self.out_dir / name for name in SUMMARY_FILES))

    @property
    def ok(self) -> bool:
        """True when every row was planned."""
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """What was written, as JSON-ready data (what ``rolecourse cohort --json`` prints)."""
        return {
            "out_dir": str(self.out_dir),
            "planned": len(self.learners),
            "errors": [{"line": e.line, "message": e.message} for e in self.errors],
            "summary": [{"role": s.role, "learners": s.learners, "median_weeks": s.median_weeks, "longest_weeks": s.longest_weeks} for s in self.summaries],
        }

    def error_lines(self) -> list[str]:
        """The row errors as ``ROSTER.csv:LINE: message``."""
        return [f"{self.roster}:{e.line}: {e.message}" for e in self.errors]


def cohort(
    roster_path: str | Path,
    out_dir: str | Path,
    *,
    fmt: str = "md",
    curriculum: Curriculum | str | None = None,
    start: date | str | None = None,
    progress: Progress | None = None,
) -> CohortResult:
    """Plan every learner of ``roster_path`` into ``out_dir`` (created if needed).

    Writes ``<slug>.<fmt>`` per learner plus ``summary.md`` and ``summary.csv``. Rows that
    fail are collected in :attr:`CohortResult.errors` (the others are still written).
    ``start`` is the date for rows without one (default: today). ``progress(done, total)``
    is called once per row: for a bad row when it is read, for a learner when their file
    is written.

    Every row is planned first (in roster order, which fixes file names and the order of
    the result); then the files are written, learners sharing a schedule one after the
    other, so for JSON the text they share is encoded once and only one such text is held
    at a time.
    """
    check_format(fmt)
    cur = resolve_curriculum(curriculum)
    default_start = parse_date(start) if start is not None else None
    shown = str(roster_path)
    rows = read_roster(roster_path, shown)
    out = make_folder(out_dir)
    planner = _Planner(cur, default_start)
    prefix = str(out) + os.sep
    total, done = len(rows), 0

    def tick() -> None:
        nonlocal done
        if progress is not None:
            done += 1
            progress(done, total)

    planned, errors = plan_rows(rows, planner, tick)
    plans = [row.plan for row in planned]
    learners = _learner_files(planned, out, fmt)
    file_name = ""
    try:
        for file_name, data in _render_files(plans, learners, fmt):
            write_file(prefix + file_name, data)
            tick()
        summaries = role_summaries(cur, ((lp.role, lp.weeks) for lp in learners))
        file_name = SUMMARY_FILES[0]
        _write_summary(out, shown, cur, learners, errors, summaries)
    except OSError as exc:
        raise os_error(exc, "write", exc.filename if exc.filename is not None else prefix + file_name) from None
    return CohortResult(shown, out, tuple(learners), tuple(errors), summaries)


def _learner_files(planned: list[PlannedRow], folder: Path, fmt: str) -> list[LearnerPlan]:
    """What each planned learner's file will be (facts computed once per schedule)."""
    facts: dict[int, tuple[str, int, float, date]] = {}
    learners = []
    for row in planned:
        plan = row.plan
        known = facts.get(id(plan.schedule))
        if known is None:
            known = facts[id(plan.schedule)] = (plan.targets[0].id, plan.weeks, plan.path.total_hours, plan.schedule.end)
        learners.append(LearnerPlan(row.line, plan.learner, folder, f"{row.stem}.{fmt}", *known))
    return learners


def _render_files(plans: list[StudyPlan], learners: list[LearnerPlan], fmt: str) -> Iterator[tuple[str, bytes]]:
    """``(file name, bytes)`` for each learner.

    For JSON, learners sharing a schedule come one after the other: the text they share
    is encoded once, and only one such text is held at a time.
    """
    if fmt != "json":
        for plan, lp in zip(plans, learners):
            yield lp.file_name, render(plan, fmt).encode("utf-8")
        return
    by_schedule: dict[int, list[int]] = {}
    for i, plan in enumerate(plans):
        by_schedule.setdefault(id(plan.schedule), []).append(i)
    renderer = JsonRenderer()
    for group in by_schedule.values():
        body = renderer.body(plans[group[0]]).encode("utf-8")
        for i in group:
            yield learners[i].file_name, renderer.head(plans[i]).encode("utf-8") + body


def _write_summary(out: Path, roster: str, cur: Curriculum, learners: list[LearnerPlan], errors: list[RowError], summaries: tuple[RoleSummary, ...]) -> None:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    md = [f"# Cohort summary: {cell(Path(roster).name)}", ""]
    md.append(f"{count(len(learners), 'learner')} planned, {count(len(errors), 'row')} with errors.")
    md += ["", "## By role", "", "| Role | Learners | Median weeks | Longest weeks |", "|---|---:|---:|---:|"]
    md += [f"| {cell(s.name)} | {s.learners} | {s.median_weeks:g} | {s.longest_weeks} |" for s in summaries]
    md += ["", "## Learners", "", "| Line | Name | Role | Weeks | Hours | End | Plan |", "|---:|---|---|---:|---:|---|---|"]
    names = {r.id: r.name for r in cur.roles}
    md += [f"| {lp.line} | {cell(lp.name)} | {cell(names[lp.role])} | {lp.weeks} | {lp.hours:g} | {lp.end.isoformat()} | {lp.file_name} |" for lp in learners]
    if errors:
        md += ["", "## Rows with errors", ""]
        md += [f"- line {e.line}: {cell(e.message)}" for e in errors]
    md_path = out / SUMMARY_FILES[0]
    write_file(md_path, ("\n".join(md) + "\n").encode("utf-8"))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["role", "role_name", "learners", "median_weeks", "longest_weeks"])
    for s in summaries:
        w.writerow([s.role, s.name, s.learners, f"{s.median_weeks:g}", s.longest_weeks])
    csv_path = out / SUMMARY_FILES[1]
    write_file(csv_path, buf.getvalue().encode("utf-8"))
