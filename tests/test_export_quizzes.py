"""Exports for instructors: golden files, GIFT escaping read back by pygiftparser, QTI read back as XML.

Golden files live in tests/golden/quiz/. After an intended change of an export, refresh them with
    ROLECOURSE_UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_export_quizzes.py
and review the diff before committing.
"""

from __future__ import annotations

import html
import io
import json
import os
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from rolecourse.errors import UsageError
from rolecourse.assessment.questions import QuestionType, load_quiz, validate_quiz_file
from rolecourse.export.quizzes import FORMATS, export, export_quiz, export_quizzes, gift_escape, qti_package

QUIZ = Path(__file__).parent / "fixtures" / "quiz"
GOLDEN = Path(__file__).parent / "golden" / "quiz"
KNOWN = yaml.safe_load((QUIZ / "known-ids.yaml").read_text(encoding="utf-8"))
BANK = validate_quiz_file(QUIZ / "mini.yaml", skills=KNOWN["skills"], roles=KNOWN["roles"])
UPDATE = os.environ.get("ROLECOURSE_UPDATE_GOLDENS") == "1"
NS = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
SUFFIX = {"gift": "gift", "qti": "xml", "json": "json", "md": "md", "html": "html"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_matches_golden(fmt):
    """Each format renders the fixture bank exactly as its golden file."""
    text = export_quiz(BANK, fmt)
    golden = GOLDEN / f"mini.{SUFFIX[fmt]}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_unknown_format():
    """An unknown format is a usage error naming the known ones."""
    with pytest.raises(UsageError, match="gift, qti, json, md, html"):
        export_quiz(BANK, "docx")


# -- GIFT ----------------------------------------------------------------------------------
def test_gift_escape():
    """GIFT escaping backslashes every special character and the backslash itself; newlines become \\n."""
    assert gift_escape(r"a~b=c#d{e}f:g\h" + "\nnext") == r"a\~b\=c\#d\{e\}f\:g\\h\nnext"


def _parse_gift(text: str):
    from pygiftparser import parser

    return parser.parseFile(io.StringIO(text))


def test_gift_reads_back_with_pygiftparser():
    """pygiftparser reads every question back with its title, text, options, right answers and feedback."""
    from pygiftparser import answer as pga
    from pygiftparser.utils import transformSpecials

    parsed = _parse_gift(export_quiz(BANK, "gift"))
    assert [p.title for p in parsed] == [q.id for q in BANK.questions]
    assert all(p.valid for p in parsed)
    single, multiple, tf, numeric, text = parsed
    assert transformSpecials(single.text) == BANK.questions[0].prompt
    assert isinstance(single.answers, pga.SelectSet)
    got = [(transformSpecials(a.answer), a.fraction, transformSpecials(a.feedback)) for a in single.answers.answers]
    assert got == [(o.text, 100 if o.correct else 0, o.feedback) for o in BANK.questions[0].options]
    assert transformSpecials(single.generalFeedback) == BANK.questions[0].explanation
    assert isinstance(multiple.answers, pga.MultipleChoicesSet)
    assert [a.fraction for a in multiple.answers.answers] == [50.0, 50.0, -50.0, -50.0]
    assert isinstance(tf.answers, pga.TrueFalseSet)
    assert isinstance(numeric.answers, pga.NumericAnswerSet)
    assert (numeric.answers.answers[0].value, numeric.answers.answers[0].tolerance) == (15.0, 0.5)
    assert isinstance(text.answers, pga.ShortSet)
    assert [a.answer for a in text.answers.answers] == ["ORDER BY"]


def test_shipped_gift_reads_back():
    """The data-analyst bank's GIFT parses into as many valid questions, of the right kinds, as the bank has."""
    from pygiftparser import answer as pga

    quiz = load_quiz("data-analyst")
    parsed = _parse_gift(export_quiz(quiz, "gift"))
    kinds = {
        QuestionType.SINGLE: pga.SelectSet,
        QuestionType.MULTIPLE: pga.MultipleChoicesSet,
        QuestionType.TRUE_FALSE: pga.TrueFalseSet,
        QuestionType.NUMERIC: pga.NumericAnswerSet,
        QuestionType.TEXT: pga.ShortSet,
    }
    assert [p.title for p in parsed] == [q.id for q in quiz.questions]
    for p, q in zip(parsed, quiz.questions):
        assert p.valid, q.id
        assert isinstance(p.answers, kinds[q.type]), q.id
        if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            assert len(p.answers.answers) == len(q.options), q.id


def test_gift_multiple_weights_sum_to_100():
    """Right picks of multiple-select questions carry weights that sum to 100%, wrong ones negative."""
    for quiz in [BANK, load_quiz("data-engineer")]:
        for p, q in zip(_parse_gift(export_quiz(quiz, "gift")), quiz.questions):
            if q.type is QuestionType.MULTIPLE:
                fractions = [a.fraction for a in p.answers.answers]
                assert abs(sum(f for f in fractions if f > 0) - 100) < 0.001, q.id
                assert all(f < 0 for f, o in zip(fractions, q.options) if not o.correct), q.id


# -- QTI -------------------------------------------------------------------------------------
def test_qti_reads_back_as_xml():
    """The QTI XML parses, with one item per question, Canvas types, right answers and feedback for each option."""
    root = ET.fromstring(export_quiz(BANK, "qti"))
    items = root.findall(f".//{NS}item")
    assert [i.get("ident") for i in items] == [q.id for q in BANK.questions]
    types = [i.find(f".//{NS}qtimetadatafield[{NS}fieldlabel='question_type']/{NS}fieldentry").text for i in items]
    assert types == ["multiple_choice_question", "multiple_answers_question", "true_false_question", "numerical_question", "short_answer_question"]
    single = items[0]
    scored = [c for c in single.iter(f"{NS}respcondition") if c.find(f"{NS}setvar") is not None]
    assert [c.find(f".//{NS}varequal").text for c in scored] == ["mini-single-0"]
    fb_ids = {f.get("ident") for f in single.findall(f"{NS}itemfeedback")}
    assert fb_ids == {"general_fb", "mini-single-0_fb", "mini-single-1_fb", "mini-single-2_fb"}
    numeric = items[3]
    assert numeric.find(f".//{NS}vargte").text == "14.5"
    assert numeric.find(f".//{NS}varlte").text == "15.5"
    assert [v.text for v in items[4].iter(f"{NS}varequal")] == ["ORDER BY"]


def test_qti_package_is_deterministic_and_complete():
    """The QTI zip holds a manifest naming one assessment file per bank, and is the same bytes each time."""
    banks = [BANK]
    data = qti_package(banks)
    assert data == qti_package(banks)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert names == ["imsmanifest.xml", "rolecourse-data-analyst/rolecourse-data-analyst.xml"]
        manifest = ET.fromstring(zf.read("imsmanifest.xml"))
        hrefs = [f.get("href") for f in manifest.iter() if f.tag.endswith("file")]
        assert hrefs == names[1:]
        assessment = ET.fromstring(zf.read(names[1]))
        assert len(assessment.findall(f".//{NS}item")) == len(BANK.questions)


# -- JSON --------------------------------------------------------------------------------------
def test_json_is_jupyterquiz_shaped():
    """The JSON is a list of jupyterquiz questions with the expected types and answers."""
    items = json.loads(export_quiz(BANK, "json"))
    assert [i["type"] for i in items] == ["multiple_choice", "many_choice", "multiple_choice", "numeric", "string"]
    for item in items:
        assert set(item) == {"question", "type", "answers"}
    assert [a["correct"] for a in items[1]["answers"]] == [True, True, False, False]
    assert items[3]["answers"][1] == {"type": "range", "range": [14.5, 15.5], "correct": True, "feedback": "Right: 120 / 8 = 15. Weeks = total hours / weekly hours."}
    assert items[3]["answers"][-1]["type"] == "default"


def test_export_all_concatenates_banks():
    """export_quizzes renders several banks in one document."""
    text = export_quizzes([BANK, BANK], "md")
    assert text.count("# Mini bank: one question of each type: answer sheet") == 2


def test_export_entry_point():
    """export() loads a role or all banks and returns UTF-8 text, or zip bytes for qti."""
    gift = export("data-analyst", "gift").decode("utf-8")
    assert gift.startswith("// Data Analyst")
    assert "$CATEGORY: $course$/rolecourse/data-analyst" in gift
    assert export("all", "qti")[:2] == b"PK"


# -- Units, student sheets, shuffled orders, html ---------------------------------------------
ALL_BANKS = None


def _all_banks():
    global ALL_BANKS
    if ALL_BANKS is None:
        from rolecourse.assessment.questions import load_all_quizzes

        ALL_BANKS = load_all_quizzes()
    return ALL_BANKS


@pytest.mark.parametrize("suffix", ["md", "html"])
def test_student_goldens(suffix):
    """The student sheets (md, html, in the fixed shuffled order) match their golden files."""
    text = export_quiz(BANK, suffix, student=True, shuffle="rolecourse")
    golden = GOLDEN / f"mini-student.{suffix}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def _unit_questions():
    return [(bank, q) for bank in _all_banks() for q in bank.questions if q.unit]


def test_every_unit_kept_in_every_format():
    """Every numeric question with a unit (da-percent-change's %, rows, weeks…) shows it in every export format."""
    pairs = _unit_questions()
    assert any(q.id == "da-percent-change" and q.unit == "%" for _, q in pairs)
    for bank, q in pairs:
        single = bank.__class__(**{**{f: getattr(bank, f) for f in bank.__dataclass_fields__}, "questions": (q,)})
        needle = f"(in {q.unit})"
        for fmt in FORMATS:
            text = export_quiz(single, fmt)
            shown = html.unescape(text) if fmt in ("qti", "json", "html") else text.replace("\\", "")
            assert needle in shown, (q.id, fmt)
        for fmt in ("md", "html"):
            sheet = export_quiz(single, fmt, student=True)
            assert f"{q.unit}" in html.unescape(sheet).split("Answer:")[1], (q.id, fmt)
            assert needle in html.unescape(sheet).replace("\\", ""), (q.id, fmt)
        assert q.correct_answer_text.endswith(q.unit) and q.correct_answer_text in html.unescape(export_quiz(single, "html"))


def test_student_sheets_give_nothing_away():
    """A student sheet of every shipped bank holds no feedback, no explanation, no tick and no accepted answer."""
    for bank in _all_banks():
        for fmt in ("md", "html"):
            sheet = html.unescape(export_quiz(bank, fmt, student=True, shuffle="x")).replace("\\", "")
            assert "[x]" not in sheet and "☑" not in sheet and "Why:" not in sheet
            for q in bank.questions:
                for text in [q.explanation, *(o.feedback for o in q.options)]:
                    assert text not in sheet, (bank.role, q.id, text)
                if q.type is QuestionType.NUMERIC:
                    assert f"Answer: {q.correct_answer_text}" not in sheet


def test_shuffle_orders_agree_between_sheet_and_key():
    """A seed gives each student their own option order; the key with the same seed letters the right answer alike."""
    from rolecourse.export.quizzes import option_order

    quiz = load_quiz("data-analyst")
    q = next(q for q in quiz.questions if q.type is QuestionType.SINGLE)
    orders = {seed: option_order(q, seed) for seed in ("Ada Lovelace", "Grace Hopper", "Alan Turing", "rolecourse")}
    assert option_order(q, None) == list(range(len(q.options)))
    assert len({tuple(o) for o in orders.values()}) > 1
    assert all(sorted(o) == list(range(len(q.options))) for o in orders.values())
    sheet = export_quiz(quiz, "md", student=True, shuffle="Ada Lovelace", name="Ada Lovelace")
    key = export_quiz(quiz, "md", shuffle="Ada Lovelace")
    right = q.options[q.correct_options[0]].text
    letter = "ABCDEFGH"[orders["Ada Lovelace"].index(q.correct_options[0])]
    assert f"- [ ] {letter}. " in sheet and f"- [x] {letter}. **{right}**" in key
    assert "Name: Ada Lovelace" in sheet
    assert export_quiz(quiz, "html", student=True, shuffle="Ada Lovelace") == export_quiz(quiz, "html", student=True, shuffle="Ada Lovelace")


def test_student_and_shuffle_only_for_printed_formats():
    """Student sheets and shuffled orders exist in md and html; asked of gift, qti or json, a usage error says so."""
    with pytest.raises(UsageError, match="printed as md or html, not gift"):
        export_quiz(BANK, "gift", student=True)
    with pytest.raises(UsageError, match="an LMS shuffles"):
        export_quiz(BANK, "json", shuffle="x")
