"""Tests for tools/build_exercise_notebooks.py: exercise notebooks are built from their exercise.yaml.

The committed notebooks must be exactly what the builder makes of the metadata; edits of the
metadata are found by ``--check`` and carried into the notebook by the default mode, which
keeps every unchanged cell (id, outputs, execution count) as it was.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from rolecourse.assessment.exercises import list_exercises

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).parent / "fixtures" / "exercises" / "good" / "01-tiny-demo"
SHIPPED = list_exercises()


def _load_tool():
    spec = importlib.util.spec_from_file_location("build_exercise_notebooks", ROOT / "tools" / "build_exercise_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def _copy(name: str, tmp_path: Path) -> Path:
    """Copy shipped exercise ``name`` (metadata, data, notebook) into tmp_path; return its folder."""
    shutil.copytree(ROOT / "exercises" / name, tmp_path / name)
    return tmp_path / name


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _cells(path: Path) -> list[dict]:
    return [dict(c) for c in nbformat.read(path, as_version=4).cells]


# -- the committed notebooks ----------------------------------------------------------------------


@pytest.mark.parametrize("spec", SHIPPED, ids=[e.id for e in SHIPPED])
def test_committed_notebook_is_built_from_its_metadata(spec):
    """Every cell's type and source in the committed notebook is what the builder makes of exercise.yaml."""
    nb = nbformat.read(spec.notebook, as_version=4)
    assert [(c.cell_type, c.source) for c in nb.cells] == [(c.cell_type, c.source) for c in tool.notebook_cells(spec)]


@pytest.mark.parametrize("spec", SHIPPED, ids=[e.id for e in SHIPPED])
def test_rebuilding_a_committed_notebook_changes_no_byte(spec):
    """Rebuilt over itself, a committed notebook serialises to exactly its file, with nothing to execute."""
    plan = tool.rebuild(spec, nbformat.read(spec.notebook, as_version=4))
    assert plan.differences == () and not plan.needs_execution
    assert nbformat.writes(plan.notebook) + "\n" == spec.notebook.read_text(encoding="utf-8")


@pytest.mark.parametrize("spec", SHIPPED, ids=[e.id for e in SHIPPED])
def test_a_fresh_build_gives_the_committed_cell_ids(spec):
    """Built with no notebook to start from, cells get the committed ids (NN-KK by position)."""
    fresh = tool.rebuild(spec, None)
    assert [c.id for c in fresh.notebook.cells] == [c.id for c in nbformat.read(spec.notebook, as_version=4).cells]
    assert fresh.needs_execution


@pytest.mark.parametrize("spec", SHIPPED, ids=[e.id for e in SHIPPED])
def test_first_cell_is_the_jupyterlite_install_cell(spec):
    """An exercise notebook opens with the install cell of every course notebook (else JupyterLite lacks rolecourse)."""
    first = nbformat.read(spec.notebook, as_version=4).cells[0]
    assert (first.cell_type, first.source) == ("code", tool.INSTALL_CELL)
    assert first.outputs == []


def test_notebook_without_the_install_cell_gets_it_keeping_other_cells(tmp_path, capsys):
    """A notebook built before the install cell existed is reported, then gets it first; the other cells keep ids and outputs."""
    folder = _copy("01-data-analyst-sql", tmp_path)
    notebook = folder / "01-data-analyst-sql.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    install = nb.cells.pop(0)
    nbformat.write(nb, notebook)
    before = _cells(notebook)
    assert tool.main(["--check", "--root", str(tmp_path)]) == 1
    assert "(JupyterLite install): missing" in capsys.readouterr().out
    assert tool.main(["--root", str(tmp_path)]) == 0
    after = _cells(notebook)
    assert after[0]["source"] == install.source and after[1:] == before


def test_check_passes_on_the_repository(capsys):
    """--check on the shipped exercises exits 0: no notebook differs from its exercise.yaml."""
    assert tool.main(["--check"]) == 0
    assert capsys.readouterr().out == f"all {len(SHIPPED)} exercise notebooks match their exercise.yaml\n"


# -- edits of the metadata ------------------------------------------------------------------------


def test_changed_prompt_is_reported_by_check(tmp_path, capsys):
    """A reworded prompt makes --check exit 1 naming the notebook, the cell and the fix; nothing is written."""
    folder = _copy("01-data-analyst-sql", tmp_path)
    notebook = folder / "01-data-analyst-sql.ipynb"
    before = notebook.read_bytes()
    _edit(folder / "exercise.yaml", "What was the shop's total revenue in 2024", "How much did the shop earn in 2024")
    assert tool.main(["--check", "--root", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{notebook}: cell 01-03 (step 1 (revenue-2024): title and prompt): differs",
        f"1 of 1 exercise notebooks differ from their exercise.yaml; fix: .venv/bin/python tools/build_exercise_notebooks.py --root {tmp_path}",
    ]
    assert notebook.read_bytes() == before


def test_changed_prompt_is_fixed_keeping_other_cells(tmp_path, capsys):
    """The default mode rewrites only the prompt cell; ids, outputs and execution counts of the rest are kept."""
    folder = _copy("01-data-analyst-sql", tmp_path)
    notebook = folder / "01-data-analyst-sql.ipynb"
    before = _cells(notebook)
    _edit(folder / "exercise.yaml", "What was the shop's total revenue in 2024", "How much did the shop earn in 2024")
    assert tool.main(["--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"wrote {notebook} (1 cell changed)\n"
    after = _cells(notebook)
    assert [c["id"] for c in after] == [c["id"] for c in before]
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [3]
    assert after[3]["source"].startswith("## Step 1: Total revenue in 2024\n\nHow much did the shop earn in 2024")
    assert any(o for c in after if c["cell_type"] == "code" for o in c["outputs"])
    assert tool.main(["--check", "--root", str(tmp_path)]) == 0


def test_changed_title_and_summary_rewrite_the_title_cell(tmp_path):
    """A new exercise title and summary land in the first cell and nowhere else."""
    folder = _copy("05-data-scientist-ab-test", tmp_path)
    notebook = folder / "05-data-scientist-ab-test.ipynb"
    before = _cells(notebook)
    _edit(folder / "exercise.yaml", "title: \"Data Scientist: explore", "title: \"Data Scientist: read")
    _edit(folder / "exercise.yaml", "You will explore the result", "You will read the result")
    assert tool.main(["--root", str(tmp_path)]) == 0
    after = _cells(notebook)
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == [1]
    assert after[1]["source"].startswith("# Data Scientist: read an A/B test")
    assert "You will read the result" in after[1]["source"]


def test_changed_starter_asks_for_reexecution(tmp_path, capsys):
    """A changed starter (code) keeps its cell id, drops its execution count and prints the execute command."""
    folder = _copy("02-data-engineer-etl", tmp_path)
    notebook = folder / "02-data-engineer-etl.ipynb"
    _edit(folder / "exercise.yaml", "return the cleaned dict, or None to reject the row", "return a cleaned dict (None rejects the row)")
    assert tool.main(["--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"tools/execute_notebooks.py {notebook}" in out
    starter = next(c for c in _cells(notebook) if c["id"] == "02-04")
    assert starter["source"].endswith("# your code here: return a cleaned dict (None rejects the row)")
    assert starter["execution_count"] is None and starter["outputs"] == []


def test_markdown_only_changes_need_no_execution(tmp_path, capsys):
    """When only markdown cells change, no re-execution is asked for."""
    folder = _copy("01-data-analyst-sql", tmp_path)
    _edit(folder / "exercise.yaml", "title: Revenue by region", "title: Revenue per region")
    assert tool.main(["--root", str(tmp_path)]) == 0
    assert "execute_notebooks" not in capsys.readouterr().out


def test_missing_notebook_is_built_and_flagged_for_execution(tmp_path, capsys):
    """An exercise without a notebook gets one with positional ids, and the execute command is printed."""
    shutil.copytree(TINY, tmp_path / "01-tiny-demo")
    notebook = tmp_path / "01-tiny-demo" / "01-tiny-demo.ipynb"
    assert tool.main(["--check", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == f"{notebook}: missing"
    assert tool.main(["--root", str(tmp_path)]) == 0
    assert "tools/execute_notebooks.py" in capsys.readouterr().out
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    assert [c.id for c in nb.cells] == [f"01-{k:02d}" for k in range(12)]
    assert nb.cells[0].source == tool.INSTALL_CELL
    assert nb.cells[2].source == 'from rolecourse import load_exercise\n\nex = load_exercise("01-tiny-demo")\nimport pandas as pd'
    assert nb.cells[4].source == "mean_score = ...  # your answer here"
    assert nb.cells[5].source == 'ex.step("mean-score").check(mean_score)'
    assert nb.cells[1].source.splitlines()[6] == "- **Time:** about 5 minutes, 2 steps"


def test_added_step_keeps_old_ids_and_gets_fresh_ones(tmp_path):
    """A step added to exercise.yaml adds four cells with new unique ids; every earlier cell keeps its id."""
    folder = tmp_path / "01-tiny-demo"
    shutil.copytree(TINY, folder)
    assert tool.main(["--root", str(tmp_path)]) == 0
    before = {c["id"]: c for c in _cells(folder / "01-tiny-demo.ipynb")}
    yaml = folder / "exercise.yaml"
    step = yaml.read_text(encoding="utf-8").split("  - id: names\n")[1]
    with yaml.open("a", encoding="utf-8") as f:
        f.write("  - id: names-again\n" + step.replace("title: Names in the file", "title: Names, again"))
    assert tool.main(["--root", str(tmp_path)]) == 0
    after = _cells(folder / "01-tiny-demo.ipynb")
    ids = [c["id"] for c in after]
    assert len(ids) == len(set(ids)) == len(before) + 4
    assert set(before) <= set(ids)
    assert after[-1]["id"] == "01-11" and after[-1]["source"].startswith("## Done?")
    assert after[-5]["source"].startswith("## Step 3: Names, again")
    assert all(after[ids.index(i)] == c for i, c in before.items() if not c["source"].startswith("# A tiny"))


def test_hand_added_cell_is_reported_and_removed(tmp_path, capsys):
    """A cell that exercise.yaml does not build is listed by --check and dropped by the default mode."""
    folder = _copy("01-data-analyst-sql", tmp_path)
    notebook = folder / "01-data-analyst-sql.ipynb"
    original = _cells(notebook)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("print('scratch')", id="scratch"))
    nbformat.write(nb, notebook)
    assert tool.main(["--check", "--root", str(tmp_path)]) == 1
    assert f"{notebook}: cell scratch (cell 4): not in exercise.yaml" in capsys.readouterr().out
    assert tool.main(["--root", str(tmp_path)]) == 0
    assert _cells(notebook) == original


def test_reordered_steps_are_reported(tmp_path, capsys):
    """Steps swapped in exercise.yaml are reported by --check (renumbered prompts and cell order)."""
    folder = tmp_path / "01-tiny-demo"
    shutil.copytree(TINY, folder)
    assert tool.main(["--root", str(tmp_path)]) == 0
    yaml = folder / "exercise.yaml"
    head, rest = yaml.read_text(encoding="utf-8").split("  - id: mean-score\n")
    first, second = rest.split("  - id: names\n")
    yaml.write_text(head + "  - id: names\n" + second + "  - id: mean-score\n" + first, encoding="utf-8")
    capsys.readouterr()
    assert tool.main(["--check", "--root", str(tmp_path)]) == 1
    assert "out of order" in capsys.readouterr().out
    assert tool.main(["--root", str(tmp_path)]) == 0
    cells = _cells(folder / "01-tiny-demo.ipynb")
    assert cells[3]["source"].startswith("## Step 1: Names in the file") and cells[3]["id"] == "01-07"


# -- bad input ------------------------------------------------------------------------------------


def test_invalid_metadata_is_reported_with_its_location(tmp_path, capsys):
    """An invalid exercise.yaml exits 1 with the located problem and writes nothing."""
    folder = _copy("01-data-analyst-sql", tmp_path)
    before = (folder / "01-data-analyst-sql.ipynb").read_bytes()
    _edit(folder / "exercise.yaml", "minutes: 35", "minutes: lots")
    assert tool.main(["--root", str(tmp_path)]) == 1
    assert (folder / "01-data-analyst-sql.ipynb").read_bytes() == before
    assert capsys.readouterr().err == "01-data-analyst-sql/exercise.yaml:12:10: minutes: expected a whole number, found 'lots' (a string)\n"


def test_unreadable_notebook_is_a_usage_error(tmp_path, capsys):
    """A notebook file that is not JSON exits 2 with its name and is left alone."""
    folder = _copy("01-data-analyst-sql", tmp_path)
    (folder / "01-data-analyst-sql.ipynb").write_text("<<<<<<< HEAD\n", encoding="utf-8")
    assert tool.main(["--root", str(tmp_path)]) == 2
    assert "01-data-analyst-sql.ipynb: not a readable notebook" in capsys.readouterr().err
    assert (folder / "01-data-analyst-sql.ipynb").read_text(encoding="utf-8") == "<<<<<<< HEAD\n"


def test_missing_root_is_a_usage_error(tmp_path, capsys):
    """A --root that is not a folder exits 2 naming it."""
    assert tool.main(["--check", "--root", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err
