"""Tests for rolecourse.ui.spark: a local, loopback-only Spark session for the lessons, and its clear errors.

The tests that start Spark are skipped only when Java 17 or PySpark is missing and ``CI`` is not
``true``; under CI a missing requirement fails them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rolecourse.ui import spark as sp


def _installed() -> bool:
    try:
        sp.find_pyspark()
        sp.find_java()
    except sp.SparkNotFoundError:
        return False
    return True


needs_spark = pytest.mark.skipif(
    not _installed() and os.environ.get("CI") != "true",
    reason="Java 17 or PySpark is not installed (apt-get install openjdk-17-jre-headless; pip install 'rolecourse[bigdata]'); under CI=true this fails instead",
)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie child of ours counts as gone
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done != 0
    except ChildProcessError:
        return False


# -- without Spark ---------------------------------------------------------------------------------


def test_missing_pyspark_is_one_line_naming_the_install_command(monkeypatch):
    """No pyspark module: SparkNotFoundError, one line, naming the bigdata extra and the pip command."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a))
    with pytest.raises(sp.SparkNotFoundError) as info:
        sp.find_pyspark()
    message = str(info.value)
    assert "\n" not in message
    assert "pip install 'rolecourse[bigdata]'" in message and "pyspark>=4,<5" in message


def test_missing_java_is_one_line_naming_the_install_command(monkeypatch):
    """No JAVA_HOME and no java on PATH: one line naming the Debian package and conda's."""
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(sp.shutil, "which", lambda name: None)
    with pytest.raises(sp.SparkNotFoundError) as info:
        sp.find_java()
    message = str(info.value)
    assert "\n" not in message
    assert "apt-get install openjdk-17-jre-headless" in message and "conda install -c conda-forge openjdk=17" in message


def test_java_older_than_17_is_refused_with_the_install_command(tmp_path, monkeypatch):
    """A Java 8 found through JAVA_HOME is named, with its version, and the install command for 17."""
    java = tmp_path / "bin" / "java"
    java.parent.mkdir()
    java.write_text('#!/bin/sh\necho \'openjdk version "1.8.0_392"\' >&2\n', encoding="utf-8")
    java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(sp.SparkNotFoundError) as info:
        sp.find_java()
    message = str(info.value)
    assert "Java 8 was found" in message and "openjdk-17-jre-headless" in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "major"),
    [('openjdk version "17.0.15" 2025-04-15', 17), ('java version "1.8.0_392"', 8), ('openjdk version "21" 2023-09-19', 21), ("no version", None)],
)
def test_java_major_reads_both_version_schemes(text, major):
    """``1.8.0`` is Java 8; ``17.0.15`` and ``21`` are 17 and 21; text without a version gives None."""
    assert sp.java_major(text) == major


def test_session_conf_binds_loopback_without_ui_and_keeps_files_in_its_folder(tmp_path):
    """The settings bind the driver to 127.0.0.1, switch the UI off and put every written file under the folder."""
    conf = sp.session_conf(tmp_path, cores=2, archive=tmp_path / "a.jsa")
    assert conf["spark.master"] == "local[2]"
    assert conf["spark.driver.host"] == conf["spark.driver.bindAddress"] == "127.0.0.1"
    assert conf["spark.ui.enabled"] == "false" and conf["spark.ui.showConsoleProgress"] == "false"
    assert conf["spark.sql.session.timeZone"] == "UTC"
    for key in ("spark.local.dir", "spark.sql.warehouse.dir"):
        assert Path(conf[key]).is_relative_to(tmp_path)
    java = conf["spark.driver.extraJavaOptions"]
    assert f"-XX:SharedArchiveFile={tmp_path / 'a.jsa'}" in java and f"-Djava.io.tmpdir={tmp_path}" in java
    recording = sp.session_conf(tmp_path, record=tmp_path / "r.jsa", archive=tmp_path / "a.jsa")["spark.driver.extraJavaOptions"]
    assert "-XX:ArchiveClassesAtExit=" in recording and "SharedArchiveFile" not in recording


class _FakeFrame:
    """A stand-in with DataFrame.explain's printing, to test the normalisation alone."""

    def __init__(self, text: str) -> None:
        self.text = text

    def explain(self, mode: str = "simple") -> None:
        print(self.text)


def test_explain_text_takes_out_expression_and_plan_ids():
    """``#12L`` and ``plan_id=7`` vary between runs; the normalised text does not hold them."""
    frame = _FakeFrame(
        "== Physical Plan ==\n*(2) HashAggregate(keys=[k#12L], functions=[count(1)])\n"
        "+- Exchange hashpartitioning(k#12L, 4), ENSURE_REQUIREMENTS, [plan_id=37]\n   +- *(1) Range (0, 10, step=1, splits=2)"
    )
    text = sp.explain_text(frame)
    assert "#" not in text and "plan_id=N" in text and "hashpartitioning(k, 4)" in text
    assert sp.plan_operators(frame) == ["HashAggregate", "Exchange", "Range"]


def test_plan_operators_reads_the_final_plan_once_a_query_ran():
    """After an adaptive query ran, the operators are those of the final plan, without the stage wrappers."""
    frame = _FakeFrame(
        "== Physical Plan ==\nAdaptiveSparkPlan isFinalPlan=true\n+- == Final Plan ==\n   ResultQueryStage 1\n"
        "   +- *(2) HashAggregate(keys=[k#1L], functions=[count(1)])\n      +- AQEShuffleRead coalesced\n"
        "         +- ShuffleQueryStage 0\n            +- Exchange hashpartitioning(k#1L, 4), ENSURE_REQUIREMENTS, [plan_id=9]\n"
        "               +- *(1) Range (0, 10, step=1, splits=2)\n+- == Initial Plan ==\n   HashAggregate(keys=[k#1L], functions=[count(1)])\n"
        "   +- Exchange hashpartitioning(k#1L, 4), ENSURE_REQUIREMENTS, [plan_id=9]\n      +- Range (0, 10, step=1, splits=2)"
    )
    assert sp.plan_operators(frame) == ["HashAggregate", "AQEShuffleRead", "Exchange", "Range"]


def test_plan_operators_leaves_out_the_plan_under_a_cached_relation():
    """A cached DataFrame's own plan (it ran when the cache was filled) is not listed, nor a nested final plan."""
    frame = _FakeFrame(
        "== Physical Plan ==\nAdaptiveSparkPlan isFinalPlan=false\n+- HashAggregate(keys=[segment#3L], functions=[count(1)])\n"
        "   +- Exchange hashpartitioning(segment#3L, 4), ENSURE_REQUIREMENTS, [plan_id=5]\n"
        "      +- InMemoryTableScan [segment#3L]\n            +- InMemoryRelation [segment#3L], StorageLevel(disk, memory, deserialized, 1 replicas)\n"
        "                  +- AdaptiveSparkPlan isFinalPlan=true\n                     +- == Final Plan ==\n"
        "                        +- *(2) BroadcastHashJoin [customer_id#1L], [customer_id#2L], Inner, BuildRight, false, false\n"
        "                     +- == Initial Plan ==\n                        +- BroadcastHashJoin [customer_id#1L], [customer_id#2L], Inner, BuildRight, false, false"
    )
    assert sp.plan_operators(frame) == ["HashAggregate", "Exchange", "InMemoryTableScan", "InMemoryRelation"]


# -- with Spark ------------------------------------------------------------------------------------


def _listening_addresses(pid: int) -> set[str]:
    """The local addresses of the TCP sockets the process ``pid`` listens on (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for row in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                found.add(fields[1].rsplit(":", 1)[0])
    return found


@needs_spark
@pytest.mark.slow
def test_a_local_session_runs_listens_on_loopback_only_is_reused_and_stops_by_pid():
    """One session computes, serves its UI and listens only on 127.0.0.1, is reused and reset, and stop_session ends its JVM and folder."""
    spark = sp.local_session(ui=True)
    try:
        pid, folder = sp.jvm_pid(), sp._Local.folder
        assert pid is not None and folder is not None and folder.is_dir()
        assert spark.sparkContext.master == "local[2]"
        assert spark.range(1000).selectExpr("sum(id) AS s").collect()[0]["s"] == 499500
        assert (sp.ui_url() or "").startswith("http://127.0.0.1:")
        assert isinstance(sp.ui_api("stages"), list)
        if Path(f"/proc/{pid}/net/tcp").is_file():
            addresses = _listening_addresses(pid)
            assert addresses and addresses <= {"0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"}, addresses
        spark.conf.set("spark.sql.shuffle.partitions", "11")
        spark.range(3).createOrReplaceTempView("left_over")
        again = sp.local_session(shuffle_partitions=3)  # a session with a UI serves a call without one too
        assert again is spark and sp.jvm_pid() == pid
        assert again.conf.get("spark.sql.shuffle.partitions") == "3"
        assert [t.name for t in again.catalog.listTables()] == []
        assert sp.partition_sizes(again.range(0, 10, numPartitions=3)) == [3, 3, 4]
        numbers = again.range(100)
        assert "Exchange" in sp.plan_operators(numbers.groupBy((numbers.id % 3).alias("k")).count())
    finally:
        sp.stop_session()
    assert _gone(pid) and not folder.exists()
    sp.stop_session()  # a second stop does nothing


@needs_spark
@pytest.mark.slow
def test_the_jvm_exits_when_its_python_process_is_killed():
    """A kernel killed with SIGKILL runs no atexit: the JVM sees its stdin close and exits, the watchdog removes the folder."""
    code = (
        "import os, signal\n"
        "from rolecourse.ui.spark import local_session, jvm_pid\n"
        "local_session().range(10).count()\n"
        "import rolecourse.ui.spark as sp\n"
        "print(jvm_pid(), sp._Local.folder, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240).stdout.split()
    pid, folder = int(out[0]), Path(out[1])
    deadline = time.monotonic() + 30
    while (not _gone(pid) or folder.exists()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _gone(pid) and not folder.exists()
