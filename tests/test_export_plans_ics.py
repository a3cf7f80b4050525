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
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolecourse.content.curriculum import load_curriculum
from rolecourse.export.plans import (
    _CUTTERS_MAX,
    IcsRenderer,
    _blocked_cuts,
    _fold_rest,
    _fold_tail,
    _ics_escape,
    _ics_fold,
    milestone_name,
    to_ics,
)
from rolecourse.planning.plans import plan
from rolecourse.planning.pace import format_minutes

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


def _cut_allowed(line: bytes, end: int) -> bool:
    """Whether a piece of ``line`` may end before ``line[end]``, as :func:`_ics_fold` decides (neither inside a character nor after ``\\`` or ``^``)."""
    return not (0x80 <= line[end] < 0xC0) and line[end - 1] not in b"\\^"


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(_FOLD_ALPHABET, max_size=200))
def test_blocked_cuts_marks_every_cut_that_may_not_be(pieces):
    """Every position where a piece may not end has its remainder modulo 74 marked (more may be: a mark only sends the fold the long way)."""
    rest = b"".join(pieces)
    blocked = _blocked_cuts(rest)
    assert blocked < 1 << 74
    for i in range(1, len(rest)):
        if not _cut_allowed(rest, i):
            assert blocked >> i % 74 & 1, i
    if rest and 0x80 <= rest[0] < 0xC0:
        assert blocked & 1


@settings(max_examples=600, deadline=None)
@given(pieces=st.lists(_FOLD_ALPHABET, max_size=300), phase=st.integers(min_value=0, max_value=74), end=st.sampled_from([b"", b"\r\nEND"]))
def test_fold_tail_folds_as_the_whole_line_would(pieces, phase, end):
    """The fast fold (fixed steps when no cut is blocked, :func:`_fold_rest` otherwise) equals folding the whole line."""
    rest = b"".join(pieces)
    assert _fold_tail(rest, phase, _blocked_cuts(rest), end) == _ics_fold(b"x" * phase + rest)[phase:] + end


_AWKWARD = [b"\\n", b"\\\\", b"\\,", b"^", "é".encode(), "€".encode(), "𝔸".encode()]


@pytest.mark.parametrize("phase", range(75))
def test_fold_tail_at_every_phase_with_an_escape_or_a_character_at_each_cut(phase):
    """For every phase, an escape or a multibyte character placed across, before and after each planned cut (and plain lines, short and long)."""
    first = 74 - phase
    rests = [b"a" * n for n in (0, 1, first - 1, first, first + 1, first + 74, first + 75, first + 74 * (_CUTTERS_MAX + 2) + 5)]
    for awkward in _AWKWARD:
        for k in (0, 1, 2):
            for shift in range(-len(awkward) - 1, 2):
                at = first + 74 * k + shift
                if at < 0:
                    continue
                rests.append(b"a" * at + awkward + b"b" * 200)
                rests.append(b"a" * at + awkward + b"\\n" + b"c" * 150 + awkward + b"d" * 80)
    ways = set()
    for rest in rests:
        blocked = _blocked_cuts(rest)
        ways.add(bool(blocked >> first % 74 & 1))  # True: the cuts are decided one by one
        assert _fold_tail(rest, phase, blocked, b"!") == _ics_fold(b"x" * phase + rest)[phase:] + b"!", rest
    assert ways == {False, True}


def _reference_session_texts(links, pieces):
    """A session's texts as IcsRenderer made them before they were joined from escaped pieces: the whole summary and details escaped at once."""

    def where(m):
        lesson = links.get(m.id)
        return (f"\n  lesson: {lesson}" if lesson is not None else "") + (f"\n  read: {m.resources[0].url}" if m.resources else "")

    labels = [m.title if n == 1 else f"{m.title} (part {i} of {n})" for m, _, i, n in pieces]
    summary = f"Study ({format_minutes(sum(p[1] for p in pieces))}): {', '.join(labels)}"
    detail = "\n".join(f"{label}: {format_minutes(take)}{where(m)}" for label, (m, take, _, _) in zip(labels, pieces))
    return (
        b"\x1fstudy\x1f" + summary.encode("utf-8"),
        detail.encode("utf-8"),
        b"BEGIN:VEVENT\r\n" + _ics_fold(b"SUMMARY:" + _ics_escape(summary).encode("utf-8")),
        b"\\n" + _ics_escape(detail).encode("utf-8"),
    )


_HOSTILE_TEXT = st.lists(st.sampled_from(["SQL", " ", ",", ";", "\\", "\\N", "N", "\n", "\r", "\r\n", "^", ":", "é", "李", "😀", "x" * 40]), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    modules=st.lists(st.tuples(_HOSTILE_TEXT, st.sampled_from(["", "https://example.org/a", "https://example.org/x\\", "x\r", "\\Nz,é"]), st.booleans()), min_size=1, max_size=3),
    takes=st.lists(st.tuples(st.integers(1, 600), st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=4),
)
def test_session_texts_joined_from_escaped_pieces_equal_the_whole_escaped(modules, takes):
    """Escaping a session's labels and lines piece by piece gives the bytes escaping them whole gives, whatever the titles, links and addresses (carriage returns included)."""
    mods = [SimpleNamespace(id=f"m{k}", title=title, resources=(SimpleNamespace(url=url),) if url else ()) for k, (title, url, _) in enumerate(modules)]
    links = {f"m{k}": f"lessons/{title}.ipynb" for k, (title, _, lesson) in enumerate(modules) if lesson}
    pieces = [(mods[k % len(mods)], take, min(i, n), n) for k, (take, i, n) in enumerate(takes)]
    renderer = IcsRenderer()
    renderer._links = links
    texts = renderer._session_texts(pieces)
    assert texts[:4] == _reference_session_texts(links, pieces)
    assert texts[4] == _blocked_cuts(texts[3])


@pytest.mark.parametrize("end", ["x", "é", "\\", "^", "李", "x\\N", ";", ","])
@pytest.mark.parametrize("learner", ["Ada", "Zoë " * 30])
def test_titles_ending_with_any_character_equal_the_icalendar_library(end, learner):
    """Plans whose title ends with an escape or a multibyte character (their details are folded with the whole line), of weeks numbered 1 to 108 (the number's digits never move a cut)."""
    p = plan("deep-learning-engineer", curriculum=CUR, hours_per_week=0.5, start=date(2025, 1, 6), learner=learner)
    assert p.schedule.week_count >= 100 and p.schedule.milestones[-1].week >= 100
    odd = SimpleNamespace(title=p.title + end, schedule=p.schedule)
    renderer = IcsRenderer()
    assert renderer.render(odd).decode("utf-8") == reference_ics(odd)
    assert renderer.render(p).decode("utf-8") == reference_ics(p)
