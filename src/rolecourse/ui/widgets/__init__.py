"""ipywidgets front ends. Importing this package imports ipywidgets (the ``course`` extra:
``pip install 'rolecourse[course]'``; without it, a one-line :class:`~rolecourse.errors.MissingExtraError`).

Widgets only render what the pure core computed (grading, checking, paths, progress);
they hold no rules of their own and are tested without a browser by setting ``.value``
and calling ``Button.click()``.
"""

from __future__ import annotations

from ..._extras import require

require("ipywidgets", "rolecourse.ui.widgets")

# Quizzes record to the current learner by default (rolecourse.progress.learner). Set here, in the
# package every widget module is imported through, because the quiz module itself cannot import
# the progress room (assessment.lessons builds quizzes, and progress reads lessons: a cycle).
from ...progress.learner import recording as _recording  # noqa: E402
from . import quiz as _quiz  # noqa: E402

_quiz.default_recording = _recording
