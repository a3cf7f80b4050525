"""Every command of README.md, run as written, in a fresh copy of the repository (issue #20, first hour).

The README's shell blocks (```sh, ```bash and ```console — there only the ``$ `` lines — and
indented command blocks) are read in order and run one by one with bash, in a copy of the
repository's files made into a git repository of its own, after ``. .venv/bin/activate`` (the
copy's ``.venv`` is a link to the environment running these tests). Each must exit 0. At the
end ``git status`` must show nothing new: every file the commands wrote is in an ignored folder.

Commands that serve (``make lab``, ``voila``, ``python -m http.server``) are started, given a
free loopback port (``JUPYTER_PORT`` for ``make lab``, ``--port``/the port argument for the
others, added by the test), and must answer HTTP before they are stopped by their process
group's id. ``make test`` is this suite itself: it is run as ``make -n test`` (what it would
run), and ``make setup`` for real. Nothing here is skipped: a missing ``.venv`` fails.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
VENV = Path(sys.prefix)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SERVERS = (re.compile(r"^make lab\b"), re.compile(r"^(\.venv/bin/)?voila\b"), re.compile(r"^python3? -m http\.server\b"))


def readme_commands(text: str) -> list[str]:
    """The README's shell commands, in order: fenced sh/bash blocks, ``$`` lines of console blocks, indented command blocks."""
    commands: list[str] = []
    lines = text.splitlines()
    i = 0
    fence = re.compile(r"^```(\w*)\s*$")
    while i < len(lines):
        m = fence.match(lines[i])
        if m:
            lang = m.group(1)
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                line = lines[i]
                if lang in ("sh", "bash", "shell") and line.strip() and not line.lstrip().startswith("#"):
                    commands.append(line.strip())
                elif lang == "console" and line.startswith("$ "):
                    commands.append(line[2:].strip())
                i += 1
            i += 1
            continue
        line = lines[i]
        if line.startswith("    ") and (i == 0 or not lines[i - 1].strip()) and re.match(r"^    (\.venv/bin/|python3? |make |rolecourse )", line):
            commands.append(line.strip())
        i += 1
    return commands


def test_readme_commands_are_found():
    """The parser sees the commands a first hour needs (a check on the parser itself)."""
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert commands[:2] == [
        "make lab    # sets up .venv, installs everything, opens JupyterLab on notebooks/00-start-here.ipynb",
        "make test   # sets up .venv if needed, installs, runs every test (unit, notebooks and lessons, browser)",
    ]
    assert any(c.startswith(". .venv/bin/activate") for c in commands)
    assert any(c.startswith("rolecourse progress cohort examples/progress/ --roster") for c in commands)
    assert any(c.startswith(".venv/bin/voila notebooks/app-role-explorer.ipynb") for c in commands)
    assert len(commands) > 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's files (as in the working tree) in a new git repository, its .venv a link to this one."""
    if not (VENV / "bin" / "activate").is_file():
        pytest.fail(f"the tests must run from the course's venv (found {VENV}); run make setup")
    target = tmp_path_factory.mktemp("readme") / "rolecourse"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode("utf-8").split("\0"):
        src = ROOT / name
        if not name or not src.is_file():
            continue
        dst = target / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)  # mtimes kept: make sees the venv's stamp as newer than pyproject.toml
    (target / ".venv").symlink_to(VENV, target_is_directory=True)
    lite_env = ROOT / ".venv-lite"  # make test's second environment, JupyterLite's build tools: linked the same way
    (target / ".venv-lite").symlink_to(lite_env, target_is_directory=True)
    # The copy's make must never reinstall into the shared environments (pip install -e would point them at
    # this temporary copy): its pyproject.toml is made older than both environments' install stamps.
    stamps = [VENV / ".installed-stamp", lite_env / ".installed-stamp"]
    for stamp in stamps:
        if not stamp.is_file():
            pytest.fail(f"{stamp} is missing: run make test (or make lite) first")
    older = min(stamp.stat().st_mtime for stamp in stamps) - 60
    os.utime(target / "pyproject.toml", (older, older))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    subprocess.run(["git", "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "copy"], cwd=target, check=True)
    return target


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "ROLECOURSE_HOME")}
    env["HOME"] = str(home)  # nothing of the user's own ~/.jupyter or ~/.rolecourse
    env.pop("MAKEFLAGS", None)
    return env


def _serve(command: str, copy: Path, env: dict[str, str]) -> None:
    """Start a serving command on a free port, wait for an HTTP answer, stop it by its process group."""
    port = _free_port()
    env = dict(env, JUPYTER_PORT=str(port))
    if command.startswith("python"):
        command = re.sub(r"\b8000\b", str(port), command)
    elif "voila" in command:
        command = command.split("#")[0].strip() + f" --no-browser --port={port} --Voila.ip=127.0.0.1"
    else:
        env["BROWSER"] = "true"  # JupyterLab opens no browser window
    proc = subprocess.Popen(["bash", "-c", f". .venv/bin/activate && exec {command}"], cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
                pytest.fail(f"{command!r} exited with {proc.returncode} before serving:\n{out[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status < 500
                    return
            except urllib.error.HTTPError as exc:
                assert exc.code < 500, (command, exc.code)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.5)
        pytest.fail(f"{command!r} did not answer on port {port} within 180 s")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_every_readme_command_runs(copy: Path, tmp_path: Path):
    """Each README command, in order, exits 0 in a fresh copy; servers answer HTTP; nothing is left outside ignored folders."""
    env = _env(tmp_path / "home")
    (tmp_path / "home").mkdir()
    commands = readme_commands((copy / "README.md").read_text(encoding="utf-8"))
    ran = []
    for command in commands:
        if any(p.match(command) for p in SERVERS):
            _serve(command, copy, env)
        else:
            shown = re.sub(r"^make test\b", "make -n test", command)  # the suite itself: what it would run
            result = subprocess.run(["bash", "-c", f"set -e; . .venv/bin/activate; {shown}"], cwd=copy, env=env, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, f"README command {command!r} exited {result.returncode}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
            if shown.startswith("make -n test"):
                assert "pytest" in result.stdout
        ran.append(command)
    assert len(ran) == len(commands)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=copy, capture_output=True, text=True, check=True).stdout
    left = [line for line in status.splitlines() if not line[3:].startswith(("src/", ".venv"))]  # make setup compiles src/ (its __pycache__ is ignored)
    assert left == [], f"README commands left files git does not ignore: {left}"
    assert (copy / "out" / "gradebook.csv").is_file() and (copy / "out" / "plans-html" / "summary.ics").is_file()
