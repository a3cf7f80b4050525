"""Shared fixtures: paths to test data. Every test works in tmp_path; nothing touches the network."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """The tests/fixtures folder."""
    return FIXTURES


@pytest.fixture
def tiny_curriculum_path() -> Path:
    """A small valid curriculum: two roles, three skills, one cross-role prerequisite."""
    return FIXTURES / "curriculum" / "valid.yaml"
