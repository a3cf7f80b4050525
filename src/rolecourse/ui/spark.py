"""Apache Spark in local mode for lessons and tests: one quiet SparkSession on loopback, stopped by its PID.

:func:`local_session` starts (or reuses) one ``SparkSession`` with master ``local[2]``: the
driver and its executors' threads run in one JVM that PySpark launches, bound to 127.0.0.1
(``spark.driver.host``, ``spark.driver.bindAddress``, ``SPARK_LOCAL_IP``), without the web UI
or the console progress bar, with few shuffle partitions (4), the UTC time zone, and every file
it writes (its log, shuffle files, the warehouse) in one temporary folder. The JVM's own output
goes to ``spark.log`` in that folder instead of the notebook. When Java (17 or newer) or PySpark
is missing, :class:`SparkNotFoundError` says so in one line naming the install command.

The same session serves every later call (a lesson's cells, the lessons run one after the other
by the tests): each call clears cached tables and temporary views and puts the runtime settings
a lesson may change back to the course's defaults. :func:`stop_session` stops Spark and then the
JVM by its PID (it exits when its standard input closes, and is killed if it does not) and
removes the folder; it runs at interpreter exit too. A kernel killed outright closes the JVM's
standard input as it dies, and PySpark's JVM exits on that; a small watchdog process then
removes the folder (and kills the JVM if it is still there).

Starting Spark means loading about 15,000 classes; on a busy 2-core machine that takes 15-30 s.
A **class-data archive** (JDK's CDS, recorded once by ``python -m rolecourse.ui.spark --prepare``
into ``~/.cache/rolecourse``, about 160 MB) lets later JVMs map those classes ready-made: the
start then takes a few seconds. When it is missing, :func:`local_session` records it in the
background (one process at a time, at low priority) and starts without it; set
``ROLECOURSE_SPARK_ARCHIVE=0`` to use and record none.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .services import _WATCHDOG, ServiceError, ServiceNotFoundError, _free_port

__all__ = [
    "JAVA_INSTALL_HINT",
    "PYSPARK_INSTALL_HINT",
    "SparkNotFoundError",
    "class_archive_path",
    "explain_text",
    "find_java",
    "find_pyspark",
    "local_session",
    "partition_sizes",
    "plan_operators",
    "prepare",
    "session_conf",
    "stop_session",
    "ui_api",
    "ui_url",
]

PYSPARK_INSTALL_HINT = (
    "PySpark is not installed: run `pip install 'rolecourse[bigdata]'` (or `pip install 'pyspark>=4,<5'`) "
    "and restart the kernel"
)
"""The one line shown when ``pyspark`` cannot be imported."""

JAVA_INSTALL_HINT = (
    "Java 17 or newer is needed by Spark and was not found: install it with `apt-get install openjdk-17-jre-headless` "
    "(Debian/Ubuntu) or `conda install -c conda-forge openjdk=17`, then restart the kernel"
)
"""The one line shown when no ``java`` (17 or newer) is found."""

MIN_JAVA = 17
"""PySpark 4 runs on Java 17 or newer."""

JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
"""The driver JVM's options: the quick JIT tier and a one-thread collector start fastest on a small machine."""

RUNTIME_DEFAULTS: Mapping[str, str] = {
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
    "spark.sql.adaptive.skewJoin.enabled": "true",
    "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes": "256MB",
    "spark.sql.adaptive.advisoryPartitionSizeInBytes": "64MB",
    "spark.sql.autoBroadcastJoinThreshold": "10485760",
    "spark.sql.files.maxPartitionBytes": "134217728",
}
"""SQL settings a lesson may change at run time, and the values every call of :func:`local_session` restores."""


class SparkNotFoundError(ServiceNotFoundError):
    """Java or PySpark is missing; the message is one line naming the install command."""


class SparkStartError(ServiceError):
    """Spark could not start; the message ends with the last lines of its log."""


# -- what is installed ------------------------------------------------------------------------------


def find_pyspark() -> str:
    """PySpark's version; :class:`SparkNotFoundError` (one line) when it cannot be imported."""
    import importlib.util

    if sys.platform == "emscripten":
        raise SparkNotFoundError("Spark cannot run in the browser (JupyterLite): open this notebook in Jupyter on a machine with Java 17 and PySpark")
    try:
        found = importlib.util.find_spec("pyspark") is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise SparkNotFoundError(PYSPARK_INSTALL_HINT)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pyspark")
    except PackageNotFoundError:
        return "unknown"


_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


def java_major(text: str) -> int | None:
    """The major version in ``java -version`` output (``"17.0.15"`` gives 17, ``"1.8.0_392"`` gives 8)."""
    match = _VERSION.search(text)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


@functools.lru_cache(maxsize=8)
def _version_text(java: str, _mtime: float) -> str:
    """What ``java -version`` prints (asked once per program and modification time: a JVM start costs a second)."""
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    return out.stderr + out.stdout


def find_java() -> tuple[Path, int]:
    """The ``java`` program Spark will use (``$JAVA_HOME/bin/java``, else ``PATH``) and its major version.

    :class:`SparkNotFoundError` (one line) when there is none, or it is older than Java 17.
    """
    home = os.environ.get("JAVA_HOME")
    candidate = Path(home) / "bin" / "java" if home else None
    if candidate is None or not os.access(candidate, os.X_OK):
        found = shutil.which("java")
        candidate = Path(found) if found else None
    if candidate is None:
        raise SparkNotFoundError(JAVA_INSTALL_HINT)
    try:
        text = _version_text(str(candidate), os.stat(candidate).st_mtime)
    except (OSError, subprocess.SubprocessError):
        raise SparkNotFoundError(JAVA_INSTALL_HINT) from None
    major = java_major(text)
    if major is None:
        raise SparkNotFoundError(JAVA_INSTALL_HINT)
    if major < MIN_JAVA:
        raise SparkNotFoundError(f"Java {major} was found ({candidate}), and PySpark 4 needs Java {MIN_JAVA} or newer: " + JAVA_INSTALL_HINT.split(": ", 1)[1])
    return candidate, major


# -- the class-data archive -------------------------------------------------------------------------


def _archive_enabled() -> bool:
    return os.environ.get("ROLECOURSE_SPARK_ARCHIVE", "1") not in ("0", "false", "no", "")


def class_archive_path(java: Path | None = None) -> Path:
    """Where the class-data archive for this PySpark and this Java lives (it exists once recorded).

    Its name holds a digest of the ``java`` program, its version text and PySpark's folder: an
    archive recorded for another JVM or another Spark is never used.
    """
    import importlib.util

    version = find_pyspark()
    java = java or find_java()[0]
    spec = importlib.util.find_spec("pyspark")
    folder = str(Path(spec.origin).parent) if spec and spec.origin else ""
    version_text = _version_text(str(java), os.stat(java).st_mtime)
    digest = hashlib.sha256("\n".join([str(Path(java).resolve()), version_text, folder, *JVM_OPTIONS]).encode()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rolecourse"
    return cache / f"spark-{version}-{digest}.jsa"


def prepare(*, timeout: float = 600.0, quiet: bool = True) -> Path | None:
    """Record the class-data archive (unless it exists): a short local Spark run in a subprocess.

    Returns the archive's path, or ``None`` when another process is recording it right now.
    The archive is written under a temporary name and renamed into place once complete.
    """
    archive = class_archive_path()
    if archive.is_file():
        return archive
    archive.parent.mkdir(parents=True, exist_ok=True)
    lock = archive.with_suffix(".lock")
    with contextlib.suppress(OSError):
        if time.time() - lock.stat().st_mtime > timeout:  # a recorder that died long ago
            lock.unlink()
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return None
    partial = archive.with_name(f"{archive.stem}.{os.getpid()}.partial")
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        env = {**os.environ, "ROLECOURSE_SPARK_ARCHIVE": "0"}
        done = subprocess.run(
            [sys.executable, "-m", "rolecourse.ui.spark", "--record", str(partial)],
            env=env, stdin=subprocess.DEVNULL, capture_output=quiet, timeout=timeout, check=False,
        )
        if done.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
            detail = (done.stderr or b"").decode(errors="replace").strip().splitlines()[-3:] if quiet else []
            raise SparkStartError("recording Spark's class-data archive failed" + (": " + " / ".join(detail) if detail else ""))
        os.replace(partial, archive)
        return archive
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
        with contextlib.suppress(OSError):
            lock.unlink()


def _prepare_in_background() -> None:
    """Start recording the archive in a detached, low-priority process (it outlives this kernel if need be)."""
    def lower() -> None:
        with contextlib.suppress(OSError):
            os.nice(19)

    with contextlib.suppress(OSError):
        subprocess.Popen(  # noqa: S603 (our own module)
            [sys.executable, "-m", "rolecourse.ui.spark", "--prepare"],
            start_new_session=True, preexec_fn=lower, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )


# -- the session ------------------------------------------------------------------------------------


def session_conf(folder: Path, *, cores: int = 2, app_name: str = "rolecourse", archive: Path | None = None,
                 record: Path | None = None, ui_port: int | None = None) -> dict[str, str]:
    """The settings of a local session whose files all live in ``folder``.

    ``archive``: a class-data archive to use; ``record``: where to record one; ``ui_port``: serve
    the Spark UI (and its REST API) on that port of 127.0.0.1, else no UI.
    """
    java = [*JVM_OPTIONS, f"-Djava.io.tmpdir={folder}"]
    if record is not None:
        java.append(f"-XX:ArchiveClassesAtExit={record}")
    elif archive is not None:
        java.append(f"-XX:SharedArchiveFile={archive}")
    return {
        "spark.master": f"local[{int(cores)}]",
        "spark.app.name": app_name,
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.ui.enabled": "false" if ui_port is None else "true",
        **({} if ui_port is None else {"spark.ui.port": str(int(ui_port)), "spark.port.maxRetries": "0"}),
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": "1g",
        "spark.driver.extraJavaOptions": " ".join(java),
        "spark.local.dir": str(folder / "local"),
        "spark.sql.warehouse.dir": str(folder / "warehouse"),
        "spark.sql.session.timeZone": "UTC",
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
        "spark.log.level": "ERROR",
        "spark.sql.execution.pythonUDF.arrow.enabled": "false",  # plain Python UDFs and toPandas: no PyArrow needed
        "spark.sql.execution.arrow.pyspark.enabled": "false",
        **RUNTIME_DEFAULTS,
    }


class _Local:
    """The one running session of this process: its SparkSession, JVM process and folder."""

    session: Any = None
    proc: subprocess.Popen[bytes] | None = None
    folder: Path | None = None
    log: Any = None
    ui_port: int | None = None
    watchdog: subprocess.Popen[bytes] | None = None


def _running() -> bool:
    if _Local.session is None:
        return False
    try:
        return _Local.session.sparkContext._jsc is not None and (_Local.proc is None or _Local.proc.poll() is None)
    except Exception:  # noqa: BLE001 (a broken gateway counts as not running)
        return False


def _log_tail(lines: int = 8) -> str:
    log = _Local.folder / "spark.log" if _Local.folder else None
    if log is None or not log.is_file():
        return "(no Spark log)"
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]) or "(empty Spark log)"


def _reset(session: Any, shuffle_partitions: int) -> None:
    """Stop streaming queries, clear cached tables and temporary views; put the runtime settings back to the course's defaults."""
    for query in session.streams.active:
        query.stop()
    session.catalog.clearCache()
    for table in session.catalog.listTables():
        if table.isTemporary:
            session.catalog.dropTempView(table.name)
    for key, value in RUNTIME_DEFAULTS.items():
        session.conf.set(key, value)
    session.conf.set("spark.sql.shuffle.partitions", str(int(shuffle_partitions)))


def local_session(*, cores: int = 2, shuffle_partitions: int = 4, ui: bool = False, app_name: str = "rolecourse",
                  _record: Path | None = None) -> Any:
    """A ``SparkSession`` on ``local[cores]``, bound to 127.0.0.1, quiet; started once per process and then reused.

    A reused session is reset (cache, temporary views, runtime settings); its number of cores
    is the first call's (call :func:`stop_session` first to change it). ``ui=True`` serves the
    Spark UI on a free port of 127.0.0.1 (:func:`ui_url`); a running session without it is
    restarted with it. :class:`SparkNotFoundError`
    (one line) when Java or PySpark is missing; :class:`SparkStartError` with the log's last lines
    when Spark does not start.
    """
    if _running() and (not ui or _Local.ui_port is not None):
        _reset(_Local.session, shuffle_partitions)
        return _Local.session
    stop_session()
    find_pyspark()
    java, _major = find_java()
    archive = None
    if _record is None and _archive_enabled():
        path = class_archive_path(java)
        if path.is_file():
            archive = path
        else:
            _prepare_in_background()
    import warnings

    # PySpark 4.3 warns once per process that it is not tested with pandas 3; the course uses no
    # pandas-on-Spark, and a warning in a cell's output would differ from its saved output
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    with warnings.catch_warnings():
        from pyspark import SparkConf, SparkContext
        from pyspark.java_gateway import launch_gateway
        from pyspark.sql import SparkSession

    folder = Path(tempfile.mkdtemp(prefix="rolecourse-spark-"))
    _Local.folder = folder
    conf = SparkConf(loadDefaults=False)
    _Local.ui_port = _free_port() if ui else None
    for key, value in session_conf(folder, cores=cores, app_name=app_name, archive=archive, record=_record, ui_port=_Local.ui_port).items():
        conf.set(key, value)
    conf.set("spark.sql.shuffle.partitions", str(int(shuffle_partitions)))
    saved = {k: os.environ.get(k) for k in ("SPARK_LOCAL_IP", "SPARK_LOCAL_HOSTNAME", "JAVA_HOME", "PYSPARK_PYTHON")}
    os.environ.update({"SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOCAL_HOSTNAME": "localhost", "PYSPARK_PYTHON": sys.executable})
    if not os.environ.get("JAVA_HOME"):
        os.environ["JAVA_HOME"] = str(java.resolve().parent.parent)
    _Local.log = open(folder / "spark.log", "ab")  # noqa: SIM115 (closed by stop_session)
    try:
        gateway = launch_gateway(conf, popen_kwargs={"stdout": _Local.log, "stderr": subprocess.STDOUT})
        _Local.proc = getattr(gateway, "proc", None)
        context = SparkContext(conf=conf, gateway=gateway)
        context.setLogLevel("ERROR")
        _quiet_python_logs()
        _Local.session = SparkSession(context)
    except BaseException as exc:
        tail = _log_tail()
        stop_session()
        if isinstance(exc, Exception):
            raise SparkStartError(f"Spark did not start ({type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}); its log ends with:\n{tail}") from None
        raise
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    atexit.register(stop_session)
    if _Local.proc is not None:  # a kernel killed outright: the watchdog kills the JVM if need be and removes the folder
        _Local.watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(_Local.proc.pid), str(folder), "true"],
            start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    return _Local.session


def _quiet_python_logs() -> None:
    """PySpark logs each failed DataFrame expression as a JSON line with a timestamp on stderr; the exception says it all."""
    import logging

    try:
        from pyspark.logger import PySparkLogger
    except ImportError:
        return
    logger = PySparkLogger.getLogger("DataFrameQueryContextLogger")  # created as PySpark creates it, then silenced
    logger.setLevel(logging.CRITICAL)


def stop_session(timeout: float = 20.0) -> None:
    """Stop the session, then its JVM by PID (stdin closed, then SIGKILL), and remove its folder; safe to call twice."""
    atexit.unregister(stop_session)
    if _Local.watchdog is not None:
        _Local.watchdog.kill()
        _Local.watchdog.wait()
        _Local.watchdog = None
    session, proc, folder = _Local.session, _Local.proc, _Local.folder
    _Local.session = _Local.proc = _Local.folder = _Local.ui_port = None
    if session is not None:
        with contextlib.suppress(Exception):
            session.stop()
    try:
        from pyspark import SparkContext
    except ImportError:
        SparkContext = None  # type: ignore[assignment,misc]  # noqa: N806
    if SparkContext is not None and session is not None:
        gateway = SparkContext._gateway
        with contextlib.suppress(Exception):
            if gateway is not None:
                gateway.shutdown()
        SparkContext._gateway = None
        SparkContext._jvm = None
    if proc is not None:
        with contextlib.suppress(OSError):
            if proc.stdin is not None:
                proc.stdin.close()  # PySpark's JVM exits when its stdin closes
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    if _Local.log is not None:
        with contextlib.suppress(OSError):
            _Local.log.close()
        _Local.log = None
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def ui_url() -> str | None:
    """The address of the running session's Spark UI (``http://127.0.0.1:PORT``), or ``None`` without one."""
    return f"http://127.0.0.1:{_Local.ui_port}" if _running() and _Local.ui_port is not None else None


def ui_api(path: str) -> Any:
    """GET ``/api/v1/applications/<this application>/<path>`` from the Spark UI's REST API, as JSON data."""
    import json
    import urllib.request

    base = ui_url()
    if base is None:
        raise ServiceError("this Spark session has no UI: start it with `local_session(ui=True)`")
    app = _Local.session.sparkContext.applicationId
    with urllib.request.urlopen(f"{base}/api/v1/applications/{app}/{path.lstrip('/')}", timeout=30) as answer:  # noqa: S310 (loopback)
        return json.loads(answer.read().decode("utf-8"))


def jvm_pid() -> int | None:
    """The PID of the running session's JVM, or ``None``."""
    return _Local.proc.pid if _running() and _Local.proc is not None else None


# -- reading plans and partitions -------------------------------------------------------------------

_IDS = re.compile(r"#\d+L?")
_PLAN_IDS = re.compile(r"(plan_id|id)=\d+")


def explain_text(df: Any, mode: str = "simple") -> str:
    """What ``df.explain(mode)`` prints, with what varies from run to run taken out.

    Expression ids (``amount#12L``) lose their number (``amount``), ``plan_id=7`` becomes
    ``plan_id=N``, and the session's temporary folder reads ``<tmp>``.
    """
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        df.explain(mode=mode)
    text = _PLAN_IDS.sub(r"\1=N", _IDS.sub("", out.getvalue()))
    if _Local.folder is not None:
        text = text.replace(f"file:{_Local.folder}", "<tmp>").replace(str(_Local.folder), "<tmp>")
    return text.rstrip() + "\n"


_WRAPPERS = frozenset({"AdaptiveSparkPlan", "WholeStageCodegen", "InputAdapter"})
_OPERATOR = re.compile(r"^[\s:+\-*()\d]*([A-Z][A-Za-z]+)")


def plan_operators(df: Any) -> list[str]:
    """The operators of ``df``'s physical plan, top first: e.g. ``['HashAggregate', 'Exchange', 'HashAggregate', 'Range']``.

    Once the query has run under adaptive execution, the final plan (the one that ran) is read.
    Under an ``InMemoryRelation`` (a cached DataFrame) its own plan is left out: it ran when the
    cache was filled, not again.
    Adaptive execution's wrappers (``AdaptiveSparkPlan``, ``...QueryStage``) and code generation's
    markers (``WholeStageCodegen``, ``InputAdapter``) are left out: they do not change what runs.
    """
    lines = explain_text(df).splitlines()[1:]
    if lines and lines[0].startswith("AdaptiveSparkPlan isFinalPlan=true"):  # it ran under adaptive execution: read the plan that ran
        start = next(i for i, line in enumerate(lines) if line.startswith("+- == Final Plan =="))
        end = next((i for i, line in enumerate(lines) if line.startswith("+- == Initial Plan ==")), len(lines))
        lines = lines[start + 1:end]
    names: list[str] = []
    cached_at: int | None = None  # the indentation of an InMemoryRelation: its own plan below it does not run again
    for line in lines:
        if not line.strip() or line.lstrip(" :+-").startswith("=="):
            continue
        indent = len(line) - len(line.lstrip(" :|+-"))
        if cached_at is not None and indent > cached_at:
            continue
        cached_at = None
        match = _OPERATOR.match(line)
        if match and match.group(1) not in _WRAPPERS and not match.group(1).endswith("QueryStage"):
            names.append(match.group(1))
            if match.group(1) == "InMemoryRelation":
                cached_at = indent
    return names


def partition_sizes(df: Any) -> list[int]:
    """The number of rows in each partition of ``df``, in partition order (empty partitions as 0)."""
    from pyspark.sql import functions as F  # noqa: N812

    counts = dict(df.groupBy(F.spark_partition_id().alias("p")).count().collect())
    return [int(counts.get(i, 0)) for i in range(df.rdd.getNumPartitions())]


# -- python -m rolecourse.ui.spark --prepare --------------------------------------------------------


def _record_archive(path: Path) -> None:
    """Run the work the lessons do in a session that records its loaded classes at exit into ``path``."""
    from pyspark.sql import functions as F  # noqa: N812

    spark = local_session(ui=True, _record=path)
    people = spark.createDataFrame([(i, f"n{i % 5}", float(i)) for i in range(200)], "id long, name string, amount double")
    people.createOrReplaceTempView("people")
    big = spark.range(0, 20000).withColumn("k", F.col("id") % 7).withColumn("v", F.rand(1))
    joined = big.join(spark.range(7).withColumnRenamed("id", "k"), "k").join(F.broadcast(people.withColumnRenamed("id", "k")), "k", "left")
    joined.groupBy("k").agg(F.sum("v"), F.count("*")).orderBy("k").collect()
    spark.sql("SELECT name, SUM(amount) AS s FROM people GROUP BY name ORDER BY s DESC").collect()
    people.repartition(3, "name").cache().count()
    partition_sizes(big.repartition(4))
    explain_text(joined)
    people.toPandas()
    people.write.mode("overwrite").parquet(str((_Local.folder or Path(".")) / "p.parquet"))
    spark.read.parquet(str((_Local.folder or Path(".")) / "p.parquet")).filter("amount > 10").count()
    spark.createDataFrame([(1,)], "x int").select(F.udf(lambda x: x + 1, "int")("x")).collect()
    stages = ui_api("stages")
    ui_api(f"stages/{stages[0]['stageId']}/{stages[0]['attemptId']}/taskList")
    stream_in = (_Local.folder or Path(".")) / "stream"
    stream_in.mkdir()
    (stream_in / "a.json").write_text('{"k": "a", "n": 1}\n', encoding="utf-8")
    query = (spark.readStream.schema("k string, n long").json(str(stream_in)).groupBy("k").sum("n")
             .writeStream.format("memory").queryName("recorded").outputMode("complete")
             .option("checkpointLocation", str(stream_in.parent / "checkpoint")).trigger(availableNow=True).start())
    query.awaitTermination(120)
    spark.sql("SELECT * FROM recorded").collect()
    stop_session(timeout=300)


def main(argv: list[str] | None = None) -> int:
    """``--prepare``: record the class-data archive if missing (prints its path); ``--record PATH``: the recording run itself."""
    args = sys.argv[1:] if argv is None else argv
    try:
        if args[:1] == ["--record"] and len(args) == 2:
            _record_archive(Path(args[1]))
            return 0
        if args[:1] == ["--prepare"]:
            start = time.monotonic()
            path = prepare(quiet=False)
            print(f"Spark class-data archive: {path or 'being recorded by another process'} ({time.monotonic() - start:.0f} s)")
            return 0
    except (ServiceError, subprocess.SubprocessError, OSError) as exc:
        print(f"rolecourse.ui.spark: {exc}", file=sys.stderr)
        return 1
    print("usage: python -m rolecourse.ui.spark --prepare", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
