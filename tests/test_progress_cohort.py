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
