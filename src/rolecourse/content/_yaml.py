"""A strict YAML reader that keeps the position of every value.

It has ``yaml.safe_load`` semantics for what it accepts (plain YAML 1.1 scalars, lists,
mappings) and refuses more: duplicate keys at any depth, anchors and aliases (so an
alias bomb never expands), tags other than the standard ones, several documents, files
over a size limit (refused before they are read) and text that is not UTF-8. Every
problem becomes a :class:`~rolecourse.errors.Problem`; nothing else escapes.
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from collections.abc import Callable, Iterator
from typing import NamedTuple
TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: `import rolecourse` stays light
    from typing import Any

import yaml
from yaml import events as ev

from .._gc import paused_gc
from ..errors import ContentError, Problem, describe
from . import _files

try:  # libyaml's C parser when PyYAML was built with it, else the pure-Python one
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_BYTES = _files.MAX_BYTES
"""Content files larger than this are refused before they are parsed."""

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null")}
_constructor = yaml.constructor.SafeConstructor()
_BUILD = {
    _STD + "str": None,
    _STD + "int": _constructor.construct_yaml_int,
    _STD + "float": _constructor.construct_yaml_float,
    _STD + "bool": _constructor.construct_yaml_bool,
    _STD + "null": _constructor.construct_yaml_null,
    _STD + "timestamp": _constructor.construct_yaml_timestamp,
}


class Mark(NamedTuple):
    """Where a value starts in its file (a tuple: cheap to make for every value)."""

    file: str
    """The file's display name."""
    line: int
    """1-based line."""
    col: int
    """1-based column."""


def as_mark(m: Any) -> Mark:
    """A :class:`Mark` from a Mark or from PyYAML's own 0-based mark (named after the file)."""
    return m if type(m) is Mark else Mark(m.name, m.line + 1, m.column + 1)


class Node:
    """A YAML value with its position: a scalar, a list (``seq``) or a mapping (``map``).

    Positions are kept as PyYAML made them and turned into :class:`Mark` only when asked
    for (mostly to report a problem), which saves building one per value.
    """

    __slots__ = ("kind", "value", "_at", "_keys")

    def __init__(self, kind: str, value: Any, mark: Any, key_marks: dict[str, Any] | None = None) -> None:
        self.kind = kind
        """``"scalar"``, ``"seq"`` or ``"map"``."""
        self.value = value
        """A Python scalar, a ``list[Node]`` or a ``dict[str, Node]``."""
        self._at = mark
        self._keys = key_marks

    @property
    def mark(self) -> Mark:
        """Where the value starts."""
        return as_mark(self._at)

    @property
    def key_marks(self) -> dict[str, Mark] | None:
        """For a mapping, where each key stands."""
        return None if self._keys is None else {k: as_mark(m) for k, m in self._keys.items()}

    def plain(self) -> Any:
        """The value as plain Python data, positions dropped."""
        if self.kind == "map":
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.plain() for v in self.value]
        return self.value

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.plain()!r} at {self.mark.line}:{self.mark.col})"


class _NamedText(io.StringIO):
    """Text to parse, carrying the file's display name into every PyYAML mark."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


def read_text(path: Path, display: str, max_bytes: int = MAX_BYTES) -> str:
    """Read ``path`` as UTF-8 text with the one reader (:mod:`._files`): a regular file of at most ``max_bytes``."""
    try:
        data = _files.read_bytes(path, max_bytes)
    except _files.InputFileError as exc:
        reason = exc.strerror if exc.errno == errno.EFBIG else f"cannot read the file: {exc.strerror}"
        raise ContentError([Problem(display, 1, 1, "", reason)]) from None
    return decode(data, display)


def decode(data: bytes, display: str) -> str:
    """Decode UTF-8 (a BOM is allowed), locating the first bad byte in an error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        col = start - (data.rfind(b"\n", 0, start) + 1) + 1
        bad = data[start : start + 1].hex()
        raise ContentError(
            [Problem(display, line, col, "", f"expected UTF-8 text, found the byte 0x{bad}")]
        ) from None


def load(path: str | os.PathLike[str], display: str | None = None, max_bytes: int = MAX_BYTES) -> Node:
    """Read and parse one YAML file strictly; raise :class:`ContentError` listing every problem."""
    p = Path(path)
    name = display if display is not None else str(path)
    return parse(read_text(p, name, max_bytes), name)


def parse(text: str, display: str = "<string>") -> Node:
    """Parse YAML text strictly into a :class:`Node`; raise :class:`ContentError` on any problem."""
    problems: list[Problem] = []
    try:
        with paused_gc():
            root = _compose(yaml.parse(_NamedText(text, display), Loader=_Loader), display, problems)
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        line, col = (m.line + 1, m.column + 1) if m is not None else (1, 1)
        what = exc.problem or exc.context or "syntax error"
        problems.append(Problem(display, line, col, "", f"invalid YAML: {what}"))
        root = None
    except yaml.YAMLError as exc:  # ReaderError: control characters and the like
        pos = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc)
        problems.append(Problem(display, line, col, "", f"invalid YAML: {reason}"))
        root = None
    if root is None and not problems:
        problems.append(Problem(display, 1, 1, "", "expected a YAML document, found an empty file"))
    if problems:
        raise ContentError(sorted(set(problems), key=lambda p: (p.line, p.col, p.message)))
    assert root is not None  # for type checkers: problems is empty only when a root was built
    return root


_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
"""PyYAML's implicit resolvers by first character (what safe_load uses for plain scalars)."""


_PLAIN: dict[str, Any] = {}
"""Values already built for plain scalars that need resolving (``8``, ``true``, ``foundation``…)."""

def _resolve(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag safe_load gives a plain scalar; quoted scalars are strings."""
    if not implicit[0]:
        return _STD + "str"
    for tag, regexp in _IMPLICIT.get(value[:1] if value else "", ()):
        if regexp.match(value):
            return tag
    return _STD + "str"


def _scalar(event: ev.ScalarEvent, file: str, here: Callable[[], str], problems: list[Problem]) -> Node:
    mark = as_mark(event.start_mark)
    tag = event.tag
    if tag is None or tag == "!":
        if tag == "!" or not event.implicit[0]:
            return Node("scalar", event.value, event.start_mark)
        tag = _resolve(event.value, event.implicit)
    if tag not in _BUILD:
        problems.append(Problem(file, mark.line, mark.col, here(), f"expected a plain value, found the tag {event.tag!r}"))
        return Node("scalar", event.value, event.start_mark)
    build = _BUILD[tag]
    if build is None:
        return Node("scalar", event.value, event.start_mark)
    try:
        value = build(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark))
    except (ValueError, yaml.YAMLError):
        problems.append(Problem(file, mark.line, mark.col, here(), f"expected a value of type {tag[len(_STD):]}, found {event.value!r}"))
        value = event.value
    return Node("scalar", value, event.start_mark)


def _compose(events: Iterator[ev.Event], file: str, problems: list[Problem]) -> Node | None:
    """Build the node tree from parser events without recursion (deep nesting is safe)."""
    # Each frame: [node, pending key (maps only), pending key mark, the node's place in its parent]
    stack: list[list[Any]] = []
    root: Node | None = None
    documents = 0
    anchors: dict[str, Problem] = {}
    aliases: dict[str, Problem] = {}

    def position() -> str | int | None:
        """Where the next value goes in the innermost collection: a list index or a mapping key."""
        if not stack:
            return None
        node, key = stack[-1][0], stack[-1][1]
        if node.kind == "seq":
            return len(node.value)
        return key if isinstance(key, str) else None

    def here() -> str:
        """The field path of the next value to attach (built only when a problem is reported)."""
        path = ""
        for frame in stack:
            path = _step(path, frame[3])
        return _step(path, position())

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        parent: Node = frame[0]
        if parent.kind == "seq":
            parent.value.append(node)
        elif frame[1] is _NO_KEY:
            if node.kind != "scalar" or not isinstance(node.value, str):
                shown = describe(node.value) if node.kind == "scalar" else f"a {'list' if node.kind == 'seq' else 'mapping'}"
                problems.append(Problem(file, node.mark.line, node.mark.col, here(), f"expected a string key, found {shown}"))
                frame[1] = _BAD_KEY
            else:
                frame[1] = node.value
            frame[2] = node._at
        else:
            key = frame[1]
            if key is not _BAD_KEY:
                if key in parent.value:
                    first = as_mark(parent._keys[key])
                    at = as_mark(frame[2])
                    problems.append(Problem(file, at.line, at.col, here(), f"duplicate key {key!r} (first defined at line {first.line})"))
                else:
                    parent.value[key] = node
                    parent._keys[key] = frame[2]
            frame[1] = _NO_KEY

    ScalarEvent = ev.ScalarEvent
    MappingStartEvent, MappingEndEvent = ev.MappingStartEvent, ev.MappingEndEvent
    SequenceStartEvent, SequenceEndEvent = ev.SequenceStartEvent, ev.SequenceEndEvent
    for event in events:
        cls = type(event)
        if cls is ScalarEvent and event.anchor is None and event.tag is None:
            # Fast path for the common case: an untagged scalar, most often a plain string.
            value = event.value
            sm = event.start_mark
            mark = sm
            needs_resolving = event.implicit[0] and (not value or value[0] in _IMPLICIT)
            if stack:
                frame = stack[-1]
                if frame[1] is _NO_KEY and not needs_resolving and frame[0].kind == "map":
                    frame[1] = value  # a mapping key that is surely a string: no node needed
                    frame[2] = mark
                    continue
            if needs_resolving:
                known = _PLAIN.get(value, _NO_KEY)
                if known is not _NO_KEY:
                    node = Node("scalar", known, mark)
                else:
                    before = len(problems)
                    node = _scalar(event, file, here, problems)
                    if len(problems) == before and len(_PLAIN) < 50_000 and len(value) < 64:
                        _PLAIN[value] = node.value  # ints, floats, bools, null, dates: all immutable
            else:
                node = Node("scalar", value, mark)
            if stack:
                frame = stack[-1]
                parent = frame[0]
                if parent.kind == "seq":
                    parent.value.append(node)
                    continue
                if frame[1] is _NO_KEY and type(node.value) is str:
                    frame[1] = node.value
                    frame[2] = mark
                    continue
            attach(node)
            continue
        if cls is MappingEndEvent or cls is SequenceEndEvent:
            node = stack.pop()[0]
            if stack:  # fast path: attach a finished collection to its parent
                frame = stack[-1]
                parent = frame[0]
                if parent.kind == "seq":
                    parent.value.append(node)
                    continue
                key = frame[1]
                if type(key) is str and key not in parent.value:
                    parent.value[key] = node
                    parent._keys[key] = frame[2]
                    frame[1] = _NO_KEY
                    continue
            attach(node)
            continue
        if (cls is MappingStartEvent or cls is SequenceStartEvent) and event.anchor is None and event.tag is None:
            # fast path: an untagged collection; remember its place in its parent for error paths
            if stack:
                top = stack[-1]
                place = len(top[0].value) if top[0].kind == "seq" else (top[1] if type(top[1]) is str else None)
            else:
                place = None
            if cls is MappingStartEvent:
                stack.append([Node("map", {}, event.start_mark, {}), _NO_KEY, None, place])
            else:
                stack.append([Node("seq", [], event.start_mark, None), _NO_KEY, None, place])
            continue
        anchor = getattr(event, "anchor", None)
        if anchor is not None and cls is not ev.AliasEvent:
            m = as_mark(event.start_mark)
            anchors[anchor] = Problem(file, m.line, m.col, here(), f"expected plain data, found the anchor &{anchor} (anchors and aliases are not allowed)")
        if cls is ev.ScalarEvent:
            attach(_scalar(event, file, here, problems))
        elif cls is ev.MappingStartEvent or cls is ev.SequenceStartEvent:
            tag = event.tag
            kind = "map" if cls is ev.MappingStartEvent else "seq"
            if tag is not None and tag != "!" and tag != _STD + kind:
                m = as_mark(event.start_mark)
                problems.append(Problem(file, m.line, m.col, here(), f"expected a plain {'mapping' if kind == 'map' else 'list'}, found the tag {tag!r}"))
            node = Node(kind, {} if kind == "map" else [], event.start_mark, {} if kind == "map" else None)
            stack.append([node, _NO_KEY, None, position()])
        elif cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
            node = stack.pop()[0]
            attach(node)
        elif cls is ev.AliasEvent:
            # Reported once per anchor, at its first use; never expanded, so an alias bomb costs nothing.
            m = as_mark(event.start_mark)
            if event.anchor not in aliases:
                aliases[event.anchor] = Problem(file, m.line, m.col, here(), f"expected plain data, found the alias *{event.anchor} (anchors and aliases are not allowed)")
            attach(Node("scalar", None, m))
        elif cls is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                m = as_mark(event.start_mark)
                problems.append(Problem(file, m.line, m.col, "", "expected a single YAML document, found another one"))
                break
    # An anchor is reported where it is defined only when no alias uses it (the alias says it all).
    problems.extend(p for name, p in anchors.items() if name not in aliases)
    problems.extend(aliases.values())
    if root is not None and root.kind == "scalar" and root.value is None:
        return None
    return root


def _step(path: str, place: str | int | None) -> str:
    """Extend a field path by a list index or a mapping key (``None``: stay)."""
    if place is None:
        return path
    if isinstance(place, int):
        return f"{path}[{place}]"
    return f"{path}.{place}" if path else place


_NO_KEY = object()
_BAD_KEY = object()
