"""Re-execute the course notebooks in place, deterministically, and save them with their outputs.

Usage (from the repository root, with the project's venv)::

    .venv/bin/python tools/execute_notebooks.py                 # every notebooks/NN-*.ipynb
    .venv/bin/python tools/execute_notebooks.py notebooks/01-data-analyst.ipynb
    .venv/bin/python tools/execute_notebooks.py exercises/01-data-analyst-sql/01-data-analyst-sql.ipynb

An exercise notebook is run by naming it, as above (``tools/build_exercise_notebooks.py``
prints that command for the notebooks whose code cells it rebuilt).

Each notebook runs top to bottom in a fresh ``python3`` kernel of this interpreter, with its
own folder as the working directory (as nbval runs it), ``PYTHONHASHSEED`` fixed, and
``ROLECOURSE_HOME`` pointed at a temporary folder, so no learner progress is written into
the repository. Execution timing metadata is not recorded. A notebook that raises stops
the run with exit status 1 and is not saved. Prints the seconds each notebook took.

Widget state (the models behind every widget, thousands of lines of JSON that change on each
run) is saved only in the Voilà app notebooks ``notebooks/app-*.ipynb``, which are served
without a kernel to rebuild it; every other notebook keeps its outputs (nbval compares them)
and no widget state.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
HASH_SEED = "0"
TIMEOUT = 120


def default_notebooks() -> list[Path]:
    """The numbered course notebooks, in order."""
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def keeps_widget_state(path: Path) -> bool:
    """Whether a notebook is saved with its widget state: only the Voilà apps, ``notebooks/app-*.ipynb``."""
    return path.parent.name == "notebooks" and path.name.startswith("app-")


def strip_timing(nb: nbformat.NotebookNode) -> None:
    """Drop execution timestamps a client may have left in cell metadata."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)


def execute(path: Path, home: Path) -> float:
    """Execute one notebook in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        # nbclient needs the widget state while it runs (an Output widget's captured outputs
        # are kept in it); it is dropped below from every notebook but the Voila apps.
        store_widget_state=True,
    )
    started = time.perf_counter()
    client.execute(env=kernel_env(home))
    elapsed = time.perf_counter() - started
    strip_timing(nb)
    if not keeps_widget_state(path):
        nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def kernel_env(home: Path) -> dict[str, str]:
    """The kernel's environment: this one, with a fixed hash seed and a throw-away progress home."""
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = HASH_SEED
    env["ROLECOURSE_HOME"] = str(home)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env.pop("JPY_PARENT_PID", None)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-execute course notebooks in place, deterministically.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/NN-*.ipynb)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or default_notebooks()
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print("no such notebook: " + ", ".join(str(p) for p in missing), file=sys.stderr)
        return 2
    total = 0.0
    for path in paths:
        with tempfile.TemporaryDirectory(prefix="rolecourse-home-") as home:
            try:
                seconds = execute(path, Path(home))
            except CellExecutionError as exc:
                print(f"FAILED {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\n{exc}", file=sys.stderr)
                return 1
        total += seconds
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{seconds:6.1f} s  {shown}")
    print(f"{total:6.1f} s  total ({len(paths)} notebooks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
