"""The course in a real JupyterLab, driven by headless Chromium (Debian's build, Playwright).

One JupyterLab server on 127.0.0.1 (free port, random token) serves the repository for the
whole module and is stopped by its PID; autosave is off, so the committed notebooks stay as
they are. Each notebook is opened, its kernel awaited (the server's session and the page's
kernel indicator, not the toolbar's idle alone), run with Run → Run All Cells, and checked:
widgets rendered as widgets, no text fallback, no error, and a quiz answered by clicking.
Screenshots go to artifacts/browser/.
"""

from __future__ import annotations

import time

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import (
    QUESTION_VIEW,
    QUESTIONNAIRE,
    REPO,
    Server,
    answer_question,
    answer_questionnaire,
    chromium_missing,
    jupyter_lab,
    launch_browser,
    output_errors,
    run_all,
    save_screenshot,
    shut_down_sessions,
    unavailable,
    voila,
    wait_for_cells,
    wait_for_kernel,
    wait_for_widgets,
    widget_fallbacks,
)

SKIP_REASON = chromium_missing()
pytestmark = [pytest.mark.integration, pytest.mark.browser]

SMOKE = "tests/fixtures/browser/quiz-smoke.ipynb"
START = "notebooks/00-start-here.ipynb"
ROLE = "notebooks/01-data-analyst.ipynb"
APP = "notebooks/app-role-explorer.ipynb"


@pytest.fixture(autouse=True, scope="module")
def browser_available() -> None:
    """Skip the module when Chromium or Playwright is missing; under CI=true, fail it instead."""
    if SKIP_REASON is not None:
        unavailable(f"browser test: {SKIP_REASON}")


def require(notebook: str) -> Path:
    """The path of a notebook the test names; a missing one skips (fails under CI=true: a rename must not hide a test)."""
    path = REPO / notebook
    if not path.exists():
        unavailable(f"{notebook} is not in the repository")
    return path


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A JupyterLab server on loopback for this module; (server, token). Stopped by PID."""
    server, token = jupyter_lab(tmp_path_factory.mktemp("lab"))
    server.start()
    try:
        server.wait_until(f"/api/status?token={token}", timeout=90)
        yield server, token
    finally:
        server.stop()


@pytest.fixture(scope="module")
def context(lab: tuple[Server, str]) -> Iterator[Any]:
    """A headless Chromium browser context (one HTTP cache for every notebook of the module)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        ctx.set_default_timeout(30_000)
        try:
            yield ctx
        finally:
            ctx.close()
            browser.close()


def open_and_run(context: Any, lab: tuple[Server, str], notebook: str) -> Any:
    """Open ``notebook`` in its own workspace, wait for a real kernel (one retry with a page
    reload), Run All, and wait for every cell; the page."""
    server, token = lab
    workspace = Path(notebook).stem
    page = context.new_page()
    url = f"{server.base}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={token}"
    for attempt in (1, 2):
        page.goto(url, timeout=90_000)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        try:
            wait_for_kernel(page, server, token, notebook, timeout=60)
            break
        except TimeoutError:
            if attempt == 2:
                save_screenshot(page, f"{workspace}-no-kernel")
                raise
    run_all(page)
    wait_for_cells(page, timeout=90)
    wait_for_widgets(page)
    return page


def check_rendered(page: Any) -> None:
    """Widgets are on the page as widgets; nothing shows as a text fallback or an error."""
    assert page.locator(".jupyter-widgets").count() > 0, "no widget view on the page"
    assert page.locator(".widget-button").count() > 0, "no button widget on the page"
    assert widget_fallbacks(page) == [], "widgets shown as text instead of views"
    assert output_errors(page) == [], "a cell printed an error"


def test_quiz_renders_and_grades_clicks(context: Any, lab: tuple[Server, str]) -> None:
    """In JupyterLab, a rolecourse Quiz renders as widgets and clicking an option then Submit shows "Correct" or "Not quite"."""
    from rolecourse.assessment.questions import load_quiz

    bank = load_quiz("data-analyst")
    right_q, wrong_q = bank.question("da-responsibility-core"), bank.question("da-sql-where-having")
    right = right_q.options[right_q.correct_options[0]].text
    wrong = next(o.text for o in wrong_q.options if not o.correct)
    before = require(SMOKE).read_bytes()

    page = open_and_run(context, lab, SMOKE)
    check_rendered(page)
    views = page.locator(QUESTION_VIEW)
    assert views.count() == 2
    assert page.locator(".widget-radio-box").count() == 2

    first = answer_question(views.nth(0), right)
    second = answer_question(views.nth(1), wrong)
    assert first.startswith("✔ Correct —")
    assert second.startswith("✘ Not quite —")
    assert views.nth(1).locator(".rolecourse-feedback.rolecourse-incorrect").count() == 1
    views.nth(1).scroll_into_view_if_needed()
    assert save_screenshot(page, "quiz-smoke").stat().st_size > 0
    page.close()
    shut_down_sessions(*lab, SMOKE)
    assert (REPO / SMOKE).read_bytes() == before, "the browser run changed the committed notebook"


@pytest.mark.parametrize("notebook", [START, ROLE])
def test_course_notebook_runs_in_jupyterlab(context: Any, lab: tuple[Server, str], notebook: str) -> None:
    """A course notebook runs top to bottom in JupyterLab, its widgets render, and its quiz or questionnaire answers a click."""
    path = require(notebook)
    before = path.read_bytes()

    page = open_and_run(context, lab, notebook)
    check_rendered(page)
    views = page.locator(QUESTION_VIEW)
    questionnaires = page.locator(QUESTIONNAIRE)
    assert views.count() + questionnaires.count() > 0, "no quiz question or questionnaire on the page"
    if views.count():
        text = answer_question(views.first)
        assert text.startswith(("✔ Correct —", "✘ Not quite —")), text
        views.first.scroll_into_view_if_needed()
    if questionnaires.count():
        result = answer_questionnaire(questionnaires.first)
        assert "fit" in result, result
        questionnaires.first.locator("button", has_text="Show my roles").scroll_into_view_if_needed()
    save_screenshot(page, Path(notebook).stem)
    page.close()
    shut_down_sessions(*lab, notebook)
    assert path.read_bytes() == before, "the browser run changed the committed notebook"


def test_plain_jupyterlab_logs_no_console_error(context: Any, lab: tuple[Server, str]) -> None:
    """Opening the start notebook in the course's JupyterLab (every extension `make setup` installs, none turned
    off) logs no error in the browser console and no extension that fails to load (#20: JupyterLite's kernel did)."""
    require(START)
    server, token = lab
    logged: list[str] = []

    def on_console(message: Any) -> None:
        # Nothing is filtered: every console error counts, and of the warnings the one JupyterLab gives for an
        # extension whose code cannot load (the error that follows it names the cause).
        if message.type == "error" or (message.type == "warning" and message.text.startswith("Failed to create module")):
            logged.append(f"console.{message.type}: {message.text[:300]}")

    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda error: logged.append(f"uncaught: {str(error)[:300]}"))
    page.goto(f"{server.base}/lab/workspaces/console-check/tree/{START}?reset&token={token}", timeout=90_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
    wait_for_kernel(page, server, token, START, timeout=60)
    page.wait_for_timeout(2_000)  # extensions that activate late (after the kernel) log by then
    page.close()
    shut_down_sessions(*lab, START)
    assert logged == [], "\n".join(logged)


def test_voila_app_renders_and_reacts(context: Any, tmp_path: Path) -> None:
    """The role-explorer app served by Voila renders its widgets in Chromium, and choosing another role shows that role's profile."""
    require(APP)
    from rolecourse import load_curriculum

    roles = load_curriculum().roles
    server = voila(tmp_path, APP)
    server.start()
    try:
        page = context.new_page()
        deadline = time.monotonic() + 200  # below pytest-timeout's 300 s
        while True:
            if server.proc is not None and server.proc.poll() is not None:
                raise RuntimeError(f"voila exited:\n{server.tail()}")
            try:
                # A render that stalls is abandoned and asked for again (Voila starts a fresh kernel per request).
                page.goto(server.base + "/", timeout=60_000)
                break
            except Exception:  # noqa: BLE001 - not listening yet, or a stalled render
                if time.monotonic() > deadline:
                    raise
                page.wait_for_timeout(200)
        role = page.locator(".widget-dropdown").filter(has_text="Role").first.locator("select")
        role.wait_for(state="visible", timeout=90_000)
        assert widget_fallbacks(page) == []
        assert page.locator(".rolecourse-role h3").first.inner_text() == roles[0].name
        role.select_option(label=roles[1].name)
        page.locator(".rolecourse-role h3", has_text=roles[1].name).first.wait_for(timeout=30_000)
        assert page.locator(".widget-slider").count() > 0
        save_screenshot(page, "voila-app")
        page.close()
    finally:
        server.stop()
