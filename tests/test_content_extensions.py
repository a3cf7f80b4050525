"""Tests for extensions beyond the source: the ``extension: {reason, since}`` mark of skills,
responsibilities and key-skill items, as loaded, validated and refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolecourse.content.curriculum import load_curriculum
from rolecourse.content.model import Extension
from rolecourse.errors import ContentError

EXT_SKILL = """
  - id: retrieval
    name: Retrieval
    category: machine-learning
    description: Finding the passages that answer a question.
    prerequisites: [statistics]
    {mark}
    modules:
      - {{id: retrieval-basics, title: Retrieval basics, level: foundation, hours: 3, objectives: [Rank passages.], resources: [{{title: IR book, url: "https://nlp.stanford.edu/IR-book/", kind: book}}]}}
"""

MARK = 'extension: {reason: "Analysts now search documents with embeddings.", since: 2026}'


def overlay(tmp_path: Path, *, skill_mark: str = MARK, item: str = "{skill: retrieval, extension: {reason: Needed in 2026., since: 2026}}",
            responsibility: str = "", extra_skills: str = "") -> Path:
    """An overlay that adds the skill ``retrieval`` and replaces the role ``analyst`` to name it."""
    text = "schema_version: 1\nskills:" + EXT_SKILL.format(mark=skill_mark) + extra_skills + f"""
roles:
  - id: analyst
    name: Analyst
    summary: Turns data into answers.
    responsibilities:
      - {{title: Reporting, description: Create reports., skills: [sql]}}
{responsibility}
    skill_groups:
      - name: Technical
        text: SQL (e.g., PostgreSQL), statistics.
        items:
          - {{skill: sql, tools: [postgresql]}}
          - {{skill: statistics}}
          - {item}
"""
    path = tmp_path / "ext.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tiny: Path, path: Path) -> list[str]:
    """The problems reported for ``path`` as an overlay of the tiny curriculum, file names shortened."""
    with pytest.raises(ContentError) as info:
        load_curriculum(tiny, overlays=[path])
    return [str(p).replace(str(path), path.name) for p in info.value.problems]


def test_marked_skill_item_and_responsibility_load(tmp_path, tiny_curriculum_path):
    """A marked skill, key-skill item and responsibility load with their reason and year."""
    resp = "      - {title: Search, description: Answer questions from documents., skills: [retrieval], extension: {reason: New in 2026., since: 2026}}"
    cur = load_curriculum(tiny_curriculum_path, overlays=[overlay(tmp_path, responsibility=resp)])
    skill = cur.skills["retrieval"]
    assert skill.extension == Extension("Analysts now search documents with embeddings.", 2026)
    assert skill.extension.label == "extension beyond the source (2026)"
    role = cur.role("analyst")
    assert [ref.extension is not None for ref in role.skill_groups[0].items] == [False, False, True]
    assert [r.extension for r in role.responsibilities] == [None, Extension("New in 2026.", 2026)]
    assert cur.skills["sql"].extension is None


def test_extension_item_may_name_a_skill_of_the_source(tmp_path, tiny_curriculum_path):
    """A marked item may name a skill the source has (a role needs it now): only unmarked ones are limited."""
    item = "{skill: probability, extension: {reason: Analysts now model uncertainty., since: 2026}}"
    cur = load_curriculum(tiny_curriculum_path, overlays=[overlay(tmp_path, item=item)])
    assert cur.role("analyst").skill_groups[0].items[-1].skill == "probability"


def test_unmarked_item_naming_an_extension_is_refused(tmp_path, tiny_curriculum_path):
    """An unmarked key-skill item that names an extension skill is one located problem."""
    found = problems(tiny_curriculum_path, overlay(tmp_path, item="{skill: retrieval}"))
    assert len(found) == 1
    assert found[0].startswith("ext.yaml:25:21: roles[0].skill_groups[0].items[2].skill: expected an extension mark on this item, found none")
    assert "'retrieval' is an extension beyond the source" in found[0]


def test_unmarked_responsibility_naming_an_extension_is_refused(tmp_path, tiny_curriculum_path):
    """An unmarked responsibility that draws on an extension skill is refused at that skill id."""
    resp = "      - {title: Search, description: Answer questions., skills: [retrieval]}"
    found = problems(tiny_curriculum_path, overlay(tmp_path, responsibility=resp))
    assert len(found) == 1
    assert found[0].startswith("ext.yaml:18:66: roles[0].responsibilities[1].skills: expected an extension mark on this responsibility, found none")


def test_skill_of_the_source_cannot_require_an_extension(tmp_path, tiny_curriculum_path):
    """A skill without the mark whose prerequisites name an extension skill is refused."""
    extra = """
  - id: reporting
    name: Reporting
    category: analytics
    description: Reports.
    prerequisites: [retrieval]
    modules:
      - {id: reporting-basics, title: Reports, level: foundation, hours: 2, objectives: [Write one.], resources: [{title: Docs, url: "https://sqlite.org/docs.html", kind: official-docs}]}
"""
    found = problems(tiny_curriculum_path, overlay(tmp_path, extra_skills=extra))
    assert found == [
        "ext.yaml:16:21: skills[1].prerequisites: expected a prerequisite of the source, found 'retrieval', "
        "an extension beyond the source (mark this skill as an extension too, or drop it)"
    ]


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        ("extension: {since: 2026}", "ext.yaml:8:16: skills[0].extension.reason: expected a value for this required field, found none (field is missing)"),
        ("extension: {reason: '', since: 2026}", "ext.yaml:8:25: skills[0].extension.reason: expected a non-empty string, found an empty one"),
        ("extension: {reason: New., since: '2026'}", "ext.yaml:8:38: skills[0].extension.since: expected a whole number, found '2026' (a string)"),
        ("extension: {reason: New., since: 26}", "ext.yaml:8:38: skills[0].extension.since: expected a whole number from 2000 to 2100, found 26"),
        ("extension: {reason: New., since: 2026, why: x}", "ext.yaml:8:44: skills[0].extension.why: expected a known field, found unknown field 'why'; known fields: reason, since"),
        ("extension: yes", "ext.yaml:8:16: skills[0].extension: expected a mapping, found True (a boolean)"),
    ],
)
def test_bad_marks_are_located(tmp_path, tiny_curriculum_path, mark, expected):
    """A malformed mark is reported in the house format, at the field, and nothing else is."""
    found = problems(tiny_curriculum_path, overlay(tmp_path, skill_mark=mark))
    assert expected in found
    assert all("extension" in p for p in found)


def test_bad_mark_on_an_item_is_located(tmp_path, tiny_curriculum_path):
    """The mark of a key-skill item is checked like any other."""
    found = problems(tiny_curriculum_path, overlay(tmp_path, item="{skill: retrieval, extension: {reason: New.}}"))
    assert found[0].startswith("ext.yaml:25:43: roles[0].skill_groups[0].items[2].extension.since: expected a value for this required field")
