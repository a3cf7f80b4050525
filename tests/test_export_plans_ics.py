"""The iCalendar export is written directly (issue 19); it must equal what the icalendar library writes.

``reference_ics`` is the former ``to_ics``, built event by event with ``icalendar``; the
property test compares the two, byte for byte, on plans with hostile learner names (commas,
semicolons, backslashes, a literal ``\\N``, line breaks, carets, accents and other scripts,
names long enough to fold anywhere), any pace, study days and start.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolecourse.content.curriculum import load_curriculum
from rolecourse.export.plans import IcsRenderer, _fold_rest, _ics_fold, milestone_name, to_ics
from rolecourse.planning.plans import plan
from rolecourse.planning.schedule import format_minutes

FIXTURES = Path(__file__).parent / "fixtures"

icalendar = pytest.importorskip("icalendar")

CUR = load_curriculum(FIXTURES / "paths" / "mini.yaml")
LINKS = {"probability-foundations": "lessons/probability-foundations/probability-foundations.ipynb"}


@pytest.fixture(autouse=True)
def fixed_lessons(monkeypatch):
    monkeypatch.setattr("rolecourse.export.plans.lesson_links", lambda: LINKS)


def reference_ics(plan_) -> str:
    """The plan as the icalendar library writes it (the export before issue 19)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//rolecourse//study plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", plan_.title)
    s = plan_.schedule
    stamp = datetime(s.start.year, s.start.month, s.start.day, tzinfo=timezone.utc)

    def event(summary, description, day, category):
        uid = hashlib.sha256("\x1f".join([plan_.title, day.isoformat(), category, summary, description]).encode("utf-8")).hexdigest()[:32] + "@rolecourse"
        ev = icalendar.Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("summary", summary)
        ev.add("description", description)
        ev.add("categories", [category])
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)

    def where(m):
        lesson = LINKS.get(m.id)
        return (f"\n  lesson: {lesson}" if lesson is not None else "") + (f"\n  read: {m.resources[0].url}" if m.resources else "")

    for session in s.sessions:
        names = ", ".join(p.label for p in session.parts)
        detail = "\n".join(f"{p.label}: {format_minutes(p.minutes)}{where(p.module)}" for p in session.parts)
        event(f"Study ({format_minutes(session.minutes)}): {names}", f"Week {session.week} of {plan_.title}\n{detail}", session.date, "study")
    for ms in s.milestones:
        event(milestone_name(ms), f"Milestone in week {ms.week} of {plan_.title}", ms.date, ms.kind.value)
    return cal.to_ical().decode("utf-8")


hostile = st.lists(st.sampled_from(["Ada", " ", ",", ";", "\\", "\\N", "\n", "\r\n", "^", ":", "é", "李", "😀", "x" * 30, "Zoë Ødegaard"]), max_size=8).map("".join)


@settings(max_examples=30, deadline=None)
@given(
    learner=hostile,
    role=st.sampled_from([r.id for r in CUR.roles]),
    known=st.sampled_from(["", "python:1", "statistics:2,sql", "probability"]),
    hours=st.sampled_from([1, 3.5, 6, 10, 17]),
    days=st.sampled_from([None, "mon,wed,sat", "sun", "mon,tue,wed,thu,fri,sat,sun"]),
    offset=st.integers(0, 400),
)
def test_direct_ics_equals_the_icalendar_library(learner, role, known, hours, days, offset):
    """Byte for byte, whatever the name, pace, study days and start (the library refuses a line break in the calendar's name)."""
    p = plan(role, curriculum=CUR, known=known, hours_per_week=hours, start=date(2025, 1, 1) + timedelta(days=offset), study_days=days, learner=learner)
    text = to_ics(p)
    if "\n" in learner or "\r" in learner:
        lines = text.split("\r\n")
        assert lines[-1] == "" and not any("\n" in line or "\r" in line for line in lines)
        assert [line for line in lines if not line.startswith("X-WR-CALNAME:")][:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//rolecourse//study plan//EN"]
    else:
        assert text == reference_ics(p)


def test_one_renderer_over_many_plans_writes_what_a_fresh_one_writes():
    """Memos shared across plans never change a plan's bytes."""
    plans = [plan(r.id, curriculum=CUR, hours_per_week=h, start=date(2025, 3, 3) + timedelta(days=d), learner=f"L{d}{h}") for r in CUR.roles for h in (4, 9) for d in (0, 3)]
    shared = IcsRenderer()
    assert [shared.render(p) for p in plans] == [IcsRenderer().render(p) for p in plans]


@pytest.mark.parametrize(
    ("line", "pieces"),
    [
        (b"A" * 74, [b"A" * 74]),
        (b"A" * 75, [b"A" * 74, b"A"]),
        (b"A" * 73 + b"\\n" + b"B", [b"A" * 73, b"\\nB"]),  # an escape is never split
        (b"A" * 73 + "é".encode() + b"B", [b"A" * 73, "éB".encode()]),  # nor a character
    ],
)
def test_folding(line, pieces):
    """Pieces of at most 74 octets, never inside a character or an escape."""
    assert _ics_fold(line) == b"\r\n ".join(pieces)


_FOLD_ALPHABET = st.sampled_from([b"a", b" ", b",", b"\\", b"^", b"\\n", "é".encode(), "€".encode(), "𝔸".encode()])


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(_FOLD_ALPHABET, max_size=200), phase=st.integers(min_value=0, max_value=74))
def test_fold_rest_folds_as_the_whole_line_would(pieces, phase):
    """The end of a line folded on its own equals folding the whole line (a plain ASCII start of ``phase`` bytes) and cutting that start off."""
    rest = b"".join(pieces)
    assert _fold_rest(rest, phase) == _ics_fold(b"x" * phase + rest)[phase:]
