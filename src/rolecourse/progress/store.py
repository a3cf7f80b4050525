"""The progress store: a learner's progress kept safely in JSON files: quizzes, exercises, self-assessment, reviews.

Where progress lives
--------------------
The progress folder ("home") is chosen by :func:`default_home`, in this order:

1. ``$ROLECOURSE_HOME`` if that environment variable is set (and not empty);
2. else ``.rolecourse/`` in the nearest ancestor of the current directory (the directory
   itself included) that contains a ``notebooks/`` folder or a ``roles.yaml`` file, so the
   progress sits beside the notebooks and travels with a Binder download;
3. else ``~/.rolecourse``.

The folder is created on the first save, never on a read.

Files
-----
One file per learner, ``<slug>.json``, where the slug is the learner's name made safe
(:func:`learner_slug`, the course's one slug rule :func:`rolecourse._text.slug`: ASCII letters, digits and hyphens only, no path separator, no ``..``).
Names with the same slug are the same learner; the display name is kept inside the file.
Beside it, ``<slug>.lock`` is the lock file and short-lived hidden ``.<slug>.json.*.tmp``
files are saves in progress. Nothing is ever pickled.

The file's format and its migrations are :mod:`rolecourse.progress.codec`'s.

Safety
------
* A save writes a temporary file in the same folder, flushes and fsyncs it, renames it over
  the learner's file with :func:`os.replace` and fsyncs the folder: a process killed at any
  moment leaves the old or the new file, never a mix.
* Every change is a read-modify-write under an exclusive lock (``fcntl.flock`` on the
  ``.lock`` sidecar; where :mod:`fcntl` does not exist, an ``O_EXCL`` lock file with a
  timeout), so two kernels recording answers for the same learner lose no update.
* A file that is not valid progress (bad JSON, wrong types) is moved aside to
  ``<slug>.corrupt-<n>.json``, and a file of an unknown or newer ``schema_version`` to
  ``<slug>.unknown-version-<n>.json``, with a :class:`ProgressWarning` naming the new place.
  Nothing is silently reset and nothing is overwritten.
"""

from __future__ import annotations

import errno
import json
import os
import time
import warnings
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from .._text import slug
from ..content import _files
from ..assessment.checking import StepOutcome
from ..content.model import SkillLevel, level_rank
from ..errors import ContentError, Problem, RolecourseError, UnknownNameError, UsageError, describe, excerpt
from ..export.files import fsync_folder, make_folder, replace_bytes, write_output
from .codec import MIGRATIONS, SCHEMA_VERSION, _score, dumps, file_version, from_json_dict, loads, migrate, strict_json
from .mastery import ExerciseMaps, mastery_levels
from .model import ExerciseResult, LearnerProgress, QuizAnswer, _utc

if TYPE_CHECKING:
    from ..content.model import Curriculum
from .reviews import _last_review, _review

try:  # POSIX
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None  # type: ignore[assignment]

LOCK_TIMEOUT = 10.0
"""Seconds to wait for the fallback ``O_EXCL`` lock before giving up."""

ENV_HOME = "ROLECOURSE_HOME"
"""Environment variable that sets the progress folder."""


class ProgressWarning(UserWarning):
    """A progress file was unusable and has been moved aside (the message says where)."""


class ProgressLockError(RolecourseError):
    """The learner's progress stayed locked by another process for too long."""


# ----------------------------------------------------------------------------------------------
# Snapshot data
# ----------------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------------
# Names and places
# ----------------------------------------------------------------------------------------------

def learner_slug(name: str) -> str:
    """The file-safe form of a learner's name: ``"José Núñez"`` -> ``"jose-nunez"``.

    The course's one slug rule, :func:`rolecourse._text.slug`: only ASCII letters, digits and
    single hyphens remain, so the result never holds a path separator or ``..``; a name with
    no usable letter becomes ``learner-<hash>``. Raises :class:`UsageError` for an empty name.
    """
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"a learner name must be a non-empty string, found {describe(name)}")
    return slug(name)


def default_home(cwd: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The progress folder: ``$ROLECOURSE_HOME``, else ``.rolecourse`` beside the notebooks, else ``~/.rolecourse``."""
    env = os.environ if environ is None else environ
    if env.get(ENV_HOME):
        return Path(env[ENV_HOME]).expanduser()
    start = Path(cwd if cwd is not None else os.getcwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "notebooks").is_dir() or (folder / "roles.yaml").is_file():
            return folder / ".rolecourse"
    return Path.home() / ".rolecourse"


def _system_clock() -> datetime:
    return datetime.now(timezone.utc)


# ----------------------------------------------------------------------------------------------
# JSON <-> snapshot, validation, migrations
# ----------------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------------
# Mastery and summaries (pure)
# ----------------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------------
# Files: atomic save, locks, quarantine
# ----------------------------------------------------------------------------------------------


def _folder_error(exc: OSError, folder: Path) -> RolecourseError:
    """The one line for a progress folder that cannot be written: read-only, no permission, full disk."""
    code = exc.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return RolecourseError(f"cannot save progress in the folder {str(folder)!r}: the disk is full; free some space and try again")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UsageError(f"cannot save progress in the folder {str(folder)!r}: it is read-only ({exc.strerror}); set ROLECOURSE_HOME to a folder you can write")
    if code in (errno.ENOTDIR, errno.EEXIST):
        return UsageError(f"cannot save progress in the folder {str(folder)!r}: part of that path is a file, not a folder")
    return RolecourseError(f"cannot save progress in the folder {str(folder)!r}: {exc.strerror or exc}")


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new content."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _folder_error(exc, path.parent) from None
    replace_bytes(path, text.encode("utf-8"))


def _read_progress_text(path: Path) -> str:
    """A progress file's text through the one reader (a regular file of at most :data:`MAX_PROGRESS_BYTES`)."""
    return _files.read_text(path, _files.MAX_PROGRESS_BYTES, record=False)


def _open_read_only(lock_path: Path) -> int | None:
    try:
        return os.open(lock_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None


@contextmanager
def _exclusive(lock_path: Path, timeout: float, write: bool = True) -> Iterator[None]:
    """Hold the learner's lock; a read (``write=False``) in a folder it cannot write takes a shared lock, or none."""
    if write:
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _folder_error(exc, lock_path.parent) from None
    if _fcntl is not None:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o644)
            kind = _fcntl.LOCK_EX
        except OSError as exc:
            if write or exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                if write:
                    raise _folder_error(exc, lock_path.parent) from None
                raise UsageError(f"cannot read progress in the folder {str(lock_path.parent)!r}: {exc.strerror}") from None
            fd = _open_read_only(lock_path)  # a read-only folder: nobody can save there, a shared lock is enough
            kind = _fcntl.LOCK_SH
        if fd is None:  # nor is there a lock file to share
            yield
            return
        try:
            _fcntl.flock(fd, kind)
            try:
                yield
            finally:
                _fcntl.flock(fd, _fcntl.LOCK_UN)
        finally:
            os.close(fd)
        return
    excl = lock_path.with_name(lock_path.name + "-excl")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(excl, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            pass
        except OSError as exc:
            if write:
                raise _folder_error(exc, excl.parent) from None
            fd = None  # a read-only folder: nobody can save there
            break
        if time.monotonic() >= deadline:
            raise ProgressLockError(
                f"progress is locked by {excl} for more than {timeout:g} s; "
                "if no other notebook or command is using it, delete that file"
            )
        time.sleep(0.01)
    if fd is None:
        yield
        return
    try:
        os.write(fd, str(os.getpid()).encode("ascii"))
        os.close(fd)
        yield
    finally:
        try:
            os.unlink(excl)
        except FileNotFoundError:
            pass


def _free_name(path: Path, tag: str) -> Path:
    stem = path.name[: -len(".json")] if path.name.endswith(".json") else path.name
    n = 1
    while True:
        candidate = path.with_name(f"{stem}.{tag}-{n}.json")
        if not candidate.exists():
            return candidate
        n += 1


class ProgressStore:
    """Learners' progress in a folder of JSON files (see the module docstring for the rules).

    ``home`` is the folder (default :func:`default_home`); ``clock`` returns the current time
    (default: the system clock in UTC) and is what tests replace to be deterministic.
    """

    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        clock: Callable[[], datetime] | None = None,
        *,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.home = Path(home).expanduser() if home is not None else default_home()
        """The progress folder."""
        self.clock = clock or _system_clock
        """Returns the current time; naive times are taken as UTC."""
        self.lock_timeout = lock_timeout
        """Seconds to wait for the fallback lock file."""

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.home)!r})"

    # -- places --------------------------------------------------------------------------------
    def path(self, learner: str) -> Path:
        """The file of ``learner``'s progress."""
        return self.home / f"{learner_slug(learner)}.json"

    def _now(self) -> datetime:
        return _utc(self.clock())

    # -- reading -------------------------------------------------------------------------------
    def learners(self) -> list[str]:
        """Display names of the learners with a progress file, sorted (case-insensitive)."""
        if not self.home.is_dir():
            return []
        names = []
        for path in self.home.glob("*.json"):
            slug = path.name[: -len(".json")]
            if "." in slug or not slug or slug.startswith("."):
                continue  # moved-aside, temporary or foreign files
            name = slug
            try:
                data = strict_json(_read_progress_text(path))
                found = data.get("learner", data.get("name")) if isinstance(data, dict) else None
                if isinstance(found, str) and found.strip():
                    name = found
            except (OSError, ValueError):
                pass
            names.append(name)
        return sorted(names, key=lambda n: (n.casefold(), n))

    def load(self, learner: str) -> LearnerProgress:
        """The learner's progress (empty if none); an unusable file is moved aside with a warning."""
        path = self.path(learner)
        if not self.home.is_dir():
            return LearnerProgress(learner)  # nothing saved yet; reading creates no folder
        with _exclusive(self._lock(path), self.lock_timeout, write=False):
            return self._read(path, learner)

    def _lock(self, path: Path) -> Path:
        return path.with_name(path.name[: -len(".json")] + ".lock")

    def _read(self, path: Path, learner: str) -> LearnerProgress:
        """Read under the lock; quarantine what cannot be used."""
        try:
            text = _read_progress_text(path)
        except _files.InputFileError as exc:
            if exc.errno == errno.ENOENT:
                return LearnerProgress(learner)
            if exc.errno in (errno.EFBIG, errno.EINVAL):  # too large, or not a regular file
                return self._set_aside(path, learner, "corrupt", exc.strerror)
            raise UsageError(str(exc)) from None
        except UnicodeDecodeError:
            return self._set_aside(path, learner, "corrupt", "it is not UTF-8 text")
        try:
            data = strict_json(text)
        except json.JSONDecodeError as exc:
            return self._set_aside(path, learner, "corrupt", f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
        except ValueError as exc:
            return self._set_aside(path, learner, "corrupt", f"it holds a value progress does not accept ({exc})")
        version = file_version(data)
        if isinstance(data, dict) and "schema_version" in data and version is not None and (
            version > SCHEMA_VERSION or (version < SCHEMA_VERSION and version not in MIGRATIONS)
        ):
            return self._set_aside(
                path, learner, "unknown-version",
                f"its schema_version {version} is not one this rolecourse reads (it reads 0 to {SCHEMA_VERSION}; a newer rolecourse may have written it)",
            )
        if version is None:
            return self._set_aside(path, learner, "corrupt", "it has no usable schema_version")
        try:
            return from_json_dict(migrate(data), str(path))
        except ContentError as exc:
            return self._set_aside(path, learner, "corrupt", f"it is not valid progress ({exc.problems[0]}{' and more' if len(exc.problems) > 1 else ''})")

    def _set_aside(self, path: Path, learner: str, tag: str, why: str) -> LearnerProgress:
        target = _free_name(path, tag)
        try:
            os.replace(path, target)
            fsync_folder(path.parent)
        except OSError as exc:  # a read-only folder: the file stays where it is, untouched
            warnings.warn(
                ProgressWarning(
                    f"progress file {path} could not be used because {why}, and it could not be moved aside "
                    f"({exc.strerror}); it was left as it is and {learner!r} is shown with empty progress."
                ),
                stacklevel=4,
            )
            return LearnerProgress(learner)
        warnings.warn(
            ProgressWarning(
                f"progress file {path} could not be used because {why}; it was moved to {target} "
                f"and {learner!r} starts with empty progress. Nothing was deleted: repair that file "
                f"and bring it back with `rolecourse progress import {target}`."
            ),
            stacklevel=4,
        )
        return LearnerProgress(learner)

    # -- writing -------------------------------------------------------------------------------
    def update(self, learner: str, change: Callable[[LearnerProgress], LearnerProgress]) -> LearnerProgress:
        """Apply ``change`` to the learner's progress under the lock and save the result atomically."""
        path = self.path(learner)
        with _exclusive(self._lock(path), self.lock_timeout):
            current = self._read(path, learner)
            new = change(current)
            try:
                text = dumps(new)
            except (ValueError, RecursionError) as exc:  # the file's data cannot be saved again: keep both
                fresh = change(LearnerProgress(learner))
                text = dumps(fresh)
                if path.exists():
                    self._set_aside(path, learner, "corrupt", f"its data cannot be saved again ({exc})")
                new = fresh
            for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a killed writer
                try:
                    stale.unlink()
                except FileNotFoundError:
                    pass
            atomic_write(path, text)
            return new

    def record_quiz_answer(
        self,
        learner: str,
        *,
        role: str,
        question: str,
        skills: Sequence[str],
        score: float,
        correct: bool,
        answer: object = None,
        level: object = None,
    ) -> None:
        """Record one answer; a wrong one schedules the question for review, a right one reschedules a reviewed one.

        ``level`` is the question's level (rank 1-3, a :class:`rolecourse.content.model.Level` or its
        value such as ``"intermediate"``), which mastery needs; when it is None, mastery looks
        the question up in the shipped quiz banks (see :func:`rolecourse.progress.mastery.quiz_mastery`).
        """
        for name, value in (("role", role), ("question", question)):
            if not isinstance(value, str) or not value.strip():
                raise UsageError(f"{name} must be a non-empty string, found {describe(value)}")
        if isinstance(skills, str) or not all(isinstance(s, str) and s.strip() for s in skills):
            raise UsageError(f"skills must be a list of skill ids, found {describe(skills)}")
        if _score(score) is None:
            raise UsageError(f"score must be a number from 0 to 1, found {describe(score)}")
        if not isinstance(correct, bool):
            raise UsageError(f"correct must be True or False, found {describe(correct)}")
        rank = None if level is None else level_rank(level)
        try:
            safe_answer = strict_json(json.dumps(answer, allow_nan=False))
        except (TypeError, ValueError, RecursionError):
            raise UsageError(f"answer must be a JSON value (text, number, list, mapping or None), found {describe(answer)}") from None
        now = self._now()

        def change(p: LearnerProgress) -> LearnerProgress:
            attempt = 1 + sum(1 for a in p.quiz_answers if a.question == question)
            entry = QuizAnswer(role, question, tuple(skills), float(score), correct, safe_answer, attempt, now.isoformat(), rank)
            reviews = dict(p.reviews)
            if not correct or question in reviews:
                reviews[question] = _review(reviews.get(question), question, correct, now)
            return replace(p, quiz_answers=(*p.quiz_answers, entry), reviews=reviews)

        self.update(learner, change)

    def record_exercise(self, learner: str, *, exercise: str, step: str, outcome: str, message: str = "") -> None:
        """Record the outcome (``not-attempted``, ``incorrect`` or ``correct``) of checking one exercise step."""
        for name, value in (("exercise", exercise), ("step", step)):
            if not isinstance(value, str) or not value.strip():
                raise UsageError(f"{name} must be a non-empty string, found {describe(value)}")
        raw = getattr(outcome, "value", outcome)
        try:
            kind = StepOutcome(raw)
        except ValueError:
            raise UsageError(
                f"outcome must be one of {', '.join(o.value for o in StepOutcome)}, found {describe(raw)}"
            ) from None
        if not isinstance(message, str):
            raise UsageError(f"message must be a string, found {describe(message)}")
        entry = ExerciseResult(exercise, step, kind, message, self._now().isoformat())
        self.update(learner, lambda p: replace(p, exercises=(*p.exercises, entry)))

    def set_self_assessment(self, learner: str, levels: Mapping[str, int], *, curriculum: "Curriculum | None" = None) -> None:
        """Set self-assessed levels (0-3) for some skills; skills not named keep their level.

        Skills are ids or names of ``curriculum`` (default: the shipped one) and are stored by id;
        an unknown skill raises :class:`~rolecourse.errors.UnknownNameError` with close matches,
        and nothing is recorded.
        """
        if not isinstance(levels, Mapping):
            raise UsageError(f"levels must be a mapping of skill id to level 0-3, found {describe(levels)}")
        if curriculum is None:
            from ..content.curriculum import load_curriculum

            curriculum = load_curriculum()
        by_id: dict[str, int] = {}
        for skill, level in levels.items():
            if not isinstance(skill, str) or not skill.strip():
                raise UsageError(f"skill ids must be non-empty strings, found {describe(skill)}")
            if not SkillLevel.accepts(level):
                raise UsageError(f"level of {excerpt(skill)!r} must be an integer from 0 to 3, found {describe(level)}")
            by_id[curriculum.skill(skill).id] = level
        self.update(learner, lambda p: replace(p, self_assessment={**p.self_assessment, **by_id}))

    # -- questions about a learner -------------------------------------------------------------
    def due_reviews(self, learner: str, now: datetime | None = None) -> list[str]:
        """Ids of the questions due for review at ``now`` (default: the clock), earliest due first."""
        moment = _utc(now) if now is not None else self._now()
        cards = self.load(learner).reviews.values()
        due = [(_utc(datetime.fromisoformat(c.due)), c.question) for c in cards]
        return [q for d, q in sorted(due) if d <= moment]

    def mastery(
        self,
        learner: str,
        *,
        exercise_skills: Mapping[str, Sequence[str]] | None = None,
        exercise_steps: Mapping[str, Sequence[str]] | None = None,
        exercises: "ExerciseMaps | None" = None,
    ) -> dict[str, int]:
        """Level 1-3 per skill from self-assessment and evidence (see :func:`mastery_levels`).

        The exercises' skills and steps come from ``exercise_skills``/``exercise_steps``, else
        from ``exercises``, else from the shipped exercises (:meth:`ExerciseMaps.shipped`), so
        ``plan(role, known=store.mastery(learner))`` counts completed shipped exercises.
        """
        if exercise_skills is None and exercise_steps is None:
            maps = exercises if exercises is not None else ExerciseMaps.shipped()
            exercise_skills, exercise_steps = maps.skills, maps.steps
        return mastery_levels(self.load(learner), exercise_skills, exercise_steps)

    # -- moving between machines ---------------------------------------------------------------
    def export_json(self, learner: str) -> str:
        """The learner's progress as JSON text, for :meth:`import_json` on another machine."""
        return dumps(self.load(learner))

    def import_json(self, text: str, *, learner: str | None = None, merge: bool = True, source: str = "<import>") -> str:
        """Import exported progress (validated first); return the learner's name.

        ``learner`` renames the learner. With ``merge`` (the default) records are united with
        the existing ones (duplicates dropped, imported self-assessment wins, the most recently
        reviewed schedule wins). Without it the existing file is first copied to
        ``<slug>.backup-<n>.json`` (with a :class:`ProgressWarning`), then replaced.
        """
        if not isinstance(text, str):
            raise UsageError(f"expected exported progress as JSON text, found {describe(text)}")
        if len(text) > _files.MAX_PROGRESS_BYTES:
            raise UsageError(f"cannot import {source}: {_files.too_large(_files.MAX_PROGRESS_BYTES)}")
        incoming = loads(text, source)
        if learner is not None:
            learner_slug(learner)
            incoming = replace(incoming, learner=learner)
        name = incoming.learner
        path = self.path(name)
        with _exclusive(self._lock(path), self.lock_timeout):
            current = self._read(path, name)
            if merge:
                new = merge_progress(current, incoming)
            else:
                new = incoming
                if path.exists():
                    backup = _free_name(path, "backup")
                    atomic_write(backup, _read_progress_text(path))
                    warnings.warn(ProgressWarning(f"replaced {name!r}'s progress; the previous file was kept as {backup}"), stacklevel=2)
            atomic_write(path, dumps(new))
        return name

    def require(self, learner: str) -> str:
        """Check that ``learner`` has a progress file; raise :class:`UnknownNameError` (with close names) if not."""
        if not self.path(learner).exists():
            names = self.learners()
            raise UnknownNameError("learner", learner, [*names, *(learner_slug(n) for n in names)], listed=names)
        return learner

    def export_file(self, learner: str, destination: str | os.PathLike[str]) -> Path:
        """Write :meth:`export_json` of an existing learner to ``destination`` with the one writer; return its path.

        A file is replaced atomically (a symlink in the way is replaced, never followed); a pipe
        or a device named on purpose (``/dev/stdout``) is written through, never replaced.
        """
        self.require(learner)
        target = Path(destination)
        if target.is_dir():
            raise UsageError(f"{str(target)!r} is a folder; give a file name such as {str(target / (learner_slug(learner) + '.json'))!r}")
        make_folder(target.parent)
        write_output(target, self.export_json(learner).encode("utf-8"))
        return target

    def import_file(self, source: str | os.PathLike[str], *, learner: str | None = None, merge: bool = True) -> str:
        """:meth:`import_json` of the file ``source``; problems are reported against its name."""
        path = Path(source)
        try:
            text = _files.read_text(path, _files.MAX_PROGRESS_BYTES, special=_files.named_on_purpose(path))
        except UnicodeDecodeError:
            raise ContentError([Problem(str(path), 1, 1, "", "expected UTF-8 JSON text, found bytes that are not UTF-8")]) from None
        except _files.InputFileError as exc:
            if exc.errno == errno.ENOENT:
                raise UsageError(f"no such file: {str(path)!r}") from None
            raise UsageError(str(exc)) from None
        return self.import_json(text, learner=learner, merge=merge, source=str(path))


def _key(record: QuizAnswer | ExerciseResult) -> str:
    if isinstance(record, QuizAnswer):
        return json.dumps([record.role, record.question, list(record.skills), record.score, record.correct, record.answer, record.attempt, record.at], sort_keys=True)
    return json.dumps([record.exercise, record.step, record.outcome.value, record.message, record.at])


def merge_progress(current: LearnerProgress, incoming: LearnerProgress) -> LearnerProgress:
    """The union of two snapshots of one learner: records of both (no duplicates, by time),
    ``incoming``'s self-assessment over ``current``'s, and per question the schedule reviewed last."""

    def union(a: Sequence[Any], b: Sequence[Any]) -> tuple[Any, ...]:
        seen: dict[str, Any] = {}
        for record in (*a, *b):
            seen.setdefault(_key(record), record)
        ordered = list(seen.values())
        if all(r.at is not None for r in ordered):
            ordered.sort(key=lambda r: _utc(datetime.fromisoformat(r.at)))
        return tuple(ordered)

    reviews = dict(current.reviews)
    for question, card in incoming.reviews.items():
        mine = reviews.get(question)
        if mine is None or _last_review(card) >= _last_review(mine):
            reviews[question] = card
    return LearnerProgress(
        learner=incoming.learner if current.is_empty else current.learner,
        quiz_answers=union(current.quiz_answers, incoming.quiz_answers),
        exercises=union(current.exercises, incoming.exercises),
        self_assessment={**current.self_assessment, **incoming.self_assessment},
        reviews=reviews,
    )


def open_progress(home: str | os.PathLike[str] | None = None) -> ProgressStore:
    """The progress store in ``home`` (default :func:`default_home`)."""
    return ProgressStore(home)


# ----------------------------------------------------------------------------------------------
# Cohorts
# ----------------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------------
# Reports (what the CLI and notebooks print)
# ----------------------------------------------------------------------------------------------




