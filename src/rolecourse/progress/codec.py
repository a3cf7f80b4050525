"""The progress file format: a snapshot as JSON and back, and the migrations of older versions.

The file holds ``schema_version`` (:data:`SCHEMA_VERSION`), ``learner``, ``quiz_answers``
(each with the question's ``level`` rank 1-3, or null when it was not recorded),
``exercises``, ``self_assessment`` and ``reviews`` (the :mod:`fsrs` card state and due date
of each question to review). Older formats are upgraded by :data:`MIGRATIONS`, one function
per version step; the pre-release format is version 0 (see :func:`migrate`). Version 2 added
the optional ``level`` of quiz answers: version 1 readers reject that field, so such files
say version 2 and an older rolecourse sets them aside as "unknown version" instead of
misreading them. Nothing is ever pickled.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

from ..content._schema import join
from ..content.model import MAX_LEVEL, SkillLevel
from ..errors import ContentError, Problem, UsageError, describe
from ..assessment.checking import StepOutcome
from .model import SCHEMA_VERSION, ExerciseResult, LearnerProgress, QuizAnswer, ReviewCard





MAX_DEPTH = 32
"""Deepest nesting of lists and mappings a progress file may hold (a recorded answer is at most a few levels)."""

MAX_INT_DIGITS = 30
"""Most digits of an integer in a progress file (levels, attempts and card counters are small)."""

MIN_YEAR, MAX_YEAR = 1970, 2200
"""Timestamps of a progress file lie in these years."""


class _Strict(ValueError):
    """A JSON value progress does not accept (NaN, Infinity, a huge integer, deep nesting)."""


def _no_constant(name: str) -> Any:
    raise _Strict(f"expected finite numbers, found {name}")


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _Strict(f"expected integers of at most {MAX_INT_DIGITS} digits, found one of {digits} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Strict(f"expected finite numbers, found {text[:20]} (out of range)")
    return value


def check_depth(value: object, limit: int = MAX_DEPTH) -> None:
    """Raise ValueError when ``value`` nests lists and mappings more than ``limit`` deep (checked without recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limit:
                raise _Strict(f"expected lists and mappings nested at most {limit} deep, found deeper nesting")
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))


def strict_json(text: str) -> Any:
    """Parse JSON as progress accepts it: no NaN or Infinity, integers of sane size, bounded nesting.

    Raises :class:`json.JSONDecodeError` for bad syntax and :class:`ValueError` (one line) for
    a value outside those bounds.
    """
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_int=_int, parse_float=_float)
    except RecursionError:
        raise _Strict(f"expected lists and mappings nested at most {MAX_DEPTH} deep, found deeper nesting") from None
    check_depth(data)
    return data


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
    question up in the shipped quiz banks (see :func:`rolecourse.progress.mastery.mastery_levels`).
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
    """Collects problems while reading a parsed JSON object (positions are 1:1: JSON keeps none).

    The YAML schema reader (:class:`rolecourse.content._schema.Reader`) works on nodes that
    carry positions and strips strings; progress JSON has neither, and its messages are part
    of the progress warnings, so this small reader stays, sharing the field-path rule (``join``).
    """

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
                self.error(join(path, key), "expected a value for this required field, found none (field is missing)")
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                self.error(join(path, str(key)), f"expected a known field ({', '.join(sorted(allowed))}), found unknown field {key!r}")
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
                year = datetime.fromisoformat(value).year
            except ValueError:
                pass
            else:
                if MIN_YEAR <= year <= MAX_YEAR:
                    return value
                self.error(path, f"expected a date and time in the years {MIN_YEAR} to {MAX_YEAR}, found {describe(value)}")
                return None
        self.error(path, f"expected an ISO 8601 date and time{' or null' if optional else ''}, found {describe(value)}")
        return None

    def integer(self, value: object, path: str, low: int, high: int | None = None) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            want = f"an integer from {low} to {high}" if high is not None else f"an integer of at least {low}"
            self.error(path, f"expected {want}, found {describe(value)}")
            return None
        return value




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
        level = None if f.get("level") is None else c.integer(f.get("level"), f"{p}.level", int(SkillLevel.FOUNDATION), MAX_LEVEL)
        if len(c.problems) == n and role and question and score is not None and attempt is not None:
            answers.append(QuizAnswer(role, question, skills, score, bool(correct), f.get("answer"), attempt, at, level))
    results: list[ExerciseResult] = []
    raw_ex = top.get("exercises", [])
    if not isinstance(raw_ex, list):
        c.error("exercises", f"expected a list, found {describe(raw_ex)}")
        raw_ex = []
    outcomes = {o.value: o for o in StepOutcome}
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
        value = c.integer(level, join("self_assessment", skill), int(SkillLevel.NONE), MAX_LEVEL)
        if value is not None:
            levels[skill] = value
    reviews: dict[str, ReviewCard] = {}
    raw_reviews = top.get("reviews", {})
    if not isinstance(raw_reviews, dict):
        c.error("reviews", f"expected a mapping of question id to schedule, found {describe(raw_reviews)}")
        raw_reviews = {}
    for question, item in raw_reviews.items():
        p = join("reviews", question)
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
        data = strict_json(text)
    except json.JSONDecodeError as exc:
        raise ContentError([Problem(file, exc.lineno, exc.colno, "", f"expected valid JSON, found a syntax error: {exc.msg}")]) from None
    except ValueError as exc:
        raise ContentError([Problem(file, 1, 1, "", str(exc))]) from None
    version = file_version(data)
    if version is None or version > SCHEMA_VERSION or (version < SCHEMA_VERSION and version not in MIGRATIONS):
        found = data.get("schema_version") if isinstance(data, dict) else data
        raise ContentError(
            [Problem(file, 1, 1, "schema_version", f"expected a progress schema_version from 0 to {SCHEMA_VERSION}, found {describe(found)}")]
        )
    return from_json_dict(migrate(data), file)
