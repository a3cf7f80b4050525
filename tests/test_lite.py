"""JupyterLite: the static site builds offline with the notebooks and the package as a piplite
wheel, and the package stays importable under Pyodide (pure Python, no file read at import,
notebooks that install it only in the browser).
"""

from __future__ import annotations

import pathlib

import ast
import asyncio
import hashlib
import importlib.util
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import nbformat
import pytest

from browser_support import REPO, unavailable

sys.path.insert(0, str(REPO / "tools"))
from build_notebooks import INSTALL_CELL  # noqa: E402  (the first cell of every notebook)

# lite/build.py, loaded under its own name (a plain `import build` could find PyPA's build package)
_spec = importlib.util.spec_from_file_location("rolecourse_lite_build", REPO / "lite" / "build.py")
lite_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lite_build)

PACKAGE = REPO / "src" / "rolecourse"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
EVERY_NOTEBOOK = NOTEBOOKS + sorted((REPO / "exercises").glob("*/*.ipynb")) + sorted((REPO / "lessons").glob("*/*.ipynb"))
"""Every notebook a learner opens: the course, the exercises and the lessons."""


def lite_missing() -> str | None:
    """Why the site cannot be built here (JupyterLite's tools are in neither .venv-lite nor this environment), or None."""
    try:
        lite_build.lite_jupyter()
    except SystemExit as e:
        return str(e)
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The JupyterLite site built by lite/build.py (what `make lite` runs) into a temporary folder."""
    missing = lite_missing()
    if missing is not None:
        unavailable(missing)  # under CI=true a failure: make test installs .venv-lite
    tmp = tmp_path_factory.mktemp("lite")
    run = subprocess.run(
        [sys.executable, str(REPO / "lite" / "build.py"), "--output-dir", str(tmp / "site"), "--work-dir", str(tmp / "work")],
        cwd=tmp, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return tmp / "site"


def lite_config(site: Path) -> dict:
    """``jupyter-config-data`` of the built site."""
    return json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]


@pytest.mark.integration
@pytest.mark.slow
def test_site_holds_every_notebook(site: Path) -> None:
    """Every notebook of notebooks/ is in the site under files/notebooks/ and in its contents index."""
    index = json.loads((site / "api" / "contents" / "notebooks" / "all.json").read_text(encoding="utf-8"))
    listed = {item["name"] for item in index["content"]}
    assert NOTEBOOKS, "notebooks/ holds no notebook"
    for nb in NOTEBOOKS:
        assert (site / "files" / "notebooks" / nb.name).read_bytes() == nb.read_bytes()
        assert nb.name in listed


@pytest.mark.integration
@pytest.mark.slow
def test_site_holds_the_exercises_beside_the_notebooks(site: Path) -> None:
    """The exercises keep their place beside the notebooks, so links from a notebook to its exercise resolve."""
    for folder in sorted(p for p in (REPO / "exercises").iterdir() if p.is_dir()):
        assert (site / "files" / "exercises" / folder.name).is_dir()


@pytest.mark.integration
@pytest.mark.slow
def test_site_holds_the_lessons_beside_the_notebooks(site: Path) -> None:
    """Every lesson notebook is in the site at its repository path, so the course's links to lessons resolve."""
    lessons = sorted((REPO / "lessons").glob("*/*.ipynb"))
    assert lessons, "lessons/ holds no notebook"
    for nb in lessons:
        assert (site / "files" / nb.relative_to(REPO)).read_bytes() == nb.read_bytes()


@pytest.mark.slow
def test_every_notebook_in_the_site_starts_with_the_install_cell(site: Path) -> None:
    """Each notebook the site serves (course, exercise, lesson) opens with the JupyterLite install cell, unchanged."""
    served = sorted((site / "files").rglob("*.ipynb"))
    assert {p.relative_to(site / "files") for p in served} >= {p.relative_to(REPO) for p in EVERY_NOTEBOOK}
    wrong = []
    for path in served:
        cells = nbformat.read(path, as_version=4).cells
        if not cells or cells[0].cell_type != "code" or cells[0].source != INSTALL_CELL:
            wrong.append(str(path.relative_to(site / "files")))
    assert wrong == [], "these notebooks do not start with build_notebooks.INSTALL_CELL"


@pytest.mark.integration
@pytest.mark.slow
def test_site_holds_no_template(site: Path) -> None:
    """The sources the role notebooks are built from stay out of the site."""
    assert not (site / "files" / "notebooks" / "templates").exists()


@pytest.mark.integration
@pytest.mark.slow
def test_files_notebooks_open_by_relative_path_are_in_the_site(site: Path) -> None:
    """Every '../…' path a notebook's code names (notebook 10's example roster) exists in the site as in the repository."""
    named = set()
    for nb in NOTEBOOKS:
        for cell in nbformat.read(nb, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("../"):
                    named.add(node.value)
    assert "../examples/roster.csv" in named
    for rel in sorted(named):
        in_repo = (REPO / "notebooks" / rel).resolve()
        in_site = (site / "files" / "notebooks" / rel).resolve()
        assert in_site.is_file() and in_site.read_bytes() == in_repo.read_bytes(), rel


@pytest.mark.integration
@pytest.mark.slow
def test_site_indexes_the_rolecourse_wheel_for_piplite(site: Path) -> None:
    """The rolecourse wheel is in pypi/, indexed in pypi/all.json with its sha256, and listed in pipliteUrls."""
    wheels = sorted((site / "pypi").glob("rolecourse-*.whl"))
    assert [w.name for w in wheels] == [f"rolecourse-{_version()}-py3-none-any.whl"]
    wheel = wheels[0]
    index = json.loads((site / "pypi" / "all.json").read_text(encoding="utf-8"))
    (release,) = index["rolecourse"]["releases"][_version()]
    assert release["filename"] == wheel.name
    assert release["digests"]["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    settings = lite_config(site)["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert any(url.startswith("./pypi/all.json") for url in settings["pipliteUrls"])


@pytest.mark.integration
@pytest.mark.slow
def test_site_wheel_carries_the_data_and_no_compiled_code(site: Path) -> None:
    """The site's wheel holds roles.yaml, the quiz banks and the package, and nothing compiled."""
    (wheel,) = (site / "pypi").glob("rolecourse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "rolecourse/__init__.py" in names
    assert "rolecourse/_data/roles.yaml" in names
    assert any(n.startswith("rolecourse/_data/exercises/quizzes/") for n in names)
    assert not [n for n in names if n.endswith((".so", ".pyd", ".dylib", ".dll"))]


@pytest.mark.integration
@pytest.mark.slow
def test_site_carries_the_pyodide_kernel_and_widget_manager(site: Path) -> None:
    """The site carries the Pyodide kernel and the ipywidgets manager extension, and opens in JupyterLab by default."""
    config = lite_config(site)
    names = {ext["name"] for ext in config["federated_extensions"]}
    assert {"@jupyter-widgets/jupyterlab-manager", "@jupyterlite/pyodide-kernel-extension"} <= names
    assert config["defaultKernelName"] == "python"
    assert (site / "lab" / "index.html").is_file()


COMPILED = {".so", ".pyd", ".dll", ".dylib", ".class", ".jar", ".o", ".a", ".exe"}
"""Suffixes of compiled code, which a py3-none-any wheel must not carry."""


def test_package_is_pure_python() -> None:
    """src/rolecourse holds Python sources, py.typed and text sources the JVM helper compiles at run time
    (ui/jvm_sources/*.java), no compiled code: Pyodide installs it from a py3-none-any wheel."""
    others = sorted(
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != "py.typed" and p.suffix != ".py" and "_data" not in p.parts
    )
    assert all(o.startswith("ui/jvm_sources/") and o.endswith(".java") for o in others), others
    assert not [o for o in others if pathlib.PurePath(o).suffix in COMPILED]


AUDIT = textwrap.dedent(
    """
    import importlib, json, os, pkgutil, sys, sysconfig
    package = os.path.realpath(sys.argv[1])
    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"]) + os.sep
    reads = []

    def hook(event, args):
        if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        path = os.fsdecode(args[0])
        if path.endswith((".py", ".pyc")) or "__pycache__" in path or os.path.isdir(path):
            return
        frame = sys._getframe(1)
        while frame is not None:
            name = frame.f_code.co_filename
            real = os.path.realpath(name)
            if not (name.startswith("<frozen") or (real.startswith(stdlib) and "site-packages" not in real)):
                break
            frame = frame.f_back
        if frame is not None and os.path.realpath(frame.f_code.co_filename).startswith(package):
            reads.append(f"{path} (from {frame.f_code.co_filename}:{frame.f_lineno})")

    sys.addaudithook(hook)
    import rolecourse
    names = sorted(m.name for m in pkgutil.walk_packages(rolecourse.__path__, "rolecourse."))
    for name in names:
        importlib.import_module(name)
    print(json.dumps({"modules": names, "reads": reads}))
    """
)


def test_importing_any_module_reads_no_file(tmp_path: Path) -> None:
    """Importing rolecourse and every one of its modules opens no file from package code (data is read on first use)."""
    run = subprocess.run(
        [sys.executable, "-c", AUDIT, str(PACKAGE)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(tmp_path / "mpl"), "HOME": str(tmp_path), "PATH": ""},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.splitlines()[-1])
    assert "rolecourse.content.curriculum" in result["modules"]
    assert result["reads"] == []


def first_cell(nb_path: Path) -> str:
    """The source of a notebook's first cell, which must be a code cell."""
    nb = nbformat.read(nb_path, as_version=4)
    assert nb.cells and nb.cells[0].cell_type == "code", f"{nb_path.name}: the first cell is not code"
    return str(nb.cells[0].source)


@pytest.mark.parametrize("nb_path", EVERY_NOTEBOOK, ids=[p.stem for p in EVERY_NOTEBOOK])
def test_notebook_starts_with_the_install_cell(nb_path: Path) -> None:
    """Every notebook (course, exercise, lesson) opens with exactly build_notebooks.INSTALL_CELL."""
    assert first_cell(nb_path) == INSTALL_CELL


@pytest.mark.parametrize("nb_path", EVERY_NOTEBOOK, ids=[p.stem for p in EVERY_NOTEBOOK])
def test_notebook_installs_the_package_only_in_the_browser(nb_path: Path) -> None:
    """Each notebook's first cell installs rolecourse with piplite under Pyodide and does nothing in a regular kernel."""
    source = first_cell(nb_path)
    tree = ast.parse(source)
    guard = next((n for n in tree.body if isinstance(n, ast.If)), None)
    assert guard is not None and "emscripten" in ast.unparse(guard.test), f"{nb_path.name}: no `if sys.platform == \"emscripten\"` guard"
    assert "piplite.install" in ast.unparse(guard) and "rolecourse" in ast.unparse(guard)
    code = compile(source, nb_path.name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    namespace: dict = {}
    result = eval(code, namespace)  # noqa: S307 - the notebook's own cell, as IPython would run it
    if asyncio.iscoroutine(result):
        asyncio.run(result)
    assert "piplite" not in namespace


def _version() -> str:
    import tomllib

    return str(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])
