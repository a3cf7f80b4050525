"""Helpers for the tests that run the course where learners open it.

A loopback server started as a subprocess (JupyterLab, Voilà), stopped by its PID, and the
Playwright steps that drive a notebook in JupyterLab: wait for a real kernel, Run All, wait
for every cell, read what the outputs show. Nothing here touches the network: servers bind
127.0.0.1 and Chromium runs with its background networking off.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = REPO / "artifacts" / "browser"

# Texts that mean a widget did not render as a widget (the kernel's text/plain fallback,
# or the front end never finding the widget manager).
WIDGET_FALLBACKS = ("VBox(children=", "HBox(children=", "RadioButtons(", "Button(description=", "Loading widget...", "Error displaying widget")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """GET a loopback URL; (status, body). Never raises for an HTTP error status."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def isolated_env(home: Path) -> dict[str, str]:
    """The environment for a server: its own Jupyter, IPython, matplotlib, temporary and
    rolecourse progress folders under ``home`` (nothing is written into the repository)."""
    env = dict(os.environ)
    for name, sub in (
        ("HOME", "."),
        ("JUPYTER_CONFIG_DIR", "jupyter-config"),
        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "matplotlib"),
        ("TMPDIR", "tmp"),
        ("ROLECOURSE_HOME", "rolecourse-progress"),
    ):
        path = (home / sub).resolve()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JUPYTER_TOKEN", None)
    return env


@dataclass
class Server:
    """A server subprocess on 127.0.0.1, stopped by its PID."""

    argv: list[str]
    port: int
    env: dict[str, str]
    cwd: Path
    log: Path
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the process, its output going to :attr:`log`."""
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_until(self, path: str, timeout: float) -> bytes:
        """Poll ``base + path`` until it answers 200; the body. Fails with the server log."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                status, body = get(self.base + path, timeout=5)
                if status == 200:
                    return body
                last = f"HTTP {status}"
            except OSError as e:
                last = str(e)
            time.sleep(0.25)
        raise TimeoutError(f"{self.base}{path} did not answer in {timeout:.0f} s ({last}):\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        """The last lines of the server's output."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Terminate the process by its PID (SIGTERM, then SIGKILL after 10 s) and reap it."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.kill(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


def lab_settings(settings_dir: Path) -> None:
    """User settings for the test server: no autosave (the repository's notebooks stay as
    committed), every cell kept in the page (no windowing), no news or update checks."""
    plugins = {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    }
    for rel, value in plugins.items():
        path = settings_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")


def voila(tmp: Path, notebook: str) -> Server:
    """A Voilà server (not yet started) rendering ``notebook`` (repo-relative) on 127.0.0.1."""
    port = free_port()
    argv = [
        str(BIN / "voila"),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        notebook,
    ]
    return Server(argv, port, isolated_env(tmp / "home"), REPO, tmp / "voila.log")


def jupyter_lab(tmp: Path) -> tuple[Server, str]:
    """A JupyterLab server (not yet started) serving the repository; (server, token)."""
    token = secrets.token_hex(16)
    port = free_port()
    settings = tmp / "lab-settings"
    lab_settings(settings)
    workspaces = tmp / "lab-workspaces"
    workspaces.mkdir(parents=True, exist_ok=True)
    argv = [
        str(BIN / "jupyter"), "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={REPO}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={workspaces}",
        "--LabApp.news_url=",
        "--ServerApp.terminals_enabled=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    # Every lab extension of the environment stays on, as in `make lab` (JupyterLite's kernel
    # extension, which logs an error in a real JupyterLab, is kept in .venv-lite by `make setup`).
    server = Server(argv, port, isolated_env(tmp / "home"), REPO, tmp / "jupyter-lab.log")
    return server, token


def sessions(server: Server, token: str) -> list[dict[str, Any]]:
    """The server's sessions (``/api/sessions``)."""
    status, body = get(f"{server.base}/api/sessions?token={token}")
    return json.loads(body) if status == 200 else []


def kernel_state(server: Server, token: str, notebook: str) -> str | None:
    """The execution state of the kernel of ``notebook`` (repo-relative path), or None."""
    for s in sessions(server, token):
        if s.get("path") == notebook and s.get("kernel"):
            return str(s["kernel"].get("execution_state"))
    return None


def shut_down_sessions(server: Server, token: str, notebook: str) -> None:
    """Delete the server's sessions of ``notebook`` (their kernels stop), freeing the CPU for the next one."""
    for s in sessions(server, token):
        if s.get("path") == notebook:
            request = urllib.request.Request(f"{server.base}/api/sessions/{s['id']}?token={token}", method="DELETE")
            try:
                urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 - loopback only
            except (urllib.error.HTTPError, OSError):
                pass


# --- Playwright steps -------------------------------------------------------------------

def dismiss_kernel_dialog(page: Any) -> bool:
    """Accept the default in a "Select Kernel" dialog if one is open; whether one was."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        text = dialog.first.inner_text()
        if "Kernel" in text:
            page.locator(".jp-Dialog .jp-mod-accept").first.click()
            page.wait_for_timeout(300)
            return True
    return False


def wait_for_kernel(page: Any, server: Server, token: str, notebook: str, timeout: float = 60.0) -> None:
    """Wait until the notebook has a real, idle kernel connected to the page.

    The toolbar says idle before any kernel exists, so both sides are checked: the server's
    session for ``notebook`` reports an idle kernel, and the page's kernel name is no longer
    "No Kernel" and its status indicator is idle. A "Select Kernel" dialog is accepted.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dismiss_kernel_dialog(page)
        state = kernel_state(server, token, notebook)
        if state == "idle":
            name = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName").first
            label = name.inner_text().strip() if name.count() else ""
            indicator = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator").first
            status = indicator.get_attribute("data-status") if indicator.count() else "idle"
            if label and label not in {"No Kernel", "Kernel"} and status == "idle":
                return
        page.wait_for_timeout(300)
    raise TimeoutError(f"no idle kernel for {notebook} after {timeout:.0f} s (server state: {kernel_state(server, token, notebook)})")


def run_all(page: Any) -> None:
    """Run → Run All Cells, from the menu bar, as a learner would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()


def wait_for_cells(page: Any, timeout: float = 60.0) -> int:
    """Wait until every code cell of the visible notebook shows an execution count; how many
    code cells. Fails if a cell is still pending or an error output appears."""
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    deadline = time.monotonic() + timeout
    prompts: list[str] = []
    while time.monotonic() < deadline:
        dismiss_kernel_dialog(page)
        prompts = page.locator(f"{panel} .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        if prompts and all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts):
            return len(prompts)
        page.wait_for_timeout(300)
    raise TimeoutError(f"cells did not finish in {timeout:.0f} s; prompts: {prompts}")


def output_errors(page: Any) -> list[str]:
    """Texts of error outputs (tracebacks) in the visible notebook."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts() + page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']"
    ).all_inner_texts()


def widget_fallbacks(page: Any) -> list[str]:
    """Output texts of the visible notebook that show a widget as text instead of rendering it."""
    texts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output").all_inner_texts()
    return [t[:120] for t in texts if any(marker in t for marker in WIDGET_FALLBACKS)]


def launch_browser(playwright: Any) -> Any:
    """Debian's Chromium, headless, with its background networking off."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def on_ci() -> bool:
    """Whether this run is CI's (``CI=true``, as CI services and ``.ci/run`` set it)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def unavailable(reason: str) -> None:
    """Skip the current test because ``reason`` (a missing browser or notebook); under CI, fail it.

    On CI a missing Chromium or a renamed notebook must not turn a browser test into a quiet skip.
    """
    if on_ci():
        pytest.fail(f"{reason} (CI=true: a missing browser or notebook is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    return None


def save_screenshot(page: Any, name: str) -> Path:
    """A PNG of the page under artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def copy_tree(src: Path, dst: Path) -> Path:
    """Copy a folder (for tests that must not write into the repository)."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", ".pytest_cache", ".hypothesis", "artifacts", "lite-site", "*.egg-info", ".ipynb_checkpoints"))
    return dst


# --- Widgets on the page ----------------------------------------------------------------

QUESTION_VIEW = ".widget-vbox:has(> .widget-radio):has(button:has-text('Submit'))"
"""A rolecourse QuestionView with a radio input (single choice or true/false)."""
QUESTIONNAIRE = ".widget-vbox:has(button:has-text('Show my roles'))"
"""The "which role fits me" questionnaire."""


def answer_question(view: Any, option: str | None = None, timeout: float = 20.0) -> str:
    """Click an option of a question view (the one whose label contains ``option``, else the
    first), then Submit; the feedback text that appears."""
    labels = view.locator(".widget-radio-box label")
    target = labels.filter(has_text=option).first if option is not None else labels.first
    target.scroll_into_view_if_needed()
    target.click()
    view.locator("button", has_text="Submit").first.click()
    feedback = view.locator(".rolecourse-feedback").first
    feedback.wait_for(state="visible", timeout=timeout * 1000)
    return str(feedback.inner_text())


def answer_questionnaire(box: Any, timeout: float = 20.0) -> str:
    """Rate the first statement of the questionnaire at the top of its scale, then ask for the
    roles; the result text."""
    box.locator(".widget-toggle-buttons").first.locator("button").last.click()  # one row per statement: its scale as toggle buttons
    box.locator("button", has_text="Show my roles").first.click()
    result = box.get_by_text("Roles to explore first").first
    result.wait_for(state="visible", timeout=timeout * 1000)
    return str(result.locator("xpath=ancestor::div[@role='status'][1]").inner_text())


def wait_for_widgets(page: Any, timeout: float = 20.0) -> None:
    """Wait until no output of the visible notebook shows a widget as text (views render
    asynchronously after the cells finish)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and widget_fallbacks(page):
        page.wait_for_timeout(300)
