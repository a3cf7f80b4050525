"""Tests for rolecourse.planning.cohorts: roster parsing, row errors, hostile names, summaries, determinism."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rolecourse._text import SLUG_MAX
from rolecourse.export.cohorts import cohort
from rolecourse.export.plans import render
from rolecourse.planning.cohorts import unique_stem
from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import ContentError, UnknownNameError

FIX = Path(__file__).parent / "fixtures" / "paths"
START = "2025-03-03"


@pytest.fixture(scope="module")
def cur():
    return load_curriculum(FIX / "mini.yaml")


def run(cur, roster, out, **kw):
    return cohort(roster, out, curriculum=cur, start=START, **kw)


def all_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_clean_roster_writes_one_plan_each_and_summary(cur, tmp_path):
    """Four learners → four plans plus summary.md and summary.csv; exit status ok."""
    result = run(cur, FIX / "roster_clean.csv", tmp_path / "out")
    assert result.ok and len(result.learners) == 4
    names = sorted(all_files(tmp_path / "out"))
    assert names == ["ada-lovelace.md", "alan-turing.md", "grace-hopper.md", "karen-sparck-jones.md", "summary.csv", "summary.md"]
    assert "Study plan for Ada Lovelace: Data Scientist" in (tmp_path / "out" / "ada-lovelace.md").read_text()


def test_summary_per_role_median_and_longest(cur, tmp_path):
    """Per role: learners, median and longest weeks, in curriculum order."""
    result = run(cur, FIX / "roster_clean.csv", tmp_path)
    ds = next(s for s in result.summaries if s.role == "data-scientist")
    weeks = sorted(lp.weeks for lp in result.learners if lp.role == "data-scientist")
    assert ds.learners == 2 and ds.median_weeks == sum(weeks) / 2 and ds.longest_weeks == weeks[-1]
    assert [s.role for s in result.summaries] == ["data-scientist", "dl-engineer", "deep-learning-engineer"]
    summary_csv = (tmp_path / "summary.csv").read_text().splitlines()
    assert summary_csv[0] == "role,role_name,learners,median_weeks,longest_weeks"
    assert summary_csv[1].startswith(f"data-scientist,Data Scientist,2,{ds.median_weeks:g},")


def test_row_start_or_default_start(cur, tmp_path):
    """A row's own start wins; an empty start takes the start argument."""
    result = run(cur, FIX / "roster_clean.csv", tmp_path)
    by_name = {lp.name: lp for lp in result.learners}
    assert "2025-03-10" in (tmp_path / "alan-turing.md").read_text()
    assert "- **Start:** 2025-03-03" in (tmp_path / "grace-hopper.md").read_text()
    assert by_name["Alan Turing"].end > by_name["Ada Lovelace"].end


def test_output_is_byte_identical_between_runs(cur, tmp_path):
    """Two runs into two folders write the same files with the same bytes."""
    for fmt in ("md", "json", "ics"):
        run(cur, FIX / "roster_mixed.csv", tmp_path / f"a-{fmt}", fmt=fmt)
        run(cur, FIX / "roster_mixed.csv", tmp_path / f"b-{fmt}", fmt=fmt)
        assert all_files(tmp_path / f"a-{fmt}") == all_files(tmp_path / f"b-{fmt}")


def test_bad_rows_are_reported_and_the_rest_planned(cur, tmp_path):
    """Unknown role, bad hours, bad date, unknown skill, bad level, zero hours: one error each."""
    result = run(cur, FIX / "roster_mixed.csv", tmp_path)
    assert not result.ok
    assert [lp.name for lp in result.learners] == ["Ada Lovelace", "Grace Hopper", "../../etc/passwd"]
    lines = result.error_lines()
    roster = str(FIX / "roster_mixed.csv")
    assert lines[0].startswith(f"{roster}:5: unknown role 'data-scienist'; did you mean 'data-scientist'")
    assert lines[1] == f"{roster}:6: hours_per_week must be a number, found 'lots'"
    assert lines[2] == f"{roster}:7: expected a date as YYYY-MM-DD, found '2025-02-30'"
    assert lines[3].lower() == f"{roster}:8: unknown skill 'sqll'; did you mean 'sql'?".lower()
    assert lines[4].startswith(f"{roster}:9: level of skill 'sql' must be a whole number from 0 to 3")
    assert lines[5].startswith(f"{roster}:10: hours per week must be more than 0")
    assert "## Rows with errors" in (tmp_path / "summary.md").read_text()


def test_hostile_names_never_escape_the_folder(cur, tmp_path):
    """../, /, C:\\, empty, dots, non-ASCII, reserved, duplicates, overlong: all inside DIR, all distinct."""
    out = tmp_path / "deep" / "out"
    result = run(cur, FIX / "roster_hostile.csv", out)
    assert result.ok
    root = out.resolve()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) == len(result.learners) + 2
    for p in written:
        assert p.resolve().parent == root
    stems = [lp.file.stem for lp in result.learners]
    assert len(set(stems)) == len(stems)
    assert stems == [
        "escape",
        "etc-passwd",
        "c-windows-system32",
        "learner-5",
        "learner-6",
        "zoe-angstrom",
        "zoe-angstrom-2",
        "learner-9",
        "learner-con",
        "learner-lpt1",
        "summary-2",
        "learner-5-2",
        "x" * SLUG_MAX,
        "a-b",
        "ada",
        "ada-2",
        "ada-3",
    ]
    assert (out / "summary.md").read_text().count("| data-analyst") == 0  # table shows role names


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../", "learner-7"),
        ("/", "learner-7"),
        ("", "learner-7"),
        ("  ", "learner-7"),
        ("ﬁle", "file"),
        ("Nul", "learner-nul"),
        ("com9", "learner-com9"),
        ("..\\..\\x", "x"),
        ("a" * 500, "a" * SLUG_MAX),
        ("Ñandú", "nandu"),
    ],
)
def test_unique_stem(name, expected):
    """Each hostile name maps to a plain ASCII stem."""
    assert unique_stem(name, 7, set()) == expected


def test_unique_stem_suffixes_duplicates():
    """A taken stem gets -2, -3."""
    taken: set[str] = set()
    assert [unique_stem("Ada", i, taken) for i in range(3)] == ["ada", "ada-2", "ada-3"]


def test_bom_is_accepted(cur, tmp_path):
    """A UTF-8 byte-order mark (Excel's CSV UTF-8) is fine; start column may be absent."""
    result = run(cur, FIX / "roster_bom.csv", tmp_path)
    assert result.ok and [lp.file.name for lp in result.learners] == ["zoe.md"]


def test_non_utf8_file_is_a_content_error(cur, tmp_path):
    """A Latin-1 roster is refused with the line of the first bad byte."""
    with pytest.raises(ContentError, match=r"roster_latin1.csv:3:1: .*expected UTF-8"):
        run(cur, FIX / "roster_latin1.csv", tmp_path)


def test_empty_file_is_a_content_error(cur, tmp_path):
    """An empty roster says a header is expected."""
    with pytest.raises(ContentError, match="found an empty file"):
        run(cur, FIX / "roster_empty.csv", tmp_path)


def test_missing_columns_are_a_content_error(cur, tmp_path):
    """A header without known and hours_per_week names what is missing."""
    with pytest.raises(ContentError, match="missing known, hours_per_week"):
        run(cur, FIX / "roster_missing_column.csv", tmp_path)


def test_missing_header_is_a_content_error(cur, tmp_path):
    """A roster whose first row is data (no header) is refused with a suggestion."""
    roster = tmp_path / "r.csv"
    roster.write_text("Ada,data-analyst,,10,\n")
    with pytest.raises(ContentError, match="unknown column 'ada'"):
        run(cur, roster, tmp_path / "out")


def test_misspelt_column_suggests(cur, tmp_path):
    """A misspelt column gets a did-you-mean."""
    roster = tmp_path / "r.csv"
    roster.write_text("name,role,known,hours_per_wek\nAda,data-analyst,,10\n")
    with pytest.raises(ContentError, match="did you mean 'hours_per_week'"):
        run(cur, roster, tmp_path / "out")


def test_duplicate_column_is_a_content_error(cur, tmp_path):
    """The same column twice is refused."""
    roster = tmp_path / "r.csv"
    roster.write_text("name,role,role,known,hours_per_week\n")
    with pytest.raises(ContentError, match="found role twice"):
        run(cur, roster, tmp_path / "out")


def test_too_many_cells_and_empty_role_are_row_errors(cur, tmp_path):
    """Extra cells and an empty role are reported per row; blank lines are skipped."""
    roster = tmp_path / "r.csv"
    roster.write_text("name,role,known,hours_per_week\nAda,data-analyst,,10,extra\n\nBob,,,10\nCy,data-analyst,,\n")
    result = run(cur, roster, tmp_path / "out")
    assert result.error_lines() == [f"{roster}:2: expected 4 cells, found 5", f"{roster}:4: role is empty"]
    assert [lp.name for lp in result.learners] == ["Cy"]  # empty hours → 10 a week


def test_semicolon_separated_row_says_so(cur, tmp_path):
    """A row saved with ';' between cells is reported as such, not as an empty role."""
    roster = tmp_path / "r.csv"
    roster.write_text("name,role,known,hours_per_week\nAda;data-analyst;;10\nCy,data-analyst,,\n")
    result = run(cur, roster, tmp_path / "out")
    assert result.error_lines() == [f"{roster}:2: expected 4 cells separated by commas, found 1 cell with ';' in it; save the roster as CSV with commas"]


def test_semicolon_separated_header_says_so(cur, tmp_path):
    """A roster saved with ';' as separator (a European Excel default) is told apart from a misspelt column."""
    roster = tmp_path / "r.csv"
    roster.write_text("name;role;known;hours_per_week\nAda;data-analyst;;10\n")
    with pytest.raises(ContentError) as info:
        run(cur, roster, tmp_path / "out")
    assert str(info.value) == (f"{roster}:1:1: header: expected the header name,role,known,hours_per_week,start separated by commas, "
                               "found 'name;role;known;hours_per_week'; save the roster as CSV with commas")


def test_header_only_roster_writes_an_empty_summary(cur, tmp_path):
    """No learners: a summary saying so, no plans, ok."""
    roster = tmp_path / "r.csv"
    roster.write_text("name,role,known,hours_per_week,start\n")
    result = run(cur, roster, tmp_path / "out")
    assert result.ok and result.learners == ()
    assert "0 learners planned" in (tmp_path / "out" / "summary.md").read_text()


def test_progress_is_reported_per_row(cur, tmp_path):
    """progress(done, total) is called once per row, ending at total."""
    calls = []
    run(cur, FIX / "roster_mixed.csv", tmp_path, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(i, 9) for i in range(1, 10)]


def test_unknown_format_is_refused_before_writing(cur, tmp_path):
    """A bad format fails before any file is written."""
    with pytest.raises(UnknownNameError):
        run(cur, FIX / "roster_clean.csv", tmp_path / "out", fmt="pdf")
    assert not (tmp_path / "out").exists()


def test_missing_roster_is_a_usage_error(cur, tmp_path):
    """A roster that does not exist is reported plainly."""
    from rolecourse.errors import UsageError

    with pytest.raises(UsageError, match="cannot read roster"):
        run(cur, tmp_path / "nope.csv", tmp_path / "out")


def test_a_folder_where_a_plan_goes_is_a_usage_error(cur, tmp_path):
    """A folder in the way of a learner's plan file is reported as one UsageError naming it."""
    from rolecourse.errors import UsageError

    (tmp_path / "out" / "ada-lovelace.md").mkdir(parents=True)
    with pytest.raises(UsageError) as info:
        run(cur, FIX / "roster_clean.csv", tmp_path / "out")
    assert str(info.value) == f"cannot write {str(tmp_path / 'out' / 'ada-lovelace.md')!r}: it is a folder; give a file name"


def test_symlinked_output_folder_is_still_the_target(cur, tmp_path):
    """Writing through a symlinked DIR keeps every file inside it."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    os.symlink(real, link)
    result = run(cur, FIX / "roster_clean.csv", link)
    assert result.ok and len(list(real.iterdir())) == 6


def test_each_learner_file_is_their_own_plan(cur, tmp_path):
    """Learners sharing role, skills, pace and start get files that differ only in name; each equals plan() for its row."""
    from rolecourse.planning.plans import plan

    roster = tmp_path / "r.csv"
    rows = [
        ("Ada", "data-scientist", "sql:2;python", "8", "2025-03-03"),
        ("Bea", "data-scientist", "sql:2;python", "8", "2025-03-03"),
        ("Cy", "data-scientist", "sql:2;python", "8", "2025-03-05"),
        ("Dee", "data-scientist", "sql:2;python", "5", "2025-03-03"),
        ("Eve", "Data Scientist", "python;sql:2", "8", "2025-03-03"),
        ("Fay", "dl-engineer", "", "8", ""),
    ]
    roster.write_text("name,role,known,hours_per_week,start\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    result = run(cur, roster, tmp_path / "out", fmt="json")
    assert result.ok and [lp.file.name for lp in result.learners] == ["ada.json", "bea.json", "cy.json", "dee.json", "eve.json", "fay.json"]
    for (name, role, known, hours, start), lp in zip(rows, result.learners):
        own = plan(role, curriculum=cur, known=known.replace(";", ","), hours_per_week=float(hours), start=start or START, learner=name)
        assert lp.file.read_bytes() == render(own, "json").encode("utf-8")
        assert (lp.weeks, lp.hours, lp.end) == (own.weeks, own.path.total_hours, own.schedule.end)
    assert result.files[-2:] == (tmp_path / "out" / "summary.md", tmp_path / "out" / "summary.csv")
    assert all(f.is_file() for f in result.files)
