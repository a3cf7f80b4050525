"""Check kinds: how an answer is compared with its expected value, and what each kind means.

A :class:`Check` says how a step compares an answer (:class:`CheckKind`); a :class:`Mistake`
names a typical wrong answer (:class:`MistakeKind`). :data:`CHECK_KINDS` is the one registry:
per kind, its comparison, its typical-mistake kinds, how it recognises the structural ones
(wrong type, unsorted, wrong shape) and the form its expected value takes in an exercise file.
:func:`compare` and :func:`matches_mistake` are what :func:`rolecourse.assessment.checking.check`
uses, with :func:`unfit` (a value too big to compare, or inside itself) and
:func:`call_with_time_limit` (a learner's function under a time limit). Learner values are read by duck typing (pandas, matplotlib); NumPy is imported only by the
array comparison, and without it plain nested lists still compare the same way.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import signal
import threading
import time
from dataclasses import dataclass
from enum import Enum
from collections.abc import KeysView, ValuesView
from types import MappingProxyType
from typing import Any, Callable, Mapping

from .._text import count

__all__ = [
    "CHECK_KINDS",
    "MAX_ITEMS",
    "Case",
    "Check",
    "CheckKind",
    "CursorRows",
    "KindRules",
    "Mistake",
    "MistakeKind",
    "Overrun",
    "call_with_time_limit",
    "compare",
    "cut_text",
    "is_nan",
    "matches_mistake",
    "short_text",
    "type_module",
    "unfit",
]


class CheckKind(Enum):
    """How an answer is compared with the expected value."""

    EQUALS = "equals"
    """Exactly equal (numbers of any type compare by value; strings exactly)."""
    CLOSE = "close"
    """A number (or nested lists of numbers) within ``rtol``/``atol``."""
    RANGE = "range"
    """A number between ``expected.min`` and ``expected.max`` (inclusive)."""
    SET = "set"
    """The same items in any order, each once."""
    SEQUENCE = "sequence"
    """The same items in the same order (numbers within tolerance)."""
    MAPPING = "mapping"
    """A dict with the same keys and values within tolerance."""
    TABLE = "table"
    """Rows (and column names, when the answer carries them): a DataFrame, cursor, list of rows or of dicts."""
    ARRAY = "array"
    """An array of the expected shape with values within tolerance."""
    CHART = "chart"
    """A matplotlib ``Axes`` whose bars or line plot the expected values, with a title and axis labels."""
    CALLABLE = "callable"
    """A function, called on listed inputs; each output is compared as ``compare`` says."""


class MistakeKind(Enum):
    """Typical wrong answers a step can name, each matched as data."""

    VALUE = "value"
    """The answer equals a given wrong value (compared like the step's check)."""
    OFF_BY_FACTOR = "off-by-factor"
    """Every number is the expected one times ``factor`` (percent vs fraction, cents vs dollars, sign)."""
    OFF_BY_ONE = "off-by-one"
    """A whole number one more or one less than expected."""
    BETWEEN = "between"
    """A number within ``[low, high]`` (e.g. accuracy near chance)."""
    UNSORTED = "unsorted"
    """The right items in the wrong order."""
    WRONG_SHAPE = "wrong-shape"
    """Wrong number of items, rows, columns or array shape."""
    WRONG_TYPE = "wrong-type"
    """Not the kind of value the check compares (e.g. a string for a number)."""
    MISSING_ITEMS = "missing-items"
    """Some expected items (or keys) are missing, none is extra."""
    EXTRA_ITEMS = "extra-items"
    """Every expected item is there, plus others."""
    TRANSPOSED = "transposed"
    """The transpose of the expected array."""
    MISSING_TITLE = "missing-title"
    """A chart that plots the right values but has no title."""
    MISSING_LABELS = "missing-labels"
    """A chart that plots the right values but lacks an axis label."""


@dataclass(frozen=True, slots=True)
class Check:
    """How a step compares an answer with its expected value."""

    kind: CheckKind
    """The comparison."""
    rtol: float = 1e-9
    """Relative tolerance for numbers."""
    atol: float = 1e-9
    """Absolute tolerance for numbers."""
    ordered: bool = True
    """For tables: whether row order matters."""
    ignore_case: bool = False
    """For ``equals`` and ``set`` on strings: compare case-insensitively (and ignore surrounding spaces)."""
    mark: str = "bar"
    """For charts: ``bar`` (bar heights) or ``line`` (the first line's y values)."""
    inputs: str = "literal"
    """For callables: ``literal`` passes the listed arguments as they are, ``array`` turns lists into NumPy arrays."""
    compare: Check | None = None
    """For callables: how each output is compared (``equals`` when absent)."""
    pure: bool = False
    """For callables: fail when a call changes one of its arguments (the prompt asks for a new value)."""
    no_loops: bool = False
    """For callables: fail when the function's source has a ``for``/``while`` loop or a comprehension (skipped when its source is unavailable)."""
    time_limit: float | None = None
    """Seconds each call of the learner's function, and each look at a learner's value (comparing, printing it), may take (``None``: ``checking.TIME_LIMIT``)."""


@dataclass(frozen=True, slots=True)
class Case:
    """One call a ``callable`` check makes, and the output it expects."""

    args: tuple[Any, ...]
    """Positional arguments, as plain data."""
    output: Any
    """The expected output, as plain data."""
    kwargs: tuple[tuple[str, Any], ...] = ()
    """Keyword arguments, as ``(name, value)`` pairs."""


@dataclass(frozen=True, slots=True)
class Mistake:
    """A typical wrong answer and what to tell the learner who gives it."""

    kind: MistakeKind
    """How the wrong answer is recognised."""
    message: str
    """The specific explanation shown when it matches."""
    value: Any = None
    """For ``value``: the wrong answer (for a callable: the list of outputs, one per case)."""
    factor: float = 1.0
    """For ``off-by-factor``: answer = expected × factor."""
    low: float = 0.0
    """For ``between``: lower bound."""
    high: float = 0.0
    """For ``between``: upper bound."""



_HEAD = 12
"""How many items of a long list (or rows of an array) a message shows at most."""


class _More:
    """Stands for the items a message leaves out."""

    def __repr__(self) -> str:
        return "..."


_MORE = _More()


_DEPTH = 8
"""How deeply nested a value a message shows at most (a list inside itself ends there)."""


def _head(value: Any, depth: int = 0) -> Any:
    """The first few items of a (nested) sequence, so a huge answer is never converted whole for a message."""
    if depth > _DEPTH:
        return _MORE
    if isinstance(value, (str, bytes)):
        return value[:200]
    mod = type_module(value)
    if mod == "numpy" and getattr(value, "ndim", 0) > 0:
        return [_head(x, depth + 1) for x in value[:_HEAD]] + ([_MORE] if len(value) > _HEAD else [])
    if mod == "pandas" and hasattr(value, "iloc"):
        return _plain(value.iloc[:_HEAD])
    if isinstance(value, (list, tuple)):
        return [_head(x, depth + 1) for x in value[:_HEAD]] + ([_MORE] if len(value) > _HEAD else [])
    if isinstance(value, dict):
        return {k: _head(v, depth + 1) for k, v in list(value.items())[:_HEAD]}
    if isinstance(value, (set, frozenset)):
        return set(list(value)[: _HEAD * 10])
    return value


def cut_text(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with ``...`` when it was longer."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def short_text(value: Any, limit: int = 80) -> str:
    """A one-line, bounded, deterministic text of a learner's value (no memory addresses, sets sorted).

    Never raises: a value whose ``repr`` fails (or an integer too long to print) is described
    by its type instead.
    """
    try:
        v = _plain(_head(value))
        if isinstance(v, (set, frozenset)):
            text = "{" + ", ".join(sorted(repr(_plain(x)) for x in v)) + "}"
        else:
            text = repr(v)
    except Exception:  # an integer too long to print; an object whose repr, len or items misbehave
        text = _type_text(value)
    return cut_text(" ".join(_ADDRESS.sub("", text).split()), limit)


def _type_text(value: Any) -> str:
    """A value described by its real type only (``type()``, not a ``__class__`` that may lie): never raises."""
    kind = type(value)
    if issubclass(kind, int) and not issubclass(kind, bool):
        return f"an integer of about {int(int.bit_length(value) * 0.30103) + 1} digits"
    return f"a {kind.__name__} that cannot be shown"


def _num_text(v: float) -> str:
    """A number for a message, to 6 significant digits (a huge integer by its size)."""
    try:
        return f"{v:.6g}"
    except (OverflowError, ValueError):
        return short_text(v)


# -- normalising learner values --------------------------------------------------------------


def type_module(value: Any) -> str:
    """The top-level package of a value's type (``numpy``, ``pandas``, ``builtins``...), for duck typing."""
    return type(value).__module__.split(".")[0]


def _is_dataframe(value: Any) -> bool:
    """Whether ``value`` is a pandas DataFrame (by duck typing: pandas is never imported here)."""
    return type_module(value) == "pandas" and hasattr(value, "columns")


def _is_series(value: Any) -> bool:
    """Whether ``value`` is a pandas Series: index labels, positional access, no columns."""
    return type_module(value) == "pandas" and not hasattr(value, "columns") and hasattr(value, "index") and hasattr(value, "iloc") and hasattr(value, "to_dict")


def _plain(value: Any) -> Any:
    """NumPy/pandas values and tuples as plain Python lists, dicts and scalars."""
    mod = type_module(value)
    if mod == "numpy" and hasattr(value, "tolist"):
        if getattr(getattr(value, "dtype", None), "kind", "O") in "biufcUS":
            return value.tolist()  # already plain Python scalars in nested lists: no need to walk them
        return _plain(value.tolist())
    if mod == "pandas":
        if hasattr(value, "to_dict") and hasattr(value, "columns"):
            return {str(k): _plain(v) for k, v in value.to_dict(orient="list").items()}
        if hasattr(value, "tolist"):
            return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {_plain_key(k): _plain(v) for k, v in value.items()}
    return value


def _plain_key(key: Any) -> Any:
    """A dict key as a plain, still hashable, value (a tuple key stays a tuple)."""
    if isinstance(key, tuple):
        return tuple(_plain_key(k) for k in key)
    k = _plain(key)
    return k if isinstance(k, (str, int, float, bool, tuple, type(None))) else key


_NAN = "found nan (not a number): a calculation went wrong, e.g. a division by zero, an empty selection or a missing value"


def _note(found: Any, want: Any, chk: Check) -> str:
    """Why a found value differs from the expected one, when it is a typical slip (spaces, case, type); else ''."""
    if is_nan(found):
        return ": nan is a missing value (NaN)"
    if isinstance(found, str) and isinstance(want, str):
        if found.strip() == want.strip():
            return f": {short_text(found)} has spaces around it, remove them with `.strip()`"
        if found.casefold() == want.casefold():
            return f": {short_text(found)} differs only in upper/lower case"
        return ""
    if isinstance(found, bool) and _is_number(want):
        return f": {found} is a boolean, a number is expected"
    if isinstance(found, str) and _is_number(want):
        return f": {short_text(found)} is text, a number is expected (convert it with `int(...)` or `float(...)`)"
    if _is_number(found) and isinstance(want, str):
        return f": {short_text(found)} is a number, text is expected"
    if isinstance(found, list) and not isinstance(want, list):
        return f": {short_text(found)} is a list, a single value is expected"
    return ""


def is_nan(x: Any) -> bool:
    """Whether ``x`` is a float NaN."""
    return isinstance(x, float) and math.isnan(x)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _close(a: Any, b: Any, chk: Check) -> bool:
    """Deep comparison with numeric tolerance."""
    if _is_number(a) and _is_number(b):
        if is_nan(a) and is_nan(b):
            return True
        try:
            return math.isclose(a, b, rel_tol=chk.rtol, abs_tol=chk.atol)
        except OverflowError:  # an integer too big for a float is close only to itself
            return bool(a == b)
    if isinstance(a, str) and isinstance(b, str):
        return _fold(a, chk) == _fold(b, chk)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y, chk) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return set(map(str, a)) == set(map(str, b)) and all(_close(a[k], _lookup(b, k), chk) for k in a)
    return bool(a == b) and type(a) is type(b) or (a is None and b is None)


def _lookup(d: dict[Any, Any], key: Any) -> Any:
    if key in d:
        return d[key]
    return next(v for k, v in d.items() if str(k) == str(key))


def _fold(s: str, chk: Check) -> str:
    return s.strip().casefold() if chk.ignore_case else s


def _scale(value: Any, factor: float) -> Any:
    if _is_number(value):
        return value * factor
    if isinstance(value, list):
        return [_scale(v, factor) for v in value]
    if isinstance(value, dict):
        return {k: _scale(v, factor) for k, v in value.items()}
    return value


def _as_float(value: Any) -> float | None:
    """A learner's number as a float (an integer too big for a float: infinity of its sign), else None."""
    v = _plain(value)
    if not _is_number(v):
        return None
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


# -- comparisons, one per check kind -------------------------------------------------------------


def compare(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    """Whether ``value`` is right; if not, a generic explanation."""
    return CHECK_KINDS[chk.kind].compare(chk, value, expected)


def _cmp_equals(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    v = _plain(value)
    if _is_number(expected) and not _is_number(v) and _one_number(value):
        return False, _not_a_number(value)
    if _is_number(expected) and _is_number(v):
        if v == expected:
            return True, ""
        if is_nan(v):
            return False, _NAN
        return False, f"{short_text(v)} is not the expected value ({'too high' if v > expected else 'too low'})"
    if isinstance(expected, str) and isinstance(v, str):
        if _fold(v, chk) == _fold(expected, chk):
            return True, ""
        return False, f"{short_text(v)} is not the expected answer" + _note(v, expected, chk)
    if type(v) is not type(expected) and not (_is_number(v) and _is_number(expected)):
        return False, f"expected {_type_name(expected)}, found {short_text(value)} ({_kind_of(value)})"
    if v == expected:
        return True, ""
    if isinstance(v, dict) and isinstance(expected, dict):  # say which key is wrong
        ok, why = _cmp_mapping(chk, v, expected)
        if not ok:
            return False, why
    return False, f"{short_text(value)} is not the expected answer"


def _cmp_close(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    v = _plain(value)
    if _is_number(expected):
        if not _is_number(v):
            return False, _not_a_number(value)
        if _close(v, expected, chk):
            return True, ""
        if is_nan(v):
            return False, _NAN
        return False, f"{_num_text(v)} is not close enough to the expected value ({'too high' if v > expected else 'too low'})"
    if not isinstance(v, list) or len(v) != len(expected):
        return False, f"expected a list of {len(expected)} numbers, found {short_text(value)}"
    return (True, "") if _close(v, expected, chk) else (False, "some numbers are not close enough to the expected values")


def _cmp_range(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    v = _as_float(value)
    if v is None:
        return False, _not_a_number(value)
    lo, hi = expected["min"], expected["max"]
    if lo <= v <= hi:
        return True, ""
    if is_nan(v):
        return False, _NAN
    return False, f"{_num_text(v)} is outside the expected range {lo:g} to {hi:g}"


def _items(value: Any) -> list[Any] | None:
    if isinstance(value, (KeysView, ValuesView, range)):  # re-readable views: the same items as a list
        value = list(value)
    v = _plain(value)
    if isinstance(v, (set, frozenset)):
        return [_plain(x) for x in v]
    if isinstance(v, list):
        return v
    mod = type_module(value)
    if mod == "pandas" and hasattr(value, "tolist"):
        return _plain(value.tolist())
    return None


def _hashable(x: Any, chk: Check) -> Any:
    if isinstance(x, str):
        return _fold(x, chk)
    if isinstance(x, (list, tuple)):
        return tuple(_hashable(y, chk) for y in x)
    if isinstance(x, dict):
        return ("dict", tuple(sorted(((repr(k), _hashable(v, chk)) for k, v in x.items()), key=repr)))
    if isinstance(x, (set, frozenset)):
        return frozenset(_hashable(y, chk) for y in x)
    if isinstance(x, float) and x.is_integer():
        return int(x)
    try:
        hash(x)
    except TypeError:  # any other unhashable item a learner put in: compare it by its text
        return ("unhashable", repr(x))
    return x


def _iterator_text(value: Any, want: str) -> str:
    """A message for a generator or iterator (read once, so not checked), else ''."""
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__next__"):
        return ""
    return f"expected {want}, found {_kind_of(value)}, which can be read only once: make a list of it, `list(...)`, or use a list comprehension `[...]`"


def _one_value_rows(items: list[Any], expected: Any) -> str:
    """A message if every item is a row of one value where plain values are expected, else ''."""
    if not items or not all(isinstance(x, list) and len(x) == 1 for x in items):
        return ""
    if any(isinstance(w, list) for w in expected):
        return ""
    first = f"({short_text(items[0][0], 60)},)"
    return f"each item is a row of one value, like {first} (what `fetchall()` gives): take the value out of each row, `[x for (x,) in rows]`"


def _cmp_set(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    items = _items(value)
    if items is None or isinstance(value, (str, dict)):
        return False, _iterator_text(value, "a collection (set or list) of items") or f"expected a collection (set or list) of items, found {short_text(value)} ({_kind_of(value)})"
    if rows := _one_value_rows(items, expected):
        return False, rows
    got = {_hashable(x, chk) for x in items}
    want = {_hashable(x, chk) for x in expected}
    if got == want:
        return True, ""
    missing, extra = len(want - got), len(got - want)
    parts = []
    if missing:
        parts.append(f"{missing} expected item{'s are' if missing > 1 else ' is'} missing")
    if extra:
        parts.append(f"{count(extra, 'item')} should not be there")
    return False, " and ".join(parts)


def _cmp_sequence(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    items = _items(value)
    if items is None or isinstance(value, (str, dict, set, frozenset)):
        return False, _iterator_text(value, "an ordered list") or f"expected an ordered list, found {short_text(value)} ({_kind_of(value)})"
    if rows := _one_value_rows(items, expected):
        return False, rows
    if len(items) != len(expected):
        return False, f"expected {len(expected)} items, found {len(items)}"
    for i, (x, y) in enumerate(zip(items, expected), start=1):
        if not _close(x, y, chk):
            return False, f"item {i} ({short_text(x)}) is not the expected one" + _note(x, y, chk)
    return True, ""


def _mapping(value: Any) -> Any:
    """``value`` as a plain dict if it is one, or a pandas Series (its index labels are the keys)."""
    if _is_series(value):
        return {_plain_key(k): _plain(v) for k, v in value.to_dict().items()}
    return _plain(value)


def _cmp_mapping(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    v = _mapping(value)
    if not isinstance(v, dict):
        return False, f"expected a dict, found {short_text(value)} ({_kind_of(value)})"
    if _is_dataframe(value) and {str(k) for k in v} != {str(k) for k in expected}:
        cols = ", ".join(repr(str(c)) for c in value.columns[:5])
        return False, f"expected a dict with the keys {', '.join(map(repr, sorted(map(str, expected))))}, found a DataFrame (its keys are its columns, {cols}): pick one column, `df[column].to_dict()`"
    got = {str(k) for k in v}
    want = {str(k) for k in expected}
    if got != want:
        missing, extra = sorted(want - got), sorted(got - want)
        parts = []
        if missing:
            parts.append(f"missing key{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"unexpected key{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))}")
        return False, "; ".join(parts)
    raw = value if isinstance(value, dict) else {}
    for k in sorted(expected, key=str):
        if not _close(_lookup(v, k), expected[k], chk):
            if _is_number(expected[k]) and (how := _one_number(_lookup(raw, k) if raw else _lookup(v, k))):
                return False, f"the value for {k!r} is {how}"
            return False, f"the value for {k!r} ({short_text(_lookup(v, k))}) is not the expected one" + _note(_lookup(v, k), expected[k], chk)
    return True, ""


def _table(value: Any) -> tuple[list[str] | None, list[list[Any]]] | None:
    """An answer as (column names or None, rows), or None if it is not table-like."""
    if type_module(value) == "pandas":
        frame = value
        if not hasattr(frame, "columns"):  # a Series: its index is a column
            frame = frame.reset_index() if frame.index.name is not None else frame.to_frame()
        elif any(n is not None for n in frame.index.names):
            frame = frame.reset_index()
        cols = [str(c) for c in frame.columns]
        return cols, [[_plain(c) for c in row] for row in frame.itertuples(index=False, name=None)]
    if hasattr(value, "fetchall") and hasattr(value, "description"):  # a DB-API cursor
        cols = [d[0] for d in value.description] if value.description else None
        return cols, [_plain(list(r)) for r in value.fetchall()]
    v = _plain(value)
    if isinstance(v, list) and all(isinstance(r, list) for r in v):
        return None, v
    if isinstance(v, list) and v and all(isinstance(r, dict) for r in v):
        cols = [str(k) for k in v[0]]
        return cols, [[r.get(c) for c in cols] for r in v]
    return None


def _row_key(row: list[Any]) -> tuple[Any, ...]:
    return tuple((0, round(c, 6), "") if _is_number(c) else (1, 0, str(c)) for c in row)


def _cmp_table(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    t = _table(value)
    if t is None:
        return False, f"expected a table (DataFrame, cursor or list of rows), found {short_text(value)}"
    cols, rows = t
    want_rows = expected["rows"]
    want_cols = expected.get("columns")
    if len(rows) != len(want_rows):
        return False, f"expected {len(want_rows)} rows, found {len(rows)}"
    width = len(want_rows[0]) if want_rows else 0
    if any(len(r) != width for r in rows):
        return False, f"expected {width} columns, found rows of {sorted({len(r) for r in rows})} columns"
    if cols is not None and want_cols is not None:
        got_names, want_names = [c.casefold() for c in cols], [c.casefold() for c in want_cols]
        if got_names != want_names and sorted(got_names) == sorted(want_names) and len(set(got_names)) == len(got_names):
            order = [got_names.index(n) for n in want_names]  # the same columns in another order: the same table
            cols, rows = [cols[j] for j in order], [[r[j] for j in order] for r in rows]
    if cols is not None and want_cols is not None and [c.casefold() for c in cols] != [c.casefold() for c in want_cols]:
        return False, f"expected the columns {', '.join(want_cols)}, found {', '.join(cols)}"
    if not chk.ordered:
        rows, want_rows = sorted(rows, key=_row_key), sorted(want_rows, key=_row_key)
    for i, (r, w) in enumerate(zip(rows, want_rows), start=1):
        if not _close(r, w, chk):
            note = next((_note(a, b, chk) for a, b in zip(r, w) if not _close(a, b, chk)), "")
            return False, f"row {i} {short_text(r)} is not the expected one" + note
    return True, ""


def _float_array(value: Any) -> Any:
    """``value`` as a float NumPy array, or None if it does not hold real numbers only.

    Complex numbers with a non-zero imaginary part, strings and other objects are not numbers
    here (``np.asarray(x, dtype=float)`` would drop the imaginary part or parse the text).
    """
    import numbers

    import numpy as np

    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested lists
        return None
    if arr.dtype.kind in "biuf":
        return arr.astype(float)
    if arr.dtype.kind == "c":
        return arr.real.astype(float) if not np.any(arr.imag) else None
    if arr.dtype.kind == "O" and all(
        isinstance(x, numbers.Real) or x is None for x in arr.ravel().tolist()
    ):
        return arr.astype(float)
    return None


def _plain_array(value: Any) -> tuple[tuple[int, ...], list[float]] | None:
    """Shape and flat values of nested lists of real numbers (what an exercise file holds), or None.

    Used where NumPy is not installed (the light core validating exercise files): such values
    are plain data, and NumPy would give the same shape and values.
    """
    import numbers

    if isinstance(value, (list, tuple)):
        parts = [_plain_array(v) for v in value]
        if any(p is None for p in parts) or len({p[0] for p in parts if p is not None}) > 1:
            return None
        inner = parts[0][0] if parts and parts[0] is not None else ()
        return (len(value), *inner), [x for p in parts if p is not None for x in p[1]]
    if isinstance(value, numbers.Real) and not isinstance(value, bool) or value is None:
        return (), [math.nan if value is None else float(value)]
    return None


def _close_plain(a: float, b: float, chk: Check) -> bool:
    """NumPy's ``isclose`` (``|a - b| <= atol + rtol * |b|``, NaN equal to NaN) on two floats."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= chk.atol + chk.rtol * abs(b)


def _cmp_plain_array(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    """:func:`_cmp_array` for plain nested lists, without NumPy (same messages)."""
    got, want = _plain_array(value), _plain_array(expected)
    if got is None or want is None:
        return False, f"expected an array of real numbers, found {short_text(value)}"
    if got[0] != want[0]:
        return False, f"expected an array of shape {want[0]}, found shape {got[0]}"
    bad = sum(1 for a, b in zip(got[1], want[1]) if not _close_plain(a, b, chk))
    if not bad:
        return True, ""
    return False, f"{bad} of {len(want[1])} values are not close enough to the expected ones"


def _numpy() -> Any:
    """NumPy, or None where it is not installed (a value to check can then only be plain data)."""
    try:
        import numpy
    except ModuleNotFoundError:
        return None
    return numpy


def _cmp_array(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    np = _numpy()
    if np is None:
        return _cmp_plain_array(chk, value, expected)
    got = _float_array(value)
    if got is None:
        return False, f"expected an array of real numbers, found {short_text(value)}"
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        return False, f"expected an array of shape {want.shape}, found shape {got.shape}"
    if np.allclose(got, want, rtol=chk.rtol, atol=chk.atol, equal_nan=True):
        return True, ""
    bad = int(np.sum(~np.isclose(got, want, rtol=chk.rtol, atol=chk.atol, equal_nan=True)))
    return False, f"{bad} of {want.size} values are not close enough to the expected ones"


def _chart_values(chk: Check, ax: Any) -> list[float] | None:
    if not all(hasattr(ax, a) for a in ("get_title", "get_xlabel", "get_ylabel", "patches", "lines")):
        return None
    if chk.mark == "line":
        if not ax.lines:
            return []
        return [float(y) for y in _plain(list(ax.lines[0].get_ydata()))]
    return [float(p.get_height()) if hasattr(p, "get_height") else 0.0 for p in ax.patches if hasattr(p, "get_height")]


def _cmp_chart(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    ys = _chart_values(chk, value)
    if ys is None:
        return False, f"expected a matplotlib Axes (the `ax` of `fig, ax = plt.subplots()`), found {short_text(value)}"
    what = "bars" if chk.mark == "bar" else "points on the line"
    if not ys:
        return False, f"the chart has no {what}: draw the data with `ax.{'bar' if chk.mark == 'bar' else 'plot'}(...)`"
    if chk.mark == "bar":
        widths = [float(p.get_width()) for p in value.patches if hasattr(p, "get_width")]
        if len(widths) == len(expected) and _close(widths, list(expected), chk) and not _close(ys, list(expected), chk):
            return False, "the bars are horizontal (`ax.barh`): draw vertical bars with `ax.bar(...)`"
    if len(ys) != len(expected):
        return False, f"expected {len(expected)} {what}, found {len(ys)}"
    if not _close(ys, list(expected), chk):
        return False, f"the {what} do not show the expected values"
    if not value.get_title().strip():
        return False, "give the chart a title with `ax.set_title(...)`"
    if not (value.get_xlabel().strip() and value.get_ylabel().strip()):
        return False, "label both axes with `ax.set_xlabel(...)` and `ax.set_ylabel(...)`"
    return True, ""


class CursorRows(list):  # type: ignore[type-arg]
    """The rows read from a DB-API cursor, remembered as such for messages."""


def _kind_of(value: Any) -> str:
    """What a learner's value is, in their terms (a tuple, a NumPy array of shape (3,), a pandas Series…)."""
    if isinstance(value, CursorRows):
        return "a database cursor"
    if type_module(value) == "numpy" and getattr(value, "ndim", 0) > 0:
        return f"a NumPy array of shape {tuple(value.shape)}"
    if _is_dataframe(value):
        return "a pandas DataFrame"
    if _is_series(value):
        return "a pandas Series"
    if isinstance(value, tuple):
        return "a tuple"
    if isinstance(value, (set, frozenset)):
        return "a set"
    return _type_name(_plain(value))


def _one_number(value: Any) -> str:
    """If ``value`` is a container holding exactly one number: how to take it out, in a phrase; else ''."""
    mod = type_module(value)
    how = ""
    if isinstance(value, CursorRows):
        inner = value[0] if len(value) == 1 else None
        how = "`.fetchone()[0]`" if isinstance(inner, tuple) and len(inner) == 1 else ""
        x = inner[0] if how else None
    elif mod == "numpy" and getattr(value, "ndim", 0) > 0 and getattr(value, "size", 0) == 1:
        how, x = "`.item()`", value.reshape(-1)[0]
    elif mod == "pandas" and hasattr(value, "iloc") and hasattr(value, "shape") and value.shape in ((1,), (1, 1)):
        how = "`.iloc[0, 0]`" if _is_dataframe(value) else "`.iloc[0]`"
        x = value.iloc[0, 0] if _is_dataframe(value) else value.iloc[0]
    elif isinstance(value, (list, tuple)) and len(value) == 1:
        x = value[0]
        how = "`[0]`"
        if isinstance(x, (list, tuple)) and len(x) == 1:
            x, how = x[0], "`[0][0]`"
    else:
        return ""
    x = _plain(x)
    if not how or not _is_number(x):
        return ""
    return f"{_kind_of(value)} holding one number ({short_text(x)}), not the number itself: take it out with {how}"


def _not_a_number(value: Any) -> str:
    if how := _one_number(value):
        return f"expected a single number, found {how}"
    return f"expected a number, found {short_text(value)} ({_kind_of(value)})"


def _type_name(v: Any) -> str:
    if _is_number(v):
        return "a number"
    return {str: "a string", list: "a list", dict: "a dict", bool: "a boolean", type(None): "None"}.get(type(v), f"a {type(v).__name__}")


# -- recognising typical mistakes ----------------------------------------------------------------


def matches_mistake(chk: Check, m: Mistake, value: Any, expected: Any) -> bool:
    """Whether ``value`` is the typical mistake ``m`` for a step expecting ``expected``."""
    kind = m.kind
    if kind is MistakeKind.VALUE and chk.kind is CheckKind.RANGE:
        # a range step's typical wrong answer is one number, not a range: compared as a number
        v = _as_float(value)
        return v is not None and _is_number(m.value) and math.isclose(v, float(m.value), rel_tol=1e-9, abs_tol=max(chk.atol, 1e-12))
    if kind is MistakeKind.VALUE:
        return compare(chk, value, m.value)[0]
    if kind is MistakeKind.OFF_BY_FACTOR:
        # the wrong answer is scaled, so is its rounding: 88.33 is a percentage for 0.8833 ± 0.001
        scaled = dataclasses.replace(chk, atol=chk.atol * max(1.0, abs(m.factor)))
        return compare(scaled, value, _scale_expected(chk, expected, m.factor))[0]
    if kind is MistakeKind.OFF_BY_ONE:
        v = _plain(value)
        return _is_number(v) and _is_number(expected) and abs(v - expected) == 1
    if kind is MistakeKind.BETWEEN:
        v = _as_float(value)
        return v is not None and m.low <= v <= m.high
    rules = CHECK_KINDS[chk.kind]
    if kind is MistakeKind.WRONG_TYPE:
        return rules.wrong_type(chk, value, expected)
    if kind is MistakeKind.UNSORTED:
        return rules.unsorted(chk, value, expected)
    if kind is MistakeKind.WRONG_SHAPE:
        return rules.wrong_shape(chk, value, expected)
    if kind in (MistakeKind.MISSING_ITEMS, MistakeKind.EXTRA_ITEMS):
        return _subset(chk, value, expected, missing=kind is MistakeKind.MISSING_ITEMS)
    if kind is MistakeKind.TRANSPOSED:
        got = _float_array(value)
        return got is not None and got.ndim == 2 and _cmp_array(chk, got.T, expected)[0]
    if kind in (MistakeKind.MISSING_TITLE, MistakeKind.MISSING_LABELS):
        ys = _chart_values(chk, value)
        if ys is None or len(ys) != len(expected) or not _close(ys, list(expected), chk):
            return False
        if kind is MistakeKind.MISSING_TITLE:
            return not value.get_title().strip()
        return not (value.get_xlabel().strip() and value.get_ylabel().strip())
    return False


def _scale_expected(chk: Check, expected: Any, factor: float) -> Any:
    if chk.kind is CheckKind.TABLE:
        return {**expected, "rows": _scale(expected["rows"], factor)}
    if chk.kind is CheckKind.RANGE:
        lo, hi = sorted((expected["min"] * factor, expected["max"] * factor))
        return {"min": lo, "max": hi}
    return _scale(expected, factor)


def _row_key_one(x: Any) -> tuple[Any, ...]:
    return (1, _row_key(x)) if isinstance(x, list) else (0, _row_key([x]))


def _subset(chk: Check, value: Any, expected: Any, *, missing: bool) -> bool:
    if chk.kind is CheckKind.MAPPING:
        v = _mapping(value)
        if not isinstance(v, dict):
            return False
        got, want = {str(k) for k in v}, {str(k) for k in expected}
    else:
        items = _items(value)
        if items is None or isinstance(value, (str, dict)):
            return False
        got = {_hashable(x, chk) for x in items}
        want = {_hashable(x, chk) for x in expected}
    return got < want if missing else got > want


# -- what each check kind means: THE registry ------------------------------------------------------
#
# Everything a check kind needs is one entry of CHECK_KINDS: its comparison, the typical-mistake
# kinds it knows, how it recognises the structural ones (wrong type, unsorted, wrong shape), and
# the form its expected value (and a typical mistake's literal value) takes in an exercise file.


def _wrong_type_scalar(chk: Check, value: Any, expected: Any) -> bool:
    v = _plain(value)
    if _is_number(expected if chk.kind is not CheckKind.RANGE else 0):
        return not _is_number(v)
    return type(v) is not type(expected)


def _wrong_type_mapping(chk: Check, value: Any, expected: Any) -> bool:
    return not isinstance(_mapping(value), dict)


def _wrong_type_items(chk: Check, value: Any, expected: Any) -> bool:
    return _items(value) is None or isinstance(value, (str, dict))


def _wrong_type_table(chk: Check, value: Any, expected: Any) -> bool:
    return _table(value) is None


def _wrong_type_array(chk: Check, value: Any, expected: Any) -> bool:
    return _float_array(value) is None


def _wrong_type_chart(chk: Check, value: Any, expected: Any) -> bool:
    return _chart_values(chk, value) is None


def _unsorted_list(chk: Check, items: list[Any] | None, expected: Any) -> bool:
    if items is None or len(items) != len(expected) or _close(list(items), list(expected), chk):
        return False
    return sorted(map(_row_key_one, items)) == sorted(map(_row_key_one, expected))


def _unsorted_items(chk: Check, value: Any, expected: Any) -> bool:
    if isinstance(value, (set, frozenset)):  # a set has no order to get wrong
        return False
    return _unsorted_list(chk, _items(value), expected)


def _unsorted_chart(chk: Check, value: Any, expected: Any) -> bool:
    return _unsorted_list(chk, _chart_values(chk, value), expected)


def _unsorted_table(chk: Check, value: Any, expected: Any) -> bool:
    t = _table(value)
    if t is None:
        return False
    relaxed = Check(CheckKind.TABLE, chk.rtol, chk.atol, ordered=False)
    if _cmp_table(chk, value if t[0] is None else [dict(zip(t[0], r)) for r in t[1]], expected)[0]:
        return False
    return _cmp_table(relaxed, value if t[0] is None else [dict(zip(t[0], r)) for r in t[1]], expected)[0]


def _wrong_shape_items(chk: Check, value: Any, expected: Any) -> bool:
    items = _items(value)
    if not isinstance(expected, list):
        return items is not None and not isinstance(value, (str, dict))
    return items is not None and len(items) != len(expected)


def _wrong_shape_array(chk: Check, value: Any, expected: Any) -> bool:
    np = _numpy()
    if np is None:
        plain, want = _plain_array(value), _plain_array(expected)
        return plain is not None and want is not None and plain[0] != want[0]
    got = _float_array(value)
    return got is not None and got.shape != np.asarray(expected, dtype=float).shape


def _wrong_shape_table(chk: Check, value: Any, expected: Any) -> bool:
    t = _table(value)
    if t is None:
        return False
    rows = expected["rows"]
    width = len(rows[0]) if rows else 0
    return len(t[1]) != len(rows) or any(len(r) != width for r in t[1])


def _wrong_shape_chart(chk: Check, value: Any, expected: Any) -> bool:
    ys = _chart_values(chk, value)
    return ys is not None and len(ys) != len(expected)


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _nums(x: Any) -> bool:
    return _num(x) or (isinstance(x, list) and bool(x) and all(_nums(y) for y in x))


def _rect(x: Any) -> bool:
    if _num(x):
        return True
    if not isinstance(x, list) or not x:
        return False
    if all(_num(y) for y in x):
        return True
    return all(isinstance(y, list) and len(y) == len(x[0]) and _rect(y) for y in x)


def _table_shape(x: Any) -> bool:
    if not isinstance(x, dict) or "rows" not in x or not set(x) <= {"rows", "columns"}:
        return False
    rows = x["rows"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        return False
    width = {len(row) for row in rows}
    cols = x.get("columns")
    if cols is not None and (not isinstance(cols, list) or not all(isinstance(c, str) for c in cols) or (rows and {len(cols)} != width)):
        return False
    return len(width) <= 1


@dataclass(frozen=True, slots=True)
class KindRules:
    """Everything one check kind means, in one place (see :data:`CHECK_KINDS`)."""

    compare: Callable[[Check, Any, Any], tuple[bool, str]]
    """Compares an answer with the expected value: ``(correct, why not)``."""
    mistakes: frozenset[MistakeKind]
    """The typical-mistake kinds a step of this kind may name."""
    wrong_type: Callable[[Check, Any, Any], bool]
    """Whether an answer is not the kind of value this check compares (:attr:`MistakeKind.WRONG_TYPE`)."""
    unsorted: Callable[[Check, Any, Any], bool]
    """Whether an answer holds the right items in the wrong order (:attr:`MistakeKind.UNSORTED`)."""
    wrong_shape: Callable[[Check, Any, Any], bool]
    """Whether an answer has the wrong number of items, rows or shape (:attr:`MistakeKind.WRONG_SHAPE`)."""
    expected_form: Callable[[Any], bool]
    """Whether a value from an exercise file has the form this kind's expected value takes."""
    expected_text: str
    """That form in words, for the exercise file's error message."""
    mistake_form: Callable[[Any], bool] | None = None
    """The form of a typical mistake's literal value, when it is not :attr:`expected_form`."""
    mistake_text: str = ""
    """That form in words."""

    def mistake_value_form(self, value: Any) -> tuple[bool, str]:
        """Whether a typical mistake's literal value has the form the check compares, and that form in words."""
        if self.mistake_form is None:
            return self.expected_form(value), self.expected_text
        return self.mistake_form(value), self.mistake_text


_NUMERIC = frozenset({MistakeKind.VALUE, MistakeKind.OFF_BY_FACTOR, MistakeKind.WRONG_TYPE})
_NUMBERS = "a number or a list of numbers"
_ITEMS = "a list of items"

CHECK_KINDS: Mapping[CheckKind, KindRules] = MappingProxyType({
    CheckKind.EQUALS: KindRules(
        _cmp_equals, _NUMERIC | {MistakeKind.OFF_BY_ONE}, _wrong_type_scalar, _unsorted_items, _wrong_shape_items,
        lambda x: x is not None and not isinstance(x, (list, dict)), "a single value (number, string or boolean)",
    ),
    CheckKind.CLOSE: KindRules(
        _cmp_close, _NUMERIC | {MistakeKind.BETWEEN, MistakeKind.WRONG_SHAPE}, _wrong_type_scalar, _unsorted_items, _wrong_shape_items,
        _nums, _NUMBERS,
    ),
    CheckKind.RANGE: KindRules(
        _cmp_range, _NUMERIC | {MistakeKind.BETWEEN}, _wrong_type_scalar, _unsorted_items, _wrong_shape_items,
        lambda x: isinstance(x, dict) and set(x) == {"min", "max"} and _num(x["min"]) and _num(x["max"]) and x["min"] <= x["max"],
        "a mapping {min: number, max: number} with min <= max",
        _nums, _NUMBERS,
    ),
    CheckKind.SET: KindRules(
        _cmp_set, frozenset({MistakeKind.VALUE, MistakeKind.WRONG_TYPE, MistakeKind.MISSING_ITEMS, MistakeKind.EXTRA_ITEMS}),
        _wrong_type_items, _unsorted_items, _wrong_shape_items, lambda x: isinstance(x, list), _ITEMS,
    ),
    CheckKind.SEQUENCE: KindRules(
        _cmp_sequence, _NUMERIC | {MistakeKind.UNSORTED, MistakeKind.WRONG_SHAPE, MistakeKind.MISSING_ITEMS, MistakeKind.EXTRA_ITEMS},
        _wrong_type_items, _unsorted_items, _wrong_shape_items, lambda x: isinstance(x, list), _ITEMS,
    ),
    CheckKind.MAPPING: KindRules(
        _cmp_mapping, _NUMERIC | {MistakeKind.MISSING_ITEMS, MistakeKind.EXTRA_ITEMS},
        _wrong_type_mapping, _unsorted_items, _wrong_shape_items, lambda x: isinstance(x, dict) and bool(x), "a non-empty mapping",
    ),
    CheckKind.TABLE: KindRules(
        _cmp_table, _NUMERIC | {MistakeKind.UNSORTED, MistakeKind.WRONG_SHAPE},
        _wrong_type_table, _unsorted_table, _wrong_shape_table,
        _table_shape, "a mapping {columns: [names], rows: [[values]]} with rows of equal length",
    ),
    CheckKind.ARRAY: KindRules(
        _cmp_array, _NUMERIC | {MistakeKind.WRONG_SHAPE, MistakeKind.TRANSPOSED},
        _wrong_type_array, _unsorted_items, _wrong_shape_array, _rect, "a rectangular (nested) list of numbers",
    ),
    CheckKind.CHART: KindRules(
        _cmp_chart, _NUMERIC | {MistakeKind.UNSORTED, MistakeKind.WRONG_SHAPE, MistakeKind.MISSING_TITLE, MistakeKind.MISSING_LABELS},
        _wrong_type_chart, _unsorted_chart, _wrong_shape_chart,
        lambda x: isinstance(x, list) and bool(x) and all(_num(y) for y in x), "a list of the plotted numbers",
    ),
})
"""Check kind -> its :class:`KindRules`. A callable check compares each output with its ``compare``
kind's rules and names that kind's mistakes."""


# -- bounds on learner values and learner code (used by checking.check) ----------------------------


MAX_ITEMS: int = 1_000_000
"""The most items (array elements, list items, nested ones included) an answer may hold to be compared at all."""

_WALK_AT_MOST = 10_000
"""How many containers :func:`unfit` looks into before it stops counting."""


def unfit(value: Any, what: str = "your answer") -> str:
    """Why ``value`` cannot be compared at all (it contains itself, or is far too big), else ''.

    The work is bounded: array sizes are read from their shape, and at most
    :data:`_WALK_AT_MOST` containers are looked into.
    """
    on_path: set[int] = set()  # the containers we are inside of: meeting one again is a cycle
    done: set[int] = set()  # containers already counted (the same list twice is fine, and counted once)
    total = 0
    todo: list[tuple[Any, bool]] = [(value, False)]
    walked = 0
    while todo and walked < _WALK_AT_MOST:
        v, leaving = todo.pop()
        if leaving:
            on_path.discard(id(v))
            done.add(id(v))
            continue
        kind = type(v)
        if type_module(v) in ("numpy", "pandas") and isinstance(getattr(v, "size", None), int):
            total += v.size
        elif (base := _base_container(kind)) is not None:
            if id(v) in on_path:
                return f"{what} contains itself (a list or dict inside itself), so it cannot be compared: build a new value instead"
            if id(v) in done:
                continue
            walked += 1
            total += int(base.__len__(v))  # the base type's own length and items: an overridden __len__ or __iter__ may lie or raise
            if total <= MAX_ITEMS:
                on_path.add(id(v))
                todo.append((v, True))
                items = dict.values(v) if base is dict else base.__iter__(v)
                todo.extend((x, False) for x in items if _base_container(type(x)) is not None or type_module(x) in ("numpy", "pandas"))
        if total > MAX_ITEMS:
            return (
                f"{what} holds more than {MAX_ITEMS:,} values, far more than expected, so it is not compared: "
                "did you select, filter or aggregate the data as asked?"
            )
    return ""


def _base_container(kind: type) -> type | None:
    """The built-in container type (dict, list, tuple, set, frozenset) that ``kind`` is or derives from, else None."""
    return next((b for b in (dict, list, tuple, set, frozenset) if issubclass(kind, b)), None)


class Overrun(BaseException):
    """Raised inside a learner's function whose call ran out of time (a BaseException, so ``except Exception`` in it cannot swallow it)."""

    def __init__(self, abandoned: bool) -> None:
        super().__init__("time limit")
        self.abandoned = abandoned
        """Whether the call still runs in an abandoned thread (it could not be interrupted)."""


def running_dunder(exc: BaseException) -> str:
    """The learner's special method (``__eq__``) that was running when ``exc`` was raised in it, or ''.

    The innermost frame named like ``__name__`` whose code is not rolecourse's own.
    """
    found = ""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        name = code.co_name
        if len(name) > 4 and name.startswith("__") and name.endswith("__") and not code.co_filename.startswith(_OWN_CODE):
            found = name
        tb = tb.tb_next
    return found


_OWN_CODE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
"""The folder of rolecourse's own code, whose frames are never the learner's."""


def call_with_time_limit(fn: Any, args: list[Any], kwargs: dict[str, Any], limit: float) -> Any:
    """``fn(*args, **kwargs)``, raising :class:`Overrun` if it takes more than ``limit`` seconds.

    In the main thread where ``SIGALRM`` exists, a real-time timer interrupts the call; the
    previous handler and any timer already running are restored afterwards (with the time spent
    taken off). Elsewhere the call runs in a daemon thread, abandoned (still running) if it
    overruns. A limit that is not a positive finite number means no limit.
    """
    if not (isinstance(limit, (int, float)) and 0 < limit < math.inf):
        return fn(*args, **kwargs)
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _call_with_alarm(fn, args, kwargs, float(limit))
    return _call_in_thread(fn, args, kwargs, float(limit))


def _call_with_alarm(fn: Any, args: list[Any], kwargs: dict[str, Any], limit: float) -> Any:
    armed = [True]

    def on_alarm(signum: int, frame: Any) -> None:
        if armed[0]:  # raised again every 50 ms, in case the learner's code catches BaseException
            raise Overrun(abandoned=False)

    previous = signal.getsignal(signal.SIGALRM)
    try:
        signal.signal(signal.SIGALRM, on_alarm)
    except (ValueError, OSError):  # signals not available here after all
        return _call_in_thread(fn, args, kwargs, limit)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, limit, 0.05)
    start = time.monotonic()
    try:
        return fn(*args, **kwargs)
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        if outer_delay > 0:  # someone else's timer was running: give it back, less the time spent
            signal.setitimer(signal.ITIMER_REAL, max(outer_delay - (time.monotonic() - start), 1e-6), outer_interval)


def _call_in_thread(fn: Any, args: list[Any], kwargs: dict[str, Any], limit: float) -> Any:
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["out"] = fn(*args, **kwargs)
        except BaseException as exc:  # handed back to the caller's thread below
            box["exc"] = exc

    worker = threading.Thread(target=run, name="rolecourse-learner-call", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        raise Overrun(abandoned=True)
    if "exc" in box:
        raise box["exc"]
    return box.get("out")
