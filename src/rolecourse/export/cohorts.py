"""Cohort mode's files: one study plan per learner of a roster, plus a summary and ``summary.csv``.

The summary is written in the format asked where it has one: ``summary.html`` (a printable
page) for html plans, ``summary.md`` for every other format. With ``calendar=True`` the
folder also gets ``summary.ics``: one all-day event per learner's start, milestone and end, so
an instructor sees the whole class's checkpoints in one calendar.

:mod:`rolecourse.planning.cohorts` reads the roster and plans every row; this module names
and writes the files. Learner names never choose where a file goes: each file's stem is
:func:`rolecourse._text.slug` of the name (ASCII letters and digits joined by ``-``), made
unique within the cohort, so no name can make a path outside ``out_dir``. Output is
byte-identical from run to run. Rows are streamed: planned, rendered and written one at a
time (the summary's rows wait in a temporary file), so memory stays flat for any class.
"""

from __future__ import annotations

import collections
import csv
import gc
import html
import io
import multiprocessing
import os
import signal
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .._gc import YoungCollector, paused_gc
from .._text import count, csv_safe
from ..content.model import Curriculum
from ..errors import RolecourseError, UsageError
from ..planning.cohorts import Memo, PlannedRow, Progress, RoleSummary, Roster, RowError, _Planner, _Row, iter_planned, iter_stems
from ..planning.plans import resolve_curriculum
from ..planning.pace import parse_date
from .files import FolderWriter, make_folder, os_error
from . import plans as _plans
from .plans import _ics_escape, _ics_fold, _uid, check_format, milestone_name, plan_encoder


SUMMARY_FILES = ("summary.md", "summary.csv")
"""The summary files written next to the plans (``summary.html`` instead of ``summary.md`` for html plans)."""

CALENDAR_FILE = "summary.ics"
"""The class calendar written with ``calendar=True``."""


def summary_files(fmt: str) -> tuple[str, str]:
    """The summary files of a cohort planned in ``fmt``: the summary in that format where it has one, and the CSV."""
    return ("summary.html" if fmt == "html" else SUMMARY_FILES[0], SUMMARY_FILES[1])


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
    summary_names: tuple[str, ...] = SUMMARY_FILES
    """The summary files written (see :func:`summary_files`), then ``summary.ics`` when a calendar was asked for."""

    def __post_init__(self) -> None:
        if self.planned < 0:
            object.__setattr__(self, "planned", len(self.learners))

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file written: the plans (when kept, see :attr:`learners`), then the summaries (and the class calendar)."""
        return (*(lp.file for lp in self.learners), *(self.out_dir / name for name in self.summary_names))

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
    calendar: bool = False,
    jobs: int = 1,
) -> CohortResult:
    """Plan every learner of ``roster_path`` into ``out_dir`` (created if needed).

    Writes ``<slug>.<fmt>`` per learner plus the summary (``summary.html`` for html plans,
    else ``summary.md``) and ``summary.csv``, and ``summary.ics`` (the class calendar) when ``calendar``. Rows that
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

    ``jobs`` above 1 plans, renders and writes the rows in that many worker processes
    (forked, where the system can fork; elsewhere the rows are done here), in batches handed
    out in roster order: stems, errors, the summary and every file's bytes are the same as
    with one job. ``jobs=0`` takes :func:`default_jobs` for the roster's length.
    """
    check_format(fmt)
    cur = resolve_curriculum(curriculum)
    default_start = parse_date(start) if start is not None else None
    shown = str(roster_path)
    roster = Roster(roster_path, shown)
    out = make_folder(out_dir)
    planner = _Planner(cur, default_start)
    total, done, planned = roster.total, 0, 0
    if jobs < 0:
        raise UsageError(f"expected a number of worker processes, 0 (automatic) or more, found {jobs}")
    jobs = jobs or default_jobs(total)
    learners: list[LearnerPlan] = []
    errors: list[RowError] = []
    weeks: dict[str, dict[int, int]] = {}
    try:
        writer = FolderWriter(out, protect=(Path(roster_path),))
    except OSError as exc:
        raise os_error(exc, "write", out) from None
    as_html = fmt == "html"
    summary_names = summary_files(fmt) + ((CALENDAR_FILE,) if calendar else ())
    row_writer = _RowWriter(cur, fmt, writer, calendar)
    young = YoungCollector()
    with writer, tempfile.SpooledTemporaryFile(max_size=1 << 20) as rows_md, tempfile.SpooledTemporaryFile(max_size=1 << 20) as events, paused_gc():
        if jobs > 1 and _can_fork():
            results = _in_workers(iter_stems(roster, planner), planner, row_writer, jobs)
        else:
            results = (item if isinstance(item, RowError) else row_writer(item) for item in iter_planned(roster, planner))
        for item in results:
            if isinstance(item, RowError):
                errors.append(item)
            else:
                line, learner, file_name, role, n_weeks, hours, end, row_events = item
                by_weeks = weeks.setdefault(role, {})
                by_weeks[n_weeks] = by_weeks.get(n_weeks, 0) + 1
                if as_html:
                    e = html.escape
                    cells = (str(line), e(learner), e(row_writer.names[role]), str(n_weeks), f"{hours:g}", end.isoformat(), f'<a href="{e(file_name)}">{e(file_name)}</a>')
                    rows_md.write(("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>\n").encode("utf-8"))
                else:
                    rows_md.write(f"| {line} | {_cell(learner)} | {row_writer.names[role]} | {n_weeks} | {hours:g} | {end.isoformat()} | {file_name} |\n".encode("utf-8"))
                if calendar:
                    events.write(row_events)
                planned += 1
                if keep_learners:
                    learners.append(LearnerPlan(line, learner, out, file_name, role, n_weeks, hours, end))
            young.tick()
            if progress is not None:
                done += 1
                progress(done, total)
        # The memos go now, while automatic collection is still paused: each object freed as it is let go, not all of
        # them scanned by the collection that resumes after this block (0.17 s for 10,000 learners in one process).
        del results, planner, row_writer
        summaries = tuple(
            RoleSummary(r.id, r.name, sum(weeks[r.id].values()), _median(weeks[r.id]), max(weeks[r.id])) for r in cur.roles if r.id in weeks
        )
        rows_md.seek(0)
        (_write_summary_html if as_html else _write_summary)(writer, shown, planned, rows_md, errors, summaries)
        if calendar:
            events.seek(0)
            _write_calendar(writer, shown, events)
    return CohortResult(shown, out, tuple(learners), tuple(errors), summaries, planned, summary_names)


_Written = tuple[int, str, str, str, int, float, date, bytes]
"""A row written: (line, learner, file name, role id, weeks, hours, end, its class-calendar events or ``b""``)."""


class _RowWriter:
    """Renders one planned row's plan, writes its file, and gives what the summary needs (a :data:`_Written`)."""

    def __init__(self, cur: Curriculum, fmt: str, writer: FolderWriter, calendar: bool) -> None:
        self.to_bytes = plan_encoder(fmt)
        self.writer = writer
        self.calendar = calendar
        self.ext = "." + fmt
        self.names = {r.id: _cell(r.name) for r in cur.roles}
        self.facts: Memo = Memo()

    def __call__(self, item: PlannedRow) -> _Written:
        plan = item.plan
        file_name = item.stem + self.ext
        self.writer.write(file_name, self.to_bytes(plan))
        schedule = plan.schedule
        known = self.facts.get(id(schedule))
        if known is None or known[0] is not schedule:
            known = self.facts.put(id(schedule), (schedule, plan.targets[0].id, plan.weeks, plan.path.total_hours, schedule.end))
        role, n_weeks, hours, end = known[1:]
        row_events = _learner_events(item.stem, plan, self.names[role]) if self.calendar else b""
        return item.line, plan.learner, file_name, role, n_weeks, hours, end, row_events


# ---------------------------------------------------------------- worker processes

BATCH_ROWS = 64
"""Rows handed to a worker process at a time."""

WORKER_ROWS = 5120
"""Rows a worker process plans, on average, before the workers are replaced by fresh ones (see :func:`_in_workers`):
about what each of two workers plans for a class of 10,000."""

PARALLEL_FROM_ROWS = 2000
"""Rosters shorter than this are planned in one process (:func:`default_jobs`): starting workers would cost more than it saves."""


def default_jobs(rows: int) -> int:
    """How many worker processes to plan a roster of ``rows`` rows with: the CPUs this process may use (at most 4), or 1 for a short roster."""
    if rows < PARALLEL_FROM_ROWS or not _can_fork():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


_worker: tuple[_Planner, _RowWriter] | None = None
"""The planner and row writer a forked worker inherits (set only while :func:`_in_workers` runs)."""


def _worker_started() -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent decides, and lets the
    # batches already handed out finish (each file is written atomically either way).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # As in the parent (see rolecourse._gc): collections would scan the memos again and again.
    gc.disable()


_young = YoungCollector()
"""A worker's young-generation collections (one per worker process)."""


def _work(batch: list[Any]) -> list[RowError | _Written] | tuple[str, str]:
    """Plan, render and write one batch of rows in a worker; a failure comes back as (its error type, its one-line message)."""
    if _worker is None:
        raise RuntimeError("a cohort worker started without its planner")
    planner, row_writer = _worker
    done: list[RowError | _Written] = []
    try:
        for item in batch:
            if isinstance(item, RowError):
                done.append(item)
                continue
            line, cells, stem, wired = item  # the parent parsed the row (see _wire)
            planned = planner.planned(_Row(line, cells), planner.from_wire(wired), stem)
            done.append(planned if isinstance(planned, RowError) else row_writer(planned))
        _young.tick(len(batch))
    except RolecourseError as exc:
        return ("usage" if isinstance(exc, UsageError) else "error", str(exc))
    return done


def _in_workers(items: Iterable[Any], planner: _Planner, row_writer: _RowWriter, jobs: int) -> Iterator[RowError | _Written]:
    """What the rows give, in roster order, planned and written by ``jobs`` forked worker processes.

    Batches of :data:`BATCH_ROWS` rows go out in order and at most two per worker are in
    flight, so neither the roster nor the results are ever held whole. A worker that fails
    to write stops the command with its one-line message, as one process would. Every
    :data:`WORKER_ROWS` rows a worker (``jobs * WORKER_ROWS`` rows in all) the workers are
    replaced by fresh ones, once the batches they hold are done. Their memos are bounded, but a
    worker's memory still grows for a long while as they fill and forget (what a process frees
    is seldom given back to the system), so without this a class of 100,000 took 27% more
    memory than one of 10,000; with it, 14-18% in the runs measured (``benchmarks/bench_plans.py``). The files
    are the same: what a worker remembers never changes what it writes.
    """
    global _worker
    _worker = (planner, row_writer)
    pool: ProcessPoolExecutor | None = None
    pending: collections.deque[Future[Any]] = collections.deque()
    try:
        batch: list[Any] = []
        handed = 0  # rows handed to the current workers
        for item in items:
            batch.append(item if isinstance(item, RowError) else _wire(planner, *item))
            if len(batch) < BATCH_ROWS:
                continue
            if pool is not None and handed >= jobs * WORKER_ROWS:
                while pending:  # the workers' last batches, in order, before they go
                    yield from _results(pending.popleft())
                pool.shutdown(wait=True)
                pool = None
            if pool is None:
                pool, handed = _pool(jobs), 0
            pending.append(pool.submit(_work, batch))
            handed += len(batch)
            batch = []
            if len(pending) >= 2 * jobs:
                yield from _results(pending.popleft())
        if batch:
            pool = pool or _pool(jobs)
            pending.append(pool.submit(_work, batch))
        while pending:
            yield from _results(pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        _worker = None


def _wire(planner: _Planner, row: _Row, parsed: tuple[Any, ...], stem: str) -> tuple[Any, ...]:
    """A parsed row as a worker gets it: line, cells, stem and the cells as parsed (:meth:`_Planner.to_wire`: a worker
    does not parse the row again; :func:`_work` takes it back with :meth:`_Planner.from_wire`)."""
    return (row.line, row.cells, stem, planner.to_wire(parsed))


def _pool(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` worker processes, forked from this one (they inherit :data:`_worker`)."""
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_worker_started)


def _results(job: Future[Any]) -> list[RowError | _Written]:
    try:
        done = job.result()
    except BrokenProcessPool:
        raise RolecourseError("a worker process stopped unexpectedly (out of memory?); run again with --jobs 1") from None
    if isinstance(done, tuple):
        raise (UsageError if done[0] == "usage" else RolecourseError)(done[1])
    return done


def _event(uid_parts: tuple[str, ...], day: date, summary: str, description: str) -> bytes:
    ymd, nxt = day.strftime("%Y%m%d"), (day + timedelta(days=1)).strftime("%Y%m%d")
    lines = [
        b"BEGIN:VEVENT",
        _ics_fold(("SUMMARY:" + _ics_escape(summary)).encode("utf-8")),
        f"DTSTART;VALUE=DATE:{ymd}".encode("ascii"),
        f"DTEND;VALUE=DATE:{nxt}".encode("ascii"),
        f"DTSTAMP:{ymd}T000000Z".encode("ascii"),
        ("UID:" + _uid(*uid_parts)).encode("ascii"),
        _ics_fold(("DESCRIPTION:" + _ics_escape(description)).encode("utf-8")),
        b"TRANSP:TRANSPARENT",
        b"END:VEVENT",
    ]
    return b"\r\n".join(lines) + b"\r\n"


def _learner_events(stem: str, plan: Any, role_name: str) -> bytes:
    """A learner's start, milestones and end as all-day events of the class calendar."""
    schedule = plan.schedule
    who = plan.learner or stem
    plan_text = f"{role_name}: {plan.weeks} weeks, {plan.path.total_hours:g} h of study ({stem})"
    chunks = [_event(("class", stem, "start"), schedule.start, f"{who}: starts {role_name}", plan_text)]
    links = _plans.lesson_links()  # each skill's checkpoint names its lesson (looked up where the plan exports look)
    for n, ms in enumerate(schedule.milestones):
        name = milestone_name(ms, links)
        chunks.append(_event(("class", stem, "milestone", str(n), name), ms.date, f"{who}: {name}", f"Checkpoint in week {ms.week}. {plan_text}"))
    chunks.append(_event(("class", stem, "end"), schedule.end, f"{who}: plan ends ({role_name})", plan_text))
    return b"".join(chunks)


def _write_calendar(writer: FolderWriter, roster: str, events: IO[bytes]) -> None:
    head = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rolecourse//class calendar//EN\r\nCALSCALE:GREGORIAN\r\n"
    head += _ics_fold(("X-WR-CALNAME:" + _ics_escape(f"Class: {Path(roster).name}")).encode("utf-8")) + b"\r\n"
    writer.write(CALENDAR_FILE, [head, *iter(lambda: events.read(1 << 16), b""), b"END:VCALENDAR\r\n"])


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
    _write_summary_csv(writer, summaries)


_SUMMARY_CSS = """body{font:11pt/1.45 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#111}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}
td:nth-child(n+4){text-align:right}@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}"""


def _write_summary_html(writer: FolderWriter, roster: str, planned: int, rows: IO[bytes], errors: list[RowError], summaries: tuple[RoleSummary, ...]) -> None:
    """``summary.html``: the same content as ``summary.md``, as one printable page linking each plan."""
    e = html.escape
    title = f"Cohort summary: {Path(roster).name}"
    head = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">', f"<title>{e(title)}</title>", f"<style>{_SUMMARY_CSS}</style>", "</head>", "<body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{count(planned, 'learner')} planned, {count(len(errors), 'row')} with errors.</p>",
        "<h2>By role</h2>", "<table>", "<thead><tr><th>Role</th><th>Learners</th><th>Median weeks</th><th>Longest weeks</th></tr></thead>", "<tbody>",
    ]
    head += [f"<tr><td>{e(s.name)}</td><td>{s.learners}</td><td>{s.median_weeks:g}</td><td>{s.longest_weeks}</td></tr>" for s in summaries]
    head += ["</tbody>", "</table>", "<h2>Learners</h2>", "<table>", "<thead><tr><th>Line</th><th>Name</th><th>Role</th><th>Weeks</th><th>Hours</th><th>End</th><th>Plan</th></tr></thead>", "<tbody>", ""]
    tail = ["</tbody>", "</table>"]
    if errors:
        tail += ["<h2>Rows with errors</h2>", "<ul>"] + [f"<li>line {err.line}: {e(err.message)}</li>" for err in errors] + ["</ul>"]
    tail += ["</body>", "</html>", ""]
    writer.write("summary.html", ["\n".join(head).encode("utf-8"), *iter(lambda: rows.read(1 << 16), b""), "\n".join(tail).encode("utf-8")])
    _write_summary_csv(writer, summaries)


def _write_summary_csv(writer: FolderWriter, summaries: tuple[RoleSummary, ...]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["role", "role_name", "learners", "median_weeks", "longest_weeks"])
    for s in summaries:
        w.writerow([csv_safe(s.role), csv_safe(s.name), s.learners, f"{s.median_weeks:g}", s.longest_weeks])
    writer.write(SUMMARY_FILES[1], buf.getvalue().encode("utf-8"))
