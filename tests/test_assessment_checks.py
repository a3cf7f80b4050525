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


def test_a_value_mistake_on_a_range_step_is_compared_as_a_number():
    """A range step's typical wrong answer is one number: it is recognised, and other answers never raise."""
    from rolecourse.assessment.checking import StepOutcome, StepSpec, check
    from rolecourse.assessment.checks import Check, CheckKind, Mistake, MistakeKind

    step = StepSpec(
        "stock", "Safety stock", "How much?", ("probability",), Check(CheckKind.RANGE, atol=0.5),
        {"min": 159, "max": 161}, (Mistake(MistakeKind.VALUE, "That is the mean demand.", value=140),), ("hint",), "x = 160", "x",
    )
    assert check(step, 160).outcome is StepOutcome.CORRECT
    wrong = check(step, 140.2)
    assert (wrong.outcome, wrong.message) == (StepOutcome.INCORRECT, "That is the mean demand.")
    other = check(step, 100)
    assert other.outcome is StepOutcome.INCORRECT and "outside the expected range" in other.message
