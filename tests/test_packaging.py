"""Tests of the package as shipped: light import, data in the wheel, console script from anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("ipywidgets", "matplotlib", "pandas", "numpy", "sklearn", "IPython")


def test_import_and_load_stay_light():
    """Importing rolecourse and loading the curriculum imports no widget, plot or data-frame library."""
    code = (
        "import sys, rolecourse\n"
        "rolecourse.load_curriculum()\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


def test_import_reads_no_file(tmp_path):
    """`import rolecourse` opens no data file (so it works under Pyodide and from any folder)."""
    code = (
        "import builtins, io\n"
        "opened = []\n"
        "real = io.open\n"
        "def spy(f, *a, **k):\n"
        "    opened.append(str(f)); return real(f, *a, **k)\n"
        "builtins.open = io.open = spy\n"
        "import rolecourse\n"
        "print([f for f in opened if f.endswith(('.yaml', '.json', '.csv'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from this checkout, offline."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True, capture_output=True,
    )
    return next(out.glob("rolecourse-*.whl"))


def test_wheel_carries_the_content(wheel):
    """The wheel holds roles.yaml, the quiz banks and the typing marker."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "rolecourse/_data/roles.yaml" in names
    assert "rolecourse/py.typed" in names
    assert any(n.startswith("rolecourse/_data/exercises/quizzes/") and n.endswith(".yaml") for n in names)


def test_installed_wheel_works_from_another_directory(wheel, tmp_path):
    """After a regular install, `rolecourse roles` works from an unrelated folder."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "import rolecourse, sys; print(rolecourse.__file__); sys.exit(rolecourse.cli.main(['roles']))"
    out = subprocess.run([sys.executable, "-c", "import rolecourse.cli\n" + code], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert out.returncode == 0, out.stderr
    first, *rows = out.stdout.splitlines()
    assert first.startswith(str(target))
    assert len(rows) == 8 and "deep-learning-engineer" in rows[-1]
    script = target / "bin" / "rolecourse"
    if script.exists() and shutil.which("sh"):
        res = subprocess.run([str(script), "show", "data-analyst"], capture_output=True, text=True, cwd=elsewhere, env=env)
        assert res.returncode == 0 and res.stdout.startswith("Data Analyst\n")
