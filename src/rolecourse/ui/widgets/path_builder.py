"""Path builder: pick a role, rate yourself on each of its skills, see the plan :func:`rolecourse.plan` computes.

The widget holds no planning rules: every change calls :func:`rolecourse.planning.plans.plan` and
renders its result (summary HTML and, optionally, the Gantt chart of
:func:`rolecourse.ui.plots.paths.gantt`).
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import ipywidgets as widgets

from ...content.model import Curriculum
from ...content.model import LEVEL_NAMES
from ...planning.plans import StudyPlan, plan
from ...planning.schedule import format_minutes

__all__ = ["PathBuilder", "summary_html"]


def summary_html(study_plan: StudyPlan, *, lessons_base: str = "../") -> str:
    """The plan's key figures and module list as HTML; a module with a lesson links to its notebook.

    ``lessons_base`` is the way from the notebook showing the widget to the course folder
    (``../`` from ``notebooks/``).
    """
    from ...assessment.lessons import lesson_links

    e = html.escape
    s = study_plan.schedule
    links = lesson_links()

    def lesson_cell(module_id: str) -> str:
        link = links.get(module_id)
        return f'<a href="{e(lessons_base + link)}" target="_blank">open lesson</a>' if link else ""

    rows = "".join(
        f"<tr><td>{i}</td><td>{e(st.module.title)}</td><td>{e(st.skill.name)}</td><td>{st.module.level.value}</td><td>{st.module.hours:g} h</td><td>{lesson_cell(st.module.id)}</td></tr>"
        for i, st in enumerate(study_plan.path.steps, 1)
    )
    skipped = "".join(f"<li>{e(sk.module.title)}: {e(sk.reason)}</li>" for sk in study_plan.path.skipped)
    milestones = "".join(f"<li>{ms.date.isoformat()}: {e(ms.name)}</li>" for ms in s.milestones)
    return (
        f'<div class="rolecourse-path"><h3>{e(study_plan.title)}</h3>'
        f"<p><strong>{study_plan.path.total_hours:g} h</strong> in {len(study_plan.path.steps)} modules, "
        f"<strong>{study_plan.weeks} weeks</strong> at {s.hours_per_week:g} h a week "
        f"({format_minutes(s.session_minutes)} a session), {s.start.isoformat()} to {s.end.isoformat()}; "
        f"{study_plan.path.skipped_hours:g} h skipped.</p>"
        f"<table><tr><th>#</th><th>Module</th><th>Skill</th><th>Level</th><th>Hours</th><th>Lesson</th></tr>{rows}</table>"
        + (f"<p>Skipped:</p><ul>{skipped}</ul>" if skipped else "")
        + f"<p>Milestones:</p><ul>{milestones}</ul></div>"
    )


class PathBuilder:
    """Role dropdown, one 0–3 slider per key skill, pace and start → plan summary (and Gantt chart)."""

    def __init__(self, curriculum: Curriculum, *, start: date | None = None, role: str | None = None, show_chart: bool = True) -> None:
        self.curriculum = curriculum
        self.show_chart = show_chart
        self.role = widgets.Dropdown(options=[(r.name, r.id) for r in curriculum.roles], value=curriculum.role(role).id if role else curriculum.roles[0].id, description="Role")
        self.hours = widgets.BoundedFloatText(value=10, min=1, max=80, step=1, description="Hours/week")
        self.start = widgets.DatePicker(value=start or date.today(), description="Start")
        self.sliders: dict[str, widgets.IntSlider] = {}
        self._ratings: dict[str, int] = {}
        self.skill_box = widgets.VBox()
        self.summary = widgets.HTML()
        self.chart = widgets.Output()
        self.plan: StudyPlan | None = None
        self.role.observe(self._role_changed, names="value")
        self.hours.observe(self._update, names="value")
        self.start.observe(self._update, names="value")
        self._build_sliders()
        self.widget = widgets.VBox([widgets.HBox([self.role, self.hours, self.start]), widgets.HTML("<b>What you already know (0 none … 3 advanced)</b>"), self.skill_box, self.summary, self.chart])
        self._update()

    def _build_sliders(self) -> None:
        role = self.curriculum.role(self.role.value)
        # Skills are shared: a rating carries over to every role that needs the skill, and is
        # remembered when a role without it is shown in between.
        self._ratings.update({sid: s.value for sid, s in self.sliders.items()})
        self.sliders = {}
        for sid in role.skill_ids:
            slider = widgets.IntSlider(value=self._ratings.get(sid, 0), min=0, max=3, description=self.curriculum.skills[sid].name, style={"description_width": "14em"}, layout={"width": "32em"})
            slider.observe(self._update, names="value")
            self.sliders[sid] = slider
        self.skill_box.children = tuple(self.sliders.values())

    def _role_changed(self, _change: Any = None) -> None:
        self._build_sliders()
        self._update()

    def known(self) -> dict[str, int]:
        """The self-assessment as ``{skill id: level}`` (levels above 0 only)."""
        return {sid: s.value for sid, s in self.sliders.items() if s.value}

    def _update(self, _change: Any = None) -> None:
        self.plan = plan(self.role.value, curriculum=self.curriculum, known=self.known(), hours_per_week=self.hours.value, start=self.start.value or date.today())
        self.summary.value = summary_html(self.plan)
        if self.show_chart:
            self._draw()

    def _draw(self) -> None:
        from IPython.display import display

        from ..plots.paths import gantt

        self.chart.clear_output(wait=True)
        with self.chart:
            display(gantt(self.plan))  # type: ignore[arg-type]  # a CourseFigure: a PNG, no pyplot state

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


LEVEL_LABELS = LEVEL_NAMES
"""Slider levels and their names (0 none, 1 foundation, 2 intermediate, 3 advanced)."""
