"""Tests for rolecourse.ui.rlang: real R run from Python (run_r, r_function) and the %%R cell magic.

They start the real ``Rscript``. Without R they are skipped, except under ``CI=true``, where a
missing R is a failure: the course's CI must exercise the R lesson.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from rolecourse.ui import rlang
from rolecourse.errors import RolecourseError, UsageError
from rolecourse.ui.rlang import INSTALL_HINT, RError, RNotFoundError, load_ipython_extension, r_function, require_r, run_r

HAVE_R = shutil.which("Rscript") is not None
ON_CI = os.environ.get("CI") == "true"
needs_r = pytest.mark.skipif(not HAVE_R and not ON_CI, reason="Rscript is not installed (apt-get install r-base-core r-cran-jsonlite); required when CI=true")


# -- without R -------------------------------------------------------------------------------


def test_missing_rscript_is_one_line_naming_the_install(monkeypatch):
    """With no Rscript on the PATH, run_r raises RNotFoundError: one line with apt-get and conda commands."""
    monkeypatch.setattr(rlang.shutil, "which", lambda name: None)
    with pytest.raises(RNotFoundError) as err:
        run_r("1 + 1")
    text = str(err.value)
    assert "\n" not in text and text == INSTALL_HINT
    assert "apt-get install r-base-core r-cran-jsonlite" in text and "conda install -c conda-forge r-base r-jsonlite" in text
    assert isinstance(err.value, RolecourseError)


def test_bad_variable_names_are_usage_errors():
    """Output and input names must be plain R names; anything else is a UsageError before R starts."""
    with pytest.raises(UsageError):
        run_r("x <- 1", outputs=["x; system('ls')"])
    with pytest.raises(UsageError):
        run_r("x <- 1", inputs={"1x": 2})


def test_ci_has_r():
    """Under CI=true, R must be installed (the R lesson is tested there)."""
    if not ON_CI:
        pytest.skip("only checked when CI=true")
    assert require_r()


# -- values between R and Python ---------------------------------------------------------------


@needs_r
def test_vectors_scalars_and_na_come_back_as_python_values(capsys):
    """Vectors become lists, length-1 vectors scalars (doubles as floats), NA None; R's printed output is shown and kept."""
    result = run_r("x <- c(3, NA, 5)\nm <- mean(x, na.rm = TRUE)\nn <- length(x)\nx[1]\nwords <- c('a', NA)", outputs=["x", "m", "n", "words"])
    assert result.values == {"x": [3.0, None, 5.0], "m": 4.0, "n": 3, "words": ["a", None]}
    assert isinstance(result["m"], float) and isinstance(result["n"], int)
    assert result.stdout == "[1] 3\n"
    assert capsys.readouterr().out == "[1] 3\n"


@needs_r
def test_data_frames_named_vectors_and_lists():
    """A data.frame becomes a DataFrame (one row too), tapply's named result and named lists become dicts."""
    pd = pytest.importorskip("pandas")
    code = (
        "df <- data.frame(region = c('n', 's', 'n'), amount = c(1, 2, 4))\n"
        "one <- df[1, ]\n"
        "totals <- tapply(df$amount, df$region, sum)\n"
        "agg <- aggregate(amount ~ region, data = df, FUN = sum)\n"
        "info <- list(rows = nrow(df), cols = names(df))"
    )
    v = run_r(code, outputs=["df", "one", "totals", "agg", "info"], echo=False).values
    pd.testing.assert_frame_equal(v["df"], pd.DataFrame({"region": ["n", "s", "n"], "amount": [1.0, 2.0, 4.0]}), check_dtype=False)
    assert v["one"].to_dict("records") == [{"region": "n", "amount": 1.0}]
    assert v["totals"] == {"n": 5.0, "s": 2.0}
    assert v["agg"].to_dict("records") == [{"region": "n", "amount": 5.0}, {"region": "s", "amount": 2.0}]
    assert v["info"] == {"rows": 3, "cols": ["region", "amount"]}


@needs_r
def test_python_values_go_into_r():
    """inputs: numbers, strings, lists (None as NA), dicts and DataFrames arrive as R values."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"amount": [1.5, None, 2.0], "region": ["a", "b", "a"]})
    code = "s <- sum(d$amount, na.rm = TRUE); k <- sum(is.na(xs)); g <- paste(w, cfg$name); r <- nrow(d) * n"
    v = run_r(code, inputs={"d": frame, "xs": [1, None, None], "w": "hi", "cfg": {"name": "x"}, "n": 2}, outputs=["s", "k", "g", "r"], echo=False)
    assert v.values == {"s": 3.5, "k": 2, "g": "hi x", "r": 6}
    assert run_r("k <- sum(is.na(xs))", inputs={"xs": [1.0, float("nan")]}, outputs=["k"]).values == {"k": 1}  # NaN -> NA


def test_inputs_that_are_not_json_are_usage_errors():
    """An input JSON cannot carry (an object, a set) is a UsageError naming it, before R starts."""
    with pytest.raises(UsageError, match="input 'thing' cannot go to R"):
        run_r("1", inputs={"thing": object()})


@needs_r
def test_r_function_calls_r_from_python():
    """r_function wraps an R function as a Python callable; each call runs R on JSON arguments."""
    cv = r_function("cv <- function(x) sd(x) / mean(x)", "cv")
    assert cv.__name__ == "cv"
    assert cv([2, 4, 6]) == pytest.approx(0.5)


@needs_r
def test_r_function_refuses_a_bare_na_result():
    """An R function returning NA raises RError naming na.rm (None would look like 'no answer'); NULL gives None."""
    with pytest.raises(RError, match=r"^Error: m\(\) returned NA.*na\.rm = TRUE"):
        r_function("m <- function(x) mean(x)", "m")([1, None])
    assert r_function("nothing <- function() {}", "nothing")() is None


# -- errors ----------------------------------------------------------------------------------


@needs_r
def test_r_errors_carry_r_message_only():
    """An R error is an RError whose message is R's text (with the failing call), no traceback noise."""
    with pytest.raises(RError) as err:
        run_r("x <- 1\ny + x", echo=False)
    assert str(err.value) == "Error: object 'y' not found"
    with pytest.raises(RError, match=r"^Error in f\(\): bad input$"):
        run_r("f <- function() stop('bad input')\nf()", echo=False)
    assert err.value._render_traceback_() == ["RError: Error: object 'y' not found"]


@needs_r
def test_syntax_error_and_missing_output_are_reported():
    """A parse error says so with R's location; an output that R never defined is named."""
    with pytest.raises(RError, match="R syntax error: .*unexpected"):
        run_r("x <- c(1,", echo=False)
    with pytest.raises(RError, match="no R variable named 'b'"):
        run_r("a <- 1", outputs=["b"], echo=False)


@needs_r
def test_timeout_names_the_limit():
    """Code that runs too long is stopped, and the message gives the limit."""
    with pytest.raises(RError, match=r"within the time limit of 0\.5 s"):
        run_r("Sys.sleep(5)", timeout=0.5)


@needs_r
def test_warnings_go_to_stderr_and_do_not_fail(capsys):
    """A warning is shown on stderr with R's text; the run still succeeds."""
    assert run_r("z <- as.numeric('a')", outputs=["z"]).values == {"z": None}
    assert "Warning: NAs introduced by coercion" in capsys.readouterr().err


# -- the %%R magic -----------------------------------------------------------------------------


class FakeShell:
    """Just what the extension uses of an IPython shell: user_ns and register_magic_function."""

    def __init__(self) -> None:
        self.user_ns: dict[str, Any] = {}
        self.magics: dict[tuple[str, str], Any] = {}

    def register_magic_function(self, func: Any, magic_kind: str, magic_name: str) -> None:
        self.magics[(magic_kind, magic_name)] = func


@needs_r
def test_cell_magic_passes_values_in_and_out(capsys):
    """%%R -i a,b -o c runs the cell as R with Python's a and b, and sets c in the user namespace."""
    ip = FakeShell()
    load_ipython_extension(ip)
    cell = ip.magics[("cell", "R")]
    ip.user_ns.update(a=[1, 2, 3], b=10)
    cell("-i a,b -o c,d", "c <- sum(a) * b\nd <- rev(a)\nprint(c)")
    assert ip.user_ns["c"] == 60.0 and ip.user_ns["d"] == [3, 2, 1]
    assert capsys.readouterr().out == "[1] 60\n"


def test_cell_magic_usage_errors():
    """A bad option or an unknown Python input is a UsageError naming the problem."""
    ip = FakeShell()
    load_ipython_extension(ip)
    cell = ip.magics[("cell", "R")]
    with pytest.raises(UsageError, match="usage: %%R"):
        cell("-x y", "1")
    with pytest.raises(UsageError, match="no Python variable named nope"):
        cell("-i nope", "1")
    with pytest.raises(UsageError, match="expected a number of seconds"):
        cell("-t soon", "1")
