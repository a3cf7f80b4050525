"""Hostile tries of issue #18, run again: the rolecourse CLI (as subprocesses) and the library, by category.

    .venv/bin/python tools/hostile_tries.py            # every try (a few minutes on a small machine)
    .venv/bin/python tools/hostile_tries.py --quick    # a few tries per category (what the test runs)

Each try says what must hold: the exit code (0, 1 invalid content or 2 usage error, as the
CLI documents), no ``Traceback`` on stderr, stderr lines short (a message quotes an excerpt),
nothing written outside the target, the inputs and a learner's file intact, done within a
time limit; a library call returns or raises only rolecourse's own errors. The script prints,
per category, the tries and the failures with their reasons, and exits 1 if any try failed.
Every try works in its own temporary folder; nothing touches the network.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

CLI_LIMIT = 30.0
"""Seconds one CLI run may take."""
LINE_LIMIT = 600
"""Most characters of one stderr line."""
STDERR_LINES = 80
"""Most stderr lines of one run (a message stops after a number of problems)."""
ROSTER_HEAD = "name,role,known,hours_per_week,start\n"
GOOD_ROW = "Ada,data-analyst,,10,2026-12-07\n"
PROGRESS = {"schema_version": 2, "learner": "ada", "quiz_answers": [], "exercises": [], "self_assessment": {"sql": 2}, "reviews": {}}


@dataclass
class Try:
    """One hostile try: ``run(folder)`` returns the reasons it failed (none: it held)."""

    category: str
    name: str
    run: Callable[[Path], list[str]]
    cli: bool = True
    """Whether it runs subprocesses (run in parallel) rather than library calls (run in this process)."""


@dataclass
class Outcome:
    category: str
    name: str
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0


# -- running the CLI ---------------------------------------------------------------------------


@dataclass
class Run:
    rc: int | None
    out: str
    err: str
    seconds: float


def cli(where: Path, *args: str, home: Path | None = None, stdin: Any = subprocess.DEVNULL, limit: float = CLI_LIMIT, prefix: tuple[str, ...] = ()) -> Run:
    env = {**os.environ, "ROLECOURSE_HOME": str(home or where / "home"), "PYTHONWARNINGS": "ignore", "COLUMNS": "100"}
    env.pop("CI", None)
    started = time.monotonic()
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "rolecourse", *args], capture_output=True, timeout=limit, env=env, cwd=where, stdin=stdin)
    except subprocess.TimeoutExpired as exc:
        return Run(None, (exc.stdout or b"").decode("utf-8", "replace"), (exc.stderr or b"").decode("utf-8", "replace"), time.monotonic() - started)
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"), time.monotonic() - started)


def judge(run: Run, codes: tuple[int, ...]) -> list[str]:
    """What is wrong with ``run``: a hang, a traceback, an exit code not in ``codes``, long or many stderr lines."""
    if run.rc is None:
        return [f"did not finish within {CLI_LIMIT:g} s"]
    reasons = []
    if "Traceback" in run.err:
        reasons.append("traceback on stderr: " + " | ".join(run.err.strip().splitlines()[-2:])[-300:])
    if run.rc not in codes:
        reasons.append(f"exit code {run.rc}, expected {' or '.join(map(str, codes))}: {run.err.strip()[-200:]!r}")
    lines = run.err.splitlines()
    if any(len(line) > LINE_LIMIT for line in lines):
        reasons.append(f"a stderr line of {max(map(len, lines))} characters (more than {LINE_LIMIT}: the input echoed whole)")
    if len(lines) > STDERR_LINES:
        reasons.append(f"{len(lines)} stderr lines (more than {STDERR_LINES})")
    return reasons


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (not following links): its kind and, for a file, a digest of its bytes."""
    seen = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode):
                seen[str(path.relative_to(folder))] = "file:" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            elif stat.S_ISLNK(st.st_mode):
                seen[str(path.relative_to(folder))] = "link:" + os.readlink(path)
            else:
                seen[str(path.relative_to(folder))] = "dir" if stat.S_ISDIR(st.st_mode) else f"special:{stat.S_IFMT(st.st_mode)}"
    return seen


def outside_changes(before: dict[str, str], after: dict[str, str], allowed: tuple[str, ...]) -> list[str]:
    """Entries changed, added or removed outside the paths ``allowed`` (prefixes)."""
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k) and not k.startswith(allowed))
    return [f"changed outside the target: {', '.join(changed[:5])}"] if changed else []


def cli_try(category: str, name: str, setup: Callable[[Path], tuple[list[str], tuple[int, ...], tuple[str, ...]]], after: Callable[[Path, Run], list[str]] | None = None) -> Try:
    """A try of one CLI run: ``setup(folder)`` gives the arguments, the allowed exit codes and the paths it may change."""

    def run(where: Path) -> list[str]:
        args, codes, allowed = setup(where)
        before = snapshot(where)
        done = cli(where, *args)
        reasons = judge(done, codes) + outside_changes(before, snapshot(where), ("home",) + allowed)
        if after is not None and done.rc is not None:
            reasons += after(where, done)
        return reasons

    return Try(category, name, run)


# -- output folders ----------------------------------------------------------------------------


def output_folder_tries() -> list[Try]:
    tries = []
    for fmt in ("md", "csv", "json", "html", "ics"):
        for trap in ("symlink", "fifo", "device", "folder", "roster-name", "input-name", "dangling-link"):

            def setup(where: Path, fmt: str = fmt, trap: str = trap) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
                out = where / "out"
                out.mkdir()
                (where / "outside.txt").write_text("keep", encoding="utf-8")
                roster = where / "roster.csv"
                rows = GOOD_ROW + "Bob,data-engineer,sql:1,8,2026-12-07\n"
                target = out / f"ada.{fmt}"
                if trap == "symlink":
                    target.symlink_to(where / "outside.txt")
                elif trap == "dangling-link":
                    target.symlink_to(where / "created-outside.txt")
                elif trap == "fifo":
                    os.mkfifo(target)
                elif trap == "device":
                    os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of its own
                elif trap == "folder":
                    target.mkdir()
                elif trap == "roster-name":  # the roster sits in the output folder under a learner's file name
                    roster = target
                elif trap == "input-name":  # a learner named like the roster, in the output folder
                    roster = out / f"roster.{fmt}"
                    rows += f"roster,data-analyst,,10,2026-12-07\n"
                roster.write_text(ROSTER_HEAD + rows, encoding="utf-8")
                # the output folder may change (only its own files); a trap in the way must be refused or replaced, never followed
                return ["cohort", str(roster), "-o", str(out), "--format", fmt], (0, 1, 2), ("out/",)

            def after(where: Path, done: Run, trap: str = trap, fmt: str = fmt) -> list[str]:
                reasons = []
                if (where / "outside.txt").read_text(encoding="utf-8") != "keep":
                    reasons.append("a file outside the folder was written through a symlink")
                if (where / "created-outside.txt").exists():
                    reasons.append("a dangling symlink was followed: a file was created outside the folder")
                target = where / "out" / f"ada.{fmt}"
                if trap == "fifo" and not target.is_fifo():
                    reasons.append("a FIFO in the way was replaced")
                if trap == "roster-name" and not target.read_text(encoding="utf-8").startswith(ROSTER_HEAD):
                    reasons.append("the roster was overwritten by a learner's plan")
                if trap == "input-name" and not (where / "out" / f"roster.{fmt}").read_text(encoding="utf-8").startswith(ROSTER_HEAD):
                    reasons.append("the roster was overwritten by the learner named 'roster'")
                return reasons

            tries.append(cli_try("output-folders", f"cohort --format {fmt}, {trap} in the way", setup, after))
    for target in ("fifo", "symlink", "folder", "missing-folder", "file-as-folder", "device", "self"):

        def setup(where: Path, target: str = target) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
            home = where / "home"
            home.mkdir()
            (home / "ada.json").write_text(json.dumps(PROGRESS), encoding="utf-8")
            (where / "outside.txt").write_text("keep", encoding="utf-8")
            dest = where / "dest.json"
            if target == "fifo":
                os.mkfifo(dest)
            elif target == "symlink":
                dest.symlink_to(where / "outside.txt")
            elif target == "folder":
                dest.mkdir()
            elif target == "missing-folder":
                dest = where / "new" / "deeper" / "dest.json"
            elif target == "file-as-folder":
                (where / "blocker").write_text("keep", encoding="utf-8")
                dest = where / "blocker" / "dest.json"
            elif target == "device":
                os.mknod(dest, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            elif target == "self":
                dest = home / "ada.json"
            return ["progress", "export", "--learner", "ada", "-o", str(dest)], (0, 1, 2), ("dest.json", "new", "home")

        def after(where: Path, done: Run) -> list[str]:
            reasons = []
            if (where / "outside.txt").read_text(encoding="utf-8") != "keep":
                reasons.append("the export was written through a symlink")
            if (where / "blocker").exists() and (where / "blocker").read_text(encoding="utf-8") != "keep":
                reasons.append("a file in the path was replaced")
            try:
                json.loads((where / "home" / "ada.json").read_text(encoding="utf-8"))
            except ValueError:
                reasons.append("the learner's own file was damaged by exporting onto it")
            return reasons

        tries.append(cli_try("output-folders", f"progress export -o {target}", setup, after))
    for trap in ("symlink", "fifo", "folder"):

        def setup(where: Path, trap: str = trap) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
            (where / "outside.txt").write_text("keep", encoding="utf-8")
            dest = where / "plan.md"
            if trap == "symlink":
                dest.symlink_to(where / "outside.txt")
            elif trap == "fifo":
                os.mkfifo(dest)
            else:
                dest.mkdir()
            return ["plan", "data-analyst", "--format", "md", "-o", str(dest)], (0, 2), ("plan.md",)

        def after(where: Path, done: Run) -> list[str]:
            return [] if (where / "outside.txt").read_text(encoding="utf-8") == "keep" else ["plan -o wrote through a symlink"]

        tries.append(cli_try("output-folders", f"plan -o, {trap} in the way", setup, after))
    return tries


# -- progress files ----------------------------------------------------------------------------


HOSTILE_PROGRESS = {
    "NaN": '{"schema_version": 2, "learner": "ada", "quiz_answers": [{"role": "data-analyst", "question": "q", "skills": ["sql"], "score": NaN, "correct": true, "answer": null, "attempt": 1, "at": "2026-01-01T00:00:00+00:00"}], "exercises": [], "self_assessment": {}, "reviews": {}}',
    "Infinity": '{"schema_version": 2, "learner": "ada", "quiz_answers": [], "exercises": [], "self_assessment": {"sql": Infinity}, "reviews": {}}',
    "-Infinity answer": '{"schema_version": 2, "learner": "ada", "quiz_answers": [{"role": "data-analyst", "question": "q", "skills": ["sql"], "score": 1, "correct": true, "answer": -Infinity, "attempt": 1, "at": "2026-01-01T00:00:00+00:00"}], "exercises": [], "self_assessment": {}, "reviews": {}}',
    "1e999": '{"schema_version": 2, "learner": "ada", "quiz_answers": [], "exercises": [], "self_assessment": {"sql": 1e999}, "reviews": {}}',
    "huge int": '{"schema_version": 2, "learner": "ada", "quiz_answers": [], "exercises": [], "self_assessment": {"sql": ' + "9" * 5000 + '}, "reviews": {}}',
    "huge int answer": '{"schema_version": 2, "learner": "ada", "quiz_answers": [{"role": "data-analyst", "question": "q", "skills": ["sql"], "score": 1, "correct": true, "answer": ' + "7" * 4000 + ', "attempt": 1, "at": "2026-01-01T00:00:00+00:00"}], "exercises": [], "self_assessment": {}, "reviews": {}}',
    "deep nesting": '{"schema_version": 2, "learner": "ada", "quiz_answers": [{"role": "data-analyst", "question": "q", "skills": ["sql"], "score": 1, "correct": true, "answer": ' + "[" * 3000 + "]" * 3000 + ', "attempt": 1, "at": "2026-01-01T00:00:00+00:00"}], "exercises": [], "self_assessment": {}, "reviews": {}}',
    "year 9999": '{"schema_version": 2, "learner": "ada", "quiz_answers": [{"role": "data-analyst", "question": "q", "skills": ["sql"], "score": 1, "correct": true, "answer": null, "attempt": 1, "at": "9999-12-31T23:59:59+00:00"}], "exercises": [], "self_assessment": {}, "reviews": {}}',
    "wrong types": '{"schema_version": 2, "learner": ["ada"], "quiz_answers": {}, "exercises": "x", "self_assessment": [], "reviews": 3}',
    "newer version": '{"schema_version": 99, "learner": "ada"}',
    "not JSON": "{not json",
    "not UTF-8": "\udcff\udcfe",
    "empty": "",
    "null": "null",
    "a list": "[]",
    "duplicate keys": '{"schema_version": 2, "schema_version": 2, "learner": "ada", "quiz_answers": [], "exercises": [], "self_assessment": {}, "reviews": {}}',
    "BOM": "\ufeff" + json.dumps(PROGRESS),
    "unknown skill level 7": '{"schema_version": 2, "learner": "ada", "quiz_answers": [], "exercises": [], "self_assessment": {"sql": 7}, "reviews": {}}',
}
"""A learner's progress file as a hostile hand (or a broken disk) left it."""


def _write_progress(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


def progress_file_tries() -> list[Try]:
    tries = []
    for label, text in HOSTILE_PROGRESS.items():

        def show_then_record(where: Path, text: str = text) -> list[str]:
            home = where / "home"
            _write_progress(home / "ada.json", text)
            original = (home / "ada.json").read_bytes()
            reasons = judge(cli(where, "progress", "--learner", "ada"), (0, 1))
            reasons += judge(cli(where, "progress"), (0,))
            code = textwrap.dedent(f"""
                import warnings
                from rolecourse.progress.store import ProgressStore, ProgressWarning
                s = ProgressStore({str(home)!r})
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    before = len(s.load("ada").quiz_answers)
                usable = not any(issubclass(w.category, ProgressWarning) for w in caught)
                warnings.simplefilter("ignore")
                s.record_quiz_answer("ada", role="data-analyst", question="new", skills=["sql"], score=1.0, correct=True)
                after = [a.question for a in s.load("ada").quiz_answers]
                assert "new" in after, "the new answer was lost"
                assert not usable or len(after) == before + 1, "answers of the usable file were lost"
                print("usable" if usable else "set aside")
            """)
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=CLI_LIMIT)
            if done.returncode != 0:
                reasons.append("recording after it failed: " + done.stderr.strip().splitlines()[-1][-300:])
            # a file that could not be used must be kept byte for byte (moved aside); a usable one is rewritten
            if done.stdout.strip() != "usable" and not [p for p in home.iterdir() if p.is_file() and p.read_bytes() == original]:
                reasons.append("the original file's bytes are nowhere (neither kept nor moved aside)")
            return reasons

        tries.append(Try("progress-files", f"a progress file holding {label}: shown, then an answer recorded", show_then_record))

        def imported(where: Path, text: str = text) -> list[str]:
            source = where / "import.json"
            _write_progress(source, text)
            home = where / "home"
            _write_progress(home / "ada.json", json.dumps(PROGRESS))
            before = (home / "ada.json").read_bytes()
            done = cli(where, "progress", "import", str(source))
            reasons = judge(done, (0, 1, 2))
            if done.rc != 0 and (home / "ada.json").read_bytes() != before:
                reasons.append("a refused import changed the learner's file")
            return reasons

        tries.append(Try("progress-files", f"progress import of a file holding {label}", imported))
    return tries


# -- non-regular inputs -------------------------------------------------------------------------


def non_regular_tries() -> list[Try]:
    tries = []
    kinds = ("fifo", "dev-zero", "dev-urandom", "folder", "oversized", "one huge line", "missing", "symlink-loop")

    def make(where: Path, kind: str, name: str) -> str:
        path = where / name
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dev-zero":
            return "/dev/zero"
        elif kind == "dev-urandom":
            return "/dev/urandom"
        elif kind == "folder":
            path.mkdir()
        elif kind == "oversized":
            with open(path, "wb") as f:
                f.write(b"{\"schema_version\": 2, \"learner\": \"ada\", \"x\": \"" + b"a" * (12 * 1024 * 1024) + b"\"}\n")
        elif kind == "one huge line":
            path.write_bytes(b"x" * (3 * 1024 * 1024))
        elif kind == "symlink-loop":
            path.symlink_to(path)
        return str(path)

    commands: dict[str, Callable[[Path, str], list[str]]] = {
        "--roles": lambda w, p: ["--roles", p, "roles"],
        "validate": lambda w, p: ["validate", p],
        "cohort roster": lambda w, p: ["cohort", p, "-o", str(w / "out")],
        "plan --roles": lambda w, p: ["--roles", p, "plan", "data-analyst"],
        "progress import": lambda w, p: ["progress", "import", p],
        "progress cohort --roster": lambda w, p: ["progress", "cohort", str(w), "--roster", p],
        "quiz list --roles": lambda w, p: ["--roles", p, "quiz", "list"],
    }
    for kind in kinds:
        for label, args in commands.items():

            def setup(where: Path, kind: str = kind, args: Callable[[Path, str], list[str]] = args) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
                path = make(where, kind, "input.yaml")
                return args(where, path), (1, 2), ("out",)

            tries.append(cli_try("non-regular-inputs", f"{label} reading {kind}", setup))
    for kind in ("fifo", "dev-zero-link", "folder-named-json", "oversized"):

        def setup(where: Path, kind: str = kind) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
            folder = where / "exports"
            folder.mkdir()
            (folder / "good.json").write_text(json.dumps(PROGRESS), encoding="utf-8")
            bad = folder / "bad.json"
            if kind == "fifo":
                os.mkfifo(bad)
            elif kind == "dev-zero-link":
                bad.symlink_to("/dev/zero")
            elif kind == "folder-named-json":
                bad.mkdir()
            else:
                bad.write_bytes(b"{\"a\": \"" + b"a" * (12 * 1024 * 1024) + b"\"}")
            return ["progress", "cohort", str(folder)], (1,), ()

        def after(where: Path, done: Run) -> list[str]:
            return [] if "ada" in done.out else ["one bad file hid the good ones"]

        tries.append(cli_try("non-regular-inputs", f"progress cohort of a folder with a {kind} among good files", setup, after))
    return tries


# -- learner code and values (library) ---------------------------------------------------------


def learner_code_tries() -> list[Try]:
    import numpy as np

    from rolecourse.assessment import checking
    from rolecourse.assessment.checking import CheckResult, StepSpec, check
    from rolecourse.assessment.checks import Case, Check, CheckKind
    from rolecourse.errors import RolecourseError

    expected = {
        CheckKind.EQUALS: 12, CheckKind.CLOSE: 0.25, CheckKind.RANGE: {"min": 1, "max": 2}, CheckKind.SET: ["a", "b"],
        CheckKind.SEQUENCE: [1, 2, 3], CheckKind.MAPPING: {"a": 1, "b": 2},
        CheckKind.TABLE: {"columns": ["x", "y"], "rows": [[1, 2], [3, 4]]}, CheckKind.ARRAY: [[1.0, 2.0], [3.0, 4.0]], CheckKind.CHART: [1.0, 2.0],
    }

    def forever(*_: Any) -> Any:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pass

    def loopy(base: type, name: str) -> Any:
        return type(f"Loopy{name}", (base,), {name: forever, "__hash__": base.__hash__} if name != "__hash__" else {name: forever})

    def raising(name: str) -> Any:
        def boom(*_: Any) -> Any:
            raise ValueError("x" * 100_000)

        return type(f"Raising{name}", (list,), {name: boom})

    class LiesAboutClass:
        @property
        def __class__(self) -> type:  # type: ignore[override]
            return int

    class Exits:
        def __eq__(self, other: object) -> bool:
            raise SystemExit(3)

        __hash__ = object.__hash__

    recursive: list[Any] = [1]
    recursive.append(recursive)
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    values: dict[str, Callable[[], Any]] = {
        "recursive list": lambda: recursive,
        "100,000-deep list": lambda: deep,
        "10^12-element array (a view)": lambda: np.broadcast_to(np.float64(1.0), (10**6, 10**6)),
        "10^7-element list": lambda: [1.0] * 10**7,
        "huge int": lambda: 10**100_000,
        "NaN": lambda: float("nan"),
        "lies about __class__": LiesAboutClass,
        "__eq__ exits": Exits,
        "numpy int": lambda: np.int64(12),
        "bytes": lambda: b"\xff" * 1000,
        "a 1 MB string": lambda: "x" * 1_000_000,
        "a generator": lambda: (i for i in range(3)),
        **{f"{n} loops": (lambda n=n: loopy(int, n)(12)) for n in ("__eq__", "__repr__", "__ne__")},
        **{f"list whose {n} loops": (lambda n=n: loopy(list, n)([1, 2, 3])) for n in ("__len__", "__iter__", "__repr__", "__getitem__")},
        "str whose __hash__ loops": lambda: [loopy(str, "__hash__")("a"), "b"],
        "float whose __float__ loops": lambda: loopy(float, "__float__")(1.5),
        **{f"list whose {n} raises a 100 KB message": (lambda n=n: raising(n)([1, 2])) for n in ("__len__", "__iter__", "__repr__", "__eq__")},
    }
    functions: dict[str, Callable[..., Any]] = {
        "an infinite loop": lambda x: forever(),
        "exit()": lambda x: sys.exit(2),
        "a KeyError": lambda x: {}[x],
        "a recursion without end": None,  # filled below
        "a huge array": lambda x: np.zeros(10**8, dtype=np.int8),
        "a result whose __eq__ loops": lambda x: loopy(int, "__eq__")(1),
        "a result whose __bool__ loops": lambda x: type("B", (int,), {"__eq__": lambda s, o: type("Bo", (), {"__bool__": forever})(), "__hash__": int.__hash__})(1),
        "None": lambda x: None,
    }

    def recurse(x: Any) -> Any:
        return recurse(x)

    functions["a recursion without end"] = recurse
    limit = 0.5
    tries = []

    def bounded(make_step: Callable[[], Any], value: Callable[[], Any]) -> list[str]:
        old = checking.TIME_LIMIT
        checking.TIME_LIMIT = limit
        started = time.monotonic()
        try:
            result = check(make_step(), value())
        except RolecourseError:
            return []
        except BaseException as exc:  # noqa: BLE001 - what the try is looking for
            return [f"check() raised {type(exc).__name__}: {str(exc)[:100]}"]
        finally:
            checking.TIME_LIMIT = old
        took = time.monotonic() - started
        reasons = [] if isinstance(result, CheckResult) else [f"check() returned {type(result).__name__}"]
        if took > 10 * limit + 3:
            reasons.append(f"took {took:.1f} s with a time limit of {limit:g} s")
        if len(result.message) > 2000:
            reasons.append(f"a message of {len(result.message)} characters")
        return reasons

    for vname, value in values.items():
        for kind, exp in expected.items():
            step = lambda kind=kind, exp=exp: StepSpec("s", "S", "p", ("python",), Check(kind), exp, (), (), "")
            tries.append(Try("learner-code", f"{kind.value} step given {vname}", lambda w, s=step, v=value: bounded(s, v), cli=False))
    for fname, fn in functions.items():
        for kind in (CheckKind.EQUALS, CheckKind.ARRAY):
            step = lambda kind=kind: StepSpec("s", "S", "p", ("python",), Check(CheckKind.CALLABLE, compare=Check(kind), time_limit=limit), (Case((1,), expected[kind]),), (), (), "")
            tries.append(Try("learner-code", f"callable ({kind.value}) whose function is {fname}", lambda w, s=step, f=fn: bounded(s, lambda: f), cli=False))
    return tries


# -- grading (library) -------------------------------------------------------------------------


def grading_tries() -> list[Try]:
    import numpy as np

    from rolecourse.assessment import grading
    from rolecourse.assessment.grading import Feedback, grade
    from rolecourse.assessment.questions import load_quiz
    from rolecourse.errors import RolecourseError

    def forever(*_: Any) -> Any:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pass

    def boom(*_: Any) -> Any:
        raise ValueError("y" * 100_000)

    bank = load_quiz("data-analyst")
    by_type: dict[str, Any] = {}
    for q in bank.questions:
        by_type.setdefault(q.type.value, q)
    answers: dict[str, Any] = {
        "a number": 3, "a float": 2.5, "NaN": float("nan"), "inf": float("inf"), "10**10000": 10**10000, "-10**400": -(10**400),
        "1e308 * 10 (inf)": 1e308 * 10, "a numpy int": np.int64(2), "a numpy float": np.float32(2.5), "a numpy array": np.arange(3),
        "a list of ids": ["a", "b"], "a list of numbers": [1, 2], "a dict": {"a": 1}, "None": None, "bytes": b"\xff", "a set": {1, 2},
        "a 1 MB string": "x" * 1_000_000, "a huge number as text": "9" * 5000, "True": True, "an object": object(), "a complex": 1 + 2j,
        "a string number with underscores": "1_000",
        **{f"{base.__name__} whose {n} loops": (lambda base=base, n=n, v=v: type("L", (base,), {n: forever, **({"__hash__": base.__hash__} if n != "__hash__" else {})})(v))
           for base, v in ((int, 1), (float, 1.5), (str, "a"), (list, ["a"])) for n in ("__eq__", "__repr__", "__hash__", "__len__", "__iter__", "__float__", "__lt__")},
        **{f"list whose {n} raises a 100 KB message": (lambda n=n: type("R", (list,), {n: boom})(["a"])) for n in ("__len__", "__iter__", "__repr__", "__eq__")},
    }
    tries = []
    for qtype, question in sorted(by_type.items()):
        for label, answer in answers.items():

            def run(where: Path, q: Any = question, a: Any = answer) -> list[str]:
                old, grading.TIME_LIMIT = grading.TIME_LIMIT, 0.5
                started = time.monotonic()
                try:
                    fb = grade(q, a() if callable(a) and not isinstance(a, type) else a)
                except RolecourseError:
                    return []
                except BaseException as exc:  # noqa: BLE001
                    return [f"grade() raised {type(exc).__name__}: {str(exc)[:100]}"]
                finally:
                    grading.TIME_LIMIT = old
                reasons = [] if isinstance(fb, Feedback) else [f"grade() returned {type(fb).__name__}"]
                if time.monotonic() - started > 5:
                    reasons.append(f"took {time.monotonic() - started:.1f} s")
                if len(fb.message) > 3000:
                    reasons.append(f"a message of {len(fb.message)} characters")
                return reasons

            tries.append(Try("grading", f"{qtype} question answered with {label}", run, cli=False))
    return tries


# -- silly hours, dates and roster cells -------------------------------------------------------


def bounds_tries() -> list[Try]:
    tries = []
    for hours in ("1e-300", "0", "-1", "nan", "inf", "1_0", "1e9", "0.0001", "abc", " 10 ", "10"):
        for start in ("9999-12-31", "0001-01-01", "2026-02-30", "2026-12-07", "+10000-01-01"):

            def setup(where: Path, hours: str = hours, start: str = start) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
                ok = hours.strip() == "10" and start == "2026-12-07"
                return ["plan", "data-analyst", "--hours-per-week", hours, "--start", start, "--format", "ics", "-o", str(where / "p.ics")], (0,) if ok else (2,), ("p.ics",)

            def after(where: Path, done: Run) -> list[str]:
                return ["a refused plan left a file"] if done.rc != 0 and (where / "p.ics").exists() else []

            tries.append(cli_try("bounds", f"plan --hours-per-week {hours!r} --start {start}", setup, after))
    rows = {
        "missing cells": "Ada,data-analyst\n",
        "hours 1_0": "Ada,data-analyst,,1_0,2026-12-07\n",
        "hours 1e-300": "Ada,data-analyst,,1e-300,2026-12-07\n",
        "start 9999-12-31": "Ada,data-analyst,,10,9999-12-31\n",
        "a formula name": '"=HYPERLINK(""http://x"")",data-analyst,,10,2026-12-07\n',
        "a formula role": "Ada,=cmd|' /C calc'!A0,,10,2026-12-07\n",
        "a 100 KB name": "A" * 100_000 + ",data-analyst,,10,2026-12-07\n",
        "unknown skill known": "Ada,data-analyst,nosuchskill:2,10,2026-12-07\n",
        "level 9": "Ada,data-analyst,sql:9,10,2026-12-07\n",
        "extra cells": "Ada,data-analyst,,10,2026-12-07,x,y\n",
        "NUL byte": "Ada\x00,data-analyst,,10,2026-12-07\n",
        "10,000 bad rows": "Ada,nosuchrole,,10,2026-12-07\n" * 10_000,
    }
    for label, row in rows.items():

        def setup(where: Path, row: str = row) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
            (where / "roster.csv").write_text(ROSTER_HEAD + row + "Bob,data-engineer,,8,2026-12-07\n", encoding="utf-8")
            return ["cohort", str(where / "roster.csv"), "-o", str(where / "out"), "--format", "csv"], (0, 1, 2), ("out",)

        def after(where: Path, done: Run) -> list[str]:
            summary = where / "out" / "summary.csv"
            if summary.exists():
                for line in summary.read_text(encoding="utf-8").splitlines()[1:]:
                    if line.startswith(("=", "+", "-", "@")):
                        return [f"summary.csv has a cell a spreadsheet would run: {line[:60]!r}"]
            return []

        tries.append(cli_try("bounds", f"cohort roster row with {label}", setup, after))
    for today in ("9999-12-31", "0001-01-01", "2026-13-01"):

        def setup(where: Path, today: str = today) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
            (where / "exports").mkdir()
            (where / "exports" / "ada.json").write_text(json.dumps(PROGRESS), encoding="utf-8")
            (where / "roster.csv").write_text(ROSTER_HEAD + GOOD_ROW, encoding="utf-8")
            return ["progress", "cohort", str(where / "exports"), "--roster", str(where / "roster.csv"), "--today", today], (0, 1, 2), ()

        tries.append(cli_try("bounds", f"progress cohort --today {today}", setup))
    return tries


# -- overlays ----------------------------------------------------------------------------------


OVERLAYS = {
    "only a title": ("title: Mine\n", "overlay"),
    "a title and a version": ("schema_version: 1\ntitle: Mine\n", None),
    "a newer version": ("schema_version: 9\ntitle: Mine\n", None),
    "a 400-digit version": ("schema_version: " + "9" * 400 + "\n", None),
    "a list": ("- a\n- b\n", None),
    "empty": ("", None),
    "unknown keys": ("schema_version: 1\ntitel: Mine\n", None),
    "removing every role": ("schema_version: 1\nremove_roles: [data-analyst, data-engineer, data-scientist, ml-engineer, analytics-engineer, ai-engineer, mlops-engineer]\n", None),
    "removing an unknown skill": ("schema_version: 1\nremove_skills: [nosuch]\n", None),
    "a 100 KB id": ("schema_version: 1\nremove_roles: [" + "r" * 100_000 + "]\n", None),
    "YAML anchors bomb": ("schema_version: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n", None),
}


def overlay_tries() -> list[Try]:
    tries = []
    for label, (text, must_say) in OVERLAYS.items():
        for how in ("validate alone", "validate after roles.yaml", "--roles"):

            def setup(where: Path, text: str = text, how: str = how) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
                (where / "overlay.yaml").write_text(text, encoding="utf-8")
                if how == "validate alone":
                    return ["validate", str(where / "overlay.yaml")], (0, 1), ()
                if how == "--roles":
                    return ["--roles", str(where / "overlay.yaml"), "roles"], (1,), ()
                from rolecourse.content.curriculum import shipped_path

                return ["validate", str(shipped_path()), str(where / "overlay.yaml")], (0, 1), ()

            def after(where: Path, done: Run, must_say: str | None = must_say) -> list[str]:
                if must_say and done.rc != 0 and must_say not in done.err:
                    return [f"refused without saying {must_say!r}: {done.err.strip()[:160]!r}"]
                return []

            tries.append(cli_try("overlays", f"an overlay of {label}, {how}", setup, after))
    return tries


# -- huge names in messages --------------------------------------------------------------------


def message_tries() -> list[Try]:
    huge = "x" * 100_000
    tries = [
        cli_try("messages", "plan of a 100 KB role name", lambda w: (["plan", huge], (1, 2), ())),
        cli_try("messages", "show of a 100 KB role name", lambda w: (["show", huge], (1, 2), ())),
        cli_try("messages", "plan --know of a 100 KB skill", lambda w: (["plan", "data-analyst", "--know", huge + ":2"], (1, 2), ())),
        cli_try("messages", "progress --learner of a 100 KB name", lambda w: (["progress", "--learner", huge], (0, 1, 2), ())),
        cli_try("messages", "quiz export of a 100 KB role", lambda w: (["quiz", "export", huge, "--format", "gift"], (1, 2), ())),
        cli_try("messages", "lessons of a 100 KB role", lambda w: (["lessons", "--role", huge], (0, 1, 2), ())),
    ]

    def bad_import(where: Path) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
        bad = {**PROGRESS, "quiz_answers": [{"role": 1, "question": 2}] * 100_000}
        (where / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
        return ["progress", "import", str(where / "bad.json")], (1, 2), ()

    tries.append(cli_try("messages", "progress import of 100,000 bad records", bad_import))

    def bad_curriculum(where: Path) -> tuple[list[str], tuple[int, ...], tuple[str, ...]]:
        lines = ["schema_version: 1", "title: T", "skills:"] + [f"  - id: {'s' * 2000}{i}\n    name: 7" for i in range(2000)] + ["roles: []"]
        (where / "roles.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return ["--roles", str(where / "roles.yaml"), "roles"], (1,), ()

    tries.append(cli_try("messages", "a curriculum of 2,000 bad skills with 2,000-character ids", bad_curriculum))
    return tries


# -- read-only and full folders (in a namespace) -----------------------------------------------


NS_DRIVER = r'''
import hashlib, json, os, subprocess, sys
steps = json.loads(sys.argv[1])
seen = []
for step in steps:
    if "fill" in step:  # write zeros until the disk is full
        fd = os.open(os.path.join(step["fill"], "filler"), os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            while True:
                os.write(fd, b"\0" * 1024)
        except OSError:
            pass
        os.close(fd)
        seen.append({"filled": step["fill"]})
    elif "files" in step:
        folder = step["files"]
        seen.append({"files": {n: hashlib.sha256(open(os.path.join(folder, n), "rb").read()).hexdigest()
                               for n in sorted(os.listdir(folder)) if os.path.isfile(os.path.join(folder, n))}})
    else:
        argv = [sys.executable, "-m", "rolecourse", *step["cli"]] if "cli" in step else [sys.executable, "-c", step["py"]]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        seen.append({"rc": done.returncode, "out": done.stdout, "err": done.stderr})
print(json.dumps(seen))
'''
"""Runs steps inside a user and mount namespace, where the mounts live, and prints what each gave as JSON: a
``cli`` step (rolecourse's arguments) or a ``py`` step (code) gives its exit code, stdout and stderr; a ``fill``
step writes zeros into a folder until its disk is full; a ``files`` step gives the sha256 of each file of a folder."""


def run_in_namespace(where: Path, mounts: list[str], steps: list[dict[str, Any]], home: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``steps`` (see :data:`NS_DRIVER`) with ``where`` as the current folder, in a namespace after the ``mounts`` shell commands."""
    driver = where / "driver.py"
    driver.write_text(NS_DRIVER, encoding="utf-8")
    script = " && ".join([*mounts, 'exec "$@"'])
    env = {**os.environ, "ROLECOURSE_HOME": str(home), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", sys.executable, str(driver), json.dumps(steps)],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=where, stdin=subprocess.DEVNULL,
    )


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    where = tempfile.mkdtemp(prefix="rolecourse-ns-")
    try:
        return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {where}"], capture_output=True, timeout=30).returncode == 0
    finally:
        os.rmdir(where)


def folder_tries() -> list[Try]:
    writes = {
        "progress import": lambda w: ["progress", "import", str(w / "ada-export.json"), "--as", "bob"],
        "progress import --replace": lambda w: ["progress", "import", str(w / "ada-export.json"), "--replace"],
        "progress export -o": lambda w: ["progress", "export", "--learner", "ada", "-o", str(w / "out" / "ada.json")],
        "plan -o": lambda w: ["plan", "data-analyst", "--format", "md", "-o", str(w / "out" / "plan.md")],
        "cohort -o": lambda w: ["cohort", str(w / "roster.csv"), "-o", str(w / "out"), "--format", "md"],
        "cohort -o a new subfolder": lambda w: ["cohort", str(w / "roster.csv"), "-o", str(w / "out" / "new"), "--format", "json"],
    }
    reads = {
        "progress": lambda w: ["progress"],
        "progress --learner": lambda w: ["progress", "--learner", "ada"],
        "progress export -o /dev/fd/1": lambda w: ["progress", "export", "--learner", "ada", "-o", "/dev/fd/1"],
    }
    tries = []
    for condition in ("read-only", "full"):

        def run(where: Path, condition: str = condition) -> list[str]:
            if not _namespaces_work():
                return ["unshare --user --map-root-user --mount is refused here: read-only and full folders cannot be tried"]
            home, out = where / "home", where / "out"
            home.mkdir()
            out.mkdir()
            exported = where / "ada-export.json"
            exported.write_text(json.dumps(PROGRESS), encoding="utf-8")
            (where / "roster.csv").write_text(ROSTER_HEAD + GOOD_ROW, encoding="utf-8")
            if condition == "read-only":
                done = cli(where, "progress", "import", str(exported))
                mounts = [f"mount --bind {home} {home}", f"mount -o remount,bind,ro {home}", f"mount --bind {out} {out}", f"mount -o remount,bind,ro {out}"]
                steps: list[dict[str, Any]] = []
            else:
                mounts = [f"mount -t tmpfs -o size=64k tmpfs {home}", f"mount -t tmpfs -o size=64k tmpfs {out}"]
                steps = [{"cli": ["progress", "import", str(exported)]}, {"fill": str(home)}, {"fill": str(out)}]
            labels = [*(f"read {k}" for k in reads), *(f"write {k}" for k in writes)]
            steps += [{"cli": f(where)} for f in reads.values()] + [{"cli": f(where)} for f in writes.values()]
            done = run_in_namespace(where, mounts, steps, home, timeout=300)
            if done.returncode != 0:
                return ["the namespace run failed: " + done.stderr.strip()[-300:]]
            seen = [s for s in json.loads(done.stdout) if "rc" in s][-len(labels):]
            if len(seen) != len(labels):
                return [f"the namespace run gave {len(seen)} results for {len(labels)} commands"]
            reasons = []
            for label, s in zip(labels, seen):
                expect = (0,) if label.startswith("read") else (2,) if condition == "read-only" else (1,)
                run_ = Run(s["rc"], s["out"], s["err"], 0.0)
                reasons += [f"{label}: {r}" for r in judge(run_, expect)]
                lines = s["err"].strip().splitlines()
                if label.startswith("write") and len(lines) != 1:
                    reasons.append(f"{label}: {len(lines)} stderr lines, expected one naming the folder")
            return reasons

        tries.append(Try("read-only-and-full", f"a {condition} progress folder and output folder: 3 reads, 6 writes", run))
    return tries


# -- running -----------------------------------------------------------------------------------


CATEGORIES = {
    "output-folders": output_folder_tries,
    "progress-files": progress_file_tries,
    "non-regular-inputs": non_regular_tries,
    "learner-code": learner_code_tries,
    "grading": grading_tries,
    "read-only-and-full": folder_tries,
    "bounds": bounds_tries,
    "overlays": overlay_tries,
    "messages": message_tries,
}


def attempt(t: Try) -> Outcome:
    where = Path(tempfile.mkdtemp(prefix="rolecourse-try-"))
    started = time.monotonic()
    try:
        reasons = t.run(where)
    except BaseException as exc:  # noqa: BLE001 - a try that breaks is a failure, reported
        reasons = [f"the try itself broke: {type(exc).__name__}: {str(exc)[:200]}"]
    finally:
        shutil.rmtree(where, ignore_errors=True)
    return Outcome(t.category, t.name, reasons, time.monotonic() - started)


def pick(tries: list[Try], quick: bool) -> list[Try]:
    if not quick:
        return tries
    step = max(1, len(tries) // 3)
    return tries[::step][:3]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three tries per category (for the test suite)")
    parser.add_argument("--category", action="append", choices=sorted(CATEGORIES), help="only this category (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="CLI tries run at once (default 2)")
    args = parser.parse_args(argv)
    chosen = args.category or list(CATEGORIES)
    started = time.monotonic()
    tries = [t for c in chosen for t in pick(CATEGORIES[c](), args.quick)]
    outcomes: list[Outcome] = [attempt(t) for t in tries if not t.cli]  # in this process: check() uses SIGALRM in the main thread
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes += list(pool.map(attempt, [t for t in tries if t.cli]))
    failed = 0
    for category in chosen:
        mine = [o for o in outcomes if o.category == category]
        bad = [o for o in mine if o.reasons]
        failed += len(bad)
        print(f"{category}: {len(mine)} tries, {len(bad)} failures ({sum(o.seconds for o in mine):.1f} s)")
        for o in bad:
            print(f"  FAIL {o.name}")
            for reason in o.reasons:
                print(f"       {reason[:400]}")
    print(f"total: {len(outcomes)} tries, {failed} failures, {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
