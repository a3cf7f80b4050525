"""Build the JupyterLite site of the course: ``python lite/build.py [--output-dir lite-site]``.

Steps, all offline:

1. build the rolecourse wheel from this checkout (``pip wheel . --no-deps
   --no-build-isolation --no-index``), which carries roles.yaml and the exercises;
2. run ``jupyter lite build`` (from the JupyterLite environment, :func:`lite_jupyter`) in a scratch folder holding the two config files of ``lite/``,
   with the notebooks, the exercises, the lessons and the example roster as contents and the wheel as a piplite wheel
   (copied to ``<site>/pypi/`` and indexed in ``pypi/all.json``, which the site's
   ``jupyter-lite.json`` lists under ``pipliteUrls``).

The site fetches Pyodide and its compiled packages from a CDN only when a learner opens a
notebook in the browser; ``piplite.install("rolecourse")`` in the first cell of each
notebook finds the wheel in the site's own index.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
CONFIG_FILES = ("jupyter_lite_config.json", "jupyter-lite.json")
CONTENTS = ("notebooks", "exercises", "lessons", "examples")
"""Folders of the repository the site holds, in the same layout (notebook 10 reads ../examples/roster.csv)."""
IGNORED = (".ipynb_checkpoints", "__pycache__", ".rolecourse", "templates")
"""Never copied into the site: editor and learner leftovers, and the sources the role notebooks are built from."""


LITE_ENV = REPO / ".venv-lite"
"""The environment of JupyterLite's build tools that ``make lite`` and ``make test`` create (the ``lite`` extra). Apart from
``.venv`` on purpose: the Pyodide kernel's lab extension cannot load in a real JupyterLab and logs an error
in the browser console there (jupyterlite/pyodide-kernel#32)."""


def lite_jupyter() -> Path:
    """The ``jupyter`` command that has ``jupyter lite``: the one of ``.venv-lite``, else this interpreter's
    (an environment where ``pip install 'rolecourse[lite]'`` was run). Exits naming ``make lite`` when neither has it."""
    for folder in (LITE_ENV / "bin", BIN):
        if (folder / "jupyter-lite").exists():
            return folder / "jupyter"
    raise SystemExit(f"lite: JupyterLite is not installed in {LITE_ENV} nor beside {sys.executable}; run `make lite` (or pip install 'rolecourse[lite]')")


def build_wheel(dest: Path) -> Path:
    """The rolecourse wheel of this checkout, built into ``dest`` without the network."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("rolecourse-*.whl"):
        old.unlink()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "--no-index", "--quiet", "-w", str(dest)],
        check=True,
    )
    wheels = sorted(dest.glob("rolecourse-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"lite: expected one rolecourse wheel in {dest}, found {[w.name for w in wheels]}")
    return wheels[0]


def build_site(output_dir: Path, work_dir: Path) -> Path:
    """Build the site into ``output_dir`` using ``work_dir`` for scratch files; the site folder."""
    output_dir = output_dir.resolve()
    work_dir = work_dir.resolve()
    jupyter = lite_jupyter()
    wheel = build_wheel(work_dir / "wheels")
    lite_dir = work_dir / "lite"
    if lite_dir.exists():
        shutil.rmtree(lite_dir)
    lite_dir.mkdir(parents=True)
    for name in CONFIG_FILES:
        shutil.copy2(HERE / name, lite_dir / name)
    # One content folder holding notebooks/, exercises/, lessons/ and examples/, so the site keeps the
    # repository's layout and links and relative paths between them still resolve.
    for name in CONTENTS:
        shutil.copytree(REPO / name, lite_dir / "content" / name, ignore=shutil.ignore_patterns(*IGNORED))
    if output_dir.exists():
        shutil.rmtree(output_dir)
    argv = [
        str(jupyter), "lite", "build",
        "--lite-dir", str(lite_dir),
        "--output-dir", str(output_dir),
        "--piplite-wheels", str(wheel),
        "--contents", "content",
    ]
    subprocess.run(argv, cwd=lite_dir, check=True)
    return output_dir


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Build the JupyterLite site of the course (offline).")
    parser.add_argument("--output-dir", type=Path, default=REPO / "lite-site", help="where the site goes (default: lite-site/)")
    parser.add_argument("--work-dir", type=Path, default=None, help="scratch folder (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.work_dir is not None:
        site = build_site(args.output_dir, args.work_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="rolecourse-lite-") as tmp:
            site = build_site(args.output_dir, Path(tmp))
    print(f"lite: site built in {site}; serve it with: python -m http.server -d {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
