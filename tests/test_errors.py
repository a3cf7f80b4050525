"""Tests for rolecourse.errors: the messages of unknown names."""

from __future__ import annotations

from rolecourse.errors import UnknownNameError, suggest


def test_close_names_are_suggested():
    """A near miss suggests the close names, case-insensitively."""
    err = UnknownNameError("role", "Data-Analist", ["data-analyst", "data-engineer"])
    assert str(err) == "unknown role 'Data-Analist'; did you mean 'data-analyst'?"
    assert err.suggestions == ("data-analyst",)


def test_with_nothing_close_a_short_list_is_given():
    """With no close name, the message lists the names to choose from (``listed`` when given)."""
    err = UnknownNameError("role", "nonexist", ["Data Analyst", "data-analyst", "AI Engineer", "ai-engineer"], listed=["data-analyst", "ai-engineer"])
    assert str(err) == "unknown role 'nonexist'; expected one of 'data-analyst', 'ai-engineer'"
    assert err.suggestions == ()


def test_with_nothing_close_a_long_list_is_not_spelled_out():
    """More than LIST_AT_MOST names are not listed."""
    known = [f"skill-{i:02d}" for i in range(UnknownNameError.LIST_AT_MOST + 1)]
    assert str(UnknownNameError("skill", "zzz", known)) == "unknown skill 'zzz'"


def test_nothing_known_lists_nothing():
    """An empty list of names gives the bare message."""
    assert str(UnknownNameError("learner", "ada", [])) == "unknown learner 'ada'"


def test_suggest_keeps_the_original_spelling():
    """Suggestions come back as written in the known names, not lower-cased."""
    assert suggest("python", ["Python", "R"]) == ["Python"]
