"""Answer keys of quiz banks and their check, as the role notebooks use them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from rolecourse.assessment.answer_keys import answer_key, grade_answers, quiz_key, QuizScore, wrong_answer
from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import UsageError
from rolecourse.assessment.grading import AnswerStatus, grade
from rolecourse.assessment.questions import load_quiz, Option, validate_quiz_file

QUIZ = Path(__file__).parent / "fixtures" / "quiz"
KNOWN = yaml.safe_load((QUIZ / "known-ids.yaml").read_text(encoding="utf-8"))
BANK = validate_quiz_file(QUIZ / "mini.yaml", skills=KNOWN["skills"], roles=KNOWN["roles"])
CUR = load_curriculum()
ROLE_IDS = [r.id for r in CUR.roles]


@pytest.mark.parametrize("question", BANK.questions, ids=lambda q: q.id)
def test_answer_key_is_graded_correct(question):
    """The derived key of every question type is graded fully right."""
    assert grade(question, answer_key(question)).status is AnswerStatus.CORRECT


@pytest.mark.parametrize("question", BANK.questions, ids=lambda q: q.id)
def test_wrong_answer_is_not_correct(question):
    """The derived wrong answer of every question type is graded not fully right."""
    fb = grade(question, wrong_answer(question))
    assert fb.status in (AnswerStatus.INCORRECT, AnswerStatus.PARTLY_CORRECT)


def test_answer_key_forms():
    """Keys are an index, a list of indices, a bool, a number and a text, by type."""
    key = quiz_key(BANK)
    assert list(key) == [q.id for q in BANK.questions]
    single, multiple, tf, numeric, text = key.values()
    assert isinstance(single, int) and not isinstance(single, bool)
    assert isinstance(multiple, list) and multiple == sorted(multiple)
    assert isinstance(tf, bool)
    assert isinstance(numeric, (int, float)) and not isinstance(numeric, bool)
    assert isinstance(text, str)


def test_full_key_gives_full_marks():
    """Grading the whole key gives n/n correct and full marks."""
    score = grade_answers(BANK, quiz_key(BANK))
    assert score == QuizScore(BANK.role, 5, 5, ())
    assert score.full_marks
    assert str(score) == "5/5 correct"


def test_one_wrong_answer_loses_full_marks():
    """Swapping one answer for a wrong one gives n-1/n and names the question."""
    first = BANK.questions[0]
    score = grade_answers(BANK, {**quiz_key(BANK), first.id: wrong_answer(first)})
    assert not score.full_marks
    assert str(score) == f"4/5 correct; not right: {first.id}"


def test_missing_answer_counts_as_not_right():
    """A question left out of the answers is not right."""
    key = quiz_key(BANK)
    last = BANK.questions[-1].id
    del key[last]
    score = grade_answers(BANK, key)
    assert (score.correct, score.not_correct) == (4, (last,))


def test_unknown_question_id_is_reported():
    """An answer for a question the bank lacks prevents full marks and is named."""
    score = grade_answers(BANK, {**quiz_key(BANK), "no-such-question": 1})
    assert score.correct == 5
    assert not score.full_marks
    assert str(score) == "5/5 correct; not in the bank: no-such-question"


def test_answer_of_wrong_kind_is_usage_error():
    """An option index the question does not have raises UsageError, not a traceback of another kind."""
    with pytest.raises(UsageError):
        grade_answers(BANK, {BANK.questions[0].id: 99})


def test_wrong_answer_needs_a_wrong_option():
    """A choice question whose options are all correct has no wrong answer: UsageError."""
    q = BANK.questions[0]
    all_right = dataclasses.replace(q, options=tuple(Option(o.text, True, o.feedback) for o in q.options))
    with pytest.raises(UsageError):
        wrong_answer(all_right)


@pytest.mark.parametrize("role", ROLE_IDS)
def test_shipped_banks_key_and_wrong_answers(role):
    """Every shipped bank: its key gives full marks and each wrong answer costs exactly that question."""
    quiz = load_quiz(role, curriculum=CUR)
    key = quiz_key(quiz)
    assert grade_answers(quiz, key).full_marks
    for q in quiz.questions:
        score = grade_answers(quiz, {**key, q.id: wrong_answer(q)})
        assert score.not_correct == (q.id,)


# -- profile_markdown ------------------------------------------------------------------------
from rolecourse.export.text import profile_markdown  # noqa: E402


def test_profile_markdown_has_every_section():
    """The Markdown profile has the summary, every responsibility, every key skill and the related roles."""
    cur = CUR
    role = cur.role("data-analyst")
    md = profile_markdown(cur, "data-analyst")
    assert md.startswith(f"**{role.name}**: ")
    assert "### Responsibilities" in md and "### Key skills" in md and "### Related roles" in md
    for r in role.responsibilities:
        assert f"- **{r.title}**: " in md
    for sid in role.skill_ids:
        assert f"- {cur.skills[sid].name}" in md
    assert role.day_in_the_life[:40] not in md


def test_profile_markdown_heading_level():
    """heading_level sets the depth of the section headings."""
    md = profile_markdown(CUR, "data-engineer", heading_level=2)
    assert "\n## Responsibilities\n" in md


def test_profile_markdown_escapes_markdown(tiny_curriculum_path):
    """Markdown specials in content are escaped so they show as written."""
    from rolecourse.export.text import _md

    assert _md("a*b_c [x] `y` <b>|") == "a\\*b\\_c \\[x\\] \\`y\\` \\<b\\>\\|"
    cur = load_curriculum(tiny_curriculum_path)
    md = profile_markdown(cur, cur.roles[0].id)
    assert md.endswith("\n")


def test_profile_markdown_bad_heading_level_is_usage_error():
    """A heading level outside 1..5 is a UsageError."""
    with pytest.raises(UsageError):
        profile_markdown(CUR, "data-analyst", heading_level=0)


def test_profile_markdown_unknown_role():
    """An unknown role id raises UnknownNameError with close matches."""
    from rolecourse.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="data-analyst"):
        profile_markdown(CUR, "data-analist")


# -- transition_table ------------------------------------------------------------------------
from rolecourse.planning.compare import compare_roles  # noqa: E402
from rolecourse.export.text import transition_table  # noqa: E402


def test_transition_table_rows_columns_and_hours():
    """One row per role, numbered columns, '-' on the diagonal and the comparison's hours elsewhere."""
    comp = compare_roles(CUR, ["data-analyst", "data-scientist", "dl-engineer"])
    lines = transition_table(comp).splitlines()
    assert lines[0].split()[-3:] == ["1", "2", "3"]
    assert len(lines) == 4
    row = lines[2]
    assert row.startswith("2. Data Scientist")
    cells = row.split()[-3:]
    assert cells[1] == "-"
    assert cells[0] == f"{comp.pair('data-scientist', 'data-analyst').hours_a_to_b:g}"
    assert cells[2] == f"{comp.pair('data-scientist', 'dl-engineer').hours_a_to_b:g}"


def test_transition_table_shows_the_dl_overlap():
    """Moving from Deep Learning Engineer to DL Engineer needs no study: the table says 0."""
    comp = compare_roles(CUR, ["dl-engineer", "deep-learning-engineer"])
    rows = transition_table(comp).splitlines()[1:]
    assert rows[1].split()[-2:] == ["0", "-"]
