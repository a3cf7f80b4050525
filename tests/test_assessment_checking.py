"""Tests for rolecourse.assessment.checking: the pure check of one answer against a declarative step."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from rolecourse.assessment.checking import check, CheckResult, StepOutcome, StepSpec
from rolecourse.assessment.checks import Case, Check, CheckKind, Mistake, MistakeKind


def step(kind: CheckKind, expected, *mistakes: Mistake, **opts) -> StepSpec:
    """A one-off step with the given check and mistakes."""
    compare = opts.pop("compare", None)
    return StepSpec(
        id="s",
        title="The step",
        prompt="Do it.",
        skills=("python",),
        check=Check(kind, compare=compare, **opts),
        expected=expected,
        mistakes=mistakes,
        hints=("a hint",),
        solution="answer = 1",
    )


M = Mistake


# -- outcomes shared by every kind ------------------------------------------------------------


@pytest.mark.parametrize("value", [None, ...])
def test_none_and_ellipsis_are_not_attempted(value):
    """None and ... mean the learner has not answered yet."""
    r = check(step(CheckKind.EQUALS, 3), value)
    assert r.outcome is StepOutcome.NOT_ATTEMPTED and str(r) == "Not attempted: set `answer` to your answer and run this cell again" and r.step == "s"


def test_first_matching_mistake_wins():
    """Mistakes are tried in order; the first that matches gives its message."""
    s = step(CheckKind.CLOSE, 0.25, M(MistakeKind.OFF_BY_FACTOR, "percent", factor=100), M(MistakeKind.VALUE, "literal", value=25))
    r = check(s, 25)
    assert (r.outcome, r.message, r.mistake) == (StepOutcome.INCORRECT, "percent", MistakeKind.OFF_BY_FACTOR)


def test_unrecognised_wrong_answer_gets_a_generic_message():
    """A wrong answer matching no mistake is INCORRECT with a message saying which way it is off."""
    r = check(step(CheckKind.CLOSE, 0.25, M(MistakeKind.VALUE, "x", value=3)), 0.3)
    assert r.outcome is StepOutcome.INCORRECT and "too high" in r.message


# -- one kind at a time ---------------------------------------------------------------------------


def test_equals_numbers_and_strings():
    """equals: numbers compare by value across int/float and NumPy; strings may ignore case."""
    import numpy as np

    assert check(step(CheckKind.EQUALS, 12), np.int64(12)).correct
    assert check(step(CheckKind.EQUALS, 12), 12.0).correct
    assert check(step(CheckKind.EQUALS, "ship-b", ignore_case=True), " Ship-B ").correct
    assert not check(step(CheckKind.EQUALS, "ship-b"), "Ship-B").correct


def test_equals_off_by_one_and_wrong_type():
    """equals: off-by-one and wrong-type mistakes are recognised."""
    s = step(CheckKind.EQUALS, 10, M(MistakeKind.OFF_BY_ONE, "fence post"), M(MistakeKind.WRONG_TYPE, "a number please"))
    assert check(s, 11).message == "fence post"
    assert check(s, 9).message == "fence post"
    assert check(s, "10").message == "a number please"


def test_close_uses_tolerances():
    """close: within rtol/atol is correct, outside is not; a string is not a number."""
    s = step(CheckKind.CLOSE, 1.0, rtol=0.0, atol=0.01)
    assert check(s, 1.009).correct
    assert not check(s, 1.02).correct
    assert "expected a number" in check(s, "1.0").message


def test_range_and_between():
    """range: inside [min, max] is correct; a between-mistake catches a chance-level value."""
    s = step(CheckKind.RANGE, {"min": 0.9, "max": 1.0}, M(MistakeKind.BETWEEN, "chance", low=0.4, high=0.6))
    assert check(s, 0.95).correct
    assert check(s, 0.5).message == "chance"
    assert "outside the expected range" in check(s, 0.7).message


def test_set_ignores_order_and_names_missing_and_extra():
    """set: any order is right; missing-items and extra-items are told apart."""
    s = step(CheckKind.SET, ["a", "b", "c"], M(MistakeKind.MISSING_ITEMS, "missing"), M(MistakeKind.EXTRA_ITEMS, "extra"))
    assert check(s, {"c", "a", "b"}).correct
    assert check(s, ["a", "b"]).message == "missing"
    assert check(s, ("a", "b", "c", "d")).message == "extra"
    assert check(s, ["a", "d"]).message == "2 expected items are missing and 1 item should not be there"


def test_sequence_unsorted_and_wrong_shape():
    """sequence: order matters; right items in another order and a wrong length are recognised."""
    s = step(CheckKind.SEQUENCE, [3, 2, 1], M(MistakeKind.UNSORTED, "order"), M(MistakeKind.WRONG_SHAPE, "length"))
    assert check(s, [3, 2, 1]).correct
    assert check(s, [1, 2, 3]).message == "order"
    assert check(s, [3, 2]).message == "length"
    assert check(s, "321").outcome is StepOutcome.INCORRECT


def test_mapping_keys_and_values():
    """mapping: same keys and close values; missing keys are recognised; values are compared per key."""
    s = step(CheckKind.MAPPING, {"A": 0.1, "B": 0.2}, M(MistakeKind.MISSING_ITEMS, "keys"), M(MistakeKind.OFF_BY_FACTOR, "pct", factor=100))
    assert check(s, {"B": 0.2, "A": 0.1}).correct
    assert check(s, {"A": 0.1}).message == "keys"
    assert check(s, {"A": 10, "B": 20}).message == "pct"
    assert "for 'B'" in check(s, {"A": 0.1, "B": 0.3}).message


def test_table_accepts_dataframes_cursors_and_rows():
    """table: a DataFrame, a DB-API cursor and a list of tuples are all read as rows."""
    import pandas as pd

    expected = {"columns": ["region", "revenue"], "rows": [["N", 2.5], ["S", 1.0]]}
    s = step(CheckKind.TABLE, expected)
    assert check(s, pd.DataFrame({"region": ["N", "S"], "revenue": [2.5, 1.0]})).correct
    assert check(s, pd.Series([2.5, 1.0], index=pd.Index(["N", "S"], name="region"), name="revenue")).correct
    con = sqlite3.connect(":memory:")
    assert check(s, con.execute("SELECT 'N' AS region, 2.5 AS revenue UNION ALL SELECT 'S', 1.0")).correct
    assert check(s, [("N", 2.5), ("S", 1.0)]).correct
    assert "expected the columns region, revenue" in check(s, pd.DataFrame({"r": ["N", "S"], "v": [2.5, 1.0]})).message


def test_table_mistakes():
    """table: unsorted rows, a missing row and cents instead of dollars are recognised."""
    expected = {"rows": [["N", 2.5], ["S", 1.0]]}
    s = step(
        CheckKind.TABLE,
        expected,
        M(MistakeKind.UNSORTED, "order"),
        M(MistakeKind.WRONG_SHAPE, "shape"),
        M(MistakeKind.OFF_BY_FACTOR, "cents", factor=100),
    )
    assert check(s, [["S", 1.0], ["N", 2.5]]).message == "order"
    assert check(s, [["N", 2.5]]).message == "shape"
    assert check(s, [["N", 250], ["S", 100]]).message == "cents"
    assert check(step(CheckKind.TABLE, expected, ordered=False), [["S", 1.0], ["N", 2.5]]).correct


def test_array_shape_values_and_transpose():
    """array: shape and values within tolerance; a transposed answer is recognised."""
    import numpy as np

    s = step(CheckKind.ARRAY, [[1, 2, 3], [4, 5, 6]], M(MistakeKind.TRANSPOSED, "transposed"), M(MistakeKind.WRONG_SHAPE, "shape"), atol=1e-6)
    assert check(s, np.array([[1, 2, 3], [4, 5, 6.0000001]])).correct
    assert check(s, np.array([[1, 4], [2, 5], [3, 6]])).message == "transposed"
    assert check(s, [1, 2, 3]).message == "shape"
    assert check(s, [[1, 2, 3], [4, 5, 7]]).message == "1 of 6 values are not close enough to the expected ones"


def test_chart_needs_values_title_and_labels():
    """chart: the bars must show the values, in order, with a title and both axis labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = step(CheckKind.CHART, [1.0, 3.0], M(MistakeKind.MISSING_TITLE, "title"), M(MistakeKind.UNSORTED, "order"))
    try:
        _, ax = plt.subplots()
        ax.bar(["a", "b"], [1.0, 3.0])
        assert check(s, ax).message == "title"
        ax.set_title("T")
        assert check(s, ax).message == "label both axes with `ax.set_xlabel(...)` and `ax.set_ylabel(...)`"
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        assert check(s, ax).correct
        _, ax2 = plt.subplots()
        ax2.bar(["b", "a"], [3.0, 1.0])
        assert check(s, ax2).message == "order"
        assert "matplotlib Axes" in check(s, "chart").message
    finally:
        plt.close("all")


# -- callables ---------------------------------------------------------------------------------------


CASES = (Case((2, 3), 5), Case((-1, 1), 0), Case((0, 0), 0))


def test_callable_correct_and_wrong_value():
    """callable: the function is called on each case; a listed wrong output list gives its message."""
    s = step(CheckKind.CALLABLE, CASES, M(MistakeKind.VALUE, "product", value=[6, -1, 0]), M(MistakeKind.OFF_BY_FACTOR, "double", factor=2))
    assert check(s, lambda a, b: a + b).correct
    assert check(s, lambda a, b: a * b).message == "product"
    assert check(s, lambda a, b: 2 * (a + b)).message == "double"
    generic = check(s, lambda a, b: a - b)
    assert generic.message.startswith("test 1 of 3 fails: called with (2, 3),")


def test_callable_exceptions_none_and_non_functions():
    """callable: an exception is reported (not raised), all-None output is not attempted, a value is not a function."""
    s = step(CheckKind.CALLABLE, CASES)
    r = check(s, lambda a, b: a / 0)
    assert r.outcome is StepOutcome.INCORRECT and "raised ZeroDivisionError" in r.message
    assert check(s, lambda a, b: None).outcome is StepOutcome.NOT_ATTEMPTED
    assert "expected a function" in check(s, 5).message


def test_callable_array_inputs_are_copied():
    """callable with inputs: array passes NumPy arrays, fresh for every call (mutation does not leak)."""
    cases = (Case(([1.0, -2.0],), [1.0, 0.0]), Case(([1.0, -2.0],), [1.0, 0.0]))
    s = step(CheckKind.CALLABLE, cases, compare=Check(CheckKind.ARRAY), inputs="array")

    def relu_in_place(x):
        x[x < 0] = 0
        return x

    assert check(s, relu_in_place).correct
    assert cases[0].args == ([1.0, -2.0],)


def _set_amount(row):
    """Clean a row in place, the way a learner might."""
    row["amount"] = float(row["amount"])
    return row


ROW_CASES = (Case(({"id": "1", "amount": "15.82"},), {"id": "1", "amount": 15.82}),)


def test_pure_callable_that_changes_its_dict_argument_fails_naming_it():
    """callable with pure: a function that changes its dict argument is told which argument and key it changed."""
    r = check(step(CheckKind.CALLABLE, ROW_CASES, pure=True), _set_amount)
    assert r.outcome is StepOutcome.INCORRECT
    assert r.message == "your function changed its argument row (it set 'amount' to 15.82); build and return a new dict instead, e.g. with dict(row) or {**row}"


def test_pure_callable_that_builds_a_new_value_passes_and_default_is_permissive():
    """callable with pure: a function returning a new dict passes; without pure, changing the argument is allowed."""
    assert check(step(CheckKind.CALLABLE, ROW_CASES, pure=True), lambda row: {**row, "amount": float(row["amount"])}).correct
    assert check(step(CheckKind.CALLABLE, ROW_CASES), _set_amount).correct


def test_pure_callable_names_the_changed_list_item_array_cell_and_keyword():
    """callable with pure: a changed list says which item or length, an array which cell, a keyword argument its name."""
    lists = step(CheckKind.CALLABLE, (Case(([3, 1, 2],), [1, 2, 3]),), compare=Check(CheckKind.SEQUENCE), pure=True)

    def sort_in_place(xs):
        xs.sort()
        return xs

    def append_then_sort(xs):
        xs.append(0)
        return sorted(xs[:-1])

    assert check(lists, sort_in_place).message.startswith("your function changed its argument xs (it set item [0] to 1); build and return a new list")
    assert "(its length went from 3 to 4)" in check(lists, append_then_sort).message
    assert check(lists, sorted).correct

    arrays = step(
        CheckKind.CALLABLE, (Case(([[1.0, -2.0], [-3.0, 4.0]],), [[1.0, 0.0], [0.0, 4.0]]),), compare=Check(CheckKind.ARRAY), inputs="array", pure=True
    )

    def relu_in_place(x):
        x[x < 0] = 0
        return x

    r = check(arrays, relu_in_place)
    assert r.message == "your function changed its argument x (it set [0, 1] to 0.0 and 1 more); work on a copy instead, e.g. x.copy(), or use NumPy expressions that return a new array"
    assert check(arrays, lambda x: x * (x > 0)).correct

    keywords = step(CheckKind.CALLABLE, (Case((), 2, (("xs", [2, 1]),)),), pure=True)

    def pop_smallest(*, xs):
        return xs.pop(0)

    assert check(keywords, pop_smallest).message.startswith("your function changed its argument xs (its length went from 2 to 1)")


def test_pure_callable_that_raises_reports_the_error_first():
    """callable with pure: an exception is reported as before, not as a change of the argument."""
    def broken(row):
        row["amount"] = None
        raise KeyError("price")

    assert "raised KeyError" in check(step(CheckKind.CALLABLE, ROW_CASES, pure=True), broken).message


CONV_CASES = (Case(([[1, 2, 0], [0, 1, 3], [2, 1, 0]], [[1, 0], [2, -1]]), [[0.0, 1.0], [3.0, 3.0]]),)


def conv_step():
    """A conv2d step that asks for no Python loop."""
    return step(CheckKind.CALLABLE, CONV_CASES, compare=Check(CheckKind.ARRAY), inputs="array", no_loops=True)


def conv_einsum(image, kernel):
    """The vectorised reference."""
    from numpy.lib.stride_tricks import sliding_window_view
    import numpy as np

    return np.einsum("ijkl,kl->ij", sliding_window_view(image, kernel.shape), kernel)


def conv_loops(image, kernel):
    """The loop version."""
    import numpy as np
    out = np.zeros((image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[1] + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kernel.shape[0], j:j + kernel.shape[1]] * kernel)
    return out


def test_no_loops_callable_with_a_for_loop_fails_naming_its_line():
    """callable with no_loops: a function with a for loop fails, naming the loop's line in the function."""
    r = check(conv_step(), conv_loops)
    assert r.outcome is StepOutcome.INCORRECT
    assert r.message == (
        "line 5 of your function has a for loop: `for i in range(out.shape[0]):`; this step asks for no Python loop: "
        "use NumPy operations on whole arrays (slicing, broadcasting, sliding_window_view, einsum) instead"
    )
    assert check(step(CheckKind.CALLABLE, CONV_CASES, compare=Check(CheckKind.ARRAY), inputs="array"), conv_loops).correct


def test_no_loops_counts_comprehensions_and_while_loops_and_passes_the_vectorised_version():
    """callable with no_loops: comprehensions (in a def or a lambda) and while loops count; the einsum version passes."""
    import numpy as np

    def conv_comprehension(image, kernel):
        kh, kw = kernel.shape
        return np.array([[np.sum(image[i:i + kh, j:j + kw] * kernel) for j in range(image.shape[1] - kw + 1)] for i in range(image.shape[0] - kh + 1)])

    def conv_while(image, kernel):
        rows = []
        while len(rows) < image.shape[0] - kernel.shape[0] + 1:
            rows.append(conv_einsum(image[len(rows):len(rows) + kernel.shape[0]], kernel)[0])
        return np.array(rows)

    conv_lambda = lambda image, kernel: np.array([conv_einsum(image, kernel)[i] for i in range(2)])  # noqa: E731

    assert check(conv_step(), conv_comprehension).message.startswith("line 3 of your function has a list comprehension: `return np.array([[np.sum(")
    assert check(conv_step(), conv_while).message.startswith("line 3 of your function has a while loop: `while len(rows) <")
    assert check(conv_step(), conv_lambda).message.startswith("line 1 of your function has a list comprehension: `conv_lambda = lambda")
    assert check(conv_step(), conv_einsum).correct


def test_no_loops_reads_notebook_cells_and_skips_unavailable_source():
    """callable with no_loops: source registered in linecache (as IPython does) is read; code with no source is not failed."""
    import linecache

    code = "import numpy as np\n\ndef conv(image, kernel):\n    rows = [conv_einsum(image, kernel)[i] for i in range(2)]\n    return np.array(rows)\n"
    cell, ns = "<ipython-input-rolecourse-test>", {"conv_einsum": conv_einsum}
    linecache.cache[cell] = (len(code), None, code.splitlines(True), cell)
    try:
        exec(compile(code, cell, "exec"), ns)
        assert check(conv_step(), ns["conv"]).message.startswith("line 2 of your function has a list comprehension: `rows = [conv_einsum(")
    finally:
        del linecache.cache[cell]
    hidden: dict = {"conv_einsum": conv_einsum}
    exec(compile(code, "<no source>", "exec"), hidden)
    assert check(conv_step(), hidden["conv"]).correct


# -- results render ------------------------------------------------------------------------------------


def test_results_render_as_text_markdown_and_html():
    """A result's str is plain text; Markdown and HTML show the outcome; HTML escapes the message."""
    r = CheckResult(StepOutcome.INCORRECT, "use <b>SUM</b>", "s1")
    assert str(r) == "Incorrect: use <b>SUM</b>"
    assert r._repr_markdown_() == "❌ **Incorrect** (s1): use <b>SUM</b>"
    assert "use &lt;b&gt;SUM&lt;/b&gt;" in r._repr_html_() and "rolecourse-incorrect" in r._repr_html_()


def test_import_is_light():
    """Importing rolecourse.assessment.checking and rolecourse.assessment.exercises imports no NumPy, pandas, matplotlib or ipywidgets."""
    code = (
        "import sys, rolecourse.assessment.checking, rolecourse.assessment.exercises;"
        "print(sorted(m for m in ('numpy','pandas','matplotlib','ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- learners' unusual values ----------------------------------------------------------------------


def test_set_with_unhashable_items_is_incorrect_not_a_crash():
    """set: a list holding dicts or lists is compared (and found wrong), never a TypeError."""
    s = step(CheckKind.SET, ["a", "b"], M(MistakeKind.EXTRA_ITEMS, "extra"))
    r = check(s, [["a"], {"b": 1}])
    assert r.outcome is StepOutcome.INCORRECT and "2 expected items are missing" in r.message
    assert check(s, ["a", "b", {"c": 1}]).message == "extra"


def test_mapping_with_tuple_keys_is_incorrect_not_a_crash():
    """mapping: tuple keys (as a groupby on a list of columns gives) are reported as unexpected keys."""
    s = step(CheckKind.MAPPING, {"A": 0.1, "B": 0.2}, M(MistakeKind.MISSING_ITEMS, "keys"))
    r = check(s, {("A",): 0.1, ("B",): 0.2})
    assert r.outcome is StepOutcome.INCORRECT and "unexpected keys" in r.message


def test_array_with_complex_or_text_values_is_not_a_right_answer():
    """array: complex values with an imaginary part, or numbers as text, are not accepted as the expected reals."""
    import warnings

    import numpy as np

    s = step(CheckKind.ARRAY, [[1.0, 2.0], [3.0, 4.0]], M(MistakeKind.WRONG_TYPE, "numbers please"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning reaches the learner either
        assert check(s, np.array([[1, 2], [3, 4]]) + 1j).message == "numbers please"
        assert check(s, np.array([[1, 2], [3, 4]]) + 0j).correct
    assert check(s, [["1", "2"], ["3", "4"]]).message == "numbers please"
    assert "expected an array of real numbers" in check(step(CheckKind.ARRAY, [1.0]), ["1"]).message


def test_rows_of_one_value_are_not_called_unsorted():
    """sequence/set: fetchall()-style rows of one value get their own message, not the 'wrong order' mistake."""
    s = step(CheckKind.SEQUENCE, ["x", "y", "z"], M(MistakeKind.UNSORTED, "order"), M(MistakeKind.WRONG_SHAPE, "length"))
    r = check(s, [("x",), ("y",), ("z",)])
    assert r.outcome is StepOutcome.INCORRECT and r.mistake is None
    assert "row of one value, like ('x',)" in r.message and "[x for (x,) in rows]" in r.message
    assert check(s, ["z", "y", "x"]).message == "order"
    assert "row of one value" in check(step(CheckKind.SET, ["x", "y"]), [("y",), ("x",)]).message


def test_cursor_for_a_list_answer_is_read_as_rows():
    """sequence: a one-column cursor is read as its rows, and the learner is told to take the values out."""
    con = sqlite3.connect(":memory:")
    cur = con.execute("SELECT 'x' AS name UNION ALL SELECT 'y'")
    r = check(step(CheckKind.SEQUENCE, ["x", "y"]), cur)
    assert r.outcome is StepOutcome.INCORRECT and "row of one value, like ('x',)" in r.message


def test_set_for_an_ordered_list_is_never_called_unsorted():
    """sequence: a set (which has no order) gets the 'expected an ordered list' message, whatever its iteration order."""
    s = step(CheckKind.SEQUENCE, ["x", "y", "z"], M(MistakeKind.UNSORTED, "order"))
    for answer in ({"x", "y", "z"}, frozenset({"z", "y", "x"})):
        r = check(s, answer)
        assert r.mistake is None and r.message.startswith("expected an ordered list")


def test_mapping_accepts_a_pandas_series_by_its_index():
    """mapping: a Series (as groupby(...).mean() gives) is read as index -> value; a DataFrame is told to pick a column."""
    import pandas as pd

    s = step(CheckKind.MAPPING, {"A": 0.1, "B": 0.2}, M(MistakeKind.OFF_BY_FACTOR, "pct", factor=100), M(MistakeKind.MISSING_ITEMS, "keys"))
    rates = pd.DataFrame({"group": ["A", "A", "B"], "x": [0.0, 0.2, 0.2]}).groupby("group")["x"].mean()
    assert check(s, rates).correct
    assert check(s, rates * 100).message == "pct"
    assert check(s, rates[["A"]]).message == "keys"
    r = check(s, rates.to_frame())
    assert r.outcome is StepOutcome.INCORRECT and "found a DataFrame" in r.message and "df[column].to_dict()" in r.message


@pytest.mark.parametrize(("kind", "expected"), [(CheckKind.EQUALS, 3), (CheckKind.CLOSE, 0.5), (CheckKind.RANGE, {"min": 0.9, "max": 1.0})])
def test_nan_is_called_not_a_number_not_too_low(kind, expected):
    """equals/close/range: a NaN answer is said to be 'not a number', never 'too low' or outside the range."""
    import numpy as np

    for nan in (float("nan"), np.float64("nan")):
        r = check(step(kind, expected), nan)
        assert r.outcome is StepOutcome.INCORRECT and r.message.startswith("found nan (not a number)"), r.message


def test_messages_stay_short_for_huge_answers_and_errors():
    """Messages quote a learner's value, call or exception in at most a few hundred characters, on one line."""
    import numpy as np

    assert len(check(step(CheckKind.EQUALS, "ship-b"), "x" * 100_000).message) < 200
    assert len(check(step(CheckKind.EQUALS, 3), 10**3000).message) < 200
    assert "..." in check(step(CheckKind.CLOSE, 0.5), np.zeros((500, 500))).message
    big_args = (Case((list(range(1000)), list(range(1000)), "x" * 1000), 1),)
    r = check(step(CheckKind.CALLABLE, big_args), lambda a, b, c: 2)
    assert r.message.startswith("test 1 of 1 fails") and len(r.message) < 400

    def fails(a, b, c):
        raise ValueError("bad\n" + "y" * 10_000)

    r = check(step(CheckKind.CALLABLE, big_args), fails)
    assert r.message.startswith("your function raised ValueError: bad yyy") and len(r.message) < 500 and "\n" not in r.message


def test_messages_show_no_memory_addresses_and_sorted_sets():
    """A generator or function is quoted without its memory address, a set with its items sorted (same text every run)."""
    def gen():
        yield 1

    r = check(step(CheckKind.CLOSE, 0.5), gen())
    assert "<generator object" in r.message and "0x" not in r.message
    assert "0x" not in check(step(CheckKind.CALLABLE, CASES), lambda a, b: gen()).message
    assert "{'a', 'b', 'c'}" in check(step(CheckKind.CLOSE, 0.5), {"c", "a", "b"}).message


def test_a_number_inside_a_container_is_told_how_to_take_it_out():
    """close/equals/mapping: one number in a tuple, array, Series, DataFrame or cursor is named as such, with how to take it out."""
    import numpy as np
    import pandas as pd

    s = step(CheckKind.CLOSE, 17753.06, atol=0.005)
    con = sqlite3.connect(":memory:")
    cases = {
        "a tuple holding one number (17753.06)": (17753.06,),
        "a NumPy array of shape (1,) holding one number (17753.06)": np.array([17753.06]),
        "a pandas Series holding one number (17753.06)": pd.Series([17753.06]),
        "a pandas DataFrame holding one number (17753.06)": pd.DataFrame({"r": [17753.06]}),
        "a database cursor holding one number (17753.06)": con.execute("SELECT 17753.06"),
    }
    for text, answer in cases.items():
        r = check(s, answer)
        assert r.outcome is StepOutcome.INCORRECT and r.message.startswith(f"expected a single number, found {text}"), r.message
    assert check(s, con.execute("SELECT 17753.06")).message.endswith("`.fetchone()[0]`")
    assert check(step(CheckKind.EQUALS, 66), np.array([66])).message.endswith("`.item()`")
    r = check(step(CheckKind.MAPPING, {"n": 2}), {"n": (2,)})
    assert r.message == "the value for 'n' is a tuple holding one number (2), not the number itself: take it out with `[0]`"


def test_found_types_are_named_as_the_learner_gave_them():
    """A wrong type is named as given (a tuple, a pandas DataFrame), not as the plain value it was converted to."""
    import pandas as pd

    assert check(step(CheckKind.CLOSE, 0.5), (0.1, 0.2)).message.endswith("(a tuple)")
    assert check(step(CheckKind.SEQUENCE, ["a"]), pd.DataFrame({"n": ["a"]})).message.endswith("(a pandas DataFrame)")


def test_callable_returning_none_for_some_calls_is_told_so():
    """callable: a function that returns None for one test (a path without return) is told so, not matched to a shape mistake."""
    cases = (Case(([1.0, 2.0],), [1.0, 2.0]), Case(([3.0],), [3.0]))
    s = step(CheckKind.CALLABLE, cases, M(MistakeKind.WRONG_SHAPE, "shape"), compare=Check(CheckKind.ARRAY), inputs="array")
    r = check(s, lambda x: x if len(x) > 1 else None)
    assert r.mistake is None and r.message.startswith("test 2 of 2 fails: called with ([3.0]), your function returned None")
    assert check(s, lambda x: [x, x]).message == "shape"


def test_table_with_the_expected_columns_in_another_order_is_correct():
    """table: a DataFrame or cursor with the expected column names in another order is the same table; unsorted rows are still recognised."""
    import pandas as pd

    expected = {"columns": ["region", "revenue"], "rows": [["N", 2.5], ["S", 1.0]]}
    s = step(CheckKind.TABLE, expected, M(MistakeKind.UNSORTED, "order"))
    frame = pd.DataFrame({"region": ["N", "S"], "revenue": [2.5, 1.0]})
    assert check(s, frame[["revenue", "region"]]).correct
    assert check(s, sqlite3.connect(":memory:").execute("SELECT 2.5 AS Revenue, 'N' AS region UNION ALL SELECT 1.0, 'S'")).correct
    assert check(s, frame[["revenue", "region"]].iloc[::-1]).message == "order"
    assert "expected the columns region, revenue" in check(s, frame.rename(columns={"region": "name"})[["revenue", "name"]]).message


def test_dict_views_count_as_collections_and_generators_are_explained():
    """set/sequence: dict.keys() and range are read as their items; a generator is told to become a list (and is not consumed)."""
    s = step(CheckKind.SET, ["a", "b"])
    assert check(s, {"a": 1, "b": 2}.keys()).correct
    assert check(step(CheckKind.SEQUENCE, [0, 1, 2]), range(3)).correct
    gen = (x for x in ["a", "b"])
    r = check(step(CheckKind.SEQUENCE, ["a", "b"]), gen)
    assert r.message.startswith("expected an ordered list, found a generator, which can be read only once") and next(gen) == "a"


def test_off_by_factor_tolerance_scales_with_the_factor():
    """off-by-factor: a percentage rounded as the fraction's tolerance allows (88.33 for 0.8833 ± 0.001) is recognised."""
    s = step(CheckKind.CLOSE, 0.8833333, M(MistakeKind.OFF_BY_FACTOR, "percent", factor=100), rtol=0.0, atol=0.001)
    assert check(s, 0.8833).correct
    assert check(s, 88.33).message == "percent"
    assert check(s, 85.0).mistake is None


def test_wrong_values_say_what_kind_of_slip_they_are():
    """Messages point at spaces, case, text-for-a-number, booleans, NaN, and the key of a dict output that differs."""
    import pandas as pd

    seq = step(CheckKind.SEQUENCE, ["Ada Lovelace", "Alan Turing"])
    assert check(seq, ["Ada Lovelace ", "Alan Turing"]).message.endswith("has spaces around it, remove them with `.strip()`")
    assert check(seq, ["ada lovelace", "Alan Turing"]).message.endswith("differs only in upper/lower case")
    table = step(CheckKind.TABLE, {"columns": ["country", "orders"], "rows": [["DE", 19]]})
    assert "'19' is text, a number is expected" in check(table, pd.DataFrame({"country": ["DE"], "orders": ["19"]})).message
    assert check(step(CheckKind.MAPPING, {"n": 3}), {"n": float("nan")}).message.endswith("nan is a missing value (NaN)")
    assert check(step(CheckKind.SEQUENCE, [0, 1]), [False, True]).message.endswith("False is a boolean, a number is expected")
    out = step(CheckKind.CALLABLE, (Case(("1",), {"id": 1, "amount": 2.5}),))
    r = check(out, lambda s: {"id": s, "amount": 2.5})
    assert r.message.endswith("the value for 'id' ('1') is not the expected one: '1' is text, a number is expected (convert it with `int(...)` or `float(...)`)")


def test_horizontal_bars_are_told_to_be_vertical():
    """chart: bars drawn with ax.barh show the values as widths; the learner is told to use ax.bar."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    try:
        _, ax = plt.subplots()
        ax.barh(["a", "b"], [1.0, 3.0])
        assert check(step(CheckKind.CHART, [1.0, 3.0]), ax).message == "the bars are horizontal (`ax.barh`): draw vertical bars with `ax.bar(...)`"
    finally:
        plt.close("all")


def test_not_attempted_says_what_to_do_once_and_html_shows_code():
    """'Not attempted' is said once (not 'Not attempted: not attempted yet'), and a name in backticks is shown as
    code in HTML, escaped, never as literal backticks; Markdown keeps the backticks it renders itself."""
    from rolecourse.assessment.checking import CheckResult, StepOutcome, code_html

    r = CheckResult(StepOutcome.NOT_ATTEMPTED, "set `n_large` to your answer and run this cell again", "count-large")
    assert str(r) == "Not attempted: set `n_large` to your answer and run this cell again"
    assert "<code>n_large</code>" in r._repr_html_() and "`" not in r._repr_html_()
    assert r._repr_markdown_().endswith("): set `n_large` to your answer and run this cell again")
    assert code_html("use `a < b` not `a <= b`, then `x`") == "use <code>a &lt; b</code> not <code>a &lt;= b</code>, then <code>x</code>"
    assert code_html("a lone ` stays") == "a lone ` stays"
