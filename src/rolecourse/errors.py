"""The errors rolecourse raises for things a user can get wrong.

Every error a learner, instructor or author can trigger is a :class:`RolecourseError`.
Content problems (a bad ``roles.yaml``, quiz bank or roster) are collected into one
:class:`ContentError` with one :class:`Problem` per line, in the form
``file:line:col: field.path: what was expected, what was found``.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from collections.abc import Iterable


MAX_EXCERPT = 80
"""Most characters of an input a message quotes (a longer one is cut with "...")."""

MAX_LINE = 500
"""Most characters of one problem line."""

MAX_PROBLEMS_SHOWN = 50
"""Most problems a :class:`ContentError` message lists; it then says how many more there were."""


def excerpt(text: object, limit: int = MAX_EXCERPT) -> str:
    """``text`` as a string of at most ``limit`` characters (a longer one ends with "...")."""
    shown = text if isinstance(text, str) else str(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


class RolecourseError(Exception):
    """Base class of every error rolecourse raises on purpose."""


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a content file, located in it."""

    file: str
    """The file as the user named it (or the shipped file's name)."""
    line: int
    """1-based line of the offending text."""
    col: int
    """1-based column of the offending text."""
    path: str
    """Dotted path of the field, e.g. ``roles[0].skill_groups[1].items[2].skill``."""
    message: str
    """What was expected and what was found."""

    def __str__(self) -> str:
        return excerpt(f"{self.file}:{self.line}:{self.col}: {self.path or '(root)'}: {self.message}", MAX_LINE)


class ContentError(RolecourseError, ValueError):
    """A content file (curriculum, quiz bank, exercise, roster) is invalid.

    ``str()`` gives one line per problem; ``problems`` holds them as data.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            lines.append(f"... and {more} more problem{'s' if more != 1 else ''} (only the first {MAX_PROBLEMS_SHOWN} are shown)")
        super().__init__("\n".join(lines))


class UsageError(RolecourseError, ValueError):
    """The caller asked for something that does not make sense (bad option, bad value)."""


class MissingExtraError(RolecourseError, ImportError):
    """A feature needs a library of an extra that is not installed; the one-line message names the install command."""


class UnknownNameError(UsageError, LookupError):
    """A role, skill, question or learner name that does not exist; offers close matches.

    With no close match, the message lists the names to choose from when there are at most
    :data:`LIST_AT_MOST` of them: ``listed`` (for example ids only, where ``known`` also holds
    display names), else ``known``.
    """

    LIST_AT_MOST = 12
    """The most names a message lists when none is close to the one given."""

    def __init__(self, kind: str, name: str, known: Iterable[str], listed: Iterable[str] | None = None) -> None:
        known = list(known)
        self.kind = kind
        self.name = name
        self.suggestions: tuple[str, ...] = tuple(suggest(name, known))
        options = list(dict.fromkeys(known if listed is None else listed))
        if self.suggestions:
            hint = f"; did you mean {' or '.join(repr(s) for s in self.suggestions)}?"
        elif 0 < len(options) <= self.LIST_AT_MOST:
            hint = f"; expected one of {', '.join(repr(o) for o in options)}"
        else:
            hint = ""
        super().__init__(f"unknown {kind} {excerpt(name)!r}{hint}")


def suggest(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` entries of ``known`` that look like ``name`` (case-insensitive)."""
    known = list(known)
    if len(name) > MAX_EXCERPT:  # no name of the course is that long; comparing would cost seconds
        return []
    lowered = {k.lower(): k for k in known}
    hits = get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]


def describe(value: object) -> str:
    """Describe a found value for an error message: ``'sqll' (a string)``."""
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        type(None): "null",
        list: "a list",
        dict: "a mapping",
    }
    kind = names.get(type(value), f"a {type(value).__name__}")
    if value is None:
        return "null"
    if isinstance(value, (list, dict)):
        return kind
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({kind})"
