"""Checking exercise answers: pure functions over declarative steps.

In the spirit of Kaggle's learntools ``Problem``: a :class:`StepSpec` declares, as data, what
its answer must be (a :class:`~rolecourse.assessment.checks.Check` and an ``expected`` value),
the typical wrong answers (:class:`~rolecourse.assessment.checks.Mistake`, each with its own
message), the hints and the solution. :func:`check`
decides the :class:`StepOutcome` of one answer and never shows anything; rendering is left to
the small ``_repr_markdown_`` methods here (plain strings) and to
:mod:`rolecourse.ui.widgets.exercise`.

A ``callable`` check calls the learner's function on fresh copies of each case's arguments,
so by default a function may change its arguments (an in-place ReLU passes). With
``pure: true`` (for a prompt that asks for a **new** value) a call that changed an argument
fails, naming the argument and what changed in it. With ``no_loops: true`` (for a prompt
that asks for vectorised code) a function whose source has a ``for`` or ``while`` loop or a
comprehension fails, naming the line; comprehensions count, as they run Python code for each
item. The source is read with :func:`inspect.getsource` (functions defined in notebook cells
included); when it is unavailable, that part of the check is skipped. Helpers the function
calls, ``map`` and ``np.vectorize`` are not inspected.

Learner code runs under a time limit: each call of a learner's function may take
:data:`TIME_LIMIT` seconds (or the check's ``time_limit``). In the main thread on POSIX a
``SIGALRM`` timer (:func:`signal.setitimer`) interrupts the call, and the previous handler and
timer are restored afterwards; elsewhere (another thread, Windows) the call runs in a daemon
thread that is abandoned when it overruns, since a Python thread cannot be stopped (the message
says so). Either way the check returns INCORRECT saying the function did not finish in time.
Looking at a learner's value (comparing it, printing it, taking its length) is bounded the same
way: a value whose ``__eq__``, ``__repr__``, ``__hash__``, ``__len__``, ``__iter__`` or
``__bool__`` never returns gives INCORRECT, "took longer than N s to check", naming the method.

:func:`check` never raises for a learner's value: values that contain themselves, are far
too big to compare (more than :data:`MAX_ITEMS` items; nothing is converted whole), or whose
``__repr__``, ``__len__``, ``__eq__``, ``__iter__`` or ``__float__`` raise give an INCORRECT
result with a message, and so does a function that calls ``exit()`` (``SystemExit``). Only
``KeyboardInterrupt`` goes through: it is the notebook's stop button, and a learner who
interrupts a slow check wants the cell to stop, not a wrong answer recorded.

The learner passes the value (or the function) explicitly: nothing here looks into the
caller's variables. ``None`` and ``...`` mean "not attempted". How each kind of check
compares an answer and recognises its typical mistakes is :mod:`rolecourse.assessment.checks`
(one registry entry per kind).
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from ..errors import RolecourseError
from .checks import MAX_ITEMS, Overrun, call_with_time_limit, running_dunder, unfit
from .checks import Case, Check, CheckKind, CursorRows, Mistake, MistakeKind, compare, cut_text, is_nan, matches_mistake, short_text, type_module

__all__ = [
    "MAX_ITEMS",
    "TIME_LIMIT",
    "CheckResult",
    "Hint",
    "StepOutcome",
    "ProgressRecorder",
    "Solution",
    "StepSpec",
    "check",
]


class StepOutcome(Enum):
    """The three outcomes of checking an answer."""

    NOT_ATTEMPTED = "not-attempted"
    INCORRECT = "incorrect"
    CORRECT = "correct"


@dataclass(frozen=True, slots=True)
class Hint:
    """One hint of a step, to show the learner."""

    step: str
    """The step's id."""
    number: int
    """1-based position among the step's hints."""
    total: int
    """How many hints the step has."""
    text: str
    """The hint, in Markdown."""
    repeated: bool = False
    """True when the learner asked again after the last hint (the last one is shown again)."""

    @property
    def note(self) -> str:
        """What follows a repeated last hint: there are no more, and where to go next."""
        return " (No more hints: this was the last one. `.solution()` shows a solution.)" if self.repeated else ""

    def __str__(self) -> str:
        return f"Hint {self.number}/{self.total}: {self.text}{self.note}"

    def _repr_markdown_(self) -> str:
        return f"**Hint {self.number}/{self.total}:** {self.text}{self.note}"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))


@dataclass(frozen=True, slots=True)
class Solution:
    """A step's reference solution, to show the learner."""

    step: str
    """The step's id."""
    code: str
    """Python code that produces the answer."""

    def __str__(self) -> str:
        return f"Solution:\n{self.code}"

    def _repr_markdown_(self) -> str:
        return f"**Solution:**\n\n```python\n{self.code}\n```"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One step of an exercise, entirely as data."""

    id: str
    """Stable id, unique in the exercise (``revenue-by-region``)."""
    title: str
    """Short title."""
    prompt: str
    """What to do, in Markdown."""
    skills: tuple[str, ...]
    """Ids of the skills the step practises."""
    check: Check
    """How the answer is compared."""
    expected: Any
    """The expected answer as plain data (for ``callable``: a tuple of :class:`Case`)."""
    mistakes: tuple[Mistake, ...]
    """Typical wrong answers, tried in order."""
    hints: tuple[str, ...]
    """Hints in Markdown, revealed one at a time."""
    solution: str
    """Reference solution (Python code)."""
    answer: str = "answer"
    """The variable the notebook asks the learner to fill in."""
    starter: str = ""
    """The learner's starting code for the answer cell (empty: ``<answer> = ...``)."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of checking one answer, with the message to show."""

    outcome: StepOutcome
    """Not attempted, incorrect or correct."""
    message: str
    """What to tell the learner (specific for a recognised mistake)."""
    step: str
    """The step's id."""
    mistake: MistakeKind | None = field(default=None)
    """The recognised typical mistake, if any."""

    @property
    def correct(self) -> bool:
        """Whether the answer is correct."""
        return self.outcome is StepOutcome.CORRECT

    def __str__(self) -> str:
        return f"{_LABEL[self.outcome]}: {self.message}"

    def _repr_markdown_(self) -> str:
        return f"{_ICON[self.outcome]} **{_LABEL[self.outcome]}** ({self.step}): {self.message}"

    def _repr_html_(self) -> str:
        colour = _COLOUR[self.outcome]
        return (
            f'<div class="rolecourse-check rolecourse-{self.outcome.value}" '
            f'style="border-left: 4px solid {colour}; padding: 0.3em 0.8em;">'
            f"<strong>{_LABEL[self.outcome]}</strong> ({html.escape(self.step)}): {code_html(self.message)}</div>"
        )

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))


_CODE = re.compile(r"`([^`\n]+)`")


def code_html(message: str) -> str:
    """A check message as HTML: escaped, and each `name` in backticks shown as code (not as literal backticks)."""
    return _CODE.sub(r"<code>\1</code>", html.escape(message))


_LABEL = {StepOutcome.NOT_ATTEMPTED: "Not attempted", StepOutcome.INCORRECT: "Incorrect", StepOutcome.CORRECT: "Correct"}
_ICON = {StepOutcome.NOT_ATTEMPTED: "⬜", StepOutcome.INCORRECT: "❌", StepOutcome.CORRECT: "✅"}
_COLOUR = {StepOutcome.NOT_ATTEMPTED: "#999999", StepOutcome.INCORRECT: "#D55E00", StepOutcome.CORRECT: "#009E73"}


class ProgressRecorder(Protocol):
    """Anything that records check results (``rolecourse.progress.store.ProgressStore`` does)."""

    def record_exercise(self, learner: str, *, exercise: str, step: str, outcome: str, message: str) -> object:
        """Record one checked answer of ``learner``."""
        ...


TIME_LIMIT: float = 10.0
"""Seconds one call of a learner's function may take, unless its check sets ``time_limit``; may be changed globally."""


# -- the pure check ------------------------------------------------------------------------


def check(step: StepSpec, value: Any) -> CheckResult:
    """Decide the outcome of ``value`` as the answer to ``step``; never raises for a learner's value.

    Only :class:`~rolecourse.errors.RolecourseError` (a broken step, never a learner's value)
    and ``KeyboardInterrupt`` (the learner stopping the cell) escape.
    """
    limit = _limit(step)
    try:
        if step.check.kind is CheckKind.CALLABLE:  # each call, and each look at what it returned, is bounded on its own
            return _check(step, value)
        return call_with_time_limit(_check, [step, value], {}, limit)
    except Overrun as over:  # a learner's value whose __eq__, __repr__, __len__... never returns
        return CheckResult(StepOutcome.INCORRECT, _slow_value_text(over, limit, step), step.id)
    except RolecourseError:
        raise
    except RecursionError:
        return CheckResult(StepOutcome.INCORRECT, "your answer is nested too deeply to be checked (does it contain itself?)", step.id)
    except (Exception, SystemExit) as exc:  # a learner's value misbehaved inside the comparison
        return CheckResult(
            StepOutcome.INCORRECT,
            f"your answer could not be checked: reading it raised {_error_text(exc)}; give a plain value (a number, string, list, dict, array or DataFrame)",
            step.id,
        )


def _check(step: StepSpec, value: Any) -> CheckResult:
    if value is None or value is Ellipsis:
        return CheckResult(StepOutcome.NOT_ATTEMPTED, f"set `{step.answer}` to your answer and run this cell again", step.id)
    if step.check.kind is CheckKind.CALLABLE:
        return _check_callable(step, value)
    if why := unfit(value):
        return CheckResult(StepOutcome.INCORRECT, why, step.id)
    if hasattr(value, "fetchall") and hasattr(value, "description"):  # read a DB-API cursor once
        cols = [d[0] for d in value.description or ()]
        rows = value.fetchall() if cols else []
        # a table keeps the column names; anything else sees the rows, as fetchall() gives them
        value = [dict(zip(cols, row)) for row in rows] if step.check.kind is CheckKind.TABLE else CursorRows(tuple(r) for r in rows)
    ok, why = compare(step.check, value, step.expected)
    if ok:
        return CheckResult(StepOutcome.CORRECT, _praise(step), step.id)
    for m in step.mistakes:
        if matches_mistake(step.check, m, value, step.expected):
            return CheckResult(StepOutcome.INCORRECT, m.message, step.id, m.kind)
    return CheckResult(StepOutcome.INCORRECT, why, step.id)


def _limit(step: StepSpec) -> float:
    return step.check.time_limit if step.check.time_limit is not None else TIME_LIMIT


def _slow_value_text(over: Overrun, limit: float, step: StepSpec) -> str:
    """What to say when looking at a learner's value (comparing, printing it) took longer than ``limit``."""
    who = "your function's result" if step.check.kind is CheckKind.CALLABLE else "your answer"
    dunder = running_dunder(over)
    text = f"{who} took longer than {limit:g} s to check" + (f": its `{dunder}` did not return" if dunder else "")
    text += "; does one of its methods loop forever? Give a plain value (a number, string, list, dict, array or DataFrame)"
    if over.abandoned:
        text += ". It could not be stopped and still runs in the background: restart the kernel if the notebook slows down"
    return text


def _exit_code(exc: SystemExit) -> str:
    """`` with code 3`` for ``exit(3)``; '' for a plain ``exit()``."""
    code = exc.code
    return "" if code is None else f" with code {short_text(code, 40)}"


def _overrun_text(over: Overrun, limit: float, case: Case, i: int) -> str:
    text = (
        f"your function did not finish within {limit:g} s when called with {_call_text(case)} (test {i}): "
        "is there a loop that never ends, e.g. a `while` whose condition never becomes false?"
    )
    if over.abandoned:
        text += " It could not be stopped and still runs in the background: restart the kernel if the notebook slows down."
    return text


def _praise(step: StepSpec) -> str:
    return f"{step.title}: that is right"


def _check_callable(step: StepSpec, fn: Any) -> CheckResult:
    if not callable(fn):
        return CheckResult(StepOutcome.INCORRECT, f"expected a function (define it with `def`), found {short_text(fn)}", step.id)
    if step.check.no_loops and (why := _first_loop(fn)):
        return CheckResult(StepOutcome.INCORRECT, why, step.id)
    inner = step.check.compare or Check(CheckKind.EQUALS)
    outputs: list[Any] = []
    limit = _limit(step)
    for i, case in enumerate(step.expected, start=1):
        args, kwargs = _inputs(step.check, case)
        try:
            out = call_with_time_limit(fn, args, kwargs, limit)
        except Overrun as over:
            return CheckResult(StepOutcome.INCORRECT, _overrun_text(over, limit, case, i), step.id)
        except SystemExit as exc:  # exit() or sys.exit() in the learner's function: not a way to return
            return CheckResult(
                StepOutcome.INCORRECT,
                f"your function called exit(){_exit_code(exc)} when called with {_call_text(case)} (test {i}): "
                "`return` the result instead",
                step.id,
            )
        except Exception as exc:  # the learner's code: report, never propagate
            return CheckResult(
                StepOutcome.INCORRECT,
                f"your function raised {_error_text(exc)} when called with {_call_text(case)} (test {i})",
                step.id,
            )
        if why := call_with_time_limit(unfit, [out, "your function's result"], {}, limit):
            return CheckResult(StepOutcome.INCORRECT, f"test {i}: called with {_call_text(case)}, {why}", step.id)
        outputs.append(out)
        if step.check.pure and (why := call_with_time_limit(_mutation, [fn, step.check, case, args, kwargs], {}, limit)):
            return CheckResult(StepOutcome.INCORRECT, why, step.id)
    return call_with_time_limit(_judge, [step, inner, outputs], {}, limit)


def _judge(step: StepSpec, inner: Check, outputs: list[Any]) -> CheckResult:
    """The outcome of a callable step from its outputs, one per case (compared, then typical mistakes tried)."""
    if all(o is None for o in outputs):
        return CheckResult(StepOutcome.NOT_ATTEMPTED, "your function returns None; write its body and `return` the result", step.id)
    failures = []
    for i, (case, out) in enumerate(zip(step.expected, outputs), start=1):
        ok, why = compare(inner, out, case.output)
        if not ok:
            failures.append((i, case, out, why))
    if not failures:
        return CheckResult(StepOutcome.CORRECT, _praise(step) + f" (all {len(outputs)} tests pass)", step.id)
    for m in step.mistakes:
        if m.kind is MistakeKind.VALUE:
            if isinstance(m.value, (list, tuple)) and len(m.value) == len(outputs) and all(
                compare(inner, o, w)[0] for o, w in zip(outputs, m.value)
            ):
                return CheckResult(StepOutcome.INCORRECT, m.message, step.id, m.kind)
        elif all(out is not None and matches_mistake(inner, m, out, case.output) for _, case, out, _ in failures):
            return CheckResult(StepOutcome.INCORRECT, m.message, step.id, m.kind)
    i, case, out, why = failures[0]
    if out is None:
        why = "your function returned None: does every path through it end with `return ...`?"
    return CheckResult(
        StepOutcome.INCORRECT,
        f"test {i} of {len(outputs)} fails: called with {_call_text(case)}, {why}",
        step.id,
    )


def _inputs(chk: Check, case: Case) -> tuple[list[Any], dict[str, Any]]:
    args = copy.deepcopy(list(case.args))
    kwargs = copy.deepcopy(dict(case.kwargs))
    if chk.inputs == "array":
        import numpy as np

        args = [np.asarray(a, dtype=float) if isinstance(a, list) else a for a in args]
        kwargs = {k: np.asarray(v, dtype=float) if isinstance(v, list) else v for k, v in kwargs.items()}
    return args, kwargs


_LOOPS = {
    "For": "a for loop",
    "AsyncFor": "an async for loop",
    "While": "a while loop",
    "ListComp": "a list comprehension",
    "SetComp": "a set comprehension",
    "DictComp": "a dict comprehension",
    "GeneratorExp": "a generator expression",
}
"""The Python loops ``no_loops`` refuses: statements and comprehensions (each runs Python code per item)."""


def _first_loop(fn: Any) -> str:
    """If ``fn``'s source has a Python loop: what to tell the learner (its line in the function); else ''.

    The source comes from :func:`inspect.getsource` (which also finds functions defined in
    IPython cells); when it is unavailable or does not parse on its own (a builtin, a callable
    object, code run with ``exec``), the check is skipped, not failed.
    """
    import ast
    import inspect
    import textwrap

    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, ValueError):
        return ""
    name = getattr(fn, "__name__", "")
    want = (ast.Lambda,) if name == "<lambda>" else (ast.FunctionDef, ast.AsyncFunctionDef)
    func = next((n for n in ast.walk(tree) if isinstance(n, want) and (name == "<lambda>" or n.name == name)), None)
    if func is None:
        return ""
    body = func.body if isinstance(func.body, list) else [func.body]
    loops = [n for part in body for n in ast.walk(part) if type(n).__name__ in _LOOPS]
    if not loops:
        return ""
    first = min(loops, key=lambda n: (n.lineno, n.col_offset))
    line = source.splitlines()[first.lineno - 1].strip()
    return (
        f"line {first.lineno} of your function has {_LOOPS[type(first).__name__]}: `{cut_text(line, 60)}`; "
        "this step asks for no Python loop: use NumPy operations on whole arrays "
        "(slicing, broadcasting, sliding_window_view, einsum) instead"
    )


def _mutation(fn: Any, chk: Check, case: Case, args: list[Any], kwargs: dict[str, Any]) -> str:
    """If the call changed one of its arguments: what to tell the learner (which one, what changed); else ''."""
    fresh_args, fresh_kwargs = _inputs(chk, case)
    changed = [(i, None, a, b) for i, (a, b) in enumerate(zip(fresh_args, args))] + [
        (None, k, fresh_kwargs[k], kwargs[k]) for k in sorted(fresh_kwargs)
    ]
    for i, key, before, after in changed:
        what = _change(before, after)
        if what is None:
            continue
        name = key if key is not None else _param_name(fn, i)
        detail = f" ({what})" if what else ""
        return cut_text(f"your function changed its argument {name}{detail}; {_copy_advice(before, name)}", 300)
    return ""


def _param_name(fn: Any, index: int) -> str:
    """The name of ``fn``'s positional parameter ``index``, or ``#n`` when it has none."""
    import inspect

    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    if index < len(params) and params[index].kind in (params[index].POSITIONAL_ONLY, params[index].POSITIONAL_OR_KEYWORD):
        return params[index].name
    return f"#{index + 1}"


def _copy_advice(before: Any, name: str) -> str:
    if isinstance(before, dict):
        return f"build and return a new dict instead, e.g. with dict({name}) or {{**{name}}}"
    if isinstance(before, list):
        return f"build and return a new list instead, e.g. start from list({name}) or {name}.copy()"
    if type_module(before) == "numpy":
        return f"work on a copy instead, e.g. {name}.copy(), or use NumPy expressions that return a new array"
    return "leave it as it is and return a new value instead"


def _same(a: Any, b: Any) -> bool:
    """Whether a call left an argument as it was (same types, same values; NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if type_module(a) == "numpy" and hasattr(a, "shape"):
        import numpy as np

        try:
            return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        except (TypeError, ValueError):
            return bool(np.array_equal(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if is_nan(a) and is_nan(b):
        return True
    try:
        return bool(a == b)
    except Exception:  # an object whose == misbehaves: count it as changed only if it is not the same object
        return a is b


def _change(before: Any, after: Any) -> str | None:
    """None if the argument is unchanged; else a short phrase saying what changed ('' when nothing more precise)."""
    if _same(before, after):
        return None
    if isinstance(before, dict) and isinstance(after, dict):
        for k in before:
            if k not in after:
                return f"it removed {k!r}"
            if not _same(before[k], after[k]):
                return f"it set {k!r} to {short_text(after[k], 40)}"
        return f"it added {next(k for k in after if k not in before)!r}"
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return f"its length went from {len(before)} to {len(after)}"
        i = next(i for i, (x, y) in enumerate(zip(before, after)) if not _same(x, y))
        return f"it set item [{i}] to {short_text(after[i], 40)}"
    if type_module(before) == "numpy" and type_module(after) == "numpy" and hasattr(before, "shape") and hasattr(after, "shape"):
        import numpy as np

        if before.shape != after.shape:
            return f"its shape went from {tuple(before.shape)} to {tuple(after.shape)}"
        if before.dtype != after.dtype:
            return f"its dtype went from {before.dtype} to {after.dtype}"
        try:
            equal = before == after
            if before.dtype.kind in "fc":
                equal = equal | (np.isnan(before) & np.isnan(after))
            diff = np.argwhere(~np.asarray(equal, dtype=bool))
        except (TypeError, ValueError):
            return ""
        if diff.size == 0:
            return ""
        where = ", ".join(str(int(j)) for j in diff[0])
        return f"it set [{where}] to {short_text(after[tuple(diff[0])], 40)}" + (f" and {len(diff) - 1} more" if len(diff) > 1 else "")
    return ""


def _call_text(case: Case, limit: int = 160) -> str:
    parts = [short_text(a) for a in case.args] + [f"{k}={short_text(v)}" for k, v in case.kwargs]
    return cut_text(f"({', '.join(parts)})", limit)


def _error_text(exc: BaseException, limit: int = 200) -> str:
    """The learner's exception as ``Type: message``, its message cut to ``limit`` characters (never raises)."""
    try:
        text = cut_text(" ".join(str(exc).split()), limit)
    except Exception:  # an exception whose str() raises
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


