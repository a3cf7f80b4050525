"""A sound order of study and the source's alternatives as a choice (issue #14, items 3 and 4).

* ``builds_on`` (per module, beyond the skills' prerequisites) is read, checked and honoured:
  every plan, from scratch for every role and from every role to every other, passes
  :func:`order_problems`.
* A role's choice (``Python/R``) needs one of its skills: the one picked, known best, or
  listed first.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest
from hypothesis import given, settings, strategies as st

from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import ContentError, UsageError
from rolecourse.planning.paths import LearningPath, learning_path, order_problems

CURRICULUM = load_curriculum()
ROLES = [r.id for r in CURRICULUM.roles]


# -- the shipped curriculum ---------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_every_plan_from_scratch_is_in_a_sound_order(role):
    """From scratch, every module comes after what it needs."""
    assert order_problems(CURRICULUM, learning_path(CURRICULUM, role)) == ()


@pytest.mark.parametrize(("source", "target"), [(a, b) for a, b in itertools.permutations(ROLES, 2)])
def test_every_role_to_role_move_is_in_a_sound_order(source, target):
    """From every role to every other, every module comes after what it needs."""
    assert order_problems(CURRICULUM, learning_path(CURRICULUM, target, from_role=source)) == ()


@pytest.mark.parametrize("role", [r.id for r in CURRICULUM.roles if r.choices])
def test_every_option_of_every_choice_gives_a_sound_order(role):
    """Each option picked, the plan is still in a sound order and holds that option, not the others."""
    for cid, options in CURRICULUM.role(role).choices:
        for option in options:
            path = learning_path(CURRICULUM, role, choices=[option])
            assert order_problems(CURRICULUM, path) == ()
            assert option in path.skill_ids


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(ROLES),
    st.dictionaries(st.sampled_from(sorted(CURRICULUM.skills)), st.integers(0, 3), max_size=8),
)
def test_any_known_skills_give_a_sound_order(role, known):
    """Whatever the learner knows, the plan's order is sound."""
    assert order_problems(CURRICULUM, learning_path(CURRICULUM, role, known=known)) == ()


def test_the_issues_examples_are_in_order():
    """Python before Matplotlib, Spark basics before Scala for Spark, schema design before ETL loads,
    ML before a cloud ML service."""
    def before(path: LearningPath, first: str, then: str) -> bool:
        ids = [m.id for m in path.modules]
        return ids.index(first) < ids.index(then)

    analyst = learning_path(CURRICULUM, "data-analyst")
    assert before(analyst, "python-foundations", "dataviz-principles")
    engineer = learning_path(CURRICULUM, "data-engineer", choices=["scala"])
    assert before(engineer, "big-data-foundations", "scala-for-spark")
    assert before(engineer, "relational-design", "etl-foundations")
    assert before(engineer, "ml-foundations", "cloud-platforms-ml")


def test_a_module_pulled_in_says_why():
    """A Data Engineer's cloud ML module brings ML foundations in, with the reason."""
    path = learning_path(CURRICULUM, "data-engineer")
    step = next(s for s in path.steps if s.module.id == "ml-foundations")
    assert step.reason.endswith("builds on it")
    assert "ml-algorithms-core" not in [m.id for m in path.modules]


def test_the_checker_finds_a_bad_order():
    """Matplotlib before Python, and a module whose builds-on is missing, are named."""
    path = learning_path(CURRICULUM, "data-analyst")
    steps = list(path.steps)
    i = next(i for i, s in enumerate(steps) if s.module.id == "python-foundations")
    j = next(i for i, s in enumerate(steps) if s.module.id == "dataviz-principles")
    steps[i], steps[j] = steps[j], steps[i]
    swapped = dataclasses.replace(path, steps=tuple(steps))
    problems = order_problems(CURRICULUM, swapped)
    assert any("dataviz-principles builds on python-foundations or r-foundations" in p for p in problems)
    missing = dataclasses.replace(path, steps=tuple(s for s in path.steps if s.skill.id not in ("python",)))
    assert any("builds on" in p for p in order_problems(CURRICULUM, missing))


# -- choices ------------------------------------------------------------------------------
def test_choices_of_the_source_are_modelled():
    """Python/R, Python/Java/Scala and TensorFlow/PyTorch are choices of the roles that name them."""
    assert dict(CURRICULUM.role("data-analyst").choices) == {"python-or-r": ("python", "r")}
    assert dict(CURRICULUM.role("data-engineer").choices) == {"python-java-or-scala": ("python", "java", "scala")}
    for role in ("ml-engineer", "dl-engineer", "ai-engineer", "deep-learning-engineer"):
        assert dict(CURRICULUM.role(role).choices) == {"tensorflow-or-pytorch": ("tensorflow", "pytorch")}


def test_one_option_is_planned_first_listed_by_default():
    """From scratch, a Data Analyst studies Python, not R; a Data Engineer Python, not Java or Scala."""
    analyst = learning_path(CURRICULUM, "data-analyst").skill_ids
    assert "python" in analyst and "r" not in analyst
    engineer = learning_path(CURRICULUM, "data-engineer").skill_ids
    assert "python" in engineer and not {"java", "scala"} & set(engineer)


def test_the_pick_decides():
    """Picking R plans R and drops Python; the reason names the option not taken."""
    path = learning_path(CURRICULUM, "data-analyst", choices=["R"])
    assert "r" in path.skill_ids and "python" not in path.skill_ids
    assert next(s.reason for s in path.steps if s.skill.id == "r") == "key skill of Data Analyst (chosen over Python)"
    assert learning_path(CURRICULUM, "data-analyst", choices={"python-or-r": "r"}).skill_ids == path.skill_ids


def test_what_the_learner_knows_decides():
    """A Data Analyst who knows R at any level is planned on R, and Python leaves the plan.

    (A Data Scientist still studies Python: machine learning, a prerequisite skill, needs it.)
    """
    path = learning_path(CURRICULUM, "data-analyst", known={"r": 1})
    assert "python" not in path.skill_ids
    assert "r-data-analysis" in [m.id for m in path.modules]
    assert "python" in learning_path(CURRICULUM, "data-scientist", known={"r": 1}).skill_ids


def test_a_skill_the_role_needs_anyway_settles_the_choice():
    """An ML Engineer needs Python anyway; TensorFlow/PyTorch is settled by the pick."""
    path = learning_path(CURRICULUM, "ml-engineer", choices=["pytorch"])
    assert "pytorch" in path.skill_ids and "tensorflow" not in path.skill_ids


def test_a_pick_outside_the_choices_is_a_usage_error():
    """Picking SQL (no option) or two options of one choice is refused, naming the choices."""
    with pytest.raises(UsageError, match=r"expected a skill that is an option of a choice of Data Analyst \(choices: python-or-r: python, r\), found 'sql'"):
        learning_path(CURRICULUM, "data-analyst", choices=["sql"])
    with pytest.raises(UsageError, match="picked twice"):
        learning_path(CURRICULUM, "data-analyst", choices=["python", "r"])


# -- the loader ---------------------------------------------------------------------------
BASE = (
    "schema_version: 1\ntitle: T\nintroduction: I.\nclosing: C.\nskills:\n"
    "  - id: a\n    name: A\n    category: programming\n    description: A.\n    modules:\n"
    "      - {{id: a1, title: A1, level: foundation, hours: 1, objectives: [x], resources: [{{title: R, url: 'https://example.org/', kind: book}}]{a1}}}\n"
    "  - id: b\n    name: B\n    category: programming\n    description: B.\n    modules:\n"
    "      - {{id: b1, title: B1, level: foundation, hours: 1, objectives: [x], resources: [{{title: R, url: 'https://example.org/', kind: book}}]{b1}}}\n"
    "      - {{id: b2, title: B2, level: intermediate, hours: 1, objectives: [x], resources: [{{title: R, url: 'https://example.org/', kind: book}}]}}\n"
    "roles:\n  - id: r\n    name: R\n    summary: S.\n    responsibilities: [{{title: T, description: D.}}]\n    skill_groups:\n"
    "      - name: G\n        text: A/B.\n        items:\n          - {{skill: a{ca}}}\n          - {{skill: b{cb}}}\n"
)


def problems(tmp_path, **parts) -> list[str]:
    """The problems the loader reports for the small curriculum with ``parts`` filled in."""
    fields = {"a1": "", "b1": "", "ca": "", "cb": ""} | parts
    path = tmp_path / "c.yaml"
    path.write_text(BASE.format(**fields))
    try:
        load_curriculum(path)
    except ContentError as exc:
        return [re.sub(r"^.*c\.yaml:", "c.yaml:", str(p)) for p in exc.problems]
    return []


def test_valid_builds_on_and_choice_load(tmp_path):
    """A builds-on list (with an any-of entry) and a two-option choice load."""
    assert problems(tmp_path, b1=", builds_on: [a1]", ca=", choice: ab", cb=", choice: ab") == []
    path = tmp_path / "c.yaml"
    curriculum = load_curriculum(path)
    assert curriculum.skill("b").modules[0].builds_on == (("a1",),)
    assert curriculum.role("r").choices == (("ab", ("a", "b")),)
    (bad,) = problems(tmp_path, b1=", builds_on: [[a1, a1x]]")
    assert re.match(r"c\.yaml:17:\d+: skills\[1\]\.modules\[0\]\.builds_on: expected the id of a known module, found 'a1x'", bad)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"b1": ", builds_on: [zz]"}, "skills[1].modules[0].builds_on: expected the id of a known module, found 'zz'"),
        ({"b1": ", builds_on: [b2]"}, "skills[1].modules[0].builds_on: expected a module of another skill (a skill's own modules come in their order), found 'b2' of 'b'"),
        ({"a1": ", builds_on: [b2]", "b1": ", builds_on: [a1]"}, "expected modules that can be studied in some order, found the cycle"),
        ({"b1": ", builds_on: [[a1]]"}, "skills[1].modules[0].builds_on[0]: expected a list of at least 2 items, found 1"),
        ({"ca": ", choice: ab"}, "roles[0].skill_groups[0].items[0].choice: expected a choice between two skills or more, found only 'a' in choice 'ab'"),
        ({"ca": ", choice: 'A B'"}, "roles[0].skill_groups[0].items[0].choice: expected"),
    ],
)
def test_bad_builds_on_and_choices_are_reported_where_they_are(tmp_path, parts, expected):
    """Each bad mark gives one line with file, line and column, field path, what was expected and found."""
    found = problems(tmp_path, **parts)
    assert len(found) == 1, found
    assert re.match(r"c\.yaml:\d+:\d+: ", found[0]) and expected in found[0], found


# -- the CLI ------------------------------------------------------------------------------
def test_cli_plan_choose(capsys):
    """`plan --choose r` plans R, not Python; a skill that is no option exits 2 with the choices named."""
    from rolecourse.cli import main

    assert main(["plan", "data-analyst", "--choose", "r", "--format", "csv", "--start", "2026-01-05"]) == 0
    out = capsys.readouterr().out
    assert ",r-foundations," in out and ",python-foundations," not in out
    assert main(["plan", "data-analyst", "--choose", "sql"]) == 2
    assert "choices: python-or-r: python, r" in capsys.readouterr().err


def test_compare_names_the_choices_and_counts_one_option():
    """`compare` says each role needs one of Python or R, and a Data Analyst moving on is not credited with both."""
    from rolecourse.export.text import format_comparison
    from rolecourse.planning.compare import compare_roles

    comparison = compare_roles(CURRICULUM, ["data-analyst", "data-scientist"])
    assert "Data Analyst needs one of Python or R" in format_comparison(comparison)
    known = {s: 3 for s in CURRICULUM.role("data-analyst").required_skill_ids()}
    assert comparison.pairs[0].hours_a_to_b == learning_path(CURRICULUM, "data-scientist", known=known).total_hours
