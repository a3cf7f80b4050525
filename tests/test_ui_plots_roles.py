"""The per-role skill-hours chart: one stacked bar per key skill, titled, labelled, deterministic."""

from __future__ import annotations

import io

import pytest

from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import UnknownNameError
from rolecourse.ui.plots import PALETTE
from rolecourse.ui.plots.roles import skill_hours

CUR = load_curriculum()


def test_one_bar_segment_per_skill_and_level():
    """Three bar containers (one per level), each with one bar per key skill, totals matching the curriculum."""
    role = CUR.role("data-analyst")
    fig = skill_hours(CUR, role.id)
    ax = fig.axes[0]
    assert len(ax.containers) == 3
    assert all(len(c) == len(role.skill_ids) for c in ax.containers)
    totals = [sum(c[i].get_width() for c in ax.containers) for i in range(len(role.skill_ids))]
    assert totals == [CUR.skills[s].hours for s in role.skill_ids]
    assert [t.get_text() for t in ax.get_yticklabels()] == [CUR.skills[s].name for s in role.skill_ids]


def test_titled_labelled_with_palette_and_legend():
    """Title names the role and total hours; axes are labelled; colours are the palette; a legend names the levels."""
    fig = skill_hours(CUR, "Data Engineer")
    ax = fig.axes[0]
    assert ax.get_title().startswith("Data Engineer: study hours per key skill")
    assert ax.get_xlabel() == "Hours of study" and ax.get_ylabel() == "Key skill"
    from matplotlib.colors import to_hex

    assert [to_hex(c[0].get_facecolor()) for c in ax.containers] == [p.lower() for p in PALETTE[:3]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Foundation", "Intermediate", "Advanced"]


def test_same_input_same_picture():
    """Two drawings of the same role give byte-identical SVG."""
    def svg() -> bytes:
        buf = io.BytesIO()
        skill_hours(CUR, "ml-engineer").savefig(buf, format="svg", metadata={"Date": None})
        return buf.getvalue()

    assert svg() == svg()


def test_unknown_role():
    """An unknown role raises UnknownNameError with close matches."""
    with pytest.raises(UnknownNameError):
        skill_hours(CUR, "data-analist")


def test_the_title_gives_the_plan_hours_and_the_choices():
    """The one hour figure on the role chart is the plan's from scratch; the role's choices are named."""
    from rolecourse.content.curriculum import load_curriculum
    from rolecourse.planning.paths import learning_path
    from rolecourse.ui.plots.roles import skill_hours

    curriculum = load_curriculum()
    title = skill_hours(curriculum, "data-analyst").axes[0].get_title()
    assert f"plan from scratch: {learning_path(curriculum, 'data-analyst').total_hours:g} h" in title
    assert "one of Python or R" in title
