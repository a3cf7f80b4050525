"""Helpers shared by the tests of the progress room: a settable clock, a store in tmp_path, an answer recorder."""

from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from rolecourse.progress.store import ProgressStore

FIXTURES = Path(__file__).parent / "fixtures" / "progress"
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


def fixture_curriculum():
    spec = importlib.util.spec_from_file_location("progress_fixture_curriculum", FIXTURES / "fixture_curriculum.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build()


class Clock:
    """A settable clock for deterministic timestamps."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> ProgressStore:
    return ProgressStore(tmp_path / "home", clock=clock)


def answer(store: ProgressStore, q: str, correct: bool, skills=("sql",), role="data-analyst", learner="Ada", score=None, level=None):
    store.record_quiz_answer(
        learner, role=role, question=q, skills=list(skills), score=(1.0 if correct else 0.0) if score is None else score, correct=correct, answer="x",
        level=level,
    )
