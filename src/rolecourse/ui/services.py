"""Throwaway database servers for lessons and tests: a PostgreSQL cluster in a temporary folder.

:func:`start_postgres` runs ``initdb`` in a new temporary folder and starts ``postgres`` (through
``pg_ctl``) listening on 127.0.0.1 only, on a free port, with its Unix socket inside that folder.
:meth:`PostgresServer.stop` stops it by its PID (``pg_ctl stop -m fast``, then ``SIGKILL`` if it
is still alive) and removes the folder; the server is also a context manager and is stopped at
interpreter exit. As root (CI, containers) PostgreSQL refuses to run, so the programs run as the
``postgres`` system user through ``runuser``; as a normal user they run directly.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import RolecourseError

__all__ = ["PostgresError", "PostgresNotFoundError", "PostgresServer", "find_postgres", "start_postgres"]

INSTALL_HINT = (
    "PostgreSQL is not installed: install the server with `apt-get install postgresql` (Debian/Ubuntu) "
    "or `conda install -c conda-forge postgresql`, then run this again"
)
"""The one line shown when no PostgreSQL server programs are found."""


class PostgresError(RolecourseError, RuntimeError):
    """The throwaway PostgreSQL server could not be started or stopped."""


class PostgresNotFoundError(PostgresError):
    """No PostgreSQL server programs (``initdb``, ``pg_ctl``, ``postgres``) were found; the message says how to install them."""


_PROGRAMS = ("initdb", "pg_ctl", "postgres")

_WATCHDOG = """
import os, shutil, signal, subprocess, sys, time
parent, pid, folder, stop = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
while os.getppid() == parent and os.path.isdir(folder):
    time.sleep(0.5)
if os.path.isdir(folder):
    try:
        subprocess.run(stop, timeout=15, capture_output=True)
    except Exception:
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    shutil.rmtree(folder, ignore_errors=True)
"""
"""Run beside the server: stops it when its Python process dies without running ``atexit`` (a killed kernel)."""


def _has_programs(folder: Path) -> bool:
    return all(os.access(folder / p, os.X_OK) for p in _PROGRAMS)


def find_postgres(bindir: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the server programs: ``bindir`` if given, else ``pg_config --bindir``, ``/usr/lib/postgresql/*/bin``, ``PATH``."""
    if sys.platform == "emscripten":
        raise PostgresNotFoundError("PostgreSQL cannot run in the browser (JupyterLite): open this notebook in Jupyter on a machine or Binder with PostgreSQL")
    if bindir is not None:
        candidates = [Path(bindir)]
    else:
        candidates = []
        if shutil.which("pg_config"):
            try:
                out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10, check=False).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                out = ""
            if out:
                candidates.append(Path(out))
        found = glob.glob("/usr/lib/postgresql/*/bin")
        candidates += [Path(p) for p in sorted(found, key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0, reverse=True)]
        if shutil.which("initdb"):
            candidates.append(Path(shutil.which("initdb") or "").parent)
    for folder in candidates:
        if _has_programs(folder):
            return folder
    raise PostgresNotFoundError(INSTALL_HINT)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, on 127.0.0.1; start it with :func:`start_postgres`."""

    def __init__(self, bindir: Path, *, timeout: float = 30.0) -> None:
        self.bindir: Path = bindir
        """The folder of ``initdb``, ``pg_ctl`` and ``postgres``."""
        self.timeout: float = timeout
        """Seconds allowed for ``initdb`` and for the start-up."""
        self.folder: Path | None = None
        """The temporary folder (data directory, socket, log); ``None`` once stopped."""
        self.port: int = 0
        """The TCP port on 127.0.0.1."""
        self.pid: int | None = None
        """The postmaster's PID while running."""
        self.user: str = "postgres"
        """The database superuser (trusted on loopback; no password)."""
        self._prefix: list[str] = ["runuser", "-u", "postgres", "--"] if getattr(os, "geteuid", lambda: 1)() == 0 else []
        self._watchdog: subprocess.Popen[bytes] | None = None

    @property
    def conninfo(self) -> str:
        """A libpq/psycopg connection string for the ``postgres`` database."""
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres connect_timeout=10"

    @property
    def running(self) -> bool:
        """Whether the server's process is alive."""
        return self.pid is not None and _alive(self.pid)

    def connect(self, **kwargs: Any) -> Any:
        """A new ``psycopg.Connection`` to the server (keyword arguments go to ``psycopg.connect``)."""
        import psycopg

        if not self.running:
            raise PostgresError("the PostgreSQL server is not running: start it with `start_postgres()`")
        return psycopg.connect(self.conninfo, **kwargs)

    def _run(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        cmd = [*self._prefix, str(self.bindir / args[0]), *args[1:]]
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.folder, check=False)
        except FileNotFoundError as exc:  # runuser missing
            raise PostgresError(f"cannot run {exc.filename}: as root, PostgreSQL is run through `runuser` (util-linux)") from None

    def _log_tail(self, lines: int = 8) -> str:
        log = self.folder / "server.log" if self.folder else None
        if log is None or not log.is_file():
            return "(no server log)"
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def start(self) -> PostgresServer:
        """Create the cluster and start the server; :class:`PostgresError` with the log's last lines on failure."""
        if self.running:
            return self
        self.folder = Path(tempfile.mkdtemp(prefix="rolecourse-pg-"))
        if self._prefix:
            try:
                shutil.chown(self.folder, user="postgres", group="postgres")
            except (LookupError, PermissionError) as exc:
                self._remove()
                raise PostgresError(f"running as root needs a `postgres` system user ({exc}): install the `postgresql` package") from None
        data = self.folder / "data"
        try:
            init = self._run("initdb", "-D", str(data), "-U", self.user, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", timeout=self.timeout)
            if init.returncode != 0:
                said = (init.stderr or init.stdout).strip().splitlines()
                raise PostgresError(f"initdb failed: {said[-1] if said else f'exit code {init.returncode}'}")
            for _attempt in range(3):
                self.port = _free_port()
                options = (
                    f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='{self.folder}' "
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=20"
                )
                started = self._run("pg_ctl", "start", "-D", str(data), "-w", "-t", str(int(self.timeout)), "-l", str(self.folder / "server.log"), "-o", options, timeout=self.timeout + min(5.0, self.timeout))
                pidfile = data / "postmaster.pid"
                if started.returncode == 0 and pidfile.is_file():
                    self.pid = int(pidfile.read_text(encoding="utf-8").split()[0])
                    atexit.register(self.stop)
                    stop = [*self._prefix, str(self.bindir / "pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w", "-t", "10"]
                    self._watchdog = subprocess.Popen(  # own session: a kernel killed with its process group does not take it along
                        [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(self.pid), str(self.folder), *stop],
                        start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    )
                    return self
                if "could not bind" not in self._log_tail(20):
                    break
            said = (started.stderr or started.stdout).strip().splitlines()
            raise PostgresError(
                f"PostgreSQL did not start ({said[-1] if said else 'no message'}; start it by hand with "
                f"`pg_ctl start -D <data folder>` to see why); the server log ends with:\n{self._log_tail()}"
            )
        except subprocess.TimeoutExpired:
            message = f"PostgreSQL did not start within {self.timeout:g} s; the server log ends with:\n{self._log_tail()}"
            self.stop()
            raise PostgresError(message) from None
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server by its PID (fast shutdown, then SIGKILL) and remove the temporary folder; safe to call twice."""
        atexit.unregister(self.stop)
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait()
            self._watchdog = None
        pid, self.pid = self.pid, None
        if pid is None and self.folder is not None and (self.folder / "data" / "postmaster.pid").is_file():
            pid = int((self.folder / "data" / "postmaster.pid").read_text(encoding="utf-8").split()[0])
        if pid is not None and _alive(pid):
            try:
                self._run("pg_ctl", "stop", "-D", str(self.folder / "data"), "-m", "fast", "-w", "-t", "10", timeout=15)  # type: ignore[operator]
            except (subprocess.TimeoutExpired, PostgresError):
                pass
            deadline = time.monotonic() + 5
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                while _alive(pid) and time.monotonic() < deadline + 5:
                    time.sleep(0.05)
        self._remove()

    def _remove(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<PostgresServer {'running' if self.running else 'stopped'}>"


def start_postgres(bindir: str | os.PathLike[str] | None = None, *, timeout: float = 30.0) -> PostgresServer:
    """Start a throwaway PostgreSQL server; :class:`PostgresNotFoundError` (one line) when it is not installed."""
    return PostgresServer(find_postgres(bindir), timeout=timeout).start()
