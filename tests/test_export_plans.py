"""Tests for rolecourse.export.plans: golden files for every format, determinism, escaping.

Golden files live in tests/golden/plans/. After an intended change of output, refresh them with

    ROLECOURSE_UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_export_plans.py

and review the diff before committing.
"""

from __future__ import annotations

import csv
import io
import html
import json
import os
from pathlib import Path

import pytest

from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import UnknownNameError
from rolecourse.export.plans import CSV_HEADER, FORMATS, JSON_SCHEMA_VERSION, JsonRenderer, render, to_data, to_json, write
from rolecourse.planning.plans import plan

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "paths" / "mini.yaml"
GOLDEN = HERE / "golden" / "plans"
UPDATE = os.environ.get("ROLECOURSE_UPDATE_GOLDENS") == "1"


FIXED_LESSONS = {"probability-foundations": "lessons/probability-foundations/probability-foundations.ipynb"}
"""Lessons as the golden files see them, whatever the course ships."""


@pytest.fixture(autouse=True)
def fixed_lessons(monkeypatch):
    """Exports link the lessons of FIXED_LESSONS, so golden files do not change when a lesson is added."""
    monkeypatch.setattr("rolecourse.export.plans.lesson_links", lambda: FIXED_LESSONS)


@pytest.fixture(scope="module")
def sample():
    """A move with known skills, parts spanning weeks and a name needing escapes."""
    cur = load_curriculum(MINI)
    return plan(
        "deep-learning-engineer",
        curriculum=cur,
        from_role="data-analyst",
        known="statistics:1",
        hours_per_week=6,
        start="2025-03-03",
        study_days="mon,wed,sat",
        learner="Ada & <Co> | test",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_matches_golden_file(sample, fmt):
    """Each format's output equals its golden file byte for byte."""
    data = render(sample, fmt).encode("utf-8")
    golden = GOLDEN / f"sample.{fmt}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
    assert data == golden.read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_identical_across_calls(sample, fmt):
    """Rendering twice gives the same text (no timestamps, no random ids)."""
    assert render(sample, fmt) == render(sample, fmt)


def test_json_has_schema_version_and_parts(sample):
    """JSON carries schema_version, path, skipped, weeks with parts and milestones."""
    data = json.loads(render(sample, "json"))
    assert data["schema_version"] == JSON_SCHEMA_VERSION
    assert data["from_role"] == {"id": "data-analyst", "name": "Data Analyst"}
    assert data["total_hours"] == sample.path.total_hours
    assert any(m["parts"] > 1 for w in data["weeks"] for m in w["modules"])
    assert [m["name"] for m in data["milestones"]][-1] == "Exercise: Deep Learning Engineer hands-on"


def test_csv_rows_add_up_to_the_path(sample):
    """CSV study rows sum to the path's hours; milestones get their own rows."""
    rows = list(csv.DictReader(io.StringIO(render(sample, "csv"))))
    assert tuple(rows[0]) == CSV_HEADER
    assert sum(float(r["hours"]) for r in rows if r["kind"] == "study") == pytest.approx(sample.path.total_hours)
    checkpoints = [r for r in rows if r["kind"] == "checkpoint"]
    assert [r["kind"] for r in rows if r["kind"] not in ("study", "checkpoint")] == ["quiz", "exercise"]
    assert len(checkpoints) == len({st.module.skill for st in sample.path.steps})  # one after each skill
    for r in checkpoints:  # the module, and its lesson notebook named in the title and the lesson column
        assert r["module"] in {st.module.id for st in sample.path.steps}
        assert r["lesson"] == "" or r["title"].endswith(f"(practice and quiz in {r['lesson']})")


def test_html_is_self_contained_and_escaped(sample):
    """HTML: inline CSS with print styles, no external assets or scripts, names escaped; links only in <a href>."""
    import re

    page = render(sample, "html")
    assert "<style>" in page and "@media print" in page
    for needle in ("<script", "<link", "src=", "http://"):
        assert needle not in page
    assert "Ada &amp; &lt;Co&gt; | test" in page
    without_anchors = re.sub(r'<a href="[^"]*">', "", page)
    assert "https://" not in without_anchors.replace(">https://", "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_module_says_where_and_what_to_study(sample, fmt):
    """Each format names every module's lesson when there is one and its first resource; md, html and json its objectives."""
    text = render(sample, fmt)
    if fmt == "ics":
        text = text.replace("\r\n ", "").replace("\\n", "\n")
    lesson = FIXED_LESSONS["probability-foundations"]
    assert lesson in text
    for st in sample.path.steps:
        assert st.module.resources[0].url in text, (fmt, st.module.id)
        if fmt in ("md", "html", "json"):
            for objective in st.module.objectives:
                assert objective in text


def test_markdown_escapes_the_learners_name(sample):
    """Markdown and HTML characters in a learner's name are escaped in the heading and the facts."""
    text = render(sample, "md")
    assert text.startswith("# Study plan for Ada & \\<Co\\> \\| test: Data Analyst → Deep Learning Engineer\n")
    assert "- **Learner:** Ada & \\<Co\\> \\| test\n" in text
    assert "## Skipped" in text and "(part 1 of" in text


def test_ics_one_event_per_session_and_milestone(sample):
    """ICS: one VEVENT per session plus one per milestone, unique UIDs, fixed DTSTAMP."""
    from icalendar import Calendar

    text = render(sample, "ics")
    cal = Calendar.from_ical(text)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == len(sample.schedule.sessions) + len(sample.schedule.milestones)
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert {e["DTSTAMP"].dt.isoformat() for e in events} == {"2025-03-03T00:00:00+00:00"}
    assert "\r\n" in text


def test_write_keeps_bytes(sample, tmp_path):
    """write() stores exactly the rendered text (CRLF of ics kept)."""
    target = write(sample, "ics", tmp_path / "plan.ics")
    assert target.read_bytes() == render(sample, "ics").encode("utf-8")


def test_unknown_format_is_refused(sample):
    """An unknown format names the close match."""
    with pytest.raises(UnknownNameError, match="'md'"):
        render(sample, "mdx")


def test_empty_plan_renders_in_every_format():
    """A plan with nothing to study still renders (no weeks, milestones on the start date)."""
    cur = load_curriculum(MINI)
    known = {s: 3 for s in cur.role("data-analyst").skill_ids}
    empty = plan("data-analyst", curriculum=cur, known=known, start="2025-03-03")
    assert "Nothing to study" in render(empty, "md")
    for fmt in FORMATS:
        assert "Data Analyst" in render(empty, fmt)


def _reference_json(p) -> str:
    """The JSON layout spelt out with json.dumps: one line per field, one line per object of a list."""
    enc = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    lines = []
    for key, value in to_data(p).items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f' "{key}": [\n  ' + ",\n  ".join(enc(v) for v in value) + "\n ]")
        else:
            lines.append(f' "{key}": {enc(value)}')
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _varied_plans():
    cur = load_curriculum(MINI)
    roles = [r.id for r in cur.roles]
    everything = {s: 3 for r in cur.roles for s in r.skill_ids}
    cases = []
    for i, (hours, days, start) in enumerate([(6, "mon,wed,sat", "2025-03-03"), (2.5, None, "2025-03-05"), (40, "sun", "2025-12-28"), (13.3, "tue,thu", "2024-02-29"), (80, None, "2025-03-09")]):
        for role in roles:
            cases.append(plan(role, curriculum=cur, hours_per_week=hours, study_days=days, start=start, learner=f"Zoë \"{i}\" \\ {role}"))
        cases.append(plan(roles[:2], curriculum=cur, from_role=roles[-1], known="python:1", hours_per_week=hours, study_days=days, start=start))
    cases.append(plan(roles[0], curriculum=cur, known=everything, start="2025-03-03"))
    return cases


def test_json_equals_the_data_written_field_by_field():
    """to_json's text equals to_data() dumped with json, for varied paces, days, starts, moves and an empty plan."""
    for p in _varied_plans():
        assert render(p, "json") == _reference_json(p)


def test_a_shared_json_renderer_gives_each_plan_its_own_text():
    """One JsonRenderer over many plans (shared paths, layouts and dates) writes what a fresh one writes."""
    shared = JsonRenderer()
    plans = _varied_plans()
    for p in plans + plans:
        assert shared.render(p) == to_json(p) == _reference_json(p)


def test_checkpoints_name_the_lesson_to_open_in_every_format():
    """A checkpoint after each skill names the notebook whose practice and quiz check it, in every format; a
    module without a lesson says so; without lessons (an install without them) the bare name."""
    from rolecourse.export.plans import milestone_name
    from rolecourse.planning.schedule import MilestoneKind

    p = plan("data-scientist", curriculum=load_curriculum(MINI), hours_per_week=6, start="2025-03-03")
    checkpoints = [ms for ms in p.schedule.milestones if ms.kind is MilestoneKind.CHECKPOINT]
    assert checkpoints
    links = {checkpoints[0].module: "lessons/x/x.ipynb"}
    assert milestone_name(checkpoints[0], links) == f"{checkpoints[0].name} (practice and quiz in lessons/x/x.ipynb)"
    assert milestone_name(checkpoints[-1], links).endswith("(no lesson yet: check yourself against the module's objectives)") or checkpoints[-1].module in links
    assert milestone_name(checkpoints[0], {}) == checkpoints[0].name
    names = [milestone_name(ms) for ms in p.schedule.milestones]
    for fmt in FORMATS:
        text = render(p, fmt)
        shown = {"html": html.escape, "ics": lambda n: n.replace(";", "\\;").replace(",", "\\,")}.get(fmt, str)
        for name in names:
            assert shown(name) in text.replace("\r\n ", ""), (fmt, name)
    data = json.loads(render(p, "json"))
    assert [(m["module"], m["lesson"]) for m in data["milestones"] if m["kind"] == "checkpoint"] == [(ms.module, FIXED_LESSONS.get(ms.module, "")) for ms in checkpoints]
    assert any(m["lesson"] for m in data["milestones"])
