"""The export formats' names, for the command line's choices: importing them imports no renderer.

:mod:`rolecourse.export.plans` and :mod:`rolecourse.export.quizzes` give the same tuples as their
``FORMATS`` (and the quizzes' ``STUDENT_FORMATS`` and ``FIXED_SHUFFLE``).
"""

from __future__ import annotations

PLAN_FORMATS = ("md", "html", "csv", "json", "ics")
"""The study plans' export formats, by name (also the file extensions)."""

QUIZ_FORMATS = ("gift", "qti", "json", "md", "html")
"""The quiz banks' export formats, as the command line names them."""

STUDENT_FORMATS = ("md", "html")
"""Formats a student sheet (no answers) can be printed in."""

FIXED_SHUFFLE = "rolecourse"
"""The seed of the fixed shuffled order (``rolecourse quiz export --shuffle`` with no seed)."""
