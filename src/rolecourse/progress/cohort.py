"""A class's progress: every exported progress file of a folder, read without a store.

A file that is not valid progress is kept as an entry with its problems, never skipped silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from ..assessment.checking import StepOutcome
from ..content import _files
from ..errors import ContentError, Problem, UsageError
from .codec import loads
from .mastery import ExerciseMaps, mastery_levels
from .model import LearnerProgress


@dataclass(frozen=True, slots=True)
class CohortEntry:
    """One exported progress file of a cohort, read or reported."""

    file: str
    """The file's path."""
    progress: LearnerProgress | None
    """The learner's progress, or None if the file is unusable."""
    problems: tuple[Problem, ...] = ()
    """What is wrong with the file (empty when it was read)."""

    @property
    def learner(self) -> str | None:
        """The learner's name, if the file was read."""
        return self.progress.learner if self.progress else None

    @property
    def answered(self) -> int:
        """Distinct questions answered."""
        return len(self.progress.latest_answers()) if self.progress else 0

    @property
    def correct(self) -> int:
        """Questions whose latest answer is correct."""
        return sum(1 for a in self.progress.latest_answers().values() if a.correct) if self.progress else 0

    @property
    def steps_correct(self) -> int:
        """Exercise steps whose latest outcome is correct."""
        if not self.progress:
            return 0
        return sum(1 for r in self.progress.latest_steps().values() if r.outcome is StepOutcome.CORRECT)



def cohort_progress(folder: str | os.PathLike[str]) -> list[CohortEntry]:
    """Read every ``*.json`` export in ``folder`` (sorted by name); unusable files come back with their problems."""
    base = Path(folder)
    if not base.is_dir():
        raise UsageError(f"cohort folder {str(base)!r} does not exist or is not a folder")
    entries = []
    for path in sorted(base.glob("*.json")):
        try:
            text = _files.read_text(path, _files.MAX_PROGRESS_BYTES)
            entries.append(CohortEntry(str(path), loads(text, str(path))))
        except ContentError as exc:
            entries.append(CohortEntry(str(path), None, exc.problems))
        except (OSError, UnicodeDecodeError) as exc:
            entries.append(CohortEntry(str(path), None, (Problem(str(path), 1, 1, "", f"expected a readable UTF-8 file, found {exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__}"),)))
        except RecursionError:  # JSON nested deeper than Python parses
            entries.append(CohortEntry(str(path), None, (Problem(str(path), 1, 1, "", "expected progress JSON, found values nested too deeply to read"),)))
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            entries.append(CohortEntry(str(path), None, (Problem(str(path), 1, 1, "", f"expected progress JSON, found a value that cannot be read: {str(exc).split(';')[0]}"),)))
    return entries



def cohort_json(entries: Sequence[CohortEntry], exercises: ExerciseMaps | None = None) -> list[dict[str, Any]]:
    """JSON-ready rows of a cohort, bad files included with their problems (``exercises``: default shipped)."""
    maps = exercises if exercises is not None else ExerciseMaps.shipped()
    rows = []
    for e in entries:
        row: dict[str, Any] = {"file": e.file, "learner": e.learner, "ok": e.progress is not None}
        if e.progress is not None:
            row.update(answered=e.answered, correct=e.correct, steps_correct=e.steps_correct, mastery=mastery_levels(e.progress, maps.skills, maps.steps))
        else:
            row["problems"] = [str(p) for p in e.problems]
        rows.append(row)
    return rows


# -- The instructor's class view: the roster with the collected progress -----------------------

_ROUND = 1
"""Hours in the class view are shown to one decimal."""


@dataclass(frozen=True, slots=True)
class ClassRow:
    """One learner of the roster against the progress collected for them."""

    line: int
    """1-based line of the learner's roster row."""
    name: str
    """The learner's name as in the roster."""
    role: str
    """Id of the target role."""
    role_name: str
    """The target role's display name."""
    start: date
    """The plan's first day."""
    hours_per_week: float
    """Study hours a week, from the roster."""
    plan_hours: float
    """Hours of study on the learner's plan (what ``rolecourse cohort`` wrote for them)."""
    expected_hours: float
    """Hours the plan has scheduled before ``today``."""
    done_hours: float
    """Hours of the plan's modules the learner's mastery now covers."""
    mastered: tuple[tuple[str, str, int], ...]
    """Skills mastered (level 1-3), curriculum order: (skill id, skill name, level)."""
    role_skills_mastered: int
    """How many of the role's key skills are among :attr:`mastered`."""
    role_skills_total: int
    """The role's key skills."""
    file: str | None
    """The progress file read for this learner, or None when none was collected."""
    answered: int = 0
    """Distinct questions answered."""
    correct: int = 0
    """Of those, right the last time."""
    steps_correct: int = 0
    """Exercise steps whose latest outcome is correct."""
    today: date | None = None
    """The day the view was computed for."""

    @property
    def behind_hours(self) -> float:
        """Hours the learner is behind the plan (0 when on track or ahead)."""
        return max(0.0, round(self.expected_hours - self.done_hours, _ROUND))

    @property
    def status(self) -> str:
        """``not started yet (starts …)``, ``done``, ``on track`` or ``behind by N h``; ``no progress collected`` is added when no file was found."""
        if self.today is not None and self.today < self.start and self.done_hours == 0:
            text = f"not started yet (starts {self.start.isoformat()})"
        elif self.plan_hours and self.done_hours >= self.plan_hours:
            text = "done"
        elif self.behind_hours <= 0:
            text = "on track"
        else:
            text = f"behind by {self.behind_hours:g} h"
        return text if self.file is not None else f"{text}; no progress collected"


@dataclass(frozen=True, slots=True)
class ClassView:
    """A class's roster read with its collected progress: one row per planned learner, and the problems."""

    rows: tuple[ClassRow, ...]
    """One per roster row that could be planned, in roster order."""
    problems: tuple[str, ...]
    """One line each: bad roster rows (``ROSTER:LINE: …``), unreadable progress files, files matching no roster row."""
    today: date
    """The day the view was computed for."""
    files: int
    """How many progress files were looked at."""

    @property
    def ok(self) -> bool:
        """True when every roster row and every file was used."""
        return not self.problems


def _expected_minutes(schedule: Any, today: date) -> int:
    """Minutes the schedule has studied before ``today`` (today's session may still be ahead)."""
    total = 0
    for week in schedule.weeks:
        if week.start >= today:
            break
        if week.end < today:
            total += week.minutes
        else:
            total += sum(s.minutes for s in week.sessions if s.date < today)
    return total


def class_view(
    roster: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    *,
    today: date,
    curriculum: Any = None,
    exercises: ExerciseMaps | None = None,
    start: date | str | None = None,
) -> ClassView:
    """Each roster learner's plan (as ``rolecourse cohort`` makes it) against the progress collected in ``folder``.

    Progress files are matched to roster rows by the learner's name (the one slug rule, so
    ``ada lovelace`` in the roster finds ``Ada Lovelace``'s export). For each learner: hours
    the plan has scheduled before ``today`` (from the roster's start date and hours a week;
    ``start`` for rows without one, default ``today``), hours of the plan's modules the
    learner's mastery now covers (a module of level L counts when its skill is mastered at
    level L or above, by :func:`~rolecourse.progress.mastery.mastery_levels`, the one mastery
    rule), and the skills mastered. Bad roster rows, unreadable files and files that match no
    roster row come back as problem lines; every other learner is still shown. A file-level
    roster problem raises :class:`~rolecourse.errors.ContentError`.
    """
    from .._text import slug
    from ..planning.cohorts import Roster, RowError, _Planner, iter_planned
    from ..planning.plans import resolve_curriculum
    from ..planning.pace import parse_date

    cur = resolve_curriculum(curriculum)
    maps = exercises if exercises is not None else ExerciseMaps.shipped()
    entries = cohort_progress(folder)
    problems: list[str] = [str(p) for e in entries for p in e.problems]
    by_slug: dict[str, CohortEntry] = {}
    for e in entries:
        if e.progress is None:
            continue
        key = slug(e.progress.learner, fallback="")
        if key in by_slug:
            problems.append(f"{e.file}: a second file for {e.progress.learner!r} (first: {by_slug[key].file}); not used")
            continue
        by_slug[key] = e
    shown = str(roster)
    default_start = parse_date(start) if start is not None else today
    rows: list[ClassRow] = []
    used: set[str] = set()
    for item in iter_planned(Roster(roster, shown), _Planner(cur, default_start)):
        if isinstance(item, RowError):
            problems.append(f"{shown}:{item.line}: {item.message}")
            continue
        plan = item.plan
        role = plan.targets[0]
        key = slug(plan.learner, fallback="")
        entry = by_slug.get(key) if key not in used else None
        used.add(key)
        levels = mastery_levels(entry.progress, maps.skills, maps.steps) if entry is not None and entry.progress is not None else {}
        done = sum(step.module.hours for step in plan.path.steps if levels.get(step.skill.id, 0) >= step.module.level.rank)
        mastered = tuple((s.id, s.name, levels[s.id]) for s in cur.skills.values() if levels.get(s.id, 0) > 0)
        key_skills = role.required_skill_ids(levels=levels)
        rows.append(
            ClassRow(
                line=item.line,
                name=plan.learner,
                role=role.id,
                role_name=role.name,
                start=plan.schedule.start,
                hours_per_week=plan.schedule.hours_per_week,
                plan_hours=round(plan.path.total_hours, _ROUND),
                expected_hours=round(_expected_minutes(plan.schedule, today) / 60, _ROUND),
                done_hours=round(done, _ROUND),
                mastered=mastered,
                role_skills_mastered=sum(1 for s in key_skills if levels.get(s, 0) > 0),
                role_skills_total=len(key_skills),
                file=entry.file if entry is not None else None,
                answered=entry.answered if entry is not None else 0,
                correct=entry.correct if entry is not None else 0,
                steps_correct=entry.steps_correct if entry is not None else 0,
                today=today,
            )
        )
    for key, e in by_slug.items():
        if key not in used:
            problems.append(f"{e.file}: learner {e.learner!r} is not in the roster {shown}; not shown")
    return ClassView(tuple(rows), tuple(problems), today, len(entries))
