"""Tests for rolecourse.assessment.checks: the registry of check kinds and the array comparison without NumPy."""

from __future__ import annotations

import pytest

from rolecourse.assessment.checks import CHECK_KINDS, Check, CheckKind, MistakeKind


# -- arrays without NumPy (the light core validating exercise files) --------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]),
        ([[1, 2, 3], [4, 5, 6.5]], [[1, 2, 3], [4, 5, 6]]),
        ([[1, 4], [2, 5], [3, 6]], [[1, 2, 3], [4, 5, 6]]),
        ([1.0000001, None], [1.0, None]),
        ([1, [2]], [1, 2]),
        (["a", "b"], [1, 2]),
        ([float("inf"), 1], [float("inf"), 1]),
        (3, 3.0),
    ],
)
def test_plain_array_compare_matches_numpy(value, expected, monkeypatch):
    """Without NumPy, plain nested lists compare with NumPy's verdict, message and shape check."""
    from rolecourse.assessment import checks

    chk = Check(CheckKind.ARRAY, atol=1e-6)
    with_numpy = (checks.compare(chk, value, expected), checks.CHECK_KINDS[chk.kind].wrong_shape(chk, value, expected))
    monkeypatch.setattr(checks, "_numpy", lambda: None)
    assert (checks.compare(chk, value, expected), checks.CHECK_KINDS[chk.kind].wrong_shape(chk, value, expected)) == with_numpy


# -- the registry: one entry per check kind ---------------------------------------------------


def test_every_comparing_kind_has_one_entry_in_the_registry():
    """Each check kind but callable (which uses its compare kind's entry) is in CHECK_KINDS, and only those."""
    assert set(CHECK_KINDS) == set(CheckKind) - {CheckKind.CALLABLE}


@pytest.mark.parametrize("kind", [k for k in CheckKind if k is not CheckKind.CALLABLE])
def test_a_kinds_mistakes_are_recognised_through_its_entry(kind):
    """Every structural mistake kind a check kind allows is recognised by that kind's own rules."""
    rules = CHECK_KINDS[kind]
    assert MistakeKind.VALUE in rules.mistakes
    assert rules.expected_text and callable(rules.compare)
    for name in ("wrong_type", "unsorted", "wrong_shape"):
        assert getattr(rules, name).__name__.startswith(f"_{name}_"), (kind, name)
