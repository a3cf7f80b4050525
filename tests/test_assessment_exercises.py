"""Tests for rolecourse.assessment.exercises: loading exercise metadata, the learner-facing steps, and the shipped exercises.

The shipped exercises are tested as data: every reference solution, run in order in one
namespace with the exercise's data, passes its check; every typical mistake listed in the
metadata is built into a wrong answer and must be told apart with its own message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from checking_support import run_cell, wrong_answer
from rolecourse.assessment.checking import StepOutcome
from rolecourse.errors import ContentError, UnknownNameError, UsageError
from rolecourse.assessment.exercises import Exercise, list_exercises, load_exercise, read_exercise

os.environ.setdefault("MPLBACKEND", "Agg")

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
GOOD = FIXTURES / "good"
INVALID = FIXTURES / "invalid"
SHIPPED = list_exercises()
ROLES = ("data-analyst", "data-engineer", "ml-engineer", "dl-engineer", "data-scientist", "ai-engineer", "deep-learning-engineer")


class FakeRecorder:
    """Records calls the way rolecourse.progress.store.ProgressStore.record_exercise receives them."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str]]] = []

    def record_exercise(self, learner: str, *, exercise: str, step: str, outcome: str, message: str) -> None:
        self.calls.append((learner, {"exercise": exercise, "step": step, "outcome": outcome, "message": message}))


# -- the shipped exercises ------------------------------------------------------------------------


def test_every_role_has_an_exercise_of_four_steps_or_more():
    """Each of the seven roles has at least one exercise, each with at least four steps."""
    by_role = {e.role: e for e in SHIPPED}
    assert set(ROLES) <= set(by_role)
    assert all(len(e.steps) >= 4 for e in SHIPPED)


def test_shipped_exercises_name_real_roles_and_skills():
    """Exercise roles exist in the curriculum and every skill practised is one of that role's skills."""
    from rolecourse.content.curriculum import load_curriculum

    cur = load_curriculum()
    for e in SHIPPED:
        role = cur.role(e.role)
        assert set(e.skills) <= set(role.skill_ids), (e.id, sorted(set(e.skills) - set(role.skill_ids)))


def test_shipped_data_files_are_small():
    """Data files are shipped, not generated, and stay small (at most 100 KB each)."""
    for e in SHIPPED:
        for name in e.data:
            assert 0 < (e.folder / name).stat().st_size <= 100_000, (e.id, name)


def run_solutions(ex: Exercise) -> list[tuple[str, StepOutcome, str]]:
    """Run the setup and every step's solution in one namespace, as notebook cells; check each step's answer."""
    import linecache

    import matplotlib.pyplot as plt

    ns: dict[str, Any] = {"ex": ex}
    results = []
    try:
        run_cell(ex.spec.setup, f"{ex.id}:setup", ns)
        for step in ex.steps:
            run_cell(step.spec.solution, f"{ex.id}:{step.id}", ns)
            r = step.check(ns[step.spec.answer])
            results.append((step.id, r.outcome, r.message))
    finally:
        plt.close("all")
        for key in [k for k in linecache.cache if k.startswith(f"<cell {ex.id}:")]:
            del linecache.cache[key]
    return results


@pytest.mark.parametrize("spec", SHIPPED, ids=[e.id for e in SHIPPED])
def test_reference_solutions_pass(spec):
    """Every step's solution, run in order with the exercise's data, is checked CORRECT."""
    results = run_solutions(load_exercise(spec.id))
    assert [(sid, o) for sid, o, _ in results] == [(s.id, StepOutcome.CORRECT) for s in spec.steps], results


MISTAKES = [
    pytest.param(e.id, s.id, i, id=f"{e.id}:{s.id}:{i}")
    for e in SHIPPED
    for s in e.steps
    for i in range(len(s.mistakes))
]


@pytest.mark.parametrize(("ex_id", "step_id", "index"), MISTAKES)
def test_typical_mistakes_get_their_own_message(ex_id, step_id, index):
    """Each listed typical mistake, made on purpose, is INCORRECT with that mistake's message."""
    try:
        step = load_exercise(ex_id).step(step_id)
        m = step.spec.mistakes[index]
        result = step.check(wrong_answer(step.spec, m))
        assert (result.outcome, result.message) == (StepOutcome.INCORRECT, m.message)
    finally:
        import matplotlib.pyplot as plt

        plt.close("all")


@pytest.mark.parametrize("spec", SHIPPED, ids=[e.id for e in SHIPPED])
def test_every_step_lists_two_mistakes_and_a_hint(spec):
    """Every step names at least two typical mistakes, one hint and a solution."""
    for s in spec.steps:
        assert len(s.mistakes) >= 2 and s.hints and s.solution.strip()


@pytest.mark.parametrize("spec", SHIPPED, ids=[e.id for e in SHIPPED])
def test_notebook_outputs_are_the_unattempted_checks(spec):
    """Only the check cells have output: one per step, in order, showing that step's "Not attempted"."""
    nb = json.loads(spec.notebook.read_text(encoding="utf-8"))
    shown = [(c["source"], c["outputs"]) for c in nb["cells"] if c["cell_type"] == "code" and c["outputs"]]
    assert ["".join(src) for src, _ in shown] == [f'ex.step("{s.id}").check({s.answer})' for s in spec.steps]
    for s, (_, outputs) in zip(spec.steps, shown):
        assert len(outputs) == 1 and "".join(outputs[0]["data"]["text/markdown"]).startswith(f"⬜ **Not attempted** ({s.id}): ")


def test_list_exercises_ignores_other_folders():
    """Only NN-named folders with an exercise.yaml are exercises (quiz banks live beside them)."""
    assert [e.id for e in SHIPPED] == sorted(e.id for e in SHIPPED)
    assert all(e.id[:2].isdigit() for e in SHIPPED)


# -- the learner-facing API, on a small fixture --------------------------------------------------


@pytest.fixture
def tiny() -> Exercise:
    """The fixture exercise 01-tiny-demo (two steps, one CSV and one JSON file)."""
    return load_exercise("01-tiny-demo", root=GOOD)


def test_load_unknown_exercise_suggests_close_names():
    """An unknown exercise id is a UsageError that names the closest shipped one."""
    with pytest.raises(UnknownNameError, match="did you mean '01-tiny-demo'"):
        load_exercise("01-tiny-dmeo", root=GOOD)


def test_step_lookup_and_unknown_step(tiny):
    """Steps are found by id, the same object each time; an unknown id suggests a close one."""
    assert tiny.step("mean-score") is tiny.steps[0]
    with pytest.raises(UnknownNameError, match="did you mean 'mean-score'"):
        tiny.step("mean-scor")


def test_hints_are_revealed_one_at_a_time(tiny):
    """hint() gives the next hint, stays on the last one; hint(n) gives a given one."""
    s = tiny.step("mean-score")
    assert [s.hint().number, s.hint().number, s.hint().number] == [1, 2, 2]
    assert s.hint(1).text == "Add the scores up."
    assert str(s.hint(2)) == "Hint 2/2: Divide by how many there are."
    assert s.hint(1)._repr_markdown_() == "**Hint 1/2:** Add the scores up."


@pytest.mark.parametrize("n", [0, 3, -1, True, "1"])
def test_hint_number_out_of_range_is_a_usage_error(tiny, n):
    """Asking for a hint that does not exist is a UsageError naming the valid range."""
    with pytest.raises(UsageError, match="has hints 1 to 2"):
        tiny.step("mean-score").hint(n)


def test_solution_renders_as_code(tiny):
    """solution() returns the reference code, shown as a Python block in Markdown."""
    sol = tiny.step("mean-score").solution()
    assert sol.code == 'mean_score = ex.load("scores.csv")["score"].mean()'
    assert sol._repr_markdown_().startswith("**Solution:**\n\n```python\n")


def test_data_path_and_load(tiny):
    """Data files are found beside the metadata; CSV loads as a DataFrame, JSON as data; unknown names are refused."""
    assert tiny.data_path("scores.csv") == GOOD / "01-tiny-demo" / "scores.csv"
    assert list(tiny.load("scores.csv")["score"]) == [3, 5, 7]
    assert tiny.load("names.json") == ["ada", "alan", "grace"]
    with pytest.raises(UnknownNameError, match="did you mean 'scores.csv'"):
        tiny.data_path("score.csv")


def test_check_records_to_the_exercise_store(tiny):
    """With record_to and learner, every check is recorded with the exercise, step and outcome."""
    rec = FakeRecorder()
    ex = load_exercise("01-tiny-demo", root=GOOD, record_to=rec, learner="ada")
    ex.step("mean-score").check(...)
    ex.step("mean-score").check(4)
    ex.step("mean-score").check(5.0)
    assert [(who, c["step"], c["outcome"]) for who, c in rec.calls] == [
        ("ada", "mean-score", "not-attempted"),
        ("ada", "mean-score", "incorrect"),
        ("ada", "mean-score", "correct"),
    ]
    assert all(c["exercise"] == "01-tiny-demo" for _, c in rec.calls)


def test_check_records_to_a_given_store(tiny):
    """A store and learner passed to check() are used; without a learner it is a UsageError."""
    rec = FakeRecorder()
    result = tiny.step("names").check(["grace", "ada", "alan"], store=rec, learner="bob")
    assert result.outcome is StepOutcome.CORRECT
    assert rec.calls[0][0] == "bob" and rec.calls[0][1]["outcome"] == "correct"
    with pytest.raises(UsageError, match="name the learner"):
        tiny.step("names").check(["ada"], store=rec)


def test_check_without_store_records_nothing(tiny):
    """Without a store, check only returns the result."""
    assert tiny.step("names").check(None).outcome is StepOutcome.NOT_ATTEMPTED


def test_exercise_renders_its_steps(tiny):
    """The exercise's Markdown lists its steps; a step's Markdown shows its prompt."""
    assert "1. Mean score (`mean-score`)" in tiny._repr_markdown_()
    assert tiny.step("names")._repr_markdown_().startswith("### Names in the file")


# -- bad metadata: one fixture per problem, asserting the exact message -------------------------

BAD = {
    "01-unknown-check-kind": "01-unknown-check-kind/exercise.yaml:17:19: steps[0].check.kind: expected one of 'equals', 'close', 'range', 'set', 'sequence', 'mapping', 'table', 'array', 'chart', 'callable', found 'clsoe' (a string) (did you mean 'close'?)",
    "01-mistake-kind-mismatch": "01-mistake-kind-mismatch/exercise.yaml:37:15: steps[1].mistakes[0].kind: expected a mistake kind that applies to a 'set' check (extra-items, missing-items, value, wrong-type), found 'transposed'",
    "01-mistake-is-correct": '01-mistake-is-correct/exercise.yaml:20:16: steps[0].mistakes[0].value: expected a wrong answer, found a value the check accepts as correct',
    "01-missing-data": "01-missing-data/exercise.yaml:9:5: data[0]: expected a data file beside exercise.yaml, found no file 'sales.csv'",
    "01-bad-table": "01-bad-table/exercise.yaml:19:7: steps[0].expected: expected a mapping {columns: [names], rows: [[values]]} with rows of equal length for a 'table' check, found a mapping",
    "01-duplicate-step": "01-duplicate-step/exercise.yaml:29:9: steps[1].id: expected each step id once, found 'mean' again",
    "01-unlisted-skill": "01-unlisted-skill/exercise.yaml:15:14: steps[0].skills[0]: expected the id of a known skill of this exercise (listed in the top-level skills), found 'statistcs'; did you mean 'statistics'?",
    "01-too-new": '01-too-new/exercise.yaml:1:17: schema_version: expected exercise schema_version 1 or older, found 2: this file needs a newer rolecourse',
    "01-one-mistake": '01-one-mistake/exercise.yaml:20:7: steps[0].mistakes: expected a list of at least 2 items, found 1',
    "01-unknown-step-field": "01-unknown-step-field/exercise.yaml:27:5: steps[0].hint: expected a known field, found unknown field 'hint'; did you mean 'hints'?",
    "01-wrong-id": "01-wrong-id/exercise.yaml:2:5: id: expected the folder's name '01-wrong-id', found '01-right-id'",
    "01-no-loops-not-boolean": "01-no-loops-not-boolean/exercise.yaml:16:17: steps[0].check.no_loops: expected true or false, found 1 (an integer)",
    "01-pure-not-boolean": "01-pure-not-boolean/exercise.yaml:16:13: steps[0].check.pure: expected true or false, found 'yes' (a string)",
    "01-pure-on-a-value-check": "01-pure-on-a-value-check/exercise.yaml:14:32: steps[0].check.pure: expected 'pure' only on a 'callable' check, found it on a 'close' check",
    "01-mistake-without-value": "01-mistake-without-value/exercise.yaml:20:9: steps[0].mistakes[0].factor: expected 'factor' (a 'off-by-factor' mistake needs it), found none",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_metadata_is_reported_at_its_line(name):
    """Each invalid fixture raises one ContentError whose lines include the exact located problem."""
    with pytest.raises(ContentError) as info:
        read_exercise(INVALID / name / "exercise.yaml")
    assert BAD[name] in [str(p) for p in info.value.problems]


def test_every_invalid_fixture_is_tested():
    """No invalid fixture folder is left without an expected message."""
    assert sorted(p.name for p in INVALID.iterdir() if p.is_dir()) == sorted(BAD)


def test_unreadable_yaml_is_a_content_error(tmp_path):
    """Broken YAML in exercise.yaml is a located ContentError, not a traceback."""
    folder = tmp_path / "01-broken"
    folder.mkdir()
    (folder / "exercise.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"01-broken/exercise.yaml:\d+:\d+: \(root\): invalid YAML"):
        read_exercise(folder / "exercise.yaml")


def test_widget_view_renders_the_result_html(tiny):
    """The optional widget view shows the same HTML as the notebook, with no logic of its own."""
    from rolecourse.ui.widgets.exercise import hint_view, result_view, solution_view

    result = tiny.step("mean-score").check(15)
    assert result_view(result).value == result._repr_html_()
    assert "That is the sum" in result_view(result).value
    assert "Hint 1/2:" in hint_view(tiny.step("mean-score").hint(1)).value
    assert "&quot;scores.csv&quot;" in solution_view(tiny.step("mean-score").solution()).value


def test_p_value_as_a_percentage_is_not_called_the_z_statistic():
    """05 p-value: a p-value given in percent (2.3186) is told it is a percentage; the z statistic (2.27) is still recognised."""
    step = load_exercise("05-data-scientist-ab-test").step("p-value")
    assert step.check(2.3186).message.startswith("That is a percentage")
    assert step.check(2.2719).message.startswith("That looks like the z statistic")


def test_clean_order_that_changes_its_row_is_told_to_build_a_new_dict():
    """02 clean-order: a transform that writes the cleaned values into the given row fails, naming the row and a key."""
    step = load_exercise("02-data-engineer-etl").step("clean-order")

    def clean_in_place(row):
        try:
            amount = float(row["amount"].strip().lstrip("$"))
        except ValueError:
            return None
        if amount <= 0:
            return None
        row.update(order_id=int(row["order_id"]), customer_id=int(row["customer_id"]), order_date=row["order_date"].strip())
        row.update(amount=amount, channel=row["channel"].strip().lower())
        return row

    result = step.check(clean_in_place)
    assert result.outcome is StepOutcome.INCORRECT
    assert result.message.startswith("your function changed its argument row (it set 'order_id' to 1002); build and return a new dict")


def test_conv_vectorised_refuses_the_loop_version_and_accepts_the_reference():
    """07 conv-vectorised: the loop version, run as a cell, fails naming its first loop's line; the reference solution has no loop."""
    import linecache

    ex = load_exercise("07-deep-learning-engineer-convolution")
    step = ex.step("conv-vectorised")
    ns: dict[str, Any] = {"ex": ex}
    loops = ex.step("conv-loops").spec.solution.replace("conv2d_loops", "conv2d_fast")
    try:
        run_cell(ex.spec.setup, "07:setup", ns)
        run_cell(loops, "07:loops", ns)
        result = step.check(ns["conv2d_fast"])
        assert result.outcome is StepOutcome.INCORRECT
        assert result.message.startswith("line 5 of your function has a for loop: `for i in range(out.shape[0]):`; this step asks for no Python loop")
        run_cell(step.spec.solution, "07:reference", ns)
        assert step.check(ns["conv2d_fast"]).correct
    finally:
        for key in [k for k in linecache.cache if k.startswith("<cell 07:")]:
            del linecache.cache[key]


def test_exercise_01_names_the_integer_division_slip():
    """SQLite's SUM(amount_cents) / 100 divides integers (17753); the check says so, not only 'too low'."""
    import sqlite3

    from rolecourse.assessment.exercises import load_exercise as load

    ex = load("01-data-analyst-sql")
    with sqlite3.connect(Path(__file__).parents[1] / "exercises" / "01-data-analyst-sql" / "shop.sqlite") as db:
        (slip,) = db.execute("SELECT SUM(amount_cents) / 100 FROM orders WHERE status = 'paid' AND order_date LIKE '2024%'").fetchone()
    result = ex.step("revenue-2024").check(slip)
    assert slip == 17753 and not result.correct and "Integer division" in result.message and "100.0" in result.message
