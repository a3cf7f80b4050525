"""Pure grading of every question type and edge case, mastery from results, role recommendations."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rolecourse.errors import UnknownNameError, UsageError
from rolecourse.assessment.grading import AnswerStatus, Feedback, grade, parse_number, recommend_roles
from rolecourse.assessment.mastery import mastery_from_results, mastery_from_scores
from rolecourse.content.model import Level
from rolecourse.assessment.questions import validate_quiz_file

QUIZ = Path(__file__).parent / "fixtures" / "quiz"
KNOWN = yaml.safe_load((QUIZ / "known-ids.yaml").read_text(encoding="utf-8"))
BANK = validate_quiz_file(QUIZ / "mini.yaml", skills=KNOWN["skills"], roles=KNOWN["roles"])
SINGLE, MULTIPLE, TF, NUMERIC, TEXT = BANK.questions
QUESTIONNAIRE = validate_quiz_file(QUIZ / "questionnaire.yaml", skills=KNOWN["skills"], roles=KNOWN["roles"])


# -- not answered --------------------------------------------------------------------------
@pytest.mark.parametrize("question", BANK.questions, ids=lambda q: q.id)
@pytest.mark.parametrize("blank", [None, "", "   ", [], ()])
def test_blank_answer_is_not_answered(question, blank):
    """None, empty or blank strings and empty collections are NOT_ANSWERED with score 0, for every type."""
    fb = grade(question, blank)
    assert fb.status is AnswerStatus.NOT_ANSWERED
    assert fb.score == 0.0
    assert fb.message.startswith("No answer was given.")


# -- single ---------------------------------------------------------------------------------
def test_single_by_index_correct():
    """The right option's index is CORRECT, scored 1, with its feedback then the explanation."""
    fb = grade(SINGLE, 0)
    assert fb == Feedback("mini-single", AnswerStatus.CORRECT, 1.0, "Right: it makes groups; key: value.\nGROUP BY {groups}, ORDER BY sorts.", ("sql",), Level.FOUNDATION)


def test_single_by_text_incorrect():
    """A wrong option named by text (any case, extra spaces) is INCORRECT with that option's feedback."""
    fb = grade(SINGLE, "  order   by ")
    assert fb.status is AnswerStatus.INCORRECT and fb.score == 0.0
    assert fb.message.splitlines()[0] == "No: it sorts = orders rows."


def test_single_out_of_range_is_usage_error():
    """An option index outside the options raises UsageError naming the valid range."""
    with pytest.raises(UsageError, match="from 0 to 2, found 3"):
        grade(SINGLE, 3)


def test_single_unknown_text_is_usage_error():
    """A text that is no option raises UsageError listing the options."""
    with pytest.raises(UsageError, match="'GROUP BY', 'ORDER BY', 'WHERE'"):
        grade(SINGLE, "HAVING")


def test_single_refuses_boolean():
    """A boolean is not an option index."""
    with pytest.raises(UsageError, match="boolean"):
        grade(SINGLE, True)


# -- multiple -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "status", "score"),
    [
        ([0, 1], AnswerStatus.CORRECT, 1.0),
        (["Median", "mean"], AnswerStatus.CORRECT, 1.0),
        ({1, 0}, AnswerStatus.CORRECT, 1.0),
        ([0], AnswerStatus.PARTLY_CORRECT, 0.5),
        ("Mean", AnswerStatus.PARTLY_CORRECT, 0.5),
        ([0, 1, 2], AnswerStatus.PARTLY_CORRECT, 0.5),
        ([0, 2], AnswerStatus.INCORRECT, 0.0),
        ([0, 2, 3], AnswerStatus.INCORRECT, 0.0),
        ([2, 3], AnswerStatus.INCORRECT, 0.0),
        ([0, 0, 1], AnswerStatus.CORRECT, 1.0),
    ],
)
def test_multiple_partial_credit(answer, status, score):
    """Multiple select scores (right − wrong) / #correct floored at 0; all right and none wrong is CORRECT."""
    fb = grade(MULTIPLE, answer)
    assert (fb.status, fb.score) == (status, score)


def test_multiple_message_names_picks_and_misses():
    """The message says how the score came about, then each pick and each missed correct option with its own feedback."""
    fb = grade(MULTIPLE, [0, 2])
    assert fb.status is AnswerStatus.INCORRECT and fb.score == 0.0
    assert fb.message.splitlines()[:4] == [
        "You picked 1 of the 2 correct options and 1 wrong one. Each wrong pick cancels a right one, so this scores 0 of 2.",
        "Right pick: Mean. Yes: the average.",
        "Missed (also correct): Median. Yes: the middle value.",
        "Wrong pick: Variance. No: it measures spread.",
    ]


def test_multiple_feedback_carries_option_verdicts():
    """A multiple-select Feedback lists the verdict on every picked or missed option, in the question's order; unpicked wrong options are left out."""
    from rolecourse.assessment.grading import OptionCall, OptionVerdict

    fb = grade(MULTIPLE, ["Variance", 0])
    assert fb.options == (
        OptionVerdict(0, "Mean", OptionCall.RIGHT_PICK, "Yes: the average."),
        OptionVerdict(1, "Median", OptionCall.MISSED, "Yes: the middle value."),
        OptionVerdict(2, "Variance", OptionCall.WRONG_PICK, "No: it measures spread."),
    )
    assert [v.call for v in grade(MULTIPLE, [0, 1]).options] == [OptionCall.RIGHT_PICK, OptionCall.RIGHT_PICK]
    assert grade(SINGLE, 1).options == () and grade(MULTIPLE, []).options == ()


def test_option_verdicts_is_pure_and_checks_the_type():
    """option_verdicts gives the same verdicts as grade, () for a blank answer, and refuses other question types."""
    from rolecourse.assessment.grading import option_verdicts

    assert option_verdicts(MULTIPLE, [3, 1]) == grade(MULTIPLE, [3, 1]).options
    assert [v.line for v in option_verdicts(MULTIPLE, [3, 1])] == [
        "Missed (also correct): Mean. Yes: the average.",
        "Right pick: Median. Yes: the middle value.",
        "Wrong pick: Range. No: it measures spread too.",
    ]
    assert option_verdicts(MULTIPLE, None) == ()
    with pytest.raises(UsageError, match="multiple-select"):
        option_verdicts(SINGLE, 0)


def test_multiple_one_wrong_of_all_picks_is_partly_correct():
    """Both right options and one wrong one score 1/2: the message says the wrong pick cancels a right one."""
    fb = grade(MULTIPLE, [0, 1, 2])
    assert fb.status is AnswerStatus.PARTLY_CORRECT and fb.score == 0.5
    assert fb.message.splitlines()[0] == "You picked 2 of the 2 correct options and 1 wrong one. Each wrong pick cancels a right one, so this scores 1 of 2."


# -- true/false --------------------------------------------------------------------------------
@pytest.mark.parametrize(("answer", "status"), [(False, AnswerStatus.CORRECT), ("false", AnswerStatus.CORRECT), (" F ", AnswerStatus.CORRECT), ("No", AnswerStatus.CORRECT), (1, AnswerStatus.CORRECT), (True, AnswerStatus.INCORRECT), ("TRUE", AnswerStatus.INCORRECT), (0, AnswerStatus.INCORRECT)])
def test_true_false_answers(answer, status):
    """True/false takes booleans, true/false words (any case) and option indices (0 = True)."""
    assert grade(TF, answer).status is status


def test_true_false_feedback():
    """A wrong true/false answer shows the incorrect feedback and the explanation."""
    assert grade(TF, True).message == "It is false: a confounder can drive both.\nLook for confounders."


def test_true_false_unreadable_word():
    """A word that is neither true nor false raises UsageError."""
    with pytest.raises(UsageError, match="expected true or false, found 'maybe'"):
        grade(TF, "maybe")


# -- numeric -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (15, AnswerStatus.CORRECT),
        (15.0, AnswerStatus.CORRECT),
        (14.5, AnswerStatus.CORRECT),  # tolerance is inclusive
        (15.5, AnswerStatus.CORRECT),
        (15.51, AnswerStatus.INCORRECT),
        (14.4, AnswerStatus.INCORRECT),
        ("15", AnswerStatus.CORRECT),
        (" 15 weeks ", AnswerStatus.CORRECT),
        ("15,2", AnswerStatus.CORRECT),  # comma as decimal separator
        ("1,500", AnswerStatus.INCORRECT),  # thousands separator: 1500
        ("abc", AnswerStatus.INCORRECT),
        (float("nan"), AnswerStatus.INCORRECT),
    ],
)
def test_numeric_answers(answer, status):
    """Numbers and numeric strings (unit allowed, comma rules) are right within the inclusive tolerance."""
    assert grade(NUMERIC, answer).status is status


def test_numeric_messages():
    """A wrong number is echoed with its unit, then the incorrect feedback and explanation."""
    assert grade(NUMERIC, 12).message.splitlines() == ["You answered 12 weeks.", "Divide hours by hours per week: 120 / 8 = 15.", "Weeks = total hours / weekly hours."]
    assert grade(NUMERIC, "abc").message.startswith("'abc' is not a number I can read")


@pytest.mark.parametrize(("text", "value"), [("1,5", 1.5), ("1,000", 1000.0), ("12,345.5", 12345.5), ("-2.5", -2.5), ("1 000", 1000.0), ("85%", 0.85), ("inf", None), ("", None), ("0,925", 0.925), ("\u22122.5", -2.5), ("1" * 300, None)])
def test_parse_number(text, value):
    """parse_number reads decimal commas, thousands separators and spaces; refuses non-finite and junk."""
    assert parse_number(text) == value


@pytest.mark.parametrize(("text", "value"), [("1/6", 1 / 6), (" 1 / 4 ", 0.25), ("-3/2", -1.5), ("2.5/5", 0.5), ("1/0", None), ("1/2/3", None), ("/2", None)])
def test_parse_number_reads_simple_fractions(text, value):
    """A simple fraction reads as its value; a zero denominator or anything more complex is not a number."""
    assert parse_number(text) == value


def test_parse_number_strips_unit():
    """The question's unit may follow the number."""
    assert parse_number("85 %", "%") == 85.0


def test_numeric_refuses_boolean():
    """A boolean is not a number here."""
    with pytest.raises(UsageError, match="boolean"):
        grade(NUMERIC, True)


# -- text ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("answer", "status"), [("ORDER BY", AnswerStatus.CORRECT), ("order by", AnswerStatus.CORRECT), ("  Order\tBy. ", AnswerStatus.CORRECT), ("order-by", AnswerStatus.CORRECT), ("orderby", AnswerStatus.INCORRECT), ("GROUP BY", AnswerStatus.INCORRECT)])
def test_text_normalised_match(answer, status):
    """Text answers match after folding case, whitespace and punctuation."""
    assert grade(TEXT, answer).status is status


def test_text_refuses_non_string():
    """A text question needs a string."""
    with pytest.raises(UsageError, match="text answer"):
        grade(TEXT, 3)


# -- mastery ---------------------------------------------------------------------------------------
def _fb(qid: str, score: float, skills: tuple[str, ...], level: Level) -> Feedback:
    status = AnswerStatus.CORRECT if score == 1 else AnswerStatus.INCORRECT if score == 0 else AnswerStatus.PARTLY_CORRECT
    return Feedback(qid, status, score, "", skills, level)


def test_mastery_levels():
    """From answers alone mastery is at most foundation, and needs three distinct questions passing together."""
    results = [
        _fb("a", 1, ("sql",), Level.FOUNDATION),
        _fb("b", 1, ("sql",), Level.INTERMEDIATE),
        _fb("c", 1, ("sql",), Level.ADVANCED),
        _fb("d", 0, ("statistics",), Level.FOUNDATION),
        _fb("e", 1, ("statistics",), Level.ADVANCED),
        _fb("f", 1, ("python", "excel"), Level.ADVANCED),
    ]
    assert mastery_from_results(results) == {"excel": 0, "python": 0, "sql": 1, "statistics": 0}


def test_mastery_uses_last_answer_and_skips_unanswered():
    """A retried question counts with its last answer (once); NOT_ANSWERED results are ignored."""
    results = [
        _fb("a", 0, ("sql",), Level.FOUNDATION),
        _fb("a", 1, ("sql",), Level.FOUNDATION),
        _fb("b", 1, ("sql",), Level.FOUNDATION),
        _fb("c", 1, ("sql",), Level.FOUNDATION),
        Feedback("d", AnswerStatus.NOT_ANSWERED, 0.0, "", ("python",), Level.FOUNDATION),
    ]
    assert mastery_from_results(results) == {"sql": 1}
    assert mastery_from_results(results[:3]) == {"sql": 0}  # two distinct questions are not enough


def test_mastery_from_graded_answers():
    """Real graded answers feed mastery directly (partial credit averages in); one question per skill lifts nothing."""
    results = [grade(SINGLE, 0), grade(TEXT, "order by"), grade(MULTIPLE, [0])]
    assert mastery_from_results(results) == {"python": 0, "sql": 0, "statistics": 0}


def test_mastery_from_evidence_is_the_rule():
    """mastery_from_evidence: >= 3 distinct questions at a level or above passing (mean >= PASS_MARK), practice from intermediate up, or a lesson done."""
    from rolecourse.assessment.mastery import mastery_from_evidence

    entries = [
        (("sql",), 1, 1.0, "a"),
        (("sql",), 2, 0.4, "b"),
        (("sql",), 2, 1.0, "c"),
        (("sql",), 3, 1.0, "d"),  # level 1: 4 questions, mean 0.85; level 2: 3, mean 0.8; level 3: 1
        (("python",), 2, 0.69, "e"),
        (["excel"], 3, 0.0, "f"),
        (["excel"], 3, 1.0, "f"),  # the last answer to a question wins, and it is still one question
    ]
    assert mastery_from_scores(entries) == {"excel": 0, "python": 0, "sql": 1}
    assert mastery_from_evidence(entries, practice={"sql": 2}) == {"excel": 0, "python": 0, "sql": 2}
    assert mastery_from_evidence(entries, practice={"sql": 3}) == {"excel": 0, "python": 0, "sql": 2}  # one advanced question
    assert mastery_from_evidence(entries, lessons={"excel": 3}) == {"excel": 3, "python": 0, "sql": 1}
    assert mastery_from_evidence([], practice={"r": 2}) == {"r": 0}  # practice alone is not mastery
    assert mastery_from_scores([]) == {}


def test_mastery_from_results_equals_mastery_from_scores():
    """mastery_from_results is mastery_from_scores over the answered results."""
    results = [grade(SINGLE, 0), grade(TEXT, "order by"), grade(MULTIPLE, [0]), grade(TEXT, "")]
    entries = [(fb.skills, fb.level.rank, fb.score, fb.question_id) for fb in results if fb.status is not AnswerStatus.NOT_ANSWERED]
    assert mastery_from_results(results) == mastery_from_scores(entries)


@pytest.mark.parametrize("entry, message", [
    ((("sql",), 0, 1.0, "q"), "level rank from 1 to 3, found 0"),
    ((("sql",), True, 1.0, "q"), "level rank from 1 to 3, found True"),
    ((("sql",), 2, 1.5, "q"), "score from 0 to 1, found 1.5"),
    ((("sql",), 2, None, "q"), "score from 0 to 1, found None"),
])
def test_mastery_from_scores_rejects_bad_entries(entry, message):
    """A rank outside 1..3 or a score outside 0..1 is a usage error naming the question."""
    with pytest.raises(UsageError, match=f"question 'q': expected a {message}"):
        mastery_from_scores([entry])


# -- questionnaire ------------------------------------------------------------------------------------
def test_recommend_roles_ranks_with_reasons():
    """Roles are ranked by the share of their possible points, each with its reasons strongest first."""
    recs = recommend_roles(QUESTIONNAIRE, {"likes-charts": 2, "likes-stats": 1, "likes-pipelines": 0})
    assert [(r.role, r.score) for r in recs] == [("data-analyst", 0.8333), ("data-scientist", 0.6667)]
    assert recs[0].reasons == ("Charts are the analyst's daily work.", "Statistics is central for data scientists.")
    assert recs[1].reasons == ("Charts are the analyst's daily work.", "Statistics is central for data scientists.")


def test_recommend_roles_booleans_and_ties():
    """True means the top of the scale; ties keep the questionnaire's role order."""
    recs = recommend_roles(QUESTIONNAIRE, {"likes-pipelines": True, "likes-charts": True, "likes-stats": True})
    assert [r.role for r in recs] == ["data-analyst", "data-scientist", "data-engineer"]
    assert all(r.score == 1.0 for r in recs)


def test_recommend_roles_nothing_liked():
    """No agreement gives no recommendation."""
    assert recommend_roles(QUESTIONNAIRE, {"likes-charts": 0}) == ()
    assert recommend_roles(QUESTIONNAIRE, {}) == ()


def test_recommend_roles_bad_answers():
    """Unknown statements and out-of-scale answers are usage errors."""
    with pytest.raises(UnknownNameError, match="likes-charts"):
        recommend_roles(QUESTIONNAIRE, {"likes-chart": 1})
    with pytest.raises(UsageError, match="expected an agreement from 0 to 2, found 5"):
        recommend_roles(QUESTIONNAIRE, {"likes-charts": 5})


# -- end-of-quiz summary -----------------------------------------------------------------------
LINKS = {"sql-foundations": "lessons/sql-foundations/sql-foundations.ipynb", "statistics-inference": "lessons/statistics-inference/statistics-inference.ipynb"}


def test_summary_lists_what_to_review_by_the_latest_answer():
    """Wrong and partly right latest answers are to review, by their prompt's first words; a retried-right one is not."""
    from rolecourse.assessment.summary import ReviewItem, quiz_summary

    results = [grade(SINGLE, 1), grade(MULTIPLE, [0]), grade(TF, False), grade(NUMERIC, 12), grade(NUMERIC, 15), grade(TEXT, "")]
    s = quiz_summary(BANK.questions, results)
    assert (s.score, s.total, s.answered, s.complete) == (2.5, 5, 4, False)
    assert s.to_review == (
        ReviewItem("mini-single", "Which clause groups rows: {GROUP BY} or ~ORDER …", AnswerStatus.INCORRECT, 0.0, ("sql",)),
        ReviewItem("mini-multiple", "Which are measures of central tendency?", AnswerStatus.PARTLY_CORRECT, 0.5, ("statistics", "python")),
    )
    assert s.skills == (("sql", "sql"), ("statistics", "statistics"), ("python", "python"))  # no curriculum: ids
    assert [step.text for step in s.next_steps] == [
        "Review sql, then retry its questions.",
        "Review statistics, then retry its questions.",
        "Review python, then retry its questions.",
    ]


def test_summary_names_skills_and_points_to_lessons():
    """With a curriculum, skills are named; a skill with a lesson at the question's level (else any level) gets it, else its module to study."""
    from rolecourse.content.curriculum import load_curriculum
    from rolecourse.assessment.summary import NextStep, quiz_summary

    results = [grade(q, a) for q, a in zip(BANK.questions, [2, [1, 3], True, 15, "order by"])]
    s = quiz_summary(BANK.questions, results, curriculum=load_curriculum(), lessons=LINKS)
    assert s.complete and s.score == 2.0
    assert [item.question_id for item in s.to_review] == ["mini-single", "mini-multiple", "mini-true-false"]
    assert s.skills == (("sql", "SQL"), ("statistics", "Statistics"), ("python", "Python"))
    assert s.next_steps == (
        NextStep("sql", "SQL", "Open the lesson for SQL: lessons/sql-foundations/sql-foundations.ipynb", "lessons/sql-foundations/sql-foundations.ipynb"),
        NextStep("statistics", "Statistics", "Open the lesson for Statistics: lessons/statistics-inference/statistics-inference.ipynb", "lessons/statistics-inference/statistics-inference.ipynb"),
        NextStep("python", "Python", "Study the module “Data analysis with NumPy and pandas” for Python, then retry its questions."),
    )


def test_summary_all_right_says_to_move_on():
    """With every latest answer right there is nothing to review and one step: go on with the plan."""
    from rolecourse.assessment.summary import quiz_summary

    right = [grade(q, a) for q, a in zip(BANK.questions, [0, [0, 1], False, 15, "order by"])]
    s = quiz_summary(BANK.questions, right, lessons=LINKS)
    assert s.score == 5 and s.to_review == () and s.skills == ()
    assert [step.text for step in s.next_steps] == ["Every answer is right: go on to the next module of your plan."]


def test_prompt_start_cuts_long_prompts_only():
    """A prompt's first words name it; only a cut prompt gets an ellipsis."""
    from rolecourse.assessment.summary import prompt_start

    assert prompt_start("one two three", words=3) == "one two three"
    assert prompt_start("one  two three four", words=3) == "one two three …"
