"""A role's key skills as a bar chart of study hours, split by module level."""

from __future__ import annotations

from ...content.model import Curriculum, Level
from ...planning.profiles import role_hours
from . import PALETTE, CourseFigure, new_figure, short_label

__all__ = ["LEVEL_HATCHES", "skill_hours"]

LEVEL_HATCHES = {Level.FOUNDATION: "", Level.INTERMEDIATE: "//", Level.ADVANCED: ".."}
"""Hatch pattern per level, so the levels are told apart without colour."""


def skill_hours(curriculum: Curriculum, role: str) -> CourseFigure:
    """Horizontal stacked bars, one per key skill of ``role`` (in the source's order, first on top):
    hours of its foundation, intermediate and advanced modules, with the total written at the end.
    The title gives the role's plan hours from scratch (the one hour figure the course shows for a
    role) and names its choices (Python or R: one of them is planned).

    Levels differ by colour (Okabe–Ito) and by hatch; the figure is built without pyplot, so it
    opens no window and keeps no global state, and it shows itself in a notebook as a PNG. The same curriculum always gives the same picture.
    """
    r = curriculum.role(role)
    skills = [curriculum.skills[s] for s in r.skill_ids]
    fig = new_figure(8, 0.42 * max(len(skills), 1) + 1.6)
    ax = fig.add_subplot()
    positions = list(range(len(skills)))[::-1]
    left = [0.0] * len(skills)
    for k, level in enumerate(Level):
        hours = [sum(m.hours for m in s.modules if m.level is level) for s in skills]
        ax.barh(
            positions, hours, left=left, height=0.65, label=level.value.capitalize(),
            color=PALETTE[k], hatch=LEVEL_HATCHES[level], edgecolor="#000000", linewidth=0.5,
        )
        left = [a + b for a, b in zip(left, hours)]
    for pos, total in zip(positions, left):
        ax.text(total + 0.5, pos, f"{total:g} h", va="center", ha="left")
    ax.set_yticks(positions, [short_label(s.name) for s in skills])
    ax.set_xlim(0, (max(left) if left else 1) * 1.15 + 1)
    # the one hour figure shown for the role is its plan's (prerequisites in, one option per choice)
    choices = "; ".join(" or ".join(curriculum.skills[o].name for o in opts) for _, opts in r.choices)
    ax.set_title(f"{r.name}: study hours per key skill (plan from scratch: {role_hours(curriculum, r):g} h" + (f"; one of {choices})" if choices else ")"))
    ax.set_xlabel("Hours of study")
    ax.set_ylabel("Key skill")
    ax.legend(title="Module level", loc="lower right", frameon=True)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return fig
