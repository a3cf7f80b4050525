"""Tests for rolecourse.content.curriculum: loading, overlays and validation of roles.yaml files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rolecourse.content.curriculum import find_cycles, load_curriculum, shipped_path
from rolecourse.errors import ContentError
from rolecourse.content.model import Level

INVALID = Path(__file__).parent / "fixtures" / "curriculum" / "invalid"


def messages(name: str) -> list[str]:
    """The problems reported for an invalid fixture, as printed lines (file name shortened)."""
    path = INVALID / name
    with pytest.raises(ContentError) as info:
        load_curriculum(path)
    return [str(p).replace(str(path), name) for p in info.value.problems]


def test_loads_tiny_curriculum(tiny_curriculum_path):
    """A valid file gives an ordered, typed curriculum."""
    cur = load_curriculum(tiny_curriculum_path)
    assert [r.id for r in cur.roles] == ["analyst", "scientist"]
    assert cur.skills["statistics"].prerequisites == ("probability",)
    assert cur.skills["statistics"].modules[1].level is Level.INTERMEDIATE
    assert cur.skills["statistics"].hours == 14
    assert cur.role("analyst").skill_groups[0].items[0].tools == ("postgresql",)
    assert cur.sources == (str(tiny_curriculum_path),)


def test_model_is_immutable(tiny_curriculum_path):
    """Roles cannot be changed after loading, nor the skill table."""
    cur = load_curriculum(tiny_curriculum_path)
    with pytest.raises(AttributeError):
        cur.roles[0].name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        cur.skills["x"] = cur.skills["sql"]  # type: ignore[index]


def test_syntax_error():
    """A YAML syntax error is reported at its line and column."""
    assert messages("syntax-error.yaml") == ["syntax-error.yaml:3:7: (root): invalid YAML: did not find expected ',' or ']'"]


def test_duplicate_key_deep():
    """A duplicate key deep inside a module is reported with the first line."""
    assert messages("duplicate-key.yaml") == [
        "duplicate-key.yaml:13:9: skills[0].modules[0].hours: duplicate key 'hours' (first defined at line 12)"
    ]


def test_anchors_and_aliases():
    """Anchors and aliases are refused."""
    assert messages("anchors.yaml") == [
        "anchors.yaml:5:9: skills: expected plain data, found the alias *base (anchors and aliases are not allowed)"
    ]


def test_alias_bomb_is_refused_quickly():
    """A billion-laughs file is refused once per alias without being expanded."""
    lines = messages("alias-bomb.yaml")
    assert len(lines) == 10
    assert lines[-1] == "alias-bomb.yaml:13:9: skills: expected plain data, found the alias *a9 (anchors and aliases are not allowed)"


def test_custom_tag():
    """A python tag is refused, never executed."""
    assert messages("custom-tag.yaml") == [
        "custom-tag.yaml:2:8: title: expected a plain list, found the tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    ]


def test_empty_file():
    """An empty file is one clear problem."""
    assert messages("empty.yaml") == ["empty.yaml:1:1: (root): expected a YAML document, found an empty file"]


def test_not_utf8():
    """Latin-1 bytes are located."""
    assert messages("not-utf8.yaml") == ["not-utf8.yaml:2:11: (root): expected UTF-8 text, found the byte 0xe9"]


def test_wrong_types():
    """Each wrongly typed field is reported with what was found."""
    assert messages("wrong-types.yaml") == [
        "wrong-types.yaml:12:16: skills[0].modules[0].hours: expected a number, found 'five' (a string)",
        "wrong-types.yaml:13:21: skills[0].modules[0].objectives: expected a list, found 'Write a join.' (a string)",
        "wrong-types.yaml:18:11: roles[0].name: expected a string, found 42 (an integer)",
    ]


def test_missing_and_unknown_fields():
    """Missing required fields and misspelt ones (with a suggestion) are all reported."""
    assert messages("missing-and-unknown.yaml") == [
        "missing-and-unknown.yaml:4:5: skills[0].category: expected a value for this required field, found none (field is missing)",
        "missing-and-unknown.yaml:6:5: skills[0].categroy: expected a known field, found unknown field 'categroy'; did you mean 'category'?",
        "missing-and-unknown.yaml:17:5: roles[0].summary: expected a value for this required field, found none (field is missing)",
    ]


def test_unknown_references():
    """Unknown prerequisites, skills, tools and roles are reported where they are named."""
    assert messages("unknown-references.yaml") == [
        "unknown-references.yaml:8:21: skills[0].prerequisites: expected the id of a known skill, found 'pyhton'",
        "unknown-references.yaml:29:34: roles[0].skill_groups[0].items[0].tools: expected the id of a known tool of skill 'sql' (known: 'postgresql'), found 'mysql'",
        "unknown-references.yaml:30:21: roles[0].skill_groups[0].items[1].skill: expected the id of a known skill, found 'statistcs'",
        "unknown-references.yaml:32:16: roles[0].see_also[0].role: expected the id of a known role, found 'scientist'",
    ]


def test_prerequisite_cycle_is_named():
    """A prerequisite cycle is reported with every skill on it."""
    assert messages("cycle.yaml") == [
        "cycle.yaml:8:20: skills[0].prerequisites: expected prerequisites without a cycle, found the cycle alpha -> gamma -> beta -> alpha"
    ]


def test_duplicate_ids_and_names():
    """Duplicate skill ids, module ids and role names are each reported."""
    assert messages("duplicate-ids.yaml") == [
        "duplicate-ids.yaml:10:9: skills[1].id: expected a unique id, found 'sql' again (first at line 4)",
        "duplicate-ids.yaml:21:14: skills[2].modules[0].id: expected a unique module id, found 'basics' again (first at line 9)",
        "duplicate-ids.yaml:31:11: roles[1].name: expected a unique role name, found 'analyst' again (first at line 24)",
    ]


def test_newer_schema_version_is_told_apart():
    """A file from a newer rolecourse says so and nothing else."""
    assert messages("newer-version.yaml") == [
        "newer-version.yaml:1:17: schema_version: expected curriculum schema_version 1 or older, found 3: this file needs a newer rolecourse"
    ]


def test_older_schema_version_is_told_apart(tmp_path, tiny_curriculum_path):
    """A file of an older format says it is too old."""
    f = tmp_path / "old.yaml"
    f.write_text(tiny_curriculum_path.read_text().replace("schema_version: 1", "schema_version: 0", 1))
    with pytest.raises(ContentError, match=r"old.yaml:1:17: schema_version: expected a whole number from 1, found 0"):
        load_curriculum(f)


def test_oversized_file(tmp_path):
    """A file over 5 MB is refused before parsing."""
    f = tmp_path / "huge.yaml"
    with open(f, "wb") as fh:
        fh.truncate(5 * 1024 * 1024 + 1)
    with pytest.raises(ContentError) as info:
        load_curriculum(f)
    assert str(info.value) == f"{f}:1:1: (root): expected a file of at most 5242880 bytes, found 5242881 bytes"


def test_root_must_be_a_mapping(tmp_path):
    """A list at the top is reported, not crashed on."""
    f = tmp_path / "list.yaml"
    f.write_text("- a\n- b\n")
    with pytest.raises(ContentError, match=r"list.yaml:1:1: \(root\): expected a mapping, found a list"):
        load_curriculum(f)


def test_overlay_replaces_and_adds(tmp_path, tiny_curriculum_path):
    """An overlay replaces a skill by id and appends a new role after the base ones."""
    overlay = tmp_path / "course.yaml"
    overlay.write_text(
        """schema_version: 1
skills:
  - id: sql
    name: SQL for our course
    category: data-management
    description: Our own take.
    tools: [{id: postgresql, name: PostgreSQL, url: "https://www.postgresql.org/docs/"}]
    modules:
      - {id: sql-ours, title: Ours, level: foundation, hours: 2, objectives: [a], resources: [{title: Docs, url: "https://sqlite.org/docs.html", kind: official-docs}]}
roles:
  - id: reporter
    name: Reporter
    summary: Writes reports.
    responsibilities: [{title: Reports, description: Write them.}]
    skill_groups: [{name: Technical, text: SQL., items: [{skill: sql}]}]
"""
    )
    cur = load_curriculum(tiny_curriculum_path, overlays=[overlay])
    assert cur.skills["sql"].name == "SQL for our course"
    assert [r.id for r in cur.roles] == ["analyst", "scientist", "reporter"]
    assert cur.role("Reporter").skill_ids == ("sql",)
    assert cur.sources[-1] == str(overlay)


def test_overlay_removal_of_a_skill_still_used_is_one_problem_in_the_overlay(tmp_path, tiny_curriculum_path):
    """Removing a skill others still use is reported once, at the removal, naming its users (not once per use in the base file)."""
    overlay = tmp_path / "drop.yaml"
    overlay.write_text("schema_version: 1\nremove_skills: [probability]\nremove_roles: [nobody]\n")
    with pytest.raises(ContentError) as info:
        load_curriculum(tiny_curriculum_path, overlays=[overlay])
    assert [str(p) for p in info.value.problems] == [
        f"{overlay}:2:17: remove_skills[0]: expected a skill nothing else uses, found 'probability' still used by "
        "skill 'statistics' and role 'scientist'; replace those in this overlay too, or remove them",
        f"{overlay}:3:16: remove_roles[0]: expected the id of a known role, found 'nobody'",
    ]


def test_overlay_removal_with_its_users_replaced_loads(tmp_path, tiny_curriculum_path):
    """A removed skill whose users the overlay also removes or replaces leaves no problem behind."""
    base = load_curriculum(tiny_curriculum_path)
    users = [s.id for s in base.skills.values() if "probability" in s.prerequisites]
    assert users == ["statistics"]
    overlay = tmp_path / "drop.yaml"
    overlay.write_text("schema_version: 1\nremove_skills: [probability, statistics]\nremove_roles: [scientist, analyst]\n")
    cur = load_curriculum(tiny_curriculum_path, overlays=[overlay])
    assert not {"probability", "statistics"} & set(cur.skills) and cur.roles == ()


def test_overlay_removal_then_readding_the_skill_is_fine(tmp_path, tiny_curriculum_path):
    """A skill removed by one overlay and defined again by a later one is not reported as removed."""
    base = load_curriculum(tiny_curriculum_path)
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("schema_version: 1\nremove_skills: [probability]\n")
    second.write_text(tiny_curriculum_path.read_text(encoding="utf-8"))
    cur = load_curriculum(tiny_curriculum_path, overlays=[first, second])
    assert set(cur.skills) == set(base.skills)


def test_overlay_removing_a_role_drops_the_links_to_it(tmp_path, tiny_curriculum_path):
    """remove_roles also drops other roles' see_also links to the removed role (as the README's overlay example needs)."""
    overlay = tmp_path / "drop.yaml"
    overlay.write_text("schema_version: 1\nremove_roles: [scientist]\n")
    cur = load_curriculum(tiny_curriculum_path, overlays=[overlay])
    assert [r.id for r in cur.roles] == ["analyst"] and cur.role("analyst").see_also == ()


def test_overlay_link_to_a_role_never_defined_is_still_an_error(tmp_path, tiny_curriculum_path):
    """Only links to roles an overlay removed are dropped; a link to an unknown role is still reported."""
    overlay = tmp_path / "links.yaml"
    overlay.write_text(
        "schema_version: 1\nremove_roles: [scientist]\nroles:\n  - id: scientist\n    name: Scientist\n    summary: S.\n"
        "    responsibilities: [{title: T, description: D, skills: [sql]}]\n    skill_groups: [{name: G, text: T, items: [{skill: sql}]}]\n"
        "    see_also: [{role: analysts, note: N}]\n"
    )
    with pytest.raises(ContentError) as info:
        load_curriculum(tiny_curriculum_path, overlays=[overlay])
    assert [p.message for p in info.value.problems] == ["expected the id of a known role, found 'analysts'; did you mean 'analyst'?"]


def test_overlay_problems_name_the_overlay_file(tmp_path, tiny_curriculum_path):
    """A mistake in an overlay is located in the overlay."""
    overlay = tmp_path / "bad.yaml"
    overlay.write_text("schema_version: 1\nrolez: []\n")
    with pytest.raises(ContentError) as info:
        load_curriculum(tiny_curriculum_path, overlays=[overlay])
    assert str(info.value) == f"{overlay}:2:1: rolez: expected a known field, found unknown field 'rolez'; did you mean 'roles'?"


def test_find_cycles_reports_each_once():
    """Two separate cycles are both found, each in a canonical rotation."""
    graph = {"a": ("b",), "b": ("a",), "c": ("d",), "d": ("e",), "e": ("c",), "f": ()}
    assert find_cycles(graph) == [["a", "b"], ["c", "d", "e"]]


def test_shipped_curriculum_loads_from_any_directory(tmp_path):
    """The shipped roles.yaml is found whatever the working directory is."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", "import rolecourse; c = rolecourse.load_curriculum(); print(len(c.roles))"],
        cwd=tmp_path, capture_output=True, text=True, env=env, check=True,
    )
    assert out.stdout.strip() == "7"
    assert shipped_path().name == "roles.yaml"


def test_a_file_of_only_a_title_given_as_the_curriculum_says_it_looks_like_an_overlay(tmp_path):
    """A file without skills and roles, given as a whole curriculum, is refused in one problem that says what an overlay is (#18)."""
    from rolecourse.errors import ContentError

    lone = tmp_path / "title-only.yaml"
    lone.write_text("title: My course\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_curriculum(lone)
    [problem] = info.value.problems
    assert "overlay" in problem.message and "no skills and no roles" in problem.message
    assert "changes laid over a curriculum" in problem.message


def test_an_overlay_of_only_a_title_says_it_is_an_overlay_lacking_its_schema_version(tmp_path):
    """An overlay holding only ``title:`` is refused, and the message names the overlay and what it lacks (#18)."""
    from rolecourse.errors import ContentError

    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("title: My course\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_curriculum(overlays=[overlay])
    [problem] = info.value.problems
    assert problem.path == "schema_version"
    assert "overlay" in problem.message and "schema_version: 1" in problem.message and "missing" in problem.message
    overlay.write_text("schema_version: 1\ntitle: My course\n", encoding="utf-8")
    assert load_curriculum(overlays=[overlay]).title == "My course"


def test_validate_reports_a_title_only_file_as_an_overlay(tmp_path):
    """`validate` takes a file of neither skills nor roles for an overlay, and names it so (#18)."""
    from rolecourse.assessment.validate import validate_paths
    from rolecourse.errors import ContentError

    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("title: My course\n", encoding="utf-8")
    with pytest.raises(ContentError, match="this overlay"):
        validate_paths([overlay])
    overlay.write_text("schema_version: 1\ntitle: My course\n", encoding="utf-8")
    assert [c.kind for c in validate_paths([overlay])] == ["overlay"]
