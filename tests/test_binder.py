"""Binder: the root environment.yml carries every runtime dependency, apt.txt brings R, and repo2docker builds from both.

``repo2docker --no-build --debug`` prints the Dockerfile it would build without a Docker
engine and without the network (the repository is a local folder).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from browser_support import REPO, copy_tree

REPO2DOCKER = Path(sys.executable).parent / "repo2docker"


def normalise(name: str) -> str:
    """A distribution name in PEP 503 form (``scikit_learn`` → ``scikit-learn``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_dependencies() -> dict[str, Requirement]:
    """``[project] dependencies`` and the ``course`` extra of pyproject.toml by normalised name."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["course"]]
    return {normalise(r.name): r for r in map(Requirement, lines)}


def environment() -> tuple[dict[str, str], dict[str, Requirement], list[str]]:
    """environment.yml as (conda packages by name → spec, pip requirements by name, other pip lines)."""
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda: dict[str, str] = {}
    pip: dict[str, Requirement] = {}
    other: list[str] = []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            for line in item.get("pip", []):
                if line.startswith(("-", ".")):
                    other.append(line)
                else:
                    req = Requirement(line)
                    pip[normalise(req.name)] = req
        else:
            name = re.split(r"[=<>!~ ]", item, maxsplit=1)[0]
            conda[normalise(name)] = item[len(name):]
    return conda, pip, other


def dockerfile(repo: Path, tmp_path: Path) -> str:
    """The Dockerfile repo2docker would build for ``repo`` (stdout of --no-build --debug)."""
    run = subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--debug", "--user-id", "1000", "--user-name", "jovyan", str(repo)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout + run.stderr


def test_environment_lists_every_runtime_dependency() -> None:
    """Each [project] dependency and course library of pyproject.toml is in environment.yml, with the same version bound."""
    conda, pip, _ = environment()
    for name, req in runtime_dependencies().items():
        assert name in pip or name in conda, f"environment.yml lacks {name}"
        if name in pip:
            assert pip[name].specifier == req.specifier, f"{name}: {pip[name].specifier} in environment.yml, {req.specifier} in pyproject.toml"


def test_environment_installs_the_package_lab_and_voila() -> None:
    """environment.yml pins Python 3.11 and installs the package itself with its course extra, JupyterLab and Voilà."""
    conda, pip, other = environment()
    assert conda["python"] == "=3.11"
    assert "pip" in conda
    assert "jupyterlab" in conda or "jupyterlab" in pip
    assert "voila" in conda or "voila" in pip
    assert "-e .[course]" in other or ".[course]" in other


def test_apt_txt_brings_r_for_the_lessons() -> None:
    """apt.txt at the root asks for R and jsonlite (the lessons run real R through Rscript)."""
    lines = [line.strip() for line in (REPO / "apt.txt").read_text(encoding="utf-8").splitlines()]
    packages = {line for line in lines if line and not line.startswith("#")}
    assert {"r-base-core", "r-cran-jsonlite"} <= packages


def test_no_binder_folder_hides_the_root_files() -> None:
    """The repository has no binder/ or .binder/ folder (either would make repo2docker ignore environment.yml)."""
    assert not (REPO / "binder").exists()
    assert not (REPO / ".binder").exists()


@pytest.mark.integration
@pytest.mark.skipif(not REPO2DOCKER.exists(), reason="repo2docker is not installed (pip install -e '.[test]' brings jupyter-repo2docker)")
def test_repo2docker_builds_from_the_root_environment(tmp_path: Path) -> None:
    """repo2docker picks its conda build pack for Python 3.11 and updates the environment from the root environment.yml."""
    repo = copy_tree(REPO, tmp_path / "repo")
    out = dockerfile(repo, tmp_path)
    assert "Building conda environment for python=3.11" in out
    assert re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "environment\.yml"', out)
    assert "requirements.txt" not in out
    install = re.search(r"apt-get install --yes --no-install-recommends ([^&\n]*)", out)
    assert install and {"r-base-core", "r-cran-jsonlite"} <= set(install.group(1).split()), "apt.txt (R for the lessons) is not installed"


@pytest.mark.integration
@pytest.mark.skipif(not REPO2DOCKER.exists(), reason="repo2docker is not installed (pip install -e '.[test]' brings jupyter-repo2docker)")
def test_repo2docker_ignores_root_files_beside_a_binder_folder(tmp_path: Path) -> None:
    """With a binder/ folder, repo2docker no longer reads the root environment.yml (why the repository has none)."""
    repo = copy_tree(REPO, tmp_path / "repo")
    (repo / "binder").mkdir()
    (repo / "binder" / "requirements.txt").write_text("pyyaml\n", encoding="utf-8")
    out = dockerfile(repo, tmp_path)
    assert '--file "environment.yml"' not in out
    assert "binder/requirements.txt" in out
