"""A :class:`~rolecourse.planning.plans.StudyPlan` as Markdown, printable HTML, CSV, JSON or iCalendar.

Every format is deterministic: the same plan gives the same bytes on every run (no
timestamps; the iCalendar ``DTSTAMP`` is the plan's start date at midnight UTC and each
event's ``UID`` is a hash of its content). ``icalendar`` is imported only for ``ics``.

Every format says where and what to study for each module of the path: its objectives, its
resources as links and its lesson notebook when the course has one (or why it is practised
outside the course). The md, html and json formats also say when a module's skill is an
extension beyond the source, with the reason (json: an ``extension`` key on those modules only).

* ``md`` — headings, a path table, what to study per module, what was skipped, week-by-week lists, milestones.
* ``html`` — the same as one self-contained page: inline CSS with print styles, no
  external assets, no scripts.
* ``csv`` — one row per module part per session and one per milestone:
  ``week,date,kind,module,title,skill,level,part,parts,hours``.
* ``json`` — everything, with ``schema_version`` (:data:`JSON_SCHEMA_VERSION`).
* ``ics`` — one all-day ``VEVENT`` per study session (summary lists the modules and the
  session's length) and one per milestone.
"""

from __future__ import annotations

import re

import csv
import hashlib
import html
import io
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from .files import write_output
from .names import PLAN_FORMATS
from .._text import count, csv_safe
from ..errors import UnknownNameError
from ..assessment.links import lesson_links
from ..planning.cohorts import Memo
from ..planning.pace import format_minutes
from ..planning.schedule import MilestoneKind, Part, TimelineEntry, Week

if TYPE_CHECKING:
    from ..planning.plans import StudyPlan

FORMATS = PLAN_FORMATS
"""The export formats, by name (also the file extensions; :data:`rolecourse.export.names.PLAN_FORMATS`)."""

JSON_SCHEMA_VERSION = 1
"""Version of the JSON export's layout."""

CSV_HEADER = ("week", "date", "kind", "module", "title", "skill", "level", "part", "parts", "hours", "lesson", "resource")
"""Columns of the CSV export."""


class _Undated(NamedTuple):
    """A :data:`~rolecourse.planning.schedule.TimelineEntry` read as a milestone by :func:`milestone_name` (which reads no date)."""

    day: int
    """Days after the plan's start."""
    name: str
    """The milestone's name as planning gives it."""
    kind: MilestoneKind
    """Quiz, exercise or a skill's checkpoint."""
    role: str
    """Id of the role it checks."""
    week: int
    """The week it falls in."""
    module: str
    """A checkpoint's module; empty otherwise."""


def _milestone_key(entry: TimelineEntry) -> tuple[str, int, str]:
    """What a milestone's name and kind-dependent text depend on: its name, kind (by identity: a kind is one of its
    Enum's members, whose hash is a Python call) and module."""
    return (entry[1], id(entry[2]), entry[5])


def _iso_day(days: Memo, ordinal: int) -> str:
    """The ISO text of the day ``ordinal``, remembered in ``days``."""
    text = days.get(ordinal)
    return days.put(ordinal, date.fromordinal(ordinal).isoformat()) if text is None else text


def milestone_lesson(ms: Any, links: Any) -> str:
    """The lesson notebook (relative to the course folder) whose practice and quiz are a checkpoint's; empty otherwise."""
    return str(links.get(ms.module, "")) if ms.kind is MilestoneKind.CHECKPOINT else ""


def milestone_name(ms: Any, links: Any = None) -> str:
    """A milestone's name as every export writes it: a skill's checkpoint names the notebook to open.

    Planning reads no lessons, so its checkpoint is ``Checkpoint: SQL`` with the module's id; here
    the lesson links (``links``, default :func:`~rolecourse.assessment.lessons.lesson_links`) name
    the notebook whose practice and quiz check the skill, or say the module has no lesson yet.
    """
    if ms.kind is not MilestoneKind.CHECKPOINT:
        return str(ms.name)
    links = lesson_links() if links is None else links
    notebook = milestone_lesson(ms, links)
    if notebook:
        return f"{ms.name} (practice and quiz in {notebook})"
    if links:
        return f"{ms.name} (no lesson yet: check yourself against the module's objectives)"
    return str(ms.name)  # an install without lessons


def _num(x: float) -> str:
    """Hours for display: ``4.0`` → ``4``, ``2.5`` → ``2.5``."""
    return f"{round(x, 2):g}"


def _goal(plan: StudyPlan) -> str:
    return " + ".join(r.name for r in plan.targets)


def _facts(plan: StudyPlan) -> list[tuple[str, str]]:
    s = plan.schedule
    facts = [("Goal", _goal(plan))]
    if plan.from_role is not None:
        facts.append(("Moving from", f"{plan.from_role.name} (its key skills count as known at level 2)"))
    if plan.learner:
        facts.append(("Learner", plan.learner))
    facts += [
        ("Start", s.start.isoformat()),
        ("End", s.end.isoformat()),
        ("Weeks", str(plan.weeks)),
        ("Pace", f"{_num(s.hours_per_week)} h a week on {', '.join(s.study_day_names)} ({format_minutes(s.session_minutes)} a session)"),
        ("Study", f"{_num(plan.path.total_hours)} h in {count(len(plan.path.steps), 'module')}"),
        ("Skipped", f"{_num(plan.path.skipped_hours)} h in {count(len(plan.path.skipped), 'module')} already known"),
    ]
    return facts


# ---------------------------------------------------------------- Markdown


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md_inline(text: str) -> str:
    """Text that came from a user (a learner's name): Markdown and HTML characters escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_step(i: int, st: Any, links: Any) -> tuple[str, str]:
    """A path step's row of the Path table and its What to study section, as Markdown."""
    m = st.module
    row = f"| {i} | {_md_cell(m.title)} | {_md_cell(st.skill.name)} | {m.level.value} | {_num(m.hours)} | {_md_cell(st.reason)} |"
    out = [f"### {i}. {_md_inline(m.title)}", "", f"{_md_inline(st.skill.name)}, {m.level.value}, {_num(m.hours)} h.", ""]
    lesson = links.get(m.id)
    if lesson is not None:
        out.append(f"- **Lesson:** [{lesson}]({lesson})")
    elif m.outside is not None:
        out.append(f"- **Practise outside the course:** {_md_cell(m.outside.reason)}")
    if st.skill.extension is not None:
        out.append(f"- **Extension beyond the source ({st.skill.extension.since}):** {_md_cell(st.skill.extension.reason)}")
    out.append("- **Objectives:**")
    out += [f"  - {_md_cell(o)}" for o in m.objectives]
    out.append("- **Resources:** " + ", ".join(f"[{_md_inline(r.title)}]({r.url})" for r in m.resources))
    return row, "\n".join(out)


def _md_path(path: Any, step: Callable[[int, Any], tuple[str, str]]) -> str:
    """The Path, What to study and Skipped sections of a path, as Markdown."""
    out = ["", "## Path", ""]
    steps = [step(i, st) for i, st in enumerate(path.steps, 1)]
    if steps:
        out += ["| # | Module | Skill | Level | Hours | Why |", "|---:|---|---|---|---:|---|"]
        out += [row for row, _ in steps]
        out += ["", "## What to study", ""]
        out.append("\n\n".join([block for _, block in steps]))
    else:
        out.append("Nothing to study: every module is already known.")
    if path.skipped:
        out += ["", "## Skipped", "", "| Module | Hours | Why |", "|---|---:|---|"]
        for sk in path.skipped:
            out.append(f"| {_md_cell(sk.module.title)} | {_num(sk.module.hours)} | {_md_cell(sk.reason)} |")
    return "\n".join(out)


def _md_week_body(parts: Any, minutes: int) -> tuple[str, str]:
    """A week's ``, <length>)`` heading end and its lines of module parts, as Markdown."""
    return f", {format_minutes(minutes)})\n\n", "".join(f"- {_md_cell(p.label)}: {format_minutes(p.minutes)}\n" for p in parts)


def _week_key(minutes: int, parts: Any) -> tuple[Any, ...]:
    """What a week holds, as a memo key: ``minutes`` (the week's or a session's) and each part's module identity, minutes, part and parts.

    Learners' layouts differ where their weeks often do not. A memo keyed by this keeps the
    parts (or their modules) with what it remembers, so the identities stay theirs.
    """
    return (minutes, *[(id(p.module), p.minutes, p.part, p.parts) for p in parts])


def _session_key(pieces: list[tuple[Any, int, int, int]]) -> tuple[tuple[int, int, int, int], ...]:
    """What a session holds (see :func:`_pour`), as a memo key: each piece's module identity, minutes, part and parts."""
    return tuple([(id(m), take, part, n) for m, take, part, n in pieces])


class _Blocks:
    """Text blocks of a format that plans share (per path, per layout week), in memos of bounded size."""

    def __init__(self, path_text: Callable[[Any, Any], str], step_text: Callable[[int, Any, Any], Any], week_text: Callable[[Any, int], Any]) -> None:
        self._links = lesson_links()
        self._path_text, self._step_text, self._week_text = path_text, step_text, week_text
        self._paths: Memo = Memo(256)
        self._steps: Memo = Memo()
        self._layouts: Memo = Memo(1024)
        self._weeks: Memo = Memo()
        self._dates: Memo = Memo(1024)
        self._names: Memo = Memo()
        self._days: Memo = Memo()

    def path(self, path: Any) -> str:
        key = (id(path.steps), id(path.skipped))
        memo = self._paths.get(key)
        if memo is None or memo[0] is not path.steps or memo[1] is not path.skipped:
            memo = self._paths.put(key, (path.steps, path.skipped, self._path_text(path, self._step)))
        return memo[2]

    def _step(self, i: int, st: Any) -> Any:
        """A path step's text, remembered per (position, module, skill, reason)."""
        key = (i, id(st.module), id(st.skill), st.reason)
        memo = self._steps.get(key)
        if memo is None or memo[0] is not st.module or memo[1] is not st.skill:
            memo = self._steps.put(key, (st.module, st.skill, self._step_text(i, st, self._links)))
        return memo[2]

    def weeks(self, layout: Any) -> list[Any]:
        memo = self._layouts.get(id(layout))
        if memo is None or memo[0] is not layout:
            texts = []
            for parts, minutes in zip(layout.parts, layout.minutes):
                key = _week_key(minutes, parts)
                found = self._weeks.get(key)
                if found is None or any(f is not p.module for f, p in zip(found[0], parts)):
                    found = self._weeks.put(key, (tuple(p.module for p in parts), self._week_text(parts, minutes)))
                texts.append(found[1])
            memo = self._layouts.put(id(layout), (layout, texts))
        return memo[1]

    def dates(self, start: date, count: int) -> list[tuple[str, str]]:
        """``(first day, last day)`` of the first ``count`` weeks from ``start``, ISO."""
        found = self._dates.get(start.toordinal())
        if found is None:
            found = self._dates.put(start.toordinal(), [])
        for i in range(len(found), count):
            first = start + timedelta(days=7 * i)
            found.append((first.isoformat(), (first + timedelta(days=6)).isoformat()))
        return found

    def milestones(self, s: Any) -> tuple[list[tuple[str, int, str]], dict[int, list[tuple[str, int, str]]]]:
        """A schedule's milestones as (date, week, name as the exports write it: :func:`milestone_name`), by date, and
        those of each week, in order; read from its timeline, each name remembered by name, kind and module."""
        get, origin = self._names.get, s.start.toordinal()
        found: list[tuple[str, int, str]] = []
        by_week: dict[int, list[tuple[str, int, str]]] = {}
        for entry in s.timeline:
            key = _milestone_key(entry)
            name = get(key)
            if name is None:
                name = self._names.put(key, milestone_name(_Undated(*entry), self._links))
            item = (_iso_day(self._days, origin + entry[0]), entry[4], name)
            found.append(item)
            week = by_week.get(item[1])
            if week is None:
                by_week[item[1]] = [item]
            else:
                week.append(item)
        return found, by_week


class MarkdownRenderer:
    """Writes plans as Markdown (what :func:`to_markdown` gives), the text that plans share written once."""

    def __init__(self) -> None:
        self._blocks = _Blocks(_md_path, _md_step, _md_week_body)

    def render(self, plan: StudyPlan) -> str:
        s = plan.schedule
        out = [f"# {_md_inline(plan.title)}\n\n"]
        out += [f"- **{k}:** {_md_inline(v) if k == 'Learner' else _md_cell(v)}\n" for k, v in _facts(plan)]
        out.append(self._blocks.path(plan.path))
        out.append("\n\n## Week by week\n")
        milestones, by_week = self._blocks.milestones(s)
        bodies = self._blocks.weeks(s.layout)
        for n, ((first, last), (heading, lines)) in enumerate(zip(self._blocks.dates(s.start, len(bodies)), bodies), 1):
            out += ["\n### Week ", str(n), " (", first, " to ", last, heading, lines]
            out += [f"- **Milestone:** {name} ({day})\n" for day, _, name in by_week.get(n, ())]
        out.append("\n## Milestones\n\n")
        out += [f"- {day} (week {week}): {name}\n" for day, week, name in milestones]
        return "".join(out)


def to_markdown(plan: StudyPlan) -> str:
    """The plan as Markdown."""
    return MarkdownRenderer().render(plan)


# ---------------------------------------------------------------- HTML

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.6rem; border-bottom: 3px solid #0072B2; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; color: #0072B2; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef4f9; }
td.num { text-align: right; }
.milestone { font-weight: 600; color: #D55E00; }
section.week, section.module { break-inside: avoid; page-break-inside: avoid; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  th { background: none; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 1.5cm; }
""".strip()


def _html_step(i: int, st: Any, links: Any) -> tuple[str, str]:
    """A path step's row of the Path table and its What to study section, as HTML lines."""
    e = html.escape
    m = st.module
    row = (
        f'<tr><td class="num">{i}</td><td>{e(m.title)}</td><td>{e(st.skill.name)}</td><td>{m.level.value}</td>'
        f'<td class="num">{_num(m.hours)}</td><td>{e(st.reason)}</td></tr>\n'
    )
    out = ['<section class="module">', f"<h3>{i}. {e(m.title)}</h3>", f"<p>{e(st.skill.name)}, {m.level.value}, {_num(m.hours)} h.</p>", "<ul>"]
    lesson = links.get(m.id)
    if lesson is not None:
        out.append(f'<li><strong>Lesson:</strong> <a href="{e(lesson)}">{e(lesson)}</a></li>')
    elif m.outside is not None:
        out.append(f"<li><strong>Practise outside the course:</strong> {e(m.outside.reason)}</li>")
    if st.skill.extension is not None:
        out.append(f"<li><strong>Extension beyond the source ({st.skill.extension.since}):</strong> {e(st.skill.extension.reason)}</li>")
    out.append("<li><strong>Objectives:</strong><ul>" + "".join(f"<li>{e(o)}</li>" for o in m.objectives) + "</ul></li>")
    out.append("<li><strong>Resources:</strong> " + ", ".join(f'<a href="{e(r.url)}">{e(r.title)}</a>' for r in m.resources) + "</li>")
    out += ["</ul>", "</section>"]
    return row, "\n".join(out) + "\n"


def _html_path(path: Any, step: Callable[[int, Any], tuple[str, str]]) -> str:
    """The Path, What to study and Skipped sections of a path, as HTML lines (each ending with a line break)."""
    e = html.escape
    out = ["<h2>Path</h2>\n"]
    steps = [step(i, st) for i, st in enumerate(path.steps, 1)]
    if steps:
        out.append("<table><thead><tr><th>#</th><th>Module</th><th>Skill</th><th>Level</th><th>Hours</th><th>Why</th></tr></thead><tbody>\n")
        out += [row for row, _ in steps]
        out.append("</tbody></table>\n<h2>What to study</h2>\n")
        out += [block for _, block in steps]
    else:
        out.append("<p>Nothing to study: every module is already known.</p>\n")
    if path.skipped:
        out.append("<h2>Skipped</h2>\n<table><thead><tr><th>Module</th><th>Hours</th><th>Why</th></tr></thead><tbody>\n")
        for sk in path.skipped:
            out.append(f'<tr><td>{e(sk.module.title)}</td><td class="num">{_num(sk.module.hours)}</td><td>{e(sk.reason)}</td></tr>\n')
        out.append("</tbody></table>\n")
    return "".join(out)


def _html_week_body(parts: Any, minutes: int) -> tuple[str, str]:
    """A week's heading end and its list items of module parts, as HTML."""
    e = html.escape
    return f", {e(format_minutes(minutes))})</h3>\n<ul>\n", "".join(f"<li>{e(p.label)}: {e(format_minutes(p.minutes))}</li>\n" for p in parts)


class HtmlRenderer:
    """Writes plans as HTML pages (what :func:`to_html` gives), the text that plans share written once."""

    def __init__(self) -> None:
        self._blocks = _Blocks(_html_path, _html_step, _html_week_body)

    def render(self, plan: StudyPlan) -> str:
        e = html.escape
        s = plan.schedule
        out = [
            "<!DOCTYPE html>\n",
            '<html lang="en">\n',
            "<head>\n",
            '<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{e(plan.title)}</title>\n",
            f"<style>\n{_CSS}\n</style>\n",
            "</head>\n",
            "<body>\n",
            f"<h1>{e(plan.title)}</h1>\n",
            '<dl class="facts">\n',
        ]
        out += [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>\n" for k, v in _facts(plan)]
        out.append("</dl>\n")
        out.append(self._blocks.path(plan.path))
        out.append("<h2>Week by week</h2>\n")
        milestones, by_week = self._blocks.milestones(s)
        bodies = self._blocks.weeks(s.layout)
        for n, ((first, last), (heading, lines)) in enumerate(zip(self._blocks.dates(s.start, len(bodies)), bodies), 1):
            out += ['<section class="week">\n<h3>Week ', str(n), " (", first, " to ", last, heading, lines]
            out += [f'<li class="milestone">Milestone: {e(name)} ({day})</li>\n' for day, _, name in by_week.get(n, ())]
            out.append("</ul>\n</section>\n")
        out.append("<h2>Milestones</h2>\n<ul>\n")
        out += [f'<li class="milestone">{day} (week {week}): {e(name)}</li>\n' for day, week, name in milestones]
        out.append("</ul>\n</body>\n</html>\n")
        return "".join(out)


def to_html(plan: StudyPlan) -> str:
    """The plan as one self-contained, printable HTML page."""
    return HtmlRenderer().render(plan)


# ---------------------------------------------------------------- CSV


def _part_row(week: int, day: str, p: Part, skill: str, links: Any = None) -> list[str]:
    m = p.module
    lesson = (links if links is not None else lesson_links()).get(m.id, "")
    resource = m.resources[0].url if m.resources else ""
    return [str(week), day, "study", m.id, m.title, skill, m.level.value, str(p.part), str(p.parts), _num(p.minutes / 60), lesson, resource]


def _csv_line(row: list[Any]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([csv_safe(c) for c in row])
    return buf.getvalue()


def _pour(parts: Any, session_minutes: int) -> list[list[tuple[Any, int, int, int]]]:
    """A week's parts poured, in order, into sessions of ``session_minutes``, as :attr:`Week.sessions` pours them.

    Each session is a list of (module, minutes, part, parts).
    """
    sessions = []
    pieces: list[tuple[Any, int, int, int]] = []
    capacity = session_minutes
    for p in parts:
        m, left, part, n = p.module, p.minutes, p.part, p.parts
        while True:
            take = left if left < capacity else capacity
            pieces.append((m, take, part, n))
            left -= take
            capacity -= take
            if not capacity:
                sessions.append(pieces)
                pieces, capacity = [], session_minutes
            if not left:
                break
    if pieces:
        sessions.append(pieces)
    return sessions


class CsvRenderer:
    """Writes plans as CSV (what :func:`to_csv` gives): each module's cells quoted once, each session's rows (after the week and day cells) made once per what it holds."""

    def __init__(self) -> None:
        self._links = lesson_links()
        self._modules: Memo = Memo()
        self._hours: Memo = Memo()
        self._rows: Memo = Memo(16384)
        self._weeks: Memo = Memo(16384)
        self._iso: Memo = Memo()
        self._milestones: Memo = Memo()

    def _module(self, m: Any) -> tuple[str, str]:
        """The CSV text of a module's row around its part, parts and hours cells."""
        memo = self._modules.get(id(m))
        if memo is None or memo[0] is not m:
            row = _part_row(0, "", Part(m, 0, 0, 0), m.skill, self._links)
            memo = self._modules.put(id(m), (m, _csv_line(row[2:7])[:-1] + ",", "," + _csv_line(row[10:])))
        return memo[1], memo[2]

    def _week_rows(self, parts: Any, session_minutes: int, key: tuple[Any, ...]) -> list[tuple[int, list[str]]]:
        """A week's sessions as (index of the study day, its rows after the week and day cells), remembered under ``key`` (:func:`_week_key`)."""
        sessions = []
        for k, pieces in enumerate(_pour(parts, session_minutes)):
            session_key = _session_key(pieces)
            found = self._rows.get(session_key)
            if found is None:  # the pieces are kept with the text, so the modules' ids stay theirs
                found = self._rows.put(session_key, (pieces, self._session_rows(pieces)))
            sessions.append((k, found[1]))
        self._weeks.put(key, (parts, sessions))
        return sessions

    def _session_rows(self, pieces: list[tuple[Any, int, int, int]]) -> list[str]:
        """A session's rows after their week and day cells, remembered by what the session holds."""
        tails = []
        for m, take, part, n in pieces:
            before, after = self._module(m)
            h = self._hours.get(take)
            if h is None:
                h = self._hours.put(take, _num(take / 60))
            tails.append(f"{before}{part},{n},{h}{after}")
        return tails

    def render(self, plan: StudyPlan) -> str:
        s = plan.schedule
        out = [_CSV_HEAD]
        first = s.start.toordinal()
        offsets = s.study_offsets
        session = s.session_minutes
        iso, weeks, week_rows = self._iso, self._weeks, self._week_rows
        for w, parts in enumerate(s.layout.parts, 1):
            start = first + 7 * (w - 1)
            week = f"{w},"
            key = _week_key(session, parts)
            found = weeks.get(key)
            for k, tails in found[1] if found is not None else week_rows(parts, session, key):
                day = iso.get(start + offsets[k])
                if day is None:
                    day = iso.put(start + offsets[k], date.fromordinal(start + offsets[k]).isoformat() + ",")
                day = week + day
                out += (day, day.join(tails))
        for entry in s.timeline:  # (days after the start, name, kind, role, week, module)
            key = _milestone_key(entry)
            tail = self._milestones.get(key)
            if tail is None:  # the row after its week and date cells
                ms = _Undated(*entry)
                line = _csv_line([0, "", ms.kind.value, ms.module, milestone_name(ms, self._links), "", "", "", "", "", milestone_lesson(ms, self._links), ""])
                tail = self._milestones.put(key, line[line.index(",", 2) + 1 :])
            day = iso.get(first + entry[0])
            if day is None:
                day = iso.put(first + entry[0], date.fromordinal(first + entry[0]).isoformat() + ",")
            out += (str(entry[4]), ",", day, tail)
        return "".join(out)


_CSV_HEAD = ",".join(CSV_HEADER) + "\n"


def to_csv(plan: StudyPlan) -> str:
    """The plan as CSV: one row per module part per session, then one per milestone."""
    return CsvRenderer().render(plan)


# ---------------------------------------------------------------- JSON


def _part_json(p: Part) -> dict[str, Any]:
    return {"module": p.module.id, "title": p.module.title, "hours": round(p.minutes / 60, 4), "part": p.part, "parts": p.parts}


def _head_data(plan: StudyPlan) -> dict[str, Any]:
    """The learner-dependent fields of the JSON export."""
    return {"schema_version": JSON_SCHEMA_VERSION, "title": plan.title, "learner": plan.learner}


def _path_item(st: Any, links: Any) -> dict[str, Any]:
    """One module of the path in the JSON export, with where and what to study."""
    m = st.module
    return {
        "module": m.id,
        "title": m.title,
        "skill": st.skill.id,
        "level": m.level.value,
        "hours": m.hours,
        "reason": st.reason,
        "objectives": list(m.objectives),
        "resources": [{"title": r.title, "url": r.url, "kind": r.kind.value} for r in m.resources],
        "lesson": links.get(m.id),
        "practise_outside": m.outside.reason if m.outside is not None else None,
        # only on a module of an extension skill, so the plans of the source's roles read as before
        **({"extension": {"reason": st.skill.extension.reason, "since": st.skill.extension.since}} if st.skill.extension is not None else {}),
    }


def _role_json(role: Any) -> dict[str, Any]:
    return {"id": role.id, "name": role.name}


def _milestone_json(ms: Any, links: Any) -> dict[str, Any]:
    return {
        "name": milestone_name(ms, links), "kind": ms.kind.value, "role": ms.role, "date": ms.date.isoformat(), "week": ms.week,
        "module": ms.module, "lesson": milestone_lesson(ms, links),
    }


def _path_fields(path: Any) -> dict[str, Any]:
    """The fields of the JSON export that come from the learning path alone (from ``total_hours`` to ``skipped``)."""
    links = lesson_links()
    return {
        "total_hours": round(path.total_hours, 4),
        "skipped_hours": round(path.skipped_hours, 4),
        "path": [_path_item(st, links) for st in path.steps],
        "skipped": [{"module": sk.module.id, "title": sk.module.title, "hours": sk.module.hours, "reason": sk.reason} for sk in path.skipped],
    }


def _body_data(plan: StudyPlan) -> dict[str, Any]:
    """The fields of the JSON export that do not depend on the learner's name.

    This and the ``_*_json``/``_path_*`` helpers are the one definition of the JSON layout;
    :class:`JsonRenderer` writes the same fields, encoding the shared ones once.
    """
    s = plan.schedule
    links = lesson_links()
    return {
        "curriculum": plan.curriculum_title,
        "targets": [_role_json(r) for r in plan.targets],
        "from_role": None if plan.from_role is None else _role_json(plan.from_role),
        "known": {sid: level for sid, level in plan.path.known},
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "weeks_count": plan.weeks,
        "hours_per_week": s.hours_per_week,
        "study_days": [d for d in s.study_day_names],
        "session_hours": round(s.session_minutes / 60, 4),
        **_path_fields(plan.path),
        "weeks": [
            {
                "number": w.number,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "hours": round(w.minutes / 60, 4),
                "modules": [_part_json(p) for p in w.parts],
                "milestones": [milestone_name(ms, links) for ms in w.milestones],
            }
            for w in s.weeks
        ],
        "milestones": [_milestone_json(ms, links) for ms in s.milestones],
    }


def to_data(plan: StudyPlan) -> dict[str, Any]:
    """The plan as plain JSON-ready data (what the ``json`` format writes).

    Weeks list their module parts; sessions follow from them (each study day of the week, in
    order, takes ``session_hours`` of the week's parts in order) and are spelt out in ``ics``.
    """
    return {**_head_data(plan), **_body_data(plan)}


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

_STR = json.encoder.encode_basestring
"""What ``_ENCODE`` does with a string (the same function, without the dispatch)."""


def _dump_fields(data: dict[str, Any]) -> list[str]:
    """One line per field; lists one item per line (compact JSON inside)."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items = ",\n  ".join([_ENCODE(v) for v in value])
            lines.append(f' "{key}": [\n  {items}\n ]')
        else:
            lines.append(f' "{key}": {_ENCODE(value)}')
    return lines


def _items(key: str, items: list[str]) -> str:
    """A list field from its items' JSON text, laid out as :func:`_dump_fields` lays out a list of objects."""
    if not items:
        return f' "{key}": []'
    return f' "{key}": [\n  ' + ",\n  ".join(items) + "\n ]"


def _field(key: str, value: Any) -> str:
    """One field as :func:`_dump_fields` writes it."""
    return _dump_fields({key: value})[0]


class JsonRenderer:
    """Writes plans as JSON, encoding the parts that plans share only once.

    Plans of a class share modules (with the reason they are studied), paths' steps, week
    layouts (same steps and pace, any start date), weeks (the same modules' parts, in
    layouts that differ elsewhere) and module parts. A renderer remembers, by object
    identity, the text of each path's fields, of each layout's weeks and of each module part,
    by content the text of each week, and the heads of the weeks from each start date, in memos of bounded size
    (each forgets its older half when full, and keeps the objects it names alive so their identities
    stay unique); everything else is encoded per plan. The text equals :func:`to_data`
    written one line per field and one line per list item.
    """

    def __init__(self) -> None:
        self._links = lesson_links()
        self._paths: Memo = Memo(512)
        self._items: Memo = Memo()
        self._layouts: Memo = Memo(2048)  # a layout's weeks are a list of texts the week memo holds too: the list is what it costs
        self._weeks: Memo = Memo(16384)
        self._milestones: Memo = Memo()
        self._days: Memo = Memo()
        self._parts: Memo = Memo()
        self._hours: Memo = Memo()
        self._week_heads: Memo = Memo(1024)
        self._roles: Memo = Memo()

    def head(self, plan: StudyPlan) -> str:
        """The learner-dependent start of the text (``schema_version``, ``title``, ``learner``)."""
        return f'{{\n "schema_version": {JSON_SCHEMA_VERSION},\n "title": {_STR(plan.title)},\n "learner": {_STR(plan.learner)},\n'

    def body(self, plan: StudyPlan) -> str:
        """The rest of the text: the same for plans that differ only by learner.

        Numbers are written as :mod:`json` writes them (``int.__repr__``, ``float.__repr__``;
        schedule hours are validated finite) and strings through :mod:`json`'s own escaping.
        """
        s = plan.schedule
        path = plan.path
        known = ", ".join([f"{_STR(sid)}: {int.__repr__(level)}" for sid, level in path.known])
        targets = _items("targets", [self._role_text(r) for r in plan.targets])
        fr = plan.from_role
        from_role = "null" if fr is None else self._role_text(fr)
        days = ", ".join([_STR(d) for d in s.study_day_names])
        milestones, week_milestones = self._timeline_texts(s)
        return (
            f' "curriculum": {_STR(plan.curriculum_title)},\n{targets},\n "from_role": {from_role},\n "known": {{{known}}},\n'
            f' "start": "{s.start.isoformat()}",\n "end": "{s.end.isoformat()}",\n "weeks_count": {plan.weeks},\n'
            f' "hours_per_week": {float.__repr__(s.hours_per_week)},\n "study_days": [{days}],\n'
            f' "session_hours": {float.__repr__(round(s.session_minutes / 60, 4))},\n{self._path_text(path)},\n{self._weeks_text(s, week_milestones)},\n'
            f"{milestones}\n}}\n"
        )

    def render(self, plan: StudyPlan) -> str:
        """The whole JSON text of ``plan``."""
        return self.head(plan) + self.body(plan)

    def render_bytes(self, plan: StudyPlan) -> bytes:
        """``render(plan)`` as UTF-8, the head and the body encoded apart: a name beyond ASCII in the head would
        otherwise widen the whole text to 2 or 4 bytes a character before encoding (about 58 instead of 2 us for 45 KB)."""
        return self.head(plan).encode("utf-8") + self.body(plan).encode("utf-8")

    def _timeline_texts(self, s: Any) -> tuple[str, list[tuple[int, str]]]:
        """A schedule's ``milestones`` field and, per week with milestones, that week's ``, "milestones": […]}``.

        Read from the schedule's :attr:`~rolecourse.planning.schedule.Schedule.timeline` (no milestone objects are
        made); each milestone's text around its date is remembered by everything but its day, each date by its day.
        """
        timeline = s.timeline
        if not timeline:
            return ' "milestones": []', []
        get, days, origin = self._milestones.get, self._days, s.start.toordinal()
        items, names = [], {}
        for entry in timeline:
            key = (*_milestone_key(entry), entry[3], entry[4])  # with the role and week its text holds
            text = get(key) or self._milestone_texts(_Undated(*entry), key)
            items.append(f"{text[0]}{_iso_day(days, origin + entry[0])}{text[1]}")
            week = names.get(entry[4])
            if week is None:
                names[entry[4]] = [text[2]]
            else:
                week.append(text[2])
        return ' "milestones": [\n  ' + ",\n  ".join(items) + "\n ]", [(week, f', "milestones": [{", ".join(ms)}]}}') for week, ms in names.items()]

    def _milestone_texts(self, ms: Any, key: tuple[Any, ...]) -> tuple[str, str, str]:
        """A milestone's JSON text before its date and after it, and its name as a JSON string; remembered under ``key``
        (its name, kind, module, role and week: everything but the date)."""
        found = self._milestones.get(key)
        if found is None:
            name = _STR(milestone_name(ms, self._links))
            found = self._milestones.put(key, (
                f'{{"name": {name}, "kind": {_STR(ms.kind.value)}, "role": {_STR(ms.role)}, "date": "',
                f'", "week": {int.__repr__(ms.week)}, "module": {_STR(ms.module)}, "lesson": {_STR(milestone_lesson(ms, self._links))}}}',
                name,
            ))
        return found

    def _role_text(self, role: Any) -> str:
        memo = self._roles.get(id(role))
        if memo is None or memo[0] is not role:
            memo = self._roles.put(id(role), (role, _ENCODE(_role_json(role))))
        return memo[1]

    def _item_text(self, st: Any) -> str:
        """One module of the path, remembered per (module, reason)."""
        module = st.module
        key = (id(module), id(st.skill), st.reason)
        memo = self._items.get(key)
        if memo is None or memo[0] is not module or memo[1] is not st.skill:
            memo = self._items.put(key, (module, st.skill, _ENCODE(_path_item(st, self._links))))
        return memo[2]

    def _path_text(self, path: Any) -> str:
        """The lines from ``total_hours`` to ``skipped`` of the path, remembered per (steps, skipped)."""
        steps, skipped = path.steps, path.skipped
        key = (id(steps), id(skipped))
        memo = self._paths.get(key)
        if memo is None or memo[0] is not steps or memo[1] is not skipped:
            item = self._item_text
            text = ",\n".join(
                [
                    _field("total_hours", round(path.total_hours, 4)),
                    _field("skipped_hours", round(path.skipped_hours, 4)),
                    _items("path", [item(st) for st in steps]),
                    _items("skipped", [_ENCODE({"module": sk.module.id, "title": sk.module.title, "hours": sk.module.hours, "reason": sk.reason}) for sk in skipped]),
                ]
            )
            memo = self._paths.put(key, (steps, skipped, text))
        return memo[2]

    def _hours_text(self, minutes: int) -> str:
        """``round(minutes / 60, 4)`` as JSON, remembered per number of minutes."""
        text = self._hours.get(minutes)
        if text is None:
            text = self._hours.put(minutes, float.__repr__(round(minutes / 60, 4)))
        return text

    def _part_text(self, p: Part) -> str:
        """``_ENCODE(_part_json(p))``: the module's fields encoded once, the numbers per part."""
        module = p.module
        memo = self._parts.get(id(module))
        if memo is None or memo[0] is not module:
            memo = self._parts.put(id(module), (module, f'{{"module": {_STR(module.id)}, "title": {_STR(module.title)}, "hours": '))
        return f'{memo[1]}{self._hours_text(p.minutes)}, "part": {p.part}, "parts": {p.parts}}}'

    def _week_tails(self, layout: Any) -> list[str]:
        """Per layout week: its ``"hours": …, "modules": […]`` text.

        Each week's text is remembered by what the week holds: its minutes and the identities
        of its :class:`~rolecourse.planning.schedule.Part` objects, which layouts share (equal
        parts are one object), so learners whose layouts differ still share the weeks they have
        in common. The parts are kept with the text, so their identities stay theirs (equal
        parts made apart only miss).
        """
        memo = self._layouts.get(id(layout))
        if memo is None or memo[0] is not layout:
            get, tails = self._weeks.get, []
            for parts, minutes in zip(layout.parts, layout.minutes):
                key = (minutes, *map(id, parts))
                found = get(key)
                tails.append(found[1] if found is not None else self._week_tail(key, parts, minutes))
            memo = self._layouts.put(id(layout), (layout, tails))
        return memo[1]

    def _week_tail(self, key: tuple[int, ...], parts: Any, minutes: int) -> str:
        """One week's ``"hours": …, "modules": […]`` text, remembered under ``key`` (see :meth:`_week_tails`)."""
        part = self._part_text
        return self._weeks.put(key, (parts, f'"hours": {self._hours_text(minutes)}, "modules": [{", ".join([part(p) for p in parts])}]'))[1]

    def _heads(self, start: date, count: int) -> list[str]:
        """``{"number": n, "start": …, "end": …, `` for the first ``count`` weeks from ``start``.

        Every head but the first starts with the separator of the list's lines.
        """
        heads = self._week_heads.get(start.toordinal())
        if heads is None:
            heads = self._week_heads.put(start.toordinal(), [])
        for i in range(len(heads), count):
            first = start + timedelta(days=7 * i)
            sep = ",\n  " if i else ""
            heads.append(f'{sep}{{"number": {i + 1}, "start": "{first.isoformat()}", "end": "{(first + timedelta(days=6)).isoformat()}", ')
        return heads

    def _weeks_text(self, s: Any, milestones: list[tuple[int, str]]) -> str:
        """The ``weeks`` field: one line per week (dates from the start, parts from the layout); ``milestones`` are the
        weeks' milestone texts (:meth:`_timeline_texts`)."""
        tails = self._week_tails(s.layout)
        if not tails:
            return _items("weeks", [])
        n = len(tails)
        pieces: list[str] = [', "milestones": []}'] * (3 * n + 1)
        pieces[0] = ' "weeks": [\n  '
        pieces[1::3] = self._heads(s.start, n)[:n]
        pieces[2::3] = tails
        for week, text in milestones:
            pieces[3 * week] = text
        pieces.append("\n ]")
        return "".join(pieces)


def json_body(plan: StudyPlan) -> str:
    """The learner-independent tail of :func:`to_json` (plans that differ only by learner share it)."""
    return JsonRenderer().body(plan)


def to_json(plan: StudyPlan, body: str | None = None) -> str:
    """The plan as JSON: one line per field, one line per list item, ending with a newline.

    ``body`` may pass a :func:`json_body` computed for an identical plan of another learner.
    """
    renderer = JsonRenderer()
    return renderer.head(plan) + (renderer.body(plan) if body is None else body)


# ---------------------------------------------------------------- iCalendar

from binascii import hexlify  # the iCalendar writer's own imports
from struct import Struct


def _uid(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"{digest}@rolecourse"


def _ics_escape(text: str) -> str:
    r"""A TEXT value as iCalendar writes it (RFC 5545 3.3.11; a literal ``\N`` is a line break, any line end is ``\n``)."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _calname(title: str) -> bytes:
    """The ``X-WR-CALNAME`` value: the title as it is (the icalendar library does not escape this property), line breaks as ``\\n``."""
    return title.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n").encode("utf-8")


def _ics_fold(line: bytes) -> bytes:
    r"""A content line folded as RFC 5545 3.1 asks: pieces of at most 74 octets, never inside a character.

    As the ``icalendar`` library folds: a piece never ends with the ``\`` or ``^`` that starts
    an escape (it moves to the next piece).
    """
    if len(line) < 75:
        return line
    pieces = []
    start, n = 0, len(line)
    while n - start > 74:
        end = start + 74
        while 0x80 <= line[end] < 0xC0:  # a UTF-8 continuation byte: the character does not fit
            end -= 1
        if line[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


ICS_MEMO = 16384
"""Entries of :class:`IcsRenderer`'s memos of weeks and of sessions (a session's texts are about 1 KB). Measured on a
diverse class of 10,000, one process: with 4,096 a plan took 1.5-2.0 ms to render instead of 1.2 ms (a smaller memo
misses often), for about 15 MB less per process."""


class IcsRenderer:
    """Writes plans as iCalendar bytes: one all-day event per study session and per milestone.

    The bytes are those the ``icalendar`` library writes for the same calendar (properties in
    its order, TEXT values escaped and lines folded as it does), without building a component
    per event. What sessions share is worked out once per week (what it holds: its parts and
    the session length) and per session (its pieces): each session's summary and details, raw
    and escaped, with where those may not be cut, in memos of bounded size; per plan only the
    dates, the title, each event's ``UID`` (a hash of its content) and each session's details
    folded after the plan's week heading (once per plan and details, see :func:`_fold_tail`)
    are new.
    """

    def __init__(self) -> None:
        self._links = lesson_links()
        self._weeks: Memo = Memo(ICS_MEMO)
        self._parts: Memo = Memo()
        self._lengths: Memo = Memo()
        self._days: Memo = Memo()
        self._by_content: Memo = Memo(ICS_MEMO)
        self._milestones: Memo = Memo()

    def _week(self, key: tuple[int, ...], parts: tuple[Part, ...], session_minutes: int) -> tuple[tuple[bytes, bytes, bytes, bytes, int], ...]:
        """A week's sessions, one per study day from the first, as :meth:`_session` gives them: remembered under ``key``, what the week holds.

        The key is the session length and the identities of the week's
        :class:`~rolecourse.planning.schedule.Part` objects: layouts share those (equal parts
        are one object), so learners whose layouts differ still share the weeks they have in
        common. The parts are kept with the sessions, so their identities stay theirs. (Equal
        parts made apart only miss.)
        """
        return self._weeks.put(key, (parts, tuple([self._session(pieces) for pieces in _pour(parts, session_minutes)])))[1]

    def _part(self, m: Any, i: int, n: int) -> tuple[Any, bytes, bytes, bytes, bytes, bool]:
        """Part ``i`` of ``n`` of module ``m`` (all of it when ``n`` is 1): (the module,) its label and where to study it (after the minutes), each raw and escaped (UTF-8), and whether that ends with a carriage return."""
        key = (id(m), i, n)
        found = self._parts.get(key)
        if found is None or found[0] is not m:
            label = m.title if n == 1 else f"{m.title} (part {i} of {n})"
            lesson = self._links.get(m.id)
            where = (f"\n  lesson: {lesson}" if lesson is not None else "") + (f"\n  read: {m.resources[0].url}" if m.resources else "")
            raw, esc = label.encode("utf-8"), _ics_escape(label).encode("utf-8")
            found = self._parts.put(key, (m, raw, raw if esc == raw else esc, where.encode("utf-8"), _ics_escape(where).encode("utf-8"), where.endswith("\r")))
        return found

    def _length(self, minutes: int) -> bytes:
        """:func:`~rolecourse.planning.pace.format_minutes` as bytes (digits, ``h`` and ``min``: nothing to escape)."""
        found = self._lengths.get(minutes)
        if found is None:
            found = self._lengths.put(minutes, format_minutes(minutes).encode("ascii"))
        return found

    def _session(self, pieces: list[tuple[Any, int, int, int]]) -> tuple[bytes, bytes, bytes, bytes, int]:
        """A session's raw summary (after its UID separator), raw details, first lines (to SUMMARY), escaped details (after an escaped line break) and where those may not be cut (:func:`_blocked_cuts`).

        Remembered by what the session holds (each piece's module, minutes, part and parts),
        so learners whose layouts differ still share the texts of the sessions they have in
        common.
        """
        key = tuple([x for m, take, i, n in pieces for x in (id(m), take, i, n)])  # flat: one object
        found = self._by_content.get(key)
        if found is None:  # the modules are kept with the texts, so their ids stay theirs (and only the texts and
            # this tuple are left for the garbage collector to look at)
            found = self._by_content.put(key, (self._session_texts(pieces), *[p[0] for p in pieces]))
        return found[0]

    def _session_texts(self, pieces: list[tuple[Any, int, int, int]]) -> tuple[bytes, bytes, bytes, bytes, int]:
        r"""The texts of :meth:`_session`, joined from those of its pieces (escaped apart: the same bytes as escaping the whole).

        A piece's line is its label, ``: ``, its minutes and where to study it. No escape spans
        two of those or two pieces: no separator (``, ``, ``: ``, a line break) or length ends
        with ``\`` or starts with ``N``, and a line break (which starts where to study) follows
        no carriage return, except the line break between two lines when the first ends with a
        carriage return: that line end is escaped once, so then the details are escaped whole.
        """
        part, length = self._part, self._length
        labels, labels_esc, lines, lines_esc = [], [], [], []
        crlf = False
        for m, take, i, n in pieces:
            _, label, label_esc, where, where_esc, cr = part(m, i, n)
            minutes = length(take)
            labels.append(label)
            labels_esc.append(label_esc)
            lines.append(label + b": " + minutes + where)
            lines_esc.append(label_esc + b": " + minutes + where_esc)
            crlf |= cr
        total = length(sum([p[1] for p in pieces]))
        detail = b"\n".join(lines)
        detail_esc = b"\\n" + (_ics_escape(detail.decode("utf-8")).encode("utf-8") if crlf else b"\\n".join(lines_esc))
        return (
            b"\x1fstudy\x1fStudy (" + total + b"): " + b", ".join(labels),
            detail,
            b"BEGIN:VEVENT\r\n" + _ics_fold(b"SUMMARY:Study (" + total + b"): " + b"\\, ".join(labels_esc)),
            detail_esc,
            _blocked_cuts(detail_esc),
        )

    def _dates(self, ordinal: int) -> tuple[bytes, bytes]:
        """The day's ISO date, and its DTSTART and DTEND lines (with the line ends around them)."""
        found = self._days.get(ordinal)
        if found is None:
            day = date.fromordinal(ordinal)
            lines = f"\r\nDTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}\r\nDTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}\r\n"
            found = self._days.put(ordinal, (day.isoformat().encode("ascii"), lines.encode("ascii")))
        return found

    def render(self, plan: StudyPlan) -> bytes:
        """The plan as iCalendar bytes (what :func:`to_ics` gives, encoded)."""
        s = plan.schedule
        title = plan.title
        title_b = title.encode("utf-8")
        title_esc = _ics_escape(title).encode("utf-8")
        start = s.start
        stamp = b"DTSTAMP:" + start.strftime("%Y%m%d").encode("ascii") + b"T000000Z\r\nUID:"
        base = hashlib.sha256(title_b + b"\x1f")
        dates = self._dates
        days_get, weeks_get = self._days.get, self._weeks.get  # the memos are emptied in place, never replaced
        out = [
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rolecourse//study plan//EN\r\nCALSCALE:GREGORIAN\r\n",
            _ics_fold(b"X-WR-CALNAME:" + _calname(title)),
            b"\r\n",
        ]
        offsets = s.study_offsets
        first = start.toordinal()
        last = title_esc[-1]
        plain_end = 0x20 <= last < 0x80 and last not in b"\\^"  # then a session's details are folded once per plan (see _fold_start)
        of_title = b" of " + title_b + b"\n"
        of_title_esc = b" of " + title_esc
        # Per count of the week number's digits: the folded DESCRIPTION line after its digits, how many
        # bytes its last piece holds, and the plan's folded details (with the event's end) by details.
        headings: dict[int, tuple[bytes, int, dict[bytes, bytes]]] = {}
        week_start = first - 7
        session_minutes = s.session_minutes
        for w, parts in enumerate(s.layout.parts, 1):
            key = (session_minutes, *map(id, parts))
            found = weeks_get(key)  # a live entry's parts are these: it keeps them, so no other object has their ids
            sessions = self._week(key, parts, session_minutes) if found is None else found[1]
            week_start += 7
            number = b"%d" % w
            raw_head = b"\x1fWeek " + number + of_title
            if not plain_end:
                line = b"DESCRIPTION:Week " + number + of_title_esc
                for offset, (summary, detail, event_head, detail_esc, _) in zip(offsets, sessions):  # a week has a session per study day at most
                    iso, lines = days_get(week_start + offset) or dates(week_start + offset)
                    h = base.copy()
                    h.update(b"".join((iso, summary, raw_head, detail)))
                    out += (event_head, lines, stamp, hexlify(h.digest()[:16]), _STUDY_MIDDLE, _ics_fold(line + detail_esc), _EVENT_END)
                continue
            heading = headings.get(len(number))
            if heading is None:  # the digits sit well inside the first piece: the folding is the same for every number as long
                folded, phase = _fold_start(b"DESCRIPTION:Week " + b"0" * len(number) + of_title_esc)
                heading = headings[len(number)] = (folded[17 + len(number) :], phase, {})
            after, phase, tails = heading
            middle = _STUDY_MIDDLE_HEAD + number + after
            for offset, (summary, detail, event_head, detail_esc, blocked) in zip(offsets, sessions):
                iso, lines = days_get(week_start + offset) or dates(week_start + offset)
                h = base.copy()
                h.update(b"".join((iso, summary, raw_head, detail)))
                description = tails.get(detail_esc)  # by content: equal details fold alike
                if description is None:
                    description = tails[detail_esc] = _fold_tail(detail_esc, phase, blocked, _EVENT_END)
                out += (event_head, lines, stamp, hexlify(h.digest()[:16]), middle, description)
        endings: dict[int, bytes] = {}  # per count of the week number's digits: the folded DESCRIPTION line after them, and the event's end
        weeks: dict[int, tuple[bytes, bytes]] = {}  # per week: the UID's text after the milestone's, and the DESCRIPTION line to the event's end
        origin = s.start.toordinal()
        for entry in s.timeline:  # (days after the start, name, kind, role, week, module)
            key = _milestone_key(entry)
            known = self._milestones.get(key)
            if known is None:
                ms = _Undated(*entry)
                name = milestone_name(ms, self._links)
                kind = ms.kind.value
                known = self._milestones.put(key, (
                    f"\x1f{kind}\x1f{name}\x1f".encode("utf-8"),
                    b"BEGIN:VEVENT\r\n" + _ics_fold(b"SUMMARY:" + _ics_escape(name).encode("utf-8")),
                    b"@rolecourse\r\n" + _ics_fold(b"CATEGORIES:" + _ics_escape(kind).encode("utf-8")) + b"\r\n",
                ))
            uid_middle, event_head, categories = known
            week_number = entry[4]
            week = weeks.get(week_number)
            if week is None:
                number = b"%d" % week_number
                ending = endings.get(len(number))
                if ending is None:  # as for sessions: the digits never decide where the line is cut
                    ending = endings[len(number)] = _ics_fold(b"DESCRIPTION:Milestone in week " + b"0" * len(number) + of_title_esc)[30 + len(number) :] + _EVENT_END
                week = weeks[week_number] = (b"Milestone in week " + number + b" of " + title_b, b"DESCRIPTION:Milestone in week " + number + ending)
            ordinal = origin + entry[0]
            iso, lines = days_get(ordinal) or dates(ordinal)
            h = base.copy()
            h.update(b"".join((iso, uid_middle, week[0])))
            out += (event_head, lines, stamp, hexlify(h.digest()[:16]), categories, week[1])
        out.append(b"END:VCALENDAR\r\n")
        return b"".join(out)


_STUDY_MIDDLE = b"@rolecourse\r\nCATEGORIES:study\r\n"
"""What a study session's event holds between its UID's hash and its DESCRIPTION line."""

_STUDY_MIDDLE_HEAD = _STUDY_MIDDLE + b"DESCRIPTION:Week "
"""What a study session's event holds between its UID's hash and its week's number."""

_EVENT_END = b"\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"
"""What ends every event after its DESCRIPTION line."""


def _fold_rest(rest: bytes, phase: int) -> bytes:
    r"""``rest`` folded as the end of a line whose current piece already holds ``phase`` (0-74) plain ASCII bytes.

    The same bytes as ``_ics_fold(b"x" * phase + rest)[phase:]``, without building that line:
    positions count from the start of the virtual line, whose first ``phase`` bytes are
    neither a UTF-8 continuation byte nor ``\`` or ``^``.
    """
    n = phase + len(rest)
    if n < 75:
        return rest
    pieces = []
    start = 0
    while n - start > 74:
        end = start + 74
        while end >= phase and 0x80 <= rest[end - phase] < 0xC0:
            end -= 1
        if end - 1 >= phase and rest[end - 1 - phase] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(rest[(start - phase if start else 0) : end - phase])
        start = end
    pieces.append(rest[start - phase :])
    return b"\r\n ".join(pieces)


_BLOCKED_CUT = re.compile(rb"[\\^]|(?=[\x80-\xbf])")
r"""Its matches end where a piece may not end: after a ``\`` or ``^``, before a UTF-8 continuation byte."""


def _blocked_cuts(rest: bytes) -> int:
    r"""Where ``rest`` may not be cut, by position modulo 74: bit ``r`` is set when a cut before ``rest[i]``, for some ``i`` with ``i % 74 == r``, would end a piece after a ``\`` or ``^`` or inside a character.

    (The bit is set, too, for a continuation byte at ``rest[0]`` and for a ``\`` or ``^`` that
    ends ``rest``.) Cuts fall 74 bytes apart, so those of a fold all have the same remainder:
    when its bit is clear, none of them moves (see :func:`_fold_tail`).
    """
    mask = 0
    if rest.isascii():  # only after a ``\`` or ``^``: found at C speed
        for escape in b"\\^":
            i = rest.find(escape)
            while i >= 0:
                mask |= 1 << (i + 1) % 74
                i = rest.find(escape, i + 1)
        return mask
    for m in _BLOCKED_CUT.finditer(rest):
        mask |= 1 << m.end() % 74
    return mask


_CUTTERS: list[dict[int, Struct]] = [{} for _ in range(75)]
"""Per length of a fold's first piece (0-74), per count of full pieces after it (fewer than :data:`_CUTTERS_MAX`): the
:class:`struct.Struct` that cuts them out of the bytes to fold (see :func:`_fold_tail`). Made when first needed."""

_CUTTERS_MAX = 16
"""Full pieces (74 bytes each) of the longest fold cut out by a :data:`_CUTTERS` entry (longer: cut one by one)."""


def _fold_tail(rest: bytes, phase: int, blocked: int, end: bytes = b"") -> bytes:
    """:func:`_fold_rest` of ``rest`` and ``phase``, followed by ``end``, where ``blocked`` is :func:`_blocked_cuts` of ``rest``.

    When no cut falls where ``blocked`` forbids one, the cuts fall at fixed steps (the first
    after ``74 - phase`` bytes, then every 74), and the pieces are cut out at C speed by a
    :class:`struct.Struct`; otherwise :func:`_fold_rest` decides each cut.
    """
    first = 74 - phase
    n = len(rest)
    if n <= first:
        return rest + end
    if blocked >> first % 74 & 1:
        return _fold_rest(rest, phase) + end
    full = (n - first - 1) // 74  # full pieces between the first and the last
    cutter = _CUTTERS[first].get(full)
    if cutter is None:
        if full >= _CUTTERS_MAX:
            return b"\r\n ".join([rest[:first], *[rest[i : i + 74] for i in range(first, n, 74)]]) + end
        cutter = _CUTTERS[first][full] = Struct(f"{first}s" + "74s" * full)
    return b"\r\n ".join((*cutter.unpack_from(rest), rest[first + 74 * full :] + end))


def _fold_start(head: bytes) -> tuple[bytes, int]:
    r"""The start of a longer line folded as :func:`_ics_fold` folds it, and how many bytes of ``head`` its last piece holds.

    Exact when ``head`` ends with a plain ASCII character (neither ``\`` nor ``^``) and the
    rest of the line starts with an ASCII one: every decision about a piece that ends inside
    ``head`` then looks only at ``head``.
    """
    pieces = []
    start, n = 0, len(head)
    while n - start > 74:
        end = start + 74
        while 0x80 <= head[end] < 0xC0:
            end -= 1
        if head[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(head[start:end] + b"\r\n ")
        start = end
    pieces.append(head[start:])
    return b"".join(pieces), n - start


def to_ics(plan: StudyPlan) -> str:
    """The plan as iCalendar: one all-day event per study session and per milestone.

    Written by :class:`IcsRenderer` as the ``icalendar`` library would write it (the tests
    compare the two on many plans).
    """
    return IcsRenderer().render(plan).decode("utf-8")


# ---------------------------------------------------------------- dispatch

RENDERERS: dict[str, Callable[["StudyPlan"], str]] = {
    "md": to_markdown,
    "html": to_html,
    "csv": to_csv,
    "json": to_json,
    "ics": to_ics,
}
"""Format name → function giving the plan's text."""


def check_format(fmt: str) -> str:
    """Return ``fmt`` if it is a known export format; else raise UnknownNameError."""
    if fmt not in RENDERERS:
        raise UnknownNameError("format", fmt, FORMATS)
    return fmt


def plan_encoder(fmt: str) -> Callable[["StudyPlan"], bytes]:
    """A function giving a plan's bytes in ``fmt``, for a batch of plans (a cohort).

    It gives what ``render(plan, fmt).encode("utf-8")`` gives, and remembers (in memory of
    bounded size) the text that plans share: for JSON a :class:`JsonRenderer`.
    """
    check_format(fmt)
    if fmt == "json":
        return JsonRenderer().render_bytes
    if fmt == "ics":
        return IcsRenderer().render
    renderer = {"md": MarkdownRenderer, "html": HtmlRenderer, "csv": CsvRenderer}[fmt]()
    return lambda plan: renderer.render(plan).encode("utf-8")


def render(plan: StudyPlan, fmt: str = "md") -> str:
    """``plan`` as text in ``fmt`` (one of :data:`FORMATS`)."""
    return RENDERERS[check_format(fmt)](plan)


def write(plan: StudyPlan, fmt: str, path: str | Path) -> Path:
    """Write ``plan`` to ``path`` in ``fmt`` as UTF-8, byte for byte (no newline translation).

    A path that cannot be written raises :class:`~rolecourse.errors.UsageError` (one line, no traceback).
    """
    return write_output(path, render(plan, fmt).encode("utf-8"))
