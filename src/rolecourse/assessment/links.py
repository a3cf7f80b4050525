"""Where the shipped lessons are, and which module each teaches: the light part of :mod:`rolecourse.assessment.lessons`.

Plan exports name each skill's lesson notebook, so they read the lessons' folder names; this
module does only that, without the lesson reader, its checks and its quiz grading (plans and
cohorts are written without importing them). :mod:`~rolecourse.assessment.lessons` re-exports
every name here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from .._resources import data_path

FOLDER = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""Lesson folders are named by the id of the module they teach (``sql-foundations``)."""


def lessons_root() -> Path:
    """The folder holding the shipped lessons."""
    return data_path("lessons")


def notebook_link(lesson_id: str) -> str:
    """Where a lesson's notebook is, relative to the course folder (the repository's root)."""
    return f"lessons/{lesson_id}/{lesson_id}.ipynb"


def lesson_links(root: Path | None = None) -> Mapping[str, str]:
    """Module id → its lesson notebook relative to the course folder, for every lesson shipped under ``root``.

    Only folder names are read (no source is parsed), once per folder: exports of many plans call it often.
    """
    try:
        base = Path(root) if root is not None else lessons_root()
    except FileNotFoundError:  # an install without lessons
        return {}
    return _links(str(base))


@functools.cache
def _links(base: str) -> Mapping[str, str]:
    folder = Path(base)
    if not folder.is_dir():
        return {}
    found = sorted(p.name for p in folder.iterdir() if p.is_dir() and FOLDER.match(p.name) and (p / "lesson.yaml").is_file())
    return MappingProxyType({name: notebook_link(name) for name in found})
