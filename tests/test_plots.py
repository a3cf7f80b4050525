"""Tests for rolecourse.plots.paths and rolecourse.plots.compare: titles, labels, data drawn, determinism."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from rolecourse.compare import compare_roles  # noqa: E402
from rolecourse.curriculum import load_curriculum  # noqa: E402
from rolecourse.plans import plan  # noqa: E402
from rolecourse.plots.compare import overlap_chart, skill_heatmap  # noqa: E402
from rolecourse.plots.paths import gantt  # noqa: E402

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
    import matplotlib.pyplot as plt

    p = plan("data-scientist", curriculum=cur, hours_per_week=6, start="2025-03-03")
    fig = gantt(p)
    ax = fig.axes[0]
    assert len(ax.patches) == len(p.path.steps)
    assert ax.get_title() == p.title and ax.get_xlabel() == "Week"
    assert [t.get_text() for t in ax.get_yticklabels()] == [s.module.title for s in p.path.steps]
    plt.close(fig)


def test_gantt_is_deterministic(cur):
    """The same plan gives the same SVG bytes."""
    import matplotlib.pyplot as plt

    p = plan("deep-learning-engineer", curriculum=cur, start="2025-03-03")
    a, b = gantt(p), gantt(p)
    assert svg(a) == svg(b)
    plt.close("all")


def test_gantt_of_empty_plan(cur):
    """A plan with nothing to study still draws (milestones only)."""
    import matplotlib.pyplot as plt

    known = {s: 3 for s in cur.role("data-analyst").skill_ids}
    fig = gantt(plan("data-analyst", curriculum=cur, known=known, start="2025-03-03"))
    assert len(fig.axes[0].patches) == 0
    assert fig.axes[0].get_title() == "Study plan: Data Analyst"
    plt.close(fig)


def test_heatmap_marks_role_skills(cur):
    """Heatmap: rows are roles, columns skills, cells 1 where the role names the skill."""
    import matplotlib.pyplot as plt

    comp = compare_roles(cur, ["dl-engineer", "deep-learning-engineer"])
    fig = skill_heatmap(comp)
    ax = fig.axes[0]
    data = ax.images[0].get_array()
    assert data.shape == (2, len(comp.skills))
    col = list(comp.skills).index("statistics")
    assert (data[0][col], data[1][col]) == (0.0, 1.0)
    assert ax.get_title() == "Key skills by role" and ax.get_xlabel() == "Key skill"
    plt.close(fig)


def test_overlap_chart_bars_are_similarities(cur):
    """One bar per pair, length = Jaccard similarity."""
    import matplotlib.pyplot as plt

    comp = compare_roles(cur, ["data-analyst", "data-scientist", "dl-engineer"])
    fig = overlap_chart(comp)
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == pytest.approx([p.similarity for p in comp.pairs])
    assert svg(fig) == svg(overlap_chart(comp))
    plt.close("all")
