"""The one reader of input files: curriculum, banks, lessons, exercises, rosters, progress, imports.

Every file rolecourse reads goes through :func:`read_bytes` (whole) or :func:`open_input`
(a stream), which

* open the file without blocking, so a pipe with no writer never hangs a command;
* accept a regular file only, unless the caller allows other kinds (``special=True``, for a
  file the user named on purpose such as ``/dev/stdin``); a pipe, a socket, a device or a
  folder is refused with one line naming what it is;
* enforce the size limit while reading, never from ``st_size`` alone, so ``/dev/zero`` or a
  file that grows while it is read stops at the limit;
* remember, during a command (:func:`run`), which files were read, so the one file writer
  (:mod:`rolecourse.export.files`) never writes over an input of the same run.

A file that cannot be read raises :class:`InputFileError`: a
:class:`~rolecourse.errors.RolecourseError` that is also an :class:`OSError`, whose
``strerror`` is the one-line reason, so callers that already report an ``OSError`` by its
``strerror`` report these the same way.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from contextlib import contextmanager
from typing import BinaryIO, Iterator

from ..errors import RolecourseError

MAX_BYTES = 5 * 1024 * 1024
"""The default limit: content files (curriculum, banks, lessons, exercises) larger than this are refused."""

MAX_PROGRESS_BYTES = 32 * 1024 * 1024
"""The limit of a progress file and of an exported progress file to import."""

MAX_ROSTER_BYTES = 64 * 1024 * 1024
"""The limit of a roster (about 500,000 learners of 120 bytes each)."""

_CHUNK = 1 << 16

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class InputFileError(RolecourseError, OSError):
    """A file that cannot be read as an input: missing, not a regular file, too large, unreadable.

    ``strerror`` is the reason in one line, ``filename`` the path as given.
    """

    def __str__(self) -> str:
        return f"cannot read {str(self.filename)!r}: {self.strerror}"


def too_large(limit: int, size: int | None = None) -> str:
    """The reason given for a file over ``limit`` bytes (``size`` when it is known before reading)."""
    found = f"{size} bytes" if size is not None else "more (reading stopped there)"
    return f"expected a file of at most {limit} bytes, found {found}"


def kind_of(mode: int) -> str:
    """What a file of ``st_mode`` ``mode`` is, in words: ``"a pipe (FIFO)"``."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a regular file"


def named_on_purpose(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names the process's own input (``/dev/stdin``, ``/dev/fd/N`` of a shell's ``<(...)``).

    Such a path is what a user asks for to read a pipe; readers pass it as ``special=True``.
    """
    text = os.fspath(path)
    return isinstance(text, str) and (text == "/dev/stdin" or text.startswith("/dev/fd/"))


# -- the inputs of one run --------------------------------------------------------------------

_run_inputs: set[tuple[int, int]] | None = None


@contextmanager
def run() -> Iterator[set[tuple[int, int]]]:
    """Remember the files read until the block ends (one command); nested blocks share the outer record."""
    global _run_inputs
    if _run_inputs is not None:
        yield _run_inputs
        return
    _run_inputs = set()
    try:
        yield _run_inputs
    finally:
        _run_inputs = None


def is_input(st: os.stat_result) -> bool:
    """Whether the file of ``st`` was read as an input during the current :func:`run`."""
    return _run_inputs is not None and (st.st_dev, st.st_ino) in _run_inputs


def note_input(st: os.stat_result) -> None:
    """Record the file of ``st`` as an input of the current :func:`run` (no-op outside one)."""
    if _run_inputs is not None and stat.S_ISREG(st.st_mode):
        _run_inputs.add((st.st_dev, st.st_ino))


# -- opening and reading ----------------------------------------------------------------------


def _fail(code: int, reason: str, path: object) -> InputFileError:
    return InputFileError(code, reason, str(path))


def _open_fd(path: str | os.PathLike[str], special: bool, record: bool) -> tuple[int, os.stat_result]:
    if isinstance(path, (str, bytes)) and not path:
        raise _fail(errno.ENOENT, "expected a file name, found an empty one", path)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        code = exc.errno or errno.EIO
        if code == errno.ENOENT:
            reason = "no such file"
        elif code == errno.EISDIR:
            reason = "it is a folder; expected a file"
        else:
            reason = exc.strerror or str(exc)
        raise _fail(code, reason, path) from None
    except (ValueError, TypeError) as exc:  # an embedded NUL, a path of the wrong type
        raise _fail(errno.EINVAL, f"not a usable path ({exc})", path) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise _fail(errno.EISDIR, "it is a folder; expected a file", path)
        if not stat.S_ISREG(st.st_mode) and not special:
            raise _fail(errno.EINVAL, f"it is {kind_of(st.st_mode)}, not a regular file", path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a pipe the user named on purpose: wait for its writer's data
    except BaseException:
        os.close(fd)
        raise
    if record:
        note_input(st)
    return fd, st


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_BYTES, *, special: bool = False, record: bool = True) -> bytes:
    """The bytes of the file ``path``, at most ``limit`` of them; see the module docstring.

    Raises :class:`InputFileError` (one line: missing, not a regular file, larger than the
    limit, unreadable).
    """
    fd, st = _open_fd(path, special, record)
    try:
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise _fail(errno.EFBIG, too_large(limit, st.st_size), path)
        chunks = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            except OSError as exc:
                raise _fail(exc.errno or errno.EIO, exc.strerror or str(exc), path) from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _fail(errno.EFBIG, too_large(limit), path)
        return b"".join(chunks)
    finally:
        os.close(fd)


class _Bounded(io.RawIOBase):
    """A raw stream over an open file that fails once more than ``limit`` bytes have been read."""

    def __init__(self, fd: int, limit: int, path: object) -> None:
        self._fd = fd
        self._left = limit
        self._limit = limit
        self._path = path

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        want = min(len(view), self._left + 1)
        try:
            data = os.read(self._fd, want)
        except OSError as exc:
            raise _fail(exc.errno or errno.EIO, exc.strerror or str(exc), self._path) from None
        if len(data) > self._left:
            raise _fail(errno.EFBIG, too_large(self._limit), self._path)
        self._left -= len(data)
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()


def open_input(path: str | os.PathLike[str], limit: int = MAX_BYTES, *, special: bool = False, record: bool = True) -> BinaryIO:
    """A buffered binary stream of the file ``path`` that raises :class:`InputFileError` past ``limit`` bytes.

    For inputs read as a stream (a roster); the same rules as :func:`read_bytes`.
    """
    fd, st = _open_fd(path, special, record)
    if stat.S_ISREG(st.st_mode) and st.st_size > limit:
        os.close(fd)
        raise _fail(errno.EFBIG, too_large(limit, st.st_size), path)
    return io.BufferedReader(_Bounded(fd, limit, path), _CHUNK)  # type: ignore[return-value]


def read_text(path: str | os.PathLike[str], limit: int = MAX_BYTES, *, special: bool = False, record: bool = True) -> str:
    """:func:`read_bytes` decoded as UTF-8 (a byte-order mark is dropped); bad bytes raise :class:`UnicodeDecodeError`."""
    return read_bytes(path, limit, special=special, record=record).decode("utf-8-sig")
