"""Tests for rolecourse._text: counts in the text shown to people."""

from __future__ import annotations

import pytest

from rolecourse._text import count


@pytest.mark.parametrize(("n", "shown"), [(0, "0 plans"), (1, "1 plan"), (2, "2 plans"), (10_000, "10000 plans")])
def test_count_is_singular_only_for_one(n, shown):
    """The noun takes an 's' for every count but 1, zero included."""
    assert count(n, "plan") == shown
