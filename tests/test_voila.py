"""Voilà: the course's widget notebooks served as standalone apps (no code shown) on loopback.

Voilà runs every cell when the page is requested and sends the outputs in the HTML: the
widgets arrive as ``application/vnd.jupyter.widget-view+json`` outputs whose models the page
then loads from the kernel. The server is stopped by its PID.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import REPO, Server, get, unavailable, voila

VOILA = Path(__import__("sys").executable).parent / "voila"
APPS = ["notebooks/app-role-explorer.ipynb", "notebooks/00-start-here.ipynb"]
OUTPUT = re.compile(r'<script type="application/vnd\.voila\.cell-output\+json">\s*(\{.*?\})\s*</script>', re.S)

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.skipif(not VOILA.exists(), reason="voila is not installed (pip install -e '.[voila]')")]


def get_within(url: str, seconds: float) -> tuple[int, bytes]:
    """GET with a hard deadline for the whole response (a stalled render never blocks the suite)."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = get(url, timeout=seconds)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"no complete answer from {url} within {seconds:.0f} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


def fetch(server: Server, timeout: float = 240.0, attempt: float = 75.0) -> tuple[int, str]:
    """GET the app page once the server listens (Voilà answers after running every cell).

    Each request has a hard deadline; a request whose render stalls is abandoned and the
    page asked for again (Voilà starts a fresh kernel per request).
    """
    deadline = time.monotonic() + timeout
    while True:
        if server.proc is not None and server.proc.poll() is not None:
            raise RuntimeError(f"voila exited with {server.proc.returncode}:\n{server.tail()}")
        try:
            status, body = get_within(server.base + "/", min(attempt, max(1.0, deadline - time.monotonic())))
            return status, body.decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"voila did not answer in {timeout:.0f} s:\n{server.tail()}") from None
            time.sleep(0.3)


@pytest.fixture(params=APPS, ids=[Path(nb).stem for nb in APPS])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, int, str]]:
    """(notebook, HTTP status, page) of a notebook rendered by a Voilà server started for it."""
    if not (REPO / request.param).exists():
        unavailable(f"{request.param} is not in the repository")
    server = voila(tmp_path, request.param)
    server.start()
    try:
        status, page = fetch(server)
        yield request.param, status, page
    finally:
        server.stop()


def test_app_renders_widgets_without_code(app: tuple[str, int, str]) -> None:
    """Voilà serves the notebook with HTTP 200, its widgets as widget-view outputs with model ids, no error and no source code."""
    notebook, status, page = app
    assert status == 200
    outputs = [json.loads(m) for m in OUTPUT.findall(page)]
    views = [o["data"]["application/vnd.jupyter.widget-view+json"] for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert views, f"{notebook}: no widget in the page"
    assert all(re.fullmatch(r"[0-9a-f]{32}", v["model_id"]) and v["version_major"] == 2 for v in views)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert "Traceback" not in page
    assert "piplite" not in page, "the first cell's source is shown (Voilà should strip sources)"
