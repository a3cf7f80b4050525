"""Commands about study plans: ``plan``, ``cohort``, ``compare``.

Each handler parses its arguments and calls one library function
(:func:`rolecourse.planning.plans.plan`, :func:`rolecourse.export.cohorts.cohort`,
:func:`rolecourse.planning.compare.compare_roles`); only the default start date (today) is decided here.
``plan --learner NAME`` first asks :func:`rolecourse.progress.reports.learner_known` what the learner
knows (their mastery, with ``--know`` overriding skill by skill).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from .._text import count
from ..errors import MAX_PROBLEMS_SHOWN, excerpt
from ..export.names import PLAN_FORMATS as FORMATS


def _hours(text: str) -> float:
    try:
        if "_" in text:  # float() reads 1_0 as 10; a roster cell of 1_0 is refused, so is this
            raise ValueError(text)
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of hours such as 10 or 7.5, found {excerpt(text)!r}") from None


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n <= 64:
        raise argparse.ArgumentTypeError(f"expected a number of worker processes from 0 (automatic) to 64, found {text[:40]!r}")
    return n


def cmd_plan(args: argparse.Namespace) -> int:
    from ..planning.plans import plan, resolve_curriculum

    fmt = "json" if args.json else args.format
    curriculum: Any = args.roles
    known: Any = args.know or None
    if args.learner:
        from ..progress.reports import learner_known

        curriculum = resolve_curriculum(args.roles)
        known = learner_known(args.learner, curriculum, args.know)
    study_plan = plan(
        args.role,
        curriculum=curriculum,
        from_role=args.from_role,
        known=known,
        hours_per_week=args.hours_per_week,
        start=args.start or date.today(),
        study_days=args.study_days,
        learner=args.learner or "",
        choices=args.choose,
    )
    if args.output is not None:
        from ..export.plans import write

        write(study_plan, fmt, args.output)
        print(f"wrote {args.output} ({study_plan.weeks} weeks, {study_plan.path.total_hours:g} h, ends {study_plan.schedule.end.isoformat()})", file=sys.stderr)
    else:
        from ..export.plans import render

        sys.stdout.write(render(study_plan, fmt))
    return 0


class _ProgressBar:
    """A one-line progress bar on stderr (used only when stderr is a terminal)."""

    def __init__(self, width: int = 30) -> None:
        self.width = width
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        if filled == self.shown and done != total:
            return
        self.shown = filled
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}{end}")
        sys.stderr.flush()


def cmd_cohort(args: argparse.Namespace) -> int:
    from ..export.cohorts import cohort

    result = cohort(
        args.roster,
        args.output,
        fmt=args.format,
        curriculum=args.roles,
        start=args.start or date.today(),
        progress=_ProgressBar() if sys.stderr.isatty() else None,
        keep_learners=False,
        calendar=args.calendar,
        jobs=args.jobs,
    )
    lines = result.error_lines()
    for line in lines[:MAX_PROBLEMS_SHOWN]:
        print(line, file=sys.stderr)
    if len(lines) > MAX_PROBLEMS_SHOWN:
        print(f"... and {count(len(lines) - MAX_PROBLEMS_SHOWN, 'more failed row')} (only the first {MAX_PROBLEMS_SHOWN} are shown; --json lists them all)", file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        failed = f", {count(len(result.errors), 'row')} failed" if result.errors else ""
        summary = result.summary_names[0]
        written = f", {summary} and the class calendar {result.summary_names[2]}" if args.calendar else f" and {summary}"
        print(f"wrote {count(result.planned, 'plan')}{written} to {result.out_dir}{failed}")
    return 0 if result.ok else 1


def cmd_compare(args: argparse.Namespace) -> int:
    from ..export.text import format_comparison
    from ..planning.compare import compare_roles, comparison_data
    from ..content.curriculum import load_curriculum

    comparison = compare_roles(load_curriculum(args.roles), args.role)
    if args.json:
        print(json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(format_comparison(comparison))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the plan, cohort and compare commands."""
    p = sub.add_parser(
        "plan",
        parents=[common],
        help="plan study towards a role, week by week",
        description=(
            "Order the modules that lead to ROLE (prerequisites first, known skills skipped) and lay them out "
            "week by week. --from ROLE counts the current role's key skills as known at level 2 (intermediate). "
            "--know takes SKILL[:LEVEL] items; LEVEL is 0 (none) to 3 (advanced) and defaults to 3 when left out. "
            "--learner NAME starts from that learner's recorded mastery (quizzes, exercises, self-assessment; "
            "progress folder $ROLECOURSE_HOME, else .rolecourse/ beside the notebooks); --know entries override it skill by skill."
        ),
        epilog=(
            "examples:\n"
            "  rolecourse plan data-scientist --know sql:2,python --hours-per-week 8\n"
            "  rolecourse plan \"Deep Learning Engineer\" --from data-analyst --start 2025-09-01 --study-days mon,wed,sat\n"
            "  rolecourse plan ml-engineer --format ics -o ml-engineer.ics\n"
            "  rolecourse plan data-analyst --learner ada --know sql:0"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("role", nargs="+", metavar="ROLE", help="target role id or name (several roles combine)")
    p.add_argument("--from", dest="from_role", metavar="ROLE", help="current role: its key skills count as known at level 2")
    p.add_argument("--know", metavar="SKILL[:LEVEL],...", default="", help="skills already known, level 0-3 (default 3)")
    p.add_argument("--learner", metavar="NAME", help="start from this learner's recorded mastery (--know overrides it)")
    p.add_argument(
        "--choose",
        metavar="SKILL,...",
        default="",
        help="the option to study of a role's choice, e.g. r (Python/R) or pytorch (TensorFlow/PyTorch); "
        "default: the option known best, else the first listed",
    )
    p.add_argument("--hours-per-week", type=_hours, default=10.0, metavar="N", help="study hours a week (default 10)")
    p.add_argument("--start", metavar="YYYY-MM-DD", help="first day (default today)")
    p.add_argument("--study-days", metavar="DAYS", help="e.g. mon,wed,sat (default mon-fri)")
    p.add_argument("--format", choices=FORMATS, default="md", help="output format (default md)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser(
        "cohort",
        parents=[common],
        help="plan a whole class from a roster CSV",
        description=(
            "Read ROSTER.csv (header: name,role,known,hours_per_week,start; known is ;-separated skill[:level]; "
            "start optional) and write one plan per learner plus a summary (summary.html for --format html, else summary.md) "
            "and summary.csv into DIR; --calendar adds summary.ics, the class calendar (each learner's start, milestones and end). "
            "Bad rows are reported as ROSTER.csv:LINE: message; the others are still planned (exit 1 if any failed)."
        ),
        epilog="examples:\n  rolecourse cohort examples/roster.csv -o plans/\n  rolecourse cohort roster.csv -o plans/ --format html --start 2025-09-01",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("roster", metavar="ROSTER.csv", help="the class roster")
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="folder for the plans (created if needed)")
    p.add_argument("--format", choices=FORMATS, default="md", help="format of each plan (default md)")
    p.add_argument("--start", metavar="YYYY-MM-DD", help="start for rows without one (default today)")
    p.add_argument("--calendar", action="store_true", help="also write summary.ics: the class's starts, milestones and ends in one calendar")
    p.add_argument(
        "--jobs", type=_jobs, default=0, metavar="N",
        help="worker processes that plan and write the files (default 0: as many as the CPUs, at most 4, for a roster of 2,000 rows or more; else 1); the files are the same for any N",
    )
    p.set_defaults(func=cmd_cohort)

    p = sub.add_parser(
        "compare",
        parents=[common],
        help="compare roles: shared skills, similarity, hours to move",
        description=(
            "Show the key skills two or more roles share and those only one has, their similarity "
            "(Jaccard: shared / all) and the study hours to move from each to the other "
            "(the path to the other role with every key skill of the first mastered)."
        ),
        epilog='examples:\n  rolecourse compare dl-engineer deep-learning-engineer\n  rolecourse compare "Data Analyst" "Data Scientist" --json',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("role", nargs="+", metavar="ROLE", help="two or more role ids or names")
    p.set_defaults(func=cmd_compare)
