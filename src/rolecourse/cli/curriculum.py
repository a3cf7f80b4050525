"""Commands about the curriculum: ``roles``, ``show``, ``skills``, ``validate``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..content.curriculum import load_curriculum
from ..content.model import Curriculum


def _curriculum(args: argparse.Namespace) -> Curriculum:
    """The curriculum named by ``--roles`` (default: the shipped one)."""
    return load_curriculum(args.roles)


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_roles(args: argparse.Namespace) -> int:
    from ..export.text import render_roles
    from ..planning.profiles import roles_table

    cur = _curriculum(args)
    if args.json:
        _print_json(roles_table(cur))
    else:
        print(render_roles(cur))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from ..export.text import render_profile
    from ..planning.profiles import role_profile

    cur = _curriculum(args)
    if args.json:
        _print_json(role_profile(cur, args.role))
    else:
        print(render_profile(cur, args.role))
    return 0


def cmd_skills(args: argparse.Namespace) -> int:
    from ..export.text import render_skills
    from ..planning.profiles import skills_table

    cur = _curriculum(args)
    if args.json:
        _print_json(skills_table(cur, args.role))
    else:
        print(render_skills(cur, args.role))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..assessment.validate import validate_paths

    files = list(args.files)
    if args.roles:
        files.insert(0, args.roles)
    checked = validate_paths(files)
    if args.coverage:
        from ..assessment.validate import coverage_problems
        from ..errors import ContentError

        problems = coverage_problems(args.roles)
        if problems:
            raise ContentError(problems)
    if args.json:
        _print_json([{"file": c.path, "kind": c.kind, "ok": True} for c in checked])
    else:
        for c in checked:
            print(f"{c.path}: ok ({c.kind})")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the curriculum commands."""
    p = sub.add_parser("roles", parents=[common], help="list the roles", description="List every role with its skill count and study hours.")
    p.set_defaults(func=cmd_roles)

    p = sub.add_parser(
        "show",
        parents=[common],
        help="show a role's profile",
        description="Show a role's responsibilities, key skills by group, tools, hours and related roles.",
        epilog='examples:\n  rolecourse show "Data Analyst"\n  rolecourse show data-analyst --json',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("role", help="role id (data-analyst) or name (\"Data Analyst\")")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("skills", parents=[common], help="list skills", description="List the skills, all or one role's.")
    p.add_argument("--role", help="only this role's skills, in its order")
    p.set_defaults(func=cmd_skills)

    p = sub.add_parser(
        "validate",
        parents=[common],
        help="check content files",
        description="Check curriculum, overlay, quiz and exercise files; every problem is printed as file:line:col: field: message.",
        epilog="examples:\n  rolecourse validate\n  rolecourse validate my-roles.yaml exercises/quizzes/*.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="*", help="files to check (default: everything shipped)")
    p.add_argument("--coverage", action="store_true", help="also require every module of the curriculum to have a lesson or a practise_outside reason")
    p.set_defaults(func=cmd_validate)
