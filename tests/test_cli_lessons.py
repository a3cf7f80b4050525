"""Tests of the ``rolecourse lessons`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolecourse.cli import main
from rolecourse.content.curriculum import load_curriculum
from rolecourse.assessment.lessons import list_lessons, load_lesson
from rolecourse.progress.store import ProgressStore

CURRICULUM = load_curriculum()
LESSONS = list_lessons()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_every_module_with_its_lesson(capsys):
    """--json gives one entry per module; each shipped lesson's entry names its existing notebook and minutes."""
    code, out, _ = run(capsys, "lessons", "--json")
    assert code == 0
    entries = json.loads(out)
    assert {e["module"] for e in entries} == set(CURRICULUM.modules)
    root = Path(__file__).resolve().parent.parent
    by_module = {e["module"]: e for e in entries}
    for lesson in LESSONS:
        entry = by_module[lesson.id]
        assert entry["minutes"] == lesson.minutes
        assert (root / entry["lesson"]).resolve() == lesson.notebook.resolve()


def test_role_and_skill_filter_the_modules(capsys):
    """--role keeps the modules of the role's key skills; --skill one skill's."""
    code, out, _ = run(capsys, "lessons", "--role", "data-analyst", "--json")
    role = CURRICULUM.role("data-analyst")
    assert code == 0 and {e["skill"] for e in json.loads(out)} == set(role.skill_ids)
    code, out, _ = run(capsys, "lessons", "--skill", "python", "--json")
    assert code == 0 and [e["module"] for e in json.loads(out)] == [m.id for m in CURRICULUM.skill("python").modules]


def test_text_output_ends_with_the_count(capsys):
    """The text listing names each lesson's notebook and ends with how many modules have one."""
    code, out, _ = run(capsys, "lessons", "--skill", "python")
    assert code == 0
    assert "lessons/python-foundations/python-foundations.ipynb" in out
    assert out.strip().splitlines()[-1].endswith("for 2 modules")


def test_unknown_skill_and_learner_are_usage_errors(capsys, tmp_path, monkeypatch):
    """A misspelt skill or an unknown learner exits 2 with one line."""
    monkeypatch.setenv("ROLECOURSE_HOME", str(tmp_path))
    code, _, err = run(capsys, "lessons", "--skill", "pythn")
    assert code == 2 and "did you mean 'python'" in err
    code, _, err = run(capsys, "lessons", "--learner", "nobody")
    assert code == 2 and err.strip() == "rolecourse: error: unknown learner 'nobody'"


def test_learner_status_is_shown(capsys, tmp_path, monkeypatch):
    """With --learner, a lesson the learner started shows as in progress with its counts."""
    monkeypatch.setenv("ROLECOURSE_HOME", str(tmp_path))
    store = ProgressStore(tmp_path)
    lesson = load_lesson("python-foundations", record_to=store, learner="ada")
    lesson.step("count-large").check(9)
    code, out, _ = run(capsys, "lessons", "--skill", "python", "--learner", "ada", "--json")
    assert code == 0
    entry = next(e for e in json.loads(out) if e["module"] == "python-foundations")
    assert entry["status"] == {"state": "in-progress", "steps_correct": 1, "steps": 4, "quiz_right": 0, "quiz": 4}
    code, out, _ = run(capsys, "lessons", "--skill", "python", "--learner", "ada")
    assert "in progress: practice 1/4, quiz 0/4" in out


def test_validate_coverage_reports_modules_without_lesson_or_reason(capsys, tmp_path):
    """validate --coverage: one located problem per module with neither a lesson nor a practise_outside reason (exit 1)."""
    from rolecourse.assessment.lessons import lesson_links

    mini = Path(__file__).parent / "fixtures" / "paths" / "mini.yaml"
    text = mini.read_text(encoding="utf-8")
    code, _, err = run(capsys, "validate", str(mini), "--roles", str(mini), "--coverage")
    assert code == 1
    lines = [line for line in err.splitlines() if ": skills[" in line]
    reported = {line.split("module '")[1].split("'")[0] for line in lines}
    from rolecourse.content.curriculum import load_curriculum as load

    modules = set(load(mini).modules)
    assert reported == modules - set(lesson_links())
    assert all(line.startswith(f"{mini}:") for line in lines)
    # a module that gives a reason is covered
    target = sorted(reported)[0]
    marker = f"id: {target}\n"
    indent = " " * len(text.split(marker)[0].rsplit("\n", 1)[1])  # "  - id: ..." -> the module's other keys sit under "id"
    patched = text.replace(marker, marker + f"{indent}practise_outside:\n{indent}  reason: needs a licensed product\n{indent}  checklist: [build one report]\n", 1)
    own = tmp_path / "mine.yaml"
    own.write_text(patched, encoding="utf-8")
    code, _, err = run(capsys, "validate", str(own), "--roles", str(own), "--coverage")
    again = [line for line in err.splitlines() if ": skills[" in line]
    assert code == 1 and len(again) == len(lines) - 1 and f"module '{target}'" not in err
