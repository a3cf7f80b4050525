"""How long the notebook suite takes under nbval, against two floors.

Issue #5's goal: the whole notebook suite under nbval (what ``make test`` runs: the course
notebooks in ``notebooks/`` and the exercise notebooks in ``exercises/``) takes at most 1.5× the
time nbval takes for the same number of trivial one-cell notebooks (kernel start-up is the floor).

This script times three suites of the same size with the same pytest command:

``course``
    the real notebooks, as ``make test`` runs them;
``imports``
    one one-cell notebook per real notebook that only imports the third-party modules that
    notebook's kernel ends up with (matplotlib for the charts, ipywidgets, pandas, scikit-learn,
    scipy, …), found by running the notebook once and listing its kernel's ``sys.modules``;
``trivial``
    one-cell notebooks that print ``1``.

It prints each suite's wall time and three ratios: course / trivial (the goal), imports /
trivial (what the libraries the course is built on cost before any of our code runs) and
course / imports (what rolecourse's own work adds: loading content, building widgets, drawing
charts, checking answers).

    .venv/bin/python benchmarks/bench_notebooks.py [--repeat N] [--per-notebook] [NOTEBOOK ...]

Each suite is timed ``--repeat`` times (default 1), the suites taking turns so a burst of other
work hits all three alike, and the best time of each is kept. ``--per-notebook`` also prints, for
the best runs, each notebook's seconds (kernel start, cells and shutdown, from pytest's
durations) beside its imports-only twin and the mean trivial notebook. Run it when the machine is
quiet (``uptime``): the suites share its cores with whatever else runs.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
SUITE_DIRS = ("notebooks", "exercises")
"""The folders ``make test`` runs under nbval."""
TARGET = 1.5
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

DURATION = re.compile(r"^\s*([0-9.]+)s (?:setup|call|teardown)\s+(\S*?)::", re.M)

PROBE = "import json as _j, sys as _s\nprint(_j.dumps(sorted(_s.modules)))"
"""A cell that prints the names of every module the kernel has imported."""


def suite_notebooks() -> list[Path]:
    """Every notebook ``make test`` validates: ``notebooks/`` and ``exercises/``, hidden folders excluded."""
    found = []
    for folder in SUITE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.ipynb")):
            if not any(part.startswith(".") for part in path.relative_to(ROOT).parts):
                found.append(path)
    return found


def nbval(paths: list[Path], rootdir: Path, env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Seconds one ``pytest --nbval`` run over ``paths`` takes, and seconds per notebook; exits if it fails.

    Every suite runs from the repository (so with its pytest settings); ``rootdir`` only names
    the tests, so that pytest's durations say which notebook each line is about.
    """
    cmd = [
        sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q", f"--rootdir={rootdir}",
        "--durations=0", "--durations-min=0",
        "--nbval-sanitize-with", str(ROOT / "nbval_sanitize.cfg"), *map(str, paths),
    ]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"nbval failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    per: dict[str, float] = {p.name: 0.0 for p in paths}
    for seconds, nodeid in DURATION.findall(done.stdout):
        name = Path(nodeid).name
        if name in per:
            per[name] += float(seconds)
    return elapsed, per


def kernel_modules(nb: nbformat.NotebookNode, cwd: Path) -> set[str]:
    """The modules a fresh kernel has imported after running ``nb``'s code cells and a probe."""
    nb = copy.deepcopy(nb)  # the probe is not added to the caller's notebook
    nb.cells.append(new_code_cell(PROBE))
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    text = "".join(out.get("text", "") for out in nb.cells[-1].outputs if out.get("name") == "stdout")
    return set(json.loads(text))


def third_party_imports(path: Path, baseline: set[str]) -> list[str]:
    """Modules ``path``'s kernel imports beyond a trivial kernel's, leaving out the standard library and rolecourse."""
    modules = kernel_modules(nbformat.read(path, as_version=4), path.parent) - baseline
    own = {"rolecourse", "__main__"}
    return sorted(m for m in modules if m.split(".")[0] not in sys.stdlib_module_names | own)


def one_cell_notebook(path: Path, source: str) -> Path:
    """Write a one-cell notebook running ``source`` then printing ``1``, with that output saved."""
    cell = new_code_cell(f"{source}print(1)", id="only", execution_count=1,
                         outputs=[new_output("stream", name="stdout", text="1\n")])
    nb = new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = KERNELSPEC
    nbformat.write(nb, path)
    return path


def imports_source(modules: list[str]) -> str:
    """Code importing each of ``modules`` (one that cannot be imported on its own is skipped)."""
    if not modules:
        return ""
    return (
        "import importlib\n"
        f"for _name in {modules!r}:\n"
        "    try:\n"
        "        importlib.import_module(_name)\n"
        "    except Exception:\n"
        "        pass\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to time (default: the whole suite)")
    parser.add_argument("--repeat", type=int, default=1, help="time each suite this many times, keep the best")
    parser.add_argument("--per-notebook", action="store_true", help="also print each notebook's seconds")
    args = parser.parse_args(argv)
    course = [p.resolve() for p in args.notebooks] or suite_notebooks()
    if not course:
        sys.exit("no notebooks found")
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as tmp:
        tmpdir = Path(tmp)
        env = dict(os.environ, PYTHONHASHSEED="0", ROLECOURSE_HOME=str(tmpdir / "home"))
        os.environ["ROLECOURSE_HOME"] = env["ROLECOURSE_HOME"]  # the probe runs below see it too
        for name in ("imports", "trivial"):
            (tmpdir / name).mkdir()
        baseline = kernel_modules(new_notebook(cells=[new_code_cell("print(1)")]), tmpdir)
        print(f"finding each notebook's imports ({len(course)} notebooks)...", flush=True)
        twins = {}
        for path in course:
            twin = tmpdir / "imports" / f"imports-of-{path.name}"
            twins[path.name] = one_cell_notebook(twin, imports_source(third_party_imports(path, baseline)))
        trivial = [one_cell_notebook(tmpdir / "trivial" / f"trivial-{i:02d}.ipynb", "") for i in range(len(course))]
        suites = {"course": (course, ROOT), "imports": (list(twins.values()), tmpdir), "trivial": (trivial, tmpdir)}
        best: dict[str, tuple[float, dict[str, float]]] = {}
        for _ in range(args.repeat):
            for name, (paths, rootdir) in suites.items():
                run = nbval(paths, rootdir, env)
                if name not in best or run[0] < best[name][0]:
                    best[name] = run
    course_s, trivial_s, imports_s = best["course"][0], best["trivial"][0], best["imports"][0]
    if args.per_notebook:
        floor = sum(best["trivial"][1].values()) / len(trivial)
        print(f"{'notebook':46} {'seconds':>8} {'imports only':>13} {'over imports':>13}")
        for path in course:
            own, twin = best["course"][1][path.name], best["imports"][1][twins[path.name].name]
            print(f"{path.name:46} {own:8.2f} {twin:13.2f} {own - twin:+13.2f}")
        print(f"{'(trivial notebook, mean)':46} {floor:8.2f}")
    n = len(course)
    print(f"course notebooks under nbval:     {n} notebooks, {course_s:6.1f} s")
    print(f"imports-only notebooks:           {n} notebooks, {imports_s:6.1f} s")
    print(f"trivial notebooks under nbval:    {n} notebooks, {trivial_s:6.1f} s")
    ratio = course_s / trivial_s
    print(f"ratio course / trivial:  {ratio:.2f} (target <= {TARGET}) {'ok' if ratio <= TARGET else 'OVER TARGET'}")
    print(f"ratio imports / trivial: {imports_s / trivial_s:.2f} (the libraries alone, before any rolecourse code)")
    print(f"ratio course / imports:  {course_s / imports_s:.2f} (what rolecourse's own work adds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
