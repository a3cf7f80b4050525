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
known skills is computed once, the schedule once per (path, hours, start), and for JSON the
learner-independent part of the text once per schedule. Every learner still gets their own file.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from .errors import ContentError, Problem, RolecourseError, UnknownNameError, UsageError
from .model import Curriculum
from .paths import LearningPath, learning_path, parse_known
from .plan_export import check_format, json_body, render, to_json
from .plans import StudyPlan, resolve_curriculum
from .schedule import Schedule, build_schedule, parse_date

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

RESERVED_STEMS = frozenset({"summary"})
"""Stems the cohort writes itself (``summary.md``, ``summary.csv``)."""

_SAFE_STEM = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""What every file-name stem looks like: no dot, slash or backslash, so it stays in the folder."""

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
    file: Path
    """The plan file written (inside the output folder)."""
    role: str
    """Id of the target role."""
    weeks: int
    """Weeks the plan lasts."""
    hours: float
    """Hours of study on the path."""
    end: date
    """The plan's end date."""


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
    files: tuple[Path, ...]
    """Every file written: the plans, then ``summary.md`` and ``summary.csv``."""

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
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_SLUG_LENGTH].rstrip("-")
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
            rows.append(_Row(line, {k: v.strip() for k, v in zip(header, cells)}))
    except csv.Error as exc:
        raise fail(reader.line_num, f"expected CSV, found {exc}") from None
    return rows


def _check_header(header: list[str], line: int, fail: Callable[..., ContentError]) -> None:
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
    """Plans rows, computing each (role, known) path once."""

    def __init__(self, curriculum: Curriculum, default_start: date | None) -> None:
        self.curriculum = curriculum
        self.default_start = default_start
        self.paths: dict[tuple[str, tuple[tuple[str, int], ...]], LearningPath] = {}
        self.known_cache: dict[str, dict[str, int]] = {}
        self.schedules: dict[tuple[object, ...], Schedule] = {}
        self.json_bodies: dict[int, str] = {}

    def plan(self, row: _Row) -> StudyPlan:
        if "__error__" in row.cells:
            raise UsageError(row.cells["__error__"])
        cur = self.curriculum
        role_text = row.cells.get("role", "")
        if not role_text:
            raise UsageError("role is empty")
        role = cur.role(role_text)
        known_text = row.cells.get("known", "")
        known = self.known_cache.get(known_text)
        if known is None:
            known = parse_known(known_text, cur, separator=";")
            self.known_cache[known_text] = known
        hours_text = row.cells.get("hours_per_week", "")
        try:
            hours = float(hours_text) if hours_text else DEFAULT_HOURS_PER_WEEK
        except ValueError:
            raise UsageError(f"hours_per_week must be a number, found {hours_text!r}") from None
        start_text = row.cells.get("start", "")
        start = parse_date(start_text) if start_text else (self.default_start or date.today())
        key = (role.id, tuple(sorted(known.items())))
        path = self.paths.get(key)
        if path is None:
            path = learning_path(cur, role, known=known)
            self.paths[key] = path
        skey = (key, hours, start)
        schedule = self.schedules.get(skey)
        if schedule is None:
            schedule = build_schedule(path, cur, hours_per_week=hours, start=start)
            self.schedules[skey] = schedule
        return StudyPlan((role,), None, path, schedule, row.cells.get("name", ""), cur.title)

    def render(self, plan: StudyPlan, fmt: str) -> str:
        """The plan's text; JSON reuses the learner-independent part of identical plans."""
        if fmt != "json":
            return render(plan, fmt)
        key = id(plan.schedule)  # schedules are kept alive in self.schedules, so ids stay unique
        body = self.json_bodies.get(key)
        if body is None:
            body = self.json_bodies[key] = json_body(plan)
        return to_json(plan, body)


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
    is called after each row.
    """
    check_format(fmt)
    cur = resolve_curriculum(curriculum)
    default_start = parse_date(start) if start is not None else None
    shown = str(roster_path)
    rows = read_roster(roster_path, shown)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    planner = _Planner(cur, default_start)
    taken: set[str] = set()
    learners: list[LearnerPlan] = []
    errors: list[RowError] = []
    files: list[Path] = []
    total = len(rows)
    for done, row in enumerate(rows, 1):
        try:
            plan = planner.plan(row)
        except RolecourseError as exc:
            errors.append(RowError(row.line, str(exc)))
        else:
            stem = safe_slug(plan.learner, row.line, taken)
            if not _SAFE_STEM.fullmatch(stem):  # cannot happen with safe_slug; never write outside
                errors.append(RowError(row.line, f"refusing to write a file named {stem!r}"))
                continue
            target = out / f"{stem}.{fmt}"
            target.write_bytes(planner.render(plan, fmt).encode("utf-8"))
            files.append(target)
            learners.append(LearnerPlan(row.line, plan.learner, target, plan.targets[0].id, plan.weeks, plan.path.total_hours, plan.schedule.end))
        if progress is not None:
            progress(done, total)
    summaries = _summaries(cur, learners)
    result_files = files + _write_summary(out, shown, cur, learners, errors, summaries)
    return CohortResult(shown, out, tuple(learners), tuple(errors), summaries, tuple(result_files))


def _summaries(cur: Curriculum, learners: list[LearnerPlan]) -> tuple[RoleSummary, ...]:
    by_role: dict[str, list[int]] = {}
    for lp in learners:
        by_role.setdefault(lp.role, []).append(lp.weeks)
    return tuple(
        RoleSummary(r.id, r.name, len(by_role[r.id]), float(statistics.median(by_role[r.id])), max(by_role[r.id]))
        for r in cur.roles
        if r.id in by_role
    )


def _write_summary(out: Path, roster: str, cur: Curriculum, learners: list[LearnerPlan], errors: list[RowError], summaries: tuple[RoleSummary, ...]) -> list[Path]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    md = [f"# Cohort summary: {cell(Path(roster).name)}", ""]
    md.append(f"{len(learners)} learner{'s' if len(learners) != 1 else ''} planned, {len(errors)} row{'s' if len(errors) != 1 else ''} with errors.")
    md += ["", "## By role", "", "| Role | Learners | Median weeks | Longest weeks |", "|---|---:|---:|---:|"]
    md += [f"| {cell(s.name)} | {s.learners} | {s.median_weeks:g} | {s.longest_weeks} |" for s in summaries]
    md += ["", "## Learners", "", "| Line | Name | Role | Weeks | Hours | End | Plan |", "|---:|---|---|---:|---:|---|---|"]
    names = {r.id: r.name for r in cur.roles}
    md += [f"| {lp.line} | {cell(lp.name)} | {cell(names[lp.role])} | {lp.weeks} | {lp.hours:g} | {lp.end.isoformat()} | {lp.file.name} |" for lp in learners]
    if errors:
        md += ["", "## Rows with errors", ""]
        md += [f"- line {e.line}: {cell(e.message)}" for e in errors]
    md_path = out / "summary.md"
    md_path.write_bytes(("\n".join(md) + "\n").encode("utf-8"))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["role", "role_name", "learners", "median_weeks", "longest_weeks"])
    for s in summaries:
        w.writerow([s.role, s.name, s.learners, f"{s.median_weeks:g}", s.longest_weeks])
    csv_path = out / "summary.csv"
    csv_path.write_bytes(buf.getvalue().encode("utf-8"))
    return [md_path, csv_path]
