"""Cohorts at scale (issue 19): streamed, memory-bounded, atomic, and the same bytes whatever is remembered.

Property-based at the public entry point: ``cohort()`` on generated rosters (names with commas,
quotes, accents and other scripts; roles by id or name; known skills at any level; any pace and
start) writes, for each good row, exactly ``render(plan(row))``, and reports each bad row by its
line. The memos that make big classes fast never change a byte: the same roster planned with
memos of two entries gives the same files.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import UsageError
from rolecourse.export.cohorts import cohort
from rolecourse.export.plans import FORMATS, render
from rolecourse.planning import cohorts as planning_cohorts
from rolecourse.planning.cohorts import Memo, Roster
from rolecourse.planning.plans import plan

MINI = Path(__file__).parent / "fixtures" / "paths" / "mini.yaml"
START = "2025-03-03"
FIXED_LESSONS = {"probability-foundations": "lessons/probability-foundations/probability-foundations.ipynb"}


@pytest.fixture(autouse=True)
def fixed_lessons(monkeypatch):
    monkeypatch.setattr("rolecourse.export.plans.lesson_links", lambda: FIXED_LESSONS)


@pytest.fixture(scope="module")
def cur():
    return load_curriculum(MINI)


CUR = load_curriculum(MINI)
ROLE_KEYS = [r.id for r in CUR.roles] + [r.name for r in CUR.roles]
SKILLS = sorted(CUR.skills)

names = st.lists(st.sampled_from(list("abcXYZ ,;'\"-.é李") + ["Zoë", "O'Brien", "van der"]), max_size=8).map("".join)
known = st.lists(st.tuples(st.sampled_from(SKILLS), st.sampled_from(["", ":0", ":1", ":2", ":3"])), max_size=3, unique_by=lambda t: t[0]).map(
    lambda items: ";".join(s + lv for s, lv in items)
)
hours = st.sampled_from(["", "4", "6.5", "10", "19.5", "80"])
starts = st.one_of(st.just(""), st.integers(0, 90).map(lambda d: (date(2025, 1, 6) + timedelta(days=d)).isoformat()))
good_rows = st.tuples(names, st.sampled_from(ROLE_KEYS), known, hours, starts)
bad_rows = st.sampled_from(
    [
        ("Bad Role", "data-scienist", "", "10", ""),
        ("Bad Skill", "data-analyst", "sqll:2", "8", ""),
        ("Bad Level", "data-analyst", "sql:7", "8", ""),
        ("Bad Hours", "data-analyst", "", "lots", ""),
        ("Bad Date", "data-analyst", "", "8", "2025-02-30"),
        ("No Role", "", "", "8", ""),
    ]
)
rosters = st.lists(st.one_of(good_rows, good_rows, good_rows, bad_rows), min_size=0, max_size=25)


def write_roster(folder: Path, rows) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "role", "known", "hours_per_week", "start"])
    w.writerows(rows)
    path = folder / "roster.csv"
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rosters, fmt=st.sampled_from(FORMATS))
def test_each_good_row_gets_its_own_plan_and_each_bad_row_its_line(cur, rows, fmt):
    """Every learner's file is render(plan(row)); every bad row is reported by its line; nothing else is written."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        roster = write_roster(folder, rows)
        out = folder / "out"
        result = cohort(roster, out, fmt=fmt, curriculum=cur, start=START)
        expected_errors = []
        planned = iter(result.learners)
        for line, (learner, role, known_text, hours_text, start) in enumerate(rows, 2):
            try:
                own = plan(role, curriculum=cur, known=known_text.replace(";", ","), hours_per_week=float(hours_text or 10), start=start or START, learner=learner.strip())
                if not role:
                    raise UsageError("role is empty")
            except (UsageError, ValueError):
                expected_errors.append(line)
                continue
            lp = next(planned)
            assert lp.line == line and lp.name == learner.strip()
            assert lp.file.read_bytes() == render(own, fmt).encode("utf-8")
        assert next(planned, None) is None
        assert [e.line for e in result.errors] == expected_errors
        written = sorted(p.name for p in out.iterdir())
        assert written == sorted([lp.file_name for lp in result.learners] + [p.name for p in result.files[len(result.learners) :]])
        assert result.planned == len(result.learners)


@pytest.mark.parametrize("fmt", FORMATS)
def test_memos_never_change_a_byte(cur, tmp_path, monkeypatch, fmt):
    """The same roster planned and rendered with memos of two entries (always forgetting) gives the same files."""
    rows = [(f"L{i}", ROLE_KEYS[i % len(ROLE_KEYS)], ["", "python:1", "sql;probability:2", "statistics:3"][i % 4], ["6", "8", "10"][i % 3], ["", "2025-03-04"][i % 2]) for i in range(40)]
    roster = write_roster(tmp_path, rows)
    cohort(roster, tmp_path / "big", fmt=fmt, curriculum=cur, start=START)
    original = Memo.__init__

    def tiny(self, size=2):
        original(self, 2)

    monkeypatch.setattr(Memo, "__init__", tiny)
    cohort(roster, tmp_path / "tiny", fmt=fmt, curriculum=cur, start=START)
    assert files(tmp_path / "big") == files(tmp_path / "tiny")


def test_memo_forgets_its_older_half_when_full():
    """A Memo holds at most its size; a new key beyond it first forgets the older half (in the order they were added)."""
    memo = Memo(4)
    for i, key in enumerate("abcd"):
        memo.put(key, i)
    assert len(memo) == 4
    memo.put("e", 4)
    assert memo == {"c": 2, "d": 3, "e": 4}
    memo["f"] = 5
    memo["f"] = 6  # replacing a key forgets nothing
    assert memo == {"c": 2, "d": 3, "e": 4, "f": 6}
    memo["g"] = 7
    assert memo == {"e": 4, "f": 6, "g": 7}
    small = Memo(1)
    small.put("a", 1)
    small.put("b", 2)
    assert small == {"b": 2}


def test_the_command_keeps_no_learner_list_but_counts_them(cur, tmp_path):
    """keep_learners=False (what the CLI does): no per-learner list, the count and the summary still right."""
    roster = write_roster(tmp_path, [("Ada", "data-analyst", "", "8", ""), ("Bea", "dl-engineer", "python", "10", "")])
    kept = cohort(roster, tmp_path / "a", curriculum=cur, start=START)
    lean = cohort(roster, tmp_path / "b", curriculum=cur, start=START, keep_learners=False)
    assert lean.learners == () and lean.planned == 2 == kept.planned
    assert lean.summaries == kept.summaries and lean.to_json()["planned"] == 2
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_roster_is_checked_whole_before_anything_is_written(cur, tmp_path):
    """A file-level problem anywhere (here a byte that is not UTF-8 on the last line) raises before the folder is made."""
    roster = tmp_path / "roster.csv"
    roster.write_bytes(b"name,role,known,hours_per_week\n" + b"Ada,data-analyst,,8\n" * 50 + b"Zo\xeb,data-analyst,,8\n")
    with pytest.raises(Exception) as info:
        cohort(roster, tmp_path / "out", curriculum=cur, start=START)
    assert ":52:" in str(info.value) or "52" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_roster_counts_rows_without_keeping_them(tmp_path):
    """Roster.total counts the rows (blank lines skipped); iterating gives them with their lines, twice alike."""
    roster = write_roster(tmp_path, [("Ada", "data-analyst", "", "8", ""), ("", "", "", "", ""), ("Bea", "dl-engineer", "python", "10", "")])
    r = Roster(roster)
    assert r.total == 2
    assert [row.line for row in r] == [2, 4] == [row.line for row in r]


def test_memory_bound_is_a_constant():
    """The planner's memos are bounded by MEMO_SIZE (a constant), whatever the class size."""
    planner = planning_cohorts._Planner(CUR, date(2025, 3, 3))
    bounded = [v for v in vars(planner).values() if isinstance(v, Memo)]
    assert bounded and all(m.size <= planning_cohorts.MEMO_SIZE for m in bounded)


def test_a_parsed_row_crosses_to_a_worker_and_back_unchanged(tmp_path):
    """What a worker gets of a parsed row (the role by id: roles are not sent) builds the same plan as the row itself."""
    roster = write_roster(tmp_path, [("Ada", "Data Analyst", "python:2;sql", "7.5", "2025-04-01")])
    row = next(iter(Roster(roster)))
    parent = planning_cohorts._Planner(CUR, date(2025, 3, 3))
    parsed = parent.parse(row)
    wired = parent.to_wire(parsed)
    assert isinstance(wired[1], str) and not any(isinstance(x, type(parsed[1])) for x in wired)
    worker = planning_cohorts._Planner(CUR, date(2025, 3, 3))
    back = worker.from_wire(wired)
    assert back == parsed
    assert render(worker.build(row, back), "json") == render(parent.plan(row), "json")


def test_a_symlink_in_the_way_is_replaced_not_followed(cur, tmp_path):
    """A symlink named like a learner's file is replaced by the plan; the file it pointed to is untouched."""
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "ada.md").symlink_to(outside)
    roster = write_roster(tmp_path, [("Ada", "data-analyst", "", "8", "")])
    cohort(roster, out, curriculum=cur, start=START)
    assert outside.read_text() == "keep me"
    assert not (out / "ada.md").is_symlink() and (out / "ada.md").read_text().startswith("# Study plan for Ada")


def test_modes_are_kept_and_no_temporary_file_is_left(cur, tmp_path):
    """A replaced plan keeps its mode, a new one gets the umask's; no temporary file remains."""
    out = tmp_path / "out"
    roster = write_roster(tmp_path, [("Ada", "data-analyst", "", "8", ""), ("Bea", "data-analyst", "", "8", "")])
    cohort(roster, out, curriculum=cur, start=START)
    os.chmod(out / "ada.md", 0o600)
    umask = os.umask(0)
    os.umask(umask)
    cohort(roster, out, curriculum=cur, start=START)
    assert stat.S_IMODE((out / "ada.md").stat().st_mode) == 0o600
    assert stat.S_IMODE((out / "bea.md").stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in out.iterdir()) == ["ada.md", "bea.md", "summary.csv", "summary.md"]


def test_the_roster_itself_is_never_overwritten(cur, tmp_path):
    """A learner whose file name is the roster's (in the output folder) is refused with one line; the roster survives."""
    out = tmp_path / "out"
    out.mkdir()
    roster = out / "summary.md"
    text = "name,role,known,hours_per_week\nAda,data-analyst,,8\n"
    roster.write_text(text)
    with pytest.raises(UsageError, match="input"):
        cohort(roster, out, curriculum=cur, start=START)
    assert roster.read_text() == text
