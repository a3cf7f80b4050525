"""Hostile files and folders against the one reader and the one writer, and learner data against the store (#18).

Property-based (hypothesis), few examples each so the file stays fast on a 2-core machine.
The properties: only rolecourse's own errors escape; nothing is written outside the target
folder; nothing hangs (a pipe, a device); no recorded learner data is lost.
"""

from __future__ import annotations

import json
import os
import stat
import time
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolecourse.content import _files
from rolecourse.errors import RolecourseError
from rolecourse.export.files import FolderWriter, replace_bytes, write_output
from rolecourse.progress.store import ProgressStore, ProgressWarning

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

KINDS = ("missing", "fifo", "folder", "dev-zero", "symlink-to-fifo", "too-large", "regular", "empty-name")


def _make(kind: str, where: Path, size: int) -> str:
    """A path of the given kind in ``where`` (a fresh folder)."""
    path = where / "input"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "dev-zero":
        return "/dev/zero"
    elif kind == "symlink-to-fifo":
        os.mkfifo(where / "pipe")
        path.symlink_to(where / "pipe")
    elif kind == "too-large":
        path.write_bytes(b"x" * (max(size, 1) + 1))  # one byte over the limit the test reads with (at least 1)
    elif kind == "regular":
        path.write_bytes(b"y" * size)
    elif kind == "empty-name":
        return ""
    return str(path)


@FAST
@given(kind=st.sampled_from(KINDS), size=st.integers(0, 4096), stream=st.booleans())
def test_reader_takes_regular_files_within_the_limit_only(tmp_path_factory, kind, size, stream):
    where = tmp_path_factory.mktemp("in")
    path = _make(kind, where, size)
    started = time.monotonic()
    try:
        if stream:
            with _files.open_input(path, limit=max(size, 1)) as handle:
                data = handle.read()
        else:
            data = _files.read_bytes(path, limit=max(size, 1))
    except _files.InputFileError as exc:
        assert isinstance(exc, RolecourseError) and isinstance(exc, OSError)
        assert kind != "regular"
        assert "\n" not in str(exc) and len(str(exc)) < 300
    else:
        assert kind == "regular" and data == b"y" * size
    assert time.monotonic() - started < 5, "a hostile input hung the reader"


def test_reader_stops_a_growing_source_at_the_limit():
    """/dev/zero named on purpose (special=True) is read only up to the limit, never until memory runs out."""
    with pytest.raises(_files.InputFileError, match="at most 1000 bytes"):
        _files.read_bytes("/dev/zero", limit=1000, special=True)


TARGETS = ("new", "existing", "symlink-out", "dangling-symlink", "folder", "fifo-no-reader", "input-of-the-run")


@FAST
@given(kind=st.sampled_from(TARGETS), mode=st.sampled_from([0o600, 0o640, 0o644, 0o664]), umask=st.sampled_from([0o022, 0o077, 0o002]), payload=st.binary(max_size=200), single=st.booleans())
def test_writer_stays_in_its_folder_and_keeps_modes(tmp_path_factory, kind, mode, umask, payload, single):
    root = tmp_path_factory.mktemp("out")
    folder = root / "target"
    folder.mkdir()
    outside = root / "outside.txt"
    outside.write_bytes(b"keep me")
    name = folder / "plan.md"
    if kind == "existing":
        name.write_bytes(b"old")
        os.chmod(name, mode)
    elif kind == "symlink-out":
        name.symlink_to(outside)
    elif kind == "dangling-symlink":
        name.symlink_to(root / "nowhere.txt")
    elif kind == "folder":
        name.mkdir()
    elif kind == "fifo-no-reader":
        os.mkfifo(name)
    elif kind == "input-of-the-run":
        name.write_bytes(b"input")
    before = sorted(p.name for p in root.iterdir())
    old_mask = os.umask(umask)
    started = time.monotonic()
    try:
        with _files.run():
            if kind == "input-of-the-run":
                _files.read_bytes(name)
            if single:
                write_output(name, payload)
            else:
                with FolderWriter(folder) as writer:
                    writer.write(name.name, payload)
        wrote = True
    except RolecourseError as exc:
        wrote = False
        assert "\n" not in str(exc)
        assert kind in ("folder", "fifo-no-reader", "input-of-the-run"), str(exc)
    finally:
        os.umask(old_mask)
    assert time.monotonic() - started < 5
    assert outside.read_bytes() == b"keep me", "a file outside the folder was written"
    assert sorted(p.name for p in root.iterdir()) == before, "something was created outside the folder"
    assert not list(folder.glob(".*.tmp")), "a temporary file was left behind"
    if kind == "input-of-the-run":
        assert name.read_bytes() == b"input"
    if wrote:
        info = os.lstat(name)
        assert stat.S_ISREG(info.st_mode) and name.read_bytes() == payload
        expected = mode if kind == "existing" else 0o666 & ~umask
        assert stat.S_IMODE(info.st_mode) == expected


def test_writer_writes_into_a_device_in_place():
    write_output("/dev/null", b"x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# -- the store: hostile progress files, nothing lost ------------------------------------------

HOSTILE_VALUES = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "1" * 400, "[" * 40 + "]" * 40, '"x"', "null", "{}"])


def _clock():
    from datetime import datetime, timezone

    return datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@FAST
@given(value=HOSTILE_VALUES, field=st.sampled_from(["score", "attempt", "answer", "level", "at"]))
def test_store_never_loses_a_recorded_answer(tmp_path_factory, value, field):
    home = tmp_path_factory.mktemp("home")
    store = ProgressStore(home, clock=_clock)
    store.record_quiz_answer("ada", role="data-analyst", question="q1", skills=["sql"], score=1.0, correct=True)
    path = home / "ada.json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    raw = json.dumps(data, indent=2).replace(f'"{field}": {json.dumps(data["quiz_answers"][0][field])}', f'"{field}": {value}', 1)
    path.write_text(raw, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        store.load("ada")
        store.record_quiz_answer("ada", role="data-analyst", question="q2", skills=["sql"], score=0.0, correct=False)
    after = store.load("ada")
    assert "q2" in {a.question for a in after.quiz_answers}, "the new answer was lost"
    kept = [p.read_text(encoding="utf-8") for p in home.glob("ada*.json")]
    assert any(raw == k for k in kept) or {"q1", "q2"} <= {a.question for a in after.quiz_answers}, "the old file was lost"
    if not {"q1", "q2"} <= {a.question for a in after.quiz_answers}:
        assert any(isinstance(w.message, ProgressWarning) for w in caught), "a file was set aside without a warning"


@FAST
@given(answer=st.recursive(st.none() | st.integers(-(10**60), 10**60) | st.floats() | st.text(max_size=5), lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3), max_leaves=20))
def test_store_takes_or_refuses_any_answer_cleanly(tmp_path_factory, answer):
    store = ProgressStore(tmp_path_factory.mktemp("home"), clock=_clock)
    try:
        store.record_quiz_answer("ada", role="r", question="q", skills=["sql"], score=0.5, correct=False, answer=answer)
    except RolecourseError:
        return
    assert store.load("ada").quiz_answers[0].question == "q"


def _read_only(monkeypatch, home: Path):
    """Make ``home`` behave as a read-only folder (root ignores permission bits, so the refusal is simulated)."""
    import errno

    real_open, real_mkdir = os.open, Path.mkdir

    def fake_open(path, flags, *args, **kwargs):
        if str(path).startswith(str(home)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(Path, "mkdir", real_mkdir)


def test_read_only_progress_folder_reads_and_refuses_saves_in_one_line(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path, clock=_clock)
    store.record_quiz_answer("ada", role="data-analyst", question="q1", skills=["sql"], score=1.0, correct=True)
    (tmp_path / "ada.lock").unlink()
    _read_only(monkeypatch, tmp_path)
    assert [a.question for a in store.load("ada").quiz_answers] == ["q1"]
    assert store.learners() == ["ada"]
    with pytest.raises(RolecourseError) as info:
        store.record_quiz_answer("ada", role="data-analyst", question="q2", skills=["sql"], score=1.0, correct=True)
    assert str(tmp_path) in str(info.value) and "read-only" in str(info.value) and "\n" not in str(info.value)


def test_full_disk_is_one_line_and_keeps_the_old_file(tmp_path, monkeypatch):
    import errno

    store = ProgressStore(tmp_path, clock=_clock)
    store.record_quiz_answer("ada", role="data-analyst", question="q1", skills=["sql"], score=1.0, correct=True)
    before = (tmp_path / "ada.json").read_bytes()

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(RolecourseError) as info:
        store.record_quiz_answer("ada", role="data-analyst", question="q2", skills=["sql"], score=1.0, correct=True)
    monkeypatch.undo()
    assert "\n" not in str(info.value)
    assert (tmp_path / "ada.json").read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


@settings(max_examples=20, deadline=None)
@given(text=st.text(max_size=300))
def test_replace_bytes_round_trips_any_text(tmp_path_factory, text):
    target = tmp_path_factory.mktemp("r") / "f.txt"
    replace_bytes(target, text.encode("utf-8"))
    assert target.read_bytes() == text.encode("utf-8")
