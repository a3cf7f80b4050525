"""Tests for rolecourse.ui.services' Redis and AWS-emulator servers: real processes on loopback, stopped by PID.

Skipped only when the program is not installed and ``CI`` is not ``true``; under CI a missing
server fails the tests.
"""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

from rolecourse.errors import RolecourseError
from rolecourse.ui import services
from rolecourse.ui.services import (
    MOTO_INSTALL_HINT,
    REDIS_INSTALL_HINT,
    MotoServer,
    RedisServer,
    ServiceNotFoundError,
    find_redis,
    start_moto,
    start_redis,
)

_CI = os.environ.get("CI") == "true"
needs_redis = pytest.mark.skipif(
    shutil.which("redis-server") is None and not _CI,
    reason="Redis is not installed (apt-get install redis-server); under CI=true this fails instead",
)
needs_moto = pytest.mark.skipif(
    importlib.util.find_spec("moto") is None and not _CI,
    reason="moto is not installed (pip install 'rolecourse[cloud]'); under CI=true this fails instead",
)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@needs_redis
def test_redis_starts_on_loopback_answers_and_stops_by_pid():
    """A started Redis listens on 127.0.0.1 only, saves nothing, answers, and stop() ends its PID and folder."""
    server = start_redis()
    try:
        client = server.client()
        assert client.set("greeting", "hello") and client.get("greeting") == "hello"
        assert client.config_get("bind") == {"bind": "127.0.0.1"}
        assert client.config_get("save") == {"save": ""}
        assert client.config_get("dir")["dir"] == str(server.folder)
        pid, folder = server.pid, server.folder
    finally:
        server.stop()
    assert pid is not None and _gone(pid)
    assert folder is not None and not folder.exists()
    assert not server.running
    server.stop()  # a second stop does nothing


@needs_redis
def test_redis_replica_holds_the_primary_data_and_refuses_writes():
    """A replica started with replica_of is synced when start_redis returns and is read-only."""
    import redis

    with RedisServer(find_redis()) as primary:
        primary.client().set("k", "v")
        replica = start_redis(replica_of=primary)
        try:
            assert replica.client().get("k") == "v"
            with pytest.raises(redis.exceptions.ReadOnlyError):
                replica.client().set("k", "w")
        finally:
            replica.stop()


@needs_redis
def test_redis_client_of_a_stopped_server_is_a_clear_error():
    """Asking a stopped server for a client names the function that starts one."""
    server = RedisServer(find_redis())
    with pytest.raises(RolecourseError, match="start_redis"):
        server.client()


def test_missing_redis_is_one_line_naming_the_install(monkeypatch):
    """Without redis-server on PATH the error is one line naming apt-get install redis-server."""
    monkeypatch.setattr(services.shutil, "which", lambda name: None)
    with pytest.raises(ServiceNotFoundError) as info:
        start_redis()
    assert str(info.value) == REDIS_INSTALL_HINT
    assert "\n" not in REDIS_INSTALL_HINT and "apt-get install redis-server" in REDIS_INSTALL_HINT


def test_missing_moto_is_one_line_naming_the_install(monkeypatch):
    """Without moto importable the error is one line naming the pip install."""
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "moto" else real(name, *a))
    with pytest.raises(ServiceNotFoundError) as info:
        start_moto()
    assert str(info.value) == MOTO_INSTALL_HINT and "\n" not in MOTO_INSTALL_HINT


@needs_moto
def test_moto_serves_s3_on_loopback_and_stops_by_pid():
    """The emulator answers S3 calls at its loopback endpoint; stop() ends its PID and removes its folder."""
    server = start_moto()
    try:
        assert server.endpoint_url.startswith("http://127.0.0.1:")
        s3 = server.client("s3")
        s3.create_bucket(Bucket="course-data")
        s3.put_object(Bucket="course-data", Key="a.txt", Body=b"abc")
        assert s3.get_object(Bucket="course-data", Key="a.txt")["Body"].read() == b"abc"
        pid, folder = server.pid, server.folder
    finally:
        server.stop()
    assert pid is not None and _gone(pid)
    assert folder is not None and not folder.exists()
    server.stop()


@needs_moto
def test_moto_with_enforced_iam_checks_keys_and_policies():
    """With enforce_iam an unknown key is refused and a user's policy limits what it may do."""
    import json

    from botocore.exceptions import ClientError

    with MotoServer(enforce_iam=True) as server:
        iam, s3 = server.client("iam"), server.client("s3")
        s3.create_bucket(Bucket="reports")
        iam.create_user(UserName="reader")
        iam.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"],
                           "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}],
        }))
        key = iam.create_access_key(UserName="reader")["AccessKey"]
        reader = server.client("s3", key=(key["AccessKeyId"], key["SecretAccessKey"]))
        assert reader.list_objects_v2(Bucket="reports")["KeyCount"] == 0
        with pytest.raises(ClientError, match="AccessDenied"):
            reader.put_object(Bucket="reports", Key="x", Body=b"x")
        with pytest.raises(ClientError, match="InvalidAccessKeyId"):
            server.client("s3", key=("AKIANOTAKEY", "secret")).list_buckets()


_PING_SERVER = '''
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, word = int(sys.argv[2]), sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = word.encode() if self.path == "/ping" else b""
        self.send_response(200 if body else 404)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", port), Handler).serve_forever()
'''


def test_script_server_runs_on_loopback_and_stops_by_pid(tmp_path):
    """A script server gets --port, is ready when /ping answers, and stop() ends its PID and folder."""
    import urllib.request

    from rolecourse.ui.services import start_script_server

    script = tmp_path / "serve.py"
    script.write_text(_PING_SERVER, encoding="utf-8")
    server = start_script_server(script, "pong")
    try:
        with urllib.request.urlopen(server.url + "/ping", timeout=5) as answer:
            assert answer.read() == b"pong"
        pid, folder = server.pid, server.folder
    finally:
        server.stop()
    assert pid is not None and _gone(pid)
    assert folder is not None and not folder.exists()


def test_script_server_that_crashes_reports_its_log(tmp_path):
    """A script that exits at start is a ServiceError quoting the end of its output."""
    from rolecourse.ui.services import ServiceError, start_script_server

    script = tmp_path / "broken.py"
    script.write_text("raise SystemExit('cannot load the model')\n", encoding="utf-8")
    with pytest.raises(ServiceError, match="cannot load the model"):
        start_script_server(script)
