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
A roster is read twice and never held whole (:class:`Roster`: checked first, then planned
row by row with :func:`iter_planned`). Pure results are memoised within one run, in memos of
bounded size (:data:`MEMO_SIZE`): the modules of every learner with the same role and the
same relevant known skills are computed once, their week layout once per pace, the schedule
once per (path, hours, start). Every learner still gets a plan made from their own row and a
file of their own.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from .._text import slug
from ..content import _files
from ..content.model import Curriculum, Role
from ..errors import ContentError, Problem, RolecourseError, UnknownNameError, UsageError, excerpt
from .paths import LearningPath, learning_path, parse_known
from .plans import StudyPlan
from .pace import parse_date
from .schedule import Layouts, Schedule, build_schedule

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


class Roster:
    """A roster file, checked whole before any row is planned, then read again row by row.

    Opening it reads the file once without keeping its rows: a file-level problem (not
    UTF-8, empty, no header, a missing or unknown column, broken CSV) raises
    :class:`~rolecourse.errors.ContentError` then, before anything is written, and
    :attr:`total` counts its rows. Iterating reads the rows again, one at a time, so a class
    of any size is never held in memory. A regular file is read from disk both times (through
    the one reader, :mod:`rolecourse.content._files`: at most
    :data:`~rolecourse.content._files.MAX_ROSTER_BYTES`); a pipe is refused unless it is named
    on purpose (``/dev/stdin``, a shell's ``<(...)``), and then it is read into memory once.
    """

    def __init__(self, path: str | Path, display: str | None = None) -> None:
        self.shown = display or str(path)
        self.path = Path(path)
        self._data: bytes | None = None
        try:
            if _files.named_on_purpose(self.path):  # a pipe the user named (<(...), /dev/stdin): read once
                self._data = _files.read_bytes(self.path, _files.MAX_ROSTER_BYTES, special=True)
            with self._open() as stream:
                self.total = sum(1 for _ in self._rows(stream))
        except OSError as exc:
            raise UsageError(f"cannot read roster {self.shown!r}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise self._decode_problem() from None

    def _open(self) -> io.TextIOWrapper:
        raw: IO[bytes] = io.BytesIO(self._data) if self._data is not None else _files.open_input(self.path, _files.MAX_ROSTER_BYTES)
        return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")

    def __iter__(self) -> Iterator[_Row]:
        """The rows, in file order, with their line numbers (a row with a cell-count problem carries it)."""
        try:
            with self._open() as stream:
                yield from self._rows(stream)
        except OSError as exc:
            raise UsageError(f"cannot read roster {self.shown!r}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:  # the file changed since it was checked
            raise self._decode_problem() from None

    def _fail(self, line: int, message: str, field: str = "") -> ContentError:
        return ContentError([Problem(self.shown, line, 1, field, message)])

    def _decode_problem(self) -> ContentError:
        """The first byte that is not UTF-8, by line (looked for only once decoding failed)."""
        raw = self._data if self._data is not None else _files.read_bytes(self.path, _files.MAX_ROSTER_BYTES)
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return self._fail(line, f"expected UTF-8 text, found the byte 0x{raw[exc.start]:02x}; save the roster as CSV UTF-8")
        return self._fail(1, "expected UTF-8 text; the roster changed while it was read")

    def _rows(self, stream: io.TextIOWrapper) -> Iterator[_Row]:
        reader = csv.reader(stream)
        header: list[str] | None = None
        last = 0
        try:
            for cells in reader:
                line = last + 1
                last = reader.line_num
                if not cells or all(not c.strip() for c in cells):
                    continue
                if header is None:
                    header = [c.strip().lower() for c in cells]
                    _check_header(header, line, self._fail)
                    continue
                if len(cells) > len(header):
                    yield _Row(line, {"__error__": f"expected {len(header)} cells, found {len(cells)}"})
                    continue
                if len(cells) == 1 < len(header) and ";" in cells[0]:  # a row saved with another separator
                    yield _Row(line, {"__error__": f"expected {len(header)} cells separated by commas, found 1 cell with ';' in it; save the roster as CSV with commas"})
                    continue
                if len(cells) < len(header):
                    yield _Row(line, {"__error__": f"expected {len(header)} cells ({','.join(header)}), found {len(cells)}; leave a cell empty with nothing between two commas"})
                    continue
                yield _Row(line, dict(zip(header, map(str.strip, cells))))
        except csv.Error as exc:
            raise self._fail(reader.line_num, f"expected CSV, found {exc}") from None
        if header is None and self._blank():
            raise self._fail(1, f"expected a header row ({','.join(COLUMNS)}), found an empty file")

    def _blank(self) -> bool:
        """True when the file holds only white space (asked only when no row had a cell)."""
        with self._open() as stream:
            return not any(chunk.strip() for chunk in iter(lambda: stream.read(1 << 16), ""))


def read_roster(path: str | Path, display: str | None = None) -> list[_Row]:
    """Read the roster's rows (with their line numbers); file-level problems raise ContentError.

    This holds every row; :class:`Roster` reads them one at a time.
    """
    return list(Roster(path, display))


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


_NUMBER = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6})?|\.[0-9]{1,6}")
"""An hours cell: plain decimal digits (no ``1_0``, ``1e3``, ``nan`` or ``inf``, which float() would take)."""

MEMO_SIZE = 4096
"""Entries each of the planner's memos holds before it forgets its older half (memory stays flat for any class size)."""


class Memo(dict):  # type: ignore[type-arg]
    """A dict of at most ``size`` entries (default :data:`MEMO_SIZE`): when it is full and another is added, it forgets its older half.

    Forgetting half at a time keeps each addition cheap (amortised) and keeps what was
    remembered last, which a class's next rows are most likely to share.
    """

    __slots__ = ("size",)

    def __init__(self, size: int = MEMO_SIZE) -> None:
        super().__init__()
        self.size = size

    def _forget_older_half(self) -> None:
        newer = list(self.items())[len(self) - self.size // 2 :]  # the newest size // 2 entries (none for a memo of one)
        self.clear()
        self.update(newer)

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self) >= self.size and key not in self:
            self._forget_older_half()
        super().__setitem__(key, value)

    def put(self, key: Any, value: Any) -> Any:
        """Remember ``value`` under ``key`` (a key not yet remembered) and return it."""
        if len(self) >= self.size:
            self._forget_older_half()
        dict.__setitem__(self, key, value)
        return value


def _closure(curriculum: Curriculum, role: Role) -> frozenset[str]:
    """The role's key skills and every skill they can pull in as a prerequisite."""
    seen: set[str] = set()
    stack = list(role.skill_ids)
    while stack:
        sid = stack.pop()
        skill = curriculum.skills.get(sid)
        if sid in seen or skill is None:
            continue
        seen.add(sid)
        stack.extend(skill.prerequisites)
    return frozenset(seen)


_Parsed = tuple[Any, ...]
"""A row's cells as :meth:`_Planner.parse` gives them: (their raw text, role, known skills, hours a week, start)."""


class _Planner:
    """Plans rows, computing what learners share once, in memos of bounded size.

    A row's cells are parsed (memoised by their text). Its path's modules and skipped
    modules depend only on the role and the known skills that the role can need, at levels
    above 0 (a skill outside the role's prerequisites changes nothing but the plan's
    ``known``), so they are computed once per such combination and shared; each learner's
    :class:`~rolecourse.planning.paths.LearningPath` carries their own ``known``. A week
    layout is computed once per (modules, pace), a schedule once per (path, hours, start).
    Every memo forgets its older half when full, so memory does not grow with the class; what is
    computed never depends on what is remembered. Rows with an error are never memoised.
    """

    def __init__(self, curriculum: Curriculum, default_start: date | None) -> None:
        self.curriculum = curriculum
        self.default_start = default_start
        self.roles: dict[str, Role] = {}
        self.closures: dict[str, frozenset[str]] = {}
        self.known: Memo = Memo()
        self.hours: Memo = Memo()
        self.starts: Memo = Memo()
        self.cores: Memo = Memo(2048)  # a path's steps, a few KB each
        self.paths: Memo = Memo()
        self.layouts: Layouts = Memo(4096)  # a layout and its milestones are ~10 KB; fuller memos measured no faster on a diverse class
        self.schedules: Memo = Memo()
        self.by_text: Memo = Memo()
        self.parsed: Memo = Memo()

    def plan(self, row: _Row) -> StudyPlan:
        """The row's study plan (raises :class:`~rolecourse.errors.RolecourseError` for a bad cell)."""
        return self.build(row, self.parse(row))

    def parse(self, row: _Row) -> _Parsed:
        """The row's cells read and checked: every problem a row can have is raised here.

        What :meth:`build` then does with them cannot fail for a row that parsed, so a row's
        stem can be given as soon as it parses (in roster order) while the plans are built
        elsewhere (:func:`iter_stems`).
        """
        cells = row.cells
        if "__error__" in cells:
            raise UsageError(cells["__error__"])
        get = cells.get
        raw = (get("role", ""), get("known", ""), get("hours_per_week", ""), get("start", ""))
        found = self.parsed.get(raw)
        if found is None:
            found = self.parsed.put(raw, (raw, *self._parse_cells(cells)))
        return found

    def planned(self, row: _Row, parsed: _Parsed, stem: str) -> PlannedRow | RowError:
        """The row planned under ``stem``, or its error (not expected for a row that parsed; its stem stays taken)."""
        try:
            return PlannedRow(row.line, stem, self.build(row, parsed))
        except RolecourseError as exc:
            return RowError(row.line, str(exc))

    def build(self, row: _Row, parsed: _Parsed) -> StudyPlan:
        """The study plan of a row that :meth:`parse` gave ``parsed``."""
        raw = parsed[0]
        found = self.by_text.get(raw)
        if found is None:
            found = self.by_text.put(raw, self._build(*parsed[1:]))
        return StudyPlan(found[0], None, found[1], found[2], row.cells.get("name", ""), self.curriculum.title)

    def _path(self, role: Role, known: tuple[dict[str, int], tuple[tuple[str, int], ...]]) -> LearningPath:
        """The learner's path: modules shared by every learner whose known skills matter alike."""
        key = (role.id, known[1])
        path = self.paths.get(key)
        if path is not None:
            return path
        closure = self.closures.get(role.id)
        if closure is None:
            closure = self.closures[role.id] = _closure(self.curriculum, role)
        relevant = tuple(item for item in known[1] if item[1] > 0 and item[0] in closure)
        core = self.cores.get((role.id, relevant))
        if core is None:
            core = self.cores.put((role.id, relevant), learning_path(self.curriculum, role, known=dict(relevant)))
        if relevant == known[1]:
            return self.paths.put(key, core)
        return self.paths.put(key, LearningPath(core.targets, core.from_role, known[1], core.steps, core.skipped))

    def to_wire(self, parsed: _Parsed) -> tuple[Any, ...]:
        """``parsed`` as another process gets it: the role by its id (the rest are strings, numbers and dates)."""
        return (parsed[0], parsed[1].id, *parsed[2:])

    def from_wire(self, wired: tuple[Any, ...]) -> _Parsed:
        """What :meth:`to_wire` gave, parsed again only as far as the role (found by its id in this planner's curriculum)."""
        return (wired[0], self.role(wired[1]), *wired[2:])

    def role(self, text: str) -> Role:
        """The role a ``role`` cell names, by id or display name (raises UsageError when it names none)."""
        role = self.roles.get(text)
        if role is None:
            if not text:
                raise UsageError("role is empty")
            role = self.curriculum.role(text)
            if len(self.roles) < MEMO_SIZE:
                self.roles[text] = role
        return role

    def _parse_cells(self, cells: dict[str, str]) -> tuple[Role, tuple[dict[str, int], tuple[tuple[str, int], ...]], float, date]:
        """The role, known skills, hours a week and start of a row's cells (raises UsageError for a bad cell)."""
        cur = self.curriculum
        role = self.role(cells.get("role", ""))
        known_text = cells.get("known", "")
        known = self.known.get(known_text)
        if known is None:
            parsed = parse_known(known_text, cur, separator=";")
            known = self.known.put(known_text, (parsed, tuple(sorted(parsed.items()))))
        hours_text = cells.get("hours_per_week", "")
        hours = self.hours.get(hours_text)
        if hours is None:
            if hours_text and not _NUMBER.fullmatch(hours_text):
                raise UsageError(f"hours_per_week must be a number, found {excerpt(repr(hours_text))}")
            hours = float(hours_text) if hours_text else DEFAULT_HOURS_PER_WEEK
            self.hours.put(hours_text, hours)
        start_text = cells.get("start", "")
        if start_text:
            start = self.starts.get(start_text)
            if start is None:
                start = self.starts.put(start_text, parse_date(start_text))
        else:
            start = self.default_start or date.today()
        return role, known, hours, start

    def _build(self, role: Role, known: tuple[dict[str, int], tuple[tuple[str, int], ...]], hours: float, start: date) -> tuple[tuple[Role], LearningPath, Schedule]:
        """The target, path and schedule of parsed cells."""
        cur = self.curriculum
        path = self._path(role, known)
        skey = (role.id, known[1], hours, start)
        schedule = self.schedules.get(skey)
        if schedule is None:
            schedule = self.schedules.put(skey, build_schedule(path, cur, hours_per_week=hours, start=start, layouts=self.layouts))
        return (role,), path, schedule


def plan_rows(rows: Iterable[_Row], planner: _Planner, on_error: Callable[[], None]) -> tuple[list[PlannedRow], list[RowError]]:
    """Plan every row in roster order (which fixes the stems); ``on_error()`` after each bad row."""
    planned: list[PlannedRow] = []
    errors: list[RowError] = []
    for item in iter_planned(rows, planner):
        if isinstance(item, RowError):
            errors.append(item)
            on_error()
        else:
            planned.append(item)
    return planned, errors


def iter_stems(rows: Iterable[_Row], planner: _Planner) -> Iterator[tuple[_Row, _Parsed, str] | RowError]:
    """Each row parsed and given its stem, in roster order, or its error; one at a time.

    A row's stem depends only on the rows before it that parsed (:meth:`_Planner.parse`), so
    the plans themselves can be built later, anywhere (:func:`iter_planned` builds each at once).
    """
    taken: set[str] = set(RESERVED_STEMS)
    for row in rows:
        try:
            parsed = planner.parse(row)
        except RolecourseError as exc:
            yield RowError(row.line, str(exc))
        else:
            yield row, parsed, unique_stem(row.cells.get("name", ""), row.line, taken)


def iter_planned(rows: Iterable[_Row], planner: _Planner) -> Iterator[PlannedRow | RowError]:
    """Each row planned, in roster order (which fixes the stems), or its error; one at a time."""
    for item in iter_stems(rows, planner):
        yield item if isinstance(item, RowError) else planner.planned(*item)


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
