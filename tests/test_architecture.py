"""The package's shape (ARCHITECTURE.md): what each room may import, no heavy library in the core, no import cycle.

Imports are read from the source with :mod:`ast` (nothing is imported). An import inside a
function counts for the rules between rooms and for cycles: it still ties the two modules
together, it only delays the cost. Imports under ``if TYPE_CHECKING:`` are for type checkers
only and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import rolecourse

PACKAGE = Path(rolecourse.__file__).resolve().parent

BASE = frozenset({"rolecourse", "rolecourse.errors", "rolecourse._text", "rolecourse._resources", "rolecourse._extras", "rolecourse._gc"})
"""Modules every room may import: the package itself, its errors and small shared helpers."""

ROOMS = ("content", "planning", "assessment", "progress", "export", "ui", "cli")
"""The rooms, from the bottom up."""

ALLOWED: dict[str, frozenset[str]] = {
    "content": frozenset({"content"}),
    "planning": frozenset({"content", "planning"}),
    "assessment": frozenset({"content", "assessment"}),
    "progress": frozenset({"content", "planning", "assessment", "progress", "export.files"}),
    "export": frozenset({"content", "planning", "assessment", "progress", "export"}),
    "ui": frozenset({"content", "planning", "assessment", "progress", "export", "ui"}),
    "cli": frozenset({"content", "planning", "assessment", "progress", "export", "cli"}),
}
"""Room -> what its modules may import besides :data:`BASE` (a room, or one module of a room as ``room.module``)."""

EXCEPTIONS = {
    ("rolecourse.assessment.lessons", "rolecourse.ui.widgets.quiz"): "Lesson.quiz() builds the quiz widget the lesson notebooks call (inside the method)",
}
"""The known departures from :data:`ALLOWED`, each with its reason (ARCHITECTURE.md lists them)."""

CORE = ("content", "planning", "assessment", "progress", "export")
"""The rooms a plain ``pip install rolecourse`` must be able to import, with the base modules."""

HEAVY = frozenset({"ipywidgets", "matplotlib", "pandas", "numpy", "sklearn", "scipy", "IPython", "openpyxl"})
"""Libraries of the ``course`` extra (and IPython, which comes with Jupyter)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """``(imported module, line, at module level)`` for every import of the file, outside ``if TYPE_CHECKING:``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, top) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                for a in child.names:  # `from . import _yaml` imports a module
                    sub = f"{target}.{a.name}"
                    found.append((sub if sub in MODULES else target, child.lineno, top))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), True)
    return found


def room(module: str) -> str:
    """The room of a rolecourse module (``base`` for the package's shared modules)."""
    if module == "rolecourse.__main__":
        return "cli"  # python -m rolecourse
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else "base"


def allowed(source: str, target: str) -> bool:
    if target in BASE:
        return True
    src, dst = room(source), room(target)
    if src == "base":
        return False
    rules = ALLOWED[src]
    local = target.split(".", 1)[1]
    return dst in rules or any(local == r or local.startswith(r + ".") for r in rules if "." in r)


def test_every_module_is_in_a_room_or_the_base():
    """Every module is one of the shared base modules or lives in a room."""
    loose = [m for m in MODULES if room(m) == "base" and m not in BASE]
    assert loose == []


def test_rooms_import_only_what_they_may():
    """No room imports a room it may not (a core room never imports ui, cli or the exports it should not)."""
    bad = []
    for module, path in MODULES.items():
        for target, line, _top in imports(path):
            if not target.startswith("rolecourse") or allowed(module, target):
                continue
            if (module, target) in EXCEPTIONS:
                continue
            bad.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {room(module)} imports {target}")
    assert bad == []


def test_the_exceptions_are_still_needed():
    """Each listed exception is still in the code (a fixed one must leave the list)."""
    seen = {(m, t) for m, p in MODULES.items() for t, _line, _top in imports(p)}
    assert set(EXCEPTIONS) <= seen


@pytest.mark.parametrize("room_name", ["base", *CORE])
def test_core_imports_no_heavy_library_at_module_level(room_name):
    """The base and the core rooms import no widget, plotting, data-frame or ML library when imported."""
    bad = []
    for module, path in MODULES.items():
        if room(module) != room_name:
            continue
        for target, line, top in imports(path):
            if top and target.split(".")[0] in HEAVY:
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {target}")
    assert bad == []


def test_no_import_cycle():
    """The modules' imports (module level and inside functions) form no cycle."""
    graph = {m: sorted({t for t, _line, _top in imports(p) if t in MODULES and t != m}) for m, p in MODULES.items()}
    # a package's modules import the package's __init__ implicitly; that is not an edge of ours
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for m in graph:
        if m not in state:
            walk(m)
    assert cycles == []


def fresh_python(*lines: str) -> str:
    """What ``lines`` of Python print, run in a fresh interpreter (so that nothing is imported yet)."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", "\n".join(lines)], capture_output=True, text=True, check=True).stdout


def test_public_names_resolve_lazily():
    """Every public name of the top-level namespace works, and importing the package imports none of them."""
    out = fresh_python(
        "import sys, rolecourse",
        "before = sorted(m for m in sys.modules if m.startswith('rolecourse.'))",
        "values = {n: getattr(rolecourse, n) for n in rolecourse.__all__}",
        "print(before, len(values), values['Outcome'].__name__, values['cohort'].__module__)",
    )
    assert out.split() == ["[]", str(len(rolecourse.__all__)), "StepOutcome", "rolecourse.export.cohorts"]


def test_the_command_line_parser_imports_no_renderer():
    """Building the parser (what every command does first) takes the formats' names from export.names, not the renderers."""
    from rolecourse.export import names, plans, quizzes

    assert (plans.FORMATS, quizzes.FORMATS, quizzes.STUDENT_FORMATS, quizzes.FIXED_SHUFFLE) == (
        names.PLAN_FORMATS, names.QUIZ_FORMATS, names.STUDENT_FORMATS, names.FIXED_SHUFFLE)
    out = fresh_python(
        "import sys",
        "from rolecourse.cli import build_parser",
        "build_parser()",
        "print(sorted(m for m in sys.modules if m.startswith('rolecourse.export')))",
    )
    assert out.strip() == "['rolecourse.export', 'rolecourse.export.names']"


def test_core_modules_stay_small_or_say_why():
    """A core module over 500 lines is named, with its reason, in ARCHITECTURE.md."""
    doc = (PACKAGE.parents[1] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for module, path in MODULES.items():
        if room(module) in CORE and len(path.read_text(encoding="utf-8").splitlines()) > 500:
            short = module.removeprefix("rolecourse.")
            assert f"`{short}`" in doc, f"{module} is over 500 lines and ARCHITECTURE.md does not say why"


def test_the_import_reader_sees_every_kind_of_import():
    """The reader finds module-level, relative, submodule and in-function imports, and skips TYPE_CHECKING ones."""
    found = {(t, top) for t, _line, top in imports(MODULES["rolecourse.planning.plans"])}
    assert ("rolecourse.content.model", True) in found  # from ..content.model import ...
    assert ("rolecourse.content.curriculum", False) in found  # inside resolve_curriculum()
    assert ("rolecourse.content._yaml", True) in {(t, top) for t, _line, top in imports(MODULES["rolecourse.content.curriculum"])}
    typed = {t for t, _line, _top in imports(MODULES["rolecourse.export.plans"])}
    assert "rolecourse.planning.plans" not in typed  # only under TYPE_CHECKING there
