"""Helpers shared by the tests that drive the Quiz widget without a browser."""

from __future__ import annotations

from typing import Any

from rolecourse.assessment.questions import format_number


def answer_right(view: Any) -> None:
    """Set a question view's input to the answer key (every question type)."""
    q = view.question
    if q.type.value in ("single", "true-false"):
        view.input.value = q.correct_options[0]
    elif q.type.value == "multiple":
        for i, box in zip(view.order, view.checkboxes):
            box.value = q.options[i].correct
    elif q.type.value == "numeric":
        view.input.value = format_number(q.answer)
    else:
        view.input.value = q.accept[0]


def press_enter(text: Any) -> None:
    """Send what the ipywidgets 8 front end sends when Enter is pressed in a Text box."""
    text._handle_custom_msg({"event": "submit"}, [])
