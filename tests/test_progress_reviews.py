"""Tests of rolecourse.progress: the review schedule (FSRS) of questions answered wrong."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path


from rolecourse.progress.store import ProgressStore
from progress_support import T0, Clock, answer, clock, store  # noqa: F401 (clock and store are fixtures)


class TestReviews:
    def test_wrong_answer_is_scheduled(self, store: ProgressStore, clock: Clock):
        """A wrong answer creates an fsrs card due shortly after (rating Again)."""
        answer(store, "q1", False)
        assert store.due_reviews("Ada") == []
        assert store.due_reviews("Ada", T0 + timedelta(hours=1)) == ["q1"]
        card = store.load("Ada").reviews["q1"].card
        assert card["last_review"] == T0.isoformat()

    def test_right_answer_alone_is_not_scheduled(self, store: ProgressStore):
        """A right answer to a question never missed schedules nothing."""
        answer(store, "q1", True)
        assert store.load("Ada").reviews == {}

    def test_right_answer_after_review_pushes_due_date(self, store: ProgressStore, clock: Clock):
        """Answering a reviewed question right reschedules it later (rating Good)."""
        answer(store, "q1", False)
        first_due = store.load("Ada").reviews["q1"].due
        clock.advance(hours=1)
        answer(store, "q1", True)
        second = store.load("Ada").reviews["q1"]
        assert second.due > first_due and second.card["last_review"] == clock.now.isoformat()
        assert store.due_reviews("Ada", clock.now) == []

    def test_due_reviews_earliest_first(self, store: ProgressStore, clock: Clock):
        """Several due questions come back earliest due first."""
        answer(store, "b", False)
        clock.advance(seconds=10)
        answer(store, "a", False)
        assert store.due_reviews("Ada", T0 + timedelta(days=1)) == ["b", "a"]

    def test_schedule_is_deterministic(self, tmp_path: Path):
        """The same answers at the same times give byte-identical files."""
        texts = []
        for name in ("one", "two"):
            s = ProgressStore(tmp_path / name, clock=Clock())
            answer(s, "q1", False)
            texts.append((s.home / "ada.json").read_text())
        assert texts[0] == texts[1]
