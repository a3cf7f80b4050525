"""Test tiers, for every test pytest collects here (tests/, and the notebooks nbval runs).

- unit (the default: ``pytest``): tests/ without the ``integration`` marker;
- ``notebooks``: each cell of notebooks/, exercises/ and lessons/ run by nbval
  (``pytest --nbval notebooks exercises lessons -m notebooks``); this file adds the marker;
- ``integration``: the course where learners open it (JupyterLab in Chromium, Binder's
  repo2docker, the JupyterLite site, Voila): ``pytest tests -m integration``.

``make test`` runs the three tiers. The default ``-m "not integration"`` is set in
pyproject.toml; a ``-m`` on the command line replaces it.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every item nbval collected from a notebook as ``notebooks`` (before ``-m`` selects)."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)
