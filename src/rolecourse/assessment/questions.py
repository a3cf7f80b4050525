"""Quiz banks and the "which role fits me" questionnaire: model, loading and validation.

A quiz bank is one YAML file per role under ``exercises/quizzes/<role-id>.yaml``; the
questionnaire is ``exercises/quizzes/which-role.yaml``. Both are read only through
:func:`rolecourse.content._yaml.load` and checked with :class:`rolecourse.content._schema.Reader`, so every
mistake in a file is reported at once, one ``file:line:col: field.path: expected X, found Y``
line each, as a :class:`~rolecourse.errors.ContentError`.

Quiz file format (``schema_version: 1``)::

    schema_version: 1
    role: data-analyst            # the role id the bank belongs to
    title: Data Analyst quiz
    description: optional text
    questions:
      - id: da-sql-group-by       # stable, unique across every bank
        type: single              # single | multiple | true-false | numeric | text
        level: foundation         # foundation | intermediate | advanced
        skills: [sql]             # skill ids of roles.yaml
        prompt: ...
        explanation: ...          # shown after every answer
        options:                  # single and multiple
          - {text: ..., correct: true, feedback: why this is right}
          - {text: ..., correct: false, feedback: why this is wrong}
        answer: 15                # numeric (a number) and true-false (true/false)
        tolerance: 0.5            # numeric, inclusive, default 0
        unit: weeks               # numeric, optional
        accept: [GROUP BY]        # text: answers accepted after normalisation
        feedback: {correct: ..., incorrect: ...}   # true-false, numeric and text

Questionnaire format::

    schema_version: 1
    title: Which role fits me?
    instructions: ...
    scale: [Not at all, A little, Somewhat, Quite a lot, Very much]   # answer 0..len-1
    statements:
      - id: enjoy-dashboards
        text: I enjoy ...
        weights: {data-analyst: 3, data-scientist: 1}
        reason: Why agreeing points at those roles.

Nothing here imports a widget library; the module reads no file when imported.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Collection, Iterable, Mapping, Protocol, Sequence

from ..content import _yaml
from .._resources import data_path
from ..content._schema import Reader, join
from ..content._yaml import Node
from ..errors import ContentError, Problem, UnknownNameError
from ..content.model import Level

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..content.model import Curriculum

SCHEMA_VERSION = 1
"""The quiz-bank and questionnaire ``schema_version`` this rolecourse reads."""

QUESTIONNAIRE_NAME = "which-role"
"""File stem of the shipped questionnaire (``exercises/quizzes/which-role.yaml``)."""


class QuestionType(Enum):
    """How a question is answered."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true-false"
    NUMERIC = "numeric"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a single, multiple or true/false question."""

    text: str
    """What the learner sees."""
    correct: bool
    """Whether picking it is right."""
    feedback: str
    """Why picking it is right or wrong."""


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a bank."""

    id: str
    """Stable id, unique across every bank (``da-sql-group-by``)."""
    type: QuestionType
    """Single, multiple, true-false, numeric or text."""
    prompt: str
    """The question as the learner reads it."""
    skills: tuple[str, ...]
    """Ids of the skills it exercises (from ``roles.yaml``)."""
    level: Level
    """Foundation, intermediate or advanced."""
    explanation: str
    """Shown after every answer, right or wrong: the idea the question teaches."""
    options: tuple[Option, ...] = ()
    """Choices (single, multiple; true-false gets the two options ``True`` and ``False``)."""
    answer: float | bool | None = None
    """The expected number (numeric) or truth value (true-false); ``None`` otherwise."""
    tolerance: float = 0.0
    """Numeric: an answer within ``answer ± tolerance`` (inclusive) is right."""
    unit: str = ""
    """Numeric: the unit the answer is given in (``weeks``, ``%``), may be empty."""
    accept: tuple[str, ...] = ()
    """Text: answers accepted after :func:`normalise_text`."""
    correct_feedback: str = ""
    """True-false, numeric, text: said when the answer is right."""
    incorrect_feedback: str = ""
    """True-false, numeric, text: said when the answer is wrong."""
    role: str = ""
    """Id of the role whose bank holds the question (empty for loose questions)."""
    recall: bool = False
    """True for a question that only recalls a fact (a name, a definition): it never lifts mastery."""

    @property
    def correct_options(self) -> tuple[int, ...]:
        """Indices of the correct options."""
        return tuple(i for i, o in enumerate(self.options) if o.correct)

    @property
    def correct_answer_text(self) -> str:
        """The right answer written out, for answer sheets and exports."""
        if self.type is QuestionType.NUMERIC:
            value = format_number(float(self.answer or 0.0))
            tol = f" ± {format_number(self.tolerance)}" if self.tolerance else ""
            unit = f" {self.unit}" if self.unit else ""
            return f"{value}{tol}{unit}"
        if self.type is QuestionType.TEXT:
            return " / ".join(self.accept)
        return "; ".join(o.text for o in self.options if o.correct)


@dataclass(frozen=True, slots=True)
class QuestionBank:
    """The question bank of one role."""

    role: str
    """Id of the role."""
    title: str
    """Title shown above the quiz."""
    questions: tuple[Question, ...]
    """The questions, in file order."""
    description: str = ""
    """Optional introduction."""
    source: str = ""
    """The file it was loaded from (as displayed in errors)."""
    schema_version: int = SCHEMA_VERSION
    """Version of the file format."""

    def question(self, question_id: str) -> Question:
        """The question with id ``question_id``."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise UnknownNameError("question", question_id, [q.id for q in self.questions])


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of interest in the questionnaire."""

    id: str
    """Stable id (``enjoy-dashboards``)."""
    text: str
    """The statement the learner rates."""
    weights: Mapping[str, float]
    """How much agreeing points to each role (role id → weight > 0)."""
    reason: str
    """Why agreeing points to those roles; shown with a recommendation."""


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """The "which role fits me" questionnaire."""

    title: str
    """Title shown above it."""
    instructions: str
    """How to answer."""
    scale: tuple[str, ...]
    """Labels of the agreement scale; an answer is an index 0..len-1 (0 = not at all)."""
    statements: tuple[Statement, ...]
    """The statements, in file order."""
    source: str = ""
    """The file it was loaded from."""
    schema_version: int = SCHEMA_VERSION
    """Version of the file format."""

    @property
    def roles(self) -> tuple[str, ...]:
        """Every role id any statement weighs, in order of first mention."""
        return tuple(dict.fromkeys(r for s in self.statements for r in s.weights))


class AnswerRecorder(Protocol):
    """Where answers go for spaced review (``rolecourse.progress.store.ProgressStore`` fits)."""

    def record_quiz_answer(
        self,
        learner: str,
        *,
        role: str,
        question: str,
        skills: Sequence[str],
        score: float,
        correct: bool,
        answer: Any = None,
        level: Any = None,
    ) -> Any:
        """Record one graded answer of ``learner`` (``level``: the question's level rank 1-3)."""


# -- text helpers ---------------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Fold case, drop punctuation and symbols, collapse whitespace: ``" Group-By! "`` → ``"group by"``.

    Punctuation becomes a space, so ``group-by``, ``group by`` and ``GROUP_BY`` match.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in folded)
    return _SPACES.sub(" ", kept).strip()


def format_number(value: float) -> str:
    """A number without a useless ``.0`` (``15.0`` → ``15``, ``0.25`` → ``0.25``)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


# -- loading --------------------------------------------------------------------------
_COMMON_REQUIRED = ("id", "type", "prompt", "skills", "level", "explanation")
_TYPE_FIELDS: dict[QuestionType, tuple[tuple[str, ...], tuple[str, ...]]] = {
    QuestionType.SINGLE: (("options",), ()),
    QuestionType.MULTIPLE: (("options",), ()),
    QuestionType.TRUE_FALSE: (("answer", "feedback"), ()),
    QuestionType.NUMERIC: (("answer", "feedback"), ("tolerance", "unit")),
    QuestionType.TEXT: (("accept", "feedback"), ()),
}
_ALL_TYPE_FIELDS = ("options", "answer", "feedback", "tolerance", "unit", "accept")


@dataclass(frozen=True, slots=True)
class _Known:
    """The ids a file may refer to; ``None`` means "not checked"."""

    skills: frozenset[str] | None
    roles: frozenset[str] | None


def _default_curriculum() -> "Curriculum | None":
    """The shipped curriculum, or ``None`` while it is not there (a bare checkout without roles.yaml)."""
    try:
        from ..content.curriculum import load_curriculum
    except ModuleNotFoundError:  # pragma: no cover - only before the curriculum module exists
        return None
    try:
        return load_curriculum()
    except FileNotFoundError:
        return None


def _known(curriculum: "Curriculum | None", skills: Collection[str] | None, roles: Collection[str] | None) -> _Known:
    """Resolve the skill and role ids to check against (the shipped curriculum by default)."""
    if curriculum is None and (skills is None or roles is None):
        curriculum = _default_curriculum()
    if skills is None and curriculum is not None:
        skills = list(curriculum.skills)
    if roles is None and curriculum is not None:
        roles = [r.id for r in curriculum.roles]
    return _Known(
        None if skills is None else frozenset(skills),
        None if roles is None else frozenset(roles),
    )


def quizzes_dir() -> Path:
    """The shipped folder of quiz banks."""
    return data_path("exercises", "quizzes")


def validate_quiz_file(
    path: str | os.PathLike[str],
    curriculum: "Curriculum | None" = None,
    *,
    skills: Collection[str] | None = None,
    roles: Collection[str] | None = None,
) -> QuestionBank | Questionnaire:
    """Load and validate one quiz bank or questionnaire file; return what it holds.

    A file with a top-level ``statements`` key is a questionnaire, anything else a quiz
    bank. Skill and role ids are checked against ``skills``/``roles`` when given, else
    against ``curriculum``, else against the shipped curriculum. Raises
    :class:`~rolecourse.errors.ContentError` listing every problem.
    """
    known = _known(curriculum, skills, roles)
    root = _yaml.load(path, str(path))
    if root.kind == "map" and "statements" in root.value:
        return _read_questionnaire(root, str(path), known)
    return _read_quiz(root, str(path), known)


def load_quiz(
    role_id: str,
    path: str | os.PathLike[str] | None = None,
    *,
    curriculum: "Curriculum | None" = None,
    skills: Collection[str] | None = None,
) -> QuestionBank:
    """Load the question bank of ``role_id`` (the shipped one unless ``path`` is given)."""
    if path is None:
        folder = quizzes_dir()
        ids = _bank_ids(folder)
        if role_id not in ids:  # checked against the banks, never as a path: a name too long or with '/' is just unknown
            raise UnknownNameError("quiz bank", role_id, sorted(ids))
        path = folder / f"{role_id}.yaml"
    known = _known(curriculum, skills, None)
    root = _yaml.load(path, str(path))
    quiz = _read_quiz(root, str(path), known)
    if quiz.role != role_id:
        raise ContentError([Problem(str(path), root.mark.line, root.mark.col, "role", f"expected the bank of {role_id!r}, found the bank of {quiz.role!r}")])
    return quiz


def _bank_ids(folder: Path) -> list[str]:
    return [p.stem for p in sorted(folder.glob("*.yaml")) if p.stem != QUESTIONNAIRE_NAME]


def load_all_quizzes(
    folder: str | os.PathLike[str] | None = None,
    *,
    curriculum: "Curriculum | None" = None,
    skills: Collection[str] | None = None,
) -> tuple[QuestionBank, ...]:
    """Every quiz bank of ``folder`` (the shipped one by default), in the curriculum's role order.

    Question ids must be unique across banks; every problem of every file is reported at once.
    """
    base = quizzes_dir() if folder is None else Path(folder)
    if curriculum is None:
        curriculum = _default_curriculum()
    known = _known(curriculum, skills, None)
    order = [r.id for r in curriculum.roles] if curriculum is not None else []
    problems: list[Problem] = []
    quizzes: list[QuestionBank] = []
    roots: dict[str, Node] = {}
    for stem in _bank_ids(base):
        p = base / f"{stem}.yaml"
        try:
            root = _yaml.load(p, str(p))
            quiz = _read_quiz(root, str(p), known)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        quizzes.append(quiz)
        roots[quiz.role] = root
    seen: dict[str, str] = {}
    for quiz in quizzes:
        qnodes = roots[quiz.role].value["questions"].value
        for k, (q, node) in enumerate(zip(quiz.questions, qnodes)):
            if q.id in seen:
                mark = node.value["id"].mark
                problems.append(Problem(quiz.source, mark.line, mark.col, f"questions[{k}].id", f"expected a question id unique across banks, found {q.id!r} again (also in {seen[q.id]})"))
            else:
                seen[q.id] = quiz.source
    if problems:
        raise ContentError(sorted(set(problems)))
    rank = {r: i for i, r in enumerate(order)}
    return tuple(sorted(quizzes, key=lambda z: (rank.get(z.role, len(rank)), z.role)))


def question_counts(*, curriculum_path: str | os.PathLike[str] | None = None) -> dict[str, dict[str, int]]:
    """Questions per shipped bank: role id → ``{"total": n, "single": n, …}`` (types in a fixed order)."""
    curriculum = None
    if curriculum_path is not None:
        from ..content.curriculum import load_curriculum

        curriculum = load_curriculum(curriculum_path)
    out: dict[str, dict[str, int]] = {}
    for quiz in load_all_quizzes(curriculum=curriculum):
        row = {"total": len(quiz.questions)}
        for t in QuestionType:
            row[t.value] = sum(1 for q in quiz.questions if q.type is t)
        out[quiz.role] = row
    return out


def load_questionnaire(
    path: str | os.PathLike[str] | None = None,
    *,
    curriculum: "Curriculum | None" = None,
    roles: Collection[str] | None = None,
) -> Questionnaire:
    """Load the "which role fits me" questionnaire (the shipped one unless ``path`` is given)."""
    p = quizzes_dir() / f"{QUESTIONNAIRE_NAME}.yaml" if path is None else Path(path)
    known = _known(curriculum, (), roles)
    root = _yaml.load(p, str(p))
    return _read_questionnaire(root, str(p), known)


def review_questions(quizzes: Iterable[QuestionBank], due_ids: Iterable[str]) -> list[Question]:
    """The questions whose ids are due for review, in the order of ``due_ids``.

    Ids no bank holds any more (a question was removed) are skipped; each id counts once.
    """
    index = {q.id: q for quiz in quizzes for q in quiz.questions}
    return [index[i] for i in dict.fromkeys(due_ids) if i in index]


# -- readers --------------------------------------------------------------------------
def _read_quiz(root: Node, display: str, known: _Known) -> QuestionBank:
    reader = Reader()
    top = reader.mapping(root, "", ("schema_version", "role", "title", "questions"), ("description",))
    if top is None:
        reader.raise_if_any()
        raise ContentError([Problem(display, 1, 1, "", "expected a mapping")])
    reader.schema_version(top, "", SCHEMA_VERSION, "quiz bank")
    role = reader.ident(top.get("role"), "role")
    if role is not None and known.roles is not None:
        reader.reference(top["role"], "role", role, sorted(known.roles), "role")
    title = reader.string(top.get("title"), "title") or ""
    description = reader.string(top.get("description"), "description") or ""
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for i, qnode in enumerate(reader.seq(top.get("questions"), "questions", min_len=1)):
        path = join("questions", i)
        q = _read_question(reader, qnode, path, known, role or "")
        if q is None:
            continue
        if q.id in seen:
            reader.error(qnode.value["id"], join(path, "id"), f"expected each question id once, found {q.id!r} again (first at questions[{seen[q.id]}])")
            continue
        seen[q.id] = i
        questions.append(q)
    reader.raise_if_any()
    return QuestionBank(role=role or "", title=title, questions=tuple(questions), description=description, source=display)


def _read_question(reader: Reader, node: Node, path: str, known: _Known, role: str) -> Question | None:
    before = len(reader.problems)
    if node.kind != "map":
        reader.mapping(node, path)
        return None
    qtype = reader.enum(node.value.get("type"), join(path, "type"), QuestionType) if "type" in node.value else None
    if qtype is None:
        fields = reader.mapping(node, path, _COMMON_REQUIRED, (*_ALL_TYPE_FIELDS, "recall"))
    else:
        required, optional = _TYPE_FIELDS[qtype]
        fields = reader.mapping(node, path, _COMMON_REQUIRED + required, (*optional, "recall"))
    if fields is None:  # unreachable: node is a mapping, checked above
        return None
    qid = reader.ident(fields.get("id"), join(path, "id"))
    prompt = reader.string(fields.get("prompt"), join(path, "prompt"))
    explanation = reader.string(fields.get("explanation"), join(path, "explanation"))
    level = reader.enum(fields.get("level"), join(path, "level"), Level)
    skill_ids = reader.idents(fields.get("skills"), join(path, "skills"), min_len=1)
    if known.skills is not None:
        for j, (sid, snode) in enumerate(skill_ids):
            reader.reference(snode, join(join(path, "skills"), j), sid, sorted(known.skills), "skill")
    kwargs: dict[str, Any] = {}
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        kwargs["options"] = _read_options(reader, fields.get("options"), join(path, "options"), qtype)
    elif qtype is QuestionType.TRUE_FALSE:
        truth = reader.boolean(fields.get("answer"), join(path, "answer"))
        good, bad = _read_feedback(reader, fields.get("feedback"), join(path, "feedback"))
        if truth is not None:
            kwargs["answer"] = truth
            kwargs["options"] = (
                Option("True", truth, good if truth else bad),
                Option("False", not truth, bad if truth else good),
            )
        kwargs["correct_feedback"], kwargs["incorrect_feedback"] = good, bad
    elif qtype is QuestionType.NUMERIC:
        kwargs["answer"] = reader.number(fields.get("answer"), join(path, "answer"))
        tol = reader.number(fields.get("tolerance"), join(path, "tolerance"), min_value=0)
        kwargs["tolerance"] = tol or 0.0
        kwargs["unit"] = reader.string(fields.get("unit"), join(path, "unit"), empty=True) or ""
        kwargs["correct_feedback"], kwargs["incorrect_feedback"] = _read_feedback(reader, fields.get("feedback"), join(path, "feedback"))
    elif qtype is QuestionType.TEXT:
        accept = reader.strings(fields.get("accept"), join(path, "accept"), min_len=1)
        for j, (text, anode) in enumerate(zip(accept, fields["accept"].value if "accept" in fields else ())):
            if not normalise_text(text):
                reader.error(anode, join(join(path, "accept"), j), f"expected an answer with letters or digits, found {text!r} (nothing is left after normalisation)")
        kwargs["accept"] = accept
        kwargs["correct_feedback"], kwargs["incorrect_feedback"] = _read_feedback(reader, fields.get("feedback"), join(path, "feedback"))
    recall = bool(reader.boolean(fields["recall"], join(path, "recall"))) if "recall" in fields else False
    if len(reader.problems) > before or qid is None or qtype is None:
        return None
    return Question(
        recall=recall,
        id=qid,
        type=qtype,
        prompt=prompt or "",
        skills=tuple(s for s, _ in skill_ids),
        level=level or Level.FOUNDATION,
        explanation=explanation or "",
        role=role,
        **kwargs,
    )


def _read_options(reader: Reader, node: Node | None, path: str, qtype: QuestionType) -> tuple[Option, ...]:
    options: list[Option] = []
    texts: dict[str, int] = {}
    items = reader.seq(node, path, min_len=2)
    for i, onode in enumerate(items):
        opath = join(path, i)
        fields = reader.mapping(onode, opath, ("text", "correct", "feedback"))
        if fields is None:
            continue
        text = reader.string(fields.get("text"), join(opath, "text"))
        correct = reader.boolean(fields.get("correct"), join(opath, "correct"))
        feedback = reader.string(fields.get("feedback"), join(opath, "feedback"))
        if text is not None:
            key = " ".join(text.casefold().split())
            if key in texts:
                reader.error(fields["text"], join(opath, "text"), f"expected option texts that differ, found {text!r} again (same as option {texts[key]})")
            texts.setdefault(key, i)
        if text is not None and correct is not None and feedback is not None:
            options.append(Option(text, correct, feedback))
    if node is not None and len(options) == len(items) and len(items) >= 2:
        n = sum(o.correct for o in options)
        if qtype is QuestionType.SINGLE and n != 1:
            reader.error(node, path, f"expected exactly one correct option for a single-choice question, found {n}")
        if qtype is QuestionType.MULTIPLE and n == 0:
            reader.error(node, path, "expected at least one correct option, found none")
    return tuple(options)


def _read_feedback(reader: Reader, node: Node | None, path: str) -> tuple[str, str]:
    fields = reader.mapping(node, path, ("correct", "incorrect"))
    if fields is None:
        return "", ""
    return (
        reader.string(fields.get("correct"), join(path, "correct")) or "",
        reader.string(fields.get("incorrect"), join(path, "incorrect")) or "",
    )


def _read_questionnaire(root: Node, display: str, known: _Known) -> Questionnaire:
    reader = Reader()
    top = reader.mapping(root, "", ("schema_version", "title", "instructions", "scale", "statements"))
    if top is None:
        reader.raise_if_any()
        raise ContentError([Problem(display, 1, 1, "", "expected a mapping")])
    reader.schema_version(top, "", SCHEMA_VERSION, "questionnaire")
    title = reader.string(top.get("title"), "title") or ""
    instructions = reader.string(top.get("instructions"), "instructions") or ""
    scale = reader.strings(top.get("scale"), "scale", min_len=2)
    statements: list[Statement] = []
    seen: set[str] = set()
    for i, snode in enumerate(reader.seq(top.get("statements"), "statements", min_len=1)):
        path = join("statements", i)
        fields = reader.mapping(snode, path, ("id", "text", "weights", "reason"))
        if fields is None:
            continue
        sid = reader.ident(fields.get("id"), join(path, "id"))
        if sid is not None and sid in seen:
            reader.error(fields["id"], join(path, "id"), f"expected each statement id once, found {sid!r} again")
            sid = None
        if sid is not None:
            seen.add(sid)
        text = reader.string(fields.get("text"), join(path, "text"))
        reason = reader.string(fields.get("reason"), join(path, "reason"))
        weights: dict[str, float] = {}
        wnode = fields.get("weights")
        wkeys = tuple(wnode.value) if wnode is not None and wnode.kind == "map" else ()
        wmap = reader.mapping(wnode, join(path, "weights"), (), wkeys)
        if wmap is not None and wnode is not None:
            if not wmap:
                reader.error(wnode, join(path, "weights"), "expected at least one role with a weight, found none")
            for role_id, vnode in wmap.items():
                wpath = join(join(path, "weights"), role_id)
                mark = wnode.key_marks[role_id] if wnode.key_marks else wnode.mark
                if known.roles is not None and role_id not in known.roles:
                    reader.reference(Node("scalar", role_id, mark), wpath, role_id, sorted(known.roles), "role")
                    continue
                w = reader.number(vnode, wpath, min_value=0, exclusive_min=True)
                if w is not None:
                    weights[role_id] = w
        if sid and text and reason and weights and len(weights) == len(wmap or {}):
            statements.append(Statement(sid, text, MappingProxyType(weights), reason))
    reader.raise_if_any()
    return Questionnaire(title=title, instructions=instructions, scale=scale, statements=tuple(statements), source=display)


__all__ = [
    "AnswerRecorder",
    "Option",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionBank",
    "SCHEMA_VERSION",
    "Statement",
    "load_all_quizzes",
    "load_questionnaire",
    "load_quiz",
    "normalise_text",
    "question_counts",
    "quizzes_dir",
    "review_questions",
    "validate_quiz_file",
]
