"""Role and skill profiles: what the CLI and the notebooks show about the curriculum.

Pure functions from the :class:`~rolecourse.content.model.Curriculum` to plain data (for ``--json``
and the notebooks); :mod:`rolecourse.export.text` lays them out as text.
"""

from __future__ import annotations

from typing import Any

from ..content.model import Curriculum, Extension, Role, Skill
from .paths import learning_path


def extension_info(extension: Extension | None) -> dict[str, Any] | None:
    """An extension mark as plain data (``{"reason": ..., "since": 2026}``), or None for the source's own content."""
    return None if extension is None else {"reason": extension.reason, "since": extension.since}


def role_hours(curriculum: Curriculum, role: Role) -> float:
    """The hours of the role's plan from scratch: every module a learner who knows nothing studies
    (prerequisites included, the first option of each choice), the same figure ``rolecourse plan`` gives."""
    return learning_path(curriculum, role).total_hours


def roles_table(curriculum: Curriculum) -> list[dict[str, Any]]:
    """One row per role, in order: number, id, name, skill count (one per choice), plan hours from scratch."""
    return [
        {"number": i, "id": r.id, "name": r.name, "skills": len(r.required_skill_ids()), "hours": role_hours(curriculum, r)}
        for i, r in enumerate(curriculum.roles, 1)
    ]


def skill_info(skill: Skill) -> dict[str, Any]:
    """A skill as plain data."""
    return {
        "id": skill.id,
        "name": skill.name,
        "category": skill.category.value,
        "description": skill.description,
        "extension": extension_info(skill.extension),
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
            {"title": r.title, "description": r.description, "skills": list(r.skills), "extension": extension_info(r.extension)}
            for r in role.responsibilities
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
                        "extension": extension_info(ref.extension or curriculum.skills[ref.skill].extension),
                        "choice": ref.choice,
                        "one_of": [curriculum.skills[o].name for c, opts in role.choices if c == ref.choice for o in opts],
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


