"""Plans say where to study: the shipped lessons appear in every export format of the roles that need them."""

from __future__ import annotations

import pytest

import rolecourse
from rolecourse.assessment.lessons import lesson_links
from rolecourse.content.curriculum import load_curriculum
from rolecourse.export.plans import FORMATS, render

CURRICULUM = load_curriculum()
FOUNDATIONS = ("python", "sql", "statistics", "probability", "hypothesis-testing", "data-visualization", "excel", "r", "communication", "domain-knowledge")
"""The data-foundation skills of Lessons I: every foundation module, and the intermediate ones below, has a lesson."""
INTERMEDIATE = ("python", "sql", "statistics", "probability", "hypothesis-testing", "data-visualization")


def family_modules() -> set[str]:
    out = set()
    for sid in FOUNDATIONS:
        for m in CURRICULUM.skill(sid).modules:
            if m.level.rank == 1 or (m.level.rank == 2 and sid in INTERMEDIATE):
                out.add(m.id)
    return out


def test_every_data_foundation_module_has_a_lesson():
    """Lessons I: a lesson for every foundation module of the ten skills and the named intermediate ones."""
    assert family_modules() <= set(lesson_links())


@pytest.mark.parametrize("role", ["data-analyst", "data-scientist"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_analyst_and_scientist_plans_link_each_module_to_its_lesson(role, fmt):
    """A plan from scratch names, in every export format, the lesson notebook of each of its modules that has one."""
    plan = rolecourse.plan(role, curriculum=CURRICULUM, start="2026-01-05", hours_per_week=10)
    text = render(plan, fmt)
    if fmt == "ics":
        text = text.replace("\r\n ", "")
    links = lesson_links()
    in_path = [st.module.id for st in plan.path.steps if st.module.id in family_modules()]
    assert in_path
    for mid in in_path:
        assert links[mid] in text, (role, fmt, mid)


LESSON_SHARE = {"ml-engineer": 0.90}
"""Issue #16: an ML Engineer plan from scratch links a lesson for at least 90% of its hours."""


@pytest.mark.parametrize("role", list(LESSON_SHARE))
def test_plan_from_scratch_links_lessons_for_most_of_its_hours(role):
    """Whatever option of the role's choices is picked, the share of plan hours with a lesson reaches the goal."""
    from rolecourse.planning.paths import learning_path

    links = lesson_links()
    for choice in [None, *([o] for _, options in CURRICULUM.role(role).choices for o in options)]:
        path = learning_path(CURRICULUM, role, choices=choice)
        taught = sum(s.module.hours for s in path.steps if s.module.id in links)
        assert taught / path.total_hours >= LESSON_SHARE[role], (choice, [s.module.id for s in path.steps if s.module.id not in links])



def test_every_module_has_a_lesson_or_a_reason():
    """`rolecourse validate --coverage`: each module of the curriculum has a lesson or a practise-outside reason."""
    links = lesson_links()
    bare = [m.id for s in CURRICULUM.skills.values() for m in s.modules if m.id not in links and m.outside is None]
    assert bare == []
