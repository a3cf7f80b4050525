"""Tests for rolecourse.assessment.lessons: the lesson format, the shipped lessons and their notebooks.

The shipped lessons are tested as data, like the exercises: every worked example and every
reference solution runs, in order, in one namespace; each solution is checked CORRECT; every
typical mistake listed is made on purpose and gets its own message; the committed notebook
is what its source builds, and holds no answer.
"""

from __future__ import annotations

import json
import linecache
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from checking_support import run_cell, wrong_answer
from rolecourse.assessment.checking import StepOutcome
from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import ContentError, UnknownNameError
from rolecourse.assessment.lessons import (
    LessonState,
    coverage,
    lesson_order,
    lesson_status,
    list_lessons,
    load_lesson,
    missing_requirements,
    read_lesson,
    study_order,
)
from rolecourse.progress.store import ProgressStore
from rolecourse.assessment.questions import load_all_quizzes

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402  (a maintainer script, imported to build in memory)

CURRICULUM = load_curriculum()
SHIPPED = list_lessons(curriculum=CURRICULUM)
IDS = [lesson.id for lesson in SHIPPED]


def require(spec) -> None:
    """Skip, naming what is missing, a lesson whose requirements are not installed here, except under CI=true (there it fails)."""
    missing = missing_requirements(spec)
    if missing and os.environ.get("CI") != "true":
        pytest.skip(f"this lesson needs {', '.join(missing)}")
FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def run_lesson(lesson_id: str, *, examples: bool = True) -> list[tuple[str, StepOutcome, str]]:
    """Run setup, worked examples and every solution as notebook cells in the lesson's folder; check each step."""
    import matplotlib.pyplot as plt

    lesson = load_lesson(lesson_id)
    ns: dict[str, Any] = {"lesson": lesson, "__name__": "__main__"}
    results = []
    cwd = os.getcwd()
    os.chdir(lesson.spec.folder)  # nbval runs a notebook in its own folder
    try:
        run_cell(lesson.spec.setup, f"{lesson_id}:setup", ns)
        if examples:
            for i, section in enumerate(lesson.spec.sections, start=1):
                run_cell(section.example, f"{lesson_id}:example{i}", ns)
        for step in lesson.steps:
            run_cell(step.spec.solution, f"{lesson_id}:{step.id}", ns)
            r = step.check(ns[step.spec.answer])
            results.append((step.id, r.outcome, r.message))
    finally:
        os.chdir(cwd)
        plt.close("all")
        for key in [k for k in linecache.cache if str(k).startswith(f"<cell {lesson_id}:")]:
            del linecache.cache[key]
    return results


# -- the shipped lessons ---------------------------------------------------------------------


def test_lessons_are_shipped():
    """At least one lesson ships, each named by an existing module."""
    assert SHIPPED
    for lesson in SHIPPED:
        assert lesson.id in CURRICULUM.modules


@pytest.mark.parametrize("lesson_id", IDS)
def test_reference_solutions_pass(lesson_id):
    """Worked examples run, and every step's solution, run after them, is checked CORRECT."""
    spec = load_lesson(lesson_id).spec
    require(spec)
    results = run_lesson(lesson_id)
    assert [(sid, o) for sid, o, _ in results] == [(s.id, StepOutcome.CORRECT) for s in spec.practice], results


MISTAKES = [pytest.param(lesson.id, s.id, i, id=f"{lesson.id}:{s.id}:{i}") for lesson in SHIPPED for s in lesson.practice for i in range(len(s.mistakes))]


@pytest.mark.parametrize(("lesson_id", "step_id", "index"), MISTAKES)
def test_typical_mistakes_get_their_own_message(lesson_id, step_id, index):
    """Each listed typical mistake, made on purpose, is INCORRECT with that mistake's message."""
    import matplotlib.pyplot as plt

    try:
        lesson = load_lesson(lesson_id)
        require(lesson.spec)
        step = lesson.step(step_id)
        m = step.spec.mistakes[index]
        result = step.check(wrong_answer(step.spec, m))
        assert (result.outcome, result.message) == (StepOutcome.INCORRECT, m.message)
    finally:
        plt.close("all")


@pytest.mark.parametrize("lesson_id", IDS)
def test_lesson_shape(lesson_id):
    """A lesson explains with examples, has >= 3 steps (each with two mistakes, hints, a solution) and 3-5 quiz questions."""
    spec = load_lesson(lesson_id).spec
    assert spec.sections and all(s.example.strip() for s in spec.sections)
    assert len(spec.practice) >= 3
    for step in spec.practice:
        assert len(step.mistakes) >= 2 and step.hints and step.solution.strip(), step.id
    assert 3 <= len(spec.quiz) <= 5
    assert spec.key_points and spec.questions


@pytest.mark.parametrize("lesson_id", IDS)
def test_shipped_data_files_are_small(lesson_id):
    """Data files are shipped in the lesson's folder and stay small (at most 200 KB each)."""
    spec = load_lesson(lesson_id).spec
    for name in spec.data:
        assert 0 < (spec.folder / name).stat().st_size <= 200_000, name


def test_quiz_ids_are_unique_across_lessons_and_banks():
    """A lesson's quiz questions have ids of their own: progress keys answers by question id."""
    seen: dict[str, str] = {}
    for bank in load_all_quizzes():
        for q in bank.questions:
            seen[q.id] = f"bank {bank.role}"
    for lesson in SHIPPED:
        for q in lesson.quiz:
            assert q.id not in seen, (q.id, lesson.id, seen.get(q.id))
            seen[q.id] = f"lesson {lesson.id}"


# -- the notebooks ---------------------------------------------------------------------------


BUILT = {b.path.parent.name: b for b in build_notebooks.lesson_notebooks(ROOT)}


@pytest.mark.parametrize("lesson_id", IDS)
def test_notebook_is_built_from_its_source(lesson_id):
    """The committed notebook's cells are exactly what ``tools/build_notebooks.py`` builds from lesson.yaml."""
    assert build_notebooks.differences(BUILT[lesson_id]) == []


@pytest.mark.parametrize("lesson_id", IDS)
def test_notebook_holds_no_answer(lesson_id):
    """No solution, expected value or quiz key is visible in the learner's notebook (outputs included)."""
    spec = load_lesson(lesson_id).spec
    text = spec.notebook.read_text(encoding="utf-8")
    nb = json.loads(text)
    sources = ["".join(c["source"]) for c in nb["cells"]]
    for step in spec.practice:
        solution = step.solution.strip()
        assert not any(solution in src for src in sources), step.id
        assert f'lesson.step("{step.id}").solution()' not in "\n".join(line for src in sources for line in src.splitlines() if not line.lstrip().startswith("#"))
    for q in spec.quiz:
        for fb in (o.feedback for o in q.options):
            if len(fb) > 30:
                assert json.dumps(fb)[1:-1] not in text, (q.id, fb)


@pytest.mark.parametrize("lesson_id", IDS)
def test_notebook_starts_with_the_install_cell_and_shows_unattempted_checks(lesson_id):
    """First cell installs the course in JupyterLite; each check cell's saved output is its step's "Not attempted"."""
    spec = load_lesson(lesson_id).spec
    nb = json.loads(spec.notebook.read_text(encoding="utf-8"))
    assert "".join(nb["cells"][0]["source"]) == build_notebooks.INSTALL_CELL
    checks = {c["metadata"]["rolecourse"]["key"]: c for c in nb["cells"] if c["metadata"].get("rolecourse", {}).get("key", "").endswith(":check")}
    assert list(checks) == [f"step:{s.id}:check" for s in spec.practice]
    for s in spec.practice:
        outputs = checks[f"step:{s.id}:check"]["outputs"]
        assert len(outputs) == 1 and "".join(outputs[0]["data"]["text/markdown"]).startswith(f"⬜ **Not attempted** ({s.id}): ")


def test_lessons_link_previous_and_next_in_study_order():
    """The last cell links the neighbours in study order, and every link points to an existing notebook."""
    ordered = lesson_order(CURRICULUM, SHIPPED)
    for i, spec in enumerate(ordered):
        cells = BUILT[spec.id].cells
        nav = cells[-1].source
        if i > 0:
            assert f"../{ordered[i - 1].id}/{ordered[i - 1].id}.ipynb" in nav
        if i + 1 < len(ordered):
            assert f"../{ordered[i + 1].id}/{ordered[i + 1].id}.ipynb" in nav
        for target in build_notebooks_links(nav):
            assert (spec.folder / target).resolve().is_file(), target


def build_notebooks_links(markdown: str) -> list[str]:
    import re

    return [m for m in re.findall(r"\]\(([^)\s]+)\)", markdown) if not m.startswith("http")]


def test_go_deeper_lists_the_module_resources():
    """The "Go deeper" cell links every resource of the module, from roles.yaml."""
    for spec in SHIPPED:
        cell = next(c for c in BUILT[spec.id].cells if c.key == "go-deeper")
        for r in CURRICULUM.modules[spec.id].resources:
            assert f"]({r.url})" in cell.source


# -- order, coverage, status -----------------------------------------------------------------


def test_study_order_puts_skills_after_their_prerequisites():
    """Every module comes after the modules of its skill's prerequisites; a skill's foundation first."""
    order = study_order(CURRICULUM)
    position = {m.id: i for i, m in enumerate(order)}
    assert sorted(position) == sorted(CURRICULUM.modules)
    for skill in CURRICULUM.skills.values():
        for pre in skill.prerequisites:
            assert max(position[m.id] for m in CURRICULUM.skill(pre).modules) < min(position[m.id] for m in skill.modules)
        ranks = [m.level.rank for m in sorted(skill.modules, key=lambda m: position[m.id])]
        assert ranks == sorted(ranks)


def test_coverage_names_lessons_reasons_and_gaps():
    """Every module is covered by a lesson, by a written reason, or reported missing."""
    cov = coverage(CURRICULUM, SHIPPED)
    assert set(cov) == set(CURRICULUM.modules)
    for lesson in SHIPPED:
        assert cov[lesson.id] == "lesson"
    for mid, state in cov.items():
        if state == "outside":
            assert CURRICULUM.modules[mid].outside is not None


def test_lesson_status_follows_the_learner(tmp_path):
    """Not started, then in progress, then done when every step is correct and the quiz passed."""
    spec = load_lesson("python-foundations").spec
    store = ProgressStore(tmp_path)
    assert lesson_status(spec, store.load("ada")).state is LessonState.NOT_STARTED
    lesson = load_lesson(spec.id, record_to=store, learner="ada")
    lesson.steps[0].check(None)
    status = lesson_status(spec, store.load("ada"))
    assert status.state is LessonState.IN_PROGRESS and status.steps_correct == 0
    ns: dict[str, Any] = {"lesson": lesson}
    cwd = os.getcwd()
    os.chdir(spec.folder)
    try:
        run_cell(spec.setup, f"{spec.id}:status-setup", ns)
        for step in lesson.steps:
            run_cell(step.spec.solution, f"{spec.id}:status-{step.id}", ns)
            step.check(ns[step.spec.answer])
    finally:
        os.chdir(cwd)
    status = lesson_status(spec, store.load("ada"))
    assert status.steps_correct == len(spec.practice) and status.state is LessonState.IN_PROGRESS  # quiz not yet passed
    for q in spec.quiz:
        store.record_quiz_answer("ada", role=q.role, question=q.id, skills=q.skills, score=1.0, correct=True, level=q.level.rank)
    status = lesson_status(spec, store.load("ada"))
    assert status.quiz_passed and status.state is LessonState.DONE


def test_quiz_widget_records_answers_for_the_learner(tmp_path):
    """The lesson's quiz widget records each submitted answer to the learner's store."""
    from quiz_support import answer_right

    spec = SHIPPED[0]
    store = ProgressStore(tmp_path)
    quiz = load_lesson(spec.id, record_to=store, learner="ada").quiz()
    assert [q.id for q in quiz.questions] == [q.id for q in spec.quiz]
    view = quiz.views[0]
    answer_right(view)
    view.submit.click()
    answered = store.load("ada").latest_answers()
    assert answered[spec.quiz[0].id].correct is True


# -- loading and bad sources -----------------------------------------------------------------


def test_unknown_lesson_suggests_close_names():
    """A misspelt lesson id is an UnknownNameError naming the close match."""
    with pytest.raises(UnknownNameError) as err:
        load_lesson(IDS[0][:-1] + "x")
    assert IDS[0] in str(err.value)


def test_unknown_data_file_is_named():
    """Asking for a data file the lesson does not ship names the ones it does."""
    lesson = load_lesson(IDS[0])
    with pytest.raises(UnknownNameError):
        lesson.data_path("nope.csv")


INVALID = sorted((FIXTURES / "invalid").glob("*/lesson.yaml"))


@pytest.mark.parametrize("path", INVALID, ids=[p.parent.name for p in INVALID])
def test_bad_sources_are_reported_at_their_line(path):
    """Each invalid fixture gives exactly the located problems listed in its ``expected.txt``."""
    with pytest.raises(ContentError) as err:
        read_lesson(path, curriculum=CURRICULUM)
    expected = (path.parent / "expected.txt").read_text(encoding="utf-8").strip().splitlines()
    assert str(err.value).splitlines() == expected


def test_validate_recognises_lesson_sources(tmp_path):
    """`rolecourse validate` checks shipped lessons against the curriculum and reports a bad one's problems."""
    from rolecourse.assessment.validate import shipped_files, validate_paths

    assert {p.parent.name for p in shipped_files() if p.name == "lesson.yaml"} == set(IDS)
    bad = INVALID[0]
    with pytest.raises(ContentError) as err:
        validate_paths([bad])
    assert len(str(err.value).splitlines()) == len((bad.parent / "expected.txt").read_text(encoding="utf-8").strip().splitlines())


def test_missing_r_packages_name_their_debian_package(monkeypatch):
    """An `R:<package>` requirement that R cannot load is reported with its r-cran-* package and install.packages."""
    import dataclasses

    from rolecourse.assessment import lessons as lessons_module

    spec = dataclasses.replace(load_lesson("python-foundations").spec, requires=("R:ggplot2", "R:noSuchPkgHere"))
    monkeypatch.setattr(lessons_module, "_missing_r_packages", lambda names: {"noSuchPkgHere"} & set(names))
    assert missing_requirements(spec) == (
        "R:noSuchPkgHere (install: apt-get install r-cran-nosuchpkghere (or in R: install.packages('noSuchPkgHere')))",
    )


def test_r_packages_are_asked_of_rscript_and_all_missing_without_r(monkeypatch):
    """Rscript names the package it cannot load, not the one it can (stats); without Rscript every package is missing."""
    import shutil

    from rolecourse.assessment import lessons as lessons_module

    if shutil.which("Rscript") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Rscript is missing; .ci/run installs it")
    else:
        assert lessons_module._missing_r_packages(["stats", "noSuchPkgHere"]) == {"noSuchPkgHere"}
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert lessons_module._missing_r_packages(["stats", "dplyr"]) == {"stats", "dplyr"}


def test_missing_requirements_name_what_to_install():
    """A requirement found neither on PATH nor as a module is reported with its install command."""
    import dataclasses

    spec = dataclasses.replace(load_lesson("python-foundations").spec, requires=("no-such-tool-here", "pytest"))
    assert missing_requirements(spec) == ("no-such-tool-here (install: pip install no-such-tool-here)",)
