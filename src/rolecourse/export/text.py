"""Text for people: role profiles, skill tables, comparisons, learner and cohort reports.

The core computes plain data (:mod:`rolecourse.planning.profiles`,
:mod:`rolecourse.planning.compare`, :mod:`rolecourse.progress.reports`); these functions only
lay it out, as aligned plain text for a terminal or as Markdown for a notebook.
"""

from __future__ import annotations

import textwrap
from typing import Any, Sequence

from .._text import count
from ..errors import UsageError
from ..content.model import Curriculum
from ..planning.compare import Comparison
from ..planning.profiles import role_profile, roles_table, skills_table
from ..progress.cohort import CohortEntry
from ..progress.reports import LearnerReport


def _hours(h: float) -> str:
    return f"{h:g} h"



def render_roles(curriculum: Curriculum) -> str:
    """The roles as an aligned text table."""
    rows = roles_table(curriculum)
    idw = max(len(r["id"]) for r in rows)
    namew = max(len(r["name"]) for r in rows)
    lines = [f"{'#':>2}  {'id':<{idw}}  {'name':<{namew}}  skills  hours"]
    for r in rows:
        lines.append(f"{r['number']:>2}  {r['id']:<{idw}}  {r['name']:<{namew}}  {r['skills']:>6}  {r['hours']:>5g}")
    return "\n".join(lines)



def _first_option(profile: dict) -> str:
    """``, the first option of each choice`` when the role has a choice (the plan studies that one)."""
    has_choice = any(it.get("one_of") for g in profile["skill_groups"] for it in g["items"])
    return ", with the first option of each choice" if has_choice else ""


def item_detail(item: dict[str, Any]) -> str:
    """What the source says with a key-skill item of a profile: its tools, then its note.

    A note that only repeats the skill's name ("machine learning algorithms" beside Machine
    Learning Algorithms, "AI algorithms (e.g., reinforcement learning, ...)" beside
    Reinforcement Learning) is left out: the group's source sentence is shown above the items.
    """
    note = item["note"]
    if note and item["name"].casefold() in note.casefold():
        note = ""
    others = [o for o in item.get("one_of", ()) if o != item["name"]]
    choice = "or " + " or ".join(others) + ": one of them" if others else ""
    return "; ".join(part for part in (", ".join(item["tools"]), note, choice) if part)



EXTENSION_TAG = "[extension {since}]"
"""How a profile tags a responsibility or key skill that is an addition beyond the source."""


def _tag(entry: dict[str, Any]) -> str:
    ext = entry.get("extension")
    return f" {EXTENSION_TAG.format(since=ext['since'])}" if ext else ""


def _md_tag(entry: dict[str, Any]) -> str:
    tag = _tag(entry)
    return f" {_md(tag)}" if tag else ""


def profile_extensions(profile: dict[str, Any]) -> list[tuple[str, str]]:
    """The additions beyond the source in a profile, as (what, reason) pairs, in order; each reason once per entry."""
    found = [(r["title"], r["extension"]) for r in profile["responsibilities"] if r["extension"]]
    found += [(it["name"], it["extension"]) for g in profile["skill_groups"] for it in g["items"] if it["extension"]]
    return [(f"{what} (since {ext['since']})", ext["reason"]) for what, ext in found]


def render_profile(curriculum: Curriculum, key: str, width: int = 88) -> str:
    """A role's profile as readable text; additions beyond the source are tagged and explained at the end of the key skills."""
    p = role_profile(curriculum, key)
    def wrap(text: str, hanging: str = "") -> str:
        return textwrap.fill(text, width, subsequent_indent=hanging)

    out = [p["name"], "=" * len(p["name"]), wrap(p["summary"]), "", "Responsibilities"]
    for r in p["responsibilities"]:
        out.append(wrap(f"- {r['title']}{_tag(r)}: {r['description']}", "  "))
    out += ["", "Key skills"]
    for g in p["skill_groups"]:
        out.append(f"  {g['name']}: {g['text']}")
        for it in g["items"]:
            said = item_detail(it)
            detail = f" ({said})" if said else ""
            out.append(f"    - {it['name']}{detail}{_tag(it)} [{it['skill']}, {_hours(it['hours'])}]")
    extensions = profile_extensions(p)
    if extensions:
        out += ["", "Extensions beyond the source (marked [extension YEAR] above; the source document does not name them)"]
        out += [wrap(f"- {what}: {reason}", "  ") for what, reason in extensions]
    out += ["", f"Study time from scratch (the role's plan, prerequisites included{_first_option(p)}): {_hours(p['hours'])}"]
    if p["see_also"]:
        out += ["", "See also"]
        for link in p["see_also"]:
            out.append(wrap(f"- {link['name']} ({link['role']}): {link['note']}", "  "))
    if p["day_in_the_life"]:
        out += ["", "A day in the life", wrap(p["day_in_the_life"])]
    return "\n".join(out)



def render_skills(curriculum: Curriculum, role: str | None = None) -> str:
    """Skills as an aligned text table."""
    rows = skills_table(curriculum, role)
    idw = max([len(r["id"]) for r in rows] + [2])
    namew = max([len(r["name"]) for r in rows] + [4])
    lines = [f"{'id':<{idw}}  {'name':<{namew}}  {'hours':>5}  roles"]
    for r in rows:
        lines.append(f"{r['id']:<{idw}}  {r['name']:<{namew}}  {r['hours']:>5g}  {len(r['roles'])}")
    return "\n".join(lines)


def format_comparison(comparison: Comparison) -> str:
    """The comparison as plain text for a terminal."""
    names = dict(comparison.skill_names)
    role_name = {r.id: r.name for r in comparison.roles}

    def listing(ids: Sequence[str]) -> str:
        return ", ".join(names[s] for s in ids) if ids else "(none)"

    out = ["Compared: " + ", ".join(r.name for r in comparison.roles), ""]
    out.append(f"Shared by all ({len(comparison.shared)}): {listing(comparison.shared)}")
    for rid, ids in comparison.unique:
        out.append(f"Only {role_name[rid]} ({len(ids)}): {listing(ids)}")
    for role in comparison.roles:
        for _, options in role.choices:
            out.append(f"{role.name} needs one of {' or '.join(names[o] for o in options)} (a choice; the hours below count the first)")
    out.append("")
    for p in comparison.pairs:
        out.append(p.summary)
        out.append(f"  similarity {p.similarity:.2f} (Jaccard: {len(p.shared)} shared of {len(p.shared) + len(p.only_a) + len(p.only_b)})")
        out.append(f"  {role_name[p.a]} → {role_name[p.b]}: {p.hours_a_to_b:g} h of study")
        out.append(f"  {role_name[p.b]} → {role_name[p.a]}: {p.hours_b_to_a:g} h of study")
    return "\n".join(out) + "\n"


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})



def _md(text: str) -> str:
    """``text`` with Markdown's inline specials escaped, on one line."""
    return " ".join(text.split()).translate(_MD_SPECIAL)



def profile_markdown(curriculum: Curriculum, key: str, *, heading_level: int = 3) -> str:
    """A role's profile as Markdown: summary, responsibilities, key skills by group, related roles.

    Built from :func:`rolecourse.planning.profiles.role_profile`; headings start at ``heading_level``.
    The day-in-the-life scenario is left out (a notebook shows it in its own section).
    """
    if not 1 <= heading_level <= 5:
        raise UsageError(f"heading_level: expected 1 to 5, found {heading_level!r}")
    p = role_profile(curriculum, key)
    h = "#" * heading_level
    out = [f"**{_md(p['name'])}**: {_md(p['summary'])}", "", f"{h} Responsibilities", ""]
    out += [f"- **{_md(r['title'])}**{_md_tag(r)}: {_md(r['description'])}" for r in p["responsibilities"]]
    out += ["", f"{h} Key skills", ""]
    for g in p["skill_groups"]:
        out += [f"**{_md(g['name'])}**: {_md(g['text'])}", ""]
        for it in g["items"]:
            said = item_detail(it)
            detail = f" ({_md(said)})" if said else ""
            out.append(f"- {_md(it['name'])}{detail}{_md_tag(it)}: {_hours(it['hours'])} of study")
        out.append("")
    extensions = profile_extensions(p)
    if extensions:
        out += [f"{h} Extensions beyond the source", "", "The source document does not name these; the course adds them, marked \\[extension YEAR\\] above:", ""]
        out += [f"- **{_md(what)}**: {_md(reason)}" for what, reason in extensions]
        out.append("")
    out.append(f"Study time from scratch (the role's plan, prerequisites included{_first_option(p)}): **{_hours(p['hours'])}**.")
    if p["see_also"]:
        out += ["", f"{h} Related roles", ""]
        out += [f"- **{_md(link['name'])}**: {_md(link['note'])}" for link in p["see_also"]]
    return "\n".join(out) + "\n"



def transition_table(comparison: Comparison) -> str:
    """Hours of study to move from each compared role (rows) to each other one (columns), as text.

    Columns are numbered like the rows (``1`` is the first role); the diagonal shows ``-``.
    The hours are those of :func:`rolecourse.planning.compare.compare_roles` (the first role's key skills
    mastered, what the second adds studied, prerequisites included).
    """
    roles = comparison.roles
    namew = max(len(r.name) for r in roles) + 4
    cells = [[("-" if a is b else f"{comparison.pair(a.id, b.id).hours_a_to_b:g}") for b in roles] for a in roles]
    colw = max(5, *(len(c) for row in cells for c in row))
    head = "from \\ to".ljust(namew) + "".join(f"{i:>{colw + 2}}" for i in range(1, len(roles) + 1))
    lines = [head]
    for i, (role, row) in enumerate(zip(roles, cells), 1):
        lines.append(f"{f'{i}. {role.name}':<{namew}}" + "".join(f"{c:>{colw + 2}}" for c in row))
    return "\n".join(lines) + "\n"


def render_cohort(entries: Sequence[CohortEntry]) -> str:
    """Plain text: one line per learner, then one line per problem of the unusable files."""
    good = [e for e in entries if e.progress is not None]
    lines = [f"{count(len(good), 'learner')} read from {count(len(entries), 'file')}"]
    width = max((len(e.learner or "") for e in good), default=7)
    for e in sorted(good, key=lambda e: ((e.learner or "").casefold(), e.file)):
        lines.append(f"{e.learner:<{width}}  quizzes {e.correct}/{e.answered} right  exercise steps correct {e.steps_correct}")
    return "\n".join(lines)


def render_report(report: LearnerReport) -> str:
    """A learner's report as plain text: a head line, one line per role, then the mastery."""
    lines = [
        f"{report.learner}: {count(report.answered, 'question')} answered, "
        f"{report.correct} right; {len(report.due)} due for review",
        "",
    ]
    width = max((len(r.name) for r in report.roles), default=4)
    for r in report.roles:
        nxt = ", ".join(r.next_skills) if r.next_skills else "all key skills mastered"
        lines.append(
            f"{r.name:<{width}}  skills {r.skills_mastered}/{r.skills_total} ({r.percent_mastered:.0f}%)  "
            f"quizzes {r.quizzes_correct}/{r.quizzes_answered} right  "
            f"exercises {r.exercises_done} done of {r.exercises_started} started  next: {nxt}"
        )
    if report.mastery:
        lines += ["", "mastery: " + ", ".join(f"{s} {lvl}" for s, lvl in report.mastery.items())]
    return "\n".join(lines)


def lessons_markdown(curriculum: Curriculum, entries: Sequence[Any], *, base: str = "../") -> str:
    """The lessons of ``entries`` (:func:`rolecourse.assessment.lessons.catalog`) as a Markdown list, one line per skill.

    ``base`` is the way from the notebook showing the list to the course folder (``../`` from ``notebooks/``).
    Modules without a lesson are left out.
    """
    by_skill: dict[str, list[Any]] = {}
    for e in entries:
        if e.lesson is not None:
            by_skill.setdefault(e.skill, []).append(e)
    lines = []
    for skill_id, items in by_skill.items():
        links = ", ".join(f"[{_md(e.title)}]({base}{e.lesson}) ({e.minutes} min)" for e in items)
        lines.append(f"- **{_md(curriculum.skill(skill_id).name)}:** {links}")
    return "\n".join(lines) if lines else "No lesson is installed."
