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


# -- the light core install ------------------------------------------------------------------
#
# `pip install rolecourse` (no extras) must give the CLI and the core without the course's
# libraries. The test builds that install offline: a fresh virtual environment created without
# pip and without the system site-packages, the wheel installed into it with this pip
# (--no-deps --no-index), and the core requirements the wheel declares (Requires-Dist without an
# extra, followed recursively) installed from this environment's installed files.

COURSE_LIBRARIES = ("ipywidgets", "matplotlib", "pandas", "numpy", "sklearn", "scipy", "openpyxl", "fastapi", "httpx", "IPython")


def _core_requirements(wheel: Path) -> list[str]:
    """Requires-Dist lines of the wheel that no extra asks for."""
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        lines = zf.read(meta).decode("utf-8").splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if line.startswith("Requires-Dist:") and "extra ==" not in line]


def _install_installed(requirement: str, site: Path, done: set[str]) -> None:
    """Copy an installed distribution (and what it requires) into ``site``, as pip would have laid it out."""
    from importlib import metadata

    from packaging.requirements import Requirement

    req = Requirement(requirement)
    if req.marker is not None and not req.marker.evaluate({"extra": ""}):
        return
    dist = metadata.distribution(req.name)
    key = dist.metadata["Name"].lower()
    if key in done:
        return
    done.add(key)
    for file in dist.files or ():
        if file.parts[0] == ".." or "__pycache__" in file.parts:
            continue  # console scripts outside site-packages; bytecode is rebuilt
        target = site / file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(dist.locate_file(file), target)
    for sub in dist.requires or ():
        _install_installed(sub, site, done)


@pytest.fixture(scope="module")
def light(wheel, tmp_path_factory) -> Path:
    """The python of a fresh venv holding rolecourse without extras (built offline)."""
    venv = tmp_path_factory.mktemp("light") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], check=True, capture_output=True, text=True).stdout.strip())
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site), str(wheel)],
        check=True, capture_output=True,
    )
    done: set[str] = set()
    for requirement in _core_requirements(wheel):
        _install_installed(requirement, site, done)
    return python


def test_core_requirements_are_light(wheel):
    """Without extras, the wheel requires PyYAML and the two pure-Python export libraries only."""
    from packaging.requirements import Requirement

    assert sorted(Requirement(r).name.lower() for r in _core_requirements(wheel)) == ["fsrs", "icalendar", "pyyaml"]


def test_light_install_has_no_course_library(light):
    """In the light venv, none of the course's libraries can be imported at all."""
    code = f"import importlib.util as u; print([m for m in {COURSE_LIBRARIES!r} if u.find_spec(m)])"
    out = subprocess.run([str(light), "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_light_install_runs_the_core_commands(light, tmp_path):
    """plan, cohort, validate, lessons, quiz export and progress work in the light venv."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["ROLECOURSE_HOME"] = str(tmp_path / "home")

    def cli(*args: str):
        return subprocess.run([str(light), "-m", "rolecourse", *args], capture_output=True, text=True, cwd=tmp_path, env=env)

    res = cli("plan", "data-scientist", "--start", "2025-01-06")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("# Study plan: Data Scientist\n")
    res = cli("plan", "data-scientist", "--start", "2025-01-06", "--format", "ics", "-o", "plan.ics")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "plan.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    shutil.copy(REPO / "examples" / "roster.csv", tmp_path / "roster.csv")
    res = cli("cohort", "roster.csv", "-o", "plans", "--start", "2025-01-06")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "plans" / "summary.md").is_file() and (tmp_path / "plans" / "ada-lovelace.md").is_file()
    res = cli("validate")
    assert res.returncode == 0, res.stdout + res.stderr
    res = cli("lessons", "--role", "data-analyst")
    assert res.returncode == 0 and "sql-foundations" in res.stdout, res.stderr
    res = cli("quiz", "export", "data-analyst", "--format", "gift")
    assert res.returncode == 0 and "::" in res.stdout, res.stderr
    res = cli("quiz", "export", "all", "--format", "qti", "-o", "quiz.zip")
    assert res.returncode == 0 and zipfile.is_zipfile(tmp_path / "quiz.zip"), res.stderr
    record = (
        "from rolecourse.progress.store import open_progress\n"
        "open_progress().record_quiz_answer('Ada', role='data-analyst', question='q1', skills=['sql'], score=0.0, correct=False, level=1)\n"
    )
    subprocess.run([str(light), "-c", record], check=True, capture_output=True, cwd=tmp_path, env=env)
    res = cli("progress")
    assert res.returncode == 0 and res.stdout.strip() == "Ada", res.stderr
    res = cli("progress", "--learner", "Ada")
    assert res.returncode == 0 and res.stdout.startswith("Ada: 1 question answered, 0 right; 0 due for review"), res.stderr


def test_light_install_names_the_extra_for_course_features(light, tmp_path):
    """Widgets and plots say in one line which command installs what they need."""
    code = (
        "from rolecourse.errors import MissingExtraError\n"
        "for name in ('rolecourse.ui.plots.roles', 'rolecourse.ui.widgets.quiz'):\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except MissingExtraError as exc:\n"
        "        print(exc)\n"
    )
    out = subprocess.run([str(light), "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.splitlines() == [
        "rolecourse.ui.plots needs matplotlib, which is not installed; install it with: pip install 'rolecourse[course]'",
        "rolecourse.ui.widgets needs ipywidgets, which is not installed; install it with: pip install 'rolecourse[course]'",
    ]
