"""Role and skill profiles: what the CLI and the notebooks show about the curriculum.

Pure functions from the :class:`~rolecourse.content.model.Curriculum` to plain data (for ``--json``)
and to readable text (for a terminal).
"""

from __future__ import annotations

import textwrap
from typing import Any

from ..content.model import Curriculum, Role, Skill


def _hours(h: float) -> str:
    return f"{h:g} h"


def role_hours(curriculum: Curriculum, role: Role) -> float:
    """Hours of every module of the role's own key skills (prerequisites from other roles not counted)."""
    return sum(curriculum.skills[s].hours for s in role.skill_ids)


def roles_table(curriculum: Curriculum) -> list[dict[str, Any]]:
    """One row per role, in order: number, id, name, skill count, hours."""
    return [
        {"number": i, "id": r.id, "name": r.name, "skills": len(r.skill_ids), "hours": role_hours(curriculum, r)}
        for i, r in enumerate(curriculum.roles, 1)
    ]


def render_roles(curriculum: Curriculum) -> str:
    """The roles as an aligned text table."""
    rows = roles_table(curriculum)
    idw = max(len(r["id"]) for r in rows)
    namew = max(len(r["name"]) for r in rows)
    lines = [f"{'#':>2}  {'id':<{idw}}  {'name':<{namew}}  skills  hours"]
    for r in rows:
        lines.append(f"{r['number']:>2}  {r['id']:<{idw}}  {r['name']:<{namew}}  {r['skills']:>6}  {r['hours']:>5g}")
    return "\n".join(lines)


def skill_info(skill: Skill) -> dict[str, Any]:
    """A skill as plain data."""
    return {
        "id": skill.id,
        "name": skill.name,
        "category": skill.category.value,
        "description": skill.description,
        "prerequisites": list(skill.prerequisites),
        "hours": skill.hours,
        "tools": [{"id": t.id, "name": t.name, "url": t.url} for t in skill.tools],
        "modules": [
            {
                "id": m.id,
                "title": m.title,
                "level": m.level.value,
                "hours": m.hours,
                "objectives": list(m.objectives),
                "resources": [{"title": r.title, "url": r.url, "kind": r.kind.value} for r in m.resources],
            }
            for m in skill.modules
        ],
    }


def role_profile(curriculum: Curriculum, key: str) -> dict[str, Any]:
    """Everything about one role as plain data: responsibilities, skill groups, hours, related roles."""
    role = curriculum.role(key)
    tools = curriculum.tools
    return {
        "id": role.id,
        "name": role.name,
        "summary": role.summary,
        "responsibilities": [
            {"title": r.title, "description": r.description, "skills": list(r.skills)} for r in role.responsibilities
        ],
        "skill_groups": [
            {
                "name": g.name,
                "text": g.text,
                "items": [
                    {
                        "skill": ref.skill,
                        "name": curriculum.skills[ref.skill].name,
                        "tools": [tools[t].name for t in ref.tools],
                        "note": ref.note,
                        "hours": curriculum.skills[ref.skill].hours,
                    }
                    for ref in g.items
                ],
            }
            for g in role.skill_groups
        ],
        "hours": role_hours(curriculum, role),
        "see_also": [
            {"role": link.role, "name": curriculum.role(link.role).name, "note": link.note} for link in role.see_also
        ],
        "day_in_the_life": role.day_in_the_life,
    }


def item_detail(item: dict[str, Any]) -> str:
    """What the source says with a key-skill item of a profile: its tools, then its note.

    A note that only repeats the skill's name ("machine learning algorithms" beside Machine
    Learning Algorithms, "AI algorithms (e.g., reinforcement learning, ...)" beside
    Reinforcement Learning) is left out: the group's source sentence is shown above the items.
    """
    note = item["note"]
    if note and item["name"].casefold() in note.casefold():
        note = ""
    return "; ".join(part for part in (", ".join(item["tools"]), note) if part)


def render_profile(curriculum: Curriculum, key: str, width: int = 88) -> str:
    """A role's profile as readable text."""
    p = role_profile(curriculum, key)
    def wrap(text: str, hanging: str = "") -> str:
        return textwrap.fill(text, width, subsequent_indent=hanging)

    out = [p["name"], "=" * len(p["name"]), wrap(p["summary"]), "", "Responsibilities"]
    for r in p["responsibilities"]:
        out.append(wrap(f"- {r['title']}: {r['description']}", "  "))
    out += ["", "Key skills"]
    for g in p["skill_groups"]:
        out.append(f"  {g['name']}: {g['text']}")
        for it in g["items"]:
            said = item_detail(it)
            detail = f" ({said})" if said else ""
            out.append(f"    - {it['name']}{detail} [{it['skill']}, {_hours(it['hours'])}]")
    out += ["", f"Total study time for the role's key skills: {_hours(p['hours'])}"]
    if p["see_also"]:
        out += ["", "See also"]
        for link in p["see_also"]:
            out.append(wrap(f"- {link['name']} ({link['role']}): {link['note']}", "  "))
    if p["day_in_the_life"]:
        out += ["", "A day in the life", wrap(p["day_in_the_life"])]
    return "\n".join(out)


def skills_table(curriculum: Curriculum, role: str | None = None) -> list[dict[str, Any]]:
    """Skills (all, or a role's in its order) with category, hours, prerequisites and the roles using them."""
    ids = curriculum.role(role).skill_ids if role else tuple(curriculum.skills)
    return [
        {
            "id": s.id,
            "name": s.name,
            "category": s.category.value,
            "hours": s.hours,
            "prerequisites": list(s.prerequisites),
            "tools": [t.name for t in s.tools],
            "roles": [r.id for r in curriculum.roles_with_skill(s.id)],
        }
        for s in (curriculum.skills[i] for i in ids)
    ]


def render_skills(curriculum: Curriculum, role: str | None = None) -> str:
    """Skills as an aligned text table."""
    rows = skills_table(curriculum, role)
    idw = max([len(r["id"]) for r in rows] + [2])
    namew = max([len(r["name"]) for r in rows] + [4])
    lines = [f"{'id':<{idw}}  {'name':<{namew}}  {'hours':>5}  roles"]
    for r in rows:
        lines.append(f"{r['id']:<{idw}}  {r['name']:<{namew}}  {r['hours']:>5g}  {len(r['roles'])}")
    return "\n".join(lines)
