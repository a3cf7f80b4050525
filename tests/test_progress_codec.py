"""Tests of rolecourse.progress: the progress file format and its migrations."""

from __future__ import annotations

import json
import shutil

import pytest

from rolecourse.errors import UsageError
from rolecourse.progress.codec import MIGRATIONS, migrate
from rolecourse.progress.model import SCHEMA_VERSION
from rolecourse.progress.store import ProgressStore
from progress_support import FIXTURES, answer, clock, store  # noqa: F401 (clock and store are fixtures)


class TestMigrations:
    def test_v0_file_is_upgraded(self, store: ProgressStore):
        """A pre-release (version 0) file loads as the current version, answers as attempt 1 without a level, levels kept."""
        store.home.mkdir(parents=True)
        shutil.copy(FIXTURES / "v0-ada.json", store.home / "ada-lovelace.json")
        p = store.load("Ada Lovelace")
        assert p.schema_version == SCHEMA_VERSION and p.learner == "Ada Lovelace"
        assert [(a.question, a.attempt, a.correct, a.level) for a in p.quiz_answers] == [("da-sql-1", 1, True, None), ("da-sql-2", 1, False, None)]
        assert dict(p.self_assessment) == {"python": 2}

    def test_upgraded_file_is_saved_as_current_version(self, store: ProgressStore):
        """The next save writes the current schema and keeps the migrated records."""
        store.home.mkdir(parents=True)
        shutil.copy(FIXTURES / "v0-ada.json", store.home / "ada-lovelace.json")
        answer(store, "q9", True, learner="Ada Lovelace", level=2)
        data = json.loads((store.home / "ada-lovelace.json").read_text())
        assert data["schema_version"] == 2 and len(data["quiz_answers"]) == 3
        assert [a["level"] for a in data["quiz_answers"]] == [None, None, 2]

    def test_v1_file_is_upgraded_to_v2(self, store: ProgressStore):
        """A version 1 file (answers without level) loads unchanged, each answer with level None."""
        store.home.mkdir(parents=True)
        shutil.copy(FIXTURES / "cohort" / "ada.json", store.home / "ada-lovelace.json")
        p = store.load("Ada Lovelace")
        assert [(a.question, a.level) for a in p.quiz_answers] == [("da-sql-1", None), ("da-py-1", None)]
        assert migrate(json.loads((FIXTURES / "cohort" / "ada.json").read_text()))["schema_version"] == 2

    def test_every_version_step_has_a_migration(self):
        """MIGRATIONS covers each step from 0 up to the current version."""
        assert sorted(MIGRATIONS) == list(range(SCHEMA_VERSION))

    def test_migrate_refuses_unknown_version(self):
        """migrate() raises a usage error for a version it does not know."""
        with pytest.raises(UsageError, match="schema_version"):
            migrate({"schema_version": 7})
