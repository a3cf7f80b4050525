"""Writing output files the user named (plans, quiz exports, cohort folders).

A path that cannot be written (a missing folder, a folder where a file was expected, no
permission) is the user's to fix, so it raises :class:`~rolecourse.errors.UsageError` with
one line saying which path and why; any other failure of the system (a full disk) raises
:class:`~rolecourse.errors.RolecourseError`. Never a traceback.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ..errors import RolecourseError, UsageError

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
    else:
        reason = exc.strerror or str(exc)
    cls = UsageError if code in _PATH_ERRORS else RolecourseError
    return cls(f"cannot {action} {shown!r}: {reason}")


def write_output(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` byte for byte, atomically; a path that cannot be written raises one clear error.

    An existing file is replaced only once the new bytes are safely written, so a failed
    write (a full disk) never leaves it truncated.
    """
    target = Path(path)
    if not str(path):
        raise UsageError("expected a file name to write to, found an empty one")
    try:
        if target.exists() and not target.is_file() and not target.is_dir():
            target.write_bytes(data)  # a device or a pipe (/dev/stdout): written in place, never replaced
        else:
            replace_bytes(target, data)
    except OSError as exc:
        raise os_error(exc, "write", path) from None
    return target


def replace_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a failure or a crash leaves either the old or the new content.

    The bytes go to a temporary file beside ``path``, which is synced, then renamed over it;
    the folder is synced so the rename itself survives a crash.
    """
    folder = path.parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_folder(folder)


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


_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
"""Flags for :func:`write_file`: create or truncate, bytes as they are (no newline translation)."""



def write_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` with one open and as few writes as the system allows.

    For batches (a cohort's files): an :class:`OSError` is left to the caller, which names the file
    in one :func:`os_error`; a single file goes through :func:`write_output`.
    """
    fd = os.open(path, _OPEN_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
