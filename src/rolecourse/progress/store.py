"""A learner's progress, kept safely in JSON files: quizzes, exercises, self-assessment, reviews.

Where progress lives
--------------------
The progress folder ("home") is chosen by :func:`default_home`, in this order:

1. ``$ROLECOURSE_HOME`` if that environment variable is set (and not empty);
2. else ``.rolecourse/`` in the nearest ancestor of the current directory (the directory
   itself included) that contains a ``notebooks/`` folder or a ``roles.yaml`` file, so the
   progress sits beside the notebooks and travels with a Binder download;
3. else ``~/.rolecourse``.

The folder is created on the first save, never on a read.

Files
-----
One file per learner, ``<slug>.json``, where the slug is the learner's name made safe
(:func:`learner_slug`: ASCII letters, digits and hyphens only, no path separator, no ``..``).
Names with the same slug are the same learner; the display name is kept inside the file.
Beside it, ``<slug>.lock`` is the lock file and short-lived hidden ``.<slug>.json.*.tmp``
files are saves in progress. Nothing is ever pickled.

The file holds ``schema_version`` (:data:`SCHEMA_VERSION`), ``learner``, ``quiz_answers``
(each with the question's ``level`` rank 1-3, or null when it was not recorded),
``exercises``, ``self_assessment`` and ``reviews`` (the :mod:`fsrs` card state and due date
of each question to review). Older formats are upgraded by :data:`MIGRATIONS`, one function
per version step; the pre-release format is version 0 (see :func:`migrate`). Version 2 added
the optional ``level`` of quiz answers: version 1 readers reject that field, so such files
say version 2 and an older rolecourse sets them aside as "unknown version" instead of
misreading them.

Safety
------
* A save writes a temporary file in the same folder, flushes and fsyncs it, renames it over
  the learner's file with :func:`os.replace` and fsyncs the folder: a process killed at any
  moment leaves the old or the new file, never a mix.
* Every change is a read-modify-write under an exclusive lock (``fcntl.flock`` on the
  ``.lock`` sidecar; where :mod:`fcntl` does not exist, an ``O_EXCL`` lock file with a
  timeout), so two kernels recording answers for the same learner lose no update.
* A file that is not valid progress (bad JSON, wrong types) is moved aside to
  ``<slug>.corrupt-<n>.json``, and a file of an unknown or newer ``schema_version`` to
  ``<slug>.unknown-version-<n>.json``, with a :class:`ProgressWarning` naming the new place.
  Nothing is silently reset and nothing is overwritten.

Mastery
-------
:func:`mastery_levels` turns the records into a level 0-3 per skill, the scale of
self-assessment and of the path engine (``known`` of :func:`rolecourse.planning.plans.plan`):

* **Quiz evidence** is :func:`rolecourse.assessment.grading.mastery_from_scores`, the one rule shared
  with :func:`rolecourse.assessment.grading.mastery_from_results`: per skill, the latest answer of each
  question is grouped by the question's level (1 foundation, 2 intermediate, 3 advanced);
  the level is the highest one whose mean score reaches
  :data:`rolecourse.assessment.grading.PASS_MARK` with every lower level tried also reaching it.
  An answer recorded without its level takes the level of the shipped question with that
  id (:func:`shipped_question_levels`), else foundation.
* **Exercise evidence** (:func:`exercise_level`): an exercise is complete when every one of
  its steps' latest outcome is ``correct`` (its steps are the ones given in
  ``exercise_steps``, else the ones recorded). A complete exercise lifts each of its skills
  (from ``exercise_skills``) from quiz level ``q`` to ``max(2, min(3, q + 1))``.
* The level is the **maximum** of the self-assessed level and the evidence. Skills at level
  0 are left out of the result.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import time
import unicodedata
import warnings
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..export.files import fsync_folder, replace_bytes
from .._text import count
from ..assessment.checking import Outcome
from ..errors import ContentError, Problem, RolecourseError, UnknownNameError, UsageError, describe

try:  # POSIX
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None  # type: ignore[assignment]

SCHEMA_VERSION = 2
"""Version of the progress file format written by this rolecourse (2 added quiz answers' ``level``)."""

MASTERED_LEVEL = 2
"""The level from which the dashboard counts a skill as mastered."""

LOCK_TIMEOUT = 10.0
"""Seconds to wait for the fallback ``O_EXCL`` lock before giving up."""

ENV_HOME = "ROLECOURSE_HOME"
"""Environment variable that sets the progress folder."""


class ProgressWarning(UserWarning):
    """A progress file was unusable and has been moved aside (the message says where)."""


class ProgressLockError(RolecourseError):
    """The learner's progress stayed locked by another process for too long."""


ExerciseOutcome = Outcome
"""The outcome of checking one exercise step: :class:`rolecourse.assessment.checking.Outcome` itself."""


# ----------------------------------------------------------------------------------------------
# Snapshot data
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    """One answer to one quiz question."""

    role: str
    """Id of the role whose quiz the question belongs to."""
    question: str
    """Id of the question."""
    skills: tuple[str, ...]
    """Ids of the skills the question tests."""
    score: float
    """Score from 0 to 1 (partial credit allowed)."""
    correct: bool
    """Whether the answer was judged correct."""
    answer: Any = None
    """The learner's answer as a JSON value (string, number, list...), or None."""
    attempt: int = 1
    """1 for the first answer to this question, 2 for the second, and so on."""
    at: str | None = None
    """When it was recorded (ISO 8601, UTC), or None if unknown."""
    level: int | None = None
    """The question's level rank (1 foundation, 2 intermediate, 3 advanced), or None if not recorded."""


@dataclass(frozen=True, slots=True)
class ExerciseResult:
    """The outcome of one check of one exercise step."""

    exercise: str
    """Id of the exercise."""
    step: str
    """Id of the step within the exercise."""
    outcome: ExerciseOutcome
    """Not attempted, incorrect or correct."""
    message: str = ""
    """What the check said."""
    at: str | None = None
    """When it was recorded (ISO 8601, UTC), or None if unknown."""


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """The spaced-repetition schedule of one question."""

    question: str
    """Id of the question to review."""
    card: Mapping[str, Any]
    """The :class:`fsrs.Card` state, as ``Card.to_dict()`` gives it."""
    due: str
    """When the question is next due (ISO 8601, UTC)."""


@dataclass(frozen=True, slots=True)
class LearnerProgress:
    """Everything recorded for one learner, as an immutable snapshot."""

    learner: str
    """The learner's display name."""
    quiz_answers: tuple[QuizAnswer, ...] = ()
    """Every quiz answer, oldest first."""
    exercises: tuple[ExerciseResult, ...] = ()
    """Every exercise check, oldest first."""
    self_assessment: Mapping[str, int] = field(default_factory=dict)
    """Self-assessed level (0-3) per skill id."""
    reviews: Mapping[str, ReviewCard] = field(default_factory=dict)
    """Review schedule per question id."""
    schema_version: int = SCHEMA_VERSION
    """Version of the format this snapshot follows."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "self_assessment", MappingProxyType(dict(sorted(self.self_assessment.items()))))
        object.__setattr__(self, "reviews", MappingProxyType(dict(sorted(self.reviews.items()))))

    @property
    def is_empty(self) -> bool:
        """True when nothing has been recorded."""
        return not (self.quiz_answers or self.exercises or self.self_assessment or self.reviews)

    def latest_answers(self) -> dict[str, QuizAnswer]:
        """The latest answer to each question, by question id."""
        return {a.question: a for a in self.quiz_answers}

    def latest_steps(self) -> dict[tuple[str, str], ExerciseResult]:
        """The latest outcome of each (exercise, step)."""
        return {(r.exercise, r.step): r for r in self.exercises}

    def completed_exercises(self, exercise_steps: Mapping[str, Sequence[str]] | None = None) -> tuple[str, ...]:
        """Exercises whose every step's latest outcome is correct (steps from ``exercise_steps`` if given)."""
        latest = self.latest_steps()
        recorded: dict[str, list[str]] = {}
        for ex, step in latest:
            recorded.setdefault(ex, []).append(step)
        done = []
        for ex in sorted(set(recorded) | set(exercise_steps or {})):
            steps = list((exercise_steps or {}).get(ex) or recorded.get(ex, []))
            if steps and all(
                (ex, s) in latest and latest[(ex, s)].outcome is ExerciseOutcome.CORRECT for s in steps
            ):
                done.append(ex)
        return tuple(done)


# ----------------------------------------------------------------------------------------------
# Names and places
# ----------------------------------------------------------------------------------------------

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_SLUG_MAX = 60


def learner_slug(name: str) -> str:
    """The file-safe form of a learner's name: ``"José Núñez"`` -> ``"jose-nunez"``.

    Only ASCII letters, digits and single hyphens remain, so the result never holds a path
    separator or ``..``. A name with no usable letter becomes ``learner-<hash>``.
    """
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"a learner name must be a non-empty string, found {describe(name)}")
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_SLUG_MAX].strip("-")
    if not slug:
        slug = "learner-" + hashlib.sha256(name.strip().encode("utf-8")).hexdigest()[:10]
    if slug in _RESERVED:
        slug = f"learner-{slug}"
    return slug


def default_home(cwd: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The progress folder: ``$ROLECOURSE_HOME``, else ``.rolecourse`` beside the notebooks, else ``~/.rolecourse``."""
    env = os.environ if environ is None else environ
    if env.get(ENV_HOME):
        return Path(env[ENV_HOME]).expanduser()
    start = Path(cwd if cwd is not None else os.getcwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "notebooks").is_dir() or (folder / "roles.yaml").is_file():
            return folder / ".rolecourse"
    return Path.home() / ".rolecourse"


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _system_clock() -> datetime:
    return datetime.now(timezone.utc)


# ----------------------------------------------------------------------------------------------
# JSON <-> snapshot, validation, migrations
# ----------------------------------------------------------------------------------------------


def to_json_dict(progress: LearnerProgress) -> dict[str, Any]:
    """The current-format JSON object of a snapshot."""
    return {
        "schema_version": SCHEMA_VERSION,
        "learner": progress.learner,
        "quiz_answers": [
            {
                "role": a.role,
                "question": a.question,
                "skills": list(a.skills),
                "score": a.score,
                "correct": a.correct,
                "answer": a.answer,
                "attempt": a.attempt,
                "at": a.at,
                "level": a.level,
            }
            for a in progress.quiz_answers
        ],
        "exercises": [
            {"exercise": r.exercise, "step": r.step, "outcome": r.outcome.value, "message": r.message, "at": r.at}
            for r in progress.exercises
        ],
        "self_assessment": dict(progress.self_assessment),
        "reviews": {q: {"card": dict(c.card), "due": c.due} for q, c in progress.reviews.items()},
    }


def dumps(progress: LearnerProgress) -> str:
    """The snapshot as canonical JSON text (sorted keys, two-space indent, final newline)."""
    return json.dumps(to_json_dict(progress), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (pre-release) to 1.

    Version 0 was ``{"version": 0, "name": ..., "answers": {question: {"role", "skills",
    "score", "correct"}}, "levels": {skill: level}}``: one answer per question, no
    exercises, no reviews, no timestamps. Each answer becomes attempt 1; wrong answers get
    no review schedule (they are scheduled the next time they are answered).
    """
    answers = data.get("answers", {})
    quiz: Any
    if isinstance(answers, dict):
        quiz = []
        for question, entry in answers.items():
            item = dict(entry) if isinstance(entry, dict) else {"role": entry}
            quiz.append(
                {
                    "role": item.get("role"),
                    "question": question,
                    "skills": item.get("skills", []),
                    "score": item.get("score"),
                    "correct": item.get("correct"),
                    "answer": item.get("answer"),
                    "attempt": 1,
                    "at": None,
                }
            )
    else:
        quiz = answers  # left as found, for the version 1 check to report
    return {
        "schema_version": 1,
        "learner": data.get("name"),
        "quiz_answers": quiz,
        "exercises": [],
        "self_assessment": data.get("levels", {}),
        "reviews": {},
    }


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 to 2: quiz answers gained an optional ``level``.

    Version 1 answers carry no level; they keep none (``null``), and mastery looks their
    question up in the shipped quiz banks (see :func:`mastery_levels`).
    """
    out = dict(data)
    out["schema_version"] = 2
    answers = data.get("quiz_answers")
    if isinstance(answers, list):
        out["quiz_answers"] = [{**a, "level": None} if isinstance(a, dict) else a for a in answers]
    return out


MIGRATIONS: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = MappingProxyType({0: _v0_to_v1, 1: _v1_to_v2})
"""Upgrade functions: ``MIGRATIONS[n]`` turns a version-``n`` object into version ``n + 1``."""


def file_version(data: object) -> int | None:
    """The format version of a parsed file: its ``schema_version``, 0 for the pre-release shape, None if neither."""
    if not isinstance(data, dict):
        return None
    if "schema_version" in data:
        v = data["schema_version"]
        return v if isinstance(v, int) and not isinstance(v, bool) else None
    if data.get("version") == 0 and not isinstance(data.get("version"), bool):
        return 0
    return None


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Upgrade a parsed progress object to :data:`SCHEMA_VERSION`, one step at a time.

    Raises :class:`UsageError` for a version this rolecourse does not know (newer, or none).
    """
    version = file_version(data)
    if version is None or version > SCHEMA_VERSION or (version < SCHEMA_VERSION and version not in MIGRATIONS):
        raise UsageError(f"unknown progress schema_version {data.get('schema_version') if isinstance(data, dict) else None!r}")
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


class _Check:
    """Collects problems while reading a parsed JSON object (positions are 1:1: JSON keeps none)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, 1, 1, path, message))

    def fields(self, value: object, path: str, required: Sequence[str], optional: Sequence[str] = ()) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping, found {describe(value)}")
            return None
        for key in required:
            if key not in value:
                self.error(_join(path, key), "expected a value for this required field, found none (field is missing)")
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                self.error(_join(path, str(key)), f"expected a known field ({', '.join(sorted(allowed))}), found unknown field {key!r}")
        return value

    def text(self, value: object, path: str, *, empty: bool = False) -> str | None:
        if not isinstance(value, str) or (not empty and not value.strip()):
            self.error(path, f"expected a {'' if empty else 'non-empty '}string, found {describe(value)}")
            return None
        return value

    def texts(self, value: object, path: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.error(path, f"expected a list of strings, found {describe(value)}")
            return ()
        out = [self.text(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return tuple(v for v in out if v is not None)

    def timestamp(self, value: object, path: str, *, optional: bool = True) -> str | None:
        if value is None and optional:
            return None
        if isinstance(value, str):
            try:
                datetime.fromisoformat(value)
                return value
            except ValueError:
                pass
        self.error(path, f"expected an ISO 8601 date and time{' or null' if optional else ''}, found {describe(value)}")
        return None

    def integer(self, value: object, path: str, low: int, high: int | None = None) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            want = f"an integer from {low} to {high}" if high is not None else f"an integer of at least {low}"
            self.error(path, f"expected {want}, found {describe(value)}")
            return None
        return value


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _score(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not 0 <= value <= 1:
        return None
    return float(value)


def from_json_dict(data: object, file: str = "<progress>") -> LearnerProgress:
    """Validate a current-format JSON object and build the snapshot; raise :class:`ContentError` listing every problem."""
    c = _Check(file)
    top = c.fields(data, "", ("schema_version", "learner", "quiz_answers", "exercises", "self_assessment", "reviews"))
    if top is None:
        raise ContentError(c.problems)
    if top.get("schema_version") != SCHEMA_VERSION:
        c.error("schema_version", f"expected {SCHEMA_VERSION}, found {describe(top.get('schema_version'))}")
    learner = c.text(top.get("learner"), "learner")
    answers: list[QuizAnswer] = []
    raw_answers = top.get("quiz_answers", [])
    if not isinstance(raw_answers, list):
        c.error("quiz_answers", f"expected a list, found {describe(raw_answers)}")
        raw_answers = []
    for i, item in enumerate(raw_answers):
        p = f"quiz_answers[{i}]"
        f = c.fields(item, p, ("role", "question", "skills", "score", "correct"), ("answer", "attempt", "at", "level"))
        if f is None:
            continue
        n = len(c.problems)
        role = c.text(f.get("role"), f"{p}.role")
        question = c.text(f.get("question"), f"{p}.question")
        skills = c.texts(f.get("skills"), f"{p}.skills")
        score = _score(f.get("score"))
        if score is None and "score" in f:
            c.error(f"{p}.score", f"expected a number from 0 to 1, found {describe(f.get('score'))}")
        correct = f.get("correct")
        if not isinstance(correct, bool) and "correct" in f:
            c.error(f"{p}.correct", f"expected true or false, found {describe(correct)}")
        attempt = c.integer(f.get("attempt", 1), f"{p}.attempt", 1)
        at = c.timestamp(f.get("at"), f"{p}.at")
        level = None if f.get("level") is None else c.integer(f.get("level"), f"{p}.level", 1, 3)
        if len(c.problems) == n and role and question and score is not None and attempt is not None:
            answers.append(QuizAnswer(role, question, skills, score, bool(correct), f.get("answer"), attempt, at, level))
    results: list[ExerciseResult] = []
    raw_ex = top.get("exercises", [])
    if not isinstance(raw_ex, list):
        c.error("exercises", f"expected a list, found {describe(raw_ex)}")
        raw_ex = []
    outcomes = {o.value: o for o in ExerciseOutcome}
    for i, item in enumerate(raw_ex):
        p = f"exercises[{i}]"
        f = c.fields(item, p, ("exercise", "step", "outcome"), ("message", "at"))
        if f is None:
            continue
        n = len(c.problems)
        ex = c.text(f.get("exercise"), f"{p}.exercise")
        step = c.text(f.get("step"), f"{p}.step")
        outcome = outcomes.get(f.get("outcome")) if isinstance(f.get("outcome"), str) else None
        if outcome is None and "outcome" in f:
            c.error(f"{p}.outcome", f"expected one of {', '.join(outcomes)}, found {describe(f.get('outcome'))}")
        message = c.text(f.get("message", ""), f"{p}.message", empty=True)
        at = c.timestamp(f.get("at"), f"{p}.at")
        if len(c.problems) == n and ex and step and outcome is not None and message is not None:
            results.append(ExerciseResult(ex, step, outcome, message, at))
    levels: dict[str, int] = {}
    raw_levels = top.get("self_assessment", {})
    if not isinstance(raw_levels, dict):
        c.error("self_assessment", f"expected a mapping of skill id to level 0-3, found {describe(raw_levels)}")
        raw_levels = {}
    for skill, level in raw_levels.items():
        value = c.integer(level, _join("self_assessment", skill), 0, 3)
        if value is not None:
            levels[skill] = value
    reviews: dict[str, ReviewCard] = {}
    raw_reviews = top.get("reviews", {})
    if not isinstance(raw_reviews, dict):
        c.error("reviews", f"expected a mapping of question id to schedule, found {describe(raw_reviews)}")
        raw_reviews = {}
    for question, item in raw_reviews.items():
        p = _join("reviews", question)
        f = c.fields(item, p, ("card", "due"))
        if f is None:
            continue
        due = c.timestamp(f.get("due"), f"{p}.due", optional=False)
        card = f.get("card")
        if not isinstance(card, dict) or not _valid_card(card):
            if "card" in f:
                c.error(f"{p}.card", f"expected an fsrs card state (Card.to_dict()), found {describe(card)}")
            continue
        if due is not None:
            reviews[question] = ReviewCard(question, MappingProxyType(dict(card)), due)
    if c.problems or learner is None:
        raise ContentError(c.problems)
    return LearnerProgress(learner, tuple(answers), tuple(results), levels, reviews)


def _valid_card(card: dict[str, Any]) -> bool:
    import fsrs

    try:
        fsrs.Card.from_dict(card)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return True


def loads(text: str, file: str = "<progress>") -> LearnerProgress:
    """Parse progress JSON of any known version into a snapshot; raise :class:`ContentError` if invalid.

    JSON syntax errors carry json's line and column; other problems are located at 1:1
    with the path of the field (``quiz_answers[3].score``).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError([Problem(file, exc.lineno, exc.colno, "", f"expected valid JSON, found a syntax error: {exc.msg}")]) from None
    version = file_version(data)
    if version is None or version > SCHEMA_VERSION or (version < SCHEMA_VERSION and version not in MIGRATIONS):
        found = data.get("schema_version") if isinstance(data, dict) else data
        raise ContentError(
            [Problem(file, 1, 1, "schema_version", f"expected a progress schema_version from 0 to {SCHEMA_VERSION}, found {describe(found)}")]
        )
    return from_json_dict(migrate(data), file)


# ----------------------------------------------------------------------------------------------
# Mastery and summaries (pure)
# ----------------------------------------------------------------------------------------------


def level_rank(level: object) -> int:
    """A question level as its rank: 1, 2 or 3, a :class:`rolecourse.content.model.Level`, or its value
    (``"foundation"``, ``"intermediate"``, ``"advanced"``). Raises :class:`UsageError` otherwise."""
    from ..content.model import Level

    if isinstance(level, Level):
        return level.rank
    if isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 3:
        return level
    if isinstance(level, str):
        for member in Level:
            if member.value == level.strip().lower():
                return member.rank
    raise UsageError(
        f"level must be 1, 2, 3 or one of {', '.join(m.value for m in Level)}, found {describe(level)}"
    )


@lru_cache(maxsize=1)
def shipped_question_levels() -> Mapping[str, int]:
    """Level rank of every shipped quiz question, by question id (read once, on first use).

    Used for answers recorded without a level. Empty if the shipped banks cannot be read
    (``rolecourse validate`` reports why); such answers then count as foundation.
    """
    from ..assessment.questions import load_all_quizzes

    try:
        banks = load_all_quizzes()
    except ContentError:
        return MappingProxyType({})
    return MappingProxyType({q.id: q.level.rank for bank in banks for q in bank.questions})


def exercise_level(quiz_level: int) -> int:
    """The level a completed exercise gives a skill it practises, from the skill's quiz level.

    This is the one exercise rule: finishing an exercise (every step correct) shows at least
    intermediate mastery (2) and adds one level to what the quizzes show, up to 3.
    """
    return max(2, min(3, quiz_level + 1))


def quiz_mastery(progress: LearnerProgress, question_levels: Mapping[str, int] | None = None) -> dict[str, int]:
    """Quiz evidence per skill, 0-3, by :func:`rolecourse.assessment.grading.mastery_from_scores` (zeros kept).

    An answer's level is the one recorded with it, else ``question_levels[question]``
    (default :func:`shipped_question_levels`, read only when needed), else foundation (1).
    """
    from ..assessment.grading import mastery_from_scores

    latest = progress.latest_answers().values()
    if question_levels is None and any(a.level is None for a in latest):
        question_levels = shipped_question_levels()
    lookup = question_levels or {}
    return mastery_from_scores(
        (a.skills, a.level if a.level is not None else lookup.get(a.question, 1), a.score, a.question) for a in latest
    )


def mastery_levels(
    progress: LearnerProgress,
    exercise_skills: Mapping[str, Sequence[str]] | None = None,
    exercise_steps: Mapping[str, Sequence[str]] | None = None,
    *,
    question_levels: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """Level 1-3 per skill: the max of self-assessment, quiz evidence and completed exercises.

    See "Mastery" in the module docstring; zeros are left out and keys are sorted.
    ``question_levels`` is passed to :func:`quiz_mastery`.
    """
    quiz = quiz_mastery(progress, question_levels)
    evidence = dict(quiz)
    for ex in progress.completed_exercises(exercise_steps):
        for skill in (exercise_skills or {}).get(ex, ()):
            evidence[skill] = max(evidence.get(skill, 0), exercise_level(quiz.get(skill, 0)))
    levels = dict(progress.self_assessment)
    for skill, level in evidence.items():
        levels[skill] = max(levels.get(skill, 0), level)
    return {s: levels[s] for s in sorted(levels) if levels[s] > 0}


@dataclass(frozen=True, slots=True)
class RoleProgress:
    """How far a learner has come in one role."""

    role: str
    """Role id."""
    name: str
    """Role display name."""
    skills_total: int
    """Number of the role's key skills."""
    skills_mastered: int
    """Of those, how many are at :data:`MASTERED_LEVEL` or above."""
    quizzes_answered: int
    """Distinct questions of the role's quiz answered."""
    quizzes_correct: int
    """Of those, how many were right the last time."""
    exercises_started: int
    """The role's exercises with at least one step checked."""
    exercises_done: int
    """The role's exercises with every step correct."""
    next_skills: tuple[str, ...]
    """Ids of the first not-mastered skills, in the role's order ("what's next")."""

    @property
    def percent_mastered(self) -> float:
        """Share of the role's skills mastered, 0-100."""
        return 100.0 * self.skills_mastered / self.skills_total if self.skills_total else 0.0


def _exercise_role(exercise: str, role_ids: Sequence[str], exercise_roles: Mapping[str, str] | None) -> str | None:
    if exercise_roles and exercise in exercise_roles:
        return exercise_roles[exercise]
    bare = re.sub(r"^[0-9]+-", "", exercise)  # exercise folders may be numbered: 01-data-analyst-sql
    matches = [r for r in role_ids if bare == r or bare.startswith(r + "-")]
    return max(matches, key=len) if matches else None


def summarize(
    progress: LearnerProgress,
    curriculum: Any,
    *,
    exercise_skills: Mapping[str, Sequence[str]] | None = None,
    exercise_steps: Mapping[str, Sequence[str]] | None = None,
    exercise_roles: Mapping[str, str] | None = None,
    mastered_at: int = MASTERED_LEVEL,
    next_count: int = 3,
) -> tuple[RoleProgress, ...]:
    """Per role of ``curriculum`` (a :class:`rolecourse.content.model.Curriculum`), in its order, the learner's progress.

    An exercise belongs to the role ``exercise_roles`` names for it, else to the role whose
    id its id starts with, after any number prefix (``01-data-analyst-sql`` -> ``data-analyst``).
    """
    levels = mastery_levels(progress, exercise_skills, exercise_steps)
    latest = progress.latest_answers()
    role_ids = [r.id for r in curriculum.roles]
    done = set(progress.completed_exercises(exercise_steps))
    started = {r.exercise for r in progress.exercises if r.outcome is not ExerciseOutcome.NOT_ATTEMPTED}
    out = []
    for role in curriculum.roles:
        skills = role.skill_ids
        mastered = [s for s in skills if levels.get(s, 0) >= mastered_at]
        answers = [a for a in latest.values() if a.role == role.id]
        exercises = {e for e in started | done if _exercise_role(e, role_ids, exercise_roles) == role.id}
        out.append(
            RoleProgress(
                role=role.id,
                name=role.name,
                skills_total=len(skills),
                skills_mastered=len(mastered),
                quizzes_answered=len(answers),
                quizzes_correct=sum(1 for a in answers if a.correct),
                exercises_started=len(exercises),
                exercises_done=len(exercises & done),
                next_skills=tuple(s for s in skills if levels.get(s, 0) < mastered_at)[:next_count],
            )
        )
    return tuple(out)


# ----------------------------------------------------------------------------------------------
# Files: atomic save, locks, quarantine
# ----------------------------------------------------------------------------------------------


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_bytes(path, text.encode("utf-8"))


@contextmanager
def _exclusive(lock_path: Path, timeout: float) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    if _fcntl is not None:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _fcntl.flock(fd, _fcntl.LOCK_EX)
            try:
                yield
            finally:
                _fcntl.flock(fd, _fcntl.LOCK_UN)
        finally:
            os.close(fd)
        return
    excl = lock_path.with_name(lock_path.name + "-excl")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(excl, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            if time.monotonic() >= deadline:
                raise ProgressLockError(
                    f"progress is locked by {excl} for more than {timeout:g} s; "
                    "if no other notebook or command is using it, delete that file"
                ) from None
            time.sleep(0.01)
    try:
        os.write(fd, str(os.getpid()).encode("ascii"))
        os.close(fd)
        yield
    finally:
        try:
            os.unlink(excl)
        except FileNotFoundError:
            pass


def _free_name(path: Path, tag: str) -> Path:
    stem = path.name[: -len(".json")] if path.name.endswith(".json") else path.name
    n = 1
    while True:
        candidate = path.with_name(f"{stem}.{tag}-{n}.json")
        if not candidate.exists():
            return candidate
        n += 1


class ProgressStore:
    """Learners' progress in a folder of JSON files (see the module docstring for the rules).

    ``home`` is the folder (default :func:`default_home`); ``clock`` returns the current time
    (default: the system clock in UTC) and is what tests replace to be deterministic.
    """

    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        clock: Callable[[], datetime] | None = None,
        *,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.home = Path(home).expanduser() if home is not None else default_home()
        """The progress folder."""
        self.clock = clock or _system_clock
        """Returns the current time; naive times are taken as UTC."""
        self.lock_timeout = lock_timeout
        """Seconds to wait for the fallback lock file."""

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.home)!r})"

    # -- places --------------------------------------------------------------------------------
    def path(self, learner: str) -> Path:
        """The file of ``learner``'s progress."""
        return self.home / f"{learner_slug(learner)}.json"

    def _now(self) -> datetime:
        return _utc(self.clock())

    # -- reading -------------------------------------------------------------------------------
    def learners(self) -> list[str]:
        """Display names of the learners with a progress file, sorted (case-insensitive)."""
        if not self.home.is_dir():
            return []
        names = []
        for path in self.home.glob("*.json"):
            slug = path.name[: -len(".json")]
            if "." in slug or not slug or slug.startswith("."):
                continue  # moved-aside, temporary or foreign files
            name = slug
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                found = data.get("learner", data.get("name")) if isinstance(data, dict) else None
                if isinstance(found, str) and found.strip():
                    name = found
            except (OSError, ValueError):
                pass
            names.append(name)
        return sorted(names, key=lambda n: (n.casefold(), n))

    def load(self, learner: str) -> LearnerProgress:
        """The learner's progress (empty if none); an unusable file is moved aside with a warning."""
        path = self.path(learner)
        if not self.home.is_dir():
            return LearnerProgress(learner)  # nothing saved yet; reading creates no folder
        with _exclusive(self._lock(path), self.lock_timeout):
            return self._read(path, learner)

    def _lock(self, path: Path) -> Path:
        return path.with_name(path.name[: -len(".json")] + ".lock")

    def _read(self, path: Path, learner: str) -> LearnerProgress:
        """Read under the lock; quarantine what cannot be used."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return LearnerProgress(learner)
        except UnicodeDecodeError:
            return self._set_aside(path, learner, "corrupt", "it is not UTF-8 text")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return self._set_aside(path, learner, "corrupt", f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
        version = file_version(data)
        if isinstance(data, dict) and "schema_version" in data and version is not None and (
            version > SCHEMA_VERSION or (version < SCHEMA_VERSION and version not in MIGRATIONS)
        ):
            return self._set_aside(
                path, learner, "unknown-version",
                f"its schema_version {version} is not one this rolecourse reads (it reads 0 to {SCHEMA_VERSION}; a newer rolecourse may have written it)",
            )
        if version is None:
            return self._set_aside(path, learner, "corrupt", "it has no usable schema_version")
        try:
            return from_json_dict(migrate(data), str(path))
        except ContentError as exc:
            return self._set_aside(path, learner, "corrupt", f"it is not valid progress ({exc.problems[0]}{' and more' if len(exc.problems) > 1 else ''})")

    def _set_aside(self, path: Path, learner: str, tag: str, why: str) -> LearnerProgress:
        target = _free_name(path, tag)
        os.replace(path, target)
        fsync_folder(path.parent)
        warnings.warn(
            ProgressWarning(
                f"progress file {path} could not be used because {why}; it was moved to {target} "
                f"and {learner!r} starts with empty progress. Nothing was deleted: repair that file "
                f"and bring it back with `rolecourse progress import {target}`."
            ),
            stacklevel=4,
        )
        return LearnerProgress(learner)

    # -- writing -------------------------------------------------------------------------------
    def update(self, learner: str, change: Callable[[LearnerProgress], LearnerProgress]) -> LearnerProgress:
        """Apply ``change`` to the learner's progress under the lock and save the result atomically."""
        path = self.path(learner)
        with _exclusive(self._lock(path), self.lock_timeout):
            current = self._read(path, learner)
            new = change(current)
            for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a killed writer
                try:
                    stale.unlink()
                except FileNotFoundError:
                    pass
            atomic_write(path, dumps(new))
            return new

    def record_quiz_answer(
        self,
        learner: str,
        *,
        role: str,
        question: str,
        skills: Sequence[str],
        score: float,
        correct: bool,
        answer: object = None,
        level: object = None,
    ) -> None:
        """Record one answer; a wrong one schedules the question for review, a right one reschedules a reviewed one.

        ``level`` is the question's level (rank 1-3, a :class:`rolecourse.content.model.Level` or its
        value such as ``"intermediate"``), which mastery needs; when it is None, mastery looks
        the question up in the shipped quiz banks (see :func:`quiz_mastery`).
        """
        for name, value in (("role", role), ("question", question)):
            if not isinstance(value, str) or not value.strip():
                raise UsageError(f"{name} must be a non-empty string, found {describe(value)}")
        if isinstance(skills, str) or not all(isinstance(s, str) and s.strip() for s in skills):
            raise UsageError(f"skills must be a list of skill ids, found {describe(skills)}")
        if _score(score) is None:
            raise UsageError(f"score must be a number from 0 to 1, found {describe(score)}")
        if not isinstance(correct, bool):
            raise UsageError(f"correct must be True or False, found {describe(correct)}")
        rank = None if level is None else level_rank(level)
        try:
            safe_answer = json.loads(json.dumps(answer, allow_nan=False))
        except (TypeError, ValueError):
            raise UsageError(f"answer must be a JSON value (text, number, list, mapping or None), found {describe(answer)}") from None
        now = self._now()

        def change(p: LearnerProgress) -> LearnerProgress:
            attempt = 1 + sum(1 for a in p.quiz_answers if a.question == question)
            entry = QuizAnswer(role, question, tuple(skills), float(score), correct, safe_answer, attempt, now.isoformat(), rank)
            reviews = dict(p.reviews)
            if not correct or question in reviews:
                reviews[question] = _review(reviews.get(question), question, correct, now)
            return replace(p, quiz_answers=(*p.quiz_answers, entry), reviews=reviews)

        self.update(learner, change)

    def record_exercise(self, learner: str, *, exercise: str, step: str, outcome: str, message: str = "") -> None:
        """Record the outcome (``not-attempted``, ``incorrect`` or ``correct``) of checking one exercise step."""
        for name, value in (("exercise", exercise), ("step", step)):
            if not isinstance(value, str) or not value.strip():
                raise UsageError(f"{name} must be a non-empty string, found {describe(value)}")
        raw = getattr(outcome, "value", outcome)
        try:
            kind = ExerciseOutcome(raw)
        except ValueError:
            raise UsageError(
                f"outcome must be one of {', '.join(o.value for o in ExerciseOutcome)}, found {describe(raw)}"
            ) from None
        if not isinstance(message, str):
            raise UsageError(f"message must be a string, found {describe(message)}")
        entry = ExerciseResult(exercise, step, kind, message, self._now().isoformat())
        self.update(learner, lambda p: replace(p, exercises=(*p.exercises, entry)))

    def set_self_assessment(self, learner: str, levels: Mapping[str, int]) -> None:
        """Set self-assessed levels (0-3) for some skills; skills not named keep their level."""
        if not isinstance(levels, Mapping):
            raise UsageError(f"levels must be a mapping of skill id to level 0-3, found {describe(levels)}")
        for skill, level in levels.items():
            if not isinstance(skill, str) or not skill.strip():
                raise UsageError(f"skill ids must be non-empty strings, found {describe(skill)}")
            if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 3:
                raise UsageError(f"level of {skill!r} must be an integer from 0 to 3, found {describe(level)}")
        self.update(learner, lambda p: replace(p, self_assessment={**p.self_assessment, **levels}))

    # -- questions about a learner -------------------------------------------------------------
    def due_reviews(self, learner: str, now: datetime | None = None) -> list[str]:
        """Ids of the questions due for review at ``now`` (default: the clock), earliest due first."""
        moment = _utc(now) if now is not None else self._now()
        cards = self.load(learner).reviews.values()
        due = [(_utc(datetime.fromisoformat(c.due)), c.question) for c in cards]
        return [q for d, q in sorted(due) if d <= moment]

    def mastery(
        self,
        learner: str,
        *,
        exercise_skills: Mapping[str, Sequence[str]] | None = None,
        exercise_steps: Mapping[str, Sequence[str]] | None = None,
        exercises: "ExerciseMaps | None" = None,
    ) -> dict[str, int]:
        """Level 1-3 per skill from self-assessment and evidence (see :func:`mastery_levels`).

        The exercises' skills and steps come from ``exercise_skills``/``exercise_steps``, else
        from ``exercises``, else from the shipped exercises (:meth:`ExerciseMaps.shipped`), so
        ``plan(role, known=store.mastery(learner))`` counts completed shipped exercises.
        """
        if exercise_skills is None and exercise_steps is None:
            maps = exercises if exercises is not None else ExerciseMaps.shipped()
            exercise_skills, exercise_steps = maps.skills, maps.steps
        return mastery_levels(self.load(learner), exercise_skills, exercise_steps)

    # -- moving between machines ---------------------------------------------------------------
    def export_json(self, learner: str) -> str:
        """The learner's progress as JSON text, for :meth:`import_json` on another machine."""
        return dumps(self.load(learner))

    def import_json(self, text: str, *, learner: str | None = None, merge: bool = True, source: str = "<import>") -> str:
        """Import exported progress (validated first); return the learner's name.

        ``learner`` renames the learner. With ``merge`` (the default) records are united with
        the existing ones (duplicates dropped, imported self-assessment wins, the most recently
        reviewed schedule wins). Without it the existing file is first copied to
        ``<slug>.backup-<n>.json`` (with a :class:`ProgressWarning`), then replaced.
        """
        incoming = loads(text, source)
        if learner is not None:
            learner_slug(learner)
            incoming = replace(incoming, learner=learner)
        name = incoming.learner
        path = self.path(name)
        with _exclusive(self._lock(path), self.lock_timeout):
            current = self._read(path, name)
            if merge:
                new = merge_progress(current, incoming)
            else:
                new = incoming
                if path.exists():
                    backup = _free_name(path, "backup")
                    atomic_write(backup, path.read_text(encoding="utf-8"))
                    warnings.warn(ProgressWarning(f"replaced {name!r}'s progress; the previous file was kept as {backup}"), stacklevel=2)
            atomic_write(path, dumps(new))
        return name

    def require(self, learner: str) -> str:
        """Check that ``learner`` has a progress file; raise :class:`UnknownNameError` (with close names) if not."""
        if not self.path(learner).exists():
            names = self.learners()
            raise UnknownNameError("learner", learner, [*names, *(learner_slug(n) for n in names)], listed=names)
        return learner

    def export_file(self, learner: str, destination: str | os.PathLike[str]) -> Path:
        """Write :meth:`export_json` of an existing learner to ``destination`` (atomically); return its path."""
        self.require(learner)
        target = Path(destination)
        if target.is_dir():
            raise UsageError(f"{str(target)!r} is a folder; give a file name such as {str(target / (learner_slug(learner) + '.json'))!r}")
        atomic_write(target, self.export_json(learner))
        return target

    def import_file(self, source: str | os.PathLike[str], *, learner: str | None = None, merge: bool = True) -> str:
        """:meth:`import_json` of the file ``source``; problems are reported against its name."""
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(f"no such file: {str(path)!r}") from None
        except UnicodeDecodeError:
            raise ContentError([Problem(str(path), 1, 1, "", "expected UTF-8 JSON text, found bytes that are not UTF-8")]) from None
        except OSError as exc:
            raise UsageError(f"cannot read {str(path)!r}: {exc.strerror}") from None
        return self.import_json(text, learner=learner, merge=merge, source=str(path))


def _review(existing: ReviewCard | None, question: str, correct: bool, now: datetime) -> ReviewCard:
    import fsrs

    if existing is None:
        card_id = int(hashlib.sha256(question.encode("utf-8")).hexdigest()[:12], 16)
        card = fsrs.Card(card_id=card_id, due=now)
    else:
        card = fsrs.Card.from_dict(dict(existing.card))  # type: ignore[arg-type]
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card, _log = scheduler.review_card(card, fsrs.Rating.Good if correct else fsrs.Rating.Again, review_datetime=now)
    return ReviewCard(question, MappingProxyType(card.to_dict()), _utc(card.due).isoformat())


def _key(record: QuizAnswer | ExerciseResult) -> str:
    if isinstance(record, QuizAnswer):
        return json.dumps([record.role, record.question, list(record.skills), record.score, record.correct, record.answer, record.attempt, record.at], sort_keys=True)
    return json.dumps([record.exercise, record.step, record.outcome.value, record.message, record.at])


def merge_progress(current: LearnerProgress, incoming: LearnerProgress) -> LearnerProgress:
    """The union of two snapshots of one learner: records of both (no duplicates, by time),
    ``incoming``'s self-assessment over ``current``'s, and per question the schedule reviewed last."""

    def union(a: Sequence[Any], b: Sequence[Any]) -> tuple[Any, ...]:
        seen: dict[str, Any] = {}
        for record in (*a, *b):
            seen.setdefault(_key(record), record)
        ordered = list(seen.values())
        if all(r.at is not None for r in ordered):
            ordered.sort(key=lambda r: _utc(datetime.fromisoformat(r.at)))
        return tuple(ordered)

    reviews = dict(current.reviews)
    for question, card in incoming.reviews.items():
        mine = reviews.get(question)
        if mine is None or _last_review(card) >= _last_review(mine):
            reviews[question] = card
    return LearnerProgress(
        learner=incoming.learner if current.is_empty else current.learner,
        quiz_answers=union(current.quiz_answers, incoming.quiz_answers),
        exercises=union(current.exercises, incoming.exercises),
        self_assessment={**current.self_assessment, **incoming.self_assessment},
        reviews=reviews,
    )


def _last_review(card: ReviewCard) -> datetime:
    last = card.card.get("last_review")
    if isinstance(last, str):
        try:
            return _utc(datetime.fromisoformat(last))
        except ValueError:
            pass
    return datetime.min.replace(tzinfo=timezone.utc)


def open_progress(home: str | os.PathLike[str] | None = None) -> ProgressStore:
    """The progress store in ``home`` (default :func:`default_home`)."""
    return ProgressStore(home)


# ----------------------------------------------------------------------------------------------
# Cohorts
# ----------------------------------------------------------------------------------------------


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
        return sum(1 for r in self.progress.latest_steps().values() if r.outcome is ExerciseOutcome.CORRECT)


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


# ----------------------------------------------------------------------------------------------
# Reports (what the CLI and notebooks print)
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExerciseMaps:
    """What progress needs to know of the exercises: their skills, steps and roles, by exercise id."""

    skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Skill ids each exercise practises."""
    steps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Step ids of each exercise, all of which must be correct for it to be done."""
    roles: Mapping[str, str] = field(default_factory=dict)
    """The role each exercise belongs to."""

    @classmethod
    def from_specs(cls, specs: Sequence[Any]) -> "ExerciseMaps":
        """Build from exercise metadata objects with ``id``, ``role``, ``skills`` and ``steps`` (each with an ``id``)."""
        return cls(
            skills={s.id: tuple(s.skills) for s in specs},
            steps={s.id: tuple(step.id for step in s.steps) for s in specs},
            roles={s.id: s.role for s in specs},
        )

    @classmethod
    def shipped(cls) -> "ExerciseMaps":
        """The maps of the shipped exercises (read once, on first use)."""
        return _shipped_exercise_maps()


@dataclass(frozen=True, slots=True)
class LearnerReport:
    """A learner's progress summed up: per role, per skill and reviews due."""

    learner: str
    """The learner's display name."""
    roles: tuple[RoleProgress, ...]
    """Progress per role, in the curriculum's order."""
    mastery: Mapping[str, int]
    """Level 1-3 per skill (see :func:`mastery_levels`)."""
    answered: int
    """Distinct questions answered."""
    correct: int
    """Of those, answered right the last time."""
    due: tuple[str, ...]
    """Questions due for review now."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (sorted, no timestamps)."""
        return {
            "learner": self.learner,
            "answered": self.answered,
            "correct": self.correct,
            "due_reviews": list(self.due),
            "mastery": dict(self.mastery),
            "roles": [
                {
                    "role": r.role,
                    "name": r.name,
                    "skills_mastered": r.skills_mastered,
                    "skills_total": r.skills_total,
                    "quizzes_answered": r.quizzes_answered,
                    "quizzes_correct": r.quizzes_correct,
                    "exercises_started": r.exercises_started,
                    "exercises_done": r.exercises_done,
                    "next_skills": list(r.next_skills),
                }
                for r in self.roles
            ],
        }

    def render(self) -> str:
        """Plain text, one line per role."""
        lines = [
            f"{self.learner}: {count(self.answered, 'question')} answered, "
            f"{self.correct} right; {len(self.due)} due for review",
            "",
        ]
        width = max((len(r.name) for r in self.roles), default=4)
        for r in self.roles:
            nxt = ", ".join(r.next_skills) if r.next_skills else "all key skills mastered"
            lines.append(
                f"{r.name:<{width}}  skills {r.skills_mastered}/{r.skills_total} ({r.percent_mastered:.0f}%)  "
                f"quizzes {r.quizzes_correct}/{r.quizzes_answered} right  "
                f"exercises {r.exercises_done} done of {r.exercises_started} started  next: {nxt}"
            )
        if self.mastery:
            lines += ["", "mastery: " + ", ".join(f"{s} {lvl}" for s, lvl in self.mastery.items())]
        return "\n".join(lines)


def learner_report(
    store: ProgressStore,
    learner: str,
    curriculum: Any,
    exercises: ExerciseMaps | None = None,
    now: datetime | None = None,
) -> LearnerReport:
    """Sum up an existing learner's progress against ``curriculum`` (UnknownNameError if no such learner).

    ``exercises`` defaults to the shipped exercises (:meth:`ExerciseMaps.shipped`).
    """
    store.require(learner)
    progress = store.load(learner)
    maps = exercises if exercises is not None else ExerciseMaps.shipped()
    latest = progress.latest_answers()
    return LearnerReport(
        learner=progress.learner,
        roles=summarize(progress, curriculum, exercise_skills=maps.skills, exercise_steps=maps.steps, exercise_roles=maps.roles),
        mastery=MappingProxyType(mastery_levels(progress, maps.skills, maps.steps)),
        answered=len(latest),
        correct=sum(1 for a in latest.values() if a.correct),
        due=tuple(store.due_reviews(learner, now)),
    )


@lru_cache(maxsize=1)
def _shipped_exercise_maps() -> ExerciseMaps:
    from ..assessment.exercises import list_exercises

    return ExerciseMaps.from_specs(list_exercises())


def learner_known(
    learner: str,
    curriculum: Any,
    know: Mapping[str, int] | str | None = None,
    *,
    store: ProgressStore | None = None,
    exercises: ExerciseMaps | None = None,
) -> dict[str, int]:
    """What an existing learner knows, as ``known`` for :func:`rolecourse.planning.plans.plan`.

    The learner's :meth:`ProgressStore.mastery` (``store`` defaults to :func:`open_progress`,
    which honours ``$ROLECOURSE_HOME``), limited to the skills of ``curriculum`` (a
    :class:`~rolecourse.content.model.Curriculum`), then overridden skill by skill by ``know``
    (a mapping, or text such as ``"sql:2,python"``; ``"sql:0"`` studies SQL from scratch).
    Raises :class:`UnknownNameError` for an unknown learner or skill.
    """
    from ..planning.paths import normalize_known, parse_known

    store = store if store is not None else open_progress()
    store.require(learner)
    mastery = store.mastery(learner, exercises=exercises)
    levels = {skill: level for skill, level in mastery.items() if skill in curriculum.skills}
    if isinstance(know, str):
        levels.update(parse_known(know, curriculum))
    elif know is not None:
        levels.update(normalize_known(curriculum, know))
    return dict(sorted(levels.items()))


def render_cohort(entries: Sequence[CohortEntry]) -> str:
    """Plain text: one line per learner, then one line per problem of the unusable files."""
    good = [e for e in entries if e.progress is not None]
    lines = [f"{count(len(good), 'learner')} read from {count(len(entries), 'file')}"]
    width = max((len(e.learner or "") for e in good), default=7)
    for e in sorted(good, key=lambda e: ((e.learner or "").casefold(), e.file)):
        lines.append(f"{e.learner:<{width}}  quizzes {e.correct}/{e.answered} right  exercise steps correct {e.steps_correct}")
    return "\n".join(lines)


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
