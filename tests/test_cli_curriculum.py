"""Tests for the curriculum commands: roles, show, skills, validate (exit codes and output)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rolecourse.cli import main

INVALID = Path(__file__).parent / "fixtures" / "curriculum" / "invalid"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_roles_lists_in_order(capsys, tiny_curriculum_path):
    """`roles` prints one aligned row per role in file order."""
    code, out, _ = run(capsys, "roles", "--roles", str(tiny_curriculum_path))
    assert code == 0
    assert out.splitlines() == [
        " #  id         name       skills  hours",
        " 1  analyst    Analyst         2     23",
        " 2  scientist  Scientist       2     18",
    ]


def test_roles_json(capsys, tiny_curriculum_path):
    """`roles --json` gives machine-readable rows."""
    code, out, _ = run(capsys, "roles", "--json", "--roles", str(tiny_curriculum_path))
    assert code == 0
    assert json.loads(out)[1] == {"number": 2, "id": "scientist", "name": "Scientist", "skills": 2, "hours": 18}


@pytest.mark.parametrize("key", ["analyst", "Analyst", "ANALYST"])
def test_show_by_id_or_name(capsys, tiny_curriculum_path, key):
    """`show` finds a role by id or display name, in any case."""
    code, out, _ = run(capsys, "show", key, "--roles", str(tiny_curriculum_path))
    assert code == 0
    assert out.startswith("Analyst\n=======\n")
    assert "- Reporting: Create reports." in out
    assert "    - SQL (PostgreSQL) [sql, 5 h]" in out
    assert "Study time from scratch (the role's plan, prerequisites included): 23 h" in out


def test_show_unknown_role_suggests(capsys, tiny_curriculum_path):
    """An unknown role is a usage error (2) naming the closest match."""
    code, _, err = run(capsys, "show", "analist", "--roles", str(tiny_curriculum_path))
    assert code == 2
    assert err == "rolecourse: error: unknown role 'analist'; did you mean 'analyst'?\n"


def test_skills_for_a_role(capsys, tiny_curriculum_path):
    """`skills --role` lists that role's skills in its order."""
    code, out, _ = run(capsys, "skills", "--role", "analyst", "--json", "--roles", str(tiny_curriculum_path))
    assert code == 0
    assert [s["id"] for s in json.loads(out)] == ["sql", "statistics"]


def test_validate_ok(capsys, tiny_curriculum_path):
    """`validate FILE` says ok and exits 0."""
    code, out, _ = run(capsys, "validate", str(tiny_curriculum_path))
    assert code == 0
    assert out == f"{tiny_curriculum_path}: ok (curriculum)\n"


def test_validate_invalid_exits_1_with_located_lines(capsys):
    """Invalid content exits 1 and prints one located line per problem, then a count."""
    f = INVALID / "wrong-types.yaml"
    code, out, err = run(capsys, "validate", str(f))
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"{f}:12:16: skills[0].modules[0].hours: expected a number, found 'five' (a string)"
    assert lines[-1] == "rolecourse: 3 problems found"


def test_validate_reports_every_file(capsys, tiny_curriculum_path):
    """Several files: the good ones pass, every problem of the bad ones is listed."""
    code, _, err = run(capsys, "validate", str(tiny_curriculum_path), str(INVALID / "empty.yaml"), str(INVALID / "cycle.yaml"))
    assert code == 1
    assert err.count("\n") == 3


def test_missing_roles_file_is_content_error(capsys, tmp_path):
    """A --roles file that does not exist exits 1 with a clear line."""
    code, _, err = run(capsys, "roles", "--roles", str(tmp_path / "none.yaml"))
    assert code == 1
    assert err.startswith(f"{tmp_path / 'none.yaml'}:1:1: (root): cannot read the file")


def test_usage_errors_exit_2(capsys):
    """An unknown command or a missing argument exits 2."""
    with pytest.raises(SystemExit) as info:
        main(["nonsense"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["show"])
    assert info.value.code == 2


def test_no_command_prints_help_and_exits_2(capsys):
    """Running with no command shows the help on stderr."""
    code, _, err = run(capsys)
    assert code == 2
    assert "usage: rolecourse" in err


def test_python_m_rolecourse(tiny_curriculum_path):
    """`python -m rolecourse` runs the same CLI."""
    out = subprocess.run(
        [sys.executable, "-m", "rolecourse", "show", "scientist", "--roles", str(tiny_curriculum_path)],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.startswith("Scientist\n")


def test_common_options_before_the_command(capsys, tiny_curriculum_path):
    """--roles and --json work before the command as well as after it."""
    code, out, _ = run(capsys, "--json", "--roles", str(tiny_curriculum_path), "roles")
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == ["analyst", "scientist"]
