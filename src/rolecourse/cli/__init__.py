"""The ``rolecourse`` command line: a thin layer over the library.

Each command lives in a module of this package that defines ``register(subparsers, common)``;
``common`` is a parent parser carrying ``--roles FILE`` and ``--json``. A command's handler
takes the parsed arguments, calls one library function and prints its result; it returns
the exit code. Exit codes: 0 ok, 1 invalid content, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from .._text import count
from ..content import _files
from ..errors import MAX_LINE, ContentError, RolecourseError, UsageError, excerpt

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

COMMAND_MODULES = ("curriculum", "plans", "quiz", "progress", "lessons")
"""Modules of this package that add commands, in the order their commands are listed."""

EPILOG = """\
examples:
  rolecourse roles
  rolecourse show "Data Analyst"
  rolecourse validate roles.yaml exercises/quizzes/*.yaml
  rolecourse plan data-scientist --know sql:2,python --hours-per-week 8 --format md
  rolecourse cohort roster.csv -o plans/
"""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit with code 2 and one clear line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, every command registered."""
    # --roles and --json are accepted before the command and after it; the command's copies
    # default to SUPPRESS so that an option given before the command is not reset after it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--roles", metavar="FILE", default=argparse.SUPPRESS, help="curriculum file to use instead of the shipped roles.yaml")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print machine-readable JSON")
    parser = _Parser(
        prog="rolecourse",
        description="Explore the roles of the data and AI/ML field, plan study, export quizzes and follow progress.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"rolecourse {__version__}")
    parser.add_argument("--roles", metavar="FILE", help="curriculum file to use instead of the shipped roles.yaml")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # that group of commands is not built yet
            raise
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        with _files.run():  # the files this command reads are never written over by it
            return int(args.func(args))
    except ContentError as exc:
        print(str(exc), file=sys.stderr)
        n = len(exc.problems)
        print(f"rolecourse: {count(n, 'problem')} found", file=sys.stderr)
        return EXIT_INVALID
    except UsageError as exc:
        print(f"rolecourse: error: {excerpt(str(exc), MAX_LINE)}", file=sys.stderr)
        return EXIT_USAGE
    except RolecourseError as exc:
        print(f"rolecourse: error: {excerpt(str(exc), MAX_LINE)}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:  # e.g. `rolecourse roles | head -1`
        return EXIT_OK


def entry_point() -> None:
    """Console-script entry point."""
    raise SystemExit(main())
