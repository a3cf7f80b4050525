"""Gantt chart of a :class:`~rolecourse.plans.StudyPlan`: one bar per module across the weeks it spans."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import PALETTE, use_style

if TYPE_CHECKING:
    from ..plans import StudyPlan


def gantt(plan: StudyPlan, ax: Any = None) -> Any:
    """Draw ``plan`` as a Gantt chart (weeks on x, modules on y, milestones as diamonds); return the Figure.

    Bars are coloured by skill (palette order of first appearance); the same plan always
    gives the same picture.
    """
    import matplotlib.pyplot as plt

    use_style()
    spans: dict[str, list[float]] = {}
    titles: dict[str, str] = {}
    skills: dict[str, str] = {}
    for w in plan.schedule.weeks:
        done = 0
        for p in w.parts:
            begin = w.number - 1 + done / max(w.minutes, 1)
            done += p.minutes
            end = w.number - 1 + done / max(w.minutes, 1)
            span = spans.setdefault(p.module.id, [begin, end])
            span[1] = end
            titles[p.module.id] = p.module.title
            skills[p.module.id] = p.module.skill
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, max(2.5, 0.35 * len(spans) + 1.5)))
    else:
        fig = ax.figure
    colour_of = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(dict.fromkeys(skills.values()))}
    for row, (mid, (begin, end)) in enumerate(spans.items()):
        ax.barh(row, end - begin, left=begin, color=colour_of[skills[mid]], edgecolor="white")
    ax.set_yticks(range(len(spans)), [titles[m] for m in spans])
    ax.invert_yaxis()
    for i, ms in enumerate(plan.schedule.milestones):
        x = ms.week if plan.schedule.weeks else 0
        ax.plot([x], [-0.8], marker="D", color=PALETTE[5 + i % 2], clip_on=False)
        ax.annotate(ms.name, (x, -0.8), xytext=(4, 6 + 10 * (i % 2)), textcoords="offset points", fontsize=8)
    ax.set_xlim(0, max(1, len(plan.schedule.weeks)))
    ax.set_xlabel("Week")
    ax.set_ylabel("Module")
    ax.set_title(plan.title)
    fig.tight_layout()
    return fig
