"""How long the course notebooks take under nbval, against the floor of kernel start-up.

Runs ``pytest --nbval`` over ``notebooks/NN-*.ipynb`` (as ``make test`` does), then over the
same number of trivial one-cell notebooks generated in a temporary folder, and prints both
wall times and their ratio. Target: ratio <= 1.5 (the course costs at most half again what
starting that many kernels costs).

    .venv/bin/python benchmarks/bench_notebooks.py [--repeat N]

Each suite is timed ``--repeat`` times (default 1) and the best time is kept. With
``--per-notebook`` it also prints, for the best course run, each notebook's seconds (kernel
start, cells and shutdown, from pytest's durations) beside the mean trivial notebook's, so the
notebooks that cost the most stand out. Run it when the machine is quiet (``uptime``): both
suites share its two cores with whatever else is running.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
TARGET = 1.5


DURATION = re.compile(r"^\s*([0-9.]+)s (?:setup|call|teardown)\s+(\S*?)::", re.M)


def nbval(paths: list[Path], home: Path) -> tuple[float, dict[str, float]]:
    """Seconds one ``pytest --nbval`` run over ``paths`` takes, and seconds per notebook; exits if it fails."""
    cmd = [
        sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
        "--durations=0", "--durations-min=0",
        "--nbval-sanitize-with", str(ROOT / "nbval_sanitize.cfg"), *map(str, paths),
    ]
    env = dict(os.environ, PYTHONHASHSEED="0", ROLECOURSE_HOME=str(home))
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"nbval failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    per: dict[str, float] = {Path(p).name: 0.0 for p in paths}
    for seconds, nodeid in DURATION.findall(done.stdout):
        name = Path(nodeid).name  # empty for notebooks outside the project: pytest names no file
        key = name if name in per else "(unnamed)"
        per[key] = per.get(key, 0.0) + float(seconds)
    return elapsed, per


def trivial_notebooks(folder: Path, count: int) -> list[Path]:
    """``count`` notebooks of one cell that prints ``1``, with that output saved."""
    paths = []
    for i in range(count):
        cell = new_code_cell("print(1)", id="only", execution_count=1, outputs=[new_output("stream", name="stdout", text="1\n")])
        nb = new_notebook(cells=[cell])
        nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
        path = folder / f"trivial-{i:02d}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="time each suite this many times, keep the best")
    parser.add_argument("--per-notebook", action="store_true", help="also print each course notebook's seconds")
    args = parser.parse_args(argv)
    if not NOTEBOOKS:
        sys.exit("no notebooks found in notebooks/")
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as tmp:
        tmpdir = Path(tmp)
        home = tmpdir / "home"
        trivial_dir = tmpdir / "trivial"
        trivial_dir.mkdir()
        trivial = trivial_notebooks(trivial_dir, len(NOTEBOOKS))
        course_s, course_per = min((nbval(NOTEBOOKS, home) for _ in range(args.repeat)), key=lambda run: run[0])
        trivial_s, trivial_per = min((nbval(trivial, home) for _ in range(args.repeat)), key=lambda run: run[0])
    ratio = course_s / trivial_s
    if args.per_notebook:
        floor = sum(trivial_per.values()) / len(trivial)
        print(f"{'notebook':36} {'seconds':>8} {'over a trivial one':>19}")
        for name, seconds in sorted(course_per.items()):
            if name == "(unnamed)":
                continue
            print(f"{name:36} {seconds:8.2f} {seconds - floor:+19.2f}")
        print(f"{'(trivial notebook, mean)':36} {floor:8.2f}")
    print(f"course notebooks under nbval:  {len(NOTEBOOKS)} notebooks, {course_s:6.1f} s")
    print(f"trivial notebooks under nbval: {len(trivial)} notebooks, {trivial_s:6.1f} s")
    print(f"ratio: {ratio:.2f} (target <= {TARGET}) {'ok' if ratio <= TARGET else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
