"""The rolecourse command and the progress store on real read-only, forbidden and full folders (#18).

Nothing here is simulated. We run as root, whom permission bits do not stop, so:

* a **read-only folder** (EROFS) is a bind mount remounted read-only, and a **full disk**
  (ENOSPC) a 64 KiB tmpfs, both inside a user and mount namespace
  (``unshare --user --map-root-user --mount``) that ends with the test;
* a **forbidden folder** (EACCES) is a 0555 folder written by a process without privilege:
  ``setpriv`` as nobody when nobody can run this interpreter, else ``unshare --user`` without
  a uid map (the process keeps its uid for file checks but holds no capability, so the
  folder's mode stops it).

Every command runs as a subprocess of the real CLI. Reads must work; writes must fail with
one line naming the folder, exit code 2 for a folder the user must change (read-only,
forbidden) and 1 for a failure of the system (a full disk), never a traceback; the learner's
file is intact afterwards and no temporary file is left. Without ``unshare`` or ``setpriv``
these tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

TOOLS = Path(__file__).parents[1] / "tools"
sys.path.insert(0, str(TOOLS))
try:
    import hostile_tries  # the one driver of steps in a namespace (tools/hostile_tries.py runs it too)
finally:
    sys.path.remove(str(TOOLS))

LIMIT = 120.0
"""Seconds a whole scenario (one namespace, a few commands) may take."""

ROSTER = "name,role,known,hours_per_week,start\nAda,data-analyst,,10,2026-12-07\nBob,data-engineer,,8,2026-12-07\n"


def on_ci() -> bool:
    """Whether this run is CI's (``CI=true``), where a missing tool is a failure, not a skip."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def unavailable(reason: str) -> None:
    """Skip because ``reason``; under CI=true, fail instead (these tests must run there)."""
    if on_ci():
        pytest.fail(f"{reason} (CI=true: the real read-only and full-disk tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def _works(argv: list[str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=30, stdin=subprocess.DEVNULL).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@functools.cache
def namespaces_missing() -> str | None:
    """Why a user and mount namespace with tmpfs and read-only mounts cannot be made here, or None."""
    if shutil.which("unshare") is None:
        return "unshare is not installed (util-linux)"
    where = tempfile.mkdtemp(prefix="rolecourse-ns-")
    try:
        script = f"mount -t tmpfs -o size=64k tmpfs {where} && mount -o remount,ro {where} && ! touch {where}/x 2>/dev/null"
        if not _works(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script]):
            return "this machine refuses user and mount namespaces (unshare --user --map-root-user --mount)"
    finally:
        os.rmdir(where)
    return None


@functools.cache
def unprivileged_prefix() -> tuple[str, ...] | None:
    """The command prefix that runs a process without privilege over files, or None.

    ``setpriv`` as nobody when nobody can run this interpreter and import rolecourse; else
    ``unshare --user`` (no uid map: no capability, so a 0555 folder refuses a write).
    """
    probe = [sys.executable, "-c", "import rolecourse"]
    env = {"HOME": "/", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    nobody = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    if shutil.which("setpriv") and _works(["env", *(f"{k}={v}" for k, v in env.items()), *nobody, *probe]):
        return nobody
    if shutil.which("unshare") and _works(["unshare", "--user", *probe]):
        return ("unshare", "--user")
    return None


@pytest.fixture
def place() -> Any:
    """A folder every user may enter (tmp_path's parents are 0700, which nobody cannot cross)."""
    where = Path(tempfile.mkdtemp(prefix="rolecourse-fs-"))
    where.chmod(0o755)
    yield where
    for folder, dirs, _files in os.walk(where):
        for d in dirs:
            os.chmod(os.path.join(folder, d), 0o755)
    shutil.rmtree(where, ignore_errors=True)


def in_namespace(place: Path, mounts: list[str], steps: list[dict[str, Any]], home: Path) -> list[dict[str, Any]]:
    """Run ``steps`` (CLI commands, Python code, disk fills, file listings) in a namespace after ``mounts``."""
    missing = namespaces_missing()
    if missing:
        unavailable(missing)
    done = hostile_tries.run_in_namespace(place, mounts, steps, home, timeout=LIMIT)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def read_only(folder: Path) -> list[str]:
    return [f"mount --bind {folder} {folder}", f"mount -o remount,bind,ro {folder}"]


def small_disk(folder: Path) -> list[str]:
    return [f"mount -t tmpfs -o size=64k,mode=0755 tmpfs {folder}"]


def record(home: Path, answers: int = 1, question: str = "q") -> str:
    """Python code that records ``answers`` answers of ada in ``home`` through the library, printing what escaped."""
    return (
        "from rolecourse.progress.store import ProgressStore\n"
        "from rolecourse.errors import RolecourseError\n"
        f"s = ProgressStore({str(home)!r})\n"
        "try:\n"
        f"    for i in range({answers}):\n"
        f"        s.record_quiz_answer('ada', role='data-analyst', question=f'{question}{{i}}', skills=['sql'], score=1.0, correct=True, answer='x' * 100)\n"
        "except RolecourseError as exc:\n"
        "    print(type(exc).__name__ + ': ' + str(exc))\n"
    )


def one_line(seen: dict[str, Any], code: int, *names: Path) -> str:
    """The one line a refused command printed; checks its exit code, that it names each of ``names``, no traceback."""
    assert "Traceback" not in seen["err"], seen["err"][-2000:]
    lines = seen["err"].strip().splitlines()
    assert len(lines) == 1, seen["err"]
    assert seen["rc"] == code, (seen["rc"], seen["err"])
    for name in names:
        assert str(name) in lines[0], (str(name), lines[0])
    return lines[0]


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def prepared(place: Path) -> tuple[Path, Path, Path, Path]:
    """A progress folder with ada's answers, an exported file, a roster and an empty output folder."""
    home, out = place / "home", place / "out"
    out.mkdir()
    subprocess.run([sys.executable, "-c", record(home, 3)], check=True, timeout=60)
    exported = place / "ada-export.json"
    subprocess.run([sys.executable, "-m", "rolecourse", "progress", "export", "--learner", "ada", "-o", str(exported)], check=True, timeout=60, env={**os.environ, "ROLECOURSE_HOME": str(home)}, capture_output=True)
    roster = place / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    return home, out, exported, roster


# -- a read-only folder (EROFS) ------------------------------------------------------------------


@pytest.mark.parametrize("lock_file", [True, False], ids=["with-lock-file", "without-lock-file"])
def test_progress_reads_work_on_a_read_only_progress_folder(place, lock_file):
    """show, report and export to stdout read a read-only progress folder; nothing in it changes, stdout stays a pipe."""
    home, _out, _exported, _roster = prepared(place)
    if not lock_file:
        (home / "ada.lock").unlink()
    before = digests(home)
    seen = in_namespace(place, read_only(home), [
        {"cli": ["progress"]},
        {"cli": ["progress", "--learner", "ada"]},
        {"cli": ["progress", "show", "--learner", "ada", "--json"]},
        # /dev/fd/1, not /dev/stdout: were the writer to replace what it is given, /proc refuses, /dev (as root) would not
        {"cli": ["progress", "export", "--learner", "ada", "-o", "/dev/fd/1"]},
    ], home)
    for s in seen:
        assert s["rc"] == 0 and "Traceback" not in s["err"], s
    assert seen[0]["out"].split() == ["ada"]
    assert "data-analyst" in seen[1]["out"] or "Data Analyst" in seen[1]["out"]
    assert json.loads(seen[2]["out"])["learner"] == "ada"
    assert [a["question"] for a in json.loads(seen[3]["out"])["quiz_answers"]] == ["q0", "q1", "q2"]
    assert digests(home) == before


def test_writes_into_read_only_folders_fail_in_one_line_naming_the_folder(place):
    """Recording, importing, exporting, planning and cohorts into a read-only folder: one line, exit 2, nothing changed."""
    home, out, exported, roster = prepared(place)
    before = digests(home)
    seen = in_namespace(place, [*read_only(home), *read_only(out)], [
        {"py": record(home, 1, question="new")},
        {"cli": ["progress", "import", str(exported), "--as", "bob"]},
        {"cli": ["progress", "import", str(exported), "--replace"]},
        {"cli": ["progress", "export", "--learner", "ada", "-o", str(out / "ada.json")]},
        {"cli": ["plan", "data-analyst", "-o", str(out / "plan.md"), "--format", "md"]},
        {"cli": ["cohort", str(roster), "-o", str(out), "--format", "md"]},
        {"cli": ["cohort", str(roster), "-o", str(out / "class"), "--format", "csv"]},
    ], home)
    recorded = seen[0]["out"].strip()
    assert recorded.startswith("UsageError: ") and str(home) in recorded and "read-only" in recorded and "\n" not in recorded
    for s in seen[1:3]:
        assert "read-only" in one_line(s, 2, home)
    for s in seen[3:]:
        assert "read-only" in one_line(s, 2, out)
    assert digests(home) == before
    assert list(out.iterdir()) == []


# -- a forbidden folder (EACCES) -----------------------------------------------------------------


def as_unprivileged(place: Path, home: Path, *args: str) -> dict[str, Any]:
    prefix = unprivileged_prefix()
    if prefix is None:
        unavailable("neither setpriv (as nobody, able to run this interpreter) nor unshare --user works here")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(place), "ROLECOURSE_HOME": str(home), "PYTHONWARNINGS": "ignore", "LANG": "C.UTF-8"}
    argv = [sys.executable, "-c", args[1]] if args[0] == "-c" else [sys.executable, "-m", "rolecourse", *args]
    done = subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=LIMIT, env=env, cwd=place, stdin=subprocess.DEVNULL)
    return {"rc": done.returncode, "out": done.stdout, "err": done.stderr}


def test_a_forbidden_progress_folder_is_read_and_refuses_writes_in_one_line(place):
    """A 0555 progress folder and a 0555 output folder, for a process without privilege: reads work, writes give one line."""
    home, out, exported, roster = prepared(place)
    for p in home.iterdir():
        p.chmod(0o644)
    home.chmod(0o555)
    out.chmod(0o555)
    before = digests(home)
    show = as_unprivileged(place, home, "progress", "--learner", "ada")
    assert show["rc"] == 0 and "Traceback" not in show["err"], show
    listed = as_unprivileged(place, home, "progress", "show", "--json")
    assert json.loads(listed["out"])["learners"] == ["ada"]
    recorded = as_unprivileged(place, home, "-c", record(home, 1, question="new"))["out"].strip()
    assert recorded.startswith("UsageError: ") and str(home) in recorded and "\n" not in recorded
    assert "permission" in one_line(as_unprivileged(place, home, "progress", "import", str(exported), "--as", "bob"), 2, home).lower()
    for args in (
        ("progress", "export", "--learner", "ada", "-o", str(out / "ada.json")),
        ("plan", "data-analyst", "-o", str(out / "plan.md"), "--format", "md"),
        ("cohort", str(roster), "-o", str(out), "--format", "md"),
    ):
        assert "no permission to write in the folder" in one_line(as_unprivileged(place, home, *args), 2, out)
    assert digests(home) == before
    assert list(out.iterdir()) == []


# -- a full disk (ENOSPC) ------------------------------------------------------------------------


def test_a_save_on_a_full_disk_fails_in_one_line_and_keeps_the_learners_file(place):
    """On a full disk the library and the CLI refuse in one line; the file is intact and readable, no temporary file left."""
    home, out = place / "home", place / "out"
    home.mkdir()
    out.mkdir()
    exported = place / "other.json"
    exported.write_text(json.dumps({"schema_version": 2, "learner": "cy", "quiz_answers": [], "exercises": [], "self_assessment": {"sql": 2}, "reviews": {}}), encoding="utf-8")
    roster = place / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    seen = in_namespace(place, [*small_disk(home), *small_disk(out)], [
        {"py": record(home, 20)},  # 0: about 10 KB of progress
        {"files": str(home)},  # 1
        {"fill": str(home)},  # 2
        {"fill": str(out)},  # 3
        {"py": record(home, 1, question="lost")},  # 4: the library's save
        {"cli": ["progress", "import", str(exported)]},  # 5
        {"cli": ["progress", "import", str(exported), "--as", "ada"]},  # 6: a merge into ada's file
        {"cli": ["progress", "show", "--learner", "ada", "--json"]},  # 7: still readable
        {"cli": ["progress", "export", "--learner", "ada", "-o", str(out / "ada.json")]},  # 8
        {"cli": ["cohort", str(roster), "-o", str(out), "--format", "md"]},  # 9
        {"cli": ["plan", "data-analyst", "-o", str(out / "plan.md"), "--format", "md"]},  # 10
        {"files": str(home)},  # 11
        {"files": str(out)},  # 12
    ], home)
    assert seen[0]["out"] == "" and "ada.json" in seen[1]["files"]
    saved = seen[4]["out"].strip()
    assert saved.startswith("RolecourseError: ") and "\n" not in saved and "full" in saved and str(home) in saved
    for s in (seen[5], seen[6]):
        assert "full" in one_line(s, 1, home)
    report = json.loads(seen[7]["out"])
    assert seen[7]["rc"] == 0 and report["learner"] == "ada"
    for s in seen[8:11]:
        assert "full" in one_line(s, 1, out)
    after = seen[11]["files"]
    assert after["ada.json"] == seen[1]["files"]["ada.json"]  # nothing lost, nothing half written
    assert not [n for n in after if n.endswith(".tmp")] and "cy.json" not in after
    assert sorted(seen[12]["files"]) == ["filler"]


def test_the_progress_store_keeps_the_previous_file_when_the_disk_fills(place):
    """The library alone: a save that cannot be written raises RolecourseError; load() then gives the previous progress."""
    home = place / "home"
    home.mkdir()
    check = (
        "from rolecourse.progress.store import ProgressStore\n"
        f"s = ProgressStore({str(home)!r})\n"
        "print(json.dumps([a.question for a in s.load('ada').quiz_answers]))\n"
    )
    seen = in_namespace(place, small_disk(home), [
        {"py": record(home, 5)},
        {"fill": str(home)},
        {"py": record(home, 1, question="lost")},
        {"py": "import json\n" + check},
        {"files": str(home)},
    ], home)
    assert seen[2]["out"].startswith("RolecourseError: cannot write")
    assert json.loads(seen[3]["out"]) == ["q0", "q1", "q2", "q3", "q4"]
    assert sorted(seen[4]["files"]) == ["ada.json", "ada.lock", "filler"]
