"""The progress dashboard: per role, skills mastered, quizzes, exercises and what's next.

It only renders :func:`rolecourse.progress.mastery.summarize`; the rules live in the core. Every
figure is written out in words, so nothing relies on the colour of a bar.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

import ipywidgets as widgets

from ..._text import count
from ...progress.mastery import ExerciseMaps, RoleProgress, summarize
from ...progress.store import ProgressStore

__all__ = ["ProgressDashboard", "my_progress", "role_line"]


def role_line(r: RoleProgress, skill_names: dict[str, str] | None = None) -> str:
    """The words shown beside a role's bar."""
    names = skill_names or {}
    nxt = ", ".join(names.get(s, s) for s in r.next_skills) or "all key skills mastered"
    return (
        f"{r.skills_mastered} of {r.skills_total} skills mastered ({r.percent_mastered:.0f}%) · "
        f"quizzes {r.quizzes_correct} of {r.quizzes_answered} right · "
        f"exercises {r.exercises_done} done of {r.exercises_started} started · next: {nxt}"
    )


class ProgressDashboard(widgets.VBox):
    """A learner's progress per role, refreshed from the store with :meth:`refresh` or its button.

    ``exercises`` (skills, steps and role of each exercise) defaults to the shipped exercises,
    so a role's exercise shows as done once every one of its steps' latest check is correct.
    """

    def __init__(
        self,
        store: ProgressStore,
        learner: str,
        curriculum: Any,
        *,
        exercises: ExerciseMaps | None = None,
        now: datetime | None = None,
        **kwargs: Any,
    ) -> None:
        self.store = store
        self.learner = learner
        self.curriculum = curriculum
        self.exercises = exercises if exercises is not None else ExerciseMaps.shipped()
        self.now = now
        self.summary: tuple[RoleProgress, ...] = ()
        self.heading = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", tooltip="Read the progress again", icon="refresh")
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.rows = widgets.VBox()
        super().__init__(children=[widgets.HBox([self.heading, self.refresh_button]), self.rows], **kwargs)
        self.refresh()

    def refresh(self) -> None:
        """Read the learner's progress again and redraw."""
        progress = self.store.load(self.learner)
        m = self.exercises
        self.summary = summarize(progress, self.curriculum, exercise_skills=m.skills, exercise_steps=m.steps, exercise_roles=m.roles)
        latest = progress.latest_answers()
        due = self.store.due_reviews(self.learner, self.now)
        self.heading.value = (
            f"<h3>Progress of {html.escape(progress.learner)}</h3>"
            f"<p>{count(len(latest), 'question')} answered, {sum(1 for a in latest.values() if a.correct)} right; "
            f"{len(due)} due for review</p>"
        )
        names = {sid: s.name for sid, s in self.curriculum.skills.items()}
        rows = []
        for r in self.summary:
            bar = widgets.IntProgress(
                value=r.skills_mastered,
                min=0,
                max=max(r.skills_total, 1),
                description=r.name,
                style={"description_width": "14em"},
                layout=widgets.Layout(width="28em", min_width="28em", flex="0 0 28em"),  # every bar the same width
            )
            text = widgets.HTML(html.escape(role_line(r, names)), layout=widgets.Layout(flex="1 1 0", min_width="0"))
            rows.append(widgets.HBox([bar, text], layout=widgets.Layout(align_items="center", flex_flow="row nowrap")))
        self.rows.children = tuple(rows)


def my_progress(curriculum: Any, *, home: Any = None) -> widgets.Widget:
    """The current learner's dashboard (:mod:`rolecourse.progress.learner`), or a line saying how to become one."""
    from ...progress.learner import current

    choice = current(home)
    if choice is None:
        return widgets.HTML(
            "<p>○ No learner is set, so there is no progress of yours to show. Give your name once in "
            '<a href="00-start-here.ipynb">00 Start here</a> (or run <code>rolecourse.set_learner("Your Name")</code>), '
            "then press Refresh here after a quiz or an exercise.</p>"
        )
    return ProgressDashboard(choice.store, choice.learner, curriculum)
