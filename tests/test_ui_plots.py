"""Tests for rolecourse.ui.plots (display wrapper), rolecourse.ui.plots.paths and rolecourse.ui.plots.compare: titles, labels, data drawn, determinism."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")

from rolecourse.planning.compare import compare_roles  # noqa: E402
from rolecourse.content.curriculum import load_curriculum  # noqa: E402
from rolecourse.planning.plans import plan  # noqa: E402
from rolecourse.planning.schedule import MilestoneKind  # noqa: E402
from rolecourse.ui.plots import PALETTE, CourseFigure, new_figure, png_bytes, short_label  # noqa: E402
from rolecourse.ui.plots.compare import overlap_chart, skill_heatmap  # noqa: E402
from rolecourse.ui.plots.paths import gantt  # noqa: E402

MINI = Path(__file__).parent / "fixtures" / "paths" / "mini.yaml"


@pytest.fixture(scope="module")
def cur():
    return load_curriculum(MINI)


def svg(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def test_gantt_has_one_bar_per_module_and_labels(cur):
    """One bar per studied module, titled with the plan, weeks on x."""
    p = plan("data-scientist", curriculum=cur, hours_per_week=6, start="2025-03-03")
    fig = gantt(p)
    ax = fig.axes[0]
    assert len(ax.patches) == len(p.path.steps)
    assert ax.get_title() == p.title and ax.get_xlabel() == "Week (and the date it starts)"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Milestones"] + [short_label(s.module.title, 40, 3) for s in p.path.steps]


def test_gantt_axis_shows_dates_that_follow_the_start(cur):
    """The x axis names each tick's week and its first day, so another start date gives another axis."""
    first = gantt(plan("data-scientist", curriculum=cur, hours_per_week=6, start="2025-03-03")).axes[0]
    later = gantt(plan("data-scientist", curriculum=cur, hours_per_week=6, start="2026-12-01")).axes[0]
    a = [t.get_text() for t in first.get_xticklabels()]
    b = [t.get_text() for t in later.get_xticklabels()]
    assert a[0] == "week 1\n2025-03-03" and b[0] == "week 1\n2026-12-01" and a != b
    assert first.get_xlim()[1] > len(plan("data-scientist", curriculum=cur, hours_per_week=6, start="2025-03-03").schedule.weeks)


def test_gantt_is_deterministic(cur):
    """The same plan gives the same SVG bytes."""
    p = plan("deep-learning-engineer", curriculum=cur, start="2025-03-03")
    a, b = gantt(p), gantt(p)
    assert svg(a) == svg(b)


def test_gantt_of_empty_plan(cur):
    """A plan with nothing to study still draws (milestones only)."""
    known = {s: 3 for s in cur.role("data-analyst").skill_ids}
    fig = gantt(plan("data-analyst", curriculum=cur, known=known, start="2025-03-03"))
    assert len(fig.axes[0].patches) == 0
    assert fig.axes[0].get_title() == "Study plan: Data Analyst"


def test_heatmap_marks_role_skills(cur):
    """Heatmap: rows are roles, columns skills, cells 1 where the role names the skill."""
    comp = compare_roles(cur, ["dl-engineer", "deep-learning-engineer"])
    fig = skill_heatmap(comp)
    ax = fig.axes[0]
    data = ax.images[0].get_array()
    assert data.shape == (2, len(comp.skills))
    col = list(comp.skills).index("statistics")
    assert (data[0][col], data[1][col]) == (0.0, 1.0)
    assert ax.get_title() == "Key skills by role" and ax.get_xlabel() == "Key skill"


def test_overlap_chart_bars_are_similarities(cur):
    """One bar per pair, length = Jaccard similarity."""
    comp = compare_roles(cur, ["data-analyst", "data-scientist", "dl-engineer"])
    fig = overlap_chart(comp)
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == pytest.approx([p.similarity for p in comp.pairs])
    assert svg(fig) == svg(overlap_chart(comp))


def test_plots_are_course_figures_shown_as_png(cur):
    """Every plot is a CourseFigure on the Agg canvas: Jupyter gets a PNG and a stable text/plain, no pyplot needed."""
    p = plan("data-scientist", curriculum=cur, hours_per_week=6, start="2025-03-03")
    comp = compare_roles(cur, ["data-analyst", "data-scientist"])
    for fig in (gantt(p), skill_heatmap(comp), overlap_chart(comp)):
        assert isinstance(fig, CourseFigure)
        assert fig._repr_png_().startswith(b"\x89PNG\r\n\x1a\n")
        w, h = (round(v) for v in fig.get_size_inches() * fig.dpi)
        assert repr(fig) == f"<Figure size {w}x{h} with 1 Axes>"


def test_png_bytes_is_deterministic():
    """Two figures built the same way give the same PNG bytes, through png_bytes and _repr_png_."""
    figs = [new_figure(3, 2) for _ in range(2)]
    for fig in figs:
        fig.add_subplot().plot([0, 1], [1, 0])
    assert png_bytes(figs[0]) == figs[1]._repr_png_()


def test_short_label_wraps_and_cuts():
    """Long labels wrap on at most two lines and end with an ellipsis when cut; short ones are unchanged."""
    assert short_label("SQL") == "SQL"
    long = short_label("Partial derivatives, gradients and the chain rule for machine learning", 28)
    assert long.count("\n") == 1 and long.endswith("…") and all(len(line) <= 28 for line in long.splitlines())


def test_gantt_milestones_sit_in_a_band_below_the_title(cur):
    """A role's milestones share one labelled band above the first module (inside the axes, under the title), one label
    per week; each skill's checkpoint is a circle at the end of its last module's bar, not a label in the band."""
    p = plan("data-scientist", curriculum=cur, hours_per_week=6, start="2025-03-03")
    ax = gantt(p).axes[0]
    bottom, top = ax.get_ylim()
    assert top < -1 < -0.5 < bottom  # y is inverted: the band at -1 is above row 0
    texts = [t.get_text() for t in ax.texts]
    roles = [ms for ms in p.schedule.milestones if ms.kind is not MilestoneKind.CHECKPOINT]
    assert len(texts) == len({ms.week for ms in roles})
    assert sorted(n for t in texts for n in t.split("\n")) == sorted(ms.name for ms in roles)
    circles = [line for line in ax.lines if line.get_marker() == "o"]
    checkpoints = [ms for ms in p.schedule.milestones if ms.kind is MilestoneKind.CHECKPOINT]
    assert len(circles) == len(checkpoints) == len({st.module.skill for st in p.path.steps}) > 0
    rows = [st.module.id for st in p.path.steps]  # one row per module, in path order
    assert [line.get_ydata()[0] for line in circles] == [rows.index(ms.module) for ms in checkpoints]


def test_gantt_skills_differ_by_hatch_or_colour_with_a_legend(cur):
    """Each skill gets its own colour-and-hatch pair, named in the legend below the chart."""
    p = plan("deep-learning-engineer", curriculum=cur, start="2025-03-03")
    fig = gantt(p)
    legend = fig.legends[0]
    names = [t.get_text() for t in legend.get_texts()]
    assert names == [*dict.fromkeys(st.skill.name for st in p.path.steps), "Checkpoint: the lesson's practice and quiz"]
    names = names[:-1]
    styles = {(tuple(h.get_facecolor()), h.get_hatch()) for h in legend.legend_handles[:-1]}
    assert len(styles) == len(names)
    assert matplotlib.colors.to_hex(legend.legend_handles[0].get_facecolor()).upper() == PALETTE[0]


def test_heatmap_marks_filled_cells_with_a_dot(cur):
    """Filled heatmap cells carry a dot, so the matrix reads without colour."""
    comp = compare_roles(cur, ["dl-engineer", "deep-learning-engineer"])
    ax = skill_heatmap(comp).axes[0]
    filled = [(c, r) for r, role in enumerate(comp.roles) for c, s in enumerate(comp.skills) if comp.has(role.id, s)]
    assert [tuple(xy) for xy in ax.collections[0].get_offsets()] == filled
