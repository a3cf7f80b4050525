"""Structure of the course notebooks: names, titles, ignore tags, no answer keys, exercise links, clean outputs, built from their template.

These checks read the committed notebooks only; running them is nbval's job
(``pytest --nbval notebooks/ --nbval-sanitize-with nbval_sanitize.cfg``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402  (a maintainer script, imported to build in memory)

NOTEBOOKS = ROOT / "notebooks"
COURSE = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "00-start-here",
    "01-data-analyst",
    "02-data-engineer",
    "03-ml-engineer",
    "04-dl-engineer",
    "05-data-scientist",
    "06-ai-engineer",
    "07-deep-learning-engineer",
    "08-compare-roles",
    "09-my-learning-path",
    "10-for-instructors",
]
ROLE_NOTEBOOKS = [p for p in COURSE if 1 <= int(p.name[:2]) <= 7]
ROLE_BUILDS = list(build_notebooks.role_notebooks(ROOT))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip"}
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
TIMESTAMP = re.compile(r"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d|\b\d\d:\d\d:\d\d\b")
TEMP_PATH = re.compile(r"(/tmp/|/var/folders/|\\AppData\\Local\\Temp)")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def output_text(output: dict) -> str:
    """Every text an output shows, except widget views and images."""
    if output["output_type"] == "stream":
        text = output["text"]
        return text if isinstance(text, str) else "".join(text)
    if output["output_type"] == "error":
        return "\n".join(output.get("traceback", []))
    parts = []
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") or mime == "application/json":
            parts.append(value if isinstance(value, str) else "".join(value) if isinstance(value, list) else json.dumps(value))
    return "\n".join(parts)


def checked_outputs(nb: dict):
    """(cell, text) for every output nbval compares."""
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or tags(cell) & IGNORE_TAGS:
            continue
        for out in cell.get("outputs", []):
            yield cell, output_text(out)


def test_the_course_notebooks_are_all_there():
    """notebooks/ holds exactly the numbered notebooks of the course, in reading order."""
    assert [p.stem for p in COURSE] == EXPECTED


@pytest.mark.parametrize("path", COURSE, ids=ids(COURSE))
def test_name_is_numbered_and_descriptive(path):
    """Names are two digits, a dash and lower-case words joined by dashes."""
    assert re.fullmatch(r"\d\d-[a-z]+(-[a-z]+)*\.ipynb", path.name)


@pytest.mark.parametrize("path", COURSE, ids=ids(COURSE))
def test_first_cell_installs_the_package_in_jupyterlite_only(path):
    """The first cell installs rolecourse with piplite under Pyodide and is a no-op elsewhere."""
    first = load(path)["cells"][0]
    assert first["cell_type"] == "code"
    text = source(first)
    assert 'if sys.platform == "emscripten"' in text
    assert "piplite.install" in text and "rolecourse" in text
    assert first.get("outputs") == []


@pytest.mark.parametrize("path", COURSE, ids=ids(COURSE))
def test_starts_with_a_title_and_what_you_will_learn(path):
    """After the set-up cell comes a Markdown title (# …) and a "you will learn" paragraph."""
    second = load(path)["cells"][1]
    assert second["cell_type"] == "markdown"
    text = source(second)
    assert text.startswith("# ")
    assert "you will learn" in text.lower()


@pytest.mark.parametrize("path", COURSE, ids=ids(COURSE))
def test_has_narrative_between_calls(path):
    """At least as many Markdown cells as code cells after the set-up cell, and a Next section (except the last)."""
    cells = load(path)["cells"][1:]
    md = [c for c in cells if c["cell_type"] == "markdown"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert len(md) >= len(code)
    if path.stem != EXPECTED[-1]:
        assert any("## Next" in source(c) for c in md)


@pytest.mark.parametrize("path", COURSE, ids=ids(COURSE))
def test_every_cell_was_executed_in_order_without_errors(path):
    """Outputs are committed: every code cell ran, in order from 1, none raised, every cell that prints or plots shows it."""
    code = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for c in code:
        assert all(o["output_type"] != "error" for o in c["outputs"])
    for c in code:
        if "print(" in source(c) or "plt.show()" in source(c):
            assert c["outputs"], source(c)[:80]


@pytest.mark.parametrize("path", COURSE, ids=ids(COURSE))
def test_widget_cells_are_tagged_ignore_output(path):
    """Every cell that shows a widget carries the nbval-ignore-output tag (widget model ids are random)."""
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "code":
            continue
        if any(WIDGET_MIME in o.get("data", {}) for o in cell["outputs"]):
            assert "nbval-ignore-output" in tags(cell), source(cell)[:80]


@pytest.mark.parametrize("path", COURSE, ids=ids(COURSE))
def test_checked_outputs_hold_no_address_timestamp_or_temp_path(path):
    """Compared outputs carry no memory address, clock time or temporary path."""
    for cell, text in checked_outputs(load(path)):
        for pattern in (ADDRESS, TIMESTAMP, TEMP_PATH):
            assert not pattern.search(text), f"{pattern.pattern!r} in output of: {source(cell)[:80]}"


@pytest.mark.parametrize("path", COURSE, ids=ids(COURSE))
def test_no_execution_timing_metadata(path):
    """No execution timestamps are saved in cell metadata."""
    for cell in load(path)["cells"]:
        assert "execution" not in cell.get("metadata", {})


@pytest.mark.parametrize("path", COURSE, ids=ids(COURSE))
def test_relative_links_resolve(path):
    """Every relative Markdown link points to a file that exists in the repository."""
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in LINK.findall(source(cell)):
            if "://" in target or target.startswith("#"):
                continue
            assert (path.parent / target.split("#")[0]).resolve().exists(), target


@pytest.mark.parametrize("path", ROLE_NOTEBOOKS, ids=ids(ROLE_NOTEBOOKS))
def test_role_notebook_holds_no_answer_key(path):
    """A role notebook shows no answer of its quiz (the written keys are proven in tests/test_role_quiz_keys.py)."""
    from test_role_quiz_keys import ANSWER_KEYS

    text = path.read_text(encoding="utf-8")
    assert "ANSWER_KEY" not in text and "grade_answers" not in text
    for question_id in ANSWER_KEYS[path.stem[3:]]:
        assert question_id not in text, question_id


@pytest.mark.parametrize("built", ROLE_BUILDS, ids=[b.path.stem for b in ROLE_BUILDS])
def test_role_notebook_is_built_from_the_template(built):
    """The committed role notebook's cells are exactly what tools/build_notebooks.py builds from notebooks/templates/."""
    assert build_notebooks.differences(built) == []


def test_every_role_notebook_is_built_from_the_template():
    """The template builds exactly the seven role notebooks, 01 to 07."""
    assert [b.path for b in ROLE_BUILDS] == ROLE_NOTEBOOKS


@pytest.mark.parametrize("path", ROLE_NOTEBOOKS, ids=ids(ROLE_NOTEBOOKS))
def test_role_notebook_shows_the_quiz_widget(path):
    """A role notebook shows its role's Quiz widget in a tagged cell."""
    cells = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    quiz = [c for c in cells if "Quiz(quiz" in source(c)]
    assert quiz and all("nbval-ignore-output" in tags(c) for c in quiz)


@pytest.mark.parametrize("path", ROLE_NOTEBOOKS, ids=ids(ROLE_NOTEBOOKS))
def test_role_notebook_links_its_exercise(path):
    """A role notebook links every exercise notebook of its own role (most have one), each once, with a relative link."""
    role = path.stem[3:]
    links = [t for c in load(path)["cells"] if c["cell_type"] == "markdown" for t in LINK.findall(source(c))]
    exercise = [t for t in links if t.startswith("../exercises/") and t.endswith(".ipynb")]
    own = sorted(p.name for p in (ROOT / "exercises").glob(f"[0-9][0-9]-{role}-*") if (p / "exercise.yaml").is_file())
    assert [t.split("/")[2] for t in exercise] == own and own
    for link in exercise:
        assert re.fullmatch(rf"\d\d-{re.escape(role)}-[a-z0-9-]+", link.split("/")[2])
        assert (path.parent / link).resolve().is_file()


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_widget_state_is_saved_only_in_the_voila_app(path):
    """Only the Voila app (served without a kernel) carries saved widget state; the others keep outputs only."""
    saved = "widgets" in load(path).get("metadata", {})
    assert saved == path.name.startswith("app-")


def _role_sources(tmp_path: Path) -> Path:
    """A copy of what the role notebooks are built from, and the notebooks, under tmp_path."""
    import shutil

    shutil.copy2(ROOT / "roles.yaml", tmp_path / "roles.yaml")
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    (tmp_path / "notebooks").mkdir()
    shutil.copytree(NOTEBOOKS / "templates", tmp_path / "notebooks" / "templates")
    for path in ROLE_NOTEBOOKS:
        shutil.copy2(path, tmp_path / "notebooks" / path.name)
    for built in build_notebooks.role_notebooks(tmp_path):  # in step with the copied sources, whatever the checkout holds
        build_notebooks.write(built)
    return tmp_path


def test_an_edited_role_text_is_a_difference(tmp_path):
    """A lead paragraph changed in notebooks/templates/roles.yaml makes that notebook's title cell differ, and only it."""
    root = _role_sources(tmp_path)
    text = root / "notebooks" / "templates" / "roles.yaml"
    text.write_text(text.read_text(encoding="utf-8").replace("Data Analysts are the people", "Data Analysts are the ones"), encoding="utf-8")
    found = {b.path.stem: build_notebooks.differences(b) for b in build_notebooks.role_notebooks(root)}
    assert found.pop("01-data-analyst") == [build_notebooks.Difference("title", "differs")]
    assert all(d == [] for d in found.values())


def test_an_edited_template_is_a_difference_in_every_role_notebook(tmp_path):
    """A code cell changed in the template makes every role notebook differ there; writing rebuilds them to match."""
    root = _role_sources(tmp_path)
    template = root / "notebooks" / "templates" / "role.md"
    template.write_text(template.read_text(encoding="utf-8").replace("Quiz(quiz, lessons=lesson_links())\n", "Quiz(quiz, lessons=lesson_links())  # try it\n"), encoding="utf-8")
    built = list(build_notebooks.role_notebooks(root))
    assert all(build_notebooks.differences(b) == [build_notebooks.Difference("quiz:widget", "differs")] for b in built)
    assert all(build_notebooks.write(b) for b in built)  # a code cell changed: outputs must be refreshed
    assert all(build_notebooks.differences(b) == [] for b in built)


def test_role_text_must_list_every_role(tmp_path):
    """A role missing from notebooks/templates/roles.yaml is an error naming it."""
    root = _role_sources(tmp_path)
    text = root / "notebooks" / "templates" / "roles.yaml"
    head, _, rest = text.read_text(encoding="utf-8").partition("  - id: data-engineer\n")
    text.write_text(head + rest[rest.index("  - id: ml-engineer") :], encoding="utf-8")
    with pytest.raises(build_notebooks.TemplateError, match="missing: data-engineer"):
        list(build_notebooks.role_notebooks(root))


def test_template_text_outside_a_cell_is_an_error():
    """Text before the first cell marker is reported, not silently dropped."""
    with pytest.raises(build_notebooks.TemplateError, match="before the first"):
        build_notebooks.template_cells("stray\n<!-- cell title markdown -->\n# Title\n", "role.md")


def test_start_here_reaches_a_lesson_in_one_click():
    """Notebook 00 links the first lesson in its text and lists every lesson with a link, each to an existing notebook."""
    nb = load(NOTEBOOKS / "00-start-here.ipynb")
    text = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    outputs = "\n".join(output_text(o) for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []))
    targets = [t for t in LINK.findall(text + "\n" + outputs) if t.startswith("../lessons/")]
    assert "../lessons/python-foundations/python-foundations.ipynb" in LINK.findall(text)
    lessons = sorted((ROOT / "lessons").glob("*/lesson.yaml"))
    assert len(set(targets)) >= len(lessons)
    for target in targets:
        assert (NOTEBOOKS / target).resolve().is_file(), target
