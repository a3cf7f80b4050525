"""Tests for rolecourse.planning.compare: shared and unique skills, Jaccard similarity, hours to move."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolecourse.export.text import format_comparison
from rolecourse.planning.compare import compare_roles, comparison_data
from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import UnknownNameError, UsageError
from rolecourse.planning.paths import learning_path

MINI = Path(__file__).parent / "fixtures" / "paths" / "mini.yaml"


@pytest.fixture(scope="module")
def cur():
    return load_curriculum(MINI)


def test_dl_engineer_overlap_is_plain(cur):
    """DL Engineer vs Deep Learning Engineer: identical except statistics, said in one sentence."""
    comp = compare_roles(cur, ["dl-engineer", "Deep Learning Engineer"])
    pair = comp.pairs[0]
    assert pair.only_a == () and pair.only_b == ("statistics",)
    assert pair.summary == "DL Engineer and Deep Learning Engineer: identical key skills except Statistics (only Deep Learning Engineer)"
    assert pair.similarity == pytest.approx(5 / 6)


def test_shipped_dl_engineer_overlap_is_plain():
    """With the shipped curriculum too, the two DL roles differ only by statistics."""
    cur = load_curriculum()
    pair = compare_roles(cur, ["dl-engineer", "deep-learning-engineer"]).pairs[0]
    assert "identical key skills except Statistics" in pair.summary
    assert pair.hours_b_to_a == 0


def test_hours_to_move_are_the_path_with_the_first_role_mastered(cur):
    """hours A→B = hours of the path to B with A's skills known at level 3."""
    pair = compare_roles(cur, ["dl-engineer", "deep-learning-engineer"]).pairs[0]
    known = {s: 3 for s in cur.role("dl-engineer").skill_ids}
    assert pair.hours_a_to_b == learning_path(cur, "deep-learning-engineer", known=known).total_hours == 15
    assert pair.hours_b_to_a == 0


def test_shared_and_unique_for_three_roles(cur):
    """Shared by all and unique per role, in role skill order."""
    comp = compare_roles(cur, ["data-analyst", "data-scientist", "dl-engineer"])
    assert comp.shared == ("python",)
    assert dict(comp.unique) == {"data-analyst": (), "data-scientist": ("statistics",), "dl-engineer": ("deep-learning", "linear-algebra", "probability", "gpus")}
    assert len(comp.pairs) == 3
    assert comp.has("data-analyst", "sql") and not comp.has("data-analyst", "gpus")


def test_low_overlap_summary_gives_counts(cur):
    """Roles with little in common get a 'k of n shared' sentence."""
    pair = compare_roles(cur, ["data-analyst", "dl-engineer"]).pairs[0]
    assert pair.summary == "Data Analyst and DL Engineer: 1 of 7 key skills shared (similarity 0.14)"


def test_pair_lookup_in_either_order(cur):
    """pair(b, a) swaps the sides."""
    comp = compare_roles(cur, ["dl-engineer", "deep-learning-engineer"])
    swapped = comp.pair("deep-learning-engineer", "dl-engineer")
    assert swapped.only_a == ("statistics",) and swapped.hours_b_to_a == 15
    with pytest.raises(UsageError):
        comp.pair("dl-engineer", "data-analyst")


def test_text_and_data_forms(cur):
    """format_comparison and comparison_data carry the same facts."""
    comp = compare_roles(cur, ["dl-engineer", "deep-learning-engineer"])
    text = format_comparison(comp)
    assert "Only Deep Learning Engineer (1): Statistics" in text
    assert "DL Engineer → Deep Learning Engineer: 15 h of study" in text
    data = comparison_data(comp)
    assert data["pairs"][0]["only_b"] == ["statistics"] and data["shared"][0] == "python"


@pytest.mark.parametrize("roles", [["data-analyst"], ["data-analyst", "Data Analyst"], []])
def test_fewer_than_two_roles_is_a_usage_error(cur, roles):
    """Comparing needs two different roles."""
    with pytest.raises(UsageError, match="at least two"):
        compare_roles(cur, roles)


def test_unknown_role_suggests(cur):
    """Misspelt roles get close matches."""
    with pytest.raises(UnknownNameError, match="dl-engineer"):
        compare_roles(cur, ["dl-enginer", "data-analyst"])
