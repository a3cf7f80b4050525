"""One learner, recorded by default: who is studying in this course folder, and whether their work is kept.

A learner gives their name once (notebook 00 asks, or ``set_learner("Ada")`` in any cell); from
then on every quiz, exercise step, lesson practice step, lesson quiz and self-assessment in the
course records to that learner's progress (:class:`~rolecourse.progress.store.ProgressStore` in
the progress folder, :func:`~rolecourse.progress.store.default_home`) without being told where.

The choice is one small file in the progress folder, ``.current-learner.json``
(``{"learner": "Ada", "recording": true}``), written atomically; it is hidden, so
:meth:`ProgressStore.learners` never takes it for a learner. Nothing here touches a learner's
progress file: switching learner (:func:`set_learner` with another name), pausing the
recording (:func:`stop_recording`, :func:`resume_recording`) or forgetting the choice
(:func:`forget_learner`) leaves every learner's progress as it was.

Without a choice (a fresh folder, or CI) nothing is recorded and the notebooks say so: the
course then works exactly as before, and runs the same on every machine. An unreadable
choice file is never overwritten behind the learner's back: :func:`current` warns
(:class:`~rolecourse.progress.store.ProgressWarning`) and treats it as no choice until
:func:`set_learner` replaces it.

:func:`load_exercise` and :func:`load_lesson` (the ones ``from rolecourse import load_lesson``
gives) are :mod:`rolecourse.assessment`'s with this default filled in; the quiz widget and the
path builder ask :func:`recording` themselves. Plain Python: no widget here.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError, describe
from ..export.files import replace_bytes
from .store import ProgressStore, ProgressWarning, default_home, learner_slug

CHOICE_FILE = ".current-learner.json"
"""The file, in the progress folder, that names the current learner."""

__all__ = [
    "CHOICE_FILE",
    "LearnerChoice",
    "current",
    "current_learner",
    "forget_learner",
    "load_exercise",
    "load_lesson",
    "recording",
    "resume_recording",
    "set_learner",
    "stop_recording",
]


@dataclass(frozen=True, slots=True)
class LearnerChoice:
    """Who the current learner is, and whether their work is being recorded."""

    learner: str
    """The learner's name as they gave it."""
    recording: bool
    """``False`` after :func:`stop_recording`: the name is kept, nothing is recorded."""
    home: Path
    """The progress folder holding the choice and the learner's progress."""

    @property
    def store(self) -> ProgressStore:
        """The progress store of this folder."""
        return ProgressStore(self.home)

    def describe(self) -> str:
        """One line for a notebook: who, where, and whether it is recorded."""
        where = f"{self.home}"
        if self.recording:
            return f"Recording to {self.learner}'s progress (in {where})."
        return f"Learner {self.learner}: recording paused, nothing is saved (resume_recording() starts it again)."


def _home(home: str | os.PathLike[str] | None) -> Path:
    return Path(home).expanduser() if home is not None else default_home()


def current(home: str | os.PathLike[str] | None = None) -> LearnerChoice | None:
    """The choice made in ``home`` (default: the progress folder), or ``None`` when there is none."""
    folder = _home(home)
    path = folder / CHOICE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        warnings.warn(f"cannot read the current learner from {path} ({exc.strerror or exc}); nothing is recorded", ProgressWarning, stacklevel=2)
        return None
    try:
        data = json.loads(text)
        name = data["learner"]
        on = data.get("recording", True)
        if not isinstance(name, str) or not name.strip() or not isinstance(on, bool):
            raise ValueError
        learner_slug(name)
    except (ValueError, KeyError, TypeError, UsageError):
        warnings.warn(
            f"{path} does not name a learner; nothing is recorded until set_learner(name) replaces it",
            ProgressWarning,
            stacklevel=2,
        )
        return None
    return LearnerChoice(name.strip(), on, folder)


def current_learner(home: str | os.PathLike[str] | None = None) -> str | None:
    """The current learner's name, or ``None`` when none was given."""
    choice = current(home)
    return choice.learner if choice else None


def recording(home: str | os.PathLike[str] | None = None) -> tuple[ProgressStore, str] | None:
    """``(store, learner)`` to record to by default, or ``None`` (no learner, or recording paused)."""
    choice = current(home)
    if choice is None or not choice.recording:
        return None
    return choice.store, choice.learner


def _write(folder: Path, learner: str, on: bool) -> LearnerChoice:
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"learner": learner, "recording": on}, ensure_ascii=False, indent=2) + "\n"
    replace_bytes(folder / CHOICE_FILE, data.encode("utf-8"))
    return LearnerChoice(learner, on, folder)


def set_learner(name: str, home: str | os.PathLike[str] | None = None) -> LearnerChoice:
    """Make ``name`` the current learner (and record from now on); switching keeps every learner's progress."""
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"a learner name must be a non-empty string, found {describe(name)}")
    learner_slug(name)
    return _write(_home(home), name.strip(), True)


def _require(home: str | os.PathLike[str] | None) -> LearnerChoice:
    choice = current(home)
    if choice is None:
        raise UsageError("no learner is set here; give your name first: set_learner('Your Name')")
    return choice


def stop_recording(home: str | os.PathLike[str] | None = None) -> LearnerChoice:
    """Keep the name but record nothing (the opt-out); the progress recorded so far stays."""
    choice = _require(home)
    return _write(choice.home, choice.learner, False)


def resume_recording(home: str | os.PathLike[str] | None = None) -> LearnerChoice:
    """Record again to the current learner after :func:`stop_recording`."""
    choice = _require(home)
    return _write(choice.home, choice.learner, True)


def forget_learner(home: str | os.PathLike[str] | None = None) -> bool:
    """Remove the choice (not the progress): nothing is recorded until a name is given again. True if there was one."""
    path = _home(home) / CHOICE_FILE
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _defaults(record_to: Any, learner: str | None) -> dict[str, Any]:
    if record_to is not None:
        return {"record_to": record_to, "learner": learner}
    found = recording()
    if found is None:
        return {"record_to": None, "learner": learner}
    store, name = found
    return {"record_to": store, "learner": learner or name}


def load_exercise(exercise_id: str, *, record_to: Any = None, learner: str | None = None, **kwargs: Any) -> Any:
    """:func:`rolecourse.assessment.exercises.load_exercise`, recording to the current learner unless told otherwise."""
    from ..assessment.exercises import load_exercise as load

    return load(exercise_id, **_defaults(record_to, learner), **kwargs)


def load_lesson(lesson_id: str, *, record_to: Any = None, learner: str | None = None, **kwargs: Any) -> Any:
    """:func:`rolecourse.assessment.lessons.load_lesson`, recording to the current learner unless told otherwise."""
    from ..assessment.lessons import load_lesson as load

    return load(lesson_id, **_defaults(record_to, learner), **kwargs)
