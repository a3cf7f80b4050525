"""The rolecourse command against hostile files, folders and values, through a subprocess (#18).

Each run costs about 0.3 s, so each property tries few examples. Every run must end within
the time limit with exit code 0, 1 (invalid content) or 2 (usage error), one short message
and never a traceback; nothing is written outside the folder named.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LIMIT = 30.0


def run(*args: str, home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ROLECOURSE_HOME": str(home), "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-m", "rolecourse", *args], capture_output=True, text=True, timeout=LIMIT, env=env, cwd=cwd, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode in (0, 1, 2), (done.returncode, done.stderr[-500:])
    assert all(len(line) <= 600 for line in done.stderr.splitlines()), "a message echoed a long input"
    return done


def hostile_input(kind: str, where: Path, text: str) -> str:
    path = where / "input.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        return "/dev/zero"
    elif kind == "folder":
        path.mkdir()
    elif kind == "huge-int":
        path.write_text("roles:\n  - id: " + "9" * 400 + "\n", encoding="utf-8")
    elif kind == "bytes":
        path.write_bytes(text.encode("utf-8", "surrogatepass") + b"\xff\xfe")
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


INPUT_KINDS = st.sampled_from(["fifo", "device", "folder", "huge-int", "bytes", "text"])


@FEW
@given(kind=INPUT_KINDS, text=st.text(max_size=200), command=st.sampled_from([("roles",), ("validate",), ("progress", "import"), ("progress", "cohort-file")]))
def test_hostile_inputs_give_one_message(tmp_path_factory, kind, text, command):
    where = tmp_path_factory.mktemp("cli")
    path = hostile_input(kind, where, text)
    if command == ("roles",):
        done = run("--roles", path, "roles", home=where / "home", cwd=where)
    elif command == ("validate",):
        done = run("validate", path, home=where / "home", cwd=where)
    elif command == ("progress", "import"):
        done = run("progress", "import", path, home=where / "home", cwd=where)
    else:
        folder = where / "exports"
        folder.mkdir()
        if kind == "fifo":
            os.mkfifo(folder / "a.json")
        elif kind == "device":
            (folder / "a.json").symlink_to("/dev/zero")
        else:
            (folder / "a.json").write_text(text, encoding="utf-8")
        done = run("progress", "cohort", str(folder), home=where / "home", cwd=where)
    if kind in ("fifo", "device", "folder", "huge-int"):
        assert done.returncode in (1, 2)


@FEW
@given(hours=st.sampled_from(["1e-300", "0", "-1", "nan", "inf", "1_0", "81", "1e9", "0.4", "abc", "10"]), start=st.sampled_from(["9999-12-31", "0001-01-01", "2026-12-07", "2026-02-30", "x"]))
def test_plan_bounds_are_usage_errors(tmp_path_factory, hours, start):
    where = tmp_path_factory.mktemp("plan")
    done = run("plan", "data-analyst", "--hours-per-week", hours, "--start", start, "-o", str(where / "p.md"), "--format", "md", home=where / "home", cwd=where)
    if hours == "10" and start == "2026-12-07":
        assert done.returncode == 0
    else:
        assert done.returncode == 2
        assert not (where / "p.md").exists()


@FEW
@given(
    name=st.sampled_from(["=HYPERLINK(\"x\")", "+1", "@SUM(A1)", "-2", "Ada", "../../etc/passwd", "x" * 5000]),
    hours=st.sampled_from(["10", "1_0", "", "nan", "0.1"]),
    role=st.sampled_from(["data-analyst", "=cmd", "x" * 3000]),
    short=st.booleans(),
    trap=st.sampled_from(["symlink", "fifo", "roster-name", "none"]),
)
def test_cohort_writes_inside_its_folder_only(tmp_path_factory, name, hours, role, short, trap):
    where = tmp_path_factory.mktemp("cohort")
    out = where / "out"
    out.mkdir()
    outside = where / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    roster = out / "roster.csv" if trap == "roster-name" else where / "roster.csv"
    row = f'"{name}",{role},sql:1' if short else f'"{name}",{role},sql:1,{hours},2026-12-07'
    roster.write_text(f"name,role,known,hours_per_week,start\n{row}\nAda,data-analyst,,10,2026-12-07\n", encoding="utf-8")
    if trap == "symlink":
        (out / "ada.md").symlink_to(outside)
    elif trap == "fifo":
        os.mkfifo(out / "ada.md")
    before = roster.read_bytes()
    run("cohort", str(roster), "-o", str(out), "--format", "md", home=where / "home", cwd=where)
    assert outside.read_text(encoding="utf-8") == "keep"
    assert roster.read_bytes() == before
    assert sorted(p.name for p in where.iterdir()) == sorted({"out", "outside.txt", "roster.csv", "home"} & {p.name for p in where.iterdir()})
    summary = out / "summary.csv"
    if summary.exists():
        for line in summary.read_text(encoding="utf-8").splitlines()[1:]:
            assert not line.startswith(("=", "+", "-", "@")), line


@FEW
@given(target=st.sampled_from(["fifo", "symlink", "folder", "missing-folder", "file"]))
def test_progress_export_target(tmp_path_factory, target):
    where = tmp_path_factory.mktemp("export")
    home = where / "home"
    imported = where / "ada.json"
    imported.write_text('{"schema_version": 2, "learner": "ada", "quiz_answers": [], "exercises": [], "self_assessment": {}, "reviews": {}}\n', encoding="utf-8")
    run("progress", "import", str(imported), home=home, cwd=where)
    outside = where / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    dest = where / "out.json"
    if target == "fifo":
        os.mkfifo(dest)
    elif target == "symlink":
        dest.symlink_to(outside)
    elif target == "folder":
        dest.mkdir()
    elif target == "missing-folder":
        dest = where / "nope" / "deeper" / "out.json"
    done = run("progress", "export", "--learner", "ada", "-o", str(dest), home=home, cwd=where)
    assert outside.read_text(encoding="utf-8") == "keep"
    if target == "fifo":
        assert done.returncode == 2 and dest.is_fifo()
    if target in ("file", "symlink"):
        assert done.returncode == 0 and dest.is_file() and not dest.is_symlink()


def test_quiz_export_of_a_name_too_long_or_with_a_path_is_an_unknown_bank(tmp_path):
    """A role name is checked against the banks, never used as a path: a 100 KB name or '../x' is one short line (#18)."""
    for name in ("x" * 100_000, "../quizzes/data-analyst"):
        done = run("quiz", "export", name, "--format", "gift", home=tmp_path / "home", cwd=tmp_path)
        assert done.returncode == 2 and "unknown quiz bank" in done.stderr and len(done.stderr) < 1000


def test_cohort_stops_listing_failed_rows_after_fifty_and_says_how_many_more(tmp_path):
    """10,000 bad roster rows give 50 lines and one 'and N more' line, not 10,000 lines (#18, messages)."""
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role,known,hours_per_week,start\n" + "Ada,nosuch,,10,2026-12-07\n" * 10_000, encoding="utf-8")
    done = run("cohort", str(roster), "-o", str(tmp_path / "out"), home=tmp_path / "home", cwd=tmp_path)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 51
    assert lines[-1] == "... and 9950 more failed rows (only the first 50 are shown; --json lists them all)"


def test_plan_hours_with_an_underscore_are_refused_like_a_roster_cell(tmp_path):
    """`--hours-per-week 1_0` (which float() reads as 10) is a usage error, as the roster cell 1_0 is."""
    done = run("plan", "data-analyst", "--hours-per-week", "1_0", home=tmp_path / "home", cwd=tmp_path)
    assert done.returncode == 2 and "expected a number of hours such as 10 or 7.5, found '1_0'" in done.stderr
