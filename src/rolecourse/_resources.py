"""Where the shipped content files are, whatever the working directory.

A wheel carries ``roles.yaml`` and ``exercises/`` under ``rolecourse/_data``; a source
checkout (editable install, JupyterLab on the repository, Binder) has them at the top of
the repository, two folders above this package. Paths never depend on the current directory.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_path(*parts: str) -> Path:
    """The shipped file or folder ``parts`` (e.g. ``data_path("roles.yaml")``)."""
    installed = _PACKAGE.joinpath("_data", *parts)
    if installed.exists():
        return installed
    checkout = _PACKAGE.parents[1].joinpath(*parts)
    if checkout.exists():
        return checkout
    raise FileNotFoundError(f"rolecourse's shipped file {'/'.join(parts)!r} is missing from {installed.parent}")
