"""A small view of a check result: an ``ipywidgets.HTML`` box coloured by outcome.

It only renders what :func:`rolecourse.assessment.checking.check` decided; it holds no logic.
"""

from __future__ import annotations

import ipywidgets as widgets

from ...assessment.checking import CheckResult, Hint, Solution

__all__ = ["result_view", "hint_view", "solution_view"]


def result_view(result: CheckResult) -> widgets.HTML:
    """A box showing one check result (the same HTML a notebook shows for it)."""
    return widgets.HTML(value=result._repr_html_())


def hint_view(hint: Hint) -> widgets.HTML:
    """A box showing one hint."""
    import html

    return widgets.HTML(value=f"<div class=\"rolecourse-hint\"><strong>Hint {hint.number}/{hint.total}:</strong> {html.escape(hint.text)}{html.escape(hint.note)}</div>")


def solution_view(solution: Solution) -> widgets.HTML:
    """A box showing a step's solution code."""
    import html

    return widgets.HTML(value=f"<div class=\"rolecourse-solution\"><strong>Solution:</strong><pre>{html.escape(solution.code)}</pre></div>")
