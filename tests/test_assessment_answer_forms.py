"""Every equivalent form of a right answer is graded right, for every shipped question.

A numeric answer may be written as a percent or a fraction, with its unit before or after,
a decimal comma or a Unicode minus; a text answer that names a function or method is right
with any object in front and any arguments (issue #14, item 2).
"""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from rolecourse.assessment.grading import (
    AnswerStatus,
    accepted_paths,
    accepted_values,
    code_path,
    grade,
    number_readings,
)
from rolecourse.assessment.lessons import list_lessons
from rolecourse.assessment.questions import Question, QuestionType, load_all_quizzes
from rolecourse.content.model import Level

SHIPPED = [q for bank in load_all_quizzes() for q in bank.questions] + [q for lesson in list_lessons() for q in lesson.quiz]
NUMERIC = [q for q in SHIPPED if q.type is QuestionType.NUMERIC]
TEXT = [q for q in SHIPPED if q.type is QuestionType.TEXT]
NAMED = [q for q in TEXT if accepted_paths(q)]


def _text(value: float) -> str:
    return repr(value) if value != int(value) else str(int(value))


def numeric_forms(q: Question) -> list[object]:
    """The forms a learner may write the right answer of ``q`` in."""
    value = float(q.answer or 0.0)
    text = _text(value)
    forms: list[object] = [value, text, f" {text} "]
    if value < 0:
        forms.append("\u2212" + text[1:])
    if "." in text:
        forms.append(text.replace(".", ","))
    if q.unit:
        forms += [f"{text} {q.unit}", f"{text}{q.unit}"]
        if len(q.unit) == 1 and q.unit != "%":  # a currency sign goes first
            forms.append(f"{q.unit}{text}")
    if q.unit == "%":
        forms += [value / 100, _text(value / 100)]
    elif 0 < abs(value) < 1:
        forms.append(f"{_text(round(value * 100, 10))}%")
    return forms


@pytest.mark.parametrize("question", NUMERIC, ids=[q.id for q in NUMERIC])
def test_every_numeric_answer_is_right_in_each_equivalent_form(question):
    """Percent or fraction, unit before or after, decimal comma, Unicode minus: each is right."""
    for form in numeric_forms(question):
        feedback = grade(question, form)
        assert feedback.status is AnswerStatus.CORRECT, f"{question.id}: {form!r} graded {feedback.status.value}"


@pytest.mark.parametrize("question", NUMERIC, ids=[q.id for q in NUMERIC])
def test_a_numeric_answer_far_off_is_still_wrong(question):
    """The readings never make a wrong number right: twice the answer plus one is wrong in every form."""
    value = float(question.answer or 0.0) * 2 + 1 + question.tolerance * 3
    for form in (value, _text(value), f"{_text(value)}{question.unit}"):
        assert grade(question, form).status is AnswerStatus.INCORRECT


@pytest.mark.parametrize("question", NAMED, ids=[q.id for q in NAMED])
def test_a_named_method_is_right_with_any_object_and_arguments(question):
    """``fit`` accepts ``clf.fit``, ``model.fit(X_train, y_train)`` and ``.fit()``; a qualified name keeps its qualifier."""
    assert NAMED, "no shipped text question names a function"
    for path in accepted_paths(question):
        dotted = ".".join(path)
        for form in (dotted, f"{dotted}()", f"my_obj.{dotted}(X_train, y_train)", f"result = {dotted}(x, axis=1)[0]"):
            feedback = grade(question, form)
            assert feedback.status is AnswerStatus.CORRECT, f"{question.id}: {form!r} graded {feedback.status.value}"


@pytest.mark.parametrize("question", NAMED, ids=[q.id for q in NAMED])
def test_another_method_is_still_wrong(question):
    """Another method of the same object is wrong."""
    assert grade(question, "clf.definitely_not_this_method(X)").status is AnswerStatus.INCORRECT


def _question(**fields) -> Question:
    base = dict(id="q", type=QuestionType.NUMERIC, level=Level.FOUNDATION, skills=("statistics",), prompt="?", explanation="", answer=25.0)
    base.update(fields)
    return Question(**base)


def test_percent_question_accepts_the_fraction_and_the_percent_sign():
    """A question in % accepts 25, '25%', '25 %', 0.25 and '0,25'; not 0.5."""
    q = _question(unit="%", tolerance=0.5)
    assert accepted_values(q) == ((25.0, 0.5), (0.25, 0.005))
    for form in (25, "25%", "25 %", 0.25, "0,25", "0.25"):
        assert grade(q, form).status is AnswerStatus.CORRECT, form
    assert grade(q, 0.5).status is AnswerStatus.INCORRECT


def test_a_fraction_question_reads_a_percent_sign():
    """A question expecting 0.97 accepts '97%' and '97 %', and not a bare 97."""
    q = _question(answer=0.97, tolerance=0.005)
    for form in ("97%", "97 %", "0.97", "0,97"):
        assert grade(q, form).status is AnswerStatus.CORRECT, form
    assert grade(q, "97").status is AnswerStatus.INCORRECT


def test_currency_before_or_after_and_unicode_minus():
    """'€1', '1 €', '-€5' and '−5 €' read as they are meant."""
    assert number_readings("€1", "€") == (1.0,)
    assert number_readings("1 €", "€") == (1.0,)
    assert number_readings("-€5", "€") == (-5.0,)
    assert number_readings("\u22125 €", "€") == (-5.0,)


def test_comma_readings():
    """'0,925' is a decimal; '1,500' is tried as 1500 and 1.5; '12,345.6' only as thousands."""
    assert number_readings("0,925") == (0.925,)
    assert number_readings("1,500") == (1500.0, 1.5)
    assert number_readings("12,345.6") == (12345.6,)
    assert number_readings("1,5") == (1.5,)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("fit", ("fit",)),
        (".fit()", ("fit",)),
        ("clf.fit", ("clf", "fit")),
        ("model.fit(X_train, y_train)", ("model", "fit")),
        ("predict_proba(X)[:, 1]", ("predict_proba",)),
        ("X_s = scaler.transform(X)", ("scaler", "transform")),
        ('df.groupby("a").sum()', ("sum",)),
        ("AVG(churned)", ("avg",)),
        ("GROUP BY", None),
        ("SELECT AVG(x) FROM t", None),
        ("import os", None),
        ("a; b", None),
        ("", None),
        ("f(" * 400, None),
    ],
)
def test_code_path(text, path):
    """The dotted name a code answer calls, arguments and subscripts dropped; None for prose and SQL."""
    assert code_path(text) == path


def test_an_accepted_call_with_arguments_is_matched_as_written_only():
    """``train(False)`` accepts itself, not ``model.train()`` (which does the opposite)."""
    q = _question(type=QuestionType.TEXT, answer=None, accept=("eval", "model.train(False)"))
    assert accepted_paths(q) == frozenset({("eval",)})
    assert grade(q, "model.train(False)").status is AnswerStatus.CORRECT
    assert grade(q, "net.eval()").status is AnswerStatus.CORRECT
    assert grade(q, "model.train()").status is AnswerStatus.INCORRECT


def test_a_qualified_name_needs_its_qualifier():
    """``tf.print`` accepts ``tf.print(loss)``, not Python's ``print(loss)``."""
    q = _question(type=QuestionType.TEXT, answer=None, accept=("tf.print",))
    assert grade(q, "tf.print('loss', loss)").status is AnswerStatus.CORRECT
    assert grade(q, "print(loss)").status is AnswerStatus.INCORRECT


@given(st.text(max_size=400))
def test_code_path_never_raises(text):
    """Any text gives a tuple of names or None."""
    path = code_path(text)
    assert path is None or (isinstance(path, tuple) and all(isinstance(p, str) and p for p in path))


@given(st.text(max_size=300), st.sampled_from(["", "%", "€", "weeks"]))
def test_number_readings_are_finite_numbers(text, unit):
    """Any text reads as finite floats, or as nothing."""
    values = number_readings(text, unit)
    assert all(isinstance(v, float) and v == v and abs(v) != float("inf") for v in values)
