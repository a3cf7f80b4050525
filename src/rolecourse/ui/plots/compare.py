"""Plots of a :class:`~rolecourse.planning.compare.Comparison`: roles × skills heatmap and pairwise overlap.

Both are built without pyplot (see :func:`rolecourse.ui.plots.new_figure`) and show themselves
in a notebook as a PNG.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import PALETTE, SEQUENTIAL_CMAP, new_figure, short_label

if TYPE_CHECKING:
    from ...planning.compare import Comparison


def skill_heatmap(comparison: Comparison, ax: Any = None) -> Any:
    """Roles (rows) × skills (columns): filled where the role names the skill. Returns the Figure.

    Every filled cell also carries a black dot, so the picture does not rely on colour alone.
    """
    matrix = [[1.0 if comparison.has(r.id, s) else 0.0 for s, _ in comparison.skill_names] for r in comparison.roles]
    if ax is None:
        fig = new_figure(max(6, 0.35 * len(comparison.skills) + 2), 0.5 * len(comparison.roles) + 2.4)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    ax.imshow(matrix, cmap=SEQUENTIAL_CMAP, vmin=0, vmax=1, aspect="auto")
    filled = [(col, row) for row, values in enumerate(matrix) for col, value in enumerate(values) if value]
    if filled:  # one marker collection, not one text per cell: the same picture, drawn in a fraction of the time
        cols, rows = zip(*filled)
        ax.scatter(cols, rows, s=14, marker="o", color="#000000", label="Key skill of the role")
    ax.set_xticks(range(len(comparison.skills)), [short_label(n, 30, 1) for _, n in comparison.skill_names], rotation=60, ha="right")
    ax.set_yticks(range(len(comparison.roles)), [short_label(r.name, 24, 1) for r in comparison.roles])
    ax.set_xlabel("Key skill")
    ax.set_ylabel("Role")
    ax.set_title("Key skills by role")
    return fig


def overlap_chart(comparison: Comparison, ax: Any = None) -> Any:
    """One bar per pair of roles: similarity (Jaccard), labelled with its value. Returns the Figure."""
    names = {r.id: r.name for r in comparison.roles}
    labels = [f"{names[p.a]} / {names[p.b]}" for p in comparison.pairs]
    values = [p.similarity for p in comparison.pairs]
    if ax is None:
        fig = new_figure(8, 0.5 * len(labels) + 1.8)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    ax.barh(range(len(labels)), values, color=PALETTE[0], edgecolor="#000000", linewidth=0.5)
    ax.set_yticks(range(len(labels)), [short_label(label, 44) for label in labels])
    ax.invert_yaxis()
    for i, v in enumerate(values):
        ax.annotate(f"{v:.2f}", (v, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("Similarity (shared / all key skills)")
    ax.set_ylabel("Pair of roles")
    ax.set_title("Key-skill overlap between roles")
    return fig
