"""Tests that profiles, the ``show`` command and plan exports say which parts are extensions beyond the source, and why."""

from __future__ import annotations

import json

from rolecourse.cli import main
from rolecourse.content.curriculum import load_curriculum
from rolecourse.export.plans import to_data, to_html, to_markdown
from rolecourse.export.text import profile_markdown, render_profile
from rolecourse.planning.plans import plan
from rolecourse.planning.profiles import role_profile

CUR = load_curriculum()
REASON_START = "AI-engineer job descriptions of 2026"


def test_profile_data_marks_extensions_only():
    """`show --json` data: the AI Engineer's added item and responsibility carry their reason; the source's do not."""
    p = role_profile(CUR, "ai-engineer")
    marked = [r["title"] for r in p["responsibilities"] if r["extension"]]
    assert marked == ["LLM Application Development"]
    items = [(it["skill"], it["extension"]["since"]) for g in p["skill_groups"] for it in g["items"] if it["extension"]]
    assert items == [("llm-applications", 2026)]
    assert all(r["extension"] is None for r in role_profile(CUR, "data-analyst")["responsibilities"])


def test_show_tags_extensions_and_gives_reasons(capsys):
    """`rolecourse show ai-engineer` tags each addition and explains it after the key skills."""
    assert main(["show", "ai-engineer"]) == 0
    out = capsys.readouterr().out
    assert "- LLM Application Development [extension 2026]:" in out
    assert "[extension 2026] [llm-applications, 42 h]" in out
    tail = out.split("Extensions beyond the source", 1)[1]
    assert "LLM Application Engineering (since 2026): " + REASON_START in " ".join(tail.split())
    assert out.count("[extension") == 3  # two tags and the heading's explanation


def test_profiles_of_source_roles_have_no_extension_section():
    """A role with nothing added reads as before: no tag, no extension section."""
    text = render_profile(CUR, "data-engineer") + profile_markdown(CUR, "data-engineer")
    assert "extension" not in text.casefold()


def test_profile_markdown_marks_extensions():
    """The role notebook's Markdown tags the addition and lists the reasons under their own heading."""
    md = profile_markdown(CUR, "ai-engineer")
    assert "- **LLM Application Development** \\[extension 2026\\]:" in md
    assert "### Extensions beyond the source" in md
    assert REASON_START in md


def test_plan_exports_say_which_modules_are_extensions():
    """An AI Engineer plan says, for each module of the added skill, that it is an extension and why (md, html, json)."""
    p = plan("ai-engineer", curriculum=CUR, start="2026-12-07", hours_per_week=10)
    md, html, data = to_markdown(p), to_html(p), to_data(p)
    assert md.count("- **Extension beyond the source (2026):** The source (2024) asks an AI engineer") == 3
    assert html.count("<strong>Extension beyond the source (2026):</strong>") == 3
    marked = [item["module"] for item in data["path"] if "extension" in item]
    assert marked == ["llm-retrieval", "llm-rag-evaluation", "llm-guardrails-agents"]
    assert json.loads(json.dumps(data))["path"][0].get("extension") is None


def test_plans_of_source_roles_do_not_mention_extensions():
    """A Data Analyst plan has no extension line and no extension key."""
    p = plan("data-analyst", curriculum=CUR, start="2026-12-07")
    assert "Extension beyond the source" not in to_markdown(p)
    assert all("extension" not in item for item in to_data(p)["path"])
