"""Tests for rolecourse.assessment.validate: checking every kind of content file in one go."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolecourse.errors import ContentError
from rolecourse.assessment.validate import shipped_files, validate_paths

FIX = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


def test_everything_shipped_is_valid():
    """The curriculum, every quiz bank and every exercise's metadata pass validation."""
    checked = validate_paths()
    kinds = [c.kind for c in checked]
    assert checked[0].path == "roles.yaml" and kinds[0] == "curriculum"
    assert kinds.count("quiz") == 8  # seven role banks and the questionnaire
    assert kinds.count("exercise") == len(list((REPO / "exercises").glob("*/exercise.yaml")))
    assert len(checked) == len(shipped_files())


def test_shipped_files_are_named_as_in_the_repository():
    """Shipped files are reported with repository-relative names, not install paths."""
    names = [c.path for c in validate_paths()]
    assert "exercises/quizzes/data-analyst.yaml" in names
    assert "exercises/01-data-analyst-sql/exercise.yaml" in names


def test_kind_is_told_from_the_content(tiny_curriculum_path):
    """A curriculum, a quiz bank and an exercise file are each dispatched to their validator, in the order given."""
    files = [
        FIX / "quiz" / "mini.yaml",
        FIX / "exercises" / "good" / "01-tiny-demo" / "exercise.yaml",
        Path(__file__).parents[1] / "roles.yaml",
    ]
    assert [c.kind for c in validate_paths(files)] == ["quiz", "exercise", "curriculum"]


def test_quiz_banks_are_checked_against_the_curriculum_given(tiny_curriculum_path):
    """With an instructor's own curriculum among the files, quiz banks must use its roles and skills."""
    quiz = FIX / "quiz" / "mini.yaml"
    with pytest.raises(ContentError) as info:
        validate_paths([quiz, tiny_curriculum_path])
    assert str(info.value.problems[0]) == f"{quiz}:2:7: role: expected the id of a known role, found 'data-analyst'; did you mean 'analyst'?"


def test_problems_of_every_file_are_reported_together(tiny_curriculum_path):
    """Bad files of different kinds are all reported in one error; good files do not stop it."""
    files = [
        tiny_curriculum_path,
        FIX / "curriculum" / "invalid" / "empty.yaml",
        FIX / "quiz" / "bad-unknown-skill.yaml",
        FIX / "exercises" / "invalid" / "01-unknown-check-kind" / "exercise.yaml",
    ]
    with pytest.raises(ContentError) as info:
        validate_paths(files)
    reported = {Path(p.file).name for p in info.value.problems}
    assert reported == {"empty.yaml", "bad-unknown-skill.yaml", "exercise.yaml"}
    assert any("'sqll'" in p.message for p in info.value.problems)


def test_an_overlay_is_validated_on_the_shipped_curriculum(tmp_path):
    """A file with remove_roles (or without title and roles) is an overlay: checked on the shipped curriculum, not as a whole one."""
    overlay = tmp_path / "my-course.yaml"
    overlay.write_text("schema_version: 1\nremove_roles: [deep-learning-engineer]\n")
    assert [(c.path, c.kind) for c in validate_paths([overlay])] == [(str(overlay), "overlay")]


def test_an_overlay_mistake_is_located_in_the_overlay(tmp_path):
    """A typo in an overlay's remove_skills is reported at its line, with a suggestion."""
    overlay = tmp_path / "my-course.yaml"
    overlay.write_text("schema_version: 1\nremove_skills: [exel]\n")
    with pytest.raises(ContentError) as info:
        validate_paths([overlay])
    assert [str(p) for p in info.value.problems] == [f"{overlay}:2:17: remove_skills[0]: expected the id of a known skill, found 'exel'; did you mean 'excel'?"]


def test_quiz_banks_are_checked_against_the_curriculum_with_its_overlays(tmp_path, tiny_curriculum_path):
    """Overlays given with a curriculum apply to it, and quiz banks are checked against the result."""
    overlay = tmp_path / "drop.yaml"
    overlay.write_text("schema_version: 1\nremove_roles: [analyst]\n")
    quiz = tmp_path / "bank.yaml"
    quiz.write_text((FIX / "quiz" / "mini.yaml").read_text(encoding="utf-8").replace("role: data-analyst", "role: analyst", 1), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        validate_paths([quiz, overlay, tiny_curriculum_path])
    assert str(info.value.problems[0]) == f"{quiz}:2:7: role: expected the id of a known role, found 'analyst'"
