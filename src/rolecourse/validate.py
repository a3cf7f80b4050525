"""Checking content files: the curriculum, overlays, quiz banks and exercise metadata.

``validate_paths()`` works out what each file is from its top-level keys, validates them
all and reports every problem of every file in one :class:`~rolecourse.errors.ContentError`.
With no paths it checks everything rolecourse ships.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from . import _yaml
from ._resources import data_path
from .curriculum import load_curriculum
from .errors import ContentError, Problem


@dataclass(frozen=True, slots=True)
class Checked:
    """One file that passed validation."""

    path: str
    """The file as named."""
    kind: str
    """``curriculum``, ``quiz`` or ``exercise``."""


def _kind(path: Path, display: str) -> str:
    root = _yaml.load(path, display)
    keys = set(root.value) if root.kind == "map" else set()
    if "questions" in keys or "statements" in keys:
        return "quiz"
    if "steps" in keys:
        return "exercise"
    return "curriculum"


def _validate(kind: str, path: Path, display: str, shipped: bool) -> None:
    """Validate one file of ``kind``; quiz and exercise support is imported only when needed."""
    if kind == "quiz":
        from .quiz import validate_quiz_file

        validate_quiz_file(path)
    elif kind == "exercise":
        from .exercises import read_exercise

        read_exercise(path, display)
    elif shipped:
        load_curriculum()
    else:
        load_curriculum(path)


def shipped_files() -> list[Path]:
    """Every content file rolecourse ships: roles.yaml, quiz banks, exercise metadata."""
    files = [data_path("roles.yaml")]
    try:
        exercises = data_path("exercises")
    except FileNotFoundError:
        return files
    files += sorted(exercises.glob("quizzes/*.yaml"))
    files += sorted(exercises.glob("*/exercise.yaml"))
    return files


def validate_paths(paths: Sequence[str | os.PathLike[str]] = ()) -> list[Checked]:
    """Validate each file (or everything shipped); raise one ContentError listing all problems."""
    targets = [(Path(p), str(p)) for p in paths] or [(p, _shipped_display(p)) for p in shipped_files()]
    problems: list[Problem] = []
    checked: list[Checked] = []
    for path, display in targets:
        try:
            kind = _kind(path, display)
            _validate(kind, path, display, shipped=not paths)
        except ContentError as exc:
            problems.extend(_redisplay(exc.problems, str(path), display))
        else:
            checked.append(Checked(display, kind))
    if problems:
        raise ContentError(problems)
    return checked


def _shipped_display(path: Path) -> str:
    """Shipped files are named relative to the repository (``exercises/quizzes/data-analyst.yaml``)."""
    parts = path.parts
    for anchor in ("_data", "exercises"):
        if anchor in parts:
            i = parts.index(anchor)
            return "/".join(parts[i + 1 :] if anchor == "_data" else parts[i:])
    return path.name


def _redisplay(problems: Sequence[Problem], raw: str, display: str) -> list[Problem]:
    return [Problem(display if p.file == raw else p.file, p.line, p.col, p.path, p.message) for p in problems]
