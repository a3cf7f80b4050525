"""Run real R from Python and from Jupyter: :func:`run_r`, :func:`r_function` and the ``%%R`` cell magic.

Each call starts a fresh ``Rscript --vanilla`` in a temporary folder (stdin closed, with a
timeout), shows what R prints, and brings the R variables named in ``outputs`` back to Python
through ``jsonlite``: vectors become lists (length 1: a scalar), named vectors and named lists
dicts, data frames pandas DataFrames (lists of dicts without pandas), ``NA`` ``None``.
Python values go the other way as JSON read by ``jsonlite::fromJSON``. In a notebook,
``%load_ext rolecourse.ui.rlang`` registers ``%%R [-i pyvar,...] [-o rvar,...] [-t seconds]``.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RolecourseError, UsageError

__all__ = ["INSTALL_HINT", "RError", "RNotFoundError", "RResult", "load_ipython_extension", "r_function", "require_r", "run_r"]

INSTALL_HINT = (
    "R is not installed (no `Rscript` on the PATH): install it with "
    "`apt-get install r-base-core r-cran-jsonlite`, or `conda install -c conda-forge r-base r-jsonlite` on Binder/conda"
)
"""The one line shown when ``Rscript`` is missing."""

_NAME_OK = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")

# Runs the learner's code expression by expression (printing visible values as the console
# does), stops at the first error with R's own message, then writes the asked-for variables.
_DRIVER = r"""
options(warn = 1)
.rc_exprs <- tryCatch(parse(file = "code.R", keep.source = FALSE), error = function(e) {
  writeLines(paste("R syntax error:", conditionMessage(e)), "error.txt"); quit(save = "no", status = 3)
})
.rc_where <- function(kind, e) {
  call <- conditionCall(e)
  top <- is.null(call) || identical(call, quote(eval(.rc_e, globalenv())))
  paste0(kind, if (top) ": " else paste0(" in ", deparse(call, nlines = 1L), ": "), conditionMessage(e))
}
for (.rc_e in .rc_exprs) {
  .rc_v <- withCallingHandlers(tryCatch(withVisible(eval(.rc_e, globalenv())), error = function(e) {
    writeLines(.rc_where("Error", e), "error.txt"); quit(save = "no", status = 2)
  }), warning = function(w) { message(.rc_where("Warning", w)); invokeRestart("muffleWarning") })
  if (.rc_v$visible) print(.rc_v$value)
}
.rc_enc <- function(x) {
  if (is.data.frame(x)) return(list(kind = "data.frame", names = names(x),
    columns = unname(lapply(x, function(col) if (is.factor(col)) as.character(col) else col))))
  if (is.factor(x)) x <- as.character(x)
  if (is.atomic(x) && !is.null(names(x)) && is.null(dim(x))) x <- as.list(x)
  if (is.atomic(x) && length(dim(x)) == 1L) x <- as.list(setNames(as.vector(x), names(x)))
  if (is.list(x)) x <- lapply(x, .rc_enc)
  list(kind = "value", value = x)
}
.rc_write <- function(names) {
  gone <- names[!vapply(names, exists, logical(1), envir = globalenv())]
  if (length(gone)) {
    writeLines(paste0("Error: no R variable named ", paste(sQuote(gone, FALSE), collapse = ", "), " after the code ran (asked for in outputs)"), "error.txt")
    quit(save = "no", status = 2)
  }
  jsonlite::write_json(lapply(mget(names, envir = globalenv()), .rc_enc), "out.json", auto_unbox = TRUE, digits = NA,
                       always_decimal = TRUE, na = "null", null = "null", force = TRUE)
}
"""


class RError(RolecourseError, RuntimeError):
    """R stopped with an error or ran out of time; the message is R's, in one short line or two."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a Python traceback
        return [f"{type(self).__name__}: {self}"]


class RNotFoundError(RError):
    """``Rscript`` is not installed; the message says how to install it."""


@dataclass(frozen=True, slots=True)
class RResult:
    """What one R run gave: its printed output and the variables asked for."""

    stdout: str
    """Everything R printed to standard output."""
    values: dict[str, Any] = field(default_factory=dict)
    """The R variables named in ``outputs``, converted to Python."""

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def __repr__(self) -> str:
        return f"RResult(values={', '.join(self.values) or 'none'})"


def require_r() -> str:
    """The path of ``Rscript``; :class:`RNotFoundError` (one line, how to install) when it is missing."""
    path = shutil.which("Rscript")
    if path is None and sys.platform == "emscripten":
        raise RNotFoundError("R cannot run in the browser (JupyterLite): open this notebook in Jupyter on a machine or Binder with R")
    if path is None:
        raise RNotFoundError(INSTALL_HINT)
    return path


def _check_names(names: Iterable[str], what: str) -> list[str]:
    names = [n.strip() for n in names if n.strip()]
    for n in names:
        if not set(n) <= _NAME_OK or n[0].isdigit() or n[0] == "_":
            raise UsageError(f"{what} name {n!r} is not a plain R variable name (letters, digits, '.' and '_')")
    return names


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data: NaN becomes None (R's NA), NumPy and pandas values plain lists."""
    if hasattr(value, "tolist"):  # numpy arrays and scalars, pandas Series
        value = value.tolist()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _to_json(name: str, value: Any) -> str:
    if hasattr(value, "to_json") and hasattr(value, "columns"):  # a pandas DataFrame: one record per row
        return str(value.to_json(orient="records"))
    try:
        return json.dumps(_plain(value), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"input {name!r} cannot go to R as JSON ({exc}): pass numbers, strings, lists, dicts or a DataFrame") from None


def _from_json(item: Mapping[str, Any]) -> Any:
    if item.get("kind") == "data.frame":
        cols = [c if isinstance(c, list) else [c] for c in item["columns"]]
        names = item["names"] if isinstance(item["names"], list) else [item["names"]]
        try:
            import pandas as pd
        except ImportError:
            return [dict(zip(names, row)) for row in zip(*cols)]
        return pd.DataFrame(dict(zip(names, cols)), columns=names)
    value = item.get("value")
    if isinstance(value, dict):
        return {k: _from_json(v) if isinstance(v, dict) and "kind" in v else v for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v) if isinstance(v, dict) and "kind" in v else v for v in value]
    return value


def run_r(code: str, *, outputs: Iterable[str] = (), inputs: Mapping[str, Any] | None = None, timeout: float = 30.0, echo: bool = True) -> RResult:
    """Run ``code`` in a fresh ``Rscript``; print what R prints (``echo``) and return it with the ``outputs``.

    ``inputs`` maps R variable names to Python values (numbers, strings, lists, dicts,
    DataFrames) defined in R before ``code`` runs. Raises :class:`RError` with R's message when
    the code fails, when it takes longer than ``timeout`` seconds, or (:class:`RNotFoundError`)
    when R is not installed.
    """
    if isinstance(outputs, str):
        outputs = outputs.split(",")
    names = _check_names(outputs, "output")
    given = dict(inputs or {})
    _check_names(given, "input")
    payloads = [_to_json(name, value) for name, value in given.items()]
    rscript = require_r()
    with tempfile.TemporaryDirectory(prefix="rolecourse-r-") as tmp:
        folder = Path(tmp)
        prelude = []
        for i, (name, payload) in enumerate(zip(given, payloads)):
            (folder / f"in{i}.json").write_text(payload, encoding="utf-8")
            prelude.append(f'{name} <- jsonlite::fromJSON("in{i}.json")')
        (folder / "code.R").write_text(code + "\n", encoding="utf-8")
        driver = "\n".join(prelude) + _DRIVER
        if names:
            driver += f".rc_write(c({', '.join(repr(n) for n in names)}))\n"
        (folder / "driver.R").write_text(driver, encoding="utf-8")
        try:
            proc = subprocess.run(
                [rscript, "--vanilla", "driver.R"], cwd=folder, stdin=subprocess.DEVNULL, capture_output=True,
                text=True, encoding="utf-8", errors="replace", timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise RError(f"R did not finish within the time limit of {timeout:g} s (pass a larger timeout= if it needs longer)") from None
        if echo and proc.stdout:
            print(proc.stdout, end="" if proc.stdout.endswith("\n") else "\n")
        if echo and proc.stderr.strip():  # warnings and message() output
            print(proc.stderr.rstrip(), file=sys.stderr)
        error = folder / "error.txt"
        if proc.returncode != 0:
            raw_err = "\n".join(ln for ln in proc.stderr.splitlines() if ln.strip() and not ln.startswith(("Calls:", "Execution halted")))
            text = error.read_text(encoding="utf-8").strip() if error.exists() else (raw_err or f"Rscript exited with status {proc.returncode}")
            if "there is no package called" in text and "jsonlite" in text:
                text += "; " + INSTALL_HINT.split(": ", 1)[1].replace("install it", "install R and jsonlite")
            raise RError(text)
        raw = json.loads((folder / "out.json").read_text(encoding="utf-8")) if names else {}
    return RResult(proc.stdout, {n: _from_json(raw[n]) for n in names})


def r_function(code: str, name: str, *, timeout: float = 30.0) -> Callable[..., Any]:
    """A Python function that defines R function ``name`` with ``code`` and calls it on its arguments (as JSON).

    A single ``NA`` result raises :class:`RError` (a missing value is almost always a forgotten
    ``na.rm = TRUE``, and ``None`` would read as "no result"); ``NULL`` gives ``None``.
    """
    _check_names([name], "function")

    def call(*args: Any) -> Any:
        inputs = {f".rc_arg{i}": a for i, a in enumerate(args)}
        line = (
            f".rc_result <- {name}({', '.join(inputs)})\n"
            "if (is.atomic(.rc_result) && length(.rc_result) == 1L && is.na(.rc_result)) "
            f'stop("{name}() returned NA, a missing value: if its input has NAs, remove them (na.rm = TRUE)", call. = FALSE)'
        )
        return run_r(f"{code}\n{line}", inputs=inputs, outputs=[".rc_result"], timeout=timeout, echo=False)[".rc_result"]

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"Call the R function {name!r} (run in a fresh Rscript) and return its result."
    return call


def _parse_magic_line(line: str) -> tuple[list[str], list[str], float]:
    inputs: list[str] = []
    outputs: list[str] = []
    timeout = 30.0
    tokens = shlex.split(line)
    while tokens:
        flag = tokens.pop(0)
        if flag not in ("-i", "--input", "-o", "--output", "-t", "--timeout") or not tokens:
            raise UsageError(f"%%R: unexpected {flag!r}; usage: %%R [-i pyvar,...] [-o rvar,...] [-t seconds]")
        value = tokens.pop(0)
        if flag in ("-t", "--timeout"):
            try:
                timeout = float(value)
            except ValueError:
                raise UsageError(f"%%R -t: expected a number of seconds, found {value!r}") from None
        else:
            (inputs if flag in ("-i", "--input") else outputs).extend(value.split(","))
    return _check_names(inputs, "input"), _check_names(outputs, "output"), timeout


def load_ipython_extension(ip: Any) -> None:
    """Register the ``%%R`` cell magic on the IPython shell ``ip`` (``%load_ext rolecourse.ui.rlang``)."""

    def r_cell(line: str, cell: str) -> None:
        """Run the cell as R: ``-i`` passes Python variables in, ``-o`` brings R variables back."""
        inputs, outputs, timeout = _parse_magic_line(line)
        missing = [n for n in inputs if n not in ip.user_ns]
        if missing:
            raise UsageError(f"%%R -i: no Python variable named {', '.join(missing)}")
        result = run_r(cell, outputs=outputs, inputs={n: ip.user_ns[n] for n in inputs}, timeout=timeout)
        ip.user_ns.update(result.values)

    ip.register_magic_function(r_cell, magic_kind="cell", magic_name="R")
