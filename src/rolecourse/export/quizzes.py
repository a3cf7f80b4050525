"""Quiz banks for instructors: Moodle GIFT, Canvas QTI 1.2, jupyterquiz JSON and a Markdown answer sheet.

Every function here is pure and deterministic (same bank, same bytes): no dates, no random
ids. :func:`export_quiz` renders one bank as text; :func:`export_quizzes` renders several
(``all``); :func:`qti_package` builds the zip Canvas imports; :func:`export` is what the
``rolecourse quiz export`` command calls.

Format notes:

* **GIFT** (Moodle): one ``$CATEGORY`` per role; ``\\ ~ = # { } :`` are escaped with a
  backslash and line breaks written as ``\\n``. Multiple-select answers carry Moodle grade
  percentages (each right pick ``100/#correct``, each wrong pick the negative), the same
  scoring as :func:`rolecourse.assessment.grading.grade`. Numeric and short-text questions put the
  explanation and the worked answer in the general feedback (GIFT has no "otherwise").
* **QTI** (Canvas flavour of IMS QTI 1.2): one ``<assessment>`` per bank; item types
  ``multiple_choice_question``, ``multiple_answers_question``, ``true_false_question``,
  ``numerical_question`` and ``short_answer_question``, each option with its feedback.
* **JSON** (jupyterquiz): a list of ``{"question", "type", "answers"}``; ``multiple_choice``
  (one right option, also true/false), ``many_choice``, ``numeric`` (a ``value`` and,
  with a tolerance, a ``range``, then a ``default``) and ``string``. Each answer's feedback
  ends with the explanation.
* **md** and **html**: an answer key with every option, the right answers ticked, feedback and
  explanation (html: one self-contained printable page).
* **Student sheets** (``student=True``, md and html): the questions without answers, feedback
  or explanations, options lettered A, B, C… with a box to tick, lines to write a number or a
  word on, and a name line. ``shuffle`` orders each question's options by a seed: any text
  (``"Ada Lovelace"`` gives that student their own order; the same seed gives the same order
  on the student's sheet and on the answer key made with it); ``None`` keeps the bank's order.
* **Units**: a numeric question's unit is written in every format, after its prompt
  (``(in %)``), and in the answer keys after the value.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from typing import Iterable, Sequence
from xml.etree import ElementTree as ET

from ..errors import UsageError
from ..assessment.answers import accepted_values
from ..assessment.questions import Question, QuestionType, QuestionBank, format_number, normalise_text
from .names import FIXED_SHUFFLE, QUIZ_FORMATS, STUDENT_FORMATS
from .quiz_sheets import TYPE_NAMES, printable_html, letter, student_markdown, option_order, prompt_with_unit

FORMATS = QUIZ_FORMATS
"""Export formats, as the command line names them (:data:`rolecourse.export.names.QUIZ_FORMATS`)."""

_QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


def export_quiz(quiz: QuestionBank, fmt: str, *, student: bool = False, shuffle: str | None = None, name: str = "") -> str:
    """Render one bank in ``fmt`` (``gift``, ``qti`` — the assessment XML —, ``json``, ``md`` or ``html``).

    ``student``, ``shuffle`` and ``name``: see :func:`export_quizzes`.
    """
    return export_quizzes([quiz], fmt, student=student, shuffle=shuffle, name=name)


def export_quizzes(quizzes: Sequence[QuestionBank], fmt: str, *, student: bool = False, shuffle: str | None = None, name: str = "") -> str:
    """Render several banks as one document (``qti``: one XML holding one assessment per bank).

    ``student=True`` renders the printable sheet without answers (md or html only); ``shuffle``
    (md and html) orders each question's options by that seed, the same on a sheet and on its
    key; ``name`` is printed on a student sheet's name line.
    """
    _check_format(fmt)
    if student and fmt not in STUDENT_FORMATS:
        raise UsageError(f"a student sheet is printed as {' or '.join(STUDENT_FORMATS)}, not {fmt}")
    if shuffle is not None and fmt not in STUDENT_FORMATS:
        raise UsageError(f"shuffled options are for printed sheets ({' or '.join(STUDENT_FORMATS)}); {fmt} keeps the bank's order (an LMS shuffles for each student)")
    if fmt == "md":
        return "\n".join((student_markdown if student else _md_quiz)(q, shuffle, name) for q in quizzes)
    if fmt == "html":
        return printable_html(quizzes, student, shuffle, name)
    if fmt == "gift":
        return "\n".join(_gift_quiz(q) for q in quizzes)
    if fmt == "json":
        items = [_json_question(q) for quiz in quizzes for q in quiz.questions]
        return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    root = ET.Element("questestinterop", {"xmlns": _QTI_NS})
    for quiz in quizzes:
        root.append(_qti_assessment(quiz))
    return _xml_text(root)


def qti_package(quizzes: Sequence[QuestionBank]) -> bytes:
    """A Canvas-importable QTI zip: ``imsmanifest.xml`` and one assessment file per bank."""
    buf = io.BytesIO()
    manifest = ET.Element(
        "manifest",
        {"identifier": "rolecourse-quizzes", "xmlns": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"},
    )
    meta = ET.SubElement(manifest, "metadata")
    ET.SubElement(meta, "schema").text = "IMS Content"
    ET.SubElement(meta, "schemaversion").text = "1.1.3"
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    files: list[tuple[str, str]] = []
    for quiz in quizzes:
        ident = f"rolecourse-{quiz.role}"
        href = f"{ident}/{ident}.xml"
        res = ET.SubElement(resources, "resource", {"identifier": ident, "type": "imsqti_xmlv1p2"})
        ET.SubElement(res, "file", {"href": href})
        root = ET.Element("questestinterop", {"xmlns": _QTI_NS})
        root.append(_qti_assessment(quiz))
        files.append((href, _xml_text(root)))
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in [("imsmanifest.xml", _xml_text(manifest)), *files]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def export(target: str, fmt: str, *, curriculum_path: str | None = None, student: bool = False, shuffle: str | None = None, name: str = "") -> bytes:
    """Load ``target`` (a role id or ``all``) and render it in ``fmt``; UTF-8 text, or a zip for ``qti``.

    ``student``, ``shuffle`` and ``name``: see :func:`export_quizzes`.
    """
    from ..assessment.questions import load_all_quizzes, load_quiz

    _check_format(fmt)
    curriculum = None
    if curriculum_path is not None:
        from ..content.curriculum import load_curriculum

        curriculum = load_curriculum(curriculum_path)
    quizzes = load_all_quizzes(curriculum=curriculum) if target == "all" else (load_quiz(target, curriculum=curriculum),)
    if fmt == "qti" and not student and shuffle is None:
        return qti_package(quizzes)
    return export_quizzes(quizzes, fmt, student=student, shuffle=shuffle, name=name).encode("utf-8")


# -- GIFT -------------------------------------------------------------------------------
_GIFT_SPECIAL = str.maketrans({c: "\\" + c for c in "~=#{}:"})


def gift_escape(text: str) -> str:
    """Escape text for GIFT: backslash first, then ``~ = # { } :``; newlines become ``\\n``."""
    escaped = text.replace("\\", "\\\\").translate(_GIFT_SPECIAL)
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def _gift_weight(fraction: float) -> str:
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return f"%{text}%"


def _gift_quiz(quiz: QuestionBank) -> str:
    lines = [f"// {quiz.title} ({len(quiz.questions)} questions), exported by rolecourse", f"$CATEGORY: $course$/rolecourse/{quiz.role}", ""]
    for q in quiz.questions:
        lines.append(f"// {q.id} | {q.type.value} | {q.level.value} | skills: {', '.join(q.skills)}")
        lines.append(f"::{gift_escape(q.id)}::{gift_escape(prompt_with_unit(q))} {{")
        general = q.explanation
        if q.type is QuestionType.SINGLE:
            for o in q.options:
                lines.append(f"\t{'=' if o.correct else '~'}{gift_escape(o.text)}#{gift_escape(o.feedback)}")
        elif q.type is QuestionType.MULTIPLE:
            n = len(q.correct_options)
            for o in q.options:
                weight = _gift_weight((1 if o.correct else -1) / n)
                lines.append(f"\t~{weight}{gift_escape(o.text)}#{gift_escape(o.feedback)}")
        elif q.type is QuestionType.TRUE_FALSE:
            # GIFT: first feedback is shown for a wrong answer, the second for the right one
            lines.append(f"\t{'TRUE' if q.answer else 'FALSE'}#{gift_escape(q.incorrect_feedback)}#{gift_escape(q.correct_feedback)}")
        elif q.type is QuestionType.NUMERIC:
            # every accepted value (a percent also as its fraction), the first after GIFT's "#"
            for i, (value, tolerance) in enumerate(accepted_values(q)):
                tol = f":{format_number(tolerance)}" if tolerance else ""
                lines.append(f"\t{'' if i else '#'}={format_number(value)}{tol}#{gift_escape(q.correct_feedback)}")
            general = f"{q.explanation} {q.incorrect_feedback}"
        else:
            seen: set[str] = set()
            for a in q.accept:
                if normalise_text(a) in seen:
                    continue
                seen.add(normalise_text(a))
                lines.append(f"\t={gift_escape(a)}#{gift_escape(q.correct_feedback)}")
            general = f"{q.explanation} {q.incorrect_feedback}"
        lines.append(f"\t####{gift_escape(general)}")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


# -- JSON (jupyterquiz) -----------------------------------------------------------------
def _h(text: str) -> str:
    return html.escape(text, quote=False)


def _json_question(q: Question) -> dict[str, object]:
    why = f" {q.explanation}" if q.explanation else ""
    if q.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.MULTIPLE):
        kind = "many_choice" if q.type is QuestionType.MULTIPLE else "multiple_choice"
        answers: list[dict[str, object]] = [
            {"answer": _h(o.text), "correct": o.correct, "feedback": _h(o.feedback + why)} for o in q.options
        ]
        return {"question": _h(q.prompt), "type": kind, "answers": answers}
    if q.type is QuestionType.NUMERIC:
        answers = []
        for value, tolerance in accepted_values(q):
            answers.append({"type": "value", "value": value, "correct": True, "feedback": _h(q.correct_feedback + why)})
            if tolerance:
                answers.append(
                    {
                        "type": "range",
                        "range": [value - tolerance, value + tolerance],
                        "correct": True,
                        "feedback": _h(q.correct_feedback + why),
                    }
                )
        answers.append({"type": "default", "feedback": _h(q.incorrect_feedback + why)})
        return {"question": _h(prompt_with_unit(q)), "type": "numeric", "answers": answers}
    answers = [
        {"answer": a, "correct": True, "match_case": False, "feedback": _h(q.correct_feedback + why)} for a in q.accept
    ]
    answers.append({"type": "default", "feedback": _h(q.incorrect_feedback + why)})
    return {"question": _h(q.prompt), "type": "string", "answers": answers}


# -- Markdown answer key --------------------------------------------------------------
def _md_quiz(quiz: QuestionBank, shuffle: str | None = None, name: str = "") -> str:
    out = [f"# {quiz.title}: answer sheet", ""]
    if quiz.description:
        out += [quiz.description, ""]
    out += [f"Role `{quiz.role}`, {len(quiz.questions)} questions."]
    if shuffle is not None:
        out += ["", f"Options in the order of the student sheets shuffled with {shuffle!r}; letters as on those sheets."]
    out.append("")
    for n, q in enumerate(quiz.questions, 1):
        out += [f"## {n}. `{q.id}`", ""]
        out += [f"*{TYPE_NAMES[q.type]} · {q.level.value} · skills: {', '.join(q.skills)}*", ""]
        out += [prompt_with_unit(q), ""]
        if q.options:
            order = option_order(q, shuffle)
            for k, i in enumerate(order):
                o = q.options[i]
                mark = "x" if o.correct else " "
                text = f"**{o.text}**" if o.correct else o.text
                tag = f"{letter(k)}. " if shuffle is not None else ""
                out.append(f"- [{mark}] {tag}{text}: {o.feedback}")
            out.append("")
        else:
            out += [f"**Answer:** {q.correct_answer_text}", ""]
            out += [f"- If right: {q.correct_feedback}", f"- If wrong: {q.incorrect_feedback}", ""]
        out += [f"**Why:** {q.explanation}", ""]
    return "\n".join(out)


# -- QTI 1.2 (Canvas) -------------------------------------------------------------------
_QTI_TYPES = {
    QuestionType.SINGLE: "multiple_choice_question",
    QuestionType.MULTIPLE: "multiple_answers_question",
    QuestionType.TRUE_FALSE: "true_false_question",
    QuestionType.NUMERIC: "numerical_question",
    QuestionType.TEXT: "short_answer_question",
}


def _mattext(parent: ET.Element, text: str) -> None:
    mat = ET.SubElement(parent, "material")
    ET.SubElement(mat, "mattext", {"texttype": "text/html"}).text = f"<p>{html.escape(text, quote=False)}</p>"


def _meta(parent: ET.Element, fields: Iterable[tuple[str, str]]) -> None:
    md = ET.SubElement(parent, "qtimetadata")
    for label, entry in fields:
        f = ET.SubElement(md, "qtimetadatafield")
        ET.SubElement(f, "fieldlabel").text = label
        ET.SubElement(f, "fieldentry").text = entry


def _feedback_el(item: ET.Element, ident: str, text: str) -> None:
    fb = ET.SubElement(item, "itemfeedback", {"ident": ident})
    flow = ET.SubElement(fb, "flow_mat")
    _mattext(flow, text)


def _condition(proc: ET.Element, cont: str, feedback: str | None = None, score: str | None = None) -> ET.Element:
    cond = ET.SubElement(proc, "respcondition", {"continue": cont})
    var = ET.SubElement(cond, "conditionvar")
    if score is not None:
        ET.SubElement(cond, "setvar", {"action": "Set", "varname": "SCORE"}).text = score
    if feedback is not None:
        ET.SubElement(cond, "displayfeedback", {"feedbacktype": "Response", "linkrefid": feedback})
    return var


def _qti_assessment(quiz: QuestionBank) -> ET.Element:
    assessment = ET.Element("assessment", {"ident": f"rolecourse-{quiz.role}", "title": quiz.title})
    _meta(assessment, [("cc_maxattempts", "1")])
    section = ET.SubElement(assessment, "section", {"ident": "root_section"})
    for q in quiz.questions:
        section.append(_qti_item(q))
    return assessment


def _qti_item(q: Question) -> ET.Element:
    item = ET.Element("item", {"ident": q.id, "title": q.id})
    choice_ids = [f"{q.id}-{i}" for i in range(len(q.options))]
    meta = ET.SubElement(item, "itemmetadata")
    _meta(
        meta,
        [
            ("question_type", _QTI_TYPES[q.type]),
            ("points_possible", "1"),
            ("original_answer_ids", ",".join(choice_ids)),
            ("assessment_question_identifierref", f"{q.id}-ref"),
        ],
    )
    pres = ET.SubElement(item, "presentation")
    _mattext(pres, prompt_with_unit(q))
    proc_parent = ET.Element("resprocessing")
    outcomes = ET.SubElement(proc_parent, "outcomes")
    ET.SubElement(outcomes, "decvar", {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
    var = _condition(proc_parent, "Yes", "general_fb")
    ET.SubElement(var, "other")
    if q.options:
        card = "Multiple" if q.type is QuestionType.MULTIPLE else "Single"
        lid = ET.SubElement(pres, "response_lid", {"ident": "response1", "rcardinality": card})
        # Choices are shuffled by the LMS for each student (QTI's shuffle), so their order gives nothing away.
        shuffle = "Yes" if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE) else "No"
        render = ET.SubElement(lid, "render_choice", {"shuffle": shuffle})
        for cid, o in zip(choice_ids, q.options):
            label = ET.SubElement(render, "response_label", {"ident": cid})
            _mattext(label, o.text)
        for cid in choice_ids:
            var = _condition(proc_parent, "Yes", f"{cid}_fb")
            ET.SubElement(var, "varequal", {"respident": "response1"}).text = cid
        if q.type is QuestionType.MULTIPLE:
            var = _condition(proc_parent, "No", score="100")
            both = ET.SubElement(var, "and")
            for cid, o in zip(choice_ids, q.options):
                if o.correct:
                    ET.SubElement(both, "varequal", {"respident": "response1"}).text = cid
                else:
                    ET.SubElement(ET.SubElement(both, "not"), "varequal", {"respident": "response1"}).text = cid
        else:
            right = choice_ids[q.correct_options[0]]
            var = _condition(proc_parent, "No", score="100")
            ET.SubElement(var, "varequal", {"respident": "response1"}).text = right
    elif q.type is QuestionType.NUMERIC:
        resp = ET.SubElement(pres, "response_str", {"ident": "response1", "rcardinality": "Single"})
        ET.SubElement(ET.SubElement(resp, "render_fib", {"fibtype": "Decimal"}), "response_label", {"ident": "answer1"})
        var = _condition(proc_parent, "No", "correct_fb", score="100")
        either = ET.SubElement(var, "or")
        for value, tolerance in accepted_values(q):  # a percent also as its fraction
            ET.SubElement(either, "varequal", {"respident": "response1"}).text = format_number(value)
            both = ET.SubElement(either, "and")
            ET.SubElement(both, "vargte", {"respident": "response1"}).text = format_number(value - tolerance)
            ET.SubElement(both, "varlte", {"respident": "response1"}).text = format_number(value + tolerance)
        var = _condition(proc_parent, "Yes", "general_incorrect_fb")
        ET.SubElement(var, "other")
    else:
        resp = ET.SubElement(pres, "response_str", {"ident": "response1", "rcardinality": "Single"})
        ET.SubElement(ET.SubElement(resp, "render_fib"), "response_label", {"ident": "answer1", "rshuffle": "No"})
        var = _condition(proc_parent, "No", "correct_fb", score="100")
        for a in q.accept:
            ET.SubElement(var, "varequal", {"respident": "response1"}).text = a
        var = _condition(proc_parent, "Yes", "general_incorrect_fb")
        ET.SubElement(var, "other")
    item.append(proc_parent)
    _feedback_el(item, "general_fb", q.explanation)
    if q.options:
        for cid, o in zip(choice_ids, q.options):
            _feedback_el(item, f"{cid}_fb", o.feedback)
    else:
        _feedback_el(item, "correct_fb", q.correct_feedback)
        _feedback_el(item, "general_incorrect_fb", q.incorrect_feedback)
    return item


def _xml_text(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


__all__ = ["FIXED_SHUFFLE", "FORMATS", "STUDENT_FORMATS", "export", "export_quiz", "export_quizzes", "gift_escape", "option_order", "prompt_with_unit", "qti_package"]
