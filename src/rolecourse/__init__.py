"""rolecourse: a Jupyter course on the roles of the data and AI/ML field.

``import rolecourse`` is light: it reads no file and imports no widget, plotting or data
frame library. The public names below are imported on first use.
"""

from __future__ import annotations

import importlib
TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: `import rolecourse` stays light
    from typing import Any

__version__ = "0.1.0"

_LAZY = {
    # curriculum
    "load_curriculum": "rolecourse.curriculum",
    "Curriculum": "rolecourse.model",
    "Role": "rolecourse.model",
    "Skill": "rolecourse.model",
    "Module": "rolecourse.model",
    "Resource": "rolecourse.model",
    "Tool": "rolecourse.model",
    "Level": "rolecourse.model",
    "ContentError": "rolecourse.errors",
    "RolecourseError": "rolecourse.errors",
    "UsageError": "rolecourse.errors",
    "UnknownNameError": "rolecourse.errors",
    # learning paths and study plans
    "plan": "rolecourse.plans",
    "StudyPlan": "rolecourse.plans",
    "cohort": "rolecourse.cohorts",
    "learning_path": "rolecourse.paths",
    "LearningPath": "rolecourse.paths",
    "compare_roles": "rolecourse.compare",
    # exercises
    "load_exercise": "rolecourse.exercises",
    "list_exercises": "rolecourse.exercises",
    "Outcome": "rolecourse.checking",
    # lessons
    "load_lesson": "rolecourse.lessons",
    "list_lessons": "rolecourse.lessons",
    # progress
    "ProgressStore": "rolecourse.progress",
    "open_progress": "rolecourse.progress",
    # quizzes
    "load_quiz": "rolecourse.quiz",
    "grade": "rolecourse.grading",
    "Feedback": "rolecourse.grading",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rolecourse' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
