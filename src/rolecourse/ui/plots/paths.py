"""Gantt chart of a :class:`~rolecourse.planning.plans.StudyPlan`: one bar per module across the weeks it spans."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ...planning.schedule import MilestoneKind

from . import HATCHES, PALETTE, new_figure, short_label

if TYPE_CHECKING:
    from ...planning.plans import StudyPlan

__all__ = ["gantt"]

LABEL_WIDTH = 40
"""Module titles are wrapped at this many characters (three lines at most, then "…")."""

LABEL_LINES = 3
"""Lines a module title may take beside its bar."""


def gantt(plan: StudyPlan, ax: Any = None) -> Any:
    """Draw ``plan`` as a Gantt chart (weeks and their start dates on x, modules on y); return the Figure.

    Bars are coloured and hatched by skill (palette order of first appearance) with a legend
    below the chart, so colour is never the only cue. A role's milestones are diamonds with their
    names in a band at the top of the chart, under the title, with a dotted line down
    through the modules; each skill's checkpoint (its lesson's practice and quiz) is a
    black-edged white circle at the end of the bar of the skill's last module, named in the legend. Long module titles are wrapped and cut, so they never squeeze the
    chart. The same plan always gives the same picture.
    """
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
    skill_names = {st.module.skill: st.skill.name for st in plan.path.steps}
    order = list(dict.fromkeys(skills.values()))
    style = {s: (PALETTE[i % len(PALETTE)], HATCHES[(i // len(PALETTE) + i) % len(HATCHES)]) for i, s in enumerate(order)}
    rows = max(len(spans), 1)
    keys = len(order) + any(ms.kind is MilestoneKind.CHECKPOINT for ms in plan.schedule.milestones)  # legend entries
    if ax is None:
        fig = new_figure(11, 0.42 * rows + 3.0 + 0.25 * ((keys + 2) // 3))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    for row, (mid, (begin, end)) in enumerate(spans.items()):
        colour, hatch = style[skills[mid]]
        ax.barh(row, end - begin, left=begin, height=0.7, color=colour, hatch=hatch, edgecolor=_edge(colour), linewidth=0.4)
    ax.set_yticks([-1, *range(len(spans))], ["Milestones", *(short_label(titles[m], LABEL_WIDTH, LABEL_LINES) for m in spans)])
    ax.get_yticklabels()[0].set_fontstyle("italic")
    weeks = max(1, len(plan.schedule.weeks))
    ax.set_xlim(0, weeks + 0.5)  # room for the last milestone's diamond
    # dates on the axis: the first day of every k-th week, so a new start date redraws the axis
    step = max(1, -(-weeks // 10))
    ticks = list(range(0, weeks + 1, step))
    start = plan.schedule.start
    ax.set_xticks(ticks, [f"week {k + 1}\n{(start + timedelta(days=7 * k)).isoformat()}" for k in ticks], fontsize=8)
    ax.set_ylim(rows - 0.5, -1.6)
    by_week: dict[int, list[str]] = {}
    rows_of = {mid: row for row, mid in enumerate(spans)}
    checkpoints = [ms for ms in plan.schedule.milestones if ms.kind is MilestoneKind.CHECKPOINT and ms.module in rows_of]
    for ms in checkpoints:
        ax.plot([spans[ms.module][1]], [rows_of[ms.module]], marker="o", markersize=7, color="#FFFFFF", markeredgecolor="#000000", clip_on=False, zorder=4)
    for ms in plan.schedule.milestones:
        if ms.kind is MilestoneKind.CHECKPOINT:
            continue
        by_week.setdefault(ms.week if plan.schedule.weeks else 0, []).append(ms.name)
    for i, (week, names) in enumerate(by_week.items()):
        colour = PALETTE[5 + i % 2]
        ax.plot([week], [-1], marker="D", color=colour, markeredgecolor="#000000", clip_on=False, zorder=3)
        ax.plot([week, week], [-1, rows - 0.5], linestyle=":", color=colour, linewidth=1)
        left_side = week > weeks / 2
        ax.annotate(
            "\n".join(names), (week, -1), xytext=(-6 if left_side else 6, 0), textcoords="offset points",
            ha="right" if left_side else "left", va="center", fontsize=8,
        )
    ax.axhline(-0.5, color="#000000", linewidth=0.5)
    ax.set_xlabel("Week (and the date it starts)")
    ax.set_ylabel("Module")
    ax.set_title(plan.title)
    if order:
        handles: list[Any] = [Patch(facecolor=style[s][0], hatch=style[s][1], edgecolor=_edge(style[s][0]), label=skill_names.get(s, s)) for s in order]
        if checkpoints:
            handles.append(Line2D([], [], linestyle="", marker="o", markersize=7, color="#FFFFFF", markeredgecolor="#000000", label="Checkpoint: the lesson's practice and quiz"))
        fig.legend(handles=handles, title="Skill", loc="outside lower center", ncols=min(3, len(handles)), fontsize=8, title_fontsize=8)
    return fig


def _edge(colour: str) -> str:
    """Edge and hatch colour for a bar: black, or white on the palette's black so the hatch shows."""
    return "#FFFFFF" if colour == "#000000" else "#000000"
