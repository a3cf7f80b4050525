"""Week-by-week study schedules for a learning path.

Pure: the start date is always passed in (nothing here asks for today's date).

Rules
-----
* The learner studies ``hours_per_week`` spread over the study days (Monday to Friday unless
  told otherwise) in sessions of equal length: ``hours_per_week / len(study_days)``, rounded
  to whole minutes. All arithmetic is in whole minutes, so schedules are exact.
* Week 1 is the seven days from the start date (not a calendar week); week ``n`` starts
  ``7 * (n - 1)`` days later.
* Modules follow the path's order. A session may finish one module and begin the next; a
  module that does not fit in one week spans weeks and is shown as ``part 2 of 3``, one part
  per week it touches.
* Milestones, for each target role: ``Quiz: <Role name>`` on the day the last module of the
  role's key skills is finished (or on the start date when the learner already knows them
  all), and ``Exercise: <Role name> hands-on`` at the end of the plan.
* The end date is the day of the last session (the start date when there is nothing to study).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Iterable, Sequence

from .errors import UnknownNameError, UsageError
from .model import Curriculum, Module
from .paths import LearningPath

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Short names of the weekdays, Monday first (index = :meth:`datetime.date.weekday`)."""

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Full names of the weekdays, Monday first."""

DEFAULT_STUDY_DAYS = (0, 1, 2, 3, 4)
"""Monday to Friday."""

MAX_HOURS_PER_WEEK = 80.0
"""The most study hours a week a schedule accepts."""


def format_minutes(minutes: int) -> str:
    """``90`` → ``"1 h 30 min"``, ``120`` → ``"2 h"``, ``45`` → ``"45 min"``."""
    h, m = divmod(int(minutes), 60)
    if h and m:
        return f"{h} h {m} min"
    if h:
        return f"{h} h"
    return f"{m} min"


def parse_study_days(days: str | Iterable[str | int] | None) -> tuple[int, ...]:
    """Study days as sorted weekday numbers (Monday = 0).

    Accepts ``"mon,wed,sat"``, full names (``"Monday"``), any case, or weekday numbers.
    ``None`` means Monday to Friday. Raises :class:`~rolecourse.errors.UsageError` for an
    empty list and :class:`~rolecourse.errors.UnknownNameError` for an unknown day.
    """
    if days is None:
        return DEFAULT_STUDY_DAYS
    items = days.split(",") if isinstance(days, str) else list(days)
    result: set[int] = set()
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            if not 0 <= item <= 6:
                raise UsageError(f"a weekday number must be 0 (Monday) to 6 (Sunday), found {item!r}")
            result.add(item)
            continue
        text = str(item).strip().casefold()
        if not text:
            continue
        key = text[:3]
        if key not in WEEKDAYS or not WEEKDAY_NAMES[WEEKDAYS.index(key)].casefold().startswith(text):
            raise UnknownNameError("study day", str(item).strip(), WEEKDAYS)
        result.add(WEEKDAYS.index(key))
    if not result:
        raise UsageError("name at least one study day (e.g. mon,wed,sat)")
    return tuple(sorted(result))


def check_hours_per_week(hours: object) -> float:
    """Return ``hours`` as a float if it is a number in (0, 80]; else raise UsageError."""
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or hours != hours:
        raise UsageError(f"hours per week must be a number, found {hours!r}")
    if not 0 < hours <= MAX_HOURS_PER_WEEK:
        raise UsageError(f"hours per week must be more than 0 and at most {MAX_HOURS_PER_WEEK:g}, found {hours!r}")
    return float(hours)


def parse_date(text: str | date) -> date:
    """``"2025-03-03"`` → ``date(2025, 3, 3)``; raises UsageError for anything else."""
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise UsageError(f"expected a date as YYYY-MM-DD, found {text!r}") from None


class MilestoneKind(Enum):
    """What a milestone checks."""

    QUIZ = "quiz"
    EXERCISE = "exercise"


@dataclass(frozen=True, slots=True)
class Part:
    """A module's share of one session or one week."""

    module: Module
    """The module studied."""
    minutes: int
    """Minutes of it studied here."""
    part: int
    """Which part of the module this week is (1-based)."""
    parts: int
    """How many weeks the module spans."""

    @property
    def hours(self) -> float:
        """Minutes as hours."""
        return self.minutes / 60

    @property
    def label(self) -> str:
        """The module's title, with ``(part 2 of 3)`` when it spans weeks."""
        return self.module.title if self.parts == 1 else f"{self.module.title} (part {self.part} of {self.parts})"


@dataclass(frozen=True, slots=True)
class Session:
    """One day's study."""

    date: date
    """The day."""
    week: int
    """The week it belongs to (1-based)."""
    minutes: int
    """Minutes studied that day (the last session may be shorter)."""
    parts: tuple[Part, ...]
    """The modules studied that day, in order."""

    @property
    def hours(self) -> float:
        """Minutes as hours."""
        return self.minutes / 60


@dataclass(frozen=True, slots=True)
class Milestone:
    """A checkpoint: a role's quiz or its hands-on exercise."""

    name: str
    """``Quiz: Data Analyst`` or ``Exercise: Data Analyst hands-on``."""
    kind: MilestoneKind
    """Quiz or exercise."""
    role: str
    """Id of the role it checks."""
    date: date
    """When it falls due."""
    week: int
    """The week it falls in (1-based; 1 when there is nothing to study)."""


@dataclass(frozen=True, slots=True)
class Week:
    """One week of the schedule."""

    number: int
    """1-based week number."""
    start: date
    """First day of the week."""
    end: date
    """Last day of the week (six days after ``start``)."""
    parts: tuple[Part, ...]
    """The modules studied this week, one entry each, in order."""
    milestones: tuple[Milestone, ...]
    """Milestones falling in the week."""
    study_offsets: tuple[int, ...]
    """Days after ``start`` on which the week's sessions fall, in order."""
    session_minutes: int
    """Length of a full session."""
    minutes: int
    """Minutes studied this week."""

    @property
    def study_dates(self) -> tuple[date, ...]:
        """The week's study days, in order."""
        return tuple(self.start + timedelta(days=o) for o in self.study_offsets)

    @property
    def sessions(self) -> tuple[Session, ...]:
        """The week's study sessions: its parts poured, in order, into sessions of equal length."""
        sessions: list[Session] = []
        pending = [[p, p.minutes] for p in self.parts]
        k = 0
        while pending:
            capacity = self.session_minutes
            pieces: list[Part] = []
            while capacity and pending:
                p, left = pending[0]
                take = min(capacity, left)
                pieces.append(Part(p.module, take, p.part, p.parts))
                capacity -= take
                pending[0][1] -= take
                if not pending[0][1]:
                    pending.pop(0)
            sessions.append(Session(self.start + timedelta(days=self.study_offsets[k]), self.number, self.session_minutes - capacity, tuple(pieces)))
            k += 1
        return tuple(sessions)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A week-by-week study plan for a learning path."""

    start: date
    """First day of the plan."""
    end: date
    """Day of the last session (``start`` when there is nothing to study)."""
    hours_per_week: float
    """Hours of study a week."""
    study_days: tuple[int, ...]
    """Weekday numbers studied (Monday = 0)."""
    session_minutes: int
    """Length of a full session."""
    weeks: tuple[Week, ...]
    """Every week, in order."""
    milestones: tuple[Milestone, ...]
    """Every milestone, by date."""

    @property
    def sessions(self) -> tuple[Session, ...]:
        """Every session, in order."""
        return tuple(s for w in self.weeks for s in w.sessions)

    @property
    def total_minutes(self) -> int:
        """Minutes studied in all."""
        return sum(w.minutes for w in self.weeks)

    @property
    def study_day_names(self) -> tuple[str, ...]:
        """The study days' full names (``Monday``…)."""
        return tuple(WEEKDAY_NAMES[d] for d in self.study_days)


def build_schedule(
    path: LearningPath,
    curriculum: Curriculum,
    *,
    hours_per_week: float,
    start: date,
    study_days: str | Sequence[str | int] | None = None,
) -> Schedule:
    """Lay ``path`` out over weeks from ``start`` at ``hours_per_week`` on ``study_days``."""
    hours_per_week = check_hours_per_week(hours_per_week)
    if not isinstance(start, date):
        raise UsageError(f"start must be a date, found {start!r}")
    days = parse_study_days(study_days)
    session = max(1, round(hours_per_week * 60 / len(days)))
    per_week = session * len(days)
    offsets = sorted((d - start.weekday()) % 7 for d in days)  # study days as offsets within a week
    modules = path.modules
    remaining = [max(1, round(m.hours * 60)) for m in modules]

    # Fill whole weeks; a week's minutes pour into its sessions in order.
    weekly: list[list[tuple[int, int]]] = []
    first_week = [0] * len(modules)
    finished = [(1, 0)] * len(modules)  # (week, minutes into the week) when each module is done
    i = 0
    while i < len(modules):
        number = len(weekly) + 1
        capacity, pieces = per_week, []
        while capacity and i < len(modules):
            take = min(capacity, remaining[i])
            if remaining[i] == max(1, round(modules[i].hours * 60)):
                first_week[i] = number
            pieces.append((i, take))
            capacity -= take
            remaining[i] -= take
            if not remaining[i]:
                finished[i] = (number, per_week - capacity)
                i += 1
        weekly.append(pieces)

    def day_of(week: int, minute: int) -> date:
        """The date of the session holding the ``minute``-th minute of ``week``."""
        k = max(0, -(-minute // session) - 1)
        return start + timedelta(days=7 * (week - 1) + offsets[k])

    last = (day_of(len(weekly), sum(m for _, m in weekly[-1])), len(weekly)) if weekly else (start, 1)
    finished_on = [(day_of(w, m), w) for w, m in finished]
    milestones = _milestones(path, curriculum, finished_on, start, last)
    weeks = []
    offsets_t = tuple(offsets)
    for number, pieces in enumerate(weekly, 1):
        wstart = start + timedelta(days=7 * (number - 1))
        weeks.append(
            Week(
                number=number,
                start=wstart,
                end=wstart + timedelta(days=6),
                parts=tuple([Part(modules[idx], m, number - first_week[idx] + 1, finished[idx][0] - first_week[idx] + 1) for idx, m in pieces]),
                milestones=tuple([ms for ms in milestones if ms.week == number]),
                study_offsets=offsets_t,
                session_minutes=session,
                minutes=sum([m for _, m in pieces]),
            )
        )
    return Schedule(
        start=start,
        end=last[0],
        hours_per_week=hours_per_week,
        study_days=days,
        session_minutes=session,
        weeks=tuple(weeks),
        milestones=milestones,
    )


def _milestones(
    path: LearningPath,
    curriculum: Curriculum,
    finished_on: list[tuple[date, int]],
    start: date,
    last: tuple[date, int],
) -> tuple[Milestone, ...]:
    index_of_skill: dict[str, int] = {}
    for idx, module in enumerate(path.modules):
        index_of_skill[module.skill] = idx  # the last module of each skill
    result: list[tuple[date, int, int, Milestone]] = []
    for order, rid in enumerate(path.targets):
        role = curriculum.role(rid)
        last_idx = max((index_of_skill[s] for s in role.skill_ids if s in index_of_skill), default=None)
        qday, qweek = (start, 1) if last_idx is None else finished_on[last_idx]
        result.append((qday, 0, order, Milestone(f"Quiz: {role.name}", MilestoneKind.QUIZ, role.id, qday, qweek)))
        result.append((last[0], 1, order, Milestone(f"Exercise: {role.name} hands-on", MilestoneKind.EXERCISE, role.id, last[0], last[1])))
    result.sort(key=lambda t: t[:3])
    return tuple(t[3] for t in result)
