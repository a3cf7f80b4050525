"""Tests for rolecourse.planning.paths: ordering, prerequisites across roles, skipping, --from moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import ContentError, UnknownNameError, UsageError
from rolecourse.content.model import Curriculum, Level, Module, Role, Skill, SkillCategory, SkillGroup, SkillRef
from rolecourse.planning.paths import FROM_ROLE_LEVEL, learning_path, normalize_known, parse_known

MINI = Path(__file__).parent / "fixtures" / "paths" / "mini.yaml"


@pytest.fixture(scope="module")
def cur() -> Curriculum:
    return load_curriculum(MINI)


def ids(path) -> list[str]:
    return [m.id for m in path.modules]


def test_prerequisite_from_another_role_is_pulled_in_first(cur):
    """Statistics needs probability (a DL skill): probability comes in, before statistics."""
    path = learning_path(cur, "data-scientist")
    order = ids(path)
    assert "probability-foundations" in order
    assert order.index("probability-foundations") < order.index("statistics-foundations")
    step = next(s for s in path.steps if s.module.id == "probability-foundations")
    assert step.reason == "prerequisite of Statistics"


def test_every_prerequisite_precedes_what_needs_it(cur):
    """For every role, each studied skill's prerequisites appear earlier in the path."""
    for role in cur.roles:
        order = [m.skill for m in learning_path(cur, role.id).modules]
        first = {s: order.index(s) for s in order}
        for sid in first:
            for pid in cur.skills[sid].prerequisites:
                assert first[pid] < first[sid], (role.id, pid, sid)


def test_order_is_deterministic_and_follows_role_skill_order(cur):
    """Ties are broken by the role's skill order: python, sql, visualization, then statistics."""
    path = learning_path(cur, "data-scientist")
    assert ids(path) == [
        "python-foundations",
        "python-intermediate",
        "sql-foundations",
        "sql-intermediate",
        "visualization-foundations",
        "probability-foundations",
        "statistics-foundations",
        "statistics-intermediate",
        "statistics-advanced",
    ]
    assert learning_path(cur, "data-scientist") == path


def test_total_hours_sum_the_modules(cur):
    """total_hours is the sum of the studied modules' hours."""
    path = learning_path(cur, "deep-learning-engineer")
    assert path.total_hours == sum(m.hours for m in path.modules) == 54


def test_known_level_skips_modules_up_to_that_rank(cur):
    """statistics:1 skips only the foundation module; sql:2 skips foundation and intermediate."""
    path = learning_path(cur, "data-scientist", known={"statistics": 1, "sql": 2})
    order = ids(path)
    assert "statistics-foundations" not in order
    assert "statistics-intermediate" in order and "statistics-advanced" in order
    assert not any(m.startswith("sql-") for m in order)
    reasons = {s.module.id: s.reason for s in path.skipped}
    assert reasons["statistics-foundations"] == "Statistics known at level 1 (foundation); this module is foundation"
    assert reasons["sql-intermediate"] == "SQL known at level 2 (intermediate); this module is intermediate"
    assert path.skipped_hours == 4 + 3 + 4


def test_level_zero_skips_nothing(cur):
    """A skill known at level 0 is studied in full."""
    assert learning_path(cur, "data-scientist", known={"sql": 0}).modules == learning_path(cur, "data-scientist").modules


def test_fully_known_skill_pulls_no_prerequisites(cur):
    """Statistics mastered (level 3): probability is no longer needed for a Data Scientist."""
    path = learning_path(cur, "data-scientist", known={"statistics": 3})
    assert not any(m.skill in ("statistics", "probability") for m in path.modules)
    assert [s.module.skill for s in path.skipped] == ["statistics"] * 3


def test_known_accepts_skill_names(cur):
    """Known skills may be named by display name, any case."""
    assert normalize_known(cur, {"data visualization": 1}) == {"visualization": 1}


def test_from_role_counts_its_skills_at_level_two(cur):
    """--from Data Scientist → DL Engineer: python foundation+intermediate skipped, advanced kept."""
    path = learning_path(cur, "deep-learning-engineer", from_role="data-scientist")
    assert path.from_role == "data-scientist"
    order = ids(path)
    assert "python-foundations" not in order and "python-intermediate" not in order
    assert "statistics-advanced" in order and "statistics-foundations" not in order
    assert dict(path.known)["python"] == FROM_ROLE_LEVEL
    assert any("from Data Scientist" in s.reason for s in path.skipped)


def test_explicit_known_wins_over_from_role(cur):
    """known={'python': 0} studies Python in full even when the current role has it."""
    path = learning_path(cur, "deep-learning-engineer", from_role="data-scientist", known={"python": 0})
    assert ids(path)[:2] == ["python-foundations", "python-intermediate"]


def test_several_targets_union_each_skill_once(cur):
    """Two targets: every needed module once, reasons name the first role needing it."""
    path = learning_path(cur, ["data-analyst", "dl-engineer"])
    order = ids(path)
    assert len(order) == len(set(order))
    assert path.targets == ("data-analyst", "dl-engineer")
    assert {m.skill for m in path.modules} == {"sql", "python", "visualization", "deep-learning", "linear-algebra", "probability", "gpus"}
    assert next(s for s in path.steps if s.skill.id == "gpus").reason == "key skill of DL Engineer"


def test_parse_known_defaults_to_level_three(cur):
    """'sql:2,python' → sql 2, python 3 (a bare skill counts as mastered)."""
    assert parse_known("sql:2, python", cur) == {"sql": 2, "python": 3}
    assert parse_known("sql:0;python:1", cur, separator=";") == {"sql": 0, "python": 1}
    assert parse_known("", cur) == {}


@pytest.mark.parametrize("text", ["sql:4", "sql:-1", "sql:two", "sql:", "sql:1.5"])
def test_parse_known_rejects_bad_levels(cur, text):
    """Levels outside 0..3 or not whole numbers are usage errors."""
    with pytest.raises(UsageError, match="0 to 3"):
        parse_known(text, cur)


def test_parse_known_rejects_a_skill_given_twice_with_two_levels(cur):
    """'sql:2,sql:1' is a usage error naming both levels; the same level twice is harmless."""
    with pytest.raises(UsageError) as info:
        parse_known("sql:2,sql:1", cur)
    assert str(info.value) == "skill 'sql' is given twice, with levels 2 and 1; give it once"
    assert parse_known("sql:2, sql:2", cur) == {"sql": 2}


def test_unknown_skill_offers_close_matches(cur):
    """An unknown skill names close matches."""
    with pytest.raises(UnknownNameError, match="(?i)did you mean 'sql'"):
        parse_known("sqll:2", cur)


@pytest.mark.parametrize("level", [4, -1, 1.5, True, "2"])
def test_normalize_known_rejects_bad_levels(cur, level):
    """Mapping levels must be integers 0..3 (not bools, floats or strings)."""
    with pytest.raises(UsageError):
        normalize_known(cur, {"sql": level})


def test_unknown_role_offers_close_matches(cur):
    """An unknown target role raises with suggestions."""
    with pytest.raises(UnknownNameError, match="data-scientist"):
        learning_path(cur, "data-scienist")


def test_no_target_is_a_usage_error(cur):
    """An empty list of targets is refused."""
    with pytest.raises(UsageError):
        learning_path(cur, [])


def _tiny(prereqs: dict[str, tuple[str, ...]]) -> Curriculum:
    skills = {
        sid: Skill(sid, sid.upper(), SkillCategory.PROGRAMMING, "d", pre, (Module(f"{sid}-f", sid, sid, Level.FOUNDATION, 1.0, ("o",), ()),))
        for sid, pre in prereqs.items()
    }
    role = Role("r", "R", "s", (), (SkillGroup("T", "t", tuple(SkillRef(s) for s in prereqs)),))
    return Curriculum(1, "t", "", "", (role,), skills)


def test_prerequisite_cycle_is_a_content_error():
    """A cycle in a hand-built curriculum is reported, not looped over."""
    with pytest.raises(ContentError, match="cycle"):
        learning_path(_tiny({"a": ("b",), "b": ("a",)}), "r")


def test_prerequisite_listed_later_in_role_is_moved_before_its_dependant():
    """A role naming c, a, b where c needs b: b is studied before c, ties by role order."""
    path = learning_path(_tiny({"c": ("b",), "a": (), "b": ()}), "r")
    assert [m.skill for m in path.modules] == ["b", "c", "a"]
