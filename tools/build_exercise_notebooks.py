"""Build the exercise notebooks' cells from their ``exercise.yaml``, so the two never drift.

Usage (from the repository root, with the project's venv)::

    .venv/bin/python tools/build_exercise_notebooks.py            # rewrite notebooks that differ
    .venv/bin/python tools/build_exercise_notebooks.py --check    # write nothing; exit 1 on a difference

Every exercise ``exercises/NN-*/exercise.yaml`` has a learner notebook beside it,
``NN-*.ipynb``, whose cells are built from the metadata: the JupyterLite install cell that
opens every notebook of the course (``build_notebooks.INSTALL_CELL``), a title cell (title, summary, role,
skills, minutes, number of steps, how to work), the setup cell (loading the exercise, then
the metadata's ``setup``), then for each step its title and prompt, its starter code, its
check cell and a commented hint/solution cell, and a closing "Done?" cell.

A notebook is rewritten only where its cells differ. A cell whose source is unchanged keeps
its id, outputs and execution count; a changed cell keeps its id (code cells lose their
stale outputs); a new cell gets a free id ``NN-KK``. When a code cell was added, changed or
removed, the notebook's outputs must be refreshed and the command to do so is printed
(``tools/execute_notebooks.py`` with the notebook's path). ``--check`` lists each notebook and
cell that differs from its ``exercise.yaml`` and exits with status 1.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from rolecourse._text import count
from rolecourse.errors import ContentError, UsageError
from rolecourse.assessment.exercises import ExerciseSpec, list_exercises

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_notebooks import INSTALL_CELL  # noqa: E402  (the first cell of every notebook of the course)

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SELF = "tools/build_exercise_notebooks.py"
EXECUTOR = "tools/execute_notebooks.py"
PYTHON = ".venv/bin/python"

HOW_TO_WORK = (
    "**How to work:** run the setup cell, then for each step write your answer in the answer cell and run "
    "the check cell below it. A check says *not attempted*, *incorrect* (with a specific message) or "
    "*correct*. Stuck? Uncomment `.hint()` (run it again for the next hint) or, as a last resort, `.solution()`."
)
DONE = (
    "## Done?\n\nWhen every check says *correct*, you have practised the skills above on a realistic task. "
    "Go back to the course notebooks in `notebooks/` for the next role or skill."
)
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}

_CHECK = re.compile(r'ex\.step\("([^"]+)"\)\.check\([A-Za-z_][A-Za-z0-9_]*\)')
_HELP = re.compile(r'# ex\.step\("([^"]+)"\)\.hint\(\)\n# ex\.step\("\1"\)\.solution\(\)')


@dataclass(frozen=True, slots=True)
class CellSpec:
    """One cell of a learner notebook, as built from the exercise's metadata."""

    key: str
    """What the cell is for, stable across edits of its text (``title``, ``setup``, ``step:<id>:prompt``, ``done``...)."""
    cell_type: str
    """``markdown`` or ``code``."""
    source: str
    """The cell's text."""
    label: str
    """How the cell is named in reports (``step 2 (revenue-by-region): title and prompt``)."""


@dataclass(frozen=True, slots=True)
class Difference:
    """One way a notebook differs from what its metadata builds."""

    cell_id: str
    """Id of the cell in the notebook (for a missing cell: the id it will get)."""
    label: str
    """Which cell it is (see :attr:`CellSpec.label`)."""
    change: str
    """``differs``, ``missing``, ``not in exercise.yaml`` or ``out of order``."""


@dataclass(frozen=True, slots=True)
class Rebuild:
    """A notebook rebuilt from its metadata, and how it differs from the one on disk."""

    notebook: nbformat.NotebookNode
    """The rebuilt notebook (unchanged cells are the existing ones, outputs included)."""
    differences: tuple[Difference, ...]
    """The differences from the notebook on disk, in cell order; empty when it is up to date."""
    needs_execution: bool
    """Whether a code cell was added, changed or removed, so the outputs must be refreshed."""


# -- the cells, from the metadata ------------------------------------------------------------


def notebook_cells(spec: ExerciseSpec) -> list[CellSpec]:
    """The learner notebook's cells for exercise ``spec``, in order."""
    n = len(spec.steps)
    skills = ", ".join(f"`{s}`" for s in spec.skills)
    title = (
        f"# {spec.title}\n\n{spec.summary.rstrip()}\n\n"
        f"- **Role:** `{spec.role}`\n"
        f"- **You will practise:** {skills}\n"
        f"- **Time:** about {spec.minutes} minutes, {count(n, 'step')}\n\n"
        f"{HOW_TO_WORK}"
    )
    setup = f'from rolecourse import load_exercise\n\nex = load_exercise("{spec.id}")'
    if spec.setup.strip():
        setup += "\n" + spec.setup.rstrip()
    cells = [
        CellSpec("install", "code", INSTALL_CELL, "JupyterLite install"),
        CellSpec("title", "markdown", title, "title and summary"),
        CellSpec("setup", "code", setup, "setup"),
    ]
    for i, step in enumerate(spec.steps, start=1):
        name = f"step {i} ({step.id})"
        starter = step.starter.rstrip() if step.starter.strip() else f"{step.answer} = ...  # your answer here"
        cells += [
            CellSpec(f"step:{step.id}:prompt", "markdown", f"## Step {i}: {step.title}\n\n{step.prompt.rstrip()}", f"{name}: title and prompt"),
            CellSpec(f"step:{step.id}:starter", "code", starter, f"{name}: starter"),
            CellSpec(f"step:{step.id}:check", "code", f'ex.step("{step.id}").check({step.answer})', f"{name}: check"),
            CellSpec(
                f"step:{step.id}:help",
                "code",
                f'# ex.step("{step.id}").hint()\n# ex.step("{step.id}").solution()',
                f"{name}: hint and solution",
            ),
        ]
    cells.append(CellSpec("done", "markdown", DONE, "Done?"))
    return cells


# -- matching an existing notebook's cells to those keys --------------------------------------


def existing_keys(cells: list[nbformat.NotebookNode]) -> list[str | None]:
    """The key of each cell of a built notebook, worked out from its layout (None: not a built cell)."""
    keys: list[str | None] = [None] * len(cells)
    if cells and cells[0].cell_type == "code" and cells[0].source == INSTALL_CELL:
        keys[0] = "install"
    for i, c in enumerate(cells):
        if c.cell_type != "code" or keys[i] is not None:
            continue
        if m := _CHECK.fullmatch(c.source.strip()):
            keys[i] = f"step:{m.group(1)}:check"
        elif m := _HELP.fullmatch(c.source.strip()):
            keys[i] = f"step:{m.group(1)}:help"
    for i, key in enumerate(list(keys)):
        if key is None or not key.endswith(":check"):
            continue
        step = key[: -len(":check")]
        j = i - 1
        if j >= 0 and keys[j] is None and cells[j].cell_type == "code":
            keys[j] = f"{step}:starter"
            j -= 1
        if j >= 0 and keys[j] is None and cells[j].cell_type == "markdown":
            keys[j] = f"{step}:prompt"
    first = 1 if keys[:1] == ["install"] else 0
    if len(cells) > first and keys[first] is None and cells[first].cell_type == "markdown":
        keys[first] = "title"
    for i, c in enumerate(cells):
        if keys[i] is None and c.cell_type == "code" and "load_exercise(" in c.source:
            keys[i] = "setup"
            break
    if cells and keys[-1] is None and cells[-1].cell_type == "markdown" and cells[-1].source.startswith("## Done?"):
        keys[-1] = "done"
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key is not None and key in seen:
            keys[i] = None
        elif key is not None:
            seen.add(key)
    return keys


def _new_cell(cell: CellSpec, cell_id: str) -> nbformat.NotebookNode:
    if cell.cell_type == "markdown":
        return nbformat.v4.new_markdown_cell(cell.source, id=cell_id)
    return nbformat.v4.new_code_cell(cell.source, id=cell_id)


def _free_id(prefix: str, position: int, used: set[str]) -> str:
    """The id ``prefix-position`` if free, else the lowest free ``prefix-KK``."""
    candidate = f"{prefix}-{position:02d}"
    k = 0
    while candidate in used:
        candidate = f"{prefix}-{k:02d}"
        k += 1
    used.add(candidate)
    return candidate


def rebuild(spec: ExerciseSpec, existing: nbformat.NotebookNode | None) -> Rebuild:
    """Rebuild ``spec``'s notebook from its metadata, reusing what ``existing`` (or None) has right."""
    wanted = notebook_cells(spec)
    old_cells = list(existing.cells) if existing is not None else []
    old_keys = existing_keys(old_cells)
    by_key = {k: (i, c) for i, (k, c) in enumerate(zip(old_keys, old_cells)) if k is not None}
    wanted_types = {w.key: w.cell_type for w in wanted}
    kept = {k: i for k, (i, c) in by_key.items() if wanted_types.get(k) == c.cell_type}
    used = {old_cells[i].id for i in kept.values()}
    prefix = spec.id[:2]
    cells: list[nbformat.NotebookNode] = []
    differences: list[Difference] = []
    needs_execution = False
    for pos, w in enumerate(wanted):
        if w.key in kept:
            old = old_cells[kept[w.key]]
            if old.source == w.source:
                cells.append(old)
                continue
            cell = _new_cell(w, old.id)
            cell.metadata = old.metadata
            cells.append(cell)
            differences.append(Difference(old.id, w.label, "differs"))
        else:
            cells.append(_new_cell(w, _free_id(prefix, pos, used)))
            differences.append(Difference(cells[-1].id, w.label, "missing"))
        needs_execution = needs_execution or w.cell_type == "code"
    kept_positions = set(kept.values())
    for i, c in enumerate(old_cells):
        if i not in kept_positions:
            differences.append(Difference(c.get("id", f"#{i}"), _label(old_keys[i], i), "not in exercise.yaml"))
            needs_execution = needs_execution or c.cell_type == "code"
    now = [w for w in wanted if w.key in kept]
    before = sorted(now, key=lambda w: kept[w.key])
    moved = [w for w, b in zip(now, before) if w.key != b.key]
    if moved:
        differences.append(Difference(old_cells[kept[moved[0].key]].id, moved[0].label, "out of order"))
        needs_execution = True
    if existing is not None:
        nb = nbformat.from_dict(dict(existing))
    else:
        nb = nbformat.v4.new_notebook(metadata={"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}})
        nb.nbformat_minor = 5
        needs_execution = True
    nb.cells = cells
    return Rebuild(nb, tuple(differences), needs_execution)


def _label(key: str | None, index: int) -> str:
    if key is None:
        return f"cell {index + 1}"
    return key.replace("step:", "step ").replace(":", ": ")


# -- the command -----------------------------------------------------------------------------


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def read_notebook(path: Path) -> nbformat.NotebookNode | None:
    """The notebook at ``path`` (None if there is none); a file that is not a notebook is an error."""
    if not path.is_file():
        return None
    try:
        return nbformat.read(path, as_version=4)
    except (ValueError, KeyError, AttributeError, nbformat.ValidationError) as exc:  # what nbformat raises for a broken file
        raise UsageError(f"{_shown(path)}: not a readable notebook ({exc.__class__.__name__}: {exc}); fix it or delete it to build it afresh") from exc


def main(argv: list[str] | None = None) -> int:
    """Rebuild (or, with ``--check``, compare) every exercise notebook; return the exit status."""
    parser = argparse.ArgumentParser(
        description="Build the exercise notebooks' cells from their exercise.yaml.",
        epilog=f"example: {PYTHON} {SELF} --check",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; list what differs and exit 1 if anything does")
    parser.add_argument("--root", type=Path, default=EXERCISES, help="the folder holding the exercises (default: exercises/)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not root.is_dir():
        print(f"no such folder: {args.root}", file=sys.stderr)
        return 2
    try:
        specs = list_exercises(root)
        plans = [(spec, rebuild(spec, read_notebook(spec.notebook))) for spec in specs]
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    stale = [(spec, plan) for spec, plan in plans if plan.differences or not spec.notebook.is_file()]
    fix = f"{PYTHON} {SELF}" + ("" if root == EXERCISES else f" --root {args.root}")
    if args.check:
        for spec, plan in stale:
            if not spec.notebook.is_file():
                print(f"{_shown(spec.notebook)}: missing")
                continue
            for d in plan.differences:
                print(f"{_shown(spec.notebook)}: cell {d.cell_id} ({d.label}): {d.change}")
        if stale:
            print(f"{len(stale)} of {len(plans)} exercise notebooks differ from their exercise.yaml; fix: {fix}")
            return 1
        print(f"all {len(plans)} exercise notebooks match their exercise.yaml")
        return 0
    to_execute = []
    for spec, plan in stale:
        nbformat.validate(plan.notebook)
        nbformat.write(plan.notebook, spec.notebook)
        print(f"wrote {_shown(spec.notebook)} ({count(len(plan.differences), 'cell')} changed)")
        if plan.needs_execution:
            to_execute.append(spec.notebook)
    if not stale:
        print(f"all {len(plans)} exercise notebooks match their exercise.yaml; nothing written")
    if to_execute:
        print("code cells changed: refresh the outputs (nbval compares them) with")
        print(f"    {PYTHON} {EXECUTOR} " + " ".join(_shown(p) for p in to_execute))
    return 0


if __name__ == "__main__":
    sys.exit(main())
