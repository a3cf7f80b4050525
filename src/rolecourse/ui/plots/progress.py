"""A bar chart of a learner's progress per role: share of the role's key skills mastered."""

from __future__ import annotations

from typing import Sequence

from ...progress.mastery import RoleProgress
from . import PALETTE, CourseFigure, new_figure


def plot_progress(summary: Sequence[RoleProgress], *, title: str = "Skills mastered per role") -> CourseFigure:
    """Horizontal bars, one per role (first role on top), of the % of its skills mastered.

    Every bar carries a text label (``3/8 (38%)``), so colour is never the only cue. The
    figure is built without pyplot, so it opens no window and keeps no global state.
    """
    rows = list(summary)
    fig = new_figure(7.5, 0.55 * max(len(rows), 1) + 1.4)
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_xlabel("Key skills mastered (%)")
    ax.set_ylabel("Role")
    ax.set_xlim(0, 118)  # room for the labels of full bars
    ax.set_xticks(range(0, 101, 20))
    if not rows:
        ax.text(50, 0.5, "no roles to show", ha="center", va="center", transform=ax.transData)
        ax.set_yticks([])
        return fig
    positions = list(range(len(rows)))[::-1]
    values = [r.percent_mastered for r in rows]
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(rows))]
    ax.barh(positions, values, color=colours, edgecolor="#000000", linewidth=0.6, height=0.6)
    ax.set_yticks(positions, [r.name for r in rows])
    for pos, r, value in zip(positions, rows, values):
        ax.text(value + 1.5, pos, f"{r.skills_mastered}/{r.skills_total} ({value:.0f}%)", va="center", ha="left", color="#000000")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return fig
