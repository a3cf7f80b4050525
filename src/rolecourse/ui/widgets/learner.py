"""Who is learning: a name box, Save, and an opt-out, over :mod:`rolecourse.progress.learner`.

The widget only shows and changes the choice the core keeps (``.current-learner.json`` in the
progress folder); every quiz, exercise, lesson and self-assessment then records to that learner.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ...errors import RolecourseError
from ...progress import learner as core

__all__ = ["LearnerPanel", "status_html"]


def status_html(choice: core.LearnerChoice | None) -> str:
    """The line saying who is recorded, or that nobody is."""
    if choice is None:
        return "<p>○ No learner yet: nothing you do is saved. Type your name and press <strong>Save my name</strong>.</p>"
    name = html.escape(choice.learner)
    if not choice.recording:
        return f"<p>◐ Learner <strong>{name}</strong>: recording paused, nothing is saved.</p>"
    return f"<p>✔ Learner <strong>{name}</strong>: your quizzes, exercises, lessons and self-assessment are saved to your progress.</p>"


class LearnerPanel(widgets.VBox):
    """Your name once (or another name to switch learner), and a switch to stop or resume recording."""

    def __init__(self, home: Any = None) -> None:
        self.home = home
        choice = core.current(home)
        self.name = widgets.Text(value=choice.learner if choice else "", description="Your name", placeholder="e.g. Ada Lovelace")
        self.save = widgets.Button(description="Save my name", tooltip="Record my work under this name from now on", icon="check", button_style="primary")
        self.pause = widgets.Button(description="Stop recording", tooltip="Keep my name but save nothing", icon="pause")
        self.status = widgets.HTML()
        self.save.on_click(lambda _b: self.set_name())
        self.pause.on_click(lambda _b: self.toggle())
        self.name.on_msg(lambda _w, content, _b: self.set_name() if content.get("event") == "submit" else None)  # Enter saves
        super().__init__([widgets.HBox([self.name, self.save, self.pause], layout={"flex_flow": "row wrap"}), self.status])
        self._show(choice)

    def _show(self, choice: core.LearnerChoice | None, error: str = "") -> None:
        self.pause.disabled = choice is None
        self.pause.description = "Resume recording" if choice is not None and not choice.recording else "Stop recording"
        self.status.value = (f"<p>✘ {html.escape(error)}</p>" if error else "") + status_html(choice)

    def set_name(self) -> None:
        """Make the typed name the current learner."""
        try:
            choice = core.set_learner(self.name.value, self.home)
        except RolecourseError as exc:
            self._show(core.current(self.home), str(exc))
            return
        self._show(choice)

    def toggle(self) -> None:
        """Stop recording, or resume it."""
        choice = core.current(self.home)
        if choice is None:
            return
        self._show(core.resume_recording(self.home) if not choice.recording else core.stop_recording(self.home))
