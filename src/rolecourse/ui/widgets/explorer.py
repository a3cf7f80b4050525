"""Role explorer: a dropdown of roles and one of the role's key skills → what it takes to learn that skill.

The role notebooks print the role's profile just above the explorer, so the explorer does not
repeat it: it opens one key skill at a time and shows what the profile does not (the skills to
study first, the skill's modules in order with their level, hours and objectives, the lesson
notebook that teaches each one or why it is practised outside, and the other roles that need
it). Where no profile is printed (the Voilà app), ``profile=True`` shows the role's profile
above the skill. Everything shown is read from :func:`rolecourse.planning.profiles.role_profile`,
:func:`~rolecourse.planning.profiles.skill_info` and the curriculum; the explorer holds no
content of its own.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from ...planning.compare import compare_roles
from ...content.model import Curriculum
from ...planning.profiles import role_profile, skill_info

__all__ = ["RoleExplorer", "profile_html", "skill_html", "skill_matrix", "skill_matrix_html"]


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


def skill_html(
    curriculum: Curriculum,
    skill: str,
    *,
    role: str | None = None,
    lessons: Mapping[str, str] | None = None,
    lessons_base: str = "../",
) -> str:
    """One skill as a learner who studies it needs it: what to study first, its modules in order
    (level, hours, objectives, what each builds on) with the lesson notebook to open, and the roles
    that need it (``role``, the role it is read for, is named apart from the others).

    ``lessons`` maps a module id to its lesson notebook relative to the course folder (default:
    :func:`~rolecourse.assessment.lessons.lesson_links`); ``lessons_base`` is the way from the
    notebook showing the widget to the course folder (``../`` from ``notebooks/``).
    """
    if lessons is None:
        from ...assessment.lessons import lesson_links

        lessons = lesson_links()
    e = html.escape
    info = skill_info(curriculum.skill(skill))
    modules = curriculum.modules

    def name(module_id: str) -> str:
        found = modules.get(module_id)
        return found.title if found is not None else module_id

    out = [f'<div class="rolecourse-skill"><h4>{e(info["name"])}: {info["hours"]:g} h in {len(info["modules"])} modules</h4>', f"<p>{e(info['description'])}</p>"]
    first = [curriculum.skills[p] for p in info["prerequisites"]]
    if first:
        out.append("<p><strong>Study first:</strong> " + ", ".join(f"{e(s.name)} ({s.hours:g} h)" for s in first) + "</p>")
    else:
        out.append("<p><strong>Study first:</strong> nothing; you can start here.</p>")
    if info["tools"]:
        out.append("<p><strong>Tools:</strong> " + ", ".join(f'<a href="{e(t["url"])}" target="_blank">{e(t["name"])}</a>' for t in info["tools"]) + "</p>")
    out.append("<table><tr><th>Level</th><th>Module</th><th>Hours</th><th>You will be able to</th><th>Where to study it</th></tr>")
    for m in info["modules"]:
        module = modules[m["id"]]
        link = lessons.get(m["id"])
        if link:
            where = f'<a href="{e(lessons_base + link)}" target="_blank">open lesson</a>'
        elif module.outside is not None:
            where = f"outside a notebook: {e(module.outside.reason)}"
        else:
            where = "no lesson notebook yet: " + ", ".join(f'<a href="{e(r["url"])}" target="_blank">{e(r["title"])}</a>' for r in m["resources"])
        builds_on = "".join(f"<br><em>builds on {e(' or '.join(name(i) for i in group))}</em>" for group in module.builds_on)
        objectives = "".join(f"<li>{e(o)}</li>" for o in m["objectives"])
        out.append(
            f"<tr><td>{e(m['level'])}</td><td>{e(m['title'])}{builds_on}</td><td>{m['hours']:g} h</td>"
            f"<td><ul>{objectives}</ul></td><td>{where}</td></tr>"
        )
    out.append("</table>")
    needing = [r for r in curriculum.roles_with_skill(info["id"]) if role is None or r.id != curriculum.role(role).id]
    if needing:
        label = "Other roles that need it" if role is not None else "Roles that need it"
        out.append(f"<p><strong>{label}:</strong> " + ", ".join(e(r.name) for r in needing) + "</p>")
    else:
        out.append("<p><strong>No other role needs it</strong> in this course.</p>")
    out.append("</div>")
    return "".join(out)


class RoleExplorer:
    """A dropdown of roles and one of the role's key skills, opened: :func:`skill_html`.

    ``profile=True`` also shows the role's profile (:func:`profile_html`) above the skill, for a page
    that does not print it already; the role notebooks print it, and pass ``profile=False``.
    """

    def __init__(
        self,
        curriculum: Curriculum,
        role: str | None = None,
        *,
        profile: bool = True,
        lessons: Mapping[str, str] | None = None,
        lessons_base: str = "../",
    ) -> None:
        if lessons is None:
            from ...assessment.lessons import lesson_links

            lessons = lesson_links()
        self.curriculum = curriculum
        self._lessons = lessons
        self._lessons_base = lessons_base
        self.role = widgets.Dropdown(options=[(r.name, r.id) for r in curriculum.roles], value=curriculum.role(role).id if role else curriculum.roles[0].id, description="Role")
        self.skill = widgets.Dropdown(description="Skill")
        self.profile = widgets.HTML()
        """The role's profile (empty when ``profile=False``)."""
        self.details = widgets.HTML()
        """The chosen skill, opened."""
        self.show_profile = profile
        self._rebuilding = False
        self.role.observe(self._role_changed, names="value")
        self.skill.observe(self._skill_changed, names="value")
        self.widget = widgets.VBox([self.role, self.profile, self.skill, self.details] if profile else [widgets.HBox([self.role, self.skill]), self.details])
        self._role_changed()

    def _role_changed(self, _change: Any = None) -> None:
        role = self.curriculum.role(self.role.value)
        kept = self.skill.value
        options = [(f"{self.curriculum.skills[s].name} ({self.curriculum.skills[s].hours:g} h)", s) for s in role.skill_ids]
        if self.show_profile:
            self.profile.value = profile_html(self.curriculum, role.id)
        self._rebuilding = True
        try:
            self.skill.options = options
            # A skill the previous role shares stays open, so switching roles compares it at once.
            self.skill.value = kept if kept in role.skill_ids else role.skill_ids[0]
        finally:
            self._rebuilding = False
        self._skill_changed()

    def _skill_changed(self, _change: Any = None) -> None:
        if self._rebuilding or self.skill.value is None:
            return
        self.details.value = skill_html(self.curriculum, self.skill.value, role=self.role.value, lessons=self._lessons, lessons_base=self._lessons_base)

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
