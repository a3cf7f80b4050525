"""Helpers shared by the exercise and lesson tests: run a solution as a notebook cell, build a typical mistake."""

from __future__ import annotations

from typing import Any

from rolecourse.assessment.checking import StepSpec
from rolecourse.assessment.checks import CheckKind, Mistake, MistakeKind


def run_cell(code: str, name: str, ns: dict[str, Any]) -> None:
    """Run ``code`` in ``ns`` the way IPython runs a cell: its source stays readable by ``inspect.getsource``."""
    import linecache

    filename = f"<cell {name}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    exec(compile(code, filename, "exec", dont_inherit=True), ns)


def wrong_answer(step: StepSpec, m: Mistake) -> Any:
    """Build an answer that makes exactly the typical mistake ``m``."""
    chk = step.check
    if chk.kind is CheckKind.CALLABLE:
        inner = chk.compare or chk
        if m.kind is MistakeKind.VALUE:
            outputs = list(m.value)
        else:
            outputs = [wrong_value(inner, m, c.output) for c in step.expected]
        calls = iter(outputs)
        return lambda *args, **kwargs: next(calls)
    if m.kind is MistakeKind.VALUE:
        return m.value["rows"] if chk.kind is CheckKind.TABLE else m.value
    return wrong_value(chk, m, step.expected)


def scale(v: Any, f: float) -> Any:
    if isinstance(v, list):
        return [scale(x, f) for x in v]
    if isinstance(v, dict):
        return {k: scale(x, f) for k, x in v.items()}
    return v * f if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def wrong_value(chk: Any, m: Mistake, expected: Any) -> Any:
    import numpy as np

    kind = m.kind
    if chk.kind is CheckKind.CHART:
        import matplotlib.pyplot as plt

        values = list(expected)
        if kind is MistakeKind.OFF_BY_FACTOR:
            values = scale(values, m.factor)
        elif kind is MistakeKind.UNSORTED:
            values = values[::-1]
        elif kind is MistakeKind.WRONG_SHAPE:
            values = values[:-1]
        _, ax = plt.subplots()
        ax.bar(range(len(values)), values)
        if kind is not MistakeKind.MISSING_TITLE:
            ax.set_title("title")
        if kind is not MistakeKind.MISSING_LABELS:
            ax.set_xlabel("x")
            ax.set_ylabel("y")
        return ax
    if chk.kind is CheckKind.TABLE:
        rows = expected["rows"]
        if kind is MistakeKind.UNSORTED:
            return rows[::-1]
        if kind is MistakeKind.WRONG_SHAPE:
            return rows[:-1]
        if kind is MistakeKind.OFF_BY_FACTOR:
            return scale(rows, m.factor)
    if kind is MistakeKind.OFF_BY_FACTOR:
        return scale({"min": expected["min"], "max": expected["max"]}, m.factor)["min"] if chk.kind is CheckKind.RANGE else scale(expected, m.factor)
    if kind is MistakeKind.OFF_BY_ONE:
        return expected + 1
    if kind is MistakeKind.BETWEEN:
        return (m.low + m.high) / 2
    if kind is MistakeKind.WRONG_TYPE:
        return "a string"
    if kind is MistakeKind.UNSORTED:
        return list(expected)[::-1]
    if kind is MistakeKind.WRONG_SHAPE:
        if chk.kind is CheckKind.ARRAY:
            return np.asarray(expected)[..., :-1]
        return list(expected)[:-1] if isinstance(expected, list) else [expected, expected]
    if kind is MistakeKind.MISSING_ITEMS:
        if isinstance(expected, dict):
            return dict(list(expected.items())[:-1])
        return list(expected)[:-1]
    if kind is MistakeKind.EXTRA_ITEMS:
        if isinstance(expected, dict):
            return {**expected, "unexpected-extra": 0}
        return list(expected) + ["unexpected-extra"]
    if kind is MistakeKind.TRANSPOSED:
        return np.asarray(expected).T
    raise LookupError(f"no wrong answer builder for {kind}")
