"""The quiz commands: list, export in every format, errors and exit codes."""

from __future__ import annotations

import io
import json
import zipfile

from rolecourse.cli import main
from rolecourse.assessment.questions import load_all_quizzes


def test_quiz_list(capsys):
    """`quiz list` prints one line per role with its question count and a total."""
    assert main(["quiz", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    banks = load_all_quizzes()
    assert len(out) == len(banks) + 1
    assert out[0].split()[:2] == [banks[0].role, str(len(banks[0].questions))]
    assert out[-1].split()[:2] == ["total", str(sum(len(b.questions) for b in banks))]


def test_quiz_list_json(capsys):
    """`quiz list --json` gives counts per role and type."""
    assert main(["quiz", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["data-analyst"]["total"] == len(load_all_quizzes()[0].questions)


def test_export_gift_prints(capsys):
    """`quiz export data-analyst --format gift` prints a GIFT file to stdout."""
    assert main(["quiz", "export", "data-analyst", "--format", "gift"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("// Data Analyst")
    assert out.count("\n::da-") == len(load_all_quizzes()[0].questions)


def test_export_json_to_file(tmp_path, capsys):
    """`-o FILE` writes the export there and says so on stderr."""
    target = tmp_path / "ml.json"
    assert main(["quiz", "export", "ml-engineer", "--format", "json", "-o", str(target)]) == 0
    assert isinstance(json.loads(target.read_text(encoding="utf-8")), list)
    assert f"wrote {target}" in capsys.readouterr().err


def test_export_all_md(capsys):
    """`quiz export all --format md` prints every bank's answer sheet."""
    assert main(["quiz", "export", "all", "--format", "md"]) == 0
    assert capsys.readouterr().out.count(": answer sheet") == len(load_all_quizzes())


def test_export_qti_needs_output(capsys):
    """QTI without -o is a usage error (exit 2) with a hint."""
    assert main(["quiz", "export", "all", "--format", "qti"]) == 2
    assert "give -o FILE" in capsys.readouterr().err


def test_export_qti_writes_zip(tmp_path):
    """QTI with -o writes a zip holding a manifest and one assessment per bank."""
    target = tmp_path / "quiz.zip"
    assert main(["quiz", "export", "all", "--format", "qti", "-o", str(target)]) == 0
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as zf:
        assert len(zf.namelist()) == 1 + len(load_all_quizzes())


def test_export_unknown_role(capsys):
    """An unknown role is a usage error with a suggestion."""
    assert main(["quiz", "export", "data-analist", "--format", "gift"]) == 2
    assert "did you mean 'data-analyst'" in capsys.readouterr().err


def test_validate_dispatches_quiz_files(capsys, fixtures):
    """`rolecourse validate` checks quiz banks with validate_quiz_file and reports exact lines."""
    assert main(["validate", str(fixtures / "quiz" / "bad-unknown-skill.yaml")]) == 1
    err = capsys.readouterr().err
    assert "questions[0].skills[0]: expected the id of a known skill, found 'sqll'; did you mean 'sql'?" in err


def test_export_to_a_missing_folder_exits_2_without_traceback(tmp_path, capsys):
    """-o into a folder that does not exist is a usage error in one line (no traceback)."""
    target = tmp_path / "nodir" / "da.gift"
    assert main(["quiz", "export", "data-analyst", "--format", "gift", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"rolecourse: error: cannot write {str(target)!r}: the folder {str(target.parent)!r} does not exist\n"


def test_export_qti_onto_a_folder_exits_2(tmp_path, capsys):
    """-o naming a folder is a usage error asking for a file name."""
    assert main(["quiz", "export", "all", "--format", "qti", "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"rolecourse: error: cannot write {str(tmp_path)!r}: it is a folder; give a file name\n"


def test_export_to_an_empty_file_name_exits_2(capsys):
    """-o "" is refused instead of silently printing to stdout."""
    assert main(["quiz", "export", "data-analyst", "--format", "gift", "-o", ""]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "expected a file name to write to, found an empty one" in captured.err


def test_export_student_sheet_and_its_key(tmp_path, capsys):
    """--student prints the sheet without answers; --shuffle SEED gives that student's order, the same on the key."""
    from rolecourse.cli import main

    sheet, key = tmp_path / "ada.html", tmp_path / "ada-key.html"
    assert main(["quiz", "export", "data-analyst", "--format", "html", "--student", "--shuffle", "Ada", "--name", "Ada", "-o", str(sheet)]) == 0
    assert main(["quiz", "export", "data-analyst", "--format", "html", "--shuffle", "Ada", "-o", str(key)]) == 0
    s, k = sheet.read_text(encoding="utf-8"), key.read_text(encoding="utf-8")
    assert "Name: Ada" in s and "answer key" not in s and "Why:" not in s
    assert "answer key" in k and "Why:" in k and "shuffled with &#x27;Ada&#x27;" in k
    assert main(["quiz", "export", "data-analyst", "--format", "md", "--student"]) == 0
    assert "(in %)" in capsys.readouterr().out


def test_export_student_needs_a_printed_format(capsys):
    """--student with gift, or --name without --student, is a usage error (exit 2)."""
    from rolecourse.cli import main

    assert main(["quiz", "export", "data-analyst", "--format", "gift", "--student"]) == 2
    assert "printed as md or html, not gift" in capsys.readouterr().err
    assert main(["quiz", "export", "data-analyst", "--format", "md", "--name", "Ada"]) == 2
    assert "add --student" in capsys.readouterr().err
