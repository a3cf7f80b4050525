"""Tests that the shipped roles.yaml is faithful to the source document and well formed.

The source is kept in tests/fixtures/source/ (and compared with ../shared/source when that
folder is beside the repository), parsed here, and every role, responsibility and key-skill
group of it must be found verbatim in roles.yaml. Additions beyond the source (what an AI
Engineer needs in 2026) are allowed only where they carry an ``extension`` mark with a reason:
:func:`unmarked_additions` finds any that do not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rolecourse.content.curriculum import load_curriculum
from rolecourse.content.model import Curriculum, ResourceKind

HERE = Path(__file__).parent
SOURCE = HERE / "fixtures" / "source" / "roles-in-ai-ml.md"
SHARED = HERE.parent.parent / "shared" / "source" / "roles-in-ai-ml.md"

ROLE = re.compile(r"^### \d+\. \*\*(?P<name>.+?)\*\*")
ITEM = re.compile(r"^\s+- \*\*(?P<title>.+?)\*\*: (?P<text>.+?)\s*$")
SECTION = re.compile(r"^\s+- \*\*(?P<section>Roles and Responsibilities|Key Skills)\*\*:")


def parse_source(text: str) -> list[dict]:
    """Roles of the source: name, responsibilities and key-skill groups as (title, text) pairs."""
    roles: list[dict] = []
    section = None
    for line in text.splitlines():
        if m := ROLE.match(line):
            roles.append({"name": m["name"], "responsibilities": [], "skills": []})
        elif m := SECTION.match(line):
            section = "responsibilities" if m["section"].startswith("Roles") else "skills"
        elif (m := ITEM.match(line)) and roles and section:
            roles[-1][section].append((m["title"], m["text"]))
    return roles


# Every item the source names in a key-skill group, by role: each must be a skill or tool of that group.
NAMED = {
    "data-analyst": ["SQL", "Excel", "Tableau", "Power BI", "Python", "R", "Statistics", "Hypothesis Testing"],
    "data-engineer": ["SQL", "Python", "Java", "Scala", "Apache Airflow", "AWS", "Azure", "GCP", "Hadoop", "Spark",
                      "MySQL", "PostgreSQL", "MongoDB", "Cassandra", "Redshift", "Snowflake"],
    "ml-engineer": ["Python", "TensorFlow", "PyTorch", "Scikit-learn", "AWS", "Azure", "GCP", "Git", "CI/CD"],
    "dl-engineer": ["Python", "TensorFlow", "PyTorch", "Keras", "Linear Algebra", "Calculus", "Probability", "GPUs", "TPUs"],
    "data-scientist": ["Python", "R", "SQL", "Statistics", "Probability"],
    "ai-engineer": ["Python", "TensorFlow", "PyTorch", "Reinforcement Learning", "CI/CD", "API Development", "Optimization", "Linear Algebra"],
    "deep-learning-engineer": ["Python", "TensorFlow", "PyTorch", "Keras", "Linear Algebra", "Calculus", "Probability", "Statistics", "GPUs", "TPUs"],
}


def source_part(items):
    """The items of a role that the source has: those without an ``extension`` mark."""
    return [x for x in items if x.extension is None]


def unmarked_additions(cur: Curriculum, source: list[dict]) -> list[str]:
    """Everything in ``cur`` beyond ``source`` that is not marked as an extension, one line each.

    An unmarked responsibility the source lacks; an unmarked key-skill item whose group's text
    names neither its skill, nor one of its tools, nor its note; an unmarked skill that no
    role of the source needs (directly or as a prerequisite) through unmarked items.
    """
    found = []
    by_name = {r["name"]: r for r in source}
    tools = cur.tools
    needed: set[str] = set()
    for role in cur.roles:
        src = by_name.get(role.name)
        if src is None:
            found.append(f"role {role.id!r} is not in the source")
            continue
        texts = set(src["responsibilities"])
        for r in source_part(role.responsibilities):
            if (r.title, r.description) not in texts:
                found.append(f"{role.id}: responsibility {r.title!r} is not in the source and has no extension mark")
        for group in role.skill_groups:
            text = group.text.casefold()
            for ref in source_part(group.items):
                names = [cur.skills[ref.skill].name, *(tools[t].name for t in ref.tools), *([ref.note] if ref.note else [])]
                if not any(n.casefold() in text for n in names):
                    found.append(f"{role.id}: item {ref.skill!r} of group {group.name!r} is not named by its text and has no extension mark")
                needed.add(ref.skill)
    stack = list(needed)
    while stack:
        for pre in cur.skills[stack.pop()].prerequisites:
            if pre not in needed:
                needed.add(pre)
                stack.append(pre)
    for sid, skill in cur.skills.items():
        if skill.extension is None and sid not in needed:
            found.append(f"skill {sid!r} is needed by no role of the source and has no extension mark")
    return found


@pytest.fixture(scope="module")
def cur():
    return load_curriculum()


@pytest.fixture(scope="module")
def source():
    return parse_source(SOURCE.read_text(encoding="utf-8"))


def test_source_copy_matches_shared_source():
    """The test copy of the source is the shared source document, when that is present."""
    if not SHARED.exists():
        pytest.skip("../shared/source is not beside this checkout")
    assert SOURCE.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")


def test_source_parses_into_seven_roles(source):
    """The parser finds the source's seven roles, each with five responsibilities."""
    assert len(source) == 7
    assert all(len(r["responsibilities"]) == 5 for r in source)


def test_roles_in_source_order_with_source_names(cur, source):
    """roles.yaml has every role of the source, in its order, with its names."""
    assert [r.name for r in cur.roles] == [r["name"] for r in source]
    assert [r.id for r in cur.roles] == list(NAMED)


def test_every_responsibility_verbatim(cur, source):
    """Each responsibility's title and description are in roles.yaml word for word."""
    for role, src in zip(cur.roles, source):
        assert [(r.title, r.description) for r in source_part(role.responsibilities)] == src["responsibilities"]


def test_every_key_skill_group_verbatim(cur, source):
    """Each key-skill group's name and text are in roles.yaml word for word."""
    for role, src in zip(cur.roles, source):
        assert [(g.name, g.text) for g in role.skill_groups] == src["skills"]


def test_no_unmarked_addition(cur, source):
    """Everything beyond the source carries an extension mark with a reason."""
    assert unmarked_additions(cur, source) == []


def test_an_unmarked_addition_is_caught(tmp_path, source):
    """The check above fails on a responsibility, a key-skill item or a skill added without the mark."""
    overlay = tmp_path / "added.yaml"
    overlay.write_text(
        """schema_version: 1
skills:
  - id: prompt-craft
    name: Prompt Craft
    category: machine-learning
    description: Writing prompts.
    modules:
      - {id: prompt-craft-basics, title: Prompts, level: foundation, hours: 2, objectives: [Write one.], resources: [{title: Docs, url: "https://sbert.net/", kind: official-docs}]}
""",
        encoding="utf-8",
    )
    added = load_curriculum(overlays=[overlay])
    assert unmarked_additions(added, source) == ["skill 'prompt-craft' is needed by no role of the source and has no extension mark"]
    role = added.role("ai-engineer")
    from dataclasses import replace

    from rolecourse.content.model import Responsibility, SkillGroup, SkillRef

    extra_group = replace(role.skill_groups[0], items=(*role.skill_groups[0].items, SkillRef("prompt-craft")))
    changed = replace(
        role,
        responsibilities=(*role.responsibilities, Responsibility("Prompting", "Write prompts.")),
        skill_groups=(extra_group, *role.skill_groups[1:]),
    )
    faked = replace(added, roles=tuple(changed if r.id == "ai-engineer" else r for r in added.roles), skills=dict(added.skills))
    assert unmarked_additions(faked, source) == [
        "ai-engineer: responsibility 'Prompting' is not in the source and has no extension mark",
        "ai-engineer: item 'prompt-craft' of group 'Technical' is not named by its text and has no extension mark",
    ]


def test_extensions_carry_a_reason(cur):
    """Every extension mark has a reason and a year (the loader requires both; this reads them back)."""
    marks = [s.extension for s in cur.skills.values()]
    marks += [x.extension for r in cur.roles for x in (*r.responsibilities, *(i for g in r.skill_groups for i in g.items))]
    assert all(m.reason and m.since >= 2024 for m in marks if m is not None)


@pytest.mark.parametrize("role_id", list(NAMED))
def test_every_named_item_is_reachable_from_its_role(cur, role_id):
    """Every skill or tool the source names for a role is a skill or tool of that role."""
    role = cur.role(role_id)
    tools = cur.tools
    names = set()
    for group in role.skill_groups:
        for ref in group.items:
            names.add(cur.skills[ref.skill].name.casefold())
            names.update(tools[t].name.casefold() for t in ref.tools)
    missing = [n for n in NAMED[role_id] if n.casefold() not in names]
    assert missing == []


def test_dl_and_deep_learning_engineer_overlap_is_recorded(cur):
    """DL Engineer and Deep Learning Engineer point at each other."""
    assert "deep-learning-engineer" in [l.role for l in cur.role("dl-engineer").see_also]
    assert "dl-engineer" in [l.role for l in cur.role("deep-learning-engineer").see_also]


def test_shared_skills_are_one_entity(cur):
    """SQL is one skill used by three roles."""
    assert [r.id for r in cur.roles_with_skill("sql")] == ["data-analyst", "data-engineer", "data-scientist"]


def test_modules_are_complete(cur):
    """Every skill has modules with objectives, hours and 1-4 resources, official docs preferred."""
    for skill in cur.skills.values():
        assert skill.modules and skill.description
        for module in skill.modules:
            assert module.hours > 0 and module.objectives
            assert 1 <= len(module.resources) <= 4
    kinds = [r.kind for m in cur.modules.values() for r in m.resources]
    assert kinds.count(ResourceKind.OFFICIAL_DOCS) >= len(kinds) // 3


def test_every_role_has_a_day_in_the_life(cur):
    """The notebooks' scenario text exists for every role."""
    assert all(r.day_in_the_life for r in cur.roles)
