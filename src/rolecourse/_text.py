"""Small helpers for the text rolecourse shows people, and the one rule that turns a name into a file name."""

from __future__ import annotations

import hashlib
import re
import unicodedata

SLUG_MAX = 60
"""The longest slug :func:`slug` returns."""

WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
"""File-name stems Windows refuses, whatever the extension."""

_WORD = re.compile(r"[a-z0-9]+")


def count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1: ``count(1, "plan")`` → ``"1 plan"``, ``count(3, "row")`` → ``"3 rows"``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def slug(name: str, fallback: str | None = None) -> str:
    """The file-safe stem of a name: ``"José Núñez"`` → ``"jose-nunez"``; the course's one slug rule.

    Transliterates to ASCII (NFKD, accents dropped) and keeps runs of lower-case letters and
    digits joined by single hyphens, at most :data:`SLUG_MAX` characters, so the result never
    holds a dot, a path separator or ``..``. A name with nothing left (``"../"``, a name in
    another script) becomes ``fallback``, by default ``learner-<hash of the name>``. A
    Windows-reserved stem (``CON``, ``LPT1``…, :data:`WINDOWS_RESERVED`) becomes
    ``learner-<stem>``: ``slug("CON") == "learner-con"``.
    """
    ascii_text = name if name.isascii() else unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = "-".join(_WORD.findall(ascii_text.lower()))[:SLUG_MAX].rstrip("-")
    if not stem:
        stem = fallback if fallback is not None else "learner-" + hashlib.sha256(name.strip().encode("utf-8")).hexdigest()[:10]
    if stem in WINDOWS_RESERVED:
        stem = f"learner-{stem}"
    return stem


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a CSV cell starts that a spreadsheet would run as a formula."""


def csv_safe(value: object) -> str:
    """A CSV cell as text; text a spreadsheet would run as a formula (:data:`FORMULA_START`) gets a leading ``'``."""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
