"""Cohort mode: a class roster (CSV) in, one study plan per learner and a summary out.

The roster is UTF-8 CSV (a byte-order mark is fine) with a header row naming the columns
``name,role,known,hours_per_week,start`` in any order, any case:

* ``name`` — the learner's name (it only names the output file, through :func:`safe_slug`);
* ``role`` — the target role, by id or name;
* ``known`` — ``;``-separated ``skill[:level]`` (a bare skill means level 3), may be empty;
* ``hours_per_week`` — a number in (0, 80]; an empty cell means 10;
* ``start`` — optional column and value, ``YYYY-MM-DD``; when empty, the ``start`` argument
  is used, else today's date.

A bad row is reported as ``ROSTER.csv:LINE: message`` and every other row is still planned.
A file-level problem (not UTF-8, empty, no header, missing or unknown column) raises
:class:`~rolecourse.errors.ContentError`. Output is byte-identical from run to run.

Learner names never choose where a file goes: :func:`safe_slug` keeps ASCII letters and
digits (after NFKD transliteration), so no name can make a path outside ``out_dir``.
Pure results are memoised within one run: the path of every learner with the same role and
known skills is computed once, its week layout once per pace, the schedule once per (path,
hours, start), and for JSON the learner-independent part of the text once per schedule.
Every learner still gets a plan made from their own row and a file of their own.
"""

from __future__ import annotations

import csv
import io
import os
import re
import statistics
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from ..export.files import make_folder, os_error
from .._text import count
from ..errors import ContentError, Problem, RolecourseError, UnknownNameError, UsageError
from ..content.model import Curriculum, Role
from .paths import LearningPath, learning_path, parse_known
from ..export.plans import JsonRenderer, check_format, render
from .plans import StudyPlan, resolve_curriculum
from .schedule import Layouts, Schedule, build_schedule, parse_date

COLUMNS = ("name", "role", "known", "hours_per_week", "start")
"""Roster columns, in the documented order."""

REQUIRED_COLUMNS = ("name", "role", "known", "hours_per_week")
"""Columns a roster must have (``start`` may be left out)."""

DEFAULT_HOURS_PER_WEEK = 10.0
"""Hours a week for a row whose ``hours_per_week`` cell is empty."""

MAX_SLUG_LENGTH = 60
"""The longest file-name stem a learner's name becomes."""

WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))})
"""File names Windows refuses, whatever the extension."""

SUMMARY_FILES = ("summary.md", "summary.csv")
"""The summary files written next to the plans."""

RESERVED_STEMS = frozenset({"summary"})
"""Stems the cohort writes itself (``summary.md``, ``summary.csv``)."""

_SAFE_STEM = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""What every file-name stem looks like: no dot, slash or backslash, so it stays in the folder."""

_SLUG_WORD = re.compile(r"[a-z0-9]+")
"""The runs of characters a file-name stem keeps (joined by ``-``)."""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each roster row."""


@dataclass(frozen=True, slots=True)
class RowError:
    """A roster row that could not be planned."""

    line: int
    """1-based line of the row in the roster file."""
    message: str
    """What is wrong with it."""


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
class RoleSummary:
    """The learners aiming at one role."""

    role: str
    """Role id."""
    name: str
    """Role display name."""
    learners: int
    """How many learners aim at it."""
    median_weeks: float
    """Median plan length in weeks."""
    longest_weeks: int
    """Longest plan length in weeks."""


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

    def error_lines(self) -> list[str]:
        """The row errors as ``ROSTER.csv:LINE: message``."""
        return [f"{self.roster}:{e.line}: {e.message}" for e in self.errors]


def safe_slug(name: str, line: int, taken: set[str]) -> str:
    """A file-name stem for ``name`` that is safe on every system and not yet in ``taken``.

    Transliterates to ASCII (NFKD, accents dropped), keeps letters and digits joined by
    ``-``, lower case, at most :data:`MAX_SLUG_LENGTH` characters. Empty results (``../``,
    ``///``, a name in another script) become ``learner-<line>``; Windows-reserved names
    (``CON``, ``LPT1``…) and ``summary`` get ``-learner`` appended; a stem already taken
    gets ``-2``, ``-3``… The stem is added to ``taken``.
    """
    ascii_text = name if name.isascii() else unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = "-".join(_SLUG_WORD.findall(ascii_text.lower()))[:MAX_SLUG_LENGTH].rstrip("-")
    if not slug:
        slug = f"learner-{line}"
    if slug in WINDOWS_RESERVED or slug in RESERVED_STEMS:
        slug = f"{slug}-learner"
    stem, n = slug, 2
    while stem in taken:
        stem = f"{slug}-{n}"
        n += 1
    taken.add(stem)
    return stem


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: dict[str, str]


def read_roster(path: str | Path, display: str | None = None) -> list[_Row]:
    """Read the roster's rows (with their line numbers); file-level problems raise ContentError."""
    shown = display or str(path)

    def fail(line: int, message: str, field: str = "") -> ContentError:
        return ContentError([Problem(shown, line, 1, field, message)])

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read roster {shown!r}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(line, f"expected UTF-8 text, found the byte 0x{raw[exc.start]:02x}; save the roster as CSV UTF-8") from None
    if not text.strip():
        raise fail(1, f"expected a header row ({','.join(COLUMNS)}), found an empty file")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[_Row] = []
    last = 0
    try:
        for cells in reader:
            line = last + 1
            last = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip().lower() for c in cells]
                _check_header(header, line, fail)
                continue
            if len(cells) > len(header):
                rows.append(_Row(line, {"__error__": f"expected {len(header)} cells, found {len(cells)}"}))
                continue
            if len(cells) == 1 < len(header) and ";" in cells[0]:  # a row saved with another separator
                rows.append(_Row(line, {"__error__": f"expected {len(header)} cells separated by commas, found 1 cell with ';' in it; save the roster as CSV with commas"}))
                continue
            rows.append(_Row(line, dict(zip(header, map(str.strip, cells)))))
    except csv.Error as exc:
        raise fail(reader.line_num, f"expected CSV, found {exc}") from None
    return rows


def _check_header(header: list[str], line: int, fail: Callable[..., ContentError]) -> None:
    if len(header) == 1 and ";" in header[0]:
        raise fail(line, f"expected the header {','.join(COLUMNS)} separated by commas, found {header[0]!r}; save the roster as CSV with commas", "header")
    for col in header:
        if col not in COLUMNS:
            hint = UnknownNameError("column", col, COLUMNS)
            raise fail(line, f"{hint}; expected the header {','.join(COLUMNS)}", "header")
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise fail(line, f"expected each column once, found {', '.join(dupes)} twice", "header")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise fail(line, f"expected the columns {','.join(COLUMNS)} (start optional), missing {', '.join(missing)}", "header")


class _Planner:
    """Plans rows, computing each path, week layout and schedule once.

    A row whose (role, known, hours, start) cells were seen before costs one dictionary
    look-up; otherwise each cell is parsed (memoised by its text) and the path, layout and
    schedule are computed unless an equivalent row (``Data Scientist`` for
    ``data-scientist``, the same skills in another order) already did. Every learner still
    gets a plan of their own. Rows with an error are never memoised.
    """

    def __init__(self, curriculum: Curriculum, default_start: date | None) -> None:
        self.curriculum = curriculum
        self.default_start = default_start
        self.roles: dict[str, Role] = {}
        self.known: dict[str, tuple[dict[str, int], tuple[tuple[str, int], ...]]] = {}
        self.hours: dict[str, float] = {}
        self.starts: dict[str, date] = {}
        self.paths: dict[tuple[str, tuple[tuple[str, int], ...]], LearningPath] = {}
        self.layouts: Layouts = {}
        self.schedules: dict[tuple[object, ...], Schedule] = {}
        self.by_text: dict[tuple[str, str, str, str], tuple[tuple[Role], LearningPath, Schedule]] = {}

    def plan(self, row: _Row) -> StudyPlan:
        cells = row.cells
        if "__error__" in cells:
            raise UsageError(cells["__error__"])
        get = cells.get
        raw = (get("role", ""), get("known", ""), get("hours_per_week", ""), get("start", ""))
        found = self.by_text.get(raw)
        if found is None:
            found = self.by_text[raw] = self._plan_cells(cells)
        return StudyPlan(found[0], None, found[1], found[2], get("name", ""), self.curriculum.title)

    def _plan_cells(self, cells: dict[str, str]) -> tuple[tuple[Role], LearningPath, Schedule]:
        """The target, path and schedule for a row's cells (raises UsageError for a bad cell)."""
        cur = self.curriculum
        role_text = cells.get("role", "")
        role = self.roles.get(role_text)
        if role is None:
            if not role_text:
                raise UsageError("role is empty")
            role = self.roles[role_text] = cur.role(role_text)
        known_text = cells.get("known", "")
        known = self.known.get(known_text)
        if known is None:
            parsed = parse_known(known_text, cur, separator=";")
            known = self.known[known_text] = (parsed, tuple(sorted(parsed.items())))
        hours_text = cells.get("hours_per_week", "")
        hours = self.hours.get(hours_text)
        if hours is None:
            try:
                hours = float(hours_text) if hours_text else DEFAULT_HOURS_PER_WEEK
            except ValueError:
                raise UsageError(f"hours_per_week must be a number, found {hours_text!r}") from None
            self.hours[hours_text] = hours
        start_text = cells.get("start", "")
        if start_text:
            start = self.starts.get(start_text)
            if start is None:
                start = self.starts[start_text] = parse_date(start_text)
        else:
            start = self.default_start or date.today()
        key = (role.id, known[1])
        path = self.paths.get(key)
        if path is None:
            path = self.paths[key] = learning_path(cur, role, known=known[0])
        skey = (key, hours, start)
        schedule = self.schedules.get(skey)
        if schedule is None:
            schedule = self.schedules[skey] = build_schedule(path, cur, hours_per_week=hours, start=start, layouts=self.layouts)
        return (role,), path, schedule


_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
"""Flags for writing a plan file: create or truncate, bytes as they are (no newline translation)."""


def _write_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` with one open and as few writes as the system allows."""
    fd = os.open(path, _OPEN_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


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

    plans, learners, errors = _plan_rows(rows, planner, out, fmt, tick)
    file_name = ""
    try:
        for file_name, data in _render_files(plans, learners, fmt):
            _write_file(prefix + file_name, data)
            tick()
        summaries = _summaries(cur, learners)
        file_name = SUMMARY_FILES[0]
        _write_summary(out, shown, cur, learners, errors, summaries)
    except OSError as exc:
        raise os_error(exc, "write", exc.filename if exc.filename is not None else prefix + file_name) from None
    return CohortResult(shown, out, tuple(learners), tuple(errors), summaries)


def _plan_rows(rows: list[_Row], planner: _Planner, folder: Path, fmt: str, on_error: Callable[[], None]) -> tuple[list[StudyPlan], list[LearnerPlan], list[RowError]]:
    """Plan every row in roster order (which fixes the file names); ``on_error()`` after each bad row."""
    taken: set[str] = set()
    plans: list[StudyPlan] = []
    learners: list[LearnerPlan] = []
    errors: list[RowError] = []
    facts: dict[int, tuple[str, int, float, date]] = {}  # per schedule (kept alive by the planner)
    for row in rows:
        try:
            plan = planner.plan(row)
        except RolecourseError as exc:
            errors.append(RowError(row.line, str(exc)))
        else:
            stem = safe_slug(plan.learner, row.line, taken)
            if _SAFE_STEM.fullmatch(stem):  # always true for safe_slug's stems; never write outside
                known = facts.get(id(plan.schedule))
                if known is None:
                    known = facts[id(plan.schedule)] = (plan.targets[0].id, plan.weeks, plan.path.total_hours, plan.schedule.end)
                plans.append(plan)
                learners.append(LearnerPlan(row.line, plan.learner, folder, f"{stem}.{fmt}", *known))
                continue
            errors.append(RowError(row.line, f"refusing to write a file named {stem!r}"))
        on_error()
    return plans, learners, errors


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


def _summaries(cur: Curriculum, learners: list[LearnerPlan]) -> tuple[RoleSummary, ...]:
    by_role: dict[str, list[int]] = {}
    for lp in learners:
        by_role.setdefault(lp.role, []).append(lp.weeks)
    return tuple(
        RoleSummary(r.id, r.name, len(by_role[r.id]), float(statistics.median(by_role[r.id])), max(by_role[r.id]))
        for r in cur.roles
        if r.id in by_role
    )


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
    md_path.write_bytes(("\n".join(md) + "\n").encode("utf-8"))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["role", "role_name", "learners", "median_weeks", "longest_weeks"])
    for s in summaries:
        w.writerow([s.role, s.name, s.learners, f"{s.median_weeks:g}", s.longest_weeks])
    csv_path = out / SUMMARY_FILES[1]
    csv_path.write_bytes(buf.getvalue().encode("utf-8"))
