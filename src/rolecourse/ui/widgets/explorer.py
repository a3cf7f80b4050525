"""Role explorer: a dropdown of roles → the role's profile as HTML, and a roles × skills matrix.

Renders :func:`rolecourse.planning.profiles.role_profile` (responsibilities, skill groups with tools,
modules and hours, related roles); holds no content of its own.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ...planning.compare import compare_roles
from ...content.model import Curriculum
from ...planning.profiles import role_profile

__all__ = ["RoleExplorer", "profile_html", "skill_matrix", "skill_matrix_html"]


def profile_html(curriculum: Curriculum, role: str) -> str:
    """A role's profile as HTML."""
    e = html.escape
    p = role_profile(curriculum, role)
    out = [f'<div class="rolecourse-role"><h3>{e(p["name"])}</h3><p>{e(p["summary"])}</p>', "<h4>Responsibilities</h4><ul>"]
    out += [f"<li><strong>{e(r['title'])}</strong>: {e(r['description'])}</li>" for r in p["responsibilities"]]
    out.append("</ul><h4>Key skills</h4>")
    for g in p["skill_groups"]:
        out.append(f"<p><strong>{e(g['name'])}</strong>: {e(g['text'])}</p><ul>")
        for item in g["items"]:
            skill = curriculum.skills[item["skill"]]
            tools = f" (tools: {e(', '.join(item['tools']))})" if item["tools"] else ""
            modules = "; ".join(f"{e(m.title)} ({m.level.value}, {m.hours:g} h)" for m in skill.modules)
            out.append(f"<li>{e(item['name'])}{tools}, {item['hours']:g} h: {modules}</li>")
        out.append("</ul>")
    out.append(f"<p>All key skills: <strong>{p['hours']:g} h</strong> of study.</p>")
    if p["see_also"]:
        out.append("<h4>See also</h4><ul>")
        out += [f"<li><strong>{e(s['name'])}</strong>: {e(s['note'])}</li>" for s in p["see_also"]]
        out.append("</ul>")
    out.append("</div>")
    return "".join(out)


class RoleExplorer:
    """A dropdown of roles and the chosen role's profile."""

    def __init__(self, curriculum: Curriculum, role: str | None = None) -> None:
        self.curriculum = curriculum
        self.role = widgets.Dropdown(options=[(r.name, r.id) for r in curriculum.roles], value=curriculum.role(role).id if role else curriculum.roles[0].id, description="Role")
        self.profile = widgets.HTML()
        self.role.observe(self._update, names="value")
        self.widget = widgets.VBox([self.role, self.profile])
        self._update()

    def _update(self, _change: Any = None) -> None:
        self.profile.value = profile_html(self.curriculum, self.role.value)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def skill_matrix_html(curriculum: Curriculum, roles: list[str] | None = None) -> str:
    """A roles × skills table (● where the role names the skill)."""
    e = html.escape
    comp = compare_roles(curriculum, roles or [r.id for r in curriculum.roles])
    head = "".join(f"<th>{e(r.name)}</th>" for r in comp.roles)
    rows = "".join(
        f"<tr><td>{e(name)}</td>" + "".join(f"<td>{'●' if comp.has(r.id, sid) else ''}</td>" for r in comp.roles) + "</tr>"
        for sid, name in comp.skill_names
    )
    return f'<table class="rolecourse-matrix"><tr><th>Skill</th>{head}</tr>{rows}</table>'


def skill_matrix(curriculum: Curriculum, roles: list[str] | None = None) -> widgets.HTML:
    """The roles × skills matrix as a widget."""
    return widgets.HTML(value=skill_matrix_html(curriculum, roles))
