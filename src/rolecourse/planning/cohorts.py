"""Cohort planning: a class roster (CSV) in, one study plan per learner out (as data).

The roster is UTF-8 CSV (a byte-order mark is fine) with a header row naming the columns
``name,role,known,hours_per_week,start`` in any order, any case:

* ``name`` — the learner's name (it only names the output file, through :func:`unique_stem`);
* ``role`` — the target role, by id or name;
* ``known`` — ``;``-separated ``skill[:level]`` (a bare skill means level 3), may be empty;
* ``hours_per_week`` — a number in (0, 80]; an empty cell means 10;
* ``start`` — optional column and value, ``YYYY-MM-DD``; when empty, the ``start`` argument
  is used, else today's date.

A bad row is reported as ``ROSTER.csv:LINE: message`` and every other row is still planned.
A file-level problem (not UTF-8, empty, no header, missing or unknown column) raises
:class:`~rolecourse.errors.ContentError`. 
Learner names never choose where a file goes: :func:`unique_stem` keeps ASCII letters and
digits (the one slug rule, :func:`rolecourse._text.slug`). Writing the files is
:func:`rolecourse.export.cohorts.cohort`'s job.
Pure results are memoised within one run: the path of every learner with the same role and
known skills is computed once, its week layout once per pace, the schedule once per (path,
hours, start), and for JSON the learner-independent part of the text once per schedule.
Every learner still gets a plan made from their own row and a file of their own.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from .._text import slug
from ..content.model import Curriculum, Role
from ..errors import ContentError, Problem, RolecourseError, UnknownNameError, UsageError
from .paths import LearningPath, learning_path, parse_known
from .plans import StudyPlan
from .schedule import Layouts, Schedule, build_schedule, parse_date

COLUMNS = ("name", "role", "known", "hours_per_week", "start")
"""Roster columns, in the documented order."""

REQUIRED_COLUMNS = ("name", "role", "known", "hours_per_week")
"""Columns a roster must have (``start`` may be left out)."""

DEFAULT_HOURS_PER_WEEK = 10.0
"""Hours a week for a row whose ``hours_per_week`` cell is empty."""

RESERVED_STEMS = frozenset({"summary"})
"""Stems the cohort writes itself (``summary.md``, ``summary.csv``): a learner called Summary gets ``summary-2``."""

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


def unique_stem(name: str, line: int, taken: set[str]) -> str:
    """A file-name stem for ``name`` that is safe on every system and not yet in ``taken``.

    The stem is :func:`rolecourse._text.slug` of the name (``learner-<line>`` when nothing is
    left of it, ``learner-con`` for a Windows-reserved name); a stem already taken gets
    ``-2``, ``-3``… The stem is added to ``taken``.
    """
    base = slug(name, fallback=f"learner-{line}")
    stem, n = base, 2
    while stem in taken:
        stem = f"{base}-{n}"
        n += 1
    taken.add(stem)
    return stem


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """A roster row planned: its line, its file-name stem and the learner's plan."""

    line: int
    """1-based line of the learner's row."""
    stem: str
    """The learner's unique, file-safe stem (:func:`unique_stem`)."""
    plan: StudyPlan
    """The learner's study plan."""


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






def plan_rows(rows: list[_Row], planner: _Planner, on_error: Callable[[], None]) -> tuple[list[PlannedRow], list[RowError]]:
    """Plan every row in roster order (which fixes the stems); ``on_error()`` after each bad row."""
    taken: set[str] = set(RESERVED_STEMS)
    planned: list[PlannedRow] = []
    errors: list[RowError] = []
    for row in rows:
        try:
            plan = planner.plan(row)
        except RolecourseError as exc:
            errors.append(RowError(row.line, str(exc)))
            on_error()
        else:
            planned.append(PlannedRow(row.line, unique_stem(plan.learner, row.line, taken), plan))
    return planned, errors


def role_summaries(cur: Curriculum, weeks_by_role: Iterable[tuple[str, int]]) -> tuple[RoleSummary, ...]:
    """Per role (curriculum order) the number of learners and their median and longest plan in weeks."""
    by_role: dict[str, list[int]] = {}
    for role, weeks in weeks_by_role:
        by_role.setdefault(role, []).append(weeks)
    return tuple(
        RoleSummary(r.id, r.name, len(by_role[r.id]), float(statistics.median(by_role[r.id])), max(by_role[r.id]))
        for r in cur.roles
        if r.id in by_role
    )
