"""Checking content files: the curriculum, overlays, quiz banks, exercise metadata and lesson sources.

``validate_paths()`` works out what each file is from its top-level keys, validates them
all and reports every problem of every file in one :class:`~rolecourse.errors.ContentError`.
With no paths it checks everything rolecourse ships.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..content import _yaml
from .._resources import data_path
from ..content.curriculum import load_curriculum, shipped_path
from ..errors import ContentError, Problem
from ..content.model import Curriculum


@dataclass(frozen=True, slots=True)
class Checked:
    """One file that passed validation."""

    path: str
    """The file as named."""
    kind: str
    """``curriculum``, ``overlay``, ``quiz``, ``exercise`` or ``lesson``."""


_OVERLAY_ONLY = frozenset({"remove_roles", "remove_skills"})
"""Top-level keys only an overlay has."""


def _kind(path: Path, display: str) -> str:
    root = _yaml.load(path, display)
    keys = set(root.value) if root.kind == "map" else set()
    if "module" in keys and ("practice" in keys or "sections" in keys):
        return "lesson"
    if "questions" in keys or "statements" in keys:
        return "quiz"
    if "steps" in keys:
        return "exercise"
    if root.kind == "map" and (keys & _OVERLAY_ONLY or not keys & {"skills", "roles"} or ("title" not in keys and not {"skills", "roles"} <= keys)):
        return "overlay"  # a complete curriculum has a title, skills and roles; a file of neither skills nor roles changes one
    return "curriculum"


_ORDER = {"curriculum": 0, "overlay": 1}
"""Curricula are checked first, then overlays on them, then the files checked against the result."""


def _validate(kind: str, path: Path, display: str, curriculum: Curriculum | None, base: Path | None = None) -> Curriculum | None:
    """Validate one file of ``kind``; return it when it is a curriculum (quiz banks are checked against it).

    An overlay is loaded on ``base`` (the first valid curriculum given, else the shipped one).
    """
    if kind == "overlay":
        return load_curriculum(base, overlays=[path])
    if kind == "quiz":
        from .questions import validate_quiz_file

        validate_quiz_file(path, curriculum)
    elif kind == "exercise":
        from .exercises import read_exercise

        read_exercise(path, display)
    elif kind == "lesson":
        from .lessons import read_lesson

        read_lesson(path, display, curriculum=curriculum if curriculum is not None else load_curriculum())
    else:
        return load_curriculum(path) if path != shipped_path() else load_curriculum()
    return None


def shipped_files() -> list[Path]:
    """Every content file rolecourse ships: roles.yaml, quiz banks, exercise metadata, lesson sources."""
    files = [data_path("roles.yaml")]
    try:
        exercises = data_path("exercises")
    except FileNotFoundError:
        return files
    files += sorted(exercises.glob("quizzes/*.yaml"))
    files += sorted(exercises.glob("*/exercise.yaml"))
    try:
        files += sorted(data_path("lessons").glob("*/lesson.yaml"))
    except FileNotFoundError:
        pass
    return files


def validate_paths(paths: Sequence[str | os.PathLike[str]] = ()) -> list[Checked]:
    """Validate each file (or everything shipped); raise one ContentError listing all problems.

    Quiz banks are checked against the first valid curriculum among ``paths`` (an
    instructor's own ``roles.yaml``), else against the shipped one.
    """
    targets = [(Path(p), str(p)) for p in paths] or [(p, _shipped_display(p)) for p in shipped_files()]
    problems: list[Problem] = []
    checked: list[Checked] = []
    curriculum: Curriculum | None = None
    kinds = []
    for path, display in targets:
        try:
            kinds.append(_kind(path, display))
        except ContentError as exc:
            problems.extend(_redisplay(exc.problems, str(path), display))
            kinds.append(None)
    # curricula first, then overlays on the first of them, so that quiz banks are checked against what was given
    order = sorted(range(len(targets)), key=lambda i: _ORDER.get(kinds[i] or "", 2))
    base: Path | None = None
    overlays: list[Path] = []
    for i in order:
        kind = kinds[i]
        if kind is None:
            continue
        path, display = targets[i]
        if kind not in _ORDER and overlays:
            curriculum = load_curriculum(base, overlays=overlays)  # every overlay given, on the base
            overlays = []
        try:
            loaded = _validate(kind, path, display, curriculum, base)
        except ContentError as exc:
            problems.extend(_redisplay(exc.problems, str(path), display))
        else:
            if kind == "overlay":
                overlays.append(path)
            elif curriculum is None and loaded is not None:
                curriculum, base = loaded, (None if path == shipped_path() else path)
            checked.append(Checked(display, kind))
    if problems:
        raise ContentError(problems)
    order_of = {display: n for n, (_, display) in enumerate(targets)}
    return sorted(checked, key=lambda c: order_of[c.path])


def _shipped_display(path: Path) -> str:
    """Shipped files are named relative to the repository (``exercises/quizzes/data-analyst.yaml``)."""
    parts = path.parts
    for anchor in ("_data", "exercises", "lessons"):
        if anchor in parts:
            i = parts.index(anchor)
            return "/".join(parts[i + 1 :] if anchor == "_data" else parts[i:])
    return path.name


def _redisplay(problems: Sequence[Problem], raw: str, display: str) -> list[Problem]:
    return [Problem(display if p.file == raw else p.file, p.line, p.col, p.path, p.message) for p in problems]


def coverage_problems(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every module of the curriculum (default: the shipped one) with neither a lesson nor a ``practise_outside`` reason.

    One problem per module, located at the module's ``id`` in the curriculum file. Lessons are the
    shipped ones (``lessons/<module-id>/lesson.yaml``).
    """
    from .lessons import lesson_links

    source, display = (shipped_path(), "roles.yaml") if path is None else (Path(path), str(path))
    curriculum = load_curriculum(path) if path is not None else load_curriculum()
    lessons = lesson_links()
    root = _yaml.load(source, display)
    problems = []
    for i, skill in enumerate(root.value.get("skills").value if root.kind == "map" and "skills" in root.value else ()):
        modules = skill.value.get("modules") if skill.kind == "map" else None
        for j, module in enumerate(modules.value if modules is not None and modules.kind == "seq" else ()):
            node = module.value.get("id") if module.kind == "map" else None
            mid = node.value if node is not None else None
            if not isinstance(mid, str) or mid in lessons:
                continue
            entry = curriculum.modules.get(mid)
            if entry is None or entry.outside is not None:
                continue
            mark = node.mark
            problems.append(Problem(mark.file, mark.line, mark.col, f"skills[{i}].modules[{j}].id", f"expected a lesson (lessons/{mid}/lesson.yaml) or a practise_outside reason for module {mid!r}, found neither"))
    return problems
