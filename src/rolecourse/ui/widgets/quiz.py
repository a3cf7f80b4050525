"""Interactive quizzes and the "which role fits me" questionnaire, with ipywidgets 8 only.

No custom JavaScript: standard widgets work in JupyterLab 4, Notebook 7 and VS Code and are
reachable with the keyboard (Tab, arrows, Space/Enter). Every control has a description;
buttons also have a tooltip. Feedback starts with an icon and a word ("✔ Correct —",
"◐ Partly correct —", "✘ Not quite —"), so it never relies on colour alone.

The widgets only render what :func:`rolecourse.assessment.grading.grade` and
:func:`rolecourse.assessment.grading.recommend_roles` decide. Drive them from Python (or a test) by
setting an input's ``.value`` and calling ``.submit.click()``; Enter in a numeric or text
answer's box clicks Submit (the box's ``submit`` message, sent by the ipywidgets 8 front end).
When every question has been answered, the quiz shows the summary
:func:`rolecourse.assessment.summary.quiz_summary` computes.
"""

from __future__ import annotations

import html
import random
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence, overload

import ipywidgets as widgets

from ...assessment.grading import Feedback, Recommendation, AnswerStatus, grade, recommend_roles
from ...assessment.questions import AnswerRecorder, Question, Questionnaire, QuestionType
from ...assessment.questions import QuestionBank
from ...assessment.summary import QuizSummary, quiz_summary

if TYPE_CHECKING:
    from ...content.model import Curriculum

AnswerCallback = Callable[[Question, Feedback], Any]
"""Called as ``callback(question, feedback)`` after every submitted answer."""

ICONS = {
    AnswerStatus.CORRECT: "✔",
    AnswerStatus.PARTLY_CORRECT: "◐",
    AnswerStatus.INCORRECT: "✘",
    AnswerStatus.NOT_ANSWERED: "○",
}
"""The icon shown before each outcome's word."""


def feedback_html(feedback: Feedback) -> str:
    """The feedback as HTML: icon, word, dash, then the message one paragraph per line."""
    lines = [html.escape(line) for line in feedback.message.splitlines() if line.strip()]
    head = f"{ICONS[feedback.status]} {feedback.status.label} —"
    body = "<br>".join(lines)
    return (
        f'<div class="rolecourse-feedback rolecourse-{feedback.status.value}" role="status">'
        f"<strong>{head}</strong> {body}</div>"
    )


def summary_html(summary: QuizSummary) -> str:
    """The end-of-quiz summary as HTML: score, the questions to review, their skills, the next steps."""
    score = f"{summary.score:.2f}".rstrip("0").rstrip(".")
    parts = [f"<strong>Quiz done — score {score} / {summary.total}.</strong>"]
    if summary.to_review:
        items = "".join(
            f"<li>“{html.escape(item.prompt_start)}” ({ICONS[item.status]} {item.status.label})</li>" for item in summary.to_review
        )
        parts.append(f"<p>To review:</p><ul>{items}</ul>")
        parts.append(f"<p>Skills to work on: {html.escape(', '.join(name for _, name in summary.skills))}.</p>")
    steps = "".join(f"<li>{html.escape(step.text)}</li>" for step in summary.next_steps)
    parts.append(f"<p>Next:</p><ul>{steps}</ul>")
    return f'<div class="rolecourse-summary" role="status">{"".join(parts)}</div>'


def default_recording() -> tuple[AnswerRecorder, str] | None:
    """``(store, learner)`` a quiz records to when given neither; :mod:`rolecourse.ui.widgets` points it at
    :func:`rolecourse.progress.learner.recording` when the package is imported (this module cannot import
    the progress room: ``assessment.lessons`` builds quizzes, and progress reads lessons)."""
    return None


def recording_note(learner: str | None) -> str:
    """The line under a quiz's title saying whether its answers are kept, and for whom."""
    if learner:
        return f'<p class="rolecourse-recording">Your answers are saved to <strong>{html.escape(learner)}</strong>’s progress.</p>'
    return (
        '<p class="rolecourse-recording">Answers are not saved: no learner is set. '
        "Give your name once in notebook 00 (or run <code>rolecourse.set_learner(\"Your Name\")</code>) to keep them.</p>"
    )


def learner_seed(learner: str | None) -> int:
    """A learner's shuffle seed: the same on every run and every machine (CRC-32 of the name), 0 without a learner."""
    import zlib

    return zlib.crc32(learner.encode("utf-8")) if learner else 0


def option_order(question: Question, rng: random.Random | None = None) -> tuple[int, ...]:
    """Display order of ``question``'s options: shuffled by ``rng`` for choice questions, else as written."""
    order = list(range(len(question.options)))
    if rng is not None and question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        rng.shuffle(order)
    return tuple(order)


class QuestionView(widgets.VBox):
    """One question: prompt, the input that fits its type, Submit, Retry and feedback."""

    def __init__(
        self, question: Question, number: int, total: int, *, rng: random.Random | None = None, order: Sequence[int] | None = None
    ) -> None:
        self.question = question
        """The question shown."""
        self.heading = widgets.HTML(
            f"<p><strong>Question {number} of {total}</strong> "
            f"<em>({html.escape(question.level.value)})</em></p><p>{html.escape(question.prompt)}</p>"
        )
        self.order: tuple[int, ...] = tuple(order) if order is not None else option_order(question, rng)
        """Display order of the options (indices into ``question.options``)."""
        self.checkboxes: tuple[widgets.Checkbox, ...] = ()
        """For multiple-select questions, one checkbox per option in display order."""
        self.input: widgets.Widget
        """The answer control: RadioButtons, a box of Checkboxes, or Text (numeric answers are typed too)."""
        if question.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
            self.input = widgets.RadioButtons(
                options=[(question.options[i].text, i) for i in order],
                value=None,
                description="Answer",
                layout=widgets.Layout(width="auto"),
            )
        elif question.type is QuestionType.MULTIPLE:
            self.checkboxes = tuple(
                widgets.Checkbox(value=False, description=question.options[i].text, indent=False, layout=widgets.Layout(width="auto"))
                for i in order
            )
            self.input = widgets.VBox([widgets.Label("Select all that apply:"), *self.checkboxes])
        elif question.type is QuestionType.NUMERIC:
            unit = f" ({question.unit})" if question.unit else ""
            # Text rather than FloatText: a number box is never empty, so an unanswered
            # question would be graded as an answer of 0.
            self.input = widgets.Text(
                value="", description=f"Answer{unit}", placeholder="a number, e.g. 12.5", style={"description_width": "initial"}
            )
        else:
            self.input = widgets.Text(value="", description="Answer", placeholder="type your answer")
        if isinstance(self.input, widgets.Text):
            self.input.on_msg(self._on_text_message)
        self.submit = widgets.Button(description="Submit", tooltip="Check this answer", icon="check", button_style="primary")
        """Grades the current answer."""
        self.retry = widgets.Button(description="Retry", tooltip="Clear the answer and try again", icon="refresh", disabled=True)
        """Clears the answer and the feedback."""
        self.feedback = widgets.HTML(value="")
        """The outcome of the last submission (empty before one)."""
        self.last: Feedback | None = None
        """The last feedback, or ``None``."""
        super().__init__([self.heading, self.input, widgets.HBox([self.submit, self.retry]), self.feedback])

    def answer(self) -> Any:
        """The current answer in the form :func:`rolecourse.assessment.grading.grade` takes.

        A numeric or text answer is the text as typed: grading reads every form it allows
        (``12,5``, ``12.5 h``, ``25%`` or ``0.25``), and says so when it holds no number.
        """
        if self.question.type is QuestionType.MULTIPLE:
            return [i for i, box in zip(self.order, self.checkboxes) if box.value]
        return self.input.value  # type: ignore[attr-defined]

    def _on_text_message(self, _widget: Any, content: Mapping[str, Any], _buffers: Any) -> None:
        """Enter in the answer box (the front end's ``submit`` event) clicks Submit, unless the answer is locked."""
        if content.get("event") == "submit" and not self.submit.disabled:
            self.submit.click()

    def reset(self) -> None:
        """Clear the answer and the feedback so the question can be tried again."""
        if self.question.type is QuestionType.MULTIPLE:
            for box in self.checkboxes:
                box.value = False
        elif self.question.type in (QuestionType.NUMERIC, QuestionType.TEXT):
            self.input.value = ""  # type: ignore[attr-defined]
        else:
            self.input.value = None  # type: ignore[attr-defined]
        self.feedback.value = ""
        self.last = None
        self._lock(False)

    def _lock(self, locked: bool) -> None:
        self.submit.disabled = locked
        self.retry.disabled = not locked
        for w in (self.input, *self.checkboxes):
            w.disabled = locked  # type: ignore[attr-defined]


class QuestionViews(Sequence[QuestionView]):
    """A quiz's question views, each built on first access (index, slice or iteration).

    A view creates a dozen widget models, each sent to the notebook when created; building
    only what is shown keeps a long quiz in one-at-a-time mode quick to display.
    """

    def __init__(self, build: Callable[[int], QuestionView], count: int) -> None:
        self._build = build
        self._views: list[QuestionView | None] = [None] * count

    def __len__(self) -> int:
        return len(self._views)

    @overload
    def __getitem__(self, index: int) -> QuestionView: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[QuestionView, ...]: ...

    def __getitem__(self, index: int | slice) -> QuestionView | tuple[QuestionView, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(len(self._views))[index])
        view = self._views[index]
        if view is None:
            view = self._views[index] = self._build(index % len(self._views))
        return view

    def built(self) -> tuple[QuestionView, ...]:
        """The views built so far (only these can hold an answer), in question order."""
        return tuple(v for v in self._views if v is not None)


class Quiz(widgets.VBox):
    """An interactive quiz over a bank or a list of questions.

    ``mode="one"`` shows one question at a time with Previous/Next; ``mode="all"`` shows them
    all. ``results`` lists every submitted :class:`~rolecourse.assessment.grading.Feedback` in order;
    callbacks registered with ``on_answer`` get ``(question, feedback)``. With ``store`` and
    ``learner`` (by default the current learner's, :func:`rolecourse.progress.learner.recording`,
unless ``record=False``), each answer is recorded through ``store.record_quiz_answer``, with the
    question's level rank for mastery (the store schedules wrong answers for spaced review).
    The options of choice questions are shown shuffled, so their order gives nothing away:
    per learner and stable across reruns (the seed is :func:`learner_seed` of ``learner``, 0
    without one), or by ``shuffle_seed`` when given; ``shuffle=False`` keeps the file order.
    In one-at-a-time mode a question's widgets are built when it is first shown (or read from
    ``views``).
    When every question has been answered at least once, ``summary`` shows the score, the
    questions to review, their skills (named from ``curriculum``, by default the shipped one)
    and a next step: the lesson to open when ``lessons`` maps the skill's module to one (pass
    :func:`~rolecourse.assessment.lessons.lesson_links`; it is not the default because
    ``assessment.lessons`` imports this module), else the module to study; later answers
    update it.
    """

    def __init__(
        self,
        quiz_or_questions: QuestionBank | Iterable[Question],
        *,
        mode: str = "one",
        store: AnswerRecorder | None = None,
        learner: str | None = None,
        on_answer: AnswerCallback | None = None,
        shuffle_seed: int | None = None,
        shuffle: bool = True,
        curriculum: Curriculum | None = None,
        lessons: Mapping[str, str] | None = None,
        record: bool = True,
    ) -> None:
        from ...errors import UsageError

        if mode not in ("one", "all"):
            raise UsageError(f"unknown quiz mode {mode!r}; expected 'one' or 'all'")
        if (store is None) != (learner is None):
            raise UsageError("give both store= and learner= to record answers, or neither")
        if store is None and record:  # the current learner's progress, when one was given (rolecourse.progress.learner)
            found = default_recording()
            if found is not None:
                store, learner = found
        if isinstance(quiz_or_questions, QuestionBank):
            questions: Sequence[Question] = quiz_or_questions.questions
            title = quiz_or_questions.title
        else:
            questions = tuple(quiz_or_questions)
            title = "Quiz"
        if not questions:
            raise UsageError("a quiz needs at least one question")
        self.questions: tuple[Question, ...] = tuple(questions)
        """The questions, in order."""
        self.mode = mode
        """``"one"`` or ``"all"``."""
        self.results: list[Feedback] = []
        """Every submitted answer's feedback, in submission order (retries included)."""
        self._store = store
        self._learner = learner
        self._curriculum = curriculum
        self._lessons = lessons
        self.summary = widgets.HTML(value="")
        """The end-of-quiz summary (empty until every question has been answered)."""
        self.summary_data: QuizSummary | None = None
        """The summary shown, as data, or ``None`` before the last question is answered."""
        self._callbacks: list[AnswerCallback] = [on_answer] if on_answer is not None else []
        seed = shuffle_seed if shuffle_seed is not None else learner_seed(learner)
        rng = random.Random(seed) if shuffle else None
        orders = [option_order(q, rng) for q in self.questions]  # all drawn up front: the same shuffle whatever is shown first
        self.views: QuestionViews = QuestionViews(lambda i: self._build_view(i, orders[i]), len(self.questions))
        """One view per question, built (with its widget models) the first time it is shown or read."""
        self.score_label = widgets.Label(value="")
        """``Score: x / n (k answered)``."""
        self.position = widgets.Label(value="")
        """``Question i of n`` in one-at-a-time mode."""
        self.prev_button = widgets.Button(description="Previous", tooltip="Go to the previous question", icon="arrow-left")
        self.next_button = widgets.Button(description="Next", tooltip="Go to the next question", icon="arrow-right")
        self.prev_button.on_click(lambda _b: self.show(self.index - 1))
        self.next_button.on_click(lambda _b: self.show(self.index + 1))
        self.index = 0
        """Index of the question shown (one-at-a-time mode)."""
        self._stage = widgets.VBox()
        header = widgets.HTML(f"<h3>{html.escape(title)}</h3>{recording_note(learner if store is not None else None)}")
        if mode == "one":
            nav = widgets.HBox([self.prev_button, self.position, self.next_button])
            super().__init__([header, self._stage, nav, self.score_label, self.summary])
            self.show(0)
        else:
            self._stage.children = tuple(self.views)
            super().__init__([header, self._stage, self.score_label, self.summary])
        self._update_score()

    # -- public ----------------------------------------------------------------------
    def on_answer(self, callback: AnswerCallback) -> None:
        """Call ``callback(question, feedback)`` after each submitted answer."""
        self._callbacks.append(callback)

    def show(self, index: int) -> None:
        """Show question ``index`` (one-at-a-time mode); out-of-range indices are clamped."""
        self.index = max(0, min(index, len(self.views) - 1))
        if self.mode == "one":
            self._stage.children = (self.views[self.index],)
        self.prev_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(self.views) - 1
        self.position.value = f"Question {self.index + 1} of {len(self.views)}"

    @property
    def score(self) -> float:
        """Sum of the latest scores of the answered questions."""
        return sum(v.last.score for v in self.views.built() if v.last is not None)

    # -- internals -------------------------------------------------------------------
    def _build_view(self, index: int, order: Sequence[int]) -> QuestionView:
        view = QuestionView(self.questions[index], index + 1, len(self.questions), order=order)
        view.submit.on_click(lambda _b: self._submit(view))
        view.retry.on_click(lambda _b: view.reset())
        return view

    def _submit(self, view: QuestionView) -> None:
        if view.last is not None:  # already graded: a second click (or Enter then click) records nothing
            return
        answer = view.answer()
        fb = grade(view.question, answer)
        if fb.status is AnswerStatus.NOT_ANSWERED:
            view.feedback.value = feedback_html(fb)
            return
        view.last = fb
        view._lock(True)
        self.results.append(fb)
        try:
            if self._store is not None and self._learner is not None:
                self._store.record_quiz_answer(
                    self._learner,
                    role=view.question.role,
                    question=view.question.id,
                    skills=view.question.skills,
                    score=fb.score,
                    correct=fb.correct,
                    answer=answer,
                    level=view.question.level.rank,
                )
        finally:  # the feedback shows once the answer is saved: a learner who then closes the notebook keeps it
            view.feedback.value = feedback_html(fb)
        for callback in self._callbacks:
            callback(view.question, fb)
        self._update_score()
        self._update_summary()

    def _update_summary(self) -> None:
        answered = {fb.question_id for fb in self.results}
        if not all(q.id in answered for q in self.questions):
            return
        self.summary_data = quiz_summary(self.questions, self.results, curriculum=self._summary_curriculum(), lessons=self._lessons)
        self.summary.value = summary_html(self.summary_data)

    def _summary_curriculum(self) -> Curriculum | None:
        if self._curriculum is None:
            from ...content.curriculum import load_curriculum
            from ...errors import ContentError

            try:
                self._curriculum = load_curriculum()
            except (ContentError, OSError):  # no shipped curriculum: the summary names skills by id
                return None
        return self._curriculum


    def _update_score(self) -> None:
        answered = sum(1 for v in self.views.built() if v.last is not None)
        score = f"{self.score:.2f}".rstrip("0").rstrip(".")
        self.score_label.value = f"Score: {score} / {len(self.views)} ({answered} answered)"


class QuestionnaireWidget(widgets.VBox):
    """The "which role fits me" questionnaire: one row per statement (the statement, then its scale), then ranked roles.

    Each role's result lists the learner's own answers that pointed to it (the statement and the
    rating given), so a role's reasons are its own; with ``role_links`` (role id → notebook link)
    every role's name links to its notebook.
    """

    def __init__(self, questionnaire: Questionnaire, *, role_names: dict[str, str] | None = None, role_links: Mapping[str, str] | None = None) -> None:
        self.questionnaire = questionnaire
        """The questionnaire shown."""
        self.role_names = dict(role_names or {})
        """Display names by role id (ids are shown when missing)."""
        self.role_links = dict(role_links or {})
        """Role id → the link to its notebook (none: names only)."""
        self.ratings: dict[str, widgets.ToggleButtons] = {}
        """One rating control per statement id (its value: the scale index, None before a rating)."""
        rows: list[widgets.Widget] = []
        for k, s in enumerate(questionnaire.statements, 1):
            control = widgets.ToggleButtons(
                options=[(label, i) for i, label in enumerate(questionnaire.scale)],
                value=None,
                tooltips=list(questionnaire.scale),
                style={"button_width": "7.5em", "font_weight": "normal"},
                layout=widgets.Layout(width="auto", flex="0 0 auto"),
            )
            self.ratings[s.id] = control
            text = widgets.HTML(f"<span><strong>{k}.</strong> {html.escape(s.text)}</span>", layout=widgets.Layout(flex="1 1 22em", min_width="16em"))
            rows.append(widgets.HBox([text, control], layout=widgets.Layout(flex_flow="row wrap", align_items="center", border_bottom="1px solid #dddddd")))
        self.submit = widgets.Button(description="Show my roles", tooltip="Rank the roles from my answers", icon="check", button_style="primary")
        """Ranks the roles."""
        self.reset_button = widgets.Button(description="Start again", tooltip="Clear every answer", icon="refresh")
        """Clears every rating and the result."""
        self.result = widgets.HTML(value="")
        """The ranked roles with reasons (empty before a submission)."""
        self.recommendations: tuple[Recommendation, ...] = ()
        """The latest ranking."""
        self.submit.on_click(lambda _b: self._submit())
        self.reset_button.on_click(lambda _b: self._reset())
        intro = widgets.HTML(f"<h3>{html.escape(questionnaire.title)}</h3><p>{html.escape(questionnaire.instructions)}</p>")
        super().__init__([intro, *rows, widgets.HBox([self.submit, self.reset_button]), self.result])

    def answers(self) -> dict[str, int]:
        """The ratings given so far (statement id → scale index)."""
        return {sid: w.value for sid, w in self.ratings.items() if w.value is not None}

    def role_html(self, rec: Recommendation) -> str:
        """One role of the result: its name (a link to its notebook when known), its fit, and the answers behind it."""
        name = html.escape(self.role_names.get(rec.role, rec.role))
        link = self.role_links.get(rec.role)
        title = f'<a href="{html.escape(link)}" target="_blank">{name}</a>' if link else name
        texts = {s.id: s.text for s in self.questionnaire.statements}
        given = self.answers()
        why = "".join(
            f"<li>“{html.escape(texts[sid])}” (you: {html.escape(self.questionnaire.scale[given[sid]])})</li>" for sid in rec.statements if sid in given
        )
        return f"<li><strong>{title}</strong>: fit {round(rec.score * 100)}%, from your answers to<ul>{why}</ul></li>"

    def _submit(self) -> None:
        self.recommendations = recommend_roles(self.questionnaire, self.answers())
        if not self.recommendations:
            self.result.value = '<div role="status"><strong>○ No result yet:</strong> rate at least one statement above "Not at all".</div>'
            return
        items = "".join(self.role_html(rec) for rec in self.recommendations)
        top = self.recommendations[0]
        why_top = "".join(f"<li>{html.escape(r)}</li>" for r in top.reasons)
        self.result.value = (
            f'<div role="status"><strong>Roles to explore first</strong> (open a role’s notebook from its name):<ol>{items}</ol>'
            f"<p>Why {html.escape(self.role_names.get(top.role, top.role))} comes first:</p><ul>{why_top}</ul></div>"
        )

    def _reset(self) -> None:
        for w in self.ratings.values():
            w.value = None
        self.recommendations = ()
        self.result.value = ""


__all__ = ["ICONS", "QuestionView", "QuestionViews", "QuestionnaireWidget", "Quiz", "feedback_html", "option_order", "summary_html"]
