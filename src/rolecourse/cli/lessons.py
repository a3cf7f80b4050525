"""The ``lessons`` command: which modules have a lesson notebook, their minutes and a learner's status."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .._text import count

EPILOG = """\
examples:
  rolecourse lessons
  rolecourse lessons --role data-analyst
  rolecourse lessons --skill sql --learner ada
  rolecourse lessons --role data-engineer --json
"""


def cmd_lessons(args: argparse.Namespace) -> int:
    from ..content.curriculum import load_curriculum
    from ..assessment.lessons import catalog, list_lessons

    cur = load_curriculum(args.roles)
    progress = None
    if args.learner:
        from ..progress.store import open_progress

        store = open_progress()
        progress = store.load(store.require(args.learner))
    entries = catalog(cur, list_lessons(curriculum=cur), role=args.role, skill=args.skill, progress=progress)
    if args.json:
        print(json.dumps([e.to_json() for e in entries], indent=2, ensure_ascii=False))
        return 0
    for e in entries:
        if e.lesson is not None:
            where = f"{e.lesson} ({e.minutes} min)"
            if e.status is not None:
                where += f" - {e.status.state.value.replace('-', ' ')}: practice {e.status.steps_correct}/{e.status.steps}, quiz {e.status.quiz_right}/{e.status.quiz}"
        elif e.outside is not None:
            where = f"practise outside: {e.outside}"
        else:
            where = "no lesson yet (see its resources: rolecourse show)"
        print(f"{e.module:<38} {e.level:<12} {where}")
    taught = sum(1 for e in entries if e.lesson is not None)
    print(f"{count(taught, 'lesson')} for {count(len(entries), 'module')}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``lessons`` command."""
    p = sub.add_parser(
        "lessons",
        parents=[common],
        help="list lesson notebooks",
        description="List the modules in study order with their lesson notebook and minutes (or why they are practised outside the course); with --learner, each lesson's status.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--role", help="only the modules of this role's key skills")
    p.add_argument("--skill", help="only this skill's modules")
    p.add_argument("--learner", help="show this learner's status in each lesson (from the progress folder)")
    p.set_defaults(func=cmd_lessons)
