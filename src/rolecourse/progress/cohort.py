"""A class's progress: every exported progress file of a folder, read without a store.

A file that is not valid progress is kept as an entry with its problems, never skipped silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..assessment.checking import StepOutcome
from ..errors import ContentError, Problem, UsageError
from .codec import loads
from .mastery import ExerciseMaps, mastery_levels
from .model import LearnerProgress


@dataclass(frozen=True, slots=True)
class CohortEntry:
    """One exported progress file of a cohort, read or reported."""

    file: str
    """The file's path."""
    progress: LearnerProgress | None
    """The learner's progress, or None if the file is unusable."""
    problems: tuple[Problem, ...] = ()
    """What is wrong with the file (empty when it was read)."""

    @property
    def learner(self) -> str | None:
        """The learner's name, if the file was read."""
        return self.progress.learner if self.progress else None

    @property
    def answered(self) -> int:
        """Distinct questions answered."""
        return len(self.progress.latest_answers()) if self.progress else 0

    @property
    def correct(self) -> int:
        """Questions whose latest answer is correct."""
        return sum(1 for a in self.progress.latest_answers().values() if a.correct) if self.progress else 0

    @property
    def steps_correct(self) -> int:
        """Exercise steps whose latest outcome is correct."""
        if not self.progress:
            return 0
        return sum(1 for r in self.progress.latest_steps().values() if r.outcome is StepOutcome.CORRECT)



def cohort_progress(folder: str | os.PathLike[str]) -> list[CohortEntry]:
    """Read every ``*.json`` export in ``folder`` (sorted by name); unusable files come back with their problems."""
    base = Path(folder)
    if not base.is_dir():
        raise UsageError(f"cohort folder {str(base)!r} does not exist or is not a folder")
    entries = []
    for path in sorted(base.glob("*.json")):
        try:
            text = path.read_text(encoding="utf-8")
            entries.append(CohortEntry(str(path), loads(text, str(path))))
        except ContentError as exc:
            entries.append(CohortEntry(str(path), None, exc.problems))
        except (OSError, UnicodeDecodeError) as exc:
            entries.append(CohortEntry(str(path), None, (Problem(str(path), 1, 1, "", f"expected a readable UTF-8 file, found {type(exc).__name__}"),)))
    return entries



def cohort_json(entries: Sequence[CohortEntry], exercises: ExerciseMaps | None = None) -> list[dict[str, Any]]:
    """JSON-ready rows of a cohort, bad files included with their problems (``exercises``: default shipped)."""
    maps = exercises if exercises is not None else ExerciseMaps.shipped()
    rows = []
    for e in entries:
        row: dict[str, Any] = {"file": e.file, "learner": e.learner, "ok": e.progress is not None}
        if e.progress is not None:
            row.update(answered=e.answered, correct=e.correct, steps_correct=e.steps_correct, mastery=mastery_levels(e.progress, maps.skills, maps.steps))
        else:
            row["problems"] = [str(p) for p in e.problems]
        rows.append(row)
    return rows
