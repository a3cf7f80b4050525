"""The libraries that come with an extra, and the one error a missing one gives.

``pip install rolecourse`` is the light core; the course's notebooks, widgets, plots,
exercises and lessons need the ``course`` extra (:data:`EXTRAS`). A feature that needs one of
its libraries calls :func:`require`, which raises
:class:`~rolecourse.errors.MissingExtraError` with one line naming the install command.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingExtraError

EXTRAS = {
    "ipywidgets": "course",
    "matplotlib": "course",
    "numpy": "course",
    "pandas": "course",
    "sklearn": "course",
    "scipy": "course",
    "openpyxl": "course",
    "fastapi": "course",
    "httpx": "course",
    "psycopg": "course",
    "duckdb": "course",
}
"""Top-level module -> the extra of ``pyproject.toml`` that installs it."""


def install_command(extra: str) -> str:
    """The command that installs ``extra``: ``pip install 'rolecourse[course]'``."""
    return f"pip install 'rolecourse[{extra}]'"


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature`` (``"rolecourse.ui.plots"``), or raise :class:`MissingExtraError`.

    Only the module's own absence is translated; any other import failure propagates as is.
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = module.partition(".")[0]
        if exc.name is None or exc.name.partition(".")[0] != top:
            raise
        extra = EXTRAS.get(top, "course")
        raise MissingExtraError(f"{feature} needs {top}, which is not installed; install it with: {install_command(extra)}") from None
