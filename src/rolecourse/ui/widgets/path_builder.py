"""Path builder: pick a role, rate yourself on each of its skills, see the plan :func:`rolecourse.plan` computes.

The widget holds no planning rules: every change calls :func:`rolecourse.planning.plans.plan` and
renders its result (summary HTML and, optionally, the Gantt chart of
:func:`rolecourse.ui.plots.paths.gantt`).
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ...content.model import Curriculum
from ...content.model import LEVEL_NAMES
from ...planning.plans import StudyPlan, plan
from ...planning.pace import format_minutes

__all__ = ["PathBuilder", "summary_html"]


def summary_html(study_plan: StudyPlan, *, lessons_base: str = "../") -> str:
    """The plan's key figures and module list as HTML; a module with a lesson links to its notebook.

    ``lessons_base`` is the way from the notebook showing the widget to the course folder
    (``../`` from ``notebooks/``).
    """
    from ...assessment.lessons import lesson_links
    from ...export.plans import milestone_name

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
    milestones = "".join(f"<li>{ms.date.isoformat()}: {e(milestone_name(ms, links))}</li>" for ms in s.milestones)
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


SAVE_FORMATS = (("Markdown (.md)", "md"), ("Printable page (.html)", "html"), ("Spreadsheet (.csv)", "csv"), ("JSON (.json)", "json"), ("Calendar (.ics)", "ics"))
"""The formats the Save button offers (label, format)."""

PLANS_FOLDER = "my-plans"
"""The folder, beside the notebooks, where Save puts a learner's plan."""


def next_modules_html(study_plan: StudyPlan, status: dict[str, str] | None = None, *, lessons_base: str = "../", count_: int = 3) -> str:
    """The next ``count_`` modules of the plan, each with its hours, its lesson link and the learner's state in it."""
    from ...assessment.lessons import lesson_links

    e = html.escape
    links = lesson_links()
    items = []
    for st in study_plan.path.steps[:count_]:
        link = links.get(st.module.id)
        where = f' · <a href="{e(lessons_base + link)}" target="_blank">open its lesson</a>' if link else " · no lesson notebook: study its resources"
        state = (status or {}).get(st.module.id, "")
        items.append(f"<li><strong>{e(st.module.title)}</strong> ({st.module.hours:g} h){where}{e(state)}</li>")
    if not items:
        return "<p>Nothing left to study for this role: every module is known.</p>"
    return f"<p>Next:</p><ol>{''.join(items)}</ol>"


def answer_html(study_plan: StudyPlan) -> str:
    """The plan in one line: hours, modules, weeks, dates, checkpoints."""
    s = study_plan.schedule
    return (
        f"<p><strong>{html.escape(study_plan.title)}: {study_plan.path.total_hours:g} h in {len(study_plan.path.steps)} modules, "
        f"{study_plan.weeks} weeks</strong> at {s.hours_per_week:g} h a week, {s.start.isoformat()} to {s.end.isoformat()}; "
        f"{study_plan.path.skipped_hours:g} h skipped as known; {len(s.milestones)} milestones.</p>"
    )


class PathBuilder:
    """The answer first (summary line and the next three modules), then compact controls, the plan's chart and its table.

    Role, hours a week and start date (today by default) sit in one row; one compact 0–3 slider per
    key skill sits in a grid below. With a learner (by default the current one,
    :func:`rolecourse.progress.learner.recording`), the sliders start from the learner's progress
    (:meth:`ProgressStore.mastery`: self-assessment, quizzes, exercises and lessons), a moved
    slider is saved as their self-assessment, and the next modules show how far they got in each
    lesson. **Save my plan** writes the plan in the chosen format to ``save_folder`` (default
    ``my-plans/`` in the current folder, beside the notebooks), atomically through
    :func:`rolecourse.export.plans.write`, and links to it.
    """

    def __init__(
        self,
        curriculum: Curriculum,
        *,
        start: date | None = None,
        role: str | None = None,
        show_chart: bool = True,
        store: Any = None,
        learner: str | None = None,
        save_folder: str | Path | None = None,
        use_progress: bool = True,
    ) -> None:
        self.curriculum = curriculum
        self.show_chart = show_chart
        if store is None and learner is None and use_progress:
            from ...progress.learner import recording

            found = recording()  # the current learner's store and name
            if found is not None:
                store, learner = found
        self.store = store
        """Where the learner's progress is read and their self-assessment saved (None: nowhere)."""
        self.learner = learner if store is not None else None
        """Whose progress the plan starts from (None: from scratch)."""
        self.save_folder = Path(save_folder) if save_folder is not None else Path(PLANS_FOLDER)
        """Where Save writes the plan (relative to the kernel's folder, the notebooks' one)."""
        self._ratings: dict[str, int] = self._progress_levels()
        self.role = widgets.Dropdown(options=[(r.name, r.id) for r in curriculum.roles], value=curriculum.role(role).id if role else curriculum.roles[0].id, description="Role", layout={"width": "20em"})
        self.hours = widgets.BoundedFloatText(value=10, min=1, max=80, step=1, description="Hours/week", layout={"width": "11em"})
        self.start = widgets.DatePicker(value=start or date.today(), description="Start", layout={"width": "16em"})
        self.sliders: dict[str, widgets.IntSlider] = {}
        self.skill_box = widgets.GridBox(layout={"grid_template_columns": "repeat(auto-fill, minmax(22em, 1fr))", "grid_gap": "0 1em"})
        self.answer = widgets.HTML()
        """The answer first: the summary line, where it starts from, and the next three modules."""
        self.summary = widgets.HTML()
        """Every module, what was skipped and every milestone (in the "All modules" section)."""
        self.chart = widgets.Output()
        self.format = widgets.Dropdown(options=SAVE_FORMATS, value="md", description="Format", layout={"width": "20em"})
        self.save = widgets.Button(description="Save my plan", tooltip="Write this plan to a file beside the notebooks", icon="download", button_style="primary")
        self.saved = widgets.Output()
        """The link to the saved file (or the reason it could not be written)."""
        self.saved_path: Path | None = None
        self.save.on_click(lambda _b: self.save_plan())
        self.plan: StudyPlan | None = None
        self.role.observe(self._role_changed, names="value")
        self.hours.observe(self._update, names="value")
        self.start.observe(self._update, names="value")
        self._build_sliders()
        details = widgets.Accordion(children=[self.summary])
        details.set_title(0, "All modules, skipped modules and milestones")
        details.selected_index = None
        self.widget = widgets.VBox([
            self.answer,
            widgets.HBox([self.format, self.save], layout={"flex_flow": "row wrap"}),
            self.saved,
            widgets.HBox([self.role, self.hours, self.start], layout={"flex_flow": "row wrap"}),
            widgets.HTML("<b>What you already know</b> (0 none, 1 foundation, 2 intermediate, 3 advanced)"),
            self.skill_box,
            self.chart,
            details,
        ])
        self._update()

    def _progress_levels(self) -> dict[str, int]:
        if self.store is None or self.learner is None:
            return {}
        known = self.store.mastery(self.learner)
        return {sid: int(getattr(level, "rank", level)) for sid, level in known.items() if sid in self.curriculum.skills}

    def _build_sliders(self) -> None:
        role = self.curriculum.role(self.role.value)
        # Skills are shared: a rating carries over to every role that needs the skill, and is
        # remembered when a role without it is shown in between.
        self._ratings.update({sid: s.value for sid, s in self.sliders.items()})
        self.sliders = {}
        for sid in role.skill_ids:
            slider = widgets.IntSlider(
                value=self._ratings.get(sid, 0), min=0, max=3, description=self.curriculum.skills[sid].name,
                continuous_update=False, style={"description_width": "12em"}, layout={"width": "22em"},
            )
            slider.observe(self._slider_moved, names="value")
            self.sliders[sid] = slider
        self.skill_box.children = tuple(self.sliders.values())

    def _role_changed(self, _change: Any = None) -> None:
        self._build_sliders()
        self._update()

    def _slider_moved(self, change: Any) -> None:
        if self.store is not None and self.learner is not None:
            sid = next(s for s, w in self.sliders.items() if w is change["owner"])
            self.store.set_self_assessment(self.learner, {sid: int(change["new"])}, curriculum=self.curriculum)
        self._update()

    def known(self) -> dict[str, int]:
        """The self-assessment as ``{skill id: level}`` (levels above 0 only)."""
        return {sid: s.value for sid, s in self.sliders.items() if s.value}

    def _status(self) -> dict[str, str]:
        """Per next module with a lesson, the learner's state in it (``" · in progress: 1 of 4 practice steps correct"``)."""
        if self.store is None or self.learner is None or self.plan is None:
            return {}
        from ...assessment.lessons import LessonState, lesson_links, lesson_status, lessons_root, read_lesson

        links = lesson_links()
        progress = self.store.load(self.learner)
        out = {}
        for st in self.plan.path.steps[:3]:
            if st.module.id not in links:
                continue
            s = lesson_status(read_lesson(lessons_root() / st.module.id / "lesson.yaml"), progress)
            if s.state is LessonState.IN_PROGRESS:
                out[st.module.id] = f" · in progress: {s.steps_correct} of {s.steps} practice steps correct, quiz {s.quiz_right} of {s.quiz} right"
            elif s.state is LessonState.DONE:
                out[st.module.id] = " · lesson done"
        return out

    def _update(self, _change: Any = None) -> None:
        self.plan = plan(self.role.value, curriculum=self.curriculum, known=self.known(), hours_per_week=self.hours.value, start=self.start.value or date.today())
        if self.learner is not None:
            rated = sum(1 for s in self.sliders.values() if s.value)
            origin = (
                f"<p>Starting from <strong>{html.escape(self.learner)}</strong>’s progress: {rated} of {len(self.sliders)} "
                "skills already at a level (what you said you know, and what your quizzes, exercises and lessons showed).</p>"
            )
        else:
            origin = "<p>Starting from scratch: no learner is set (give your name in notebook 00 to start from your progress).</p>"
        self.answer.value = f'<div class="rolecourse-path-answer">{answer_html(self.plan)}{origin}{next_modules_html(self.plan, self._status())}</div>'
        self.summary.value = summary_html(self.plan)
        if self.show_chart:
            self._draw()

    def save_plan(self) -> Path | None:
        """Write the plan in the chosen format to the save folder and show a link to it; return the path (None on failure)."""
        from IPython.display import Markdown, display

        from ..._text import slug
        from ...errors import RolecourseError
        from ...export.plans import write

        assert self.plan is not None
        who = slug(self.learner) if self.learner else "my"
        name = f"{who}-plan-{self.role.value}.{self.format.value}"
        self.saved.clear_output()
        with self.saved:
            try:
                self.save_folder.mkdir(parents=True, exist_ok=True)
                path = write(self.plan, self.format.value, self.save_folder / name)
            except (RolecourseError, OSError) as exc:
                display(Markdown(f"✘ Not saved — {exc}"))
                self.saved_path = None
                return None
            link = (self.save_folder / name).as_posix()
            display(Markdown(f"✔ Saved — [{link}]({link}) (open it from the file browser, or with this link)."))
        self.saved_path = path
        return path

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
