"""Reading a learner's answer in every form it may be written: numbers, percents, method names.

Pure text handling, no grading verdicts (those are :mod:`.grading`'s): a number with its
unit before or after, a decimal comma, a Unicode minus, a percent or a fraction
(:func:`number_readings`, :func:`accepted_values`); a function or method named with any
object and arguments (:func:`code_path`, :func:`accepted_paths`). The exports list the same
accepted values, so an LMS grades as the notebook does.
"""

from __future__ import annotations

import ast
import math
import re

from .questions import Question

_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?\Z")
_FRACTION = re.compile(r"([+-]?\d+(?:\.\d*)?)/(\d+(?:\.\d*)?)\Z")
_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\ufe63": "-", "\uff0d": "-", "\uff0b": "+"})
_MAX_NUMBER_TEXT = 200
"""Longer text is no number a learner typed: it is not read (``float`` of a 10^6-digit string is slow)."""


def number_readings(text: str, unit: str = "") -> tuple[float, ...]:
    """Every value a learner's number text can mean, the most likely first; ``()`` if none.

    The question's ``unit`` may come before (``€1``) or after (``15 weeks``) the number. A
    Unicode minus or dash reads as ``-``. Spaces and ``_`` inside the number are ignored. A
    simple fraction reads as its value (``1/6``). A trailing ``%`` on a question whose unit
    is not ``%`` reads as a fraction (``97%`` → 0.97). Commas: ``1,5`` and ``0,925`` read as
    decimals; ``1,000`` and ``12,345.6`` as thousands, and ``1,500`` also as 1.5 (both
    are a way to write a number, so both readings are tried).
    """
    s = text.strip()[:_MAX_NUMBER_TEXT + 1]
    if len(s) > _MAX_NUMBER_TEXT:
        return ()
    s = s.translate(_MINUS)
    if unit:
        folded, u = s.casefold(), unit.casefold()
        if folded.endswith(u):
            s = s[: len(s) - len(unit)].strip()
        elif folded.startswith(u):
            s = s[len(unit):].strip()
        elif folded.startswith("-" + u):  # -€5
            s = "-" + s[1 + len(unit):].strip()
    scale = 1.0
    if unit != "%" and s.endswith("%"):
        s, scale = s[:-1].strip(), 0.01
    s = s.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("_", "")
    fraction = _FRACTION.match(s)
    if fraction:
        numerator, denominator = float(fraction[1]), float(fraction[2])
        return (numerator / denominator * scale,) if denominator else ()
    texts: list[str] = []
    if _THOUSANDS.match(s):
        texts.append(s.replace(",", ""))
        if s.count(",") == 1 and "." not in s:
            texts.append(s.replace(",", "."))
    elif s.count(",") == 1 and "." not in s:
        texts.append(s.replace(",", "."))
    else:
        texts.append(s)
    values: list[float] = []
    for t in texts:
        try:
            value = float(t) * scale
        except ValueError:
            continue
        if math.isfinite(value) and value not in values:
            values.append(value)
    return tuple(values)


def parse_number(text: str, unit: str = "") -> float | None:
    """The most likely value of a learner's number text (:func:`number_readings`); ``None`` if there is none."""
    readings = number_readings(text, unit)
    return readings[0] if readings else None


def accepted_values(question: Question) -> tuple[tuple[float, float], ...]:
    """The ``(value, tolerance)`` pairs a numeric question accepts: its answer, and for a percent its fraction.

    A question in ``%`` accepts the same quantity written as a fraction (25 % or 0.25), with
    the tolerance scaled alike. The exports (GIFT, QTI, jupyterquiz) list the same pairs.
    """
    expected = float(question.answer or 0.0)
    pairs = [(expected, question.tolerance)]
    if question.unit == "%" and expected:
        pairs.append((expected / 100, question.tolerance / 100))
    return tuple(pairs)


def code_path(text: str) -> tuple[str, ...] | None:
    """The dotted name of the function or method a code answer calls, arguments dropped; ``None`` for other text.

    ``clf.fit``, ``clf.fit(X, y)`` → ``("clf", "fit")``; ``.fit()`` and ``fit`` → ``("fit",)``;
    ``predict_proba(X)[:, 1]`` → ``("predict_proba",)``; ``X_s = scaler.transform(X)`` →
    ``("scaler", "transform")``; ``df.groupby("a").sum()`` → ``("sum",)`` (the name after the
    last call). Names are case-folded (``AVG(x)`` and ``avg`` match). Text that is not one
    Python expression of that shape (prose, SQL clauses) gives ``None``.
    """
    source = text.strip()[:_MAX_CODE_TEXT + 1]
    if not source or len(source) > _MAX_CODE_TEXT:
        return None
    try:
        tree = ast.parse(source.lstrip("."), mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(tree.body) != 1:
        return None
    stmt = tree.body[0]
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        node: ast.AST = stmt.value
    elif isinstance(stmt, ast.Expr):
        node = stmt.value
    else:
        return None
    while isinstance(node, (ast.Subscript, ast.Call)):
        node = node.value if isinstance(node, ast.Subscript) else node.func
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr.casefold())
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id.casefold())
    return tuple(reversed(parts)) or None


_MAX_CODE_TEXT = 300
"""A code answer longer than this is not parsed (a learner types one call, not a program)."""


def accepted_paths(question: Question) -> frozenset[tuple[str, ...]]:
    """The names a text question accepts with any object in front and any arguments after.

    Each accepted answer that names a function without arguments (``fit``, ``fit()``,
    ``.fit``, ``tf.print``) gives its :func:`code_path`. A learner's code answer is right when
    its path ends with one of them: ``fit`` accepts ``clf.fit`` and
    ``model.fit(X_train, y_train)``; ``tf.print`` accepts ``tf.print(loss)`` but not
    ``print(loss)``. An accepted answer with arguments (``train(False)``) is accepted as
    written only.
    """
    paths = set()
    for accepted in question.accept:
        stripped = accepted.strip().lstrip(".")
        if "(" in stripped and not (stripped.endswith("()") and stripped.count("(") == 1):
            continue
        path = code_path(stripped)
        if path is not None:
            paths.add(path)
    return frozenset(paths)



__all__ = ["accepted_paths", "accepted_values", "code_path", "number_readings", "parse_number"]
