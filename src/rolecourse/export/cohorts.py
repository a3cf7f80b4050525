"""Cohort mode's files: one study plan per learner of a roster, plus ``summary.md`` and ``summary.csv``.

:mod:`rolecourse.planning.cohorts` reads the roster and plans every row; this module names
and writes the files. Learner names never choose where a file goes: each file's stem is
:func:`rolecourse._text.slug` of the name (ASCII letters and digits joined by ``-``), made
unique within the cohort, so no name can make a path outside ``out_dir``. Output is
byte-identical from run to run. Rows are streamed: planned, rendered and written one at a
time (the summary's rows wait in a temporary file), so memory stays flat for any class.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from .._text import count
from ..content.model import Curriculum
from ..planning.cohorts import Memo, Progress, RoleSummary, Roster, RowError, _Planner, iter_planned
from ..planning.plans import resolve_curriculum
from ..planning.schedule import parse_date
from .files import FolderWriter, make_folder, os_error
from .plans import check_format, plan_encoder


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
    """One entry per planned learner, in roster order (empty when ``cohort(..., keep_learners=False)``)."""
    errors: tuple[RowError, ...]
    """Rows that failed, in roster order."""
    summaries: tuple[RoleSummary, ...]
    """Per role (curriculum order), for the planned learners."""
    planned: int = -1
    """How many learners were planned (``len(learners)`` unless they were not kept)."""

    def __post_init__(self) -> None:
        if self.planned < 0:
            object.__setattr__(self, "planned", len(self.learners))

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file written: the plans (when kept, see :attr:`learners`), then ``summary.md`` and ``summary.csv``."""
        return (*(lp.file for lp in self.learners), *(self.out_dir / name for name in SUMMARY_FILES))

    @property
    def ok(self) -> bool:
        """True when every row was planned."""
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """What was written, as JSON-ready data (what ``rolecourse cohort --json`` prints)."""
        return {
            "out_dir": str(self.out_dir),
            "planned": self.planned,
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
    keep_learners: bool = True,
) -> CohortResult:
    """Plan every learner of ``roster_path`` into ``out_dir`` (created if needed).

    Writes ``<slug>.<fmt>`` per learner plus ``summary.md`` and ``summary.csv``. Rows that
    fail are collected in :attr:`CohortResult.errors` (the others are still written).
    ``start`` is the date for rows without one (default: today). ``progress(done, total)``
    is called once per row, in roster order, once it is planned and its file written.

    The roster is checked whole first (a file-level problem raises before anything is
    written), then streamed: each row is planned, rendered and written before the next is
    read, and only what the summary needs is kept, so memory does not grow with the class.
    With ``keep_learners=False`` the result's :attr:`~CohortResult.learners` is empty (its
    :attr:`~CohortResult.planned` still counts them): what the command does for a class of
    any size. Every file is written atomically inside ``out_dir`` (see
    :class:`~rolecourse.export.files.FolderWriter`).
    """
    check_format(fmt)
    cur = resolve_curriculum(curriculum)
    default_start = parse_date(start) if start is not None else None
    shown = str(roster_path)
    roster = Roster(roster_path, shown)
    out = make_folder(out_dir)
    planner = _Planner(cur, default_start)
    to_bytes = plan_encoder(fmt)
    total, done, planned = roster.total, 0, 0
    learners: list[LearnerPlan] = []
    errors: list[RowError] = []
    weeks: dict[str, dict[int, int]] = {}
    names = {r.id: _cell(r.name) for r in cur.roles}
    facts: Memo = Memo()
    ext = "." + fmt
    try:
        writer = FolderWriter(out, protect=(Path(roster_path),))
    except OSError as exc:
        raise os_error(exc, "write", out) from None
    with writer, tempfile.SpooledTemporaryFile(max_size=1 << 20) as rows_md:
        for item in iter_planned(roster, planner):
            if isinstance(item, RowError):
                errors.append(item)
            else:
                plan = item.plan
                file_name = item.stem + ext
                writer.write(file_name, to_bytes(plan))
                schedule = plan.schedule
                known = facts.get(id(schedule))
                if known is None or known[0] is not schedule:
                    known = facts.put(id(schedule), (schedule, plan.targets[0].id, plan.weeks, plan.path.total_hours, schedule.end))
                role, n_weeks, hours, end = known[1:]
                by_weeks = weeks.setdefault(role, {})
                by_weeks[n_weeks] = by_weeks.get(n_weeks, 0) + 1
                rows_md.write(f"| {item.line} | {_cell(plan.learner)} | {names[role]} | {n_weeks} | {hours:g} | {end.isoformat()} | {file_name} |\n".encode("utf-8"))
                planned += 1
                if keep_learners:
                    learners.append(LearnerPlan(item.line, plan.learner, out, file_name, role, n_weeks, hours, end))
            if progress is not None:
                done += 1
                progress(done, total)
        summaries = tuple(
            RoleSummary(r.id, r.name, sum(weeks[r.id].values()), _median(weeks[r.id]), max(weeks[r.id])) for r in cur.roles if r.id in weeks
        )
        rows_md.seek(0)
        _write_summary(writer, shown, planned, rows_md, errors, summaries)
    return CohortResult(shown, out, tuple(learners), tuple(errors), summaries, planned)


def _median(counts: dict[int, int]) -> float:
    """The median of the values counted in ``counts`` (value → how many), as :func:`statistics.median` gives it."""
    n = sum(counts.values())
    ordered = sorted(counts)
    def nth(i: int) -> int:
        for value in ordered:
            i -= counts[value]
            if i < 0:
                return value
        raise IndexError(i)  # pragma: no cover - i < n
    if n % 2:
        return float(nth(n // 2))
    return float((nth(n // 2 - 1) + nth(n // 2)) / 2)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _write_summary(writer: FolderWriter, roster: str, planned: int, rows_md: IO[bytes], errors: list[RowError], summaries: tuple[RoleSummary, ...]) -> None:
    cell = _cell
    md = [f"# Cohort summary: {cell(Path(roster).name)}", ""]
    md.append(f"{count(planned, 'learner')} planned, {count(len(errors), 'row')} with errors.")
    md += ["", "## By role", "", "| Role | Learners | Median weeks | Longest weeks |", "|---|---:|---:|---:|"]
    md += [f"| {cell(s.name)} | {s.learners} | {s.median_weeks:g} | {s.longest_weeks} |" for s in summaries]
    md += ["", "## Learners", "", "| Line | Name | Role | Weeks | Hours | End | Plan |", "|---:|---|---|---:|---:|---|---|", ""]
    tail = []
    if errors:
        tail += ["", "## Rows with errors", ""]
        tail += [f"- line {e.line}: {cell(e.message)}" for e in errors]
    chunks = [("\n".join(md)).encode("utf-8"), *iter(lambda: rows_md.read(1 << 16), b"")]
    if tail:
        chunks.append(("\n".join(tail) + "\n").encode("utf-8"))
    writer.write(SUMMARY_FILES[0], chunks)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["role", "role_name", "learners", "median_weeks", "longest_weeks"])
    for s in summaries:
        w.writerow([s.role, s.name, s.learners, f"{s.median_weeks:g}", s.longest_weeks])
    writer.write(SUMMARY_FILES[1], buf.getvalue().encode("utf-8"))
