"""The Quiz and QuestionnaireWidget widgets, driven without a browser (set .value, click())."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rolecourse.errors import UsageError
from rolecourse.assessment.grading import AnswerStatus
from rolecourse.assessment.mastery import mastery_from_results
from rolecourse.assessment.questions import load_questionnaire, load_quiz, validate_quiz_file
from rolecourse.ui.widgets.quiz import QuestionnaireWidget, Quiz, feedback_html
from quiz_support import answer_right, press_enter

QUIZ = Path(__file__).parent / "fixtures" / "quiz"
KNOWN = yaml.safe_load((QUIZ / "known-ids.yaml").read_text(encoding="utf-8"))
BANK = validate_quiz_file(QUIZ / "mini.yaml", skills=KNOWN["skills"], roles=KNOWN["roles"])
QUESTIONNAIRE = validate_quiz_file(QUIZ / "questionnaire.yaml", skills=KNOWN["skills"], roles=KNOWN["roles"])


class FakeStore:
    """Records what the widget sends, like ProgressStore.record_quiz_answer."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def record_quiz_answer(self, learner, *, role, question, skills, score, correct, answer=None, level=None):
        self.calls.append(
            (learner, {"role": role, "question": question, "skills": tuple(skills), "score": score, "correct": correct, "answer": answer, "level": level})
        )


def test_whole_quiz_one_at_a_time():
    """Answering every question right through Next gives CORRECT feedback, full score and results."""
    w = Quiz(BANK)
    assert w.position.value == "Question 1 of 5"
    assert w.prev_button.disabled and not w.next_button.disabled
    for k in range(5):
        view = w.views[w.index]
        assert w._stage.children == (view,)
        answer_right(view)
        view.submit.click()
        assert view.feedback.value.startswith('<div class="rolecourse-feedback rolecourse-correct" role="status"><strong>✔ Correct —</strong>')
        if k < 4:
            w.next_button.click()
    assert w.next_button.disabled
    assert [fb.status for fb in w.results] == [AnswerStatus.CORRECT] * 5
    assert w.score_label.value == "Score: 5 / 5 (5 answered)"


def test_wrong_partly_and_retry():
    """Wrong and partly right answers say so in words; Retry clears and re-enables; results keep both tries."""
    w = Quiz(BANK, mode="all")
    assert w._stage.children == tuple(w.views)
    single, multiple = w.views[0], w.views[1]
    single.input.value = 1
    single.submit.click()
    assert "✘ Not quite —</strong> No: it sorts = orders rows." in single.feedback.value
    assert single.submit.disabled and not single.retry.disabled and single.input.disabled
    single.retry.click()
    assert single.feedback.value == "" and single.input.value is None and not single.submit.disabled
    single.input.value = 0
    single.submit.click()
    multiple.checkboxes[multiple.order.index(0)].value = True
    multiple.submit.click()
    assert "◐ Partly correct —" in multiple.feedback.value
    assert [fb.status for fb in w.results] == [AnswerStatus.INCORRECT, AnswerStatus.CORRECT, AnswerStatus.PARTLY_CORRECT]
    assert w.score_label.value == "Score: 1.5 / 5 (2 answered)"
    assert mastery_from_results(w.results) == {"python": 0, "sql": 0, "statistics": 0}  # one question per skill lifts nothing


def test_not_answered_is_not_recorded():
    """Submitting an empty answer shows 'Not answered' and records nothing."""
    store = FakeStore()
    w = Quiz(BANK, store=store, learner="ada")
    view = w.views[4]
    view.submit.click()
    assert "○ Not answered —" in view.feedback.value
    assert w.results == [] and store.calls == []
    assert not view.submit.disabled


def test_answers_are_recorded_and_called_back():
    """Each submitted answer goes to the store and to every on_answer callback."""
    store = FakeStore()
    seen: list[tuple[str, str]] = []
    w = Quiz(BANK, store=store, learner="ada", on_answer=lambda q, fb: seen.append((q.id, fb.status.value)))
    w.on_answer(lambda q, fb: seen.append(("second", q.id)))
    view = w.views[3]
    view.input.value = "12"
    view.submit.click()
    assert store.calls == [
        ("ada", {"role": "data-analyst", "question": "mini-numeric", "skills": ("excel",), "score": 0.0, "correct": False, "answer": "12", "level": 3})
    ]
    assert seen == [("mini-numeric", "incorrect"), ("second", "mini-numeric")]


def test_feedback_shows_only_once_the_answer_is_saved():
    """The feedback a learner sees means the answer is on disk: a notebook closed right after keeps it
    (the browser walk once found a dashboard without the answer whose feedback it had shown)."""
    w = Quiz(BANK, store=FakeStore(), learner="ada")
    view = w.views[3]
    shown_at_record: list[str] = []

    class Watching(FakeStore):
        def record_quiz_answer(self, learner, **kwargs):
            shown_at_record.append(view.feedback.value)
            super().record_quiz_answer(learner, **kwargs)

    w._store = store = Watching()
    view.input.value = "12"
    view.submit.click()
    assert shown_at_record == [""] and len(store.calls) == 1
    assert "Not quite" in view.feedback.value

    class Failing:
        def record_quiz_answer(self, learner, **kwargs):
            raise OSError(28, "No space left on device")

    w2 = Quiz(BANK, store=Failing(), learner="ada")
    failing = w2.views[3]
    failing.input.value = "12"
    with pytest.raises(OSError):
        w2._submit(failing)  # called directly: ipywidgets' click() only logs a callback's exception
    assert "Not quite" in failing.feedback.value  # the grade still shows when saving fails


def _submit(view, value) -> None:
    if view.question.type.value == "multiple":
        for i, box in zip(view.order, view.checkboxes):
            box.value = i in value
    elif view.question.type.value == "numeric":
        view.input.value = str(value)
    else:
        view.input.value = value
    view.submit.click()


@pytest.mark.parametrize(
    "answers",
    [
        [("mini-single", 0), ("mini-multiple", [0]), ("mini-true-false", 1), ("mini-numeric", 15.0), ("mini-text", "order by")],
        [("mini-single", 1), ("mini-single", 0), ("mini-multiple", [0, 1]), ("mini-numeric", 12.0), ("mini-true-false", 0)],
        [("mini-multiple", [0, 1]), ("mini-numeric", 15.0), ("mini-text", "nope")],
    ],
    ids=["all-right", "retry-and-mixed", "higher-levels-only"],
)
def test_widget_store_mastery_matches_grading(tmp_path, answers):
    """Widget -> real ProgressStore -> mastery gives the levels mastery_from_results gives on the same answers."""
    from rolecourse.progress.store import ProgressStore

    store = ProgressStore(tmp_path / "home")
    w = Quiz(BANK, mode="all", store=store, learner="ada")
    views = {v.question.id: v for v in w.views}
    for qid, value in answers:
        if views[qid].last is not None:
            views[qid].retry.click()
        _submit(views[qid], value)
    expected = {skill: level for skill, level in mastery_from_results(w.results).items() if level > 0}
    stored = store.load("ada").quiz_answers
    assert [a.level for a in stored] == [views[q].question.level.rank for q, _ in answers]
    assert store.mastery("ada", exercise_skills={}) == expected


def test_widget_store_mastery_example(tmp_path):
    """A concrete run: one question per skill, right or wrong, lifts no skill; the widget and the store agree."""
    from rolecourse.progress.store import ProgressStore

    store = ProgressStore(tmp_path / "home")
    w = Quiz(BANK, mode="all", store=store, learner="ada")
    views = {v.question.id: v for v in w.views}
    _submit(views["mini-single"], 0)  # sql, foundation, right
    _submit(views["mini-multiple"], [0, 1])  # statistics + python, intermediate, right
    _submit(views["mini-true-false"], 0)  # statistics, foundation, "True": wrong
    assert mastery_from_results(w.results) == {"python": 0, "sql": 0, "statistics": 0}
    assert store.mastery("ada", exercise_skills={}) == {}


def test_shuffle_is_seeded():
    """shuffle_seed gives the same option order every time and values stay the original indices."""
    a = Quiz(BANK, shuffle_seed=3).views[0]
    b = Quiz(BANK, shuffle_seed=3).views[0]
    assert a.order == b.order
    assert sorted(a.order) == [0, 1, 2]
    assert [v for _, v in a.input.options] == list(a.order)


def test_one_at_a_time_builds_views_when_shown():
    """One-at-a-time mode builds only the first question's widgets; Next builds the next one; reading views builds on demand."""
    w = Quiz(BANK)
    assert [v.question.id for v in w.views.built()] == [BANK.questions[0].id]
    w.next_button.click()
    assert [v.question.id for v in w.views.built()] == [q.id for q in BANK.questions[:2]]
    assert w.views[-1] is w.views[len(BANK.questions) - 1] and len(w.views.built()) == 3
    assert len(w.views[1:3]) == 2 and len(w.views) == len(BANK.questions)
    assert len(Quiz(BANK, mode="all").views.built()) == len(BANK.questions)


def test_shuffle_does_not_depend_on_what_is_shown_first():
    """A seeded shuffle gives each question the same option order whatever order the views are built in."""
    forward = [v.order for v in Quiz(BANK, shuffle_seed=5).views]
    backward_quiz = Quiz(BANK, shuffle_seed=5)
    backward = [backward_quiz.views[i].order for i in reversed(range(len(BANK.questions)))][::-1]
    assert forward == backward
    assert forward == [v.order for v in Quiz(BANK, mode="all", shuffle_seed=5).views]


def test_score_counts_answers_of_built_views_only():
    """Unbuilt questions count as unanswered: the score label reads 0 answered before any submission."""
    w = Quiz(BANK)
    assert w.score == 0 and w.score_label.value == f"Score: 0 / {len(BANK.questions)} (0 answered)"
    view = w.views[2]
    answer_right(view)
    view.submit.click()
    assert w.score == 1 and w.score_label.value == f"Score: 1 / {len(BANK.questions)} (1 answered)"


def test_controls_are_labelled():
    """Inputs have descriptions and every button has a description and a tooltip (keyboard and screen readers)."""
    w = Quiz(BANK)
    buttons = [w.prev_button, w.next_button] + [b for v in w.views for b in (v.submit, v.retry)]
    assert all(b.description and b.tooltip for b in buttons)
    assert all(v.input.description for v in w.views if v.question.type.value != "multiple")
    assert all(box.description for v in w.views for box in v.checkboxes)


def test_bad_arguments():
    """Unknown modes, a store without a learner and an empty question list are usage errors."""
    with pytest.raises(UsageError, match="mode"):
        Quiz(BANK, mode="some")
    with pytest.raises(UsageError, match="learner"):
        Quiz(BANK, store=FakeStore())
    with pytest.raises(UsageError, match="at least one question"):
        Quiz([])


def test_review_list_of_questions():
    """A plain list of questions (e.g. the ones due for review) makes a quiz too."""
    w = Quiz([BANK.questions[2]])
    w.views[0].input.value = 1
    w.views[0].submit.click()
    assert w.results[0].correct


def test_feedback_html_escapes():
    """Feedback text is HTML-escaped and split into lines."""
    from rolecourse.assessment.grading import Feedback

    html = feedback_html(Feedback("x", AnswerStatus.INCORRECT, 0.0, "a < b\nwhy"))
    assert html.endswith("<strong>✘ Not quite —</strong> a &lt; b<br>why</div>")


def test_shipped_bank_in_widget():
    """A shipped bank renders one view per question."""
    quiz = load_quiz("data-analyst")
    assert len(Quiz(quiz).views) == len(quiz.questions)


# -- questionnaire ----------------------------------------------------------------------------
def test_questionnaire_widget_ranks_roles():
    """Rating statements and clicking 'Show my roles' lists ranked roles with their reasons."""
    w = QuestionnaireWidget(QUESTIONNAIRE, role_names={"data-analyst": "Data Analyst"}, role_links={"data-analyst": "01-data-analyst.ipynb"})
    w.ratings["likes-charts"].value = 2
    w.ratings["likes-stats"].value = 1
    w.submit.click()
    assert [r.role for r in w.recommendations] == ["data-analyst", "data-scientist"]
    texts = {s.id: s.text for s in QUESTIONNAIRE.statements}
    scale = QUESTIONNAIRE.scale
    # each role's reasons are the learner's own answers that pointed to it; the name links to the role's notebook
    assert w.recommendations[0].statements[0] == "likes-charts"  # strongest first
    assert set(w.recommendations[1].statements) == {"likes-charts", "likes-stats"}
    assert '<a href="01-data-analyst.ipynb" target="_blank">Data Analyst</a></strong>: fit 83%' in w.result.value
    second = w.result.value.split("<li><strong>data-scientist</strong>")[1].split("</ul>")[0]
    assert texts["likes-stats"] in second and f"(you: {scale[1]})" in second and f"(you: {scale[2]})" in second
    assert w.result.value.count(f"“{texts['likes-charts']}”") == 2  # quoted once per role it pointed to
    assert "Why Data Analyst comes first:</p><ul><li>Charts are the analyst&#x27;s daily work.</li>" in w.result.value
    # one row per statement: the statement beside its scale
    row = w.children[1]
    assert len(row.children) == 2 and row.children[1] is w.ratings[QUESTIONNAIRE.statements[0].id]
    w.reset_button.click()
    assert w.result.value == "" and w.answers() == {}


def test_questionnaire_widget_no_ratings():
    """Without any agreement the widget says there is no result yet."""
    w = QuestionnaireWidget(QUESTIONNAIRE)
    w.submit.click()
    assert "No result yet" in w.result.value


def test_shipped_questionnaire_widget():
    """The shipped questionnaire renders one rating per statement."""
    q = load_questionnaire()
    assert len(QuestionnaireWidget(q).ratings) == len(q.statements)


def test_numeric_question_left_blank_is_not_answered():
    """A numeric question submitted with an empty box is not answered, not an answer of 0, and nothing is recorded."""
    store = FakeStore()
    w = Quiz(BANK, store=store, learner="ada")
    view = w.views[3]
    assert view.input.value == "" and view.answer() == ""
    view.submit.click()
    assert "Not answered" in view.feedback.value and view.last is None
    assert w.results == [] and store.calls == [] and not view.submit.disabled


@pytest.mark.parametrize("typed", ["15", "14,5", "15.4 weeks", " 15 ", "15 weeks"])
def test_numeric_answer_is_read_from_the_typed_text(typed):
    """The typed text goes to the grader, which reads it: decimal comma, the question's unit, spaces."""
    view = Quiz(BANK).views[3]
    view.input.value = typed
    assert view.answer() == typed
    view.submit.click()
    assert view.last is not None and view.last.status.value == "correct"


def test_numeric_text_without_a_number_is_graded_with_a_message():
    """Text holding no number goes to the grader as typed, whose feedback says it is not a number."""
    view = Quiz(BANK).views[3]
    view.input.value = "fifteen"
    view.submit.click()
    assert view.last is not None and view.last.status.value == "incorrect"
    assert "&#x27;fifteen&#x27; is not a number I can read" in view.feedback.value


def test_retry_empties_a_numeric_answer():
    """Retry clears the numeric box back to empty, not to 0."""
    view = Quiz(BANK).views[3]
    view.input.value = "12"
    view.submit.click()
    view.retry.click()
    assert view.input.value == "" and view.last is None and not view.input.disabled


def test_options_are_shuffled_per_learner_and_stable():
    """By default choice options are shuffled: the same order for the same learner on every run, file order only with shuffle=False."""
    from rolecourse.assessment.questions import load_quiz
    from rolecourse.ui.widgets.quiz import learner_seed

    bank = load_quiz("data-analyst")
    orders = lambda w: [v.order for v in w.views]  # noqa: E731
    ada = orders(Quiz(bank, mode="all"))
    assert ada == orders(Quiz(bank, mode="all"))  # stable across reruns
    assert orders(Quiz(bank, mode="all", shuffle_seed=learner_seed("grace"))) != ada  # another learner, another order
    assert learner_seed("grace") == learner_seed("grace") != learner_seed("ada")
    in_file = orders(Quiz(bank, mode="all", shuffle=False))
    assert in_file == [tuple(range(len(q.options))) for q in bank.questions]
    assert ada != in_file
    keys_first = sum(1 for q, order in zip(bank.questions, ada) if q.type.value == "single" and order[0] == q.correct_options[0])
    singles = sum(1 for q in bank.questions if q.type.value == "single")
    assert keys_first < singles / 2  # the key is not where a learner would guess


def test_qti_asks_the_lms_to_shuffle_choices():
    """The QTI export marks single and multiple choice questions for shuffling (not true/false)."""
    from rolecourse.export.quizzes import export_quiz

    xml = export_quiz(BANK, "qti")
    assert 'render_choice shuffle="Yes"' in xml and 'render_choice shuffle="No"' in xml


# -- issue 20 item 4: partial answers, the end-of-quiz summary, Enter ----------------------
def test_partial_answer_names_each_wrong_pick_and_missed_option():
    """One right and one wrong pick scores 0 and says so: the wrong pick and the missed option are named with their feedback."""
    view = Quiz(BANK, mode="all").views[1]
    _submit(view, [0, 2])
    assert view.last is not None and view.last.score == 0.0
    assert "✘ Not quite —</strong> You picked 1 of the 2 correct options and 1 wrong one. Each wrong pick cancels a right one, so this scores 0 of 2." in view.feedback.value
    assert "<br>Wrong pick: Variance. No: it measures spread.<br>" in view.feedback.value
    assert "<br>Missed (also correct): Median. Yes: the middle value.<br>" in view.feedback.value
    assert "Right pick: Mean. Yes: the average." in view.feedback.value


def test_summary_appears_after_the_last_question_and_follows_retries():
    """The summary stays empty until every question is answered, then shows score, review list, skill names and the lesson to open."""
    from rolecourse.content.curriculum import load_curriculum

    links = {"sql-foundations": "lessons/sql-foundations/sql-foundations.ipynb"}
    w = Quiz(BANK, mode="all", curriculum=load_curriculum(), lessons=links)
    assert w.summary in w.children
    views = {v.question.id: v for v in w.views}
    for qid, value in [("mini-single", 1), ("mini-multiple", [0, 1]), ("mini-true-false", 1), ("mini-numeric", 15)]:
        _submit(views[qid], value)
        assert w.summary.value == "" and w.summary_data is None
    _submit(views["mini-text"], "order by")
    assert w.summary_data is not None and w.summary_data.score == 4
    assert w.summary.value.startswith('<div class="rolecourse-summary" role="status"><strong>Quiz done — score 4 / 5.</strong>')
    assert "<li>“Which clause groups rows: {GROUP BY} or ~ORDER …” (✘ Not quite)</li>" in w.summary.value
    assert "<p>Skills to work on: SQL.</p>" in w.summary.value
    assert "<li>Open the lesson for SQL: lessons/sql-foundations/sql-foundations.ipynb</li>" in w.summary.value
    views["mini-single"].retry.click()
    _submit(views["mini-single"], 0)
    assert "Quiz done — score 5 / 5." in w.summary.value and "To review" not in w.summary.value
    assert "Every answer is right: go on to the next module of your plan." in w.summary.value


def test_summary_in_one_at_a_time_mode_without_lessons():
    """Answering through Next ends with a summary; without lesson links the next step names the module to study."""
    w = Quiz(BANK)
    for k in range(5):
        view = w.views[w.index]
        if view.question.id == "mini-numeric":
            view.input.value = "12"
        else:
            answer_right(view)
        view.submit.click()
        if k < 4:
            assert w.summary.value == ""
            w.next_button.click()
    assert "Quiz done — score 4 / 5." in w.summary.value
    assert "Study the module “Analysis with PivotTables, lookups and Power Query” for Excel, then retry its questions." in w.summary.value


def test_enter_submits_numeric_and_text_answers():
    """Enter in a numeric or text box submits the answer once; Enter after that (locked) records nothing more."""
    store = FakeStore()
    w = Quiz(BANK, mode="all", store=store, learner="ada")
    numeric, text = w.views[3], w.views[4]
    numeric.input.value = "15 weeks"
    press_enter(numeric.input)
    assert numeric.last is not None and numeric.last.correct and "✔ Correct —" in numeric.feedback.value
    press_enter(numeric.input)
    text.input.value = "ORDER BY"
    press_enter(text.input)
    assert text.last is not None and text.last.correct
    assert [call[1]["question"] for call in store.calls] == ["mini-numeric", "mini-text"]
    assert len(w.results) == 2


def test_enter_on_an_empty_box_says_not_answered():
    """Enter on an empty numeric box shows 'Not answered' and leaves the question open."""
    view = Quiz(BANK).views[3]
    press_enter(view.input)
    assert "○ Not answered —" in view.feedback.value and view.last is None and not view.submit.disabled


def test_a_second_submit_records_nothing():
    """A second click on Submit of a graded question (a double click, or Enter then click) is ignored."""
    store = FakeStore()
    w = Quiz(BANK, mode="all", store=store, learner="ada")
    view = w.views[0]
    view.input.value = 0
    view.submit.click()
    view.submit.click()
    assert len(store.calls) == 1 and len(w.results) == 1
