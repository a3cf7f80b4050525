"""The pace a plan reads: study days, hours a week, dates, minutes as text."""

import pytest

from rolecourse.errors import UnknownNameError, UsageError
from rolecourse.planning.pace import check_hours_per_week, format_minutes, parse_date, parse_study_days


def test_parse_study_days_accepts_names_and_numbers():
    """Short, full and mixed-case names and weekday numbers."""
    assert parse_study_days("Mon, wednesday,SAT") == (0, 2, 5)
    assert parse_study_days([6, 0]) == (0, 6)
    assert parse_study_days(None) == (0, 1, 2, 3, 4)


@pytest.mark.parametrize("days", ["", "mon,funday", "monx", [7]])
def test_parse_study_days_rejects_bad_days(days):
    """Empty lists, unknown names and numbers out of range are refused."""
    with pytest.raises(UsageError):
        parse_study_days(days)


def test_unknown_study_day_suggests():
    """A misspelt day gets close matches."""
    with pytest.raises(UnknownNameError, match="wed"):
        parse_study_days("wedd")


@pytest.mark.parametrize("text", ["2025-02-30", "03/03/2025", "", "tomorrow"])
def test_parse_date_rejects_bad_dates(text):
    """Dates must be real YYYY-MM-DD dates."""
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        parse_date(text)


def test_format_minutes():
    """Minutes shown as hours and minutes."""
    assert [format_minutes(m) for m in (45, 60, 90, 200)] == ["45 min", "1 h", "1 h 30 min", "3 h 20 min"]


@pytest.mark.parametrize("hours", [0.5, 1, 12.5, 80])
def test_check_hours_per_week_keeps_a_number_in_range(hours):
    """Hours from half an hour to 80 come back as floats."""
    assert check_hours_per_week(hours) == float(hours)
    assert type(check_hours_per_week(hours)) is float


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (True, "must be a number, found True"),
        ("10", "must be a number, found '10'"),
        (float("nan"), "must be a number, found nan"),
        (0, "more than 0 and at most 80, found 0"),
        (80.5, "more than 0 and at most 80, found 80.5"),
        (0.25, "at least 0.5 (fewer makes a plan of years), found 0.25"),
    ],
)
def test_check_hours_per_week_says_what_it_found(hours, message):
    """Not a number, out of range and too few hours are refused, each with what was found."""
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_hours_per_week(hours)


def test_parse_date_keeps_the_years_a_plan_may_start_in():
    """1970 to 2200, as text or a date; a year outside is named."""
    from datetime import date

    assert parse_date(" 1970-01-01 ") == date(1970, 1, 1)
    assert parse_date(date(2200, 12, 31)) == date(2200, 12, 31)
    with pytest.raises(UsageError, match="in the years 1970 to 2200, found 2201-01-01"):
        parse_date("2201-01-01")
