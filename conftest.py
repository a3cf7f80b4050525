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
    _mark_slow_lessons(items)
    _skip_missing_requirements(items)


def _lesson_of(path) -> "object | None":
    """The lesson spec of a lesson notebook ``lessons/<id>/<id>.ipynb``, else None."""
    if path.suffix != ".ipynb" or path.parent.parent.name != "lessons" or path.stem != path.parent.name:
        return None
    from rolecourse.assessment.lessons import read_lesson

    source = path.parent / "lesson.yaml"
    return read_lesson(source) if source.is_file() else None


SLOW_REQUIREMENTS = frozenset(
    {"torch", "postgresql", "gymnasium", "Rscript", "redis-server", "java", "javac", "scala", "pyspark", "tensorflow", "keras", "moto", "distributed"}
)
"""A lesson that needs one of these starts a server or R, or trains a network: its notebook may take up to 60 s, marked ``slow``."""


def _mark_slow_lessons(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every cell of a lesson notebook that starts a server or R, or trains a network."""
    slow: dict[object, bool] = {}
    for item in items:
        if item.path not in slow:
            spec = _lesson_of(item.path)
            slow[item.path] = spec is not None and bool(SLOW_REQUIREMENTS & set(spec.requires))
        if slow[item.path]:
            item.add_marker(pytest.mark.slow)


def _skip_missing_requirements(items: list[pytest.Item]) -> None:
    """Outside CI, a lesson notebook whose requirements (R, PostgreSQL, PyTorch...) are missing here is skipped, naming them.

    Under ``CI=true`` nothing is skipped: ``.ci/run`` installs every requirement, so a missing one fails.
    """
    import os

    if os.environ.get("CI") == "true":
        return
    from rolecourse.assessment.lessons import missing_requirements

    reasons: dict[object, str | None] = {}
    for item in items:
        if item.path not in reasons:
            spec = _lesson_of(item.path)
            missing = missing_requirements(spec) if spec is not None else ()
            reasons[item.path] = f"this lesson needs {', '.join(missing)}" if missing else None
        if reasons[item.path]:
            item.add_marker(pytest.mark.skip(reason=reasons[item.path]))
