"""Hostile learner values and code (issue 18 item 4): check() and grade() answer with a result, never a crash or a hang."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolecourse.assessment import checking
from rolecourse.assessment.checking import CheckResult, StepOutcome, StepSpec, check
from rolecourse.assessment.checks import CHECK_KINDS, Case, Check, CheckKind, Mistake, MistakeKind
from rolecourse.assessment.grading import AnswerStatus, Feedback, grade
from rolecourse.assessment.questions import validate_quiz_file
from rolecourse.errors import RolecourseError

QUIZ = Path(__file__).parent / "fixtures" / "quiz"
KNOWN = yaml.safe_load((QUIZ / "known-ids.yaml").read_text(encoding="utf-8"))
BANK = validate_quiz_file(QUIZ / "mini.yaml", skills=KNOWN["skills"], roles=KNOWN["roles"])
SINGLE, MULTIPLE, TF, NUMERIC, TEXT = BANK.questions

EXPECTED: dict[CheckKind, Any] = {
    CheckKind.EQUALS: 12,
    CheckKind.CLOSE: 0.25,
    CheckKind.RANGE: {"min": 1, "max": 2},
    CheckKind.SET: ["a", "b"],
    CheckKind.SEQUENCE: [1, 2, 3],
    CheckKind.MAPPING: {"a": 1, "b": 2},
    CheckKind.TABLE: {"columns": ["x", "y"], "rows": [[1, 2], [3, 4]]},
    CheckKind.ARRAY: [[1.0, 2.0], [3.0, 4.0]],
    CheckKind.CHART: [1.0, 2.0],
}
"""One typical expected value per comparing check kind."""

MISTAKES = (
    Mistake(MistakeKind.VALUE, "value", value=13),
    Mistake(MistakeKind.WRONG_TYPE, "type"),
    Mistake(MistakeKind.WRONG_SHAPE, "shape"),
    Mistake(MistakeKind.UNSORTED, "unsorted"),
)


def step(kind: CheckKind, expected: Any = None, *, mistakes: tuple[Mistake, ...] = (), **opts: Any) -> StepSpec:
    """A one-off step of ``kind`` (its typical expected value unless given)."""
    return StepSpec(
        id="s", title="The step", prompt="Do it.", skills=("python",), check=Check(kind, **opts),
        expected=EXPECTED[kind] if expected is None else expected, mistakes=mistakes, hints=(), solution="answer = 1",
    )


def function_step(*cases: Case, **opts: Any) -> StepSpec:
    """A callable step over ``cases`` (one call with 1, expecting 1, when none is given)."""
    return step(CheckKind.CALLABLE, cases or (Case((1,), 1),), **opts)


def raiser(exc: type[BaseException] = ValueError) -> Any:
    """A method that raises ``exc``."""

    def method(self: Any, *args: Any) -> Any:
        raise exc("hostile")

    return method


def hostile(*names: str, exc: type[BaseException] = ValueError) -> Any:
    """An object whose dunder methods ``names`` raise ``exc``."""
    return type("Hostile", (), {n: raiser(exc) for n in names})()


DUNDERS = ("__repr__", "__str__", "__len__", "__eq__", "__iter__", "__float__", "__index__", "__bool__", "__getitem__", "__lt__", "__hash__")


class Liar:
    """An object that claims to be a list (isinstance believes it) but is none."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105
        return list


class LiarFloat:
    """An object that claims to be a float."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105
        return float


class BadList(list):  # type: ignore[type-arg]
    """A list whose own length and iteration raise."""

    __len__ = raiser()
    __iter__ = raiser()


def recursive_list() -> list[Any]:
    """A list that contains itself."""
    a: list[Any] = [1, 2]
    a.append(a)
    return a


def recursive_dict() -> dict[str, Any]:
    """A dict that contains itself."""
    d: dict[str, Any] = {"a": 1}
    d["b"] = d
    return d


HOSTILE = [
    recursive_list(),
    recursive_dict(),
    [recursive_list()],
    *(hostile(n) for n in DUNDERS),
    hostile(*DUNDERS),
    hostile(*DUNDERS, exc=SystemExit),
    Liar(),
    LiarFloat(),
    BadList([1, 2]),
    10**5000,
    -(10**5000),
    [10**5000, 1],
    {"a": 10**5000, "b": 2},
    np.array([hostile("__eq__", "__repr__", "__float__")], dtype=object),
    float("inf"),
    float("nan"),
    "x" * 1_000_000,
]
"""Values that broke check() before (issue 18): recursive, raising dunders, lying classes, huge numbers."""


def _ids(values: list[Any]) -> list[str]:
    return [f"{i}-{type(v).__name__}" for i, v in enumerate(values)]


# -- the time limit -----------------------------------------------------------------------------


def forever(x: Any) -> Any:
    """A learner's infinite loop."""
    while True:
        pass


def test_an_infinite_loop_is_stopped_at_the_time_limit_with_a_message():
    """A real `while True: pass` is interrupted after the check's time limit and told as such."""
    start = time.monotonic()
    r = check(function_step(time_limit=0.2), forever)
    assert time.monotonic() - start < 3
    assert r.outcome is StepOutcome.INCORRECT
    assert "did not finish within 0.2 s" in r.message and "loop that never ends" in r.message and "(test 1)" in r.message
    assert "background" not in r.message


def test_the_time_limit_can_be_set_globally(monkeypatch):
    """checking.TIME_LIMIT applies to every check that sets no limit of its own."""
    monkeypatch.setattr(checking, "TIME_LIMIT", 0.15)
    r = check(function_step(), forever)
    assert r.outcome is StepOutcome.INCORRECT and "within 0.15 s" in r.message
    assert check(function_step(), lambda x: x).correct


def test_a_loop_that_catches_every_exception_is_still_stopped():
    """The time limit is a BaseException raised again every 50 ms, so `except Exception` in a loop cannot hold it."""

    def stubborn(x: Any) -> Any:
        while True:
            try:
                sum(range(1000))
            except Exception:
                pass

    start = time.monotonic()
    r = check(function_step(time_limit=0.2), stubborn)
    assert r.outcome is StepOutcome.INCORRECT and "did not finish" in r.message
    assert time.monotonic() - start < 3


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers only")
def test_the_previous_alarm_handler_and_timer_are_restored():
    """After a check, SIGALRM has its old handler back and an outer timer keeps running, less the time spent."""
    fired: list[int] = []

    def outer(signum: int, frame: Any) -> None:
        fired.append(signum)

    old = signal.signal(signal.SIGALRM, outer)
    try:
        signal.setitimer(signal.ITIMER_REAL, 100.0)
        assert check(function_step(time_limit=0.1), forever).outcome is StepOutcome.INCORRECT
        assert check(function_step(time_limit=5), lambda x: 1).correct
        assert signal.getsignal(signal.SIGALRM) is outer
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 95 < remaining <= 100
        assert fired == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_outside_the_main_thread_the_call_runs_in_a_thread_that_is_abandoned():
    """Away from the main thread (no signals) an overrunning call is abandoned, and the message says it still runs."""

    def slow(x: Any) -> Any:  # a busy loop that ends by itself, so the abandoned thread does not outlive the test run
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            pass
        return x

    results: list[CheckResult] = []
    worker = threading.Thread(target=lambda: results.extend([check(function_step(time_limit=0.1), slow), check(function_step(), lambda x: x)]))
    start = time.monotonic()
    worker.start()
    worker.join(10)
    late, fine = results
    assert late.outcome is StepOutcome.INCORRECT and "did not finish within 0.1 s" in late.message
    assert "could not be stopped and still runs in the background" in late.message
    assert fine.correct
    assert time.monotonic() - start < 3


def test_the_thread_fallback_hands_back_results_and_errors():
    """call_with_time_limit in a thread returns the value, or raises the function's own exception."""
    out: list[Any] = []

    def run() -> None:
        out.append(checking.call_with_time_limit(lambda a, b=0: a + b, [1], {"b": 2}, 5))
        try:
            checking.call_with_time_limit(lambda: 1 / 0, [], {}, 5)
        except ZeroDivisionError as exc:
            out.append(exc)

    t = threading.Thread(target=run)
    t.start()
    t.join(5)
    assert out[0] == 3 and isinstance(out[1], ZeroDivisionError)


# -- what a learner's function may do --------------------------------------------------------------


@pytest.mark.parametrize("code, shown", [(None, "exit()"), (3, "exit() with code 3")])
def test_exit_in_a_learners_function_is_an_incorrect_answer(code, shown):
    """SystemExit from the learner's function (exit(), sys.exit(3)) is INCORRECT, not the end of the kernel."""

    def quits(x: Any) -> Any:
        raise SystemExit(code)

    r = check(function_step(), quits)
    assert r.outcome is StepOutcome.INCORRECT and shown in r.message and "`return` the result" in r.message


def test_keyboard_interrupt_goes_through():
    """KeyboardInterrupt is the notebook's stop button: it stops the cell instead of recording a wrong answer."""

    def interrupted(x: Any) -> Any:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        check(function_step(), interrupted)


@pytest.mark.parametrize("value", HOSTILE, ids=_ids(HOSTILE))
def test_a_function_returning_a_hostile_value_is_incorrect(value):
    """Whatever a learner's function returns, the callable check gives a result."""
    r = check(function_step(Case((1,), 1), Case((2,), [1, 2])), lambda x: value)
    assert isinstance(r, CheckResult) and r.outcome is StepOutcome.INCORRECT and r.message


def test_an_exception_whose_str_raises_is_reported_by_its_type():
    """A learner's exception whose str() raises is named by its type."""

    class Odd(Exception):
        __str__ = raiser()

    def fails(x: Any) -> Any:
        raise Odd

    r = check(function_step(), fails)
    assert r.outcome is StepOutcome.INCORRECT and "raised Odd when called with (1)" in r.message


# -- learner values ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(EXPECTED), ids=lambda k: k.value)
@pytest.mark.parametrize("value", HOSTILE, ids=_ids(HOSTILE))
def test_hostile_values_are_incorrect_for_every_kind(kind, value):
    """Recursive, raising, lying or huge values are INCORRECT with a short message, for every check kind and its mistakes."""
    for s in (step(kind), step(kind, mistakes=tuple(m for m in MISTAKES if m.kind in CHECK_KINDS[kind].mistakes))):
        r = check(s, value)
        assert isinstance(r, CheckResult) and r.outcome is not StepOutcome.CORRECT
        assert isinstance(r.message, str) and 0 < len(r.message) < 600


@pytest.mark.parametrize("value", [recursive_list(), recursive_dict(), [recursive_list()]], ids=["list", "dict", "nested"])
def test_a_value_that_contains_itself_is_named(value):
    """A list or dict inside itself is told so, not compared."""
    r = check(step(CheckKind.SEQUENCE), value)
    assert r.outcome is StepOutcome.INCORRECT and "contains itself" in r.message


def test_the_same_list_twice_is_not_a_cycle():
    """A value holding the same list twice is compared as usual."""
    row = [1, 2]
    assert check(step(CheckKind.TABLE, {"rows": [[1, 2], [1, 2]]}), [row, row]).correct


def test_huge_integers_are_compared_and_shown_by_their_size():
    """10**5000 is a wrong number, shown by its number of digits, for equals, close and range."""
    for kind in (CheckKind.EQUALS, CheckKind.CLOSE):
        r = check(step(kind), 10**5000)
        assert r.outcome is StepOutcome.INCORRECT and "integer of about 5001 digits" in r.message and "too high" in r.message
    r = check(step(CheckKind.RANGE), -(10**5000))
    assert r.outcome is StepOutcome.INCORRECT and "-inf is outside the expected range" in r.message
    assert check(step(CheckKind.EQUALS, 10**5000), 10**5000).correct


@pytest.mark.parametrize("kind", list(EXPECTED), ids=lambda k: k.value)
def test_huge_arrays_are_refused_without_converting_them(kind):
    """A 10^8-element array (a view of one byte: no memory) is refused at once, for every kind."""
    big = np.broadcast_to(np.int8(0), (10**8,))
    start = time.monotonic()
    r = check(step(kind, mistakes=MISTAKES[:1]), big)
    assert time.monotonic() - start < 1
    assert r.outcome is StepOutcome.INCORRECT and "more than 1,000,000 values" in r.message


def test_huge_lists_and_nested_arrays_are_refused_and_a_function_returning_one_too():
    """Two million list items, or arrays inside a list, count; so does a function's result."""
    assert "more than 1,000,000 values" in check(step(CheckKind.SEQUENCE), [0] * 2_000_000).message
    nested = [np.broadcast_to(np.float64(0), (600_000,)), np.broadcast_to(np.float64(0), (600_000,))]
    assert "more than 1,000,000 values" in check(step(CheckKind.ARRAY), nested).message
    r = check(function_step(), lambda x: np.broadcast_to(np.int8(0), (10**8,)))
    assert r.outcome is StepOutcome.INCORRECT and "your function's result holds more than" in r.message and "test 1" in r.message


def test_raising_dunders_give_a_message_not_a_traceback():
    """An object whose dunders raise is INCORRECT, described by its type."""
    r = check(step(CheckKind.EQUALS), hostile(*DUNDERS))
    assert r.outcome is StepOutcome.INCORRECT and "Hostile" in r.message


def test_a_class_that_lies_about_its_class_is_incorrect():
    """An object whose __class__ claims list or float is INCORRECT for every kind."""
    for value in (Liar(), LiarFloat()):
        for kind in EXPECTED:
            assert check(step(kind), value).outcome is StepOutcome.INCORRECT


def test_a_broken_step_still_raises_rolecourses_own_error(monkeypatch):
    """RolecourseError (a broken step, never a learner's value) goes through check()."""
    from rolecourse.errors import UsageError

    def broken(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
        raise UsageError("the step is broken")

    monkeypatch.setattr(checking, "compare", broken)
    with pytest.raises(UsageError, match="broken"):
        check(step(CheckKind.EQUALS), 1)


# -- property-based: nothing but a result comes back ---------------------------------------------------


hostile_objects = st.builds(
    lambda names, exc: hostile(*names, exc=exc),
    st.lists(st.sampled_from(DUNDERS), max_size=4, unique=True),
    st.sampled_from([ValueError, TypeError, RecursionError, OverflowError, AttributeError, SystemExit, ZeroDivisionError]),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**4300, max_value=10**6000), st.floats(),
    st.text(max_size=50), st.binary(max_size=20), st.complex_numbers(), st.just(...),
    st.sampled_from([Liar(), LiarFloat(), BadList([1]), np.int64(3), np.float32(0.25), np.bool_(True), np.array(2.0)]),
    hostile_objects,
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.tuples(children, children),
        st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), children, max_size=4),
        st.lists(children, max_size=3).map(lambda xs: xs + [xs]),  # contains itself
        st.lists(st.floats(allow_nan=True), max_size=6).map(np.array),
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(list(EXPECTED)), value=values)
def test_check_only_ever_returns_a_result(kind, value):
    """For any value, hostile or recursive, check() returns a CheckResult (with and without typical mistakes)."""
    allowed = tuple(m for m in MISTAKES if m.kind in CHECK_KINDS[kind].mistakes)
    for s in (step(kind), step(kind, mistakes=allowed)):
        assert isinstance(check(s, value), CheckResult)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.from_type(type).flatmap(st.from_type), kind=st.sampled_from(list(EXPECTED)))
def test_check_returns_a_result_for_values_of_any_type(value, kind):
    """Values of any type hypothesis can build (st.from_type) give a CheckResult."""
    assert isinstance(check(step(kind), value), CheckResult)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(out=values, compare_kind=st.sampled_from([CheckKind.EQUALS, CheckKind.CLOSE, CheckKind.SEQUENCE, CheckKind.MAPPING]), pure=st.booleans())
def test_callable_checks_only_ever_return_a_result(out, compare_kind, pure):
    """A learner's function returning any value gives a CheckResult, pure or not."""
    s = step(CheckKind.CALLABLE, (Case(([1, 2],), EXPECTED[compare_kind]),), compare=Check(compare_kind), pure=pure, time_limit=5)
    assert isinstance(check(s, lambda xs: out), CheckResult)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(question=st.sampled_from(BANK.questions), answer=values)
def test_grade_only_ever_returns_feedback_or_its_own_error(question, answer):
    """For any answer grade() returns Feedback; only rolecourse's own UsageError (an answer of the wrong kind) may escape."""
    try:
        fb = grade(question, answer)
    except RolecourseError:
        return
    assert isinstance(fb, Feedback) and isinstance(fb.message, str)


# -- grading: numbers where options are expected, huge and NumPy numbers ---------------------------------------


@pytest.mark.parametrize("question", [SINGLE, MULTIPLE, TF], ids=lambda q: q.type.value)
@pytest.mark.parametrize("answer", [1.5, float("nan"), np.float64(0.5)], ids=["float", "nan", "numpy-float"])
def test_a_number_for_a_choice_question_is_incorrect_with_a_message(question, answer):
    """A number that is no option index is INCORRECT, saying what to give instead (no TypeError)."""
    fb = grade(question, answer)
    assert fb.status is AnswerStatus.INCORRECT and fb.score == 0.0 and "is not an option" in fb.message


def test_a_number_among_the_picks_of_a_multiple_choice_is_incorrect():
    """A float among the picks is INCORRECT too."""
    fb = grade(MULTIPLE, [0, 1.5])
    assert fb.status is AnswerStatus.INCORRECT and "1.5 is not an option" in fb.message


@pytest.mark.parametrize("answer", [10**5000, -(10**5000), 10**400], ids=["huge", "minus-huge", "400-digits"])
def test_huge_numeric_answers_are_incorrect(answer):
    """An integer too big for a float is a wrong answer, not an OverflowError."""
    fb = grade(NUMERIC, answer)
    assert fb.status is AnswerStatus.INCORRECT and "far too big" in fb.message


def test_a_huge_index_is_a_usage_error_with_a_short_message():
    """A huge option index is a UsageError naming its size, not a ValueError from printing it."""
    from rolecourse.errors import UsageError

    with pytest.raises(UsageError, match="integer of about 5001 digits"):
        grade(SINGLE, 10**5000)


def test_numpy_numbers_are_numbers():
    """NumPy integers and floats are accepted wherever a number or an option index is."""
    assert grade(NUMERIC, np.int64(15)).correct and grade(NUMERIC, np.float32(15.0)).correct
    assert grade(SINGLE, np.int64(0)).correct
    assert grade(MULTIPLE, [np.int64(0), np.int32(1)]).correct and grade(MULTIPLE, np.array([0, 1])).correct
    assert grade(TF, np.int64(1)).correct and grade(TF, np.bool_(False)).correct


def test_a_value_that_cannot_be_read_is_incorrect():
    """An answer whose __iter__ or __len__ raises is INCORRECT, saying it could not be read."""
    fb = grade(MULTIPLE, BadList([0]))
    assert fb.status is AnswerStatus.INCORRECT and "could not be read" in fb.message


# -- a learner's value whose special methods never return (#18: bounded like a learner's function) --


class _Forever(Exception):
    """Never raised: the loops below only end when the time limit interrupts them."""


def _loop() -> None:
    deadline = time.monotonic() + 60  # a test that failed to bound it still ends
    while time.monotonic() < deadline:
        pass
    raise _Forever


class EqForever(int):
    def __eq__(self, other: object) -> bool:
        _loop()
        return True

    __hash__ = int.__hash__


class ReprForever(int):
    def __repr__(self) -> str:
        _loop()
        return "13"


class HashForever(str):
    def __hash__(self) -> int:
        _loop()
        return 0


class LenForever(list):
    def __len__(self) -> int:
        _loop()
        return 0


class IterForever(list):
    def __iter__(self) -> Any:
        _loop()
        return iter(())


class BoolForever:
    def __bool__(self) -> bool:
        _loop()
        return True


class EqGivesBoolForever(int):
    def __eq__(self, other: object) -> Any:
        return BoolForever()

    __hash__ = int.__hash__


LOOPING_VALUES = {
    "__eq__": (CheckKind.EQUALS, lambda: EqForever(12)),
    "__repr__": (CheckKind.EQUALS, lambda: ReprForever(13)),
    "__hash__": (CheckKind.SET, lambda: [HashForever("a"), HashForever("b")]),
    "__len__": (CheckKind.ARRAY, lambda: LenForever([[1.0, 2.0], [3.0, 4.0]])),
    "__iter__": (CheckKind.SEQUENCE, lambda: IterForever([1, 2, 3])),
    "__bool__": (CheckKind.EQUALS, lambda: EqGivesBoolForever(12)),
}
"""Per special method: a check kind that uses it, and a learner value whose method never returns."""


@pytest.mark.parametrize("dunder", sorted(LOOPING_VALUES))
def test_a_value_whose_special_method_never_returns_is_stopped_at_the_time_limit(dunder, monkeypatch):
    """Comparing or printing a learner's value is bounded by the check's time limit; the message names the method."""
    monkeypatch.setattr(checking, "TIME_LIMIT", 0.3)
    kind, make = LOOPING_VALUES[dunder]
    started = time.monotonic()
    r = check(step(kind), make())
    assert time.monotonic() - started < 5
    assert r.outcome is StepOutcome.INCORRECT
    assert "your answer took longer than 0.3 s to check" in r.message
    assert f"its `{dunder}` did not return" in r.message


@pytest.mark.parametrize("dunder", sorted(LOOPING_VALUES))
def test_a_function_result_whose_special_method_never_returns_is_stopped(dunder):
    """A callable step's result is looked at under the same limit as the call itself."""
    kind, make = LOOPING_VALUES[dunder]
    expected = EXPECTED[kind] if kind is not CheckKind.EQUALS else 12
    started = time.monotonic()
    r = check(function_step(Case((1,), expected), time_limit=0.3, compare=Check(kind)), lambda x: make())
    assert time.monotonic() - started < 5
    assert r.outcome is StepOutcome.INCORRECT
    assert "your function's result took longer than 0.3 s to check" in r.message
    assert f"`{dunder}`" in r.message


def test_a_looping_value_in_a_thread_is_abandoned_with_a_message(monkeypatch):
    """Outside the main thread the comparison runs in a thread abandoned at the limit; the message says it still runs."""
    monkeypatch.setattr(checking, "TIME_LIMIT", 0.2)
    results: list[CheckResult] = []
    worker = threading.Thread(target=lambda: results.append(check(step(CheckKind.EQUALS), EqForever(12))))
    worker.start()
    worker.join(10)
    [r] = results
    assert r.outcome is StepOutcome.INCORRECT and "took longer than 0.2 s" in r.message and "still runs in the background" in r.message


def test_bounding_the_comparison_keeps_plain_checks_right_and_restores_the_alarm():
    """A plain value is still checked as before, and the alarm handler and timer (pytest-timeout's) are given back."""
    before = signal.getsignal(signal.SIGALRM)
    delay, interval = signal.getitimer(signal.ITIMER_REAL)
    assert check(step(CheckKind.EQUALS), 12).correct
    assert check(step(CheckKind.ARRAY), [[1.0, 2.0], [3.0, 4.0]]).correct
    assert not check(step(CheckKind.EQUALS), 13).correct
    assert signal.getsignal(signal.SIGALRM) == before
    after = signal.getitimer(signal.ITIMER_REAL)
    assert after[1] == interval and (after[0] <= delay if delay else after[0] == 0.0)


class StrReprForever(str):
    def __repr__(self) -> str:
        _loop()
        return "a"


class IntHashForever(int):
    def __hash__(self) -> int:
        _loop()
        return 0


GRADED_LOOPS = {
    "__len__": ("multiple", lambda: LenForever(["a"])),
    "__iter__": ("multiple", lambda: IterForever(["a"])),
    "__repr__": ("single", lambda: StrReprForever("not an option")),
    "__hash__": ("multiple", lambda: IntHashForever(1)),
}
"""Per special method: a question type whose grading uses it, and an answer whose method never returns."""


@pytest.mark.parametrize("dunder", sorted(GRADED_LOOPS))
def test_grade_stops_an_answer_whose_special_method_never_returns(dunder, monkeypatch):
    """grade() reads a learner's answer under a time limit too: INCORRECT, naming the method, within the limit."""
    from rolecourse.assessment import grading
    from rolecourse.assessment.questions import load_quiz

    monkeypatch.setattr(grading, "TIME_LIMIT", 0.3)
    qtype, make = GRADED_LOOPS[dunder]
    question = next(q for q in load_quiz("data-analyst").questions if q.type.value == qtype)
    started = time.monotonic()
    fb = grade(question, make())
    assert time.monotonic() - started < 5
    assert fb.status is AnswerStatus.INCORRECT and "took longer than 0.3 s to read" in fb.message and f"`{dunder}`" in fb.message
