"""tools/hostile_tries.py --quick: a few of issue #18's hostile tries per category, so CI keeps them true.

The full run (a few hundred tries, a few minutes) is ``.venv/bin/python tools/hostile_tries.py``.
The read-only and full folders need ``unshare``: without it they skip, except under CI=true.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TOOL = Path(__file__).parents[1] / "tools" / "hostile_tries.py"
NAMESPACED = "read-only-and-full"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL), "--quick", *args], capture_output=True, text=True, timeout=280, stdin=subprocess.DEVNULL)


def _tool() -> Any:
    """The tool as a module (its categories, its namespace probe)."""
    sys.path.insert(0, str(TOOL.parent))
    try:
        import hostile_tries
    finally:
        sys.path.remove(str(TOOL.parent))
    return hostile_tries


@pytest.mark.slow
def test_quick_hostile_tries_find_nothing():
    """Three tries of each category (files, folders, learner code, grading, bounds, overlays, messages) all hold."""
    categories = [c for c in _tool().CATEGORIES if c != NAMESPACED]
    done = _run(*(a for c in categories for a in ("--category", c)))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    for category in categories:
        assert f"{category}: 3 tries, 0 failures" in done.stdout, done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_quick_hostile_tries_on_read_only_and_full_folders():
    """A read-only and a full progress and output folder: reads work, writes fail in one line (needs unshare)."""
    if not _tool()._namespaces_work():
        reason = "unshare --user --map-root-user --mount does not work here"
        if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
            pytest.fail(reason + " (CI=true: the read-only and full-disk tries must run)", pytrace=False)
        pytest.skip(reason)
    done = _run("--category", NAMESPACED)
    assert done.returncode == 0, done.stdout[-4000:]
    assert f"{NAMESPACED}: 2 tries, 0 failures" in done.stdout
