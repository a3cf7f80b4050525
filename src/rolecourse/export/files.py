"""Writing output files the user named (plans, quiz exports, cohort folders).

A path that cannot be written (a missing folder, a folder where a file was expected, no
permission) is the user's to fix, so it raises :class:`~rolecourse.errors.UsageError` with
one line saying which path and why; any other failure of the system (a full disk) raises
:class:`~rolecourse.errors.RolecourseError`. Never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from ..content import _files
from ..errors import RolecourseError, UsageError

_T = TypeVar("_T")

_PATH_ERRORS = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EEXIST, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENAMETOOLONG})
"""errno values that mean the path given is wrong (the user's to fix), not that the system failed."""


def os_error(exc: OSError, action: str, path: str | os.PathLike[str]) -> RolecourseError:
    """The one-line error for ``exc`` raised while doing ``action`` ("write", "create the folder") on ``path``."""
    shown = str(path)
    code = exc.errno
    if code == errno.ENOENT and action == "write":
        reason = f"the folder {str(Path(shown).parent)!r} does not exist"
    elif code == errno.EISDIR:
        reason = "it is a folder; give a file name"
    elif code == errno.EEXIST:
        reason = "a file of that name is in the way (expected a folder)"
    elif code == errno.ENOTDIR:
        reason = "part of the path is a file, not a folder"
    elif code == errno.EROFS:
        reason = f"the folder {str(Path(shown).parent)!r} is on a read-only file system; write to another folder"
    elif code in (errno.EACCES, errno.EPERM):
        reason = f"no permission to write in the folder {str(Path(shown).parent)!r}; write to another folder"
    elif code in (errno.ENOSPC, errno.EDQUOT):
        reason = f"{exc.strerror or 'No space left on device'}: the disk holding the folder {str(Path(shown).parent)!r} is full; free some space and try again"
    else:
        reason = exc.strerror or str(exc)
    cls = UsageError if code in _PATH_ERRORS else RolecourseError
    return cls(f"cannot {action} {shown!r}: {reason}")


_STREAMS = frozenset({"/dev/stdout", "/dev/stderr"})
"""Outputs named on purpose that are links to the process's own streams: written through, never replaced."""


def write_output(path: str | os.PathLike[str], data: bytes, protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Write ``data`` to ``path`` byte for byte, atomically; a path that cannot be written raises one clear error.

    The one writer of a single output (see :class:`FolderWriter` for the rules): an existing
    file is replaced only once the new bytes are safely written, so a failed write (a full
    disk) never leaves it truncated; a symlink in the way is replaced, never followed; a
    folder or a socket in the way, an input of the same run or a ``protect``-ed file is
    refused. A pipe or a device the user names (``/dev/null``, ``/dev/stdout``, a FIFO a
    process reads) is written in place, never replaced; a pipe nobody reads is refused
    instead of waiting forever.
    """
    target = Path(path)
    if not str(path):
        raise UsageError("expected a file name to write to, found an empty one")
    try:
        st = os.stat(target, follow_symlinks=str(path) in _STREAMS or str(path).startswith("/dev/fd/"))
    except OSError:
        st = None
    try:
        if st is not None and (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):
            _write_in_place(target, data)
        else:
            with FolderWriter(target.parent, protect=tuple(Path(p) for p in protect), sync=True) as writer:
                writer.write(target.name, data)
    except OSError as exc:
        raise os_error(exc, "write", path) from None
    return target


def _write_in_place(target: Path, data: bytes) -> None:
    """Write ``data`` into a pipe or a device as it is (no create, no truncate, no wait for a reader)."""
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise UsageError(f"cannot write {str(target)!r}: it is a pipe that no process reads; start its reader first or write to a file") from None
        raise
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def replace_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a failure or a crash leaves either the old or the new content.

    Through :class:`FolderWriter` (``sync=True``): the bytes go to a new temporary file beside
    ``path``, which is synced, then renamed over it; the folder is synced so the rename itself
    survives a crash. Raises :class:`~rolecourse.errors.UsageError` or
    :class:`~rolecourse.errors.RolecourseError` naming the file when it cannot be written.
    """
    try:
        writer = FolderWriter(path.parent, sync=True)
    except OSError as exc:
        raise os_error(exc, "write", path) from None
    with writer:
        writer.write(path.name, data)


def fsync_folder(folder: Path) -> None:
    """Sync ``folder``'s entries to disk (a no-op where folders cannot be opened, as on Windows)."""
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_folder(path: str | os.PathLike[str]) -> Path:
    """Create the folder ``path`` (and its parents) if needed; a path that cannot be one raises one clear error."""
    folder = Path(path)
    if not str(path):
        raise UsageError("expected a folder name, found an empty one")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, "create the folder", path) from None
    return folder


class FolderWriter:
    """Writes many files into one folder, each atomically; for a cohort's plans.

    Each file's bytes go to a new temporary file in the folder (created exclusively, never
    through a symlink), which is then renamed over the file's name: a reader sees the old
    file or the new one, never a part. Every name is opened relative to the folder, opened
    once, so no file lands outside it. A symlink in the way is replaced by the file (what it
    pointed to is left alone); a folder, a pipe or a device in the way, or one of the
    ``protect``-ed files or a file read as an input of the same command
    (:func:`rolecourse.content._files.run`), is refused with one line naming it. A new file
    gets the mode the umask gives; a file replaced keeps its mode. In a folder that was empty when
    the writer opened it (a new cohort folder), nothing can be in a name's way but what another
    process puts there meanwhile, so names are not looked up before they are written, and on
    Linux each file is written unnamed and linked in once whole (:meth:`_write_unnamed`: no
    temporary name, nothing left behind by a killed run); a rename or a link never follows a
    link in the way. The folder's entries are
    synced once, on :meth:`close`; the files themselves are synced one by one only with
    ``sync=True`` (one file that must survive a crash, such as a learner's progress).

    Raises :class:`~rolecourse.errors.UsageError` or :class:`~rolecourse.errors.RolecourseError`
    (one line naming the file) when a file cannot be written.
    """

    def __init__(self, folder: Path, protect: tuple[Path, ...] = (), sync: bool = False) -> None:
        self.folder = folder
        self._sync = sync
        self._fd: int | None = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if _DIR_FD else None
        self._was_empty = self._fd is not None and _is_empty(self._fd)
        self._unnamed = self._was_empty and _UNNAMED_FLAGS != 0 and os.path.isdir("/proc/self/fd")
        self._mode = 0o666 & ~_umask()
        self._tag = os.urandom(4).hex()
        self._protect = set()
        for path in protect:
            try:
                st = os.stat(path)
            except OSError:
                continue
            self._protect.add((st.st_dev, st.st_ino))

    def __enter__(self) -> "FolderWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(sync=exc[0] is None)

    def close(self, sync: bool = True) -> None:
        """Sync the folder's entries (unless ``sync`` is false) and let it go."""
        fd, self._fd = self._fd, None
        if fd is None:
            if sync and not _DIR_FD:
                fsync_folder(self.folder)
            return
        try:
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)

    def _where(self, name: str) -> dict[str, int]:
        return {"dir_fd": self._fd} if self._fd is not None else {}

    def _name(self, name: str) -> str:
        return name if self._fd is not None else str(self.folder / name)

    def write(self, name: str, data: bytes | Iterable[bytes]) -> None:
        """Write ``data`` (bytes, or chunks of bytes) as the file ``name`` of the folder, atomically."""
        shown = self.folder / name
        try:
            self._write(name, data, shown)
        except OSError as exc:
            raise os_error(exc, "write", shown) from None

    def _write(self, name: str, data: bytes | Iterable[bytes], shown: Path) -> None:
        where = self._where(name)
        mode = self._mode
        if self._was_empty:
            if self._unnamed and self._write_unnamed(name, data):
                return
            st = None
        else:
            try:
                st = os.stat(self._name(name), follow_symlinks=False, **where)
            except FileNotFoundError:
                st = None
        if st is not None:
            kind = st.st_mode
            if stat.S_ISDIR(kind):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(shown))
            if stat.S_ISREG(kind):
                if (st.st_dev, st.st_ino) in self._protect or _files.is_input(st):
                    raise UsageError(f"cannot write {str(shown)!r}: it is an input of this run; write to another folder")
                mode = stat.S_IMODE(kind)
            elif not stat.S_ISLNK(kind):
                raise UsageError(f"cannot write {str(shown)!r}: it is not a regular file (a pipe, a socket or a device); remove it or write to another folder")
        tmp, fd = self._new_tmp(name, lambda tmp: os.open(self._name(tmp), _TMP_FLAGS, 0o666, **self._where(tmp)))
        try:
            try:
                if mode != self._mode:
                    os.fchmod(fd, mode)
                self._fill(fd, data)
            finally:
                os.close(fd)
        except BaseException:
            self._unlink(tmp)
            raise
        self._rename_over(tmp, name)

    def _new_tmp(self, name: str, create: Callable[[str], _T]) -> tuple[str, _T]:
        """A new temporary file beside ``name``: (its name, what ``create(tmp)`` that made it gave). ``create`` fails
        with FileExistsError when the name is taken (left by a run that was killed); another name is then tried."""
        while True:
            tmp = f".{name}.{self._tag}.tmp"
            try:
                return tmp, create(tmp)
            except FileExistsError:
                self._tag = os.urandom(4).hex()

    def _fill(self, fd: int, data: bytes | Iterable[bytes]) -> None:
        """Write ``data`` (bytes or chunks) into the open file ``fd``, all of it; synced with ``sync=True``."""
        for chunk in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
        if self._sync:
            os.fsync(fd)

    def _rename_over(self, tmp: str, name: str) -> None:
        """Rename the whole temporary file ``tmp`` over ``name``; when that fails, the temporary file goes."""
        try:
            if self._fd is not None:
                os.rename(tmp, name, src_dir_fd=self._fd, dst_dir_fd=self._fd)
            else:
                os.replace(self._name(tmp), self._name(name))
        except BaseException:
            self._unlink(tmp)
            raise

    def _unlink(self, tmp: str) -> None:
        try:
            os.unlink(self._name(tmp), **self._where(tmp))
        except FileNotFoundError:
            pass

    def _write_unnamed(self, name: str, data: bytes | Iterable[bytes]) -> bool:
        """Write ``name`` as an unnamed file of the folder (Linux's ``O_TMPFILE``), linked in under its name once whole.

        Nothing of a write that fails or is killed halfway is left in the folder (an unnamed file
        goes with its last descriptor), and the folder gets one entry instead of a temporary one
        renamed. A name another process put there since the folder was opened empty is replaced,
        as a rename replaces it. False (nothing written, ``data`` untouched) where the file
        system has no unnamed files: then this writer renames temporary files, as elsewhere.
        """
        assert self._fd is not None  # only for a folder open as a descriptor (see __init__)
        try:
            fd = os.open(".", _UNNAMED_FLAGS, 0o666, dir_fd=self._fd)
        except OSError as exc:
            if exc.errno in _NO_UNNAMED:
                self._unnamed = False
                return False
            raise
        try:
            self._fill(fd, data)
            source = f"/proc/self/fd/{fd}"
            try:
                os.link(source, name, dst_dir_fd=self._fd, follow_symlinks=True)
            except FileExistsError:
                tmp, _ = self._new_tmp(name, lambda tmp: os.link(source, tmp, dst_dir_fd=self._fd, follow_symlinks=True))
                self._rename_over(tmp, name)
        finally:
            os.close(fd)
        return True


def _is_empty(fd: int) -> bool:
    """Whether the folder open as ``fd`` has no entries (only its first entry is read); False when it cannot be listed."""
    try:
        with os.scandir(fd) as entries:
            return next(entries, None) is None
    except OSError:  # then every name is looked up before it is written
        return False


_UNNAMED_FLAGS = (os.O_TMPFILE | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)) if hasattr(os, "O_TMPFILE") else 0
"""Flags for an unnamed file of a folder (Linux), linked in once whole; 0 where the system has none."""

_NO_UNNAMED = frozenset({errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL})
"""errno values of a file system (or a kernel) that cannot make unnamed files: the writer then renames temporary files."""

_DIR_FD = os.name == "posix" and {os.open, os.stat, os.rename, os.unlink} <= os.supports_dir_fd
"""Whether files can be opened relative to an open folder (POSIX): then no path is resolved twice."""

_TMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
"""Flags for a :class:`FolderWriter`'s temporary file: a new file, never through a symlink, bytes as they are."""


_umask_lock = threading.Lock()


def _umask() -> int:
    """The process's umask (read by setting it and setting it back, under a lock)."""
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask
