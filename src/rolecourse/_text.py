"""Small helpers for the text rolecourse shows people."""

from __future__ import annotations


def count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1: ``count(1, "plan")`` → ``"1 plan"``, ``count(3, "row")`` → ``"3 rows"``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
