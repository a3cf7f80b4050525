"""Tests for rolecourse.ui.services: a real throwaway PostgreSQL server, started and stopped by PID.

Skipped only when PostgreSQL is not installed and ``CI`` is not ``true``; under CI a missing
server fails the tests.
"""

from __future__ import annotations

import os

import pytest

from rolecourse.errors import RolecourseError
from rolecourse.ui.services import INSTALL_HINT, PostgresNotFoundError, PostgresServer, find_postgres, start_postgres


def _installed() -> bool:
    try:
        find_postgres()
    except PostgresNotFoundError:
        return False
    return True


needs_postgres = pytest.mark.skipif(
    not _installed() and os.environ.get("CI") != "true",
    reason="PostgreSQL is not installed (apt-get install postgresql); under CI=true this fails instead",
)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@needs_postgres
@pytest.mark.slow
def test_server_starts_answers_and_stops_by_pid():
    """A started server answers a query on 127.0.0.1; stop() ends its PID and removes its folder."""
    server = start_postgres()
    try:
        assert server.running and server.pid is not None
        assert "host=127.0.0.1" in server.conninfo
        with server.connect() as con:
            assert con.execute("SELECT 1 + 1").fetchone() == (2,)
            assert con.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        pid, folder = server.pid, server.folder
        assert folder is not None and folder.is_dir()
    finally:
        server.stop()
    assert _gone(pid)
    assert not folder.exists()
    assert not server.running
    server.stop()  # a second stop does nothing


@needs_postgres
@pytest.mark.slow
def test_context_manager_stops_the_server():
    """Leaving the ``with`` block stops the server, even on an error inside it."""
    with pytest.raises(ZeroDivisionError):
        with PostgresServer(find_postgres()) as server:
            pid, folder = server.pid, server.folder
            with server.connect(autocommit=True) as con:
                con.execute("CREATE TABLE t (x int)")
            1 / 0
    assert pid is not None and _gone(pid)
    assert folder is not None and not folder.exists()


@needs_postgres
def test_connect_to_a_stopped_server_is_a_clear_error():
    """Connecting before start (or after stop) names the function that starts the server."""
    server = PostgresServer(find_postgres())
    with pytest.raises(RolecourseError, match="start_postgres"):
        server.connect()


def test_missing_binaries_give_one_line_naming_the_install_command(tmp_path):
    """A bindir without the server programs is a one-line PostgresNotFoundError naming apt-get and conda."""
    (tmp_path / "pg_ctl").write_text("#!/bin/sh\n")
    with pytest.raises(PostgresNotFoundError) as err:
        start_postgres(bindir=tmp_path)
    message = str(err.value)
    assert isinstance(err.value, RolecourseError)
    assert message == INSTALL_HINT and "\n" not in message
    assert "apt-get install postgresql" in message and "conda install -c conda-forge postgresql" in message


@needs_postgres
@pytest.mark.slow
def test_server_is_stopped_when_its_python_process_is_killed():
    """A kernel killed with SIGKILL runs no atexit: the watchdog still stops the server and removes its folder."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    code = (
        "import os, signal, sys\n"
        "from rolecourse.ui.services import start_postgres\n"
        "s = start_postgres()\n"
        "print(s.pid, s.folder, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout.split()
    pid, folder = int(out[0]), Path(out[1])
    deadline = time.monotonic() + 20
    while (not _gone(pid) or folder.exists()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _gone(pid) and not folder.exists()


@pytest.mark.slow
def test_a_start_that_hangs_times_out_with_a_clear_message(tmp_path):
    """A server that does not come up within the timeout is a PostgresError naming the timeout; the folder is removed."""
    import stat

    from rolecourse.ui.services import PostgresError

    for name, body in [("initdb", "exit 0"), ("postgres", "exit 0"), ("pg_ctl", 'case "$1" in start) exec sleep 30;; esac')]:
        path = tmp_path / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    server = PostgresServer(tmp_path, timeout=1)
    server._prefix = []  # run the fake programs directly, also as root (the postgres user cannot read tmp_path)
    with pytest.raises(PostgresError, match="did not start within 1 s") as err:
        server.start()
    assert not isinstance(err.value, PostgresNotFoundError)
    assert server.folder is None and not server.running
