"""Tests of rolecourse.progress.store: places, recording, safety (locks, atomic saves, quarantine), export and import."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path

import pytest

from rolecourse.errors import ContentError, UsageError
from rolecourse.assessment.checking import StepOutcome
from rolecourse.progress.codec import loads
from rolecourse.progress.model import SCHEMA_VERSION
from rolecourse.progress.store import ProgressLockError, ProgressStore, ProgressWarning, default_home, learner_slug, open_progress
from progress_support import FIXTURES, T0, Clock, answer, clock, store  # noqa: F401 (clock and store are fixtures)


# -- names and places ---------------------------------------------------------------------------


class TestSlugAndHome:
    def test_slug_is_ascii_and_safe(self):
        """Slugs drop accents, separators and dots, leaving lowercase ASCII words and hyphens."""
        assert learner_slug("José Núñez") == "jose-nunez"
        assert learner_slug("../../etc/passwd") == "etc-passwd"
        assert learner_slug("a/b\\c..d") == "a-b-c-d"

    def test_slug_of_unusable_name_is_hashed(self):
        """A name with no ASCII letter gets a stable hashed slug."""
        slug = learner_slug("王小明")
        assert slug.startswith("learner-") and slug == learner_slug("王小明") and slug != learner_slug("李雷")

    def test_slug_avoids_windows_device_names(self):
        """Reserved device names such as CON are prefixed."""
        assert learner_slug("CON") == "learner-con"

    def test_blank_name_is_rejected(self):
        """An empty learner name is a usage error."""
        with pytest.raises(UsageError, match="learner name"):
            learner_slug("  ")

    def test_home_from_environment(self, tmp_path: Path):
        """ROLECOURSE_HOME wins over everything."""
        assert default_home(tmp_path, {"ROLECOURSE_HOME": str(tmp_path / "x")}) == tmp_path / "x"

    def test_home_beside_notebooks(self, tmp_path: Path):
        """Without the variable, the nearest ancestor holding notebooks/ gets .rolecourse/."""
        (tmp_path / "notebooks" / "deep").mkdir(parents=True)
        assert default_home(tmp_path / "notebooks" / "deep", {}) == tmp_path / ".rolecourse"

    def test_home_beside_roles_yaml(self, tmp_path: Path):
        """A folder with roles.yaml also anchors the progress folder."""
        (tmp_path / "roles.yaml").write_text("x: 1\n")
        (tmp_path / "sub").mkdir()
        assert default_home(tmp_path / "sub", {}) == tmp_path / ".rolecourse"

    def test_home_falls_back_to_user_folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
        """With no anchor anywhere, ~/.rolecourse is used."""
        monkeypatch.setenv("HOME", str(tmp_path / "user"))
        lonely = tmp_path / "lonely"
        lonely.mkdir()
        anchored = [f for f in (lonely, *lonely.parents) if (f / "notebooks").is_dir() or (f / "roles.yaml").is_file()]
        if anchored:
            pytest.skip(f"{anchored[0]} holds notebooks/ or roles.yaml")
        assert default_home(lonely, {}) == tmp_path / "user" / ".rolecourse"

    def test_open_progress_uses_environment(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
        """open_progress() with no argument honours ROLECOURSE_HOME."""
        monkeypatch.setenv("ROLECOURSE_HOME", str(tmp_path / "h"))
        assert open_progress().home == tmp_path / "h"

    def test_reading_creates_no_folder(self, tmp_path: Path):
        """Loading an unknown learner returns empty progress and creates nothing."""
        store = ProgressStore(tmp_path / "none")
        assert store.load("Ada").is_empty and store.learners() == []
        assert store.due_reviews("Ada") == [] and store.mastery("Ada") == {}
        assert not (tmp_path / "none").exists()


# -- recording ----------------------------------------------------------------------------------


class TestRecording:
    def test_quiz_answers_are_recorded_with_attempts(self, store: ProgressStore, clock: Clock):
        """Each answer keeps role, skills, score, answer, attempt number and the clock's time."""
        answer(store, "q1", False)
        clock.advance(minutes=1)
        answer(store, "q1", True)
        p = store.load("Ada")
        assert [(a.question, a.attempt, a.correct, a.at) for a in p.quiz_answers] == [
            ("q1", 1, False, "2024-03-01T09:00:00+00:00"),
            ("q1", 2, True, "2024-03-01T09:01:00+00:00"),
        ]
        assert p.quiz_answers[0].skills == ("sql",) and p.quiz_answers[0].answer == "x"

    def test_answer_is_stored_as_json_value(self, store: ProgressStore):
        """Tuples become lists, so a snapshot equals its reloaded self."""
        store.record_quiz_answer("Ada", role="r", question="q", skills=[], score=0.5, correct=False, answer=("a", 1))
        assert store.load("Ada").quiz_answers[0].answer == ["a", 1]

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"score": 1.5}, "score"),
            ({"score": float("nan")}, "score"),
            ({"correct": "yes"}, "correct"),
            ({"question": ""}, "question"),
            ({"skills": "sql"}, "skills"),
            ({"answer": object()}, "JSON value"),
        ],
    )
    def test_bad_quiz_answer_is_refused(self, store: ProgressStore, kwargs, message):
        """Invalid arguments raise UsageError naming the argument, and nothing is written."""
        args = dict(role="r", question="q", skills=["sql"], score=1.0, correct=True)
        args.update(kwargs)
        with pytest.raises(UsageError, match=message):
            store.record_quiz_answer("Ada", **args)
        assert store.learners() == []

    def test_exercise_outcomes(self, store: ProgressStore):
        """Exercise checks keep exercise, step, outcome and message; an Enum outcome is accepted."""
        store.record_exercise("Ada", exercise="da-sql", step="s1", outcome="incorrect", message="missing WHERE")
        store.record_exercise("Ada", exercise="da-sql", step="s1", outcome=StepOutcome.CORRECT)
        got = [(r.step, r.outcome, r.message) for r in store.load("Ada").exercises]
        assert got == [("s1", StepOutcome.INCORRECT, "missing WHERE"), ("s1", StepOutcome.CORRECT, "")]

    def test_bad_outcome_is_refused(self, store: ProgressStore):
        """An outcome outside the three is a usage error listing them."""
        with pytest.raises(UsageError, match="not-attempted, incorrect, correct"):
            store.record_exercise("Ada", exercise="e", step="s", outcome="done")

    def test_self_assessment_updates_named_skills(self, store: ProgressStore):
        """Setting levels overrides the named skills and keeps the others."""
        store.set_self_assessment("Ada", {"sql": 1, "python": 2})
        store.set_self_assessment("Ada", {"sql": 3})
        assert dict(store.load("Ada").self_assessment) == {"python": 2, "sql": 3}

    @pytest.mark.parametrize("levels", [{"sql": 4}, {"sql": -1}, {"sql": True}, {"": 1}, ["sql"]])
    def test_bad_self_assessment_is_refused(self, store: ProgressStore, levels):
        """Levels outside 0..3, booleans, blank ids and non-mappings are refused."""
        with pytest.raises(UsageError):
            store.set_self_assessment("Ada", levels)

    def test_learners_lists_display_names(self, store: ProgressStore):
        """learners() gives the names kept inside the files, sorted, ignoring moved-aside files."""
        answer(store, "q", True, learner="zoë")
        answer(store, "q", True, learner="Ada Lovelace")
        (store.home / "ada-lovelace.corrupt-1.json").write_text("{}")
        assert store.learners() == ["Ada Lovelace", "zoë"]

    def test_same_slug_is_same_learner(self, store: ProgressStore):
        """Names differing only in case or accents share one file."""
        answer(store, "q1", True, learner="Zoë")
        answer(store, "q2", True, learner="zoe")
        assert len(store.load("ZOE").quiz_answers) == 2 and store.load("zoe").learner == "Zoë"

    def test_file_is_versioned_json(self, store: ProgressStore):
        """The file on disk is JSON with schema_version 2 and the display name."""
        answer(store, "q", True, learner="José")
        data = json.loads((store.home / "jose.json").read_text(encoding="utf-8"))
        assert data["schema_version"] == SCHEMA_VERSION == 2 and data["learner"] == "José"

    def test_level_is_recorded_as_a_rank(self, store: ProgressStore):
        """A question's level is stored as its rank, given as a rank, a Level or a Level value; None stays null."""
        from rolecourse.content.model import Level

        answer(store, "q1", True, level=3)
        answer(store, "q2", True, level=Level.INTERMEDIATE)
        answer(store, "q3", True, level="foundation")
        answer(store, "q4", True)
        assert [a.level for a in store.load("Ada").quiz_answers] == [3, 2, 1, None]
        data = json.loads((store.home / "ada.json").read_text(encoding="utf-8"))
        assert [a["level"] for a in data["quiz_answers"]] == [3, 2, 1, None]

    @pytest.mark.parametrize("level", [0, 4, True, "expert", 2.0, ["foundation"]])
    def test_bad_level_is_refused(self, store: ProgressStore, level):
        """A level that is not 1-3 or a Level value is a usage error and nothing is written."""
        with pytest.raises(UsageError, match="level must be 1, 2, 3 or one of foundation, intermediate, advanced"):
            answer(store, "q1", True, level=level)
        assert not (store.home / "ada.json").exists()

    def test_bad_level_in_a_file_is_reported(self, store: ProgressStore):
        """A stored level outside 1-3 is a located content problem on import."""
        text = json.dumps({"schema_version": 2, "learner": "Ada", "exercises": [], "self_assessment": {}, "reviews": {},
                           "quiz_answers": [{"role": "r", "question": "q", "skills": ["sql"], "score": 1, "correct": True, "level": 5}]})
        with pytest.raises(ContentError, match=r"quiz_answers\[0\]\.level: expected an integer from 1 to 3, found 5"):
            store.import_json(text, source="ada.json")


# -- reviews ------------------------------------------------------------------------------------


# -- mastery ------------------------------------------------------------------------------------


# -- summaries ----------------------------------------------------------------------------------


# -- safety -------------------------------------------------------------------------------------


def _writer(home: Path, learner: str, prefix: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(FIXTURES / "writer.py"), str(home), learner, prefix, str(count)],
        stdout=subprocess.PIPE,
        text=True,
    )


class TestSafety:
    def test_killed_writer_never_corrupts(self, tmp_path: Path):
        """A writer SIGKILLed at random moments always leaves a complete old or new state."""
        if not hasattr(signal, "SIGKILL"):
            pytest.skip("needs SIGKILL")
        rng = random.Random(7)
        home = tmp_path / "home"
        store = ProgressStore(home)
        seen = 0
        for trial in range(20):
            proc = _writer(home, "Ada", f"t{trial}", 0)
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.06))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            with warnings.catch_warnings():
                warnings.simplefilter("error", ProgressWarning)
                text = (home / "ada.json").read_text(encoding="utf-8") if (home / "ada.json").exists() else None
                count = len(store.load("Ada").quiz_answers)
            if text is not None:
                loads(text)  # complete and valid
            assert count >= seen  # nothing saved earlier was lost
            seen = count
        assert seen > 0
        assert not list(home.glob("*.corrupt-*")) and not list(home.glob("*.unknown-version-*"))

    def test_leftover_temp_files_are_cleaned_on_next_save(self, store: ProgressStore):
        """A temp file left by a killed writer is removed by the next save and never listed."""
        answer(store, "q1", True)
        stale = store.home / ".ada.json.abc123.tmp"
        stale.write_text("{half")
        assert store.learners() == ["Ada"]
        answer(store, "q2", True)
        assert not stale.exists()

    def test_two_writers_lose_no_update(self, tmp_path: Path):
        """Two processes recording N answers each for one learner leave all 2N answers."""
        home = tmp_path / "home"
        n = 25
        procs = [_writer(home, "Ada", prefix, n) for prefix in ("a", "b")]
        for proc in procs:
            proc.communicate(timeout=60)
            assert proc.returncode == 0
        questions = {a.question for a in ProgressStore(home).load("Ada").quiz_answers}
        assert questions == {f"{p}-{i}" for p in ("a", "b") for i in range(n)}

    def test_fallback_lock_without_fcntl(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
        """Without fcntl an O_EXCL lock file is used, removed after use, and a held one times out clearly."""
        monkeypatch.setattr("rolecourse.progress.store._fcntl", None)
        store = ProgressStore(tmp_path, lock_timeout=0.05)
        answer(store, "q1", True)
        assert len(store.load("Ada").quiz_answers) == 1 and not (tmp_path / "ada.lock-excl").exists()
        (tmp_path / "ada.lock-excl").write_text("12345")
        with pytest.raises(ProgressLockError, match="ada.lock-excl"):
            answer(store, "q2", True)

    def _quarantine(self, store: ProgressStore, fixture: str, tag: str) -> Path:
        store.home.mkdir(parents=True, exist_ok=True)
        original = (FIXTURES / fixture).read_bytes()
        (store.home / "ada.json").write_bytes(original)
        with pytest.warns(ProgressWarning) as caught:
            p = store.load("Ada")
        moved = store.home / f"ada.{tag}-1.json"
        assert p.is_empty and moved.read_bytes() == original and not (store.home / "ada.json").exists()
        assert str(moved) in str(caught[0].message)
        return moved

    def test_bad_json_is_moved_aside(self, store: ProgressStore):
        """A truncated file is moved to .corrupt-1.json with a warning saying where."""
        self._quarantine(store, "truncated.json", "corrupt")

    def test_wrong_types_are_moved_aside(self, store: ProgressStore):
        """A file with wrong field types is corrupt too, and the warning names the field."""
        store.home.mkdir(parents=True)
        shutil.copy(FIXTURES / "bad-types.json", store.home / "ada.json")
        with pytest.warns(ProgressWarning, match=r"quiz_answers\[0\]"):
            store.load("Ada")
        assert (store.home / "ada.corrupt-1.json").exists()

    def test_newer_version_is_moved_aside(self, store: ProgressStore):
        """A newer schema_version is moved to .unknown-version-1.json, not read as corrupt."""
        self._quarantine(store, "newer-version.json", "unknown-version")

    def test_quarantine_never_overwrites(self, store: ProgressStore):
        """A second corrupt file gets the next free number; the first one is kept."""
        self._quarantine(store, "truncated.json", "corrupt")
        (store.home / "ada.json").write_text("not json")
        with pytest.warns(ProgressWarning, match="corrupt-2"):
            store.load("Ada")
        assert (store.home / "ada.corrupt-1.json").read_bytes() == (FIXTURES / "truncated.json").read_bytes()

    def test_recording_after_corruption_keeps_the_bad_file(self, store: ProgressStore):
        """Recording over a corrupt file moves it aside first, then starts afresh."""
        store.home.mkdir(parents=True)
        (store.home / "ada.json").write_text("[1, 2")
        with pytest.warns(ProgressWarning):
            answer(store, "q1", True)
        assert (store.home / "ada.corrupt-1.json").read_text() == "[1, 2"
        assert len(store.load("Ada").quiz_answers) == 1


# -- migrations ---------------------------------------------------------------------------------


# -- export / import ----------------------------------------------------------------------------


class TestExportImport:
    def _rich(self, store: ProgressStore, clock: Clock) -> None:
        answer(store, "q1", False)
        clock.advance(minutes=3)
        answer(store, "q1", True)
        store.record_exercise("Ada", exercise="e", step="s", outcome="incorrect", message="try again")
        store.set_self_assessment("Ada", {"sql": 2})

    def test_round_trip_into_empty_store(self, store: ProgressStore, clock: Clock, tmp_path: Path):
        """export_json then import_json into an empty store gives an equal snapshot."""
        self._rich(store, clock)
        other = ProgressStore(tmp_path / "other")
        assert other.import_json(store.export_json("Ada")) == "Ada"
        assert other.load("Ada") == store.load("Ada")
        assert other.export_json("Ada") == store.export_json("Ada")

    def test_import_merges_without_clobbering(self, store: ProgressStore, clock: Clock, tmp_path: Path):
        """Merging unites records of both machines and the imported self-assessment wins."""
        self._rich(store, clock)
        other = ProgressStore(tmp_path / "other", clock=Clock(T0 + timedelta(days=1)))
        answer(other, "q7", True)
        other.set_self_assessment("Ada", {"sql": 1, "python": 2})
        other.import_json(store.export_json("Ada"))
        p = other.load("Ada")
        assert [a.question for a in p.quiz_answers] == ["q1", "q1", "q7"]
        assert dict(p.self_assessment) == {"python": 2, "sql": 2} and "q1" in p.reviews
        other.import_json(store.export_json("Ada"))  # importing twice adds no duplicate
        assert len(other.load("Ada").quiz_answers) == 3

    def test_import_with_new_name(self, store: ProgressStore, clock: Clock, tmp_path: Path):
        """learner= files the import under another name."""
        self._rich(store, clock)
        other = ProgressStore(tmp_path / "other")
        assert other.import_json(store.export_json("Ada"), learner="Ada B") == "Ada B"
        assert other.learners() == ["Ada B"]

    def test_replace_keeps_a_backup(self, store: ProgressStore, clock: Clock, tmp_path: Path):
        """merge=False replaces the progress but first keeps the old file as a backup."""
        self._rich(store, clock)
        other = ProgressStore(tmp_path / "other")
        answer(other, "q7", True)
        before = (other.home / "ada.json").read_text()
        with pytest.warns(ProgressWarning, match="backup-1"):
            other.import_json(store.export_json("Ada"), merge=False)
        assert other.load("Ada") == store.load("Ada")
        assert (other.home / "ada.backup-1.json").read_text() == before

    def test_import_syntax_error_has_line_and_column(self, store: ProgressStore):
        """Broken JSON is a ContentError at json's line and column."""
        with pytest.raises(ContentError) as info:
            store.import_json('{\n  "a": }', source="ada.json")
        assert str(info.value).startswith("ada.json:2:8: (root): expected valid JSON")

    def test_import_reports_every_bad_field(self, store: ProgressStore):
        """Wrong types are reported with path-style messages, and nothing is written."""
        with pytest.raises(ContentError) as info:
            store.import_json((FIXTURES / "bad-types.json").read_text(), source="bad.json")
        paths = {p.path for p in info.value.problems}
        assert paths == {"quiz_answers[0].score", "quiz_answers[0].correct", "exercises[0].outcome", "self_assessment.sql"}
        assert "expected a number from 0 to 1, found 7" in str(info.value)
        assert store.learners() == []

    def test_import_refuses_newer_version(self, store: ProgressStore):
        """An export from a newer rolecourse is refused with its version."""
        with pytest.raises(ContentError, match="schema_version: expected a progress schema_version from 0 to 2, found 99"):
            store.import_json((FIXTURES / "newer-version.json").read_text())

    def test_import_accepts_v0(self, store: ProgressStore):
        """A pre-release export is migrated on import."""
        assert store.import_json((FIXTURES / "v0-ada.json").read_text()) == "Ada Lovelace"
        assert len(store.load("Ada Lovelace").quiz_answers) == 2

    def test_import_refuses_unknown_fields(self, store: ProgressStore):
        """An unknown top-level field is reported by name."""
        data = json.loads(store.export_json("Ada"))
        data["badges"] = []
        with pytest.raises(ContentError, match="badges: expected a known field"):
            store.import_json(json.dumps(data))


# -- cohorts ------------------------------------------------------------------------------------


def test_import_rolecourse_stays_light():
    """The lazy exports resolve, and importing rolecourse.progress.store pulls in no widget or plot library."""
    code = (
        "import sys, rolecourse; rolecourse.ProgressStore; rolecourse.open_progress; "
        "bad = [m for m in ('ipywidgets', 'matplotlib', 'pandas') if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_self_assessment_names_known_skills_only(tmp_path):
    """A skill the curriculum lacks is refused with close matches and nothing is recorded; names become ids."""
    import pytest

    from rolecourse.errors import UnknownNameError
    from rolecourse.progress.store import ProgressStore

    store = ProgressStore(tmp_path)
    with pytest.raises(UnknownNameError, match="unknown skill 'sqll'"):
        store.set_self_assessment("Ada", {"python": 2, "sqll": 1})
    assert store.load("Ada").self_assessment == {}
    store.set_self_assessment("Ada", {"Machine Learning Algorithms": 1})
    assert store.load("Ada").self_assessment == {"ml-algorithms": 1}
