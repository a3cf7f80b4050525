"""Tests for rolecourse.content.model: lookups and derived values of the curriculum model."""

from __future__ import annotations

import pytest

from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import UnknownNameError
from rolecourse.content.model import Level


@pytest.fixture
def cur(tiny_curriculum_path):
    return load_curriculum(tiny_curriculum_path)


def test_role_lookup_by_id_and_name(cur):
    """A role is found by its id or its display name in any case and spacing."""
    assert cur.role("analyst") is cur.role("Analyst") is cur.role("  analyst ")


def test_unknown_role_offers_matches(cur):
    """An unknown role raises UnknownNameError with suggestions."""
    with pytest.raises(UnknownNameError) as info:
        cur.role("scientst")
    assert info.value.suggestions == ("scientist",)
    assert str(info.value) == "unknown role 'scientst'; did you mean 'scientist'?"


def test_skill_lookup_by_name(cur):
    """Skills are found by id or name."""
    assert cur.skill("Statistics") is cur.skills["statistics"]
    with pytest.raises(UnknownNameError):
        cur.skill("stats and more")


def test_role_skill_ids_are_unique_and_ordered(cur):
    """A role's skills come once each, in the source's order."""
    assert cur.role("scientist").skill_ids == ("statistics", "probability")


def test_roles_with_skill(cur):
    """The roles naming a skill are found, in order."""
    assert [r.id for r in cur.roles_with_skill("statistics")] == ["analyst", "scientist"]


def test_level_rank():
    """Levels rank 1 to 3."""
    assert [lv.rank for lv in Level] == [1, 2, 3]


def test_modules_and_tools_indexes(cur):
    """Every module and tool is reachable by id."""
    assert cur.modules["statistics-inference"].skill == "statistics"
    assert cur.tools["postgresql"].skill == "sql"
