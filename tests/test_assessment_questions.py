"""Quiz banks and the questionnaire: loading, validation errors (exact lines), shipped content."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rolecourse.errors import ContentError, UnknownNameError
from rolecourse.content.model import Level
from rolecourse.assessment.questions import (
    Questionnaire,
    QuestionType,
    QuestionBank,
    load_all_quizzes,
    load_questionnaire,
    load_quiz,
    normalise_text,
    question_counts,
    quizzes_dir,
    review_questions,
    validate_quiz_file,
)

QUIZ = Path(__file__).parent / "fixtures" / "quiz"
KNOWN = yaml.safe_load((QUIZ / "known-ids.yaml").read_text(encoding="utf-8"))
SKILLS, ROLES = KNOWN["skills"], KNOWN["roles"]


def _errors(name: str) -> list[str]:
    path = QUIZ / name
    with pytest.raises(ContentError) as info:
        validate_quiz_file(path, skills=SKILLS, roles=ROLES)
    return [str(p).replace(str(QUIZ) + "/", "") for p in info.value.problems]


# -- loading ------------------------------------------------------------------------
def test_mini_bank_loads_every_type():
    """The fixture bank loads into one question of each type, in file order, with its role."""
    quiz = validate_quiz_file(QUIZ / "mini.yaml", skills=SKILLS, roles=ROLES)
    assert isinstance(quiz, QuestionBank)
    assert [q.type for q in quiz.questions] == list(QuestionType)
    assert {q.role for q in quiz.questions} == {"data-analyst"}
    assert quiz.question("mini-numeric").tolerance == 0.5
    assert quiz.question("mini-numeric").unit == "weeks"
    assert quiz.question("mini-multiple").level is Level.INTERMEDIATE


def test_true_false_becomes_two_options():
    """A true-false question gets the options True and False with the right one marked."""
    q = validate_quiz_file(QUIZ / "mini.yaml", skills=SKILLS, roles=ROLES).question("mini-true-false")
    assert [(o.text, o.correct) for o in q.options] == [("True", False), ("False", True)]
    assert q.options[1].feedback == "Right: it does not."


def test_unknown_question_id_suggests():
    """Asking a bank for a missing question id raises UnknownNameError with a close match."""
    quiz = validate_quiz_file(QUIZ / "mini.yaml", skills=SKILLS, roles=ROLES)
    with pytest.raises(UnknownNameError, match="mini-text"):
        quiz.question("mini-txt")


def test_questionnaire_loads():
    """A file with statements loads as a Questionnaire with its roles in first-mention order."""
    q = validate_quiz_file(QUIZ / "questionnaire.yaml", skills=SKILLS, roles=ROLES)
    assert isinstance(q, Questionnaire)
    assert q.roles == ("data-analyst", "data-scientist", "data-engineer")
    assert q.scale == ("No", "A little", "Yes")


def test_normalise_text():
    """Normalisation folds case, turns punctuation into spaces and collapses whitespace."""
    assert normalise_text("  Group-By! ") == "group by"
    assert normalise_text("ORDER\tBY") == normalise_text("order by")


def test_review_questions_in_due_order():
    """review_questions returns the due questions in the order given, skipping unknown ids and repeats."""
    quiz = validate_quiz_file(QUIZ / "mini.yaml", skills=SKILLS, roles=ROLES)
    got = review_questions([quiz], ["mini-text", "gone-question", "mini-single", "mini-text"])
    assert [q.id for q in got] == ["mini-text", "mini-single"]


# -- validation errors (one fixture each, exact line) -------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad-unknown-field.yaml", [
            "bad-unknown-field.yaml:5:5: questions[0].prompt: expected a value for this required field, found none (field is missing)",
            "bad-unknown-field.yaml:9:5: questions[0].promt: expected a known field, found unknown field 'promt'; did you mean 'prompt'?",
        ]),
        ("bad-wrong-type.yaml", ["bad-wrong-type.yaml:8:13: questions[0].skills: expected a list, found 'sql' (a string)"]),
        ("bad-no-correct.yaml", ["bad-no-correct.yaml:12:7: questions[0].options: expected at least one correct option, found none"]),
        ("bad-single-two-correct.yaml", [
            "bad-single-two-correct.yaml:12:7: questions[0].options: expected exactly one correct option for a single-choice question, found 2",
        ]),
        ("bad-missing-feedback.yaml", [
            "bad-missing-feedback.yaml:13:9: questions[0].options[1].feedback: expected a value for this required field, found none (field is missing)",
        ]),
        ("bad-duplicate-id.yaml", [
            "bad-duplicate-id.yaml:14:9: questions[1].id: expected each question id once, found 'q-one' again (first at questions[0])",
        ]),
        ("bad-unknown-skill.yaml", [
            "bad-unknown-skill.yaml:8:14: questions[0].skills[0]: expected the id of a known skill, found 'sqll'; did you mean 'sql'?",
        ]),
        ("bad-negative-tolerance.yaml", ["bad-negative-tolerance.yaml:12:16: questions[0].tolerance: expected a number at least 0, found -1"]),
        ("bad-infinite-tolerance.yaml", ["bad-infinite-tolerance.yaml:12:16: questions[0].tolerance: expected a finite number, found inf"]),
        ("bad-schema-version.yaml", [
            "bad-schema-version.yaml:1:17: schema_version: expected quiz bank schema_version 1 or older, found 2: this file needs a newer rolecourse",
        ]),
        ("bad-unknown-type.yaml", [
            "bad-unknown-type.yaml:6:11: questions[0].type: expected one of 'single', 'multiple', 'true-false', 'numeric', 'text', found 'singel' (a string) (did you mean 'single'?)",
        ]),
        ("bad-text.yaml", [
            "bad-text.yaml:11:14: questions[0].accept[0]: expected an answer with letters or digits, found '?!' (nothing is left after normalisation)",
            "bad-text.yaml:12:15: questions[0].feedback.incorrect: expected a value for this required field, found none (field is missing)",
        ]),
        ("bad-true-false.yaml", [
            "bad-true-false.yaml:7:12: questions[0].level: expected one of 'foundation', 'intermediate', 'advanced', found 'expert' (a string)",
            "bad-true-false.yaml:11:13: questions[0].answer: expected true or false, found 'yes' (a string)",
        ]),
        ("bad-questionnaire.yaml", [
            "bad-questionnaire.yaml:12:15: statements[1].weights.data-enginer: expected the id of a known role, found 'data-enginer'; did you mean 'data-engineer'?",
            "bad-questionnaire.yaml:16:31: statements[2].weights.data-scientist: expected a number greater than 0, found 0",
        ]),
    ],
)
def test_bad_file_reports_exact_lines(name, expected):
    """Each broken fixture is reported with exactly these file:line:col: field: message lines."""
    assert _errors(name) == expected


def test_unchecked_skills_when_told_nothing_is_known(tmp_path):
    """With an explicit skill set, only those skills are accepted (the check follows the argument)."""
    with pytest.raises(ContentError, match="expected the id of a known skill, found 'sql'"):
        validate_quiz_file(QUIZ / "mini.yaml", skills=["python"], roles=ROLES)


def test_load_quiz_checks_role(tmp_path):
    """load_quiz with an explicit path refuses a bank of another role."""
    with pytest.raises(ContentError, match="expected the bank of 'data-engineer', found the bank of 'data-analyst'"):
        load_quiz("data-engineer", QUIZ / "mini.yaml", skills=SKILLS)


def test_load_quiz_unknown_role():
    """An unknown role id raises UnknownNameError with a close match."""
    with pytest.raises(UnknownNameError, match="data-analyst"):
        load_quiz("data-analist")


def test_duplicate_ids_across_banks(tmp_path):
    """load_all_quizzes refuses a question id used in two banks."""
    text = (QUIZ / "mini.yaml").read_text(encoding="utf-8")
    (tmp_path / "data-analyst.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "data-engineer.yaml").write_text(text.replace("role: data-analyst", "role: data-engineer"), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_all_quizzes(tmp_path, skills=SKILLS)
    lines = str(info.value).splitlines()
    assert len(lines) == 5
    assert "questions[0].id: expected a question id unique across banks, found 'mini-single' again" in lines[0]


# -- shipped content -------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped() -> tuple[QuestionBank, ...]:
    return load_all_quizzes(skills=SKILLS)


def test_every_role_has_a_bank_of_at_least_12(shipped):
    """Each of the seven roles has a bank of at least 12 questions, 84 or more in all."""
    counts = {q.role: len(q.questions) for q in shipped}
    assert set(counts) == set(ROLES)
    assert min(counts.values()) >= 12
    assert sum(counts.values()) >= 84


def test_shipped_questions_are_well_formed(shipped):
    """Every shipped question has an explanation, feedback for each option/outcome and a right answer."""
    for quiz in shipped:
        for q in quiz.questions:
            assert q.explanation and q.prompt, q.id
            if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE):
                assert len(q.options) >= 2, q.id
                assert all(o.feedback.strip() for o in q.options), q.id
                assert q.correct_options, q.id
            if q.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
                assert len(q.correct_options) == 1, q.id
            if q.type in (QuestionType.NUMERIC, QuestionType.TEXT, QuestionType.TRUE_FALSE):
                assert q.correct_feedback and q.incorrect_feedback, q.id


def test_shipped_banks_use_every_type(shipped):
    """Across the banks, every question type is used, and each bank mixes at least four types."""
    types = {q.type for quiz in shipped for q in quiz.questions}
    assert types == set(QuestionType)
    for quiz in shipped:
        assert len({q.type for q in quiz.questions}) >= 4, quiz.role


def test_shipped_correct_options_are_not_always_first(shipped):
    """The right option of single-choice questions is not always in the same position."""
    positions = {q.correct_options[0] for quiz in shipped for q in quiz.questions if q.type is QuestionType.SINGLE}
    assert len(positions) >= 3


def test_shipped_banks_match_shipped_curriculum():
    """The shipped banks and questionnaire validate against the shipped roles.yaml."""
    from rolecourse.content.curriculum import load_curriculum

    curriculum = load_curriculum()
    assert len(load_all_quizzes(curriculum=curriculum)) == len(curriculum.roles)
    questionnaire = load_questionnaire(curriculum=curriculum)
    assert set(questionnaire.roles) == {r.id for r in curriculum.roles}
    assert len(questionnaire.statements) >= 10


def test_every_shipped_file_validates():
    """validate_quiz_file accepts every file of the shipped quizzes folder."""
    for path in sorted(quizzes_dir().glob("*.yaml")):
        assert validate_quiz_file(path, skills=SKILLS, roles=ROLES) is not None


def test_question_counts(shipped):
    """question_counts gives per-role totals and per-type counts that add up."""
    counts = question_counts()
    assert list(counts) == [q.role for q in load_all_quizzes()]
    for row in counts.values():
        assert row["total"] == sum(v for k, v in row.items() if k != "total")
