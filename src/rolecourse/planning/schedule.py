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
* Checkpoints, one per skill studied: ``Checkpoint: <Skill name>`` on the day the skill's last
  module in the path is finished, with that module's id, whose lesson (its practice and quiz)
  checks the skill. Planning reads no lessons: the exports (:mod:`rolecourse.export.plans`,
  :func:`~rolecourse.export.plans.milestone_name`) name the lesson notebook from the lesson
  links. A plan of a few months thus shows progress every few weeks, not only at its end.
* The end date is the day of the last session (the start date when there is nothing to study).

How modules fill weeks does not depend on dates: :func:`lay_out` computes a :class:`Layout`
from the path and the minutes studied a week, with running totals (no day-by-day walk), and
a :class:`Schedule` adds the start date and study days. ``build_schedule(..., layouts=memo)``
shares layouts between calls, so a class on one path at one pace lays it out once, and its
milestones counted in days from the start (:attr:`Schedule.timeline`) once per weekday the
learners start on; a schedule's :attr:`~Schedule.weeks` and dated
:attr:`~Schedule.milestones` are built when first asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any, Callable, MutableMapping, Sequence

from ..errors import UsageError
from ..content.model import Curriculum, Module
from .pace import WEEKDAY_NAMES, check_hours_per_week, parse_study_days
from .paths import LearningPath

class MilestoneKind(Enum):
    """What a milestone checks."""

    QUIZ = "quiz"
    EXERCISE = "exercise"
    CHECKPOINT = "checkpoint"


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
    """A checkpoint: a role's quiz, its hands-on exercise, or a skill's lesson practice and quiz."""

    name: str
    """``Quiz: Data Analyst``, ``Exercise: Data Analyst hands-on`` or ``Checkpoint: SQL``."""
    kind: MilestoneKind
    """Quiz, exercise or a skill's checkpoint."""
    role: str
    """Id of the role it checks."""
    date: date
    """When it falls due."""
    week: int
    """The week it falls in (1-based; 1 when there is nothing to study)."""
    module: str = ""
    """A checkpoint's module (the skill's last module in the path, whose lesson checks it); empty for a role's quiz or exercise."""


TimelineEntry = tuple[int, str, MilestoneKind, str, int, str]
"""A milestone before it is dated: (days after the plan's start, name, kind, role, week, module)."""


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
class Layout:
    """How a path's modules fill weeks of a fixed number of minutes; no dates.

    A layout depends only on the path and the minutes studied a week, so every learner on
    the same path at the same pace shares one, whatever their start date.
    """

    week_minutes: int
    """Minutes studied in a full week."""
    parts: tuple[tuple[Part, ...], ...]
    """For each week, the module parts studied, in order."""
    minutes: tuple[int, ...]
    """For each week, the minutes studied (only the last week may be short)."""
    finished: tuple[tuple[int, int], ...]
    """For each module of the path: (week, minutes into that week) when it is finished."""


def lay_out(modules: Sequence[Module], week_minutes: int) -> Layout:
    """Pour ``modules`` (in order) into weeks of ``week_minutes`` minutes.

    Works on running totals: module ``i`` occupies minutes ``[before, after)`` of the whole
    plan, so its first week is ``before // week_minutes + 1`` and it spans every week up to
    the one holding minute ``after - 1``. Each module lasts at least one minute.
    """
    if week_minutes < 1:
        raise UsageError(f"a week must hold at least one minute of study, found {week_minutes!r}")
    weekly: list[list[Part]] = []
    finished: list[tuple[int, int]] = []
    before = 0
    part = _part
    for module in modules:
        after = before + max(1, round(module.hours * 60))
        first, last = before // week_minutes, (after - 1) // week_minutes
        while len(weekly) <= last:
            weekly.append([])
        if first == last:
            weekly[first].append(part(module, after - before, 1, 1))
        else:
            parts = last - first + 1
            weekly[first].append(part(module, (first + 1) * week_minutes - before, 1, parts))
            for w in range(first + 1, last):
                weekly[w].append(part(module, week_minutes, w - first + 1, parts))
            weekly[last].append(part(module, after - last * week_minutes, parts, parts))
        finished.append((last + 1, after - last * week_minutes))
        before = after
    minutes = [week_minutes] * len(weekly)
    if weekly:
        minutes[-1] = before - (len(weekly) - 1) * week_minutes
    return Layout(week_minutes, tuple(map(tuple, weekly)), tuple(minutes), tuple(finished))


_PARTS: dict[tuple[int, int, int, int], Part] = {}
"""Parts made so far, by (identity of the module, minutes, part, parts): layouts share them (a part is the same
wherever it falls). Each part holds its module, so the module's identity stays its own while it is here."""

_PARTS_MAX = 65536
"""Parts :data:`_PARTS` holds before it starts afresh (a few MB)."""


def _part(module: Module, minutes: int, part: int, parts: int) -> Part:
    """``Part(module, minutes, part, parts)``, one object for equal parts."""
    key = (id(module), minutes, part, parts)
    found = _PARTS.get(key)
    if found is None or found.module is not module:
        if len(_PARTS) >= _PARTS_MAX:
            _PARTS.clear()
        found = _PARTS[key] = Part(module, minutes, part, parts)
    return found


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
    layout: Layout
    """The modules poured into weeks (shared by plans that differ only in start date)."""
    study_offsets: tuple[int, ...]
    """Days after a week's first day on which its sessions fall, in order."""
    timeline: tuple[TimelineEntry, ...]
    """Every milestone as (days after :attr:`start`, name, kind, role, week, module), by date: one tuple shared by
    the plans of a layout, session length and study weekdays, whatever their start (see :attr:`milestones`)."""
    _milestones: tuple[Milestone, ...] | None = field(default=None, init=False, repr=False, compare=False)
    """The milestones, once :attr:`milestones` has been asked for."""
    _weeks: tuple[Week, ...] | None = field(default=None, init=False, repr=False, compare=False)
    """The weeks, once :attr:`weeks` has been asked for."""

    @property
    def milestones(self) -> tuple[Milestone, ...]:
        """Every milestone, by date (dated from :attr:`timeline` on first use, then kept)."""
        found = self._milestones
        if found is None:
            start = self.start
            found = tuple([Milestone(name, kind, role, start + timedelta(days=day), week, module) for day, name, kind, role, week, module in self.timeline])
            object.__setattr__(self, "_milestones", found)
        return found

    @property
    def week_count(self) -> int:
        """How many weeks the plan lasts."""
        return len(self.layout.parts)

    @property
    def weeks(self) -> tuple[Week, ...]:
        """Every week, in order (built from the layout on first use, then kept)."""
        weeks = self._weeks
        if weeks is None:
            by_week: dict[int, list[Milestone]] = {}
            for ms in self.milestones:
                by_week.setdefault(ms.week, []).append(ms)
            start, seven, six = self.start, timedelta(days=7), timedelta(days=6)
            built = []
            for i, (parts, minutes) in enumerate(zip(self.layout.parts, self.layout.minutes)):
                wstart = start + seven * i
                built.append(Week(i + 1, wstart, wstart + six, parts, tuple(by_week.get(i + 1, ())), self.study_offsets, self.session_minutes, minutes))
            weeks = tuple(built)
            object.__setattr__(self, "_weeks", weeks)
        return weeks

    @property
    def sessions(self) -> tuple[Session, ...]:
        """Every session, in order."""
        return tuple(s for w in self.weeks for s in w.sessions)

    @property
    def total_minutes(self) -> int:
        """Minutes studied in all."""
        return sum(self.layout.minutes)

    @property
    def study_day_names(self) -> tuple[str, ...]:
        """The study days' full names (``Monday``…)."""
        return tuple(WEEKDAY_NAMES[d] for d in self.study_days)


Layouts = MutableMapping[tuple[Any, ...], tuple[Any, ...]]
"""A memo shared between :func:`build_schedule` calls; every entry keeps the path's steps, to pin their identity. It holds

* per path, keyed by (identity of the steps, ``"facts"``): what its milestones are at any pace (which module
  finishes each skill and each target's key skills, their names), with the targets they were made for;
* per path and pace, keyed by (identity of the steps, week minutes): the :class:`Layout`. Paths that share their
  steps (learners whose known skills differ only where the role needs none) share it;
* per layout, session length and study days, keyed by (identity of the steps, week minutes, session minutes, study
  days as offsets from the start's weekday, ``"milestones"``): the milestones counted in days from the start, so
  learners who start on the same weekday share them and each gets them dated from their own start."""


def build_schedule(
    path: LearningPath,
    curriculum: Curriculum,
    *,
    hours_per_week: float,
    start: date,
    study_days: str | Sequence[str | int] | None = None,
    layouts: Layouts | None = None,
) -> Schedule:
    """Lay ``path`` out over weeks from ``start`` at ``hours_per_week`` on ``study_days``.

    ``layouts`` (optional) is a dict shared between calls: the week layout of a path's steps
    at a given pace is then computed once and reused for every start date.
    """
    hours_per_week = check_hours_per_week(hours_per_week)
    if not isinstance(start, date):
        raise UsageError(f"start must be a date, found {start!r}")
    days = parse_study_days(study_days)
    session = max(1, round(hours_per_week * 60 / len(days)))
    per_week = session * len(days)
    offsets = tuple(sorted((d - start.weekday()) % 7 for d in days))  # study days as offsets within a week
    if layouts is None:
        layout, facts = lay_out(path.modules, per_week), _milestone_facts(path, curriculum)
    else:
        pkey = (id(path.steps), "facts")
        found = layouts.get(pkey)
        if found is None or found[0] is not path.steps or found[1].targets != path.targets:
            found = layouts[pkey] = (path.steps, _milestone_facts(path, curriculum))
        facts = found[1]
        key = (id(path.steps), per_week)
        known = layouts.get(key)
        if known is None or known[0] is not path.steps:
            known = layouts[key] = (path.steps, lay_out(path.modules, per_week))
        layout = known[1]

    weeks = len(layout.parts)
    if start.toordinal() + 7 * weeks > date.max.toordinal():  # the last week (and a calendar's day after it) must be a date
        raise UsageError(f"expected a plan that ends by {date.max.isoformat()}, found {weeks} weeks from {start.isoformat()}; start earlier or study more hours a week")
    if layouts is None:
        relative = _relative_milestones(facts, layout, session, offsets)
    else:  # the same for every learner of this layout, pace and week days, whatever their start
        mkey = (id(path.steps), per_week, session, offsets, "milestones")
        found = layouts.get(mkey)
        if found is None or found[0] is not path.steps or found[2] is not facts:
            found = layouts[mkey] = (path.steps, _relative_milestones(facts, layout, session, offsets), facts)
        relative = found[1]
    end_day, timeline = relative
    return Schedule(start, start + timedelta(days=end_day), hours_per_week, days, session, layout, offsets, timeline)


@dataclass(frozen=True, slots=True)
class _MilestoneFacts:
    """What a path's milestones are, at any pace and from any start: worked out once per path."""

    targets: tuple[str, ...]
    """The path's target roles (a memo entry is reused only for the same targets)."""
    checkpoints: tuple[tuple[int, str, str], ...]
    """Per skill of the path, in path order: (index of its last module, ``Checkpoint: <skill>``, that module's id)."""
    roles: tuple[tuple[int | None, str, str, str], ...]
    """Per target: (index of the module that finishes its key skills, ``None`` when all are known; role id; ``Quiz: <role>``; ``Exercise: <role> hands-on``)."""


def _milestone_facts(path: LearningPath, curriculum: Curriculum) -> _MilestoneFacts:
    last = {step.module.skill: idx for idx, step in enumerate(path.steps)}  # the last module of each skill
    steps = path.steps
    roles = []
    for rid in path.targets:
        role = curriculum.role(rid)
        quiz = max((last[s] for s in role.skill_ids if s in last), default=None)
        roles.append((quiz, role.id, f"Quiz: {role.name}", f"Exercise: {role.name} hands-on"))
    checkpoints = tuple((idx, f"Checkpoint: {steps[idx].skill.name}", steps[idx].module.id) for idx in sorted(last.values()))
    return _MilestoneFacts(path.targets, checkpoints, tuple(roles))


_CHECKPOINT, _QUIZ, _EXERCISE = MilestoneKind.CHECKPOINT, MilestoneKind.QUIZ, MilestoneKind.EXERCISE


def _relative_milestones(facts: _MilestoneFacts, layout: Layout, session: int, offsets: tuple[int, ...]) -> tuple[int, tuple[TimelineEntry, ...]]:
    """The plan's last day and its milestones, in date order, with days counted from the start.

    Each milestone is (day, name, kind, role, week, module). A skill's checkpoint falls on the
    day its last module is finished, before a role's quiz on the same day; a role's quiz when
    its key skills are done (on the first day when all are known); its exercise on the last day.
    The day of the ``minute``-th minute of week ``w`` is that of the session holding it.
    """
    weeks = len(layout.parts)
    finished = layout.finished
    if weeks:
        minute = layout.minutes[-1]
        last = (7 * (weeks - 1) + offsets[max(0, -(-minute // session) - 1)], weeks)
    else:
        last = (0, 1)
    # (day, rank, index): unique per milestone, so sorting never compares the milestones themselves
    result: list[tuple[int, int, int, TimelineEntry]] = []
    for idx, name, module in facts.checkpoints:
        week, minute = finished[idx]
        day = 7 * (week - 1) + offsets[max(0, -(-minute // session) - 1)]
        result.append((day, 0, idx, (day, name, _CHECKPOINT, "", week, module)))
    for order, (quiz, rid, quiz_name, exercise_name) in enumerate(facts.roles):
        if quiz is None:
            day, week = 0, 1
        else:
            week, minute = finished[quiz]
            day = 7 * (week - 1) + offsets[max(0, -(-minute // session) - 1)]
        result.append((day, 1, order, (day, quiz_name, _QUIZ, rid, week, "")))
        result.append((last[0], 2, order, (last[0], exercise_name, _EXERCISE, rid, last[1], "")))
    result.sort()
    return last[0], tuple([t[3] for t in result])
