"""Role profiles as plain data and text (rolecourse.planning.profiles)."""

from __future__ import annotations

import re

from rolecourse.content.curriculum import load_curriculum
from rolecourse.export.text import item_detail, render_profile
from rolecourse.planning.profiles import role_profile

CUR = load_curriculum()


def _item(name: str, tools: list[str], note: str) -> dict:
    return {"skill": "x", "name": name, "tools": tools, "note": note, "hours": 1}


def test_item_detail_gives_tools_then_note():
    """An item's detail is its tools, then the source's note, joined by a semicolon."""
    assert item_detail(_item("ETL Pipelines", ["Apache Airflow"], "ETL tools")) == "Apache Airflow; ETL tools"
    assert item_detail(_item("Statistics", [], "statistical methods")) == "statistical methods"
    assert item_detail(_item("SQL", [], "")) == ""


def test_item_detail_drops_a_note_that_repeats_the_skill_name():
    """A note holding the skill's own name (any case) is left out, so no 'X (x)' echo is shown."""
    assert item_detail(_item("Machine Learning Algorithms", [], "machine learning algorithms")) == ""
    assert item_detail(_item("Big Data Technologies", ["Hadoop", "Spark"], "big data technologies")) == "Hadoop, Spark"
    assert item_detail(_item("Neural Networks", [], "AI algorithms (e.g., reinforcement learning, neural networks)")) == ""


def test_shipped_profiles_never_echo_the_skill_name():
    """No shipped role's profile shows a skill followed by its own name in brackets."""
    for role in CUR.roles:
        text = render_profile(CUR, role.id).casefold()
        for group in role_profile(CUR, role.id)["skill_groups"]:
            for it in group["items"]:
                name = it["name"].casefold()
                assert not re.search(rf"\b{re.escape(name)}\b", item_detail(it).casefold())
                assert f"- {name} ({name}" not in text


def test_every_hour_shown_for_a_role_is_its_plan_from_scratch():
    """The role table, the profile and the plan agree: one figure per role (issue #14, honest hours)."""
    from rolecourse.planning.paths import learning_path
    from rolecourse.planning.profiles import role_profile, roles_table

    curriculum = load_curriculum()
    rows = {row["id"]: row for row in roles_table(curriculum)}
    for role in curriculum.roles:
        planned = learning_path(curriculum, role).total_hours
        assert rows[role.id]["hours"] == planned
        assert role_profile(curriculum, role.id)["hours"] == planned
        assert rows[role.id]["skills"] == len(role.required_skill_ids())
