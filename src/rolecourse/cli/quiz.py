"""The ``quiz`` command group: list the question banks and export them for an LMS.

``rolecourse quiz list`` counts questions per role; ``rolecourse quiz export ROLE|all
--format gift|qti|json|md [-o FILE]`` prints (or writes) a bank. QTI is a zip, so it needs
``-o``. Each command calls one library function.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import UsageError
from ..export.names import FIXED_SHUFFLE, QUIZ_FORMATS as FORMATS

EPILOG = """\
examples:
  rolecourse quiz list
  rolecourse quiz export data-analyst --format gift > data-analyst.gift   # Moodle: Question bank > Import > GIFT
  rolecourse quiz export all --format qti -o rolecourse-qti.zip          # Canvas: Import course content > QTI .zip
  rolecourse quiz export ml-engineer --format json -o ml-engineer.json   # jupyterquiz display_quiz("ml-engineer.json")
  rolecourse quiz export all --format md -o answer-sheet.md
  rolecourse quiz export data-analyst --format html --student --shuffle -o da-students.html   # printable, no answers
  rolecourse quiz export data-analyst --format html --shuffle -o da-key.html                  # its answer key, same order
  rolecourse quiz export data-analyst --format md --student --shuffle "Ada Lovelace" --name "Ada Lovelace"
"""


def cmd_list(args: argparse.Namespace) -> int:
    from ..assessment.questions import question_counts

    counts = question_counts(curriculum_path=args.roles)
    if args.json:
        print(json.dumps(counts, indent=2))
        return 0
    width = max((len(r) for r in counts), default=4)
    for role, per_type in counts.items():
        detail = ", ".join(f"{n} {t}" for t, n in per_type.items() if t != "total")
        print(f"{role:<{width}}  {per_type['total']:>3} questions ({detail})")
    print(f"{'total':<{width}}  {sum(c['total'] for c in counts.values()):>3} questions")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..export.files import write_output
    from ..export.quizzes import export

    if args.format == "qti" and args.output is None:
        raise UsageError("--format qti writes a zip file: give -o FILE (e.g. -o quiz-qti.zip)")
    if args.name and not args.student:
        raise UsageError("--name is printed on a student sheet: add --student")
    data = export(args.target, args.format, curriculum_path=args.roles, student=args.student, shuffle=args.shuffle, name=args.name or "")
    if args.output is not None:
        write_output(args.output, data)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """Add ``quiz list`` and ``quiz export``."""
    p = subparsers.add_parser(
        "quiz",
        parents=[common],
        help="list the quiz banks or export them (GIFT, QTI, jupyterquiz JSON, Markdown)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="quiz_command", metavar="SUBCOMMAND")
    p.set_defaults(func=cmd_list)
    lp = sub.add_parser("list", parents=[common], help="questions per role and type")
    lp.set_defaults(func=cmd_list)
    ep = sub.add_parser(
        "export",
        parents=[common],
        help="export a role's bank (or all) for Moodle, Canvas, jupyterquiz or print (answer key or student sheet)",
        description="Export a quiz bank: gift (Moodle), qti (Canvas zip), json (jupyterquiz), or md/html to print. "
        "md and html give the answer key; with --student, a sheet for students without answers, feedback or explanations.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ep.add_argument("target", metavar="ROLE", help="role id (e.g. data-analyst) or 'all'")
    ep.add_argument("--format", "-f", required=True, choices=FORMATS, help="output format")
    ep.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing (required for qti)")
    ep.add_argument("--student", action="store_true", help="md/html: the students' sheet, without answers, with space to answer")
    ep.add_argument(
        "--shuffle",
        nargs="?",
        const=FIXED_SHUFFLE,
        metavar="SEED",
        help="md/html: shuffle each question's options; alone a fixed order, with a SEED (e.g. a student's name) that "
        "student's own order; the same SEED gives the same order on the sheet and on the answer key",
    )
    ep.add_argument("--name", metavar="NAME", help="with --student: the name printed on the sheet")
    ep.set_defaults(func=cmd_export)
