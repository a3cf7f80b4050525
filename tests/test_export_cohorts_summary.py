"""Tests of rolecourse.export.cohorts' summary in the format asked and the class calendar (issue #20)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest

from rolecourse.cli import main
from rolecourse.export.cohorts import cohort

ROSTER = """\
name,role,known,hours_per_week,start
Ada Lovelace,data-scientist,python:2;sql:1,8,2025-09-01
Summary,data-analyst,excel:2,6,2025-09-08
<b>Bold</b>,data-analyst,,6,2025-09-08
Bad,no-such-role,,6,
"""


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.links: list[str] = []
        self.items: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_data(self, data):
        if not data.strip():
            return
        if self._tag == "td":
            self.cells.append(data)
        elif self._tag == "li":
            self.items.append(data)


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_html_plans_get_an_html_summary(roster: Path, tmp_path: Path):
    """--format html writes summary.html (not Markdown): per role, per learner with a link to the plan, bad rows."""
    out = tmp_path / "out"
    result = cohort(roster, out, fmt="html", start="2025-09-01")
    assert sorted(p.name for p in out.iterdir()) == ["ada-lovelace.html", "b-bold-b.html", "summary-2.html", "summary.csv", "summary.html"]
    assert result.files[-2:] == (out / "summary.html", out / "summary.csv")
    text = (out / "summary.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "|---" not in text and "<b>Bold</b>" not in text
    parsed = _Cells()
    parsed.feed(text)
    assert parsed.links == ["ada-lovelace.html", "summary-2.html", "b-bold-b.html"]
    assert "<b>Bold</b>" in parsed.cells and "Data Scientist" in parsed.cells
    assert len(parsed.items) == 1 and parsed.items[0].startswith("line 5: unknown role 'no-such-role'")


def test_md_plans_keep_the_markdown_summary(roster: Path, tmp_path: Path):
    """Every other format keeps summary.md."""
    out = tmp_path / "out"
    cohort(roster, out, fmt="json", start="2025-09-01")
    assert {"summary.md", "summary.csv"} <= {p.name for p in out.iterdir()} and not (out / "summary.html").exists()


def test_class_calendar(roster: Path, tmp_path: Path):
    """calendar=True writes summary.ics: each learner's start, milestones and end, all-day; the same bytes run after run."""
    out = tmp_path / "out"
    result = cohort(roster, out, fmt="ics", start="2025-09-01", calendar=True)
    assert result.summary_names == ("summary.md", "summary.csv", "summary.ics")
    assert (out / "summary-2.ics").is_file()  # the learner called Summary never overwrites the class files
    data = (out / "summary.ics").read_bytes()
    cal = icalendar.Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    ada = [str(e["SUMMARY"]) for e in events if str(e["SUMMARY"]).startswith("Ada Lovelace")]
    assert ada[0] == "Ada Lovelace: starts Data Scientist" and ada[-1] == "Ada Lovelace: plan ends (Data Scientist)"
    assert "Ada Lovelace: Quiz: Data Scientist" in ada
    assert events[0].decoded("DTSTART").isoformat() == "2025-09-01"
    assert len({str(e["UID"]) for e in events}) == len(events)
    again = tmp_path / "again"
    cohort(roster, again, fmt="ics", start="2025-09-01", calendar=True)
    assert (again / "summary.ics").read_bytes() == data


def test_cli_calendar_and_html_summary(roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """The command names the summary it wrote and the class calendar."""
    out = tmp_path / "plans"
    assert main(["cohort", str(roster), "-o", str(out), "--format", "html", "--start", "2025-09-01", "--calendar"]) == 1
    assert f"wrote 3 plans, summary.html and the class calendar summary.ics to {out}, 1 row failed" in capsys.readouterr().out
    assert (out / "summary.ics").is_file() and (out / "summary.html").is_file()
