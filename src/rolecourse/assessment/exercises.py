"""Hands-on exercises: metadata loaded from ``exercises/<id>/exercise.yaml``.

An exercise folder holds ``exercise.yaml`` (the steps, their checks, hints and solutions, as
data), the learner's notebook and small data files. :func:`load_exercise` returns an
:class:`Exercise` for a notebook: ``ex.step("revenue-by-region").check(answer)``,
``.hint()``, ``.solution()``; ``ex.data_path(name)`` and ``ex.load(name)`` open the shipped
data wherever the course is installed. Checking itself is :func:`rolecourse.assessment.checking.check`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..content import _files, _yaml
from .._resources import data_path
from ..content._schema import Reader, join
from ..content._yaml import Node
from .checking import CheckResult, Hint, ProgressRecorder, Solution, StepSpec, check
from .checks import CHECK_KINDS, Case, Check, CheckKind, Mistake, MistakeKind, compare
from .._extras import require
from ..errors import ContentError, Problem, UnknownNameError, UsageError

__all__ = ["Exercise", "ExerciseSpec", "ExerciseStep", "Workbook", "list_exercises", "load_exercise", "read_exercise", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1
"""The exercise metadata format this version of rolecourse reads."""

FOLDER = re.compile(r"\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""Exercise folders: two digits, then the role id and a topic (``01-data-analyst-sql``)."""

DATA_SUFFIXES = (".csv", ".json", ".sqlite")
"""Kinds of data file an exercise may ship."""


@dataclass(frozen=True, slots=True)
class ExerciseSpec:
    """One exercise as loaded from its metadata file."""

    id: str
    """Stable id, equal to the folder's name (``01-data-analyst-sql``)."""
    role: str
    """Id of the role the exercise is for."""
    title: str
    """Title."""
    summary: str
    """What the learner will practise, in Markdown."""
    skills: tuple[str, ...]
    """Ids of the skills practised."""
    minutes: int
    """Estimated minutes to complete."""
    data: tuple[str, ...]
    """Names of the data files shipped in the folder."""
    setup: str
    """Python code the notebook runs after loading the exercise (imports, loading the data)."""
    steps: tuple[StepSpec, ...]
    """The steps, in order."""
    folder: Path
    """The folder holding the metadata, notebook and data."""

    @property
    def notebook(self) -> Path:
        """The learner's notebook."""
        return self.folder / f"{self.id}.ipynb"

    def step(self, step_id: str) -> StepSpec:
        """The step with id ``step_id``."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise UnknownNameError("step", step_id, [s.id for s in self.steps])


class ExerciseStep:
    """A step as the learner uses it: ``check(value)``, ``hint()``, ``solution()``."""

    def __init__(self, exercise: Workbook, step: StepSpec) -> None:
        self.exercise = exercise
        """The exercise (or lesson) this step belongs to."""
        self.spec = step
        """The step's data."""
        self._shown = 0

    @property
    def id(self) -> str:
        """The step's id."""
        return self.spec.id

    @property
    def title(self) -> str:
        """The step's title."""
        return self.spec.title

    def check(self, value: Any, *, learner: str | None = None, store: ProgressRecorder | None = None) -> CheckResult:
        """Check ``value`` (``...`` or None: not attempted) and record the outcome if a store is known."""
        result = check(self.spec, value)
        store = store if store is not None else self.exercise.record_to
        if store is not None:
            who = learner if learner is not None else self.exercise.learner
            if not who:
                raise UsageError("to record progress, name the learner: load_exercise(..., learner='ada') or check(value, learner='ada')")
            store.record_exercise(
                who,
                exercise=self.exercise.id,
                step=self.id,
                outcome=result.outcome.value,
                message=result.message,
            )
        return result

    def hint(self, n: int | None = None) -> Hint:
        """The next hint (``n``: hint number ``n``, from 1); after the last, the last again, saying there are no more."""
        hints = self.spec.hints
        if n is None:
            repeated = self._shown >= len(hints)
            self._shown = min(self._shown + 1, len(hints))
            return Hint(self.id, self._shown, len(hints), hints[self._shown - 1], repeated=repeated)
        elif isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(hints):
            raise UsageError(f"step {self.id!r} has hints 1 to {len(hints)}, not {n!r}")
        return Hint(self.id, n, len(hints), hints[n - 1])

    def solution(self) -> Solution:
        """The reference solution."""
        return Solution(self.id, self.spec.solution)

    def __repr__(self) -> str:
        return f"<ExerciseStep {self.exercise.id}:{self.id}>"

    def _repr_markdown_(self) -> str:
        return f"### {self.title}\n\n{self.spec.prompt}"


class Workbook:
    """What an opened exercise and an opened lesson share: their steps, where results go, their shipped data."""

    _data_kind = "CSV data"
    """What a CSV data file is called in the line that names the missing pandas."""

    def __init__(self, spec: Any, steps: Sequence[StepSpec], *, record_to: ProgressRecorder | None, learner: str | None) -> None:
        self.spec = spec
        """The exercise's or lesson's data (its ``id``, ``folder`` and shipped ``data`` files among them)."""
        self.record_to = record_to
        """Where check results (and a lesson's quiz answers) are recorded (None: nowhere)."""
        self.learner = learner
        """Whose results they are."""
        self.steps: tuple[ExerciseStep, ...] = tuple(ExerciseStep(self, s) for s in steps)
        """The steps, in order, as the learner uses them."""

    @property
    def id(self) -> str:
        """The exercise's id, or the lesson's (its module's id): results are recorded under it."""
        return str(self.spec.id)

    def step(self, step_id: str) -> ExerciseStep:
        """The step with id ``step_id`` (the same object every time, so hints advance)."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise UnknownNameError("step", step_id, [s.id for s in self.steps])

    def data_path(self, name: str) -> Path:
        """The path of shipped data file ``name``."""
        return data_file(self.spec.folder, self.spec.data, name)

    def load(self, name: str) -> Any:
        """Open data file ``name``: CSV as a DataFrame, JSON as Python data, SQLite read-only, text as a string, others as a path."""
        return open_data(self.data_path(name), self._data_kind)


class Exercise(Workbook):
    """An exercise opened in a notebook, optionally recording results for a learner."""

    _data_kind = "an exercise's CSV data"

    def __init__(self, spec: ExerciseSpec, *, record_to: ProgressRecorder | None = None, learner: str | None = None) -> None:
        super().__init__(spec, spec.steps, record_to=record_to, learner=learner)

    @property
    def role(self) -> str:
        """Id of the role the exercise is for."""
        return self.spec.role

    @property
    def title(self) -> str:
        """The exercise's title."""
        return self.spec.title

    def __repr__(self) -> str:
        return f"<Exercise {self.id}: {len(self.steps)} steps>"

    def _repr_markdown_(self) -> str:
        steps = "\n".join(f"{i}. {s.title} (`{s.id}`)" for i, s in enumerate(self.steps, start=1))
        return f"**{self.title}** (about {self.spec.minutes} minutes)\n\n{steps}"


def data_file(folder: Path, shipped: Sequence[str], name: str) -> Path:
    """The path of data file ``name`` among the ``shipped`` files of ``folder`` (an exercise's or a lesson's)."""
    if name not in shipped:
        raise UnknownNameError("data file", name, shipped)
    return folder / name


def open_data(path: Path, what: str) -> Any:
    """Open a shipped data file by its suffix: CSV as a pandas DataFrame, JSON as Python data, SQLite
    as a read-only connection, text and Markdown as a string, anything else as its path."""
    name = path.name
    if name.endswith(".csv"):
        pd = require("pandas", what)
        return pd.read_csv(path)
    if name.endswith(".json"):
        import json

        return json.loads(_files.read_text(path))
    if name.endswith(".sqlite"):
        import sqlite3

        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    if name.endswith((".txt", ".md")):
        return _files.read_text(path)
    return path


# -- loading ---------------------------------------------------------------------------------


def exercises_root() -> Path:
    """The folder holding the shipped exercises."""
    return data_path("exercises")


def list_exercises(root: Path | None = None) -> tuple[ExerciseSpec, ...]:
    """Every exercise under ``root`` (default: the shipped ones), in id order."""
    base = Path(root) if root is not None else exercises_root()
    found = sorted(p for p in base.iterdir() if p.is_dir() and FOLDER.match(p.name) and (p / "exercise.yaml").is_file())
    return tuple(read_exercise(p / "exercise.yaml") for p in found)


def load_exercise(
    exercise_id: str,
    *,
    record_to: ProgressRecorder | None = None,
    learner: str | None = None,
    root: Path | None = None,
) -> Exercise:
    """Open exercise ``exercise_id`` for a notebook; results go to ``record_to`` for ``learner`` if given."""
    base = Path(root) if root is not None else exercises_root()
    folder = base / exercise_id
    if not isinstance(exercise_id, str) or not FOLDER.match(exercise_id) or not (folder / "exercise.yaml").is_file():
        known = sorted(p.name for p in base.iterdir() if p.is_dir() and (p / "exercise.yaml").is_file())
        raise UnknownNameError("exercise", str(exercise_id), known)
    return Exercise(read_exercise(folder / "exercise.yaml"), record_to=record_to, learner=learner)


def read_exercise(path: str | Path, display: str | None = None) -> ExerciseSpec:
    """Read and validate one ``exercise.yaml``; raise :class:`ContentError` listing every problem."""
    p = Path(path)
    name = display if display is not None else _display(p)
    root = _yaml.load(p, name)
    r = Reader()
    spec = _read(r, root, p.parent)
    r.raise_if_any()
    if spec is None:  # defensive: every path that gives None has recorded a problem
        raise ContentError([Problem(name, 1, 1, "", "expected an exercise, found nothing usable")])
    return spec


def _display(p: Path) -> str:
    return f"{p.parent.name}/{p.name}"


_TOP_REQUIRED = ("schema_version", "id", "role", "title", "summary", "skills", "minutes", "steps")
_TOP_OPTIONAL = ("data", "setup")
_STEP_REQUIRED = ("id", "title", "prompt", "skills", "check", "expected", "mistakes", "hints", "solution")
_STEP_OPTIONAL = ("answer", "starter")
_CHECK_FIELDS = ("kind", "rtol", "atol", "ordered", "ignore_case", "mark", "inputs", "compare", "pure", "no_loops")


def _read(r: Reader, root: Node, folder: Path) -> ExerciseSpec | None:
    top = r.mapping(root, "", _TOP_REQUIRED, _TOP_OPTIONAL)
    if top is None:
        return None
    if not r.schema_version(top, "", SCHEMA_VERSION, "exercise"):
        return None
    ex_id = r.ident(top.get("id"), "id")
    if ex_id is not None and ex_id != folder.name:
        r.error(top["id"], "id", f"expected the folder's name {folder.name!r}, found {ex_id!r}")
    role = r.ident(top.get("role"), "role")
    title = r.string(top.get("title"), "title")
    summary = r.string(top.get("summary"), "summary")
    skills = tuple(s for s, _ in r.idents(top.get("skills"), "skills", min_len=1))
    minutes = r.integer(top.get("minutes"), "minutes", min_value=1, max_value=600)
    data = _read_data(r, top.get("data"), folder)
    setup = r.string(top["setup"], "setup") if "setup" in top else ""
    steps: list[StepSpec] = []
    seen: dict[str, Node] = {}
    for i, node in enumerate(r.seq(top.get("steps"), "steps", min_len=1)):
        path = join("steps", i)
        read = _read_step(r, node, path)
        if read is None:
            continue
        step, skill_nodes = read
        if step.id in seen:
            r.error(node.value["id"], join(path, "id"), f"expected each step id once, found {step.id!r} again")
            continue
        seen[step.id] = node
        for k, (s, snode) in enumerate(skill_nodes):
            r.reference(snode, join(join(path, "skills"), k), s, skills, "skill of this exercise (listed in the top-level skills)")
        steps.append(step)
    if None in (ex_id, role, title, summary, minutes, setup):
        return None
    return ExerciseSpec(ex_id, role, title, summary, skills, minutes, data, setup, tuple(steps), folder)  # type: ignore[arg-type]


def _read_data(
    r: Reader, node: Node | None, folder: Path, suffixes: tuple[str, ...] = DATA_SUFFIXES, kind: str = "exercise"
) -> tuple[str, ...]:
    """The ``data`` list of an exercise (or, with its suffixes and kind, a lesson): file names in its folder."""
    out = []
    for i, item in enumerate(r.seq(node, "data")):
        name = r.string(item, join("data", i))
        if name is None:
            continue
        if "/" in name or "\\" in name or not name.endswith(suffixes):
            r.error(item, join("data", i), f"expected a file name ending in {', '.join(suffixes)} in the {kind} folder, found {name!r}")
        elif not (folder / name).is_file():
            r.error(item, join("data", i), f"expected a data file beside {kind}.yaml, found no file {name!r}")
        else:
            out.append(name)
    return tuple(out)


def _read_step(r: Reader, node: Node, path: str) -> tuple[StepSpec, tuple[tuple[str, Node], ...]] | None:
    """A step, with its skill ids' nodes (to check them against the exercise's skills)."""
    m = r.mapping(node, path, _STEP_REQUIRED, _STEP_OPTIONAL)
    if m is None:
        return None
    sid = r.ident(m.get("id"), join(path, "id"))
    title = r.string(m.get("title"), join(path, "title"))
    prompt = r.string(m.get("prompt"), join(path, "prompt"))
    skill_nodes = r.idents(m.get("skills"), join(path, "skills"), min_len=1)
    skills = tuple(s for s, _ in skill_nodes)
    chk = _read_check(r, m.get("check"), join(path, "check"), nested=False)
    hints = r.strings(m.get("hints"), join(path, "hints"), min_len=1)
    solution = r.string(m.get("solution"), join(path, "solution"))
    answer = "answer"
    if "answer" in m:
        a = r.string(m["answer"], join(path, "answer"))
        if a is not None and not a.isidentifier():
            r.error(m["answer"], join(path, "answer"), f"expected a Python variable name, found {a!r}")
        answer = a or answer
    starter = r.string(m["starter"], join(path, "starter")) or "" if "starter" in m else ""
    if chk is None or sid is None:
        return None
    expected = _read_expected(r, chk, m.get("expected"), join(path, "expected"))
    mistakes = _read_mistakes(r, chk, m.get("mistakes"), join(path, "mistakes"), expected)
    if None in (title, prompt, solution) or expected is _BAD:
        return None
    step = StepSpec(sid, title, prompt, skills, chk, expected, mistakes, hints, solution, answer, starter)  # type: ignore[arg-type]
    return step, skill_nodes


def _read_check(r: Reader, node: Node | None, path: str, *, nested: bool) -> Check | None:
    m = r.mapping(node, path, ("kind",), _CHECK_FIELDS[1:])
    if m is None:
        return None
    kind = r.enum(m.get("kind"), join(path, "kind"), CheckKind)
    if kind is None:
        return None
    if nested and kind in (CheckKind.CALLABLE, CheckKind.CHART):
        r.error(m["kind"], join(path, "kind"), f"expected a comparison of values (not {kind.value!r}) for a callable's outputs")
        return None
    opts: dict[str, Any] = {}
    for key in ("rtol", "atol"):
        if key in m:
            v = r.number(m[key], join(path, key), min_value=0)
            if v is not None:
                opts[key] = v
    for key in ("ordered", "ignore_case"):
        if key in m:
            b = r.boolean(m[key], join(path, key))
            if b is not None:
                opts[key] = b
    for key in ("pure", "no_loops"):  # options of callable checks only
        if key in m:
            if kind is not CheckKind.CALLABLE:
                r.error(m[key], join(path, key), f"expected {key!r} only on a 'callable' check, found it on a {kind.value!r} check")
                continue
            b = r.boolean(m[key], join(path, key))
            if b is not None:
                opts[key] = b
    for key, allowed, applies in (("mark", ("bar", "line"), CheckKind.CHART), ("inputs", ("literal", "array"), CheckKind.CALLABLE)):
        if key in m:
            if kind is not applies:
                r.error(m[key], join(path, key), f"expected {key!r} only on a {applies.value!r} check, found it on a {kind.value!r} check")
                continue
            v = r.string(m[key], join(path, key))
            if v is not None and v not in allowed:
                r.error(m[key], join(path, key), f"expected one of {', '.join(map(repr, allowed))}, found {v!r}")
            elif v is not None:
                opts[key] = v
    if "compare" in m:
        if kind is not CheckKind.CALLABLE:
            r.error(m["compare"], join(path, "compare"), f"expected 'compare' only on a 'callable' check, found it on a {kind.value!r} check")
        else:
            inner = _read_check(r, m["compare"], join(path, "compare"), nested=True)
            if inner is not None:
                opts["compare"] = inner
    return Check(kind, **opts)


_BAD = object()


def _read_expected(r: Reader, chk: Check, node: Node | None, path: str, *, output: bool = False) -> Any:
    if node is None:
        return _BAD
    if output and chk.kind is CheckKind.EQUALS:  # a function may return any plain value, None included
        return node.plain()
    if chk.kind is CheckKind.CALLABLE:
        inner = chk.compare or Check(CheckKind.EQUALS)
        cases = []
        for i, item in enumerate(r.seq(node, path, min_len=1)):
            cm = r.mapping(item, join(path, i), ("args", "output"), ("kwargs",))
            if cm is None:
                continue
            args = r.seq(cm.get("args"), join(join(path, i), "args"))
            kwargs: tuple[tuple[str, Any], ...] = ()
            if "kwargs" in cm:
                km = r.mapping(cm["kwargs"], join(join(path, i), "kwargs"), (), tuple(cm["kwargs"].value) if cm["kwargs"].kind == "map" else ())
                kwargs = tuple((k, v.plain()) for k, v in (km or {}).items())
            out = _read_expected(r, inner, cm.get("output"), join(join(path, i), "output"), output=True)
            if out is not _BAD:
                cases.append(Case(tuple(a.plain() for a in args), out, kwargs))
        return tuple(cases) if cases else _BAD
    value = node.plain()
    rules = CHECK_KINDS[chk.kind]
    ok, want = rules.expected_form(value), rules.expected_text
    if not ok:
        r.error(node, path, f"expected {want} for a {chk.kind.value!r} check, found {_found(value)}")
        return _BAD
    return value


def _found(value: Any) -> str:
    from ..errors import describe

    return describe(value)


_MISTAKE_FIELDS = ("kind", "value", "factor", "low", "high", "message")


def _read_mistakes(r: Reader, chk: Check, node: Node | None, path: str, expected: Any) -> tuple[Mistake, ...]:
    base = chk.compare or Check(CheckKind.EQUALS) if chk.kind is CheckKind.CALLABLE else chk
    allowed = CHECK_KINDS[base.kind].mistakes
    out = []
    for i, item in enumerate(r.seq(node, path, min_len=2)):
        p = join(path, i)
        m = r.mapping(item, p, ("message",), _MISTAKE_FIELDS)
        if m is None:
            continue
        message = r.string(m.get("message"), join(p, "message"))
        if "kind" in m:
            kind = r.enum(m["kind"], join(p, "kind"), MistakeKind)
        elif "value" in m:
            kind = MistakeKind.VALUE
        else:
            r.error(item, p, "expected a 'kind' or a 'value' saying how to recognise the mistake, found neither")
            continue
        if kind is None or message is None:
            continue
        if kind not in allowed:
            names = ", ".join(sorted(k.value for k in allowed))
            r.error(m.get("kind", item), join(p, "kind"), f"expected a mistake kind that applies to a {base.kind.value!r} check ({names}), found {kind.value!r}")
            continue
        needs = {MistakeKind.VALUE: ("value",), MistakeKind.OFF_BY_FACTOR: ("factor",), MistakeKind.BETWEEN: ("low", "high")}.get(kind, ())
        extra = [k for k in ("value", "factor", "low", "high") if k in m and k not in needs]
        bad = False
        for k in needs:
            if k not in m:
                r.error(item, join(p, k), f"expected {k!r} (a {kind.value!r} mistake needs it), found none")
                bad = True
        for k in extra:
            r.error(m[k], join(p, k), f"expected no {k!r} on a {kind.value!r} mistake, found one")
            bad = True
        if bad:
            continue
        fields: dict[str, Any] = {}
        if kind is MistakeKind.VALUE:
            fields["value"] = m["value"].plain()
            ok, want = _mistake_shape(chk, fields["value"], expected)
            if not ok:
                r.error(m["value"], join(p, "value"), f"expected {want} as a wrong answer to a {chk.kind.value!r} check, found {_found(fields['value'])}")
                continue
            if expected is not _BAD and _value_is_correct(chk, fields["value"], expected):
                r.error(m["value"], join(p, "value"), "expected a wrong answer, found a value the check accepts as correct")
                continue
        for k in ("factor", "low", "high"):
            if k in m:
                v = r.number(m[k], join(p, k))
                if v is None:
                    bad = True
                fields[k] = v
        if bad:
            continue
        out.append(Mistake(kind, message, **fields))
    return tuple(out)


def _mistake_shape(chk: Check, value: Any, expected: Any) -> tuple[bool, str]:
    """Whether a mistake's literal value has the form the check compares."""
    if chk.kind is CheckKind.CALLABLE:
        n = len(expected) if expected is not _BAD else None
        ok = isinstance(value, list) and (n is None or len(value) == n)
        return ok, f"a list of outputs, one per case ({n})" if n is not None else "a list of outputs, one per case"
    return CHECK_KINDS[chk.kind].mistake_value_form(value)


def _value_is_correct(chk: Check, value: Any, expected: Any) -> bool:
    """Whether a mistake's literal value would pass the step's check (a content bug)."""
    if chk.kind is CheckKind.CALLABLE:
        inner = chk.compare or Check(CheckKind.EQUALS)
        return isinstance(value, list) and len(value) == len(expected) and all(compare(inner, v, c.output)[0] for v, c in zip(value, expected))
    if chk.kind is CheckKind.CHART:
        return False
    return compare(chk, value, expected)[0]
