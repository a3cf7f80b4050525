"""A learner's pace as a plan reads it: study days, hours a week, start date, minutes as text.

Pure: each function checks one input of a plan and returns it in the form
:mod:`~rolecourse.planning.schedule` works with, or raises
:class:`~rolecourse.errors.UsageError` (or :class:`~rolecourse.errors.UnknownNameError` for a
misspelt day, with close matches) saying what was expected and what was found.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from ..errors import UnknownNameError, UsageError, excerpt

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Short names of the weekdays, Monday first (index = :meth:`datetime.date.weekday`)."""

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Full names of the weekdays, Monday first."""

DEFAULT_STUDY_DAYS = (0, 1, 2, 3, 4)
"""Monday to Friday."""

MIN_HOURS_PER_WEEK = 0.5
"""Fewest hours a week a plan is laid out for (less gives plans of years: 1e-300 gave 3,276 weeks)."""

MIN_YEAR, MAX_YEAR = 1970, 2200
"""A plan starts in these years."""

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
    """Return ``hours`` as a float if it is a number in [:data:`MIN_HOURS_PER_WEEK`, 80]; else raise UsageError."""
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or hours != hours:
        raise UsageError(f"hours per week must be a number, found {excerpt(repr(hours))}")
    if not 0 < hours <= MAX_HOURS_PER_WEEK:
        raise UsageError(f"hours per week must be more than 0 and at most {MAX_HOURS_PER_WEEK:g}, found {hours:g}")
    if hours < MIN_HOURS_PER_WEEK:
        raise UsageError(f"hours per week must be at least {MIN_HOURS_PER_WEEK:g} (fewer makes a plan of years), found {hours:.6g}")
    return float(hours)


def parse_date(text: str | date) -> date:
    """``"2025-03-03"`` → ``date(2025, 3, 3)``; raises UsageError for anything else."""
    if isinstance(text, date):
        day = text
    else:
        try:
            day = date.fromisoformat(str(text).strip())
        except ValueError:
            raise UsageError(f"expected a date as YYYY-MM-DD, found {excerpt(repr(text))}") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise UsageError(f"expected a date in the years {MIN_YEAR} to {MAX_YEAR}, found {day.isoformat()}")
    return day
