"""Reading located YAML nodes into typed values while collecting every problem.

A :class:`Reader` is handed the :class:`~rolecourse.content._yaml.Node` tree of one content file
and answers typed values (or ``None`` where the value is unusable), recording one
:class:`~rolecourse.errors.Problem` per mistake so that a whole file is reported at once.
Messages follow one pattern: ``expected <what>, found <what>``.
"""

from __future__ import annotations

import math
import re
from enum import Enum
from collections.abc import Collection, Iterable

from .._text import count
from ._yaml import Mark, Node
from ..errors import ContentError, Problem, describe, suggest


TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time
    from typing import TypeVar

    EnumT = TypeVar("EnumT", bound=Enum)

IDENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""Stable ids: lowercase words joined by hyphens, e.g. ``data-analyst``."""

URL = re.compile(r"https://[^\s/$.?#][^\s]*\Z")
"""Resource links: absolute ``https://`` URLs."""


def join(path: str, key: str | int) -> str:
    """Extend a field path by a mapping key or a list index."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _found(node: Node) -> str:
    if node.kind == "map":
        return "a mapping"
    if node.kind == "seq":
        return "a list"
    return describe(node.value)


_SHAPES: dict[tuple[object, object], tuple[frozenset[str], frozenset[str]]] = {}
"""Required and allowed keys per (required, optional) pair, worked out once."""


class Reader:
    """Collects problems for one or more files while reading nodes."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        """Every problem found so far, in the order found."""

    # -- reporting -----------------------------------------------------------------
    def error(self, where: Node | Mark, path: str, message: str) -> None:
        """Record a problem at a node (or a mark)."""
        mark = where.mark if isinstance(where, Node) else where
        self.problems.append(Problem(mark.file, mark.line, mark.col, path, message))

    def raise_if_any(self) -> None:
        """Raise one :class:`ContentError` with every problem recorded, if any."""
        if self.problems:
            unique = dict.fromkeys(self.problems)
            raise ContentError(sorted(unique, key=lambda p: (p.file, p.line, p.col, p.path, p.message)))

    # -- structure -----------------------------------------------------------------
    def mapping(
        self,
        node: Node | None,
        path: str,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> dict[str, Node] | None:
        """Check that ``node`` is a mapping with the required keys and no unknown ones."""
        if node is None:
            return None
        if node.kind != "map":
            self.error(node, path, f"expected a mapping, found {_found(node)}")
            return None
        required, optional = tuple(required), tuple(optional)
        shape = _SHAPES.get((required, optional))
        if shape is None:
            shape = _SHAPES.setdefault((required, optional), (frozenset(required), frozenset(required) | frozenset(optional)))
        need, allowed = shape
        keys = node.value.keys()
        if need <= keys and keys <= allowed:
            return node.value  # the common case: nothing missing, nothing unknown
        for key in required:
            if key not in node.value:
                self.error(node, join(path, key), "expected a value for this required field, found none (field is missing)")
        for key in node.value:
            if key not in allowed:
                close = suggest(key, sorted(allowed), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; known fields: {', '.join(sorted(allowed))}"
                mark = node.key_marks[key] if node.key_marks else node.mark
                self.error(mark, join(path, key), f"expected a known field, found unknown field {key!r}{hint}")
        return node.value

    def seq(self, node: Node | None, path: str, min_len: int = 0, max_len: int | None = None) -> list[Node]:
        """Check that ``node`` is a list of allowed length; return its items (empty if unusable)."""
        if node is None:
            return []
        if node.kind != "seq":
            self.error(node, path, f"expected a list, found {_found(node)}")
            return []
        n = len(node.value)
        if n < min_len or (max_len is not None and n > max_len):
            if max_len is None:
                want = f"at least {count(min_len, 'item')}"
            elif min_len == max_len:
                want = f"exactly {min_len} items"
            else:
                want = f"{min_len} to {max_len} items"
            self.error(node, path, f"expected a list of {want}, found {n}")
        return node.value

    # -- scalars -------------------------------------------------------------------
    def string(self, node: Node | None, path: str, *, empty: bool = False) -> str | None:
        """A string (non-blank unless ``empty``)."""
        if node is None:
            return None
        value = node.value
        if type(value) is not str:  # a str value only ever belongs to a scalar node
            self.error(node, path, f"expected a string, found {_found(node)}")
            return None
        text = value.strip() if "\n" not in value else value.rstrip()
        if not empty and not text.strip():
            self.error(node, path, "expected a non-empty string, found an empty one")
            return None
        return text

    def ident(self, node: Node | None, path: str) -> str | None:
        """A stable id such as ``data-analyst``."""
        if node is None:
            return None
        if node.kind != "scalar" or not isinstance(node.value, str) or not IDENT.match(node.value):
            self.error(node, path, f"expected an id of lowercase letters, digits and single hyphens (like 'data-analyst'), found {_found(node)}")
            return None
        return node.value

    def url(self, node: Node | None, path: str) -> str | None:
        """An absolute https URL."""
        text = self.string(node, path)
        if text is None or node is None:
            return None
        if not URL.match(text):
            self.error(node, path, f"expected an https:// URL, found {text!r}")
            return None
        return text

    def number(self, node: Node | None, path: str, *, min_value: float | None = None, max_value: float | None = None, exclusive_min: bool = False) -> float | None:
        """A finite number (int or float, not a boolean, not .nan or .inf) within bounds."""
        if node is None:
            return None
        v = node.value
        if node.kind != "scalar" or isinstance(v, bool) or not isinstance(v, (int, float)):
            self.error(node, path, f"expected a number, found {_found(node)}")
            return None
        if not math.isfinite(v):  # .nan, .inf: an infinite tolerance would accept every answer
            self.error(node, path, f"expected a finite number, found {v!r}")
            return None
        if min_value is not None and (v <= min_value if exclusive_min else v < min_value):
            self.error(node, path, f"expected a number {'greater than' if exclusive_min else 'at least'} {min_value:g}, found {v!r}")
            return None
        if max_value is not None and v > max_value:
            self.error(node, path, f"expected a number at most {max_value:g}, found {v!r}")
            return None
        return float(v)

    def integer(self, node: Node | None, path: str, *, min_value: int | None = None, max_value: int | None = None) -> int | None:
        """A whole number within bounds."""
        if node is None:
            return None
        v = node.value
        if node.kind != "scalar" or isinstance(v, bool) or not isinstance(v, int):
            self.error(node, path, f"expected a whole number, found {_found(node)}")
            return None
        if (min_value is not None and v < min_value) or (max_value is not None and v > max_value):
            lo = "" if min_value is None else f" from {min_value}"
            hi = "" if max_value is None else f" to {max_value}"
            self.error(node, path, f"expected a whole number{lo}{hi}, found {v!r}")
            return None
        return v

    def boolean(self, node: Node | None, path: str) -> bool | None:
        """``true`` or ``false``."""
        if node is None:
            return None
        if node.kind != "scalar" or not isinstance(node.value, bool):
            self.error(node, path, f"expected true or false, found {_found(node)}")
            return None
        return node.value

    def enum(self, node: Node | None, path: str, cls: type[EnumT]) -> EnumT | None:
        """One of the values of an :class:`Enum` (matched on ``.value``)."""
        if node is None:
            return None
        if node.kind == "scalar" and isinstance(node.value, str):
            member = cls._value2member_map_.get(node.value)
            if member is not None:
                return member  # type: ignore[return-value]
        values = [m.value for m in cls]
        close = suggest(str(node.value), values, n=1) if node.kind == "scalar" else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        self.error(node, path, f"expected one of {', '.join(repr(v) for v in values)}, found {_found(node)}{hint}")
        return None

    def strings(self, node: Node | None, path: str, min_len: int = 0, max_len: int | None = None) -> tuple[str, ...]:
        """A list of non-empty strings."""
        out = []
        for i, item in enumerate(self.seq(node, path, min_len, max_len)):
            s = self.string(item, f"{path}[{i}]")
            if s is not None:
                out.append(s)
        return tuple(out)

    def idents(self, node: Node | None, path: str, min_len: int = 0) -> tuple[tuple[str, Node], ...]:
        """A list of ids, each with its node (for later reference checks); duplicates reported."""
        out: list[tuple[str, Node]] = []
        seen: set[str] = set()
        for i, item in enumerate(self.seq(node, path, min_len)):
            s = self.ident(item, join(path, i))
            if s is None:
                continue
            if s in seen:
                self.error(item, join(path, i), f"expected each id once, found {s!r} again")
                continue
            seen.add(s)
            out.append((s, item))
        return tuple(out)

    def reference(self, node: Node, path: str, value: str, known: Collection[str], kind: str) -> bool:
        """Check that ``value`` names a known ``kind`` (a set or dict for speed); report a close match otherwise."""
        if value in known:
            return True
        close = suggest(value, list(known), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        self.error(node, path, f"expected the id of a known {kind}, found {value!r}{hint}")
        return False

    def schema_version(self, root: dict[str, Node], path: str, supported: int, kind: str) -> bool:
        """Check ``schema_version``: too old and too new are told apart."""
        node = root.get("schema_version")
        if node is None:
            return False
        v = self.integer(node, join(path, "schema_version"), min_value=1)
        if v is None:
            return False
        if v > supported:
            self.error(node, join(path, "schema_version"), f"expected {kind} schema_version {supported} or older, found {v}: this file needs a newer rolecourse")
            return False
        if v < supported:
            self.error(node, join(path, "schema_version"), f"expected {kind} schema_version {supported}, found {v}: this file is too old; see the README on upgrading content")
            return False
        return True
