"""Role profiles as plain data and text (rolecourse.planning.profiles)."""

from __future__ import annotations

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
                assert name not in item_detail(it).casefold()
                assert f"- {name} ({name}" not in text
