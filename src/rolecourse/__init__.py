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

_LAZY = {  # public name -> "module" or "module:attribute" when the module calls it otherwise
    # curriculum
    "load_curriculum": "rolecourse.content.curriculum",
    "Curriculum": "rolecourse.content.model",
    "Role": "rolecourse.content.model",
    "Skill": "rolecourse.content.model",
    "Module": "rolecourse.content.model",
    "Resource": "rolecourse.content.model",
    "Tool": "rolecourse.content.model",
    "Level": "rolecourse.content.model",
    "ContentError": "rolecourse.errors",
    "RolecourseError": "rolecourse.errors",
    "UsageError": "rolecourse.errors",
    "UnknownNameError": "rolecourse.errors",
    # learning paths and study plans
    "plan": "rolecourse.planning.plans",
    "StudyPlan": "rolecourse.planning.plans",
    "cohort": "rolecourse.export.cohorts",
    "learning_path": "rolecourse.planning.paths",
    "LearningPath": "rolecourse.planning.paths",
    "compare_roles": "rolecourse.planning.compare",
    # exercises
    "load_exercise": "rolecourse.progress.learner",  # assessment's, recording to the current learner by default
    "list_exercises": "rolecourse.assessment.exercises",
    "Outcome": "rolecourse.assessment.checking:StepOutcome",
    # lessons
    "load_lesson": "rolecourse.progress.learner",  # assessment's, recording to the current learner by default
    "list_lessons": "rolecourse.assessment.lessons",
    # progress
    "ProgressStore": "rolecourse.progress.store",
    "open_progress": "rolecourse.progress.store",
    "set_learner": "rolecourse.progress.learner",
    "current_learner": "rolecourse.progress.learner",
    "stop_recording": "rolecourse.progress.learner",
    # quizzes
    "load_quiz": "rolecourse.assessment.questions",
    "grade": "rolecourse.assessment.grading",
    "Feedback": "rolecourse.assessment.grading",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'rolecourse' has no attribute {name!r}")
    module, _, attribute = where.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
