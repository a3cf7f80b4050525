"""Pure grading: an answer in, a :class:`Feedback` out (mastery from results: :mod:`.mastery`).

Nothing here imports a widget library or reads a file. The widgets only render what
:func:`grade` returns.

Answers each type accepts:

* ``single``: the option's index (``int``) or its text (matched after
  :func:`~rolecourse.assessment.questions.normalise_text`).
* ``multiple``: a collection of indices and/or texts (a lone index or text counts as one
  pick; repeated picks count once). Score ``(right picks − wrong picks) / #correct``,
  floored at 0: each wrong pick takes back one right pick, so ticking every box never
  pays, and one right and one wrong pick of two correct options scores 0. Every correct
  option and no wrong one is CORRECT; a score above 0 is PARTLY_CORRECT. The feedback says
  how the score came about, then names each option that matters, in the question's order,
  with its own feedback: a right pick, a wrong pick, or a correct option missed
  (:attr:`Feedback.options`, :func:`option_verdicts`); options neither picked nor correct
  are not mentioned.
* ``true-false``: ``True``/``False``, the strings ``"true"``/``"false"`` (also ``"t"``,
  ``"f"``, ``"yes"``, ``"no"``, any case), or the option index (0 = True, 1 = False).
* ``numeric``: a number, or a string holding one (:func:`number_readings`). The question's
  unit may come before or after it (``"€1"``, ``"15 weeks"``, ``"85%"``); a Unicode minus
  is a minus. Commas: in ``"1,5"`` and ``"0,925"`` the comma is a decimal separator; in
  ``"1,000"`` or ``"12,345.6"`` (groups of three digits) it separates thousands, and
  ``"1,500"`` is also tried as 1.5. A simple fraction reads as its value (``"1/6"``; not
  ``"1/0"``). A percent and a fraction are the same quantity: a question in ``%`` accepts
  ``25``, ``"25%"`` and ``0.25``; any other question reads ``"97%"`` as 0.97
  (:func:`accepted_values`). The tolerance is inclusive: ``|answer − expected| ≤ tolerance``.
* ``text``: a string, matched after normalisation (case, whitespace, punctuation) against
  the accepted answers; a function or method named by an accepted answer is right with any
  object in front and any arguments (``fit`` accepts ``clf.fit`` and
  ``model.fit(X_train, y_train)``; :func:`accepted_paths`).

NumPy integers and floats count as numbers. ``None``, an empty or blank string and an empty
collection are NOT_ANSWERED. A number that is no option index (``1.5``) for a choice question,
a number too big for a float, and a value that cannot even be read (its ``__len__`` or
``__iter__`` raise) are INCORRECT with a message. An answer of the wrong kind (an index out
of range, an option text the question does not have) raises
:class:`~rolecourse.errors.UsageError`; nothing else escapes :func:`grade`.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from enum import Enum
from typing import Any, Mapping

from ..errors import RolecourseError, UnknownNameError, UsageError
from ..content.model import Level
from .checks import Overrun, call_with_time_limit, running_dunder
from .answers import accepted_paths, accepted_values, code_path, number_readings, parse_number
from .questions import Question, Questionnaire, QuestionType, format_number, normalise_text


class AnswerStatus(Enum):
    """The outcome of one answer."""

    CORRECT = "correct"
    PARTLY_CORRECT = "partly-correct"
    INCORRECT = "incorrect"
    NOT_ANSWERED = "not-answered"

    @property
    def label(self) -> str:
        """Text prefix shown to the learner (never colour alone)."""
        return _LABELS[self]


_LABELS = {
    AnswerStatus.CORRECT: "Correct",
    AnswerStatus.PARTLY_CORRECT: "Partly correct",
    AnswerStatus.INCORRECT: "Not quite",
    AnswerStatus.NOT_ANSWERED: "Not answered",
}


@dataclass(frozen=True, slots=True)
class Feedback:
    """The outcome of grading one answer."""

    question_id: str
    """Id of the question answered."""
    status: AnswerStatus
    """Correct, partly correct, incorrect or not answered."""
    score: float
    """From 0 (nothing right) to 1 (all right)."""
    message: str
    """The feedback for what was chosen, then the explanation (plain text, one paragraph per line)."""
    skills: tuple[str, ...] = ()
    """The question's skill ids (so results alone give mastery)."""
    level: Level = Level.FOUNDATION
    """The question's level."""
    options: tuple["OptionVerdict", ...] = ()
    """Multiple-select answers: the verdict on each option that matters (picked, or correct and missed), in the question's order; empty otherwise."""

    @property
    def correct(self) -> bool:
        """Whether the answer was fully right."""
        return self.status is AnswerStatus.CORRECT


class OptionCall(Enum):
    """What a learner did with one option of a multiple-select question."""

    RIGHT_PICK = "right-pick"
    WRONG_PICK = "wrong-pick"
    MISSED = "missed"

    @property
    def label(self) -> str:
        """Words shown before the option (never colour alone)."""
        return _CALL_LABELS[self]


_CALL_LABELS = {
    OptionCall.RIGHT_PICK: "Right pick",
    OptionCall.WRONG_PICK: "Wrong pick",
    OptionCall.MISSED: "Missed (also correct)",
}


@dataclass(frozen=True, slots=True)
class OptionVerdict:
    """The verdict on one option of a multiple-select answer."""

    index: int
    """Index of the option in ``question.options`` (file order, whatever order it was shown in)."""
    text: str
    """The option's text."""
    call: OptionCall
    """Right pick, wrong pick, or a correct option that was not picked."""
    feedback: str
    """The option's own feedback: why picking it is right or wrong."""

    @property
    def line(self) -> str:
        """One line for the learner: ``Wrong pick: Variance. No: it measures spread.``"""
        return f"{self.call.label}: {self.text}. {self.feedback}".rstrip()


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A role the questionnaire points to, and why."""

    role: str
    """Role id."""
    score: float
    """Share of the role's possible points the answers gave, 0..1."""
    reasons: tuple[str, ...]
    """The reasons of the statements that pointed here, strongest first."""
    statements: tuple[str, ...] = ()
    """Ids of the statements that gave this role points, strongest first (the same order as ``reasons``)."""


# -- grading --------------------------------------------------------------------------
def _blank(answer: Any) -> bool:
    if answer is None:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, (list, tuple, set, frozenset)):
        return len(answer) == 0
    return False


TIME_LIMIT: float = 10.0
"""Seconds reading and comparing one answer may take (a learner's value whose methods never return is stopped)."""


def grade(question: Question, answer: Any) -> Feedback:
    """Grade ``answer`` to ``question``; see the module docstring for accepted answers.

    Only :class:`~rolecourse.errors.RolecourseError` escapes: any value that misbehaves while
    it is read is graded INCORRECT with a message, and one whose methods never return is
    stopped after :data:`TIME_LIMIT` seconds (as :func:`~rolecourse.assessment.checking.check` does).
    """
    try:
        return call_with_time_limit(lambda: _grade_answer(question, _plain_number(answer)), [], {}, TIME_LIMIT)
    except Overrun as over:  # an answer whose __len__, __repr__, __eq__... never returns
        dunder = running_dunder(over)
        said = f" (its `{dunder}` did not return)" if dunder else ""
        return _feedback(question, AnswerStatus.INCORRECT, 0.0, [f"This answer took longer than {TIME_LIMIT:g} s to read{said}; give a plain value."])
    except RolecourseError:
        raise
    except (Exception, SystemExit) as exc:  # a hostile value: its __len__, __iter__, __eq__... raised
        return _feedback(question, AnswerStatus.INCORRECT, 0.0, [f"This answer could not be read ({type(exc).__name__} while reading a {type(answer).__name__}); give a plain value."])


def _plain_number(answer: Any) -> Any:
    """A NumPy (or other registered) integer or real number as a Python ``int`` or ``float``; anything else as it is."""
    if type(answer) in (bool, int, float, str) or type(answer).__module__.split(".")[0] != "numpy":
        return answer
    if isinstance(answer, numbers.Integral) and not str(getattr(answer, "dtype", "")).startswith("bool"):
        return int(answer)
    if isinstance(answer, numbers.Real):
        return float(answer)
    if str(getattr(answer, "dtype", "")) == "bool" and getattr(answer, "ndim", 1) == 0:
        return bool(answer)
    return answer


def _not_an_option(question: Question, answer: Any) -> Feedback | None:
    """INCORRECT feedback for a number that cannot be an option index (``1.5``, ``float('nan')``); else None."""
    if isinstance(answer, float):
        return _feedback(question, AnswerStatus.INCORRECT, 0.0, [
            f"{_short(answer)} is not an option: answer with an option's number (0 to {len(question.options) - 1}) or its text.",
        ])
    return None


def _short(answer: Any, limit: int = 60) -> str:
    """A learner's answer for a message, cut to ``limit`` characters."""
    try:
        text = repr(answer)
    except Exception:  # a huge integer, a repr that raises
        kind = type(answer)
        text = f"an integer of about {int(int.bit_length(answer) * 0.30103) + 1} digits" if issubclass(kind, int) else f"a {kind.__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _grade_answer(question: Question, answer: Any) -> Feedback:
    if _blank(answer):
        return _feedback(question, AnswerStatus.NOT_ANSWERED, 0.0, ["No answer was given."])
    if question.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.MULTIPLE) and (wrong := _not_an_option(question, answer)):
        return wrong
    if question.type is QuestionType.MULTIPLE and not isinstance(answer, (str, int)):
        if not hasattr(answer, "__iter__"):
            return _feedback(question, AnswerStatus.INCORRECT, 0.0, [f"{_short(answer)} is not a choice of options: give a list of option numbers or texts."])
        answer = [_plain_number(a) for a in answer]  # read once (a generator), NumPy integers as ints
        if wrong := next((w for a in answer if (w := _not_an_option(question, a))), None):
            return wrong
    if question.type is QuestionType.SINGLE:
        return _grade_single(question, _option_index(question, answer))
    if question.type is QuestionType.TRUE_FALSE:
        return _grade_single(question, _truth_index(question, answer))
    if question.type is QuestionType.MULTIPLE:
        return _grade_multiple(question, answer)
    if question.type is QuestionType.NUMERIC:
        return _grade_numeric(question, answer)
    return _grade_text(question, answer)


def _feedback(question: Question, status: AnswerStatus, score: float, parts: list[str]) -> Feedback:
    text = "\n".join([*parts, question.explanation] if question.explanation else parts)
    return Feedback(question.id, status, score, text, question.skills, question.level)


def _option_index(question: Question, answer: Any) -> int:
    if isinstance(answer, bool):
        raise UsageError(f"question {question.id!r}: expected an option index or text, found a boolean")
    if isinstance(answer, int):
        if not 0 <= answer < len(question.options):
            raise UsageError(f"question {question.id!r}: expected an option index from 0 to {len(question.options) - 1}, found {_short(answer)}")
        return answer
    if isinstance(answer, str):
        exact = " ".join(answer.casefold().split())
        for i, o in enumerate(question.options):
            if " ".join(o.text.casefold().split()) == exact:
                return i
        key = normalise_text(answer)
        loose = [i for i, o in enumerate(question.options) if normalise_text(o.text) == key]
        if len(loose) == 1:
            return loose[0]
        shown = ", ".join(repr(o.text) for o in question.options)
        raise UsageError(f"question {question.id!r}: expected one of the options {shown}, found {answer!r}")
    raise UsageError(f"question {question.id!r}: expected an option index or text, found {type(answer).__name__}")


_TRUE = {"true", "t", "yes", "y"}
_FALSE = {"false", "f", "no", "n"}


def _truth_index(question: Question, answer: Any) -> int:
    if isinstance(answer, bool):
        return 0 if answer else 1
    if isinstance(answer, str):
        key = normalise_text(answer)
        if key in _TRUE:
            return 0
        if key in _FALSE:
            return 1
        raise UsageError(f"question {question.id!r}: expected true or false, found {answer!r}")
    return _option_index(question, answer)


def _grade_single(question: Question, index: int) -> Feedback:
    option = question.options[index]
    status = AnswerStatus.CORRECT if option.correct else AnswerStatus.INCORRECT
    return _feedback(question, status, 1.0 if option.correct else 0.0, [option.feedback])


def _picks(question: Question, answer: Any) -> list[int]:
    picks_in = [answer] if isinstance(answer, (str, int)) else [_plain_number(a) for a in answer]
    return sorted(dict.fromkeys(_option_index(question, a) for a in picks_in))


def option_verdicts(question: Question, answer: Any) -> tuple[OptionVerdict, ...]:
    """Each option of a multiple-select ``answer`` that matters, with its verdict and its own feedback.

    Picked options are right or wrong picks; correct options not picked are missed; options
    neither picked nor correct are left out. In the question's option order. A blank answer
    gives ``()``; other question types raise :class:`~rolecourse.errors.UsageError`.
    """
    if question.type is not QuestionType.MULTIPLE:
        raise UsageError(f"question {question.id!r}: option verdicts are for multiple-select questions, not {question.type.value}")
    if _blank(answer):
        return ()
    picks = set(_picks(question, answer))
    verdicts = []
    for i, o in enumerate(question.options):
        if i in picks:
            call = OptionCall.RIGHT_PICK if o.correct else OptionCall.WRONG_PICK
        elif o.correct:
            call = OptionCall.MISSED
        else:
            continue
        verdicts.append(OptionVerdict(i, o.text, call, o.feedback))
    return tuple(verdicts)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _grade_multiple(question: Question, answer: Any) -> Feedback:
    verdicts = option_verdicts(question, answer)
    n_correct = len(question.correct_options)
    right = sum(1 for v in verdicts if v.call is OptionCall.RIGHT_PICK)
    wrong = sum(1 for v in verdicts if v.call is OptionCall.WRONG_PICK)
    score = max(0.0, (right - wrong) / n_correct)
    if right == n_correct and wrong == 0:
        status = AnswerStatus.CORRECT
    elif score > 0:
        status = AnswerStatus.PARTLY_CORRECT
    else:
        status = AnswerStatus.INCORRECT
    summary = f"You picked {right} of the {_count(n_correct, 'correct option')}"
    summary += f" and {_count(wrong, 'wrong one')}." if wrong else "."
    if wrong and right:
        summary += f" Each wrong pick cancels a right one, so this scores {max(0, right - wrong)} of {n_correct}."
    parts = [summary, *(v.line for v in verdicts)]
    text = "\n".join([*parts, question.explanation] if question.explanation else parts)
    return Feedback(question.id, status, score, text, question.skills, question.level, verdicts)


def _numeric_match(question: Question, values: tuple[float, ...]) -> bool:
    for value in values:
        for expected, tolerance in accepted_values(question):
            # a hair of slack so that 0.1 + 0.2 style representation errors never fail a right answer
            if abs(value - expected) <= tolerance + 1e-9 * max(1.0, abs(expected)):
                return True
    return False


def _grade_numeric(question: Question, answer: Any) -> Feedback:
    if isinstance(answer, bool):
        raise UsageError(f"question {question.id!r}: expected a number, found a boolean")
    if isinstance(answer, numbers.Real):
        try:
            value = float(answer)
        except OverflowError:
            return _feedback(question, AnswerStatus.INCORRECT, 0.0, ["That number is far too big to be the answer.", question.incorrect_feedback])
        values: tuple[float, ...] = (value,) if math.isfinite(value) else ()
    elif isinstance(answer, str):
        values = number_readings(answer, question.unit)
    else:
        raise UsageError(f"question {question.id!r}: expected a number, found {type(answer).__name__}")
    if not values:
        return _feedback(question, AnswerStatus.INCORRECT, 0.0, [f"{_short(answer)} is not a number I can read; write digits, e.g. 12.5.", question.incorrect_feedback])
    if _numeric_match(question, values):
        return _feedback(question, AnswerStatus.CORRECT, 1.0, [question.correct_feedback])
    unit = f" {question.unit}" if question.unit else ""
    return _feedback(question, AnswerStatus.INCORRECT, 0.0, [f"You answered {format_number(values[0])}{unit}.", question.incorrect_feedback])


def _names_match(question: Question, answer: str) -> bool:
    """True when ``answer`` calls a function or method the question accepts by name (:func:`accepted_paths`)."""
    path = code_path(answer)
    if path is None:
        return False
    return any(path[len(path) - len(p):] == p for p in accepted_paths(question) if len(p) <= len(path))


def _grade_text(question: Question, answer: Any) -> Feedback:
    if not isinstance(answer, str):
        raise UsageError(f"question {question.id!r}: expected a text answer, found {type(answer).__name__}")
    key = normalise_text(answer)
    if any(normalise_text(a) == key for a in question.accept) or _names_match(question, answer):
        return _feedback(question, AnswerStatus.CORRECT, 1.0, [question.correct_feedback])
    return _feedback(question, AnswerStatus.INCORRECT, 0.0, [question.incorrect_feedback])


# -- questionnaire --------------------------------------------------------------------
def recommend_roles(questionnaire: Questionnaire, answers: Mapping[str, int | float | bool]) -> tuple[Recommendation, ...]:
    """Rank roles by how well a learner's agreement with the statements fits them.

    ``answers`` maps statement id → agreement on the questionnaire's scale (0 = not at all
    … ``len(scale) - 1`` = very much; ``True``/``False`` mean top/bottom of the scale).
    A role's score is the points it got (weight × agreement, summed) divided by the most
    it could get; roles with no points are left out. Ties are broken by the order roles
    first appear in the questionnaire. Each recommendation carries the reasons of the
    statements that gave it points, strongest first. Unknown statement ids and
    out-of-scale answers raise :class:`~rolecourse.errors.UsageError`.
    """
    top = len(questionnaire.scale) - 1
    known = {s.id: s for s in questionnaire.statements}
    levels: dict[str, float] = {}
    for sid, value in answers.items():
        if sid not in known:
            raise UnknownNameError("statement", sid, list(known))
        if value is None:
            continue
        if isinstance(value, bool):
            level = float(top if value else 0)
        elif isinstance(value, (int, float)) and 0 <= value <= top:
            level = float(value)
        else:
            raise UsageError(f"statement {sid!r}: expected an agreement from 0 to {top}, found {value!r}")
        levels[sid] = level
    order = questionnaire.roles
    points = {r: 0.0 for r in order}
    possible = {r: 0.0 for r in order}
    why: dict[str, list[tuple[float, int, str]]] = {r: [] for r in order}
    for k, s in enumerate(questionnaire.statements):
        for role, w in s.weights.items():
            possible[role] += w * top
            got = w * levels.get(s.id, 0.0)
            if got > 0:
                points[role] += got
                why[role].append((got, k, s.reason, s.id))
    ranked = {r: sorted(why[r], key=lambda t: (-t[0], t[1])) for r in order}
    recs = [
        Recommendation(r, round(points[r] / possible[r], 4), tuple(t[2] for t in ranked[r]), tuple(t[3] for t in ranked[r]))
        for r in order
        if points[r] > 0 and possible[r] > 0
    ]
    rank = {r: i for i, r in enumerate(order)}
    return tuple(sorted(recs, key=lambda rec: (-rec.score, rank[rec.role])))


__all__ = [
    "Feedback",
    "Recommendation",
    "AnswerStatus",
    "OptionCall",
    "OptionVerdict",
    "grade",
    "option_verdicts",
    "accepted_paths",
    "accepted_values",
    "code_path",
    "number_readings",
    "parse_number",
    "recommend_roles",
]
