"""Printed quiz sheets: the answer key's and the students' shared pieces, the student sheet in
Markdown and both as one printable HTML page (see :mod:`rolecourse.export.quizzes`).

A student sheet holds no answer, feedback or explanation. :func:`option_order` is the one rule
that orders a question's options on a sheet and on its key.
"""

from __future__ import annotations

import html
import random
from typing import Sequence

from ..assessment.questions import Question, QuestionBank, QuestionType


def prompt_with_unit(q: Question) -> str:
    """The question's prompt, with ``(in UNIT)`` after it when a numeric answer has a unit."""
    return q.prompt + (f" (in {q.unit})" if q.unit else "")


def option_order(q: Question, shuffle: str | None) -> list[int]:
    """Indices of ``q``'s options in the order printed: the bank's, or shuffled by the seed ``shuffle``.

    The order depends only on the seed and the question's id (never on the hash seed or the
    run), so a student's sheet and the key made with the same seed agree.
    """
    order = list(range(len(q.options)))
    if shuffle is not None and q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        random.Random(f"{shuffle}\x00{q.id}").shuffle(order)
    return order


def letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"A{i - 25}"


_HOW_TO_ANSWER = {
    QuestionType.SINGLE: "Tick one.",
    QuestionType.MULTIPLE: "Tick every right option (a wrong tick costs as much as a right one gains).",
    QuestionType.TRUE_FALSE: "Tick one.",
    QuestionType.NUMERIC: "Write a number.",
    QuestionType.TEXT: "Write a word or a short phrase.",
}


TYPE_NAMES = {
    QuestionType.SINGLE: "single choice",
    QuestionType.MULTIPLE: "multiple select",
    QuestionType.TRUE_FALSE: "true or false",
    QuestionType.NUMERIC: "numeric",
    QuestionType.TEXT: "short text",
}


def student_markdown(quiz: QuestionBank, shuffle: str | None = None, name: str = "") -> str:
    """A printable sheet for students: no answers, no feedback, options lettered with a box to tick."""
    out = [f"# {quiz.title}", ""]
    out += [f"Name: {_md_text(name) if name else '_' * 40}    Date: {'_' * 16}", ""]
    out += [f"{len(quiz.questions)} questions. For each, tick the box of your answer or write it on the line.", ""]
    for n, q in enumerate(quiz.questions, 1):
        out += [f"## {n}. {_md_text(prompt_with_unit(q))}", "", f"*{_HOW_TO_ANSWER[q.type]}*", ""]
        if q.type is QuestionType.TRUE_FALSE:
            out += ["- [ ] True", "- [ ] False", ""]
        elif q.options:
            out += [f"- [ ] {letter(k)}. {_md_text(q.options[i].text)}" for k, i in enumerate(option_order(q, shuffle))]
            out.append("")
        else:
            unit = f" {q.unit}" if q.unit else ""
            out += [f"Answer: {'_' * 30}{_md_text(unit)}", ""]
    return "\n".join(out)


def _md_text(text: str) -> str:
    """Text for a Markdown line, its markup characters kept as text."""
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


# -- HTML: a printable answer key or student sheet ----------------------------------------------
_CSS = """body{font:11pt/1.45 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#111}
h1{font-size:1.5em}h2{font-size:1.05em;margin:1.4em 0 .3em}.how{color:#555;font-style:italic;margin:.2em 0}
ol.opts{list-style:none;padding-left:1em}ol.opts li{margin:.25em 0}.box{display:inline-block;width:.9em;height:.9em;border:1px solid #333;margin-right:.5em;vertical-align:-.1em}
.line{display:inline-block;min-width:18em;border-bottom:1px solid #333;height:1.2em}.right{font-weight:bold}.fb{color:#444}
.q{break-inside:avoid;page-break-inside:avoid}section.bank{break-after:page;page-break-after:always}section.bank:last-child{break-after:auto;page-break-after:auto}
@media print{body{margin:0;max-width:none}}"""


def printable_html(quizzes: Sequence[QuestionBank], student: bool, shuffle: str | None, name: str) -> str:
    e = html.escape
    kind = "questions" if student else "answer key"
    title = f"{quizzes[0].title}: {kind}" if len(quizzes) == 1 else f"rolecourse quizzes: {kind}"
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">', f"<title>{e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>"]
    for quiz in quizzes:
        out.append('<section class="bank">')
        if student:
            out.append(f"<h1>{e(quiz.title)}</h1>")
            shown = e(name) if name else '<span class="line"></span>'
            out.append(f'<p>Name: {shown} &nbsp; Date: <span class="line" style="min-width:8em"></span></p>')
            out.append(f"<p>{len(quiz.questions)} questions. For each, tick the box of your answer or write it on the line.</p>")
        else:
            out.append(f"<h1>{e(quiz.title)}: answer key</h1>")
            if quiz.description:
                out.append(f"<p>{e(quiz.description)}</p>")
            out.append(f"<p>Role <code>{e(quiz.role)}</code>, {len(quiz.questions)} questions.</p>")
            if shuffle is not None:
                out.append(f"<p>Options in the order of the student sheets shuffled with {e(repr(shuffle))}; letters as on those sheets.</p>")
        for n, q in enumerate(quiz.questions, 1):
            out.append('<div class="q">')
            out.append(f"<h2>{n}. {e(prompt_with_unit(q))}</h2>")
            if student:
                out.append(f'<p class="how">{e(_HOW_TO_ANSWER[q.type])}</p>')
            else:
                out.append(f'<p class="how">{e(q.id)} · {e(TYPE_NAMES[q.type])} · {e(q.level.value)} · skills: {e(", ".join(q.skills))}</p>')
            if q.type is QuestionType.TRUE_FALSE and student:
                out.append('<ol class="opts"><li><span class="box"></span>True</li><li><span class="box"></span>False</li></ol>')
            elif q.options:
                out.append('<ol class="opts">')
                for k, i in enumerate(option_order(q, shuffle)):
                    o = q.options[i]
                    if student:
                        out.append(f'<li><span class="box"></span>{letter(k)}. {e(o.text)}</li>')
                    else:
                        mark = "&#9745;" if o.correct else "&#9744;"
                        cls = ' class="right"' if o.correct else ""
                        out.append(f'<li>{mark} {letter(k)}. <span{cls}>{e(o.text)}</span> <span class="fb">— {e(o.feedback)}</span></li>')
                out.append("</ol>")
            elif student:
                unit = f" {e(q.unit)}" if q.unit else ""
                out.append(f'<p>Answer: <span class="line"></span>{unit}</p>')
            else:
                out.append(f'<p><span class="right">Answer: {e(q.correct_answer_text)}</span></p>')
                out.append(f'<p class="fb">If right: {e(q.correct_feedback)}<br>If wrong: {e(q.incorrect_feedback)}</p>')
            if not student:
                out.append(f"<p><strong>Why:</strong> {e(q.explanation)}</p>")
            out.append("</div>")
        out.append("</section>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
