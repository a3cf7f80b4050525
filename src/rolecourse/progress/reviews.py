"""Spaced review of quiz questions with FSRS (:mod:`fsrs`): one card per question answered wrong.

:mod:`fsrs` is imported on first use, so reading progress does not load it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from types import MappingProxyType

from .model import ReviewCard, _utc


def _review(existing: ReviewCard | None, question: str, correct: bool, now: datetime) -> ReviewCard:
    import fsrs

    if existing is None:
        card_id = int(hashlib.sha256(question.encode("utf-8")).hexdigest()[:12], 16)
        card = fsrs.Card(card_id=card_id, due=now)
    else:
        card = fsrs.Card.from_dict(dict(existing.card))  # type: ignore[arg-type]
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card, _log = scheduler.review_card(card, fsrs.Rating.Good if correct else fsrs.Rating.Again, review_datetime=now)
    return ReviewCard(question, MappingProxyType(card.to_dict()), _utc(card.due).isoformat())



def _last_review(card: ReviewCard) -> datetime:
    last = card.card.get("last_review")
    if isinstance(last, str):
        try:
            return _utc(datetime.fromisoformat(last))
        except ValueError:
            pass
    return datetime.min.replace(tzinfo=timezone.utc)
