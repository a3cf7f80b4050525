"""Writing output files the user named (plans, quiz exports, cohort folders).

A path that cannot be written (a missing folder, a folder where a file was expected, no
permission) is the user's to fix, so it raises :class:`~rolecourse.errors.UsageError` with
one line saying which path and why; any other failure of the system (a full disk) raises
:class:`~rolecourse.errors.RolecourseError`. Never a traceback.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .errors import RolecourseError, UsageError

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
    """Write ``data`` to ``path`` byte for byte; a path that cannot be written raises one clear error."""
    target = Path(path)
    if not str(path):
        raise UsageError("expected a file name to write to, found an empty one")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise os_error(exc, "write", path) from None
    return target


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
