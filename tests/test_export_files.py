"""Tests for rolecourse.export.files: output files and folders the user names, with one-line errors."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from rolecourse.export import files as files_mod
from rolecourse.export.files import FolderWriter, make_folder, os_error, write_output
from rolecourse.errors import RolecourseError, UsageError


def test_write_output_writes_bytes_as_given(tmp_path):
    """The data is written byte for byte (CRLF kept) and the path returned."""
    target = write_output(tmp_path / "a.ics", b"A\r\nB")
    assert target.read_bytes() == b"A\r\nB"


def test_write_output_into_a_missing_folder_names_the_folder(tmp_path):
    """A file in a folder that does not exist is a usage error naming that folder."""
    target = tmp_path / "nodir" / "x.gift"
    with pytest.raises(UsageError) as info:
        write_output(target, b"x")
    assert str(info.value) == f"cannot write {str(target)!r}: the folder {str(target.parent)!r} does not exist"


def test_write_output_onto_a_folder_asks_for_a_file_name(tmp_path):
    """Writing to a path that is a folder is a usage error, not a traceback."""
    with pytest.raises(UsageError) as info:
        write_output(tmp_path, b"x")
    assert str(info.value) == f"cannot write {str(tmp_path)!r}: it is a folder; give a file name"


def test_write_output_refuses_an_empty_name():
    """An empty file name is a usage error (it would otherwise mean the current folder)."""
    with pytest.raises(UsageError, match="expected a file name to write to, found an empty one"):
        write_output("", b"x")


def test_make_folder_creates_parents_and_accepts_an_existing_one(tmp_path):
    """make_folder creates missing parents and leaves an existing folder as it is."""
    folder = make_folder(tmp_path / "a" / "b")
    (folder / "keep.txt").write_text("kept")
    assert make_folder(folder) == folder and (folder / "keep.txt").read_text() == "kept"


def test_make_folder_over_a_file_is_a_usage_error(tmp_path):
    """A file where the folder should be is reported in one line."""
    blocker = tmp_path / "plans"
    blocker.write_text("not a folder")
    with pytest.raises(UsageError) as info:
        make_folder(blocker)
    assert str(info.value) == f"cannot create the folder {str(blocker)!r}: a file of that name is in the way (expected a folder)"


def test_make_folder_under_a_file_is_a_usage_error(tmp_path):
    """A folder under a file (not a folder) is reported in one line."""
    blocker = tmp_path / "plans"
    blocker.write_text("not a folder")
    with pytest.raises(UsageError) as info:
        make_folder(blocker / "x")
    assert str(info.value) == f"cannot create the folder {str(blocker / 'x')!r}: part of the path is a file, not a folder"


def test_os_error_of_the_system_is_not_a_usage_error():
    """A failure that is not the path's fault (a full disk) is a RolecourseError, not a UsageError."""
    error = os_error(OSError(errno.ENOSPC, "No space left on device"), "write", "out.md")
    assert type(error) is RolecourseError
    assert str(error) == "cannot write 'out.md': No space left on device: the disk holding the folder '.' is full; free some space and try again"


def test_write_output_failure_keeps_the_old_file_whole(tmp_path, monkeypatch):
    """A write that fails half way (a full disk) leaves the existing file as it was and no temporary file behind."""
    target = tmp_path / "plan.md"
    target.write_bytes(b"old plan")

    def full_disk(fd, *args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("rolecourse.export.files.os.fsync", full_disk)
    with pytest.raises(RolecourseError, match="No space left on device") as info:
        write_output(target, b"new plan")
    assert not isinstance(info.value, UsageError)
    assert target.read_bytes() == b"old plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md"]


def test_write_output_replaces_an_existing_file(tmp_path):
    """Writing over an existing file replaces its whole content and leaves no temporary file."""
    target = tmp_path / "plan.md"
    target.write_bytes(b"a much longer old plan")
    write_output(target, b"new")
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_write_output_to_a_device_writes_in_place(tmp_path):
    """A path that is neither a file nor a folder (/dev/null, a pipe) is written to, never replaced."""
    write_output("/dev/null", b"x")
    assert Path("/dev/null").exists() and not Path("/dev/null").is_file()


def test_a_folder_empty_when_opened_takes_each_name_without_looking_it_up(tmp_path, monkeypatch):
    """A new cohort folder: no stat a file (nothing of this run's can be in the way); a folder that held something: one a file."""
    looked: list[str] = []
    real_stat = files_mod.os.stat

    def stat(path, *args, **kwargs):
        if str(path).endswith(".json"):  # the names written (not the folder, not /proc)
            looked.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(files_mod.os, "stat", stat)
    empty, used = tmp_path / "empty", tmp_path / "used"
    empty.mkdir()
    used.mkdir()
    (used / "old.txt").write_text("old")
    with FolderWriter(empty) as writer:
        writer.write("a.json", b"{}")
        writer.write("b.json", b"[]")
    assert looked == [] and (empty / "a.json").read_bytes() == b"{}" and (empty / "b.json").read_bytes() == b"[]"
    with FolderWriter(used) as writer:
        writer.write("a.json", b"{}")
    assert looked == ["a.json"]


def test_a_link_put_in_a_new_folder_after_it_was_opened_is_replaced_not_followed(tmp_path):
    """Even unlooked-up, a name is renamed into place: a symlink another process puts there meanwhile is replaced, its target untouched."""
    out, target = tmp_path / "out", tmp_path / "target.txt"
    out.mkdir()
    target.write_text("keep me")
    with FolderWriter(out) as writer:
        (out / "ada.md").symlink_to(target)
        writer.write("ada.md", b"# Ada")
    assert not (out / "ada.md").is_symlink() and (out / "ada.md").read_bytes() == b"# Ada"
    assert target.read_text() == "keep me"


def test_a_folder_put_in_a_new_folder_after_it_was_opened_is_one_clear_error(tmp_path):
    """A folder in a name's way, made after the writer opened its (then empty) folder: the usual one-line error, no temporary file left."""
    out = tmp_path / "out"
    out.mkdir()
    writer = FolderWriter(out)
    (out / "ada.md").mkdir()
    (out / "ada.md" / "inside").write_text("x")
    with pytest.raises(UsageError, match=r"cannot write .*ada\.md'?: it is a folder"):
        writer.write("ada.md", b"# Ada")
    writer.close()
    assert sorted(p.name for p in out.iterdir()) == ["ada.md"]


@pytest.mark.skipif(not files_mod._UNNAMED_FLAGS or not hasattr(files_mod.os, "fork"), reason="unnamed files (O_TMPFILE) are Linux's")
def test_a_run_killed_halfway_through_a_file_leaves_nothing_in_a_new_folder(tmp_path):
    """In a folder that was empty, a file is written unnamed and linked in whole: a process killed mid-write leaves no entry at all."""
    out = tmp_path / "out"
    out.mkdir()
    pid = files_mod.os.fork()
    if pid == 0:  # the child: one whole file, then killed halfway through the next
        try:
            with FolderWriter(out) as writer:
                writer.write("whole.json", b"{}")

                def chunks():
                    yield b'{"half": '
                    files_mod.os._exit(9)

                writer.write("half.json", chunks())
        finally:
            files_mod.os._exit(1)
    _, status = files_mod.os.waitpid(pid, 0)
    assert files_mod.os.WEXITSTATUS(status) == 9
    assert sorted(p.name for p in out.iterdir()) == ["whole.json"]
    assert (out / "whole.json").read_bytes() == b"{}"


def test_a_new_file_gets_the_mode_the_umask_gives_in_a_new_folder_too(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    old = files_mod.os.umask(0o027)
    try:
        with FolderWriter(out) as writer:
            writer.write("plan.md", b"# Plan")
    finally:
        files_mod.os.umask(old)
    assert (out / "plan.md").stat().st_mode & 0o777 == 0o640


def test_a_file_system_without_unnamed_files_gets_temporary_files_renamed(tmp_path, monkeypatch):
    """Where O_TMPFILE is refused (EOPNOTSUPP: some network and overlay file systems), the writer falls back and writes every file."""
    real_open = files_mod.os.open
    refused: list[int] = []

    def open_(path, flags, *args, **kwargs):
        if files_mod._UNNAMED_FLAGS and flags == files_mod._UNNAMED_FLAGS:
            refused.append(flags)
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(files_mod.os, "open", open_)
    out = tmp_path / "out"
    out.mkdir()
    with FolderWriter(out) as writer:
        writer.write("a.json", b"{}")
        writer.write("b.json", [b"[", b"]"])
    assert (out / "a.json").read_bytes() == b"{}" and (out / "b.json").read_bytes() == b"[]"
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    assert len(refused) == (1 if files_mod._UNNAMED_FLAGS else 0)  # asked once, then not again


def test_a_folder_that_cannot_be_listed_has_every_name_looked_up(tmp_path, monkeypatch):
    """When the folder's first entry cannot be read, the writer does not take it for empty: names are checked as in a used folder."""
    def refuse(fd):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files_mod.os, "scandir", refuse)
    out = tmp_path / "out"
    out.mkdir()
    writer = FolderWriter(out)
    assert not writer._was_empty and not writer._unnamed
    (out / "ada.md").mkdir()
    with pytest.raises(UsageError, match="it is a folder"):
        writer.write("ada.md", b"# Ada")
    writer.write("bob.md", b"# Bob")
    writer.close()
    assert (out / "bob.md").read_bytes() == b"# Bob"
