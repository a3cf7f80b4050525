"""Throwaway servers for lessons and tests: a PostgreSQL cluster, a Redis server and moto's AWS emulator.

:func:`start_postgres` runs ``initdb`` in a new temporary folder and starts ``postgres`` (through
``pg_ctl``) listening on 127.0.0.1 only, on a free port, with its Unix socket inside that folder.
:meth:`PostgresServer.stop` stops it by its PID (``pg_ctl stop -m fast``, then ``SIGKILL`` if it
is still alive) and removes the folder; the server is also a context manager and is stopped at
interpreter exit. As root (CI, containers) PostgreSQL refuses to run, so the programs run as the
``postgres`` system user through ``runuser``; as a normal user they run directly.

:func:`start_redis` and :func:`start_moto` do the same for ``redis-server`` (no persistence outside
its folder; ``replica_of=`` starts a replica) and for moto's AWS emulator (``python -m moto.server``;
``enforce_iam=True`` makes it check keys and IAM policies): one process each on 127.0.0.1 and a free
port, stopped by its PID (SIGTERM, then SIGKILL) with a watchdog for a killed kernel.
:func:`start_script_server` runs a lesson's own Python HTTP server script the same way.
"""

from __future__ import annotations

import abc
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

__all__ = [
    "MOTO_INSTALL_HINT",
    "REDIS_INSTALL_HINT",
    "MotoServer",
    "PostgresError",
    "PostgresNotFoundError",
    "PostgresServer",
    "RedisServer",
    "ScriptServer",
    "ServiceError",
    "ServiceNotFoundError",
    "find_moto",
    "find_postgres",
    "find_redis",
    "start_moto",
    "start_postgres",
    "start_redis",
    "start_script_server",
]

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


# --- Redis and an AWS emulator: one throwaway process on loopback each, stopped by its PID -----------------

REDIS_INSTALL_HINT = (
    "Redis is not installed: install the server with `apt-get install redis-server` (Debian/Ubuntu) "
    "or `conda install -c conda-forge redis`, then run this again"
)
"""The one line shown when ``redis-server`` is not found."""

MOTO_INSTALL_HINT = (
    "moto's AWS emulator is not installed: run `pip install 'rolecourse[cloud]'` "
    "(or `pip install 'moto[server]' boto3`) and restart the kernel"
)
"""The one line shown when moto's server (with its Flask parts) or boto3 cannot be imported."""


class ServiceError(RolecourseError, RuntimeError):
    """A throwaway server (Redis, the AWS emulator) could not be started or used."""


class ServiceNotFoundError(ServiceError):
    """The server's programs are not installed; the message is one line naming the install command."""


class _LoopbackProcess(abc.ABC):
    """One server process in a temporary folder, listening on 127.0.0.1 on a free port, stopped by its PID."""

    name = "server"
    starter = "start_server"
    prefix = "rolecourse-srv-"

    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout: float = timeout
        """Seconds allowed for the start-up."""
        self.folder: Path | None = None
        """The temporary folder (working directory and log); ``None`` once stopped."""
        self.port: int = 0
        """The TCP port on 127.0.0.1."""
        self.pid: int | None = None
        """The server's PID while running."""
        self._proc: subprocess.Popen[bytes] | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None

    # what a kind of server says
    @abc.abstractmethod
    def _command(self) -> list[str]:
        """The command line that starts the server in the foreground."""

    def _environment(self) -> dict[str, str]:
        return dict(os.environ)

    @abc.abstractmethod
    def _ready(self) -> bool:
        """Whether the server answers on its port."""

    def _after_start(self) -> None:
        """Work done once the server answers (e.g. creating the first account)."""

    @property
    def running(self) -> bool:
        """Whether the server's process is alive."""
        return self.pid is not None and _alive(self.pid)

    def _require_running(self) -> None:
        if not self.running:
            raise ServiceError(f"the {self.name} server is not running: start it with `{self.starter}()`")

    def _log_tail(self, lines: int = 8) -> str:
        log = self.folder / "server.log" if self.folder else None
        if log is None or not log.is_file():
            return "(no server log)"
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]) or "(empty server log)"

    def start(self) -> _LoopbackProcess:
        """Start the server and wait until it answers; :class:`ServiceError` with the log's last lines on failure."""
        if self.running:
            return self
        self.folder = Path(tempfile.mkdtemp(prefix=self.prefix))
        try:
            for _attempt in range(3):
                self.port = _free_port()
                with open(self.folder / "server.log", "ab") as log:
                    self._proc = subprocess.Popen(
                        self._command(), cwd=self.folder, env=self._environment(),
                        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    )
                self.pid = self._proc.pid
                deadline = time.monotonic() + self.timeout
                while self._proc.poll() is None and time.monotonic() < deadline:
                    if self._ready():
                        break
                    time.sleep(0.05)
                if self._proc.poll() is None and self._ready():
                    break
                if self._proc.poll() is None:
                    raise ServiceError(f"the {self.name} server did not answer within {self.timeout:g} s; its log ends with:\n{self._log_tail()}")
                self.pid = None
                if "in use" not in self._log_tail(20).lower():
                    raise ServiceError(f"the {self.name} server exited at start (exit code {self._proc.returncode}); its log ends with:\n{self._log_tail()}")
            else:
                raise ServiceError(f"the {self.name} server found no free port on 127.0.0.1; its log ends with:\n{self._log_tail()}")
            atexit.register(self.stop)
            self._watchdog = subprocess.Popen(  # own session: a kernel killed with its process group does not take it along
                [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(self.pid), str(self.folder)],
                start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            self._after_start()
            return self
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server by its PID (SIGTERM, then SIGKILL) and remove the temporary folder; safe to call twice."""
        atexit.unregister(self.stop)
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait()
            self._watchdog = None
        proc, self._proc, self.pid = self._proc, None, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> _LoopbackProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {'running' if self.running else 'stopped'}>"


def find_redis() -> Path:
    """The ``redis-server`` program on ``PATH``; :class:`ServiceNotFoundError` (one line) when it is missing."""
    if sys.platform == "emscripten":
        raise ServiceNotFoundError("Redis cannot run in the browser (JupyterLite): open this notebook in Jupyter on a machine or Binder with Redis")
    found = shutil.which("redis-server")
    if found is None:
        raise ServiceNotFoundError(REDIS_INSTALL_HINT)
    return Path(found)


class RedisServer(_LoopbackProcess):
    """A Redis server on 127.0.0.1 with nothing saved outside its temporary folder; start it with :func:`start_redis`."""

    name = "Redis"
    starter = "start_redis"
    prefix = "rolecourse-redis-"

    def __init__(self, program: Path, *, replica_of: RedisServer | None = None, timeout: float = 30.0) -> None:
        super().__init__(timeout=timeout)
        self.program: Path = program
        """The ``redis-server`` program."""
        self.replica_of: RedisServer | None = replica_of
        """The primary this server replicates (``--replicaof``), or ``None`` for a primary."""

    def _command(self) -> list[str]:
        command = [
            str(self.program), "--bind", "127.0.0.1", "--port", str(self.port), "--protected-mode", "yes",
            "--dir", str(self.folder), "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--unixsocket", "", "--databases", "4", "--loglevel", "warning", "--repl-diskless-sync-delay", "0",
        ]
        if self.replica_of is not None:
            self.replica_of._require_running()
            command += ["--replicaof", "127.0.0.1", str(self.replica_of.port)]
        return command

    def _ask(self, command: bytes) -> bytes:
        """One inline command's raw answer (the whole bulk string for INFO); no client library needed."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
            s.sendall(command + b"\r\n")
            data = s.recv(65536)
            if data.startswith(b"$"):
                head, _, rest = data.partition(b"\r\n")
                while len(rest) < int(head[1:]):
                    more = s.recv(65536)
                    if not more:
                        break
                    rest += more
                return rest
            return data

    def _ready(self) -> bool:
        try:
            if not self._ask(b"PING").startswith(b"+PONG"):
                return False
            # a replica is ready once it holds the primary's data
            return self.replica_of is None or b"master_link_status:up" in self._ask(b"INFO replication")
        except (OSError, ValueError):
            return False

    def client(self, **kwargs: Any) -> Any:
        """A new ``redis.Redis`` client for this server (strings decoded; keyword arguments go to ``redis.Redis``)."""
        try:
            import redis
        except ImportError:
            raise ServiceNotFoundError("the Redis client for Python is not installed: run `pip install redis` and restart the kernel") from None
        self._require_running()
        return redis.Redis(host="127.0.0.1", port=self.port, **{"decode_responses": True, "socket_timeout": 10, **kwargs})


def start_redis(*, replica_of: RedisServer | None = None, timeout: float = 30.0) -> RedisServer:
    """Start a throwaway Redis server (a replica of ``replica_of`` if given); :class:`ServiceNotFoundError` (one line) when Redis is not installed."""
    server = RedisServer(find_redis(), replica_of=replica_of, timeout=timeout)
    server.start()
    return server


def find_moto() -> None:
    """Check that moto's server and boto3 can be imported; :class:`ServiceNotFoundError` (one line) when not."""
    import importlib.util

    if sys.platform == "emscripten":
        raise ServiceNotFoundError("the AWS emulator cannot run in the browser (JupyterLite): open this notebook in Jupyter on a machine or Binder")
    for module in ("moto", "flask", "werkzeug", "boto3"):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise ServiceNotFoundError(MOTO_INSTALL_HINT)


REGION = "us-east-1"
"""The region the emulator's clients use."""


class MotoServer(_LoopbackProcess):
    """moto's AWS emulator (S3, IAM, STS, ... over HTTP) on 127.0.0.1; start it with :func:`start_moto`.

    With ``enforce_iam`` the emulator checks every request's credentials and IAM policies, as AWS
    does: the server's first three requests (unsigned) create an ``admin`` user with a policy that
    allows everything and its access key, kept in :attr:`admin_key`; any later request needs a key.
    """

    name = "AWS emulator (moto)"
    starter = "start_moto"
    prefix = "rolecourse-moto-"

    def __init__(self, *, enforce_iam: bool = False, timeout: float = 30.0) -> None:
        super().__init__(timeout=timeout)
        self.enforce_iam: bool = enforce_iam
        """Whether requests are checked against IAM users, keys and policies."""
        self.admin_key: tuple[str, str] = ("testing", "testing")
        """The access key id and secret of the administrator (any key works when IAM is not enforced)."""

    @property
    def endpoint_url(self) -> str:
        """The URL every client of this emulator uses instead of AWS's."""
        return f"http://127.0.0.1:{self.port}"

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "INITIAL_NO_AUTH_ACTION_COUNT"}
        env["MOTO_ALLOW_NONEXISTENT_REGION"] = "false"
        if self.enforce_iam:
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
        return env

    def _ready(self) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/data.json", timeout=2) as answer:  # noqa: S310 (loopback)
                return int(answer.status) == 200
        except OSError:
            return False

    def _after_start(self) -> None:
        if not self.enforce_iam:
            return
        import json

        iam = self.client("iam")
        iam.create_user(UserName="admin")
        iam.put_user_policy(
            UserName="admin", PolicyName="everything",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
        )
        key = iam.create_access_key(UserName="admin")["AccessKey"]
        self.admin_key = (key["AccessKeyId"], key["SecretAccessKey"])

    def client(self, service: str, key: tuple[str, str] | None = None, **kwargs: Any) -> Any:
        """A boto3 client for ``service`` on this emulator, signed with ``key`` (id, secret) or the admin's."""
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise ServiceNotFoundError(MOTO_INSTALL_HINT) from None
        self._require_running()
        key_id, secret = key if key is not None else self.admin_key
        options = {"region_name": REGION, "config": Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30), **kwargs}
        return boto3.client(service, endpoint_url=self.endpoint_url, aws_access_key_id=key_id, aws_secret_access_key=secret, **options)


def start_moto(*, enforce_iam: bool = False, timeout: float = 30.0) -> MotoServer:
    """Start moto's AWS emulator on loopback; :class:`ServiceNotFoundError` (one line) when moto or boto3 is missing."""
    find_moto()
    server = MotoServer(enforce_iam=enforce_iam, timeout=timeout)
    server.start()
    return server


class ScriptServer(_LoopbackProcess):
    """A Python HTTP server script run on 127.0.0.1 (e.g. a model-serving container's entry point); start it with :func:`start_script_server`.

    The script is run as ``python script --port PORT [args...]`` in the server's temporary folder and
    must listen on 127.0.0.1 at that port; it is ready when ``GET ready_path`` answers 200.
    """

    name = "script"
    starter = "start_script_server"
    prefix = "rolecourse-app-"

    def __init__(self, script: str | os.PathLike[str], *args: str, ready_path: str = "/ping", timeout: float = 30.0) -> None:
        super().__init__(timeout=timeout)
        self.script: Path = Path(script).resolve()
        """The server script."""
        self.args: tuple[str, ...] = tuple(str(a) for a in args)
        """Arguments after ``--port PORT``."""
        self.ready_path: str = ready_path
        """The path that answers 200 once the server is ready."""

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def _command(self) -> list[str]:
        return [sys.executable, str(self.script), "--port", str(self.port), *self.args]

    def _ready(self) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as answer:  # noqa: S310 (loopback)
                return int(answer.status) == 200
        except OSError:
            return False


def start_script_server(script: str | os.PathLike[str], *args: str, ready_path: str = "/ping", timeout: float = 30.0) -> ScriptServer:
    """Run a Python HTTP server script on loopback (``--port PORT`` added) until ``GET ready_path`` answers 200."""
    if not Path(script).is_file():
        raise ServiceError(f"no server script at {script}")
    server = ScriptServer(script, *args, ready_path=ready_path, timeout=timeout)
    server.start()
    return server
