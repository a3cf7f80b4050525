"""Tests of rolecourse.progress: reading a folder of exported progress files."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolecourse.errors import UsageError
from rolecourse.progress.cohort import cohort_progress
from progress_support import FIXTURES


class TestCohort:
    def test_cohort_reads_good_files_and_reports_bad(self):
        """Every good export is read; a bad one comes back with its problems."""
        entries = cohort_progress(FIXTURES / "cohort")
        assert [Path(e.file).name for e in entries] == ["ada.json", "broken.json", "grace.json"]
        ada, broken, grace = entries
        assert (ada.learner, ada.answered, ada.correct, ada.steps_correct) == ("Ada Lovelace", 2, 1, 1)
        assert grace.learner == "Grace Hopper" and broken.progress is None
        assert any(p.path == "quiz_answers[0].score" for p in broken.problems)

    def test_cohort_of_missing_folder(self, tmp_path: Path):
        """A folder that does not exist is a usage error."""
        with pytest.raises(UsageError, match="does not exist"):
            cohort_progress(tmp_path / "nope")


class TestHostileFiles:
    def test_files_json_cannot_read_are_reported_not_fatal(self, tmp_path: Path):
        """JSON nested too deeply, or an integer of thousands of digits, is one bad file: the others are still read."""
        import shutil

        shutil.copy(FIXTURES / "cohort" / "ada.json", tmp_path / "ada.json")
        (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
        (tmp_path / "huge.json").write_text('{"schema_version": ' + "1" * 5000 + "}", encoding="utf-8")
        (tmp_path / "folder.json").mkdir()
        entries = {Path(e.file).name: e for e in cohort_progress(tmp_path)}
        assert entries["ada.json"].learner == "Ada Lovelace"
        assert str(entries["deep.json"].problems[0]).endswith("expected lists and mappings nested at most 32 deep, found deeper nesting")
        assert str(entries["huge.json"].problems[0]).endswith("expected integers of at most 30 digits, found one of 5000 digits")
        assert str(entries["folder.json"].problems[0]).startswith(f"{tmp_path / 'folder.json'}:1:1: (root): expected a readable UTF-8 file")


class TestClassView:
    def test_status_and_hours(self, tmp_path: Path):
        """Hours due count the sessions before today; on track, behind by N h, not started and done are told apart."""
        from datetime import date

        from rolecourse.progress.cohort import class_view
        from rolecourse.progress.mastery import ExerciseMaps

        roster = tmp_path / "roster.csv"
        roster.write_text("name,role,known,hours_per_week,start\nAda Lovelace,data-analyst,,10,2025-09-01\n", encoding="utf-8")
        folder = tmp_path / "collected"
        folder.mkdir()
        maps = ExerciseMaps()
        first_day = class_view(roster, folder, today=date(2025, 9, 1), exercises=maps)
        assert first_day.rows[0].expected_hours == 0 and first_day.rows[0].status == "on track; no progress collected"
        week_two = class_view(roster, folder, today=date(2025, 9, 8), exercises=maps).rows[0]
        assert (week_two.expected_hours, week_two.done_hours, week_two.behind_hours) == (10, 0, 10)
        assert week_two.status == "behind by 10 h; no progress collected"
        before = class_view(roster, folder, today=date(2025, 8, 1), exercises=maps).rows[0]
        assert before.status == "not started yet (starts 2025-09-01); no progress collected"
        assert class_view(roster, folder, today=date(2030, 1, 1), exercises=maps).rows[0].expected_hours == before.plan_hours
