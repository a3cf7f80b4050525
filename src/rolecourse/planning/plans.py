"""Study plans: a learning path laid out as a schedule, ready to export.

:func:`plan` is what ``rolecourse plan`` calls; it ties :mod:`rolecourse.planning.paths` and
:mod:`rolecourse.planning.schedule`. The plan as text or a file is :mod:`rolecourse.export.plans`'s job
(``render(plan, "md")``, ``write(plan, "ics", path)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Sequence

from ..content.model import Curriculum, Role
from .paths import LearningPath, learning_path, normalize_known, parse_known
from .pace import parse_date
from .schedule import Schedule, build_schedule


@dataclass(frozen=True, slots=True)
class StudyPlan:
    """A learner's plan: what to study (the path) and when (the schedule)."""

    targets: tuple[Role, ...]
    """The roles aimed at, in the order asked."""
    from_role: Role | None
    """The learner's current role in a move, or ``None``."""
    path: LearningPath
    """The ordered modules, with what was skipped."""
    schedule: Schedule
    """The modules laid out week by week."""
    learner: str = ""
    """The learner's name (empty for a personal plan)."""
    curriculum_title: str = ""
    """The title of the curriculum the plan was made from."""

    @property
    def title(self) -> str:
        """``Study plan: Data Scientist`` (with the learner's name and the move, if any)."""
        goal = " + ".join([r.name for r in self.targets])
        if self.from_role is not None:
            goal = f"{self.from_role.name} → {goal}"
        who = f" for {self.learner}" if self.learner else ""
        return f"Study plan{who}: {goal}"

    @property
    def weeks(self) -> int:
        """How many weeks the plan lasts."""
        return self.schedule.week_count


def resolve_curriculum(curriculum: Curriculum | str | None) -> Curriculum:
    """``curriculum`` itself, the file it names, or the shipped curriculum when ``None``."""
    if isinstance(curriculum, Curriculum):
        return curriculum
    from ..content.curriculum import load_curriculum

    return load_curriculum(curriculum)


def plan(
    role: str | Role | Sequence[str | Role],
    *,
    curriculum: Curriculum | str | None = None,
    from_role: str | Role | None = None,
    known: Mapping[str, int] | Iterable[tuple[str, int]] | str | None = None,
    hours_per_week: float = 10,
    start: date | str,
    study_days: str | Sequence[str | int] | None = None,
    learner: str = "",
    choices: Mapping[str, str] | Iterable[str] | str | None = None,
) -> StudyPlan:
    """Plan study towards ``role`` (an id or name, or several) from ``start``.

    ``from_role`` counts the current role's key skills as known at level 2; ``known`` maps
    skills to levels 0..3 (or is a string such as ``"sql:2,python"``, a bare skill meaning
    level 3). ``choices`` picks an option of the roles' choices (``"r"`` or ``["r"]``: R, not
    Python, for a Data Analyst). ``study_days`` defaults to Monday–Friday. ``curriculum`` defaults to the
    shipped one (or names a file). Raises :class:`~rolecourse.errors.UsageError` for bad
    arguments, with close matches for unknown roles and skills.
    """
    cur = resolve_curriculum(curriculum)
    known_map = parse_known(known, cur) if isinstance(known, str) else normalize_known(cur, known)
    picks = [c.strip() for c in choices.split(",") if c.strip()] if isinstance(choices, str) else choices
    path = learning_path(cur, role, from_role=from_role, known=known_map, choices=picks)
    schedule = build_schedule(path, cur, hours_per_week=hours_per_week, start=parse_date(start), study_days=study_days)
    return StudyPlan(
        targets=tuple(cur.role(r) for r in path.targets),
        from_role=cur.role(path.from_role) if path.from_role else None,
        path=path,
        schedule=schedule,
        learner=learner,
        curriculum_title=cur.title,
    )
