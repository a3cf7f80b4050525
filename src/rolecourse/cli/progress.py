"""The ``progress`` command group: show, export, import and cohort views of learners' progress.

Every command uses the progress folder of :func:`rolecourse.progress.store.default_home`
(``$ROLECOURSE_HOME`` first). ``rolecourse progress`` alone is ``rolecourse progress show``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from .._text import count

if TYPE_CHECKING:
    from ..progress.mastery import ExerciseMaps

# Each command imports what it calls (the progress room, its text renderers) when it runs: every
# other command, such as `rolecourse cohort`, starts without them.

EPILOG = """\
examples:
  rolecourse progress                              # list the learners
  rolecourse progress --learner ada                # per role: skills, quizzes, exercises, what's next
  rolecourse progress export --learner ada -o ada.json
  rolecourse progress import ada.json
  rolecourse progress cohort exports/ --json
  rolecourse progress cohort collected/ --roster roster.csv --csv gradebook.csv

The progress folder is $ROLECOURSE_HOME if set, else .rolecourse/ beside the notebooks,
else ~/.rolecourse.
"""


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


def _curriculum(args: argparse.Namespace) -> Any:
    """The curriculum named by ``--roles`` (default: the shipped one)."""
    from ..content.curriculum import load_curriculum

    return load_curriculum(args.roles)


def _exercises() -> ExerciseMaps:
    """Skills, steps and roles of the shipped exercises."""
    from ..progress.mastery import ExerciseMaps

    return ExerciseMaps.shipped()


def cmd_show(args: argparse.Namespace) -> int:
    from ..export.text import render_report
    from ..progress.reports import learner_report
    from ..progress.store import open_progress

    store = open_progress()
    if not args.learner:
        names = store.learners()
        if args.json:
            _print_json({"home": str(store.home), "learners": names})
        elif names:
            print("\n".join(names))
        else:
            print(f"no learner has progress in {store.home} yet")
        return 0
    report = learner_report(store, args.learner, _curriculum(args), _exercises())
    if args.json:
        _print_json(report.to_json())
    else:
        print(render_report(report))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..progress.store import open_progress

    target = open_progress().export_file(args.learner, args.output)
    report = sys.stderr if _to_stdout(target) else sys.stdout  # an export to stdout is not mixed with its report
    if args.json:
        print(json.dumps({"learner": args.learner, "file": str(target)}, indent=2, ensure_ascii=False, sort_keys=True), file=report)
    else:
        print(f"exported {args.learner}'s progress to {target}", file=report)
    return 0


def _to_stdout(target: Any) -> bool:
    return str(target) in ("/dev/stdout", "-", "/dev/fd/1", "/proc/self/fd/1")


def cmd_import(args: argparse.Namespace) -> int:
    from ..progress.store import open_progress

    store = open_progress()
    name = store.import_file(args.file, learner=args.as_learner, merge=not args.replace)
    if args.json:
        _print_json({"learner": name, "home": str(store.home), "merged": not args.replace})
    else:
        print(f"imported {name}'s progress from {args.file} into {store.home}")
    return 0


def _date(text: str) -> date:
    from ..planning.pace import parse_date
    from ..errors import RolecourseError

    try:
        return parse_date(text)
    except RolecourseError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_class_view(args: argparse.Namespace) -> int:
    from ..export.gradebook import class_view_json, render_class_view, write_gradebook
    from ..progress.cohort import class_view

    view = class_view(args.roster, args.folder, today=args.today or date.today(), curriculum=args.roles, exercises=_exercises(), start=args.start)
    if args.csv:
        write_gradebook(view, args.csv)
    if args.json:
        _print_json(class_view_json(view))
    else:
        print(render_class_view(view))
    for problem in view.problems:
        print(problem, file=sys.stderr)
    if args.csv:
        print(f"wrote {args.csv} ({count(len(view.rows), 'learner')})", file=sys.stderr)
    if view.problems:
        print(f"rolecourse: {count(len(view.problems), 'problem')} (the other learners are shown)", file=sys.stderr)
    return 0 if view.ok else 1


def cmd_cohort(args: argparse.Namespace) -> int:
    if args.roster:
        return cmd_class_view(args)
    if args.csv or args.today or args.start:
        from ..errors import UsageError

        raise UsageError("--csv, --today and --start need --roster ROSTER.csv (the class the progress belongs to)")
    from ..export.text import render_cohort
    from ..progress.cohort import cohort_json, cohort_progress

    entries = cohort_progress(args.folder)
    if args.json:
        _print_json(cohort_json(entries))
    else:
        print(render_cohort(entries))
    bad = [p for e in entries for p in e.problems]
    for problem in bad:
        print(problem, file=sys.stderr)
    if bad:
        files = sum(1 for e in entries if e.problems)
        print(f"rolecourse: {count(files, 'file')} could not be read", file=sys.stderr)
    return 1 if bad else 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``progress`` and its actions (show, export, import, cohort)."""
    p = sub.add_parser(
        "progress",
        parents=[common],
        help="show, export and import learners' progress",
        description="Follow a learner's progress (skills mastered, quizzes, exercises, what's next), "
        "move it between machines, and view a cohort's exported progress.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--learner", metavar="NAME", help="the learner to show (default: list the learners)")
    p.set_defaults(func=cmd_show)

    # Options repeated on the actions default to SUPPRESS, so that values given before the
    # action (`progress --json export ...`) are not reset by the action's own defaults.
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--roles", metavar="FILE", default=argparse.SUPPRESS, help="curriculum file to use instead of the shipped roles.yaml")
    shared.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print machine-readable JSON")
    actions = p.add_subparsers(dest="action", metavar="ACTION")

    show = actions.add_parser("show", parents=[shared], help="one learner's progress, or the list of learners")
    show.add_argument("--learner", metavar="NAME", default=argparse.SUPPRESS, help="the learner to show")
    show.set_defaults(func=cmd_show)

    export = actions.add_parser(
        "export",
        parents=[shared],
        help="write a learner's progress to a JSON file",
        epilog="example:\n  rolecourse progress export --learner ada -o ada.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--learner", metavar="NAME", required=True, help="whose progress to export")
    export.add_argument("-o", "--output", metavar="FILE.json", required=True, help="file to write")
    export.set_defaults(func=cmd_export)

    imp = actions.add_parser(
        "import",
        parents=[shared],
        help="merge an exported progress file into this machine's progress",
        description="Validate FILE.json and merge it into the learner's progress (records united, "
        "imported self-assessment wins). Nothing is lost: --replace keeps the old file as a backup.",
        epilog="examples:\n  rolecourse progress import ada.json\n  rolecourse progress import ada.json --as \"Ada L\"",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE.json", help="an exported progress file")
    imp.add_argument("--as", dest="as_learner", metavar="NAME", help="file the progress under this learner name")
    imp.add_argument("--replace", action="store_true", help="replace instead of merging (the old file is kept as a backup)")
    imp.set_defaults(func=cmd_import)

    cohort = actions.add_parser(
        "cohort",
        parents=[shared],
        help="a class's progress: a folder of exported progress files, with the roster (for instructors)",
        description="Read every *.json export in FOLDER. With --roster, show each learner of the roster "
        "(the same CSV `rolecourse cohort` plans) with their target role, the hours done against their plan "
        "(on track, or behind by N h, from the roster's start date and hours a week and today's date) and the "
        "skills they master, and write a gradebook CSV with --csv. Unreadable files, bad roster rows and files "
        "matching no learner are reported one line each (exit code 1) and the others still shown.",
        epilog="examples:\n  rolecourse progress cohort exports/ --json\n"
        "  rolecourse progress cohort collected/ --roster roster.csv --csv gradebook.csv\n"
        "  rolecourse progress cohort collected/ --roster roster.csv --today 2025-10-06",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cohort.add_argument("folder", metavar="FOLDER", help="folder of exported progress files (rolecourse progress export)")
    cohort.add_argument("--roster", metavar="ROSTER.csv", help="the class roster: show each learner against their plan")
    cohort.add_argument("--csv", metavar="FILE.csv", help="with --roster: write a gradebook CSV, one row per learner")
    cohort.add_argument("--today", metavar="YYYY-MM-DD", type=_date, help="the day to measure progress on (default today)")
    cohort.add_argument("--start", metavar="YYYY-MM-DD", help="with --roster: start for rows without one (default --today)")
    cohort.set_defaults(func=cmd_cohort)
