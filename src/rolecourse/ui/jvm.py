"""Run real Java and Scala from Python and from Jupyter: :func:`run_java`, :func:`run_scala`, :func:`run_spark_scala`,
:func:`java_function`, :func:`scala_function` and the ``%%java`` / ``%%scala`` cell magics.

Java: each :func:`run_java` writes the code to a temporary folder, compiles it with ``javac``
and runs it with ``java`` (a fresh JVM, stdin closed, a time limit), shows what the program
prints and returns it (:class:`JvmResult`). The class that runs is the top-level class with a
``main`` method (``main=`` chooses another). A compile error or an uncaught exception raises
:class:`JvmError` with the compiler's or the exception's message.

Scala 2.13 runs on the same JDK with the Scala jars that pyspark ships (``pyspark/jars``:
scala-library, scala-compiler, scala-reflect), so no download is needed. ``scalac`` starting
cold costs about 5 s of CPU per compile, so the first Scala call starts one **warm compiler**
JVM (:class:`ScalaWorker`, in a temporary folder, stopped by its PID when Python exits or with
:func:`stop_scala`) and later compiles take well under a second. A Scala program then runs in a
fresh JVM like a Java one. :func:`run_spark_scala` compiles against Spark's jars and runs the
program *inside* a warm JVM, so ``SparkSession.builder().getOrCreate()`` reuses one local Spark
(``local[2]``, bound to 127.0.0.1, no web UI) across cells instead of starting Spark each time.

:func:`java_function` / :func:`scala_function` compile a class once and return a Python function
that calls one of its static methods (or a Scala object's method) in a fresh JVM per call:
arguments go in as JSON (numbers with a decimal point are ``double``, others ``int``/``long``;
lists, dicts, arrays, ``List``/``Map``/``Set``, Scala ``List``/``Vector``/``Map``/``Option``),
and the result comes back as Python data (records and case classes become dicts, tuples lists,
``Optional``/``Option`` a value or ``None``).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RolecourseError, UsageError

__all__ = [
    "JAVA_INSTALL_HINT",
    "SCALA_INSTALL_HINT",
    "JvmError",
    "JvmNotFoundError",
    "JvmResult",
    "ScalaWorker",
    "java_function",
    "load_ipython_extension",
    "require_java",
    "require_scala",
    "run_java",
    "run_scala",
    "run_spark_scala",
    "scala_function",
    "scala_version",
    "stop_scala",
]

JAVA_INSTALL_HINT = (
    "Java is not installed (no `javac` and `java` on the PATH): install a JDK with "
    "`apt-get install openjdk-17-jdk-headless`, or `conda install -c conda-forge openjdk=17` on Binder/conda"
)
"""The one line shown when the JDK is missing."""

SCALA_INSTALL_HINT = (
    "Scala 2.13 is not found: the course runs Scala with the jars that pyspark ships; install them with "
    "`pip install 'rolecourse[bigdata]'` (or `pip install 'pyspark>=4,<5'`) and a JDK 17 (`apt-get install openjdk-17-jdk-headless`)"
)
"""The one line shown when pyspark's Scala jars are missing."""

JVM_OPTIONS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss4m")
"""Options of every short-lived JVM: a small collector and the quick JIT tier start fastest on a laptop."""

SPARK_JAVA_OPTIONS = (
    "-XX:+IgnoreUnrecognizedVMOptions",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    # one local Spark on loopback, without the web UI, with few shuffle partitions for small data
    "-Dspark.master=local[2]",
    "-Dspark.driver.host=127.0.0.1",
    "-Dspark.driver.bindAddress=127.0.0.1",
    "-Dspark.ui.enabled=false",
    "-Dspark.sql.shuffle.partitions=4",
    "-Dspark.sql.session.timeZone=UTC",
)
"""What ``spark-submit`` adds for Java 17 (Spark's ``JavaModuleOptions``) plus the course's local settings."""

_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %p %c{1}: %m%n
"""

_SOURCES = Path(__file__).resolve().parent / "jvm_sources"
_TOP = re.compile(r"\b(class|interface|record|enum|object|trait)\s+([A-Za-z_][A-Za-z0-9_]*)")


class JvmError(RolecourseError, RuntimeError):
    """A compile error, an uncaught exception, or a program over its time limit; the message is the JVM's."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a Python traceback
        return [f"{type(self).__name__}: {self}"]


class JvmNotFoundError(JvmError):
    """The JDK (or pyspark's Scala jars) is missing; the message is one line naming the install command."""


@dataclass(frozen=True, slots=True)
class JvmResult:
    """What one program run gave."""

    stdout: str
    """Everything the program printed to standard output."""
    stderr: str = ""
    """What it printed to standard error (``System.err``)."""
    echoed: bool = field(default=False, compare=False)
    """Whether the output was already printed (then a notebook shows nothing more for the result)."""

    def _ipython_display_(self) -> None:
        if not self.echoed:
            print(self.stdout, end="")

    @property
    def lines(self) -> list[str]:
        """The printed lines, without their line ends."""
        return self.stdout.splitlines()

    def __repr__(self) -> str:
        return f"JvmResult({len(self.lines)} line{'s' if len(self.lines) != 1 else ''} printed)"


# --- finding the tools --------------------------------------------------------------------------


def require_java() -> tuple[str, str]:
    """The paths of ``javac`` and ``java``; :class:`JvmNotFoundError` (one line, how to install) when missing."""
    if sys.platform == "emscripten":
        raise JvmNotFoundError("Java cannot run in the browser (JupyterLite): open this notebook in Jupyter on a machine or Binder with a JDK")
    javac, java = shutil.which("javac"), shutil.which("java")
    if javac is None or java is None:
        raise JvmNotFoundError(JAVA_INSTALL_HINT)
    return javac, java


def _pyspark_jars() -> Path | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec("pyspark")
    except (ImportError, ValueError):
        return None
    for root in (spec.submodule_search_locations or []) if spec else []:
        if (Path(root) / "jars").is_dir():
            return Path(root) / "jars"
    return None


def _jar(folder: Path, stem: str) -> Path | None:
    found = sorted(folder.glob(f"{stem}-2.13.*.jar"))
    return found[-1] if found else None


def require_scala() -> dict[str, Path]:
    """The Scala 2.13 jars (``library``, ``compiler``, ``reflect``) and pyspark's ``jars`` folder (``spark``).

    :class:`JvmNotFoundError` (one line) when the JDK or pyspark's jars are missing.
    """
    require_java()
    folder = _pyspark_jars()
    jars = {name: _jar(folder, f"scala-{name}") for name in ("library", "compiler", "reflect")} if folder else {}
    if folder is None or not all(jars.values()):
        raise JvmNotFoundError(SCALA_INSTALL_HINT)
    return {**{k: v for k, v in jars.items() if v is not None}, "spark": folder}


def scala_version() -> str:
    """The Scala version this module runs, read from the scala-library jar's name (e.g. ``2.13.18``)."""
    return require_scala()["library"].name.removeprefix("scala-library-").removesuffix(".jar")


# --- reading source ------------------------------------------------------------------------------


def _blank(code: str) -> str:
    """``code`` with comments, string and character literals replaced by spaces (same length, same lines)."""
    out = list(code)
    i, n = 0, len(code)
    while i < n:
        two = code[i : i + 2]
        if two == "//":
            j = code.find("\n", i)
            j = n if j < 0 else j
        elif two == "/*":
            j = code.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif code.startswith('"""', i):
            j = code.find('"""', i + 3)
            j = n if j < 0 else j + 3
        elif code[i] in "\"'":
            quote, j = code[i], i + 1
            while j < n and code[j] != quote and code[j] != "\n":
                j += 2 if code[j] == "\\" else 1
            j = min(n, j + 1)
            if quote == "'" and j - i > 4:  # a Scala symbol or an apostrophe, not a char literal
                i += 1
                continue
        else:
            i += 1
            continue
        for k in range(i, j):
            if out[k] != "\n":
                out[k] = " "
        i = j
    return "".join(out)


_NEXT_DECL = re.compile(r"\s*(case|object|class|trait|abstract|sealed|final|public|private|protected|static|@|import|def|val|var|enum|record|interface|implicit|type|package)\b")


def _top_level(code: str) -> list[tuple[str, str, str, str]]:
    """(kind, name, header, body) of each top-level type: the text is read with comments and strings blanked.

    A declaration without a body (``case class Order(id: Int)``) ends at a ``;`` or at a line
    end followed by another declaration.
    """
    text = _blank(code)
    found: list[tuple[str, str, str, str]] = []
    depth, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and (m := _TOP.match(text, i)) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_.$")):
            j, parens, body = m.end(), 0, ""
            while j < n:
                c = text[j]
                if c in "([":
                    parens += 1
                elif c in ")]":
                    parens -= 1
                elif parens == 0 and c == ";":
                    break
                elif parens == 0 and c == "\n" and (j + 1 >= n or _NEXT_DECL.match(text, j + 1) or not text[j + 1 :].strip()):
                    break
                elif parens == 0 and c == "{":
                    level, k = 0, j
                    while k < n:
                        level += {"{": 1, "}": -1}.get(text[k], 0)
                        if level == 0:
                            break
                        k += 1
                    body = text[j : k + 1]
                    break
                j += 1
            before = max(text.rfind("\n", 0, i), text.rfind(";", 0, i), text.rfind("}", 0, i)) + 1
            found.append((m.group(1), m.group(2), text[before:j], body))  # the header with its modifiers
            i = j + len(body)
            continue
        i += 1
    return found


def _java_file_and_main(code: str) -> tuple[str, str | None]:
    types = _top_level(code)
    if not types:
        raise UsageError("no class found in the Java code: write at least `public class Main { ... }`")
    public = [name for kind, name, header, _ in types if re.search(r"\bpublic\b", header) and kind != "object"]
    main = next((name for _, name, _, body in types if re.search(r"\bstatic\s+void\s+main\s*\(", body)), None)
    return (public[0] if public else types[0][1]), main


def _scala_main(code: str) -> str | None:
    for kind, name, header, body in _top_level(code):
        if kind == "object" and (re.search(r"\bextends\s+App\b", header) or re.search(r"\bdef\s+main\s*\(", body)):
            return name
    return None


# --- running ------------------------------------------------------------------------------------


def _write_files(folder: Path, files: Mapping[str, Any] | None) -> None:
    for name, content in (files or {}).items():
        target = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise UsageError(f"files: {name!r} must be a plain relative file name")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, os.PathLike):
            shutil.copyfile(content, target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(str(content), encoding="utf-8")


def _relative(text: str, folder: Path) -> str:
    """Compiler output with the temporary folder's path removed (``Main.java:3: error: ...``)."""
    return text.replace(str(folder) + os.sep, "").replace(str(folder), ".")


def _javac(code: str, folder: Path, *, classpath: Iterable[Path | str] = (), timeout: float) -> tuple[str, str | None, str]:
    """Compile ``code`` into ``folder/classes``: (file's class name, main class, warnings)."""
    javac, _ = require_java()
    name, main = _java_file_and_main(code)
    source = folder / f"{name}.java"
    source.write_text(code if code.endswith("\n") else code + "\n", encoding="utf-8")
    cmd = [javac, *[f"-J{o}" for o in JVM_OPTIONS], "-encoding", "UTF-8", "-Xlint:unchecked", "-d", str(folder / "classes")]
    cp = [str(p) for p in classpath]
    if cp:
        cmd += ["-cp", os.pathsep.join(cp)]
    try:
        proc = subprocess.run([*cmd, source.name], cwd=folder, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        raise JvmError(f"javac did not finish within the time limit of {timeout:g} s") from None
    said = _relative((proc.stderr + proc.stdout).strip(), folder)
    if proc.returncode != 0:
        lines = [ln for ln in said.splitlines() if not re.fullmatch(r"\d+ (error|warning)s?", ln.strip())]
        raise JvmError("javac found an error:\n" + "\n".join(lines[:30]))
    return name, main, said


def _exception_text(stderr: str, folder: Path) -> str:
    lines = _relative(stderr, folder).strip().splitlines()
    head = next((i for i, ln in enumerate(lines) if ln.startswith("Exception in thread")), None)
    if head is None:
        return "\n".join(lines[-6:]) or "the program stopped with an error"
    first = lines[head].split('" ', 1)[-1] if '" ' in lines[head] else lines[head]
    frames = [ln.strip() for ln in lines[head + 1 :] if ln.strip().startswith("at ")]
    user = [f for f in frames if not f.startswith(("at java.", "at jdk.", "at sun.", "at scala."))]
    return first + (f" ({user[0]})" if user else "")


def _run_jvm(cmd: list[str], folder: Path, *, stdin: str | None, timeout: float, echo: bool, what: str) -> JvmResult:
    try:
        proc = subprocess.run(cmd, cwd=folder, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        if echo and out:
            print(out, end="" if out.endswith("\n") else "\n")
        raise JvmError(f"the {what} program did not finish within the time limit of {timeout:g} s (an endless loop? pass a larger timeout= if it needs longer)") from None
    if echo and proc.stdout:
        print(proc.stdout, end="" if proc.stdout.endswith("\n") else "\n")
    if proc.returncode != 0:
        if "Exception in thread" in proc.stderr:
            raise JvmError(_exception_text(proc.stderr, folder))
        if echo and proc.stderr.strip():
            print(proc.stderr.rstrip(), file=sys.stderr)
        raise JvmError(f"the {what} program ended with exit code {proc.returncode}" + (f": {proc.stderr.strip().splitlines()[-1]}" if proc.stderr.strip() else ""))
    if echo and proc.stderr.strip():
        print(proc.stderr.rstrip(), file=sys.stderr)
    return JvmResult(proc.stdout, proc.stderr, echo)


def run_java(code: str, *, args: Iterable[str] = (), stdin: str | None = None, files: Mapping[str, Any] | None = None,
             main: str | None = None, timeout: float = 30.0, echo: bool = True) -> JvmResult:
    """Compile ``code`` with ``javac`` and run it with ``java`` in a temporary folder; print and return its output.

    ``args`` are the program's command-line arguments, ``stdin`` its standard input, ``files``
    maps file names to text, bytes or a path to copy into its working folder (for programs that
    read files). The class that runs is the top-level class with ``public static void main``
    (or ``main``). :class:`JvmError` on a compile error (javac's message), an uncaught exception
    (its type, message and line), a non-zero exit or a run over ``timeout`` seconds.
    """
    _, java = require_java()
    with tempfile.TemporaryDirectory(prefix="rolecourse-java-") as tmp:
        folder = Path(tmp)
        _write_files(folder, files)
        _, found, warnings = _javac(code, folder, timeout=timeout)
        if warnings and echo:
            print(warnings, file=sys.stderr)
        main = main or found
        if main is None:
            raise JvmError("nothing to run: no class has `public static void main(String[] args)`")
        cmd = [java, *JVM_OPTIONS, "-Xmx256m", "-cp", "classes", main, *[str(a) for a in args]]
        return _run_jvm(cmd, folder, stdin=stdin, timeout=timeout, echo=echo, what="Java")


# --- calling one method -------------------------------------------------------------------------

_harness_lock = threading.Lock()
_harness_dir: Path | None = None


def _harness() -> Path:
    """The folder of the compiled ``RcCall`` (built once per process, removed at exit)."""
    global _harness_dir
    with _harness_lock:
        if _harness_dir is None or not (_harness_dir / "RcCall.class").is_file():
            javac, _ = require_java()
            folder = Path(tempfile.mkdtemp(prefix="rolecourse-jvm-call-"))
            atexit.register(shutil.rmtree, folder, True)
            proc = subprocess.run([javac, *[f"-J{o}" for o in JVM_OPTIONS], "-encoding", "UTF-8", "-nowarn", "-d", str(folder), str(_SOURCES / "RcCall.java")],
                                  capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
            if proc.returncode != 0:
                raise JvmError(f"the course's method caller did not compile: {proc.stderr.strip()[:300]}")
            _harness_dir = folder
        return _harness_dir


def _json_arg(value: Any) -> Any:
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, Mapping):
        return {str(k): _json_arg(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_arg(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value)]
    return value


class _Compiled:
    """Compiled classes in a temporary folder that lives as long as the functions that call them."""

    def __init__(self, prefix: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.folder, True)


def _method_caller(compiled: _Compiled, classpath: list[str], target: str, language: str, timeout: float) -> Callable[..., Any]:
    cls, _, method = target.rpartition(".")
    _, java = require_java()

    def call(*args: Any) -> Any:
        with tempfile.TemporaryDirectory(prefix="rolecourse-jvm-args-") as tmp:
            folder = Path(tmp)
            try:
                (folder / "in.json").write_text(json.dumps([_json_arg(a) for a in args], allow_nan=False), encoding="utf-8")
            except (TypeError, ValueError) as exc:
                raise UsageError(f"the arguments cannot go to {language} as JSON ({exc}): pass numbers, strings, lists or dicts") from None
            cp = os.pathsep.join([str(_harness()), str(compiled.folder / "classes"), *classpath])
            cmd = [java, *JVM_OPTIONS, "-Xmx256m", "-cp", cp, "RcCall", cls, method, "in.json", "out.json"]
            try:
                proc = subprocess.run(cmd, cwd=folder, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                      encoding="utf-8", errors="replace", timeout=timeout)
            except subprocess.TimeoutExpired:
                raise JvmError(f"{target} did not return within {timeout:g} s (an endless loop?)") from None
            if proc.stdout:
                print(proc.stdout, end="" if proc.stdout.endswith("\n") else "\n")
            said = [ln[5:] for ln in proc.stderr.splitlines() if ln.startswith("@@rc ")]
            if proc.returncode != 0:
                raise JvmError(said[0] if said else _exception_text(proc.stderr, folder))
            return json.loads((folder / "out.json").read_text(encoding="utf-8"))

    call.__name__ = call.__qualname__ = method
    call.__doc__ = f"Call the {language} method {target} (in a fresh JVM) and return its result as Python data."
    call._compiled = compiled  # type: ignore[attr-defined]  # keeps the classes' folder alive
    return call


def _check_target(target: str) -> None:
    if not re.fullmatch(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+", target):
        raise UsageError(f"{target!r}: name the method as Class.method, e.g. 'Stats.median'")


def java_function(code: str, target: str, *, timeout: float = 10.0) -> Callable[..., Any]:
    """Compile ``code`` once; return a Python function that calls the static method ``target`` (``"Class.method"``).

    Each call runs a fresh JVM (about 0.1-0.3 s) on the arguments converted to the method's
    parameter types; :class:`JvmError` when the method throws (its exception and line).
    """
    _check_target(target)
    compiled = _Compiled("rolecourse-java-fn-")
    _javac(code, compiled.folder, timeout=max(timeout, 30.0))
    return _method_caller(compiled, [], target, "Java", timeout)


# --- Scala: a warm compiler ---------------------------------------------------------------------


class ScalaWorker:
    """One JVM that keeps ``scalac`` warm (and runs Spark programs), in a temporary folder, stopped by its PID.

    Requests go one per line on its stdin; when Python exits (or is killed), stdin closes and the
    JVM removes its own temporary folder and exits by itself, so a kernel killed without running
    :meth:`stop` or ``atexit`` leaves nothing behind.
    """

    def __init__(self, *, spark: bool = False, timeout: float = 120.0) -> None:
        self.spark: bool = spark
        """Whether Spark's jars are on its classpath (and Spark programs run in it)."""
        self.timeout: float = timeout
        """Seconds allowed for the start-up."""
        self.folder: Path | None = None
        """Its temporary folder; ``None`` once stopped."""
        self.pid: int | None = None
        """The JVM's PID while running."""
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._count = 0

    @property
    def running(self) -> bool:
        """Whether the JVM is alive."""
        return self._proc is not None and self._proc.poll() is None

    def classpath(self) -> list[str]:
        """The classpath programs compile against: Scala's jars, and Spark's when ``spark``."""
        jars = require_scala()
        if self.spark:
            return [str(jars["spark"] / "*")]
        return [str(jars["library"]), str(jars["reflect"])]

    def start(self) -> ScalaWorker:
        """Start the JVM (compiling the worker with ``javac`` first); :class:`JvmError` if it does not answer."""
        if self.running:
            return self
        javac, java = require_java()
        jars = require_scala()
        self.folder = Path(tempfile.mkdtemp(prefix="rolecourse-scala-"))
        try:
            (self.folder / "classes").mkdir()
            (self.folder / "worker").mkdir()
            tools = os.pathsep.join(str(jars[k]) for k in ("library", "compiler", "reflect"))
            built = subprocess.run([javac, *[f"-J{o}" for o in JVM_OPTIONS], "-encoding", "UTF-8", "-nowarn", "-cp", tools, "-d", str(self.folder / "worker"),
                                    str(_SOURCES / "RcScalaWorker.java")], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=self.timeout)
            if built.returncode != 0:
                raise JvmError(f"the course's Scala worker did not compile: {built.stderr.strip()[:300]}")
            cp = [str(self.folder / "worker"), str(self.folder / "classes"), tools]
            options = ["-XX:+UseSerialGC", "-Xss4m", "-Xmx1g" if self.spark else "-Xmx512m"]
            if self.spark:
                (self.folder / "log4j2.properties").write_text(_LOG4J, encoding="utf-8")
                cp.append(str(jars["spark"] / "*"))
                options += [*SPARK_JAVA_OPTIONS, f"-Dlog4j2.configurationFile={self.folder / 'log4j2.properties'}",
                            f"-Dspark.local.dir={self.folder}", f"-Djava.io.tmpdir={self.folder}"]
            with open(self.folder / "worker.log", "ab") as log:
                # its own session: Jupyter signals the kernel's whole process group (SIGKILL on shutdown), and this JVM
                # must outlive a killed kernel long enough to see its stdin close and remove its folder
                self._proc = subprocess.Popen([java, *options, "-cp", os.pathsep.join(cp), "RcScalaWorker"], cwd=self.folder,
                                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8",
                                              errors="replace", bufsize=1, start_new_session=True)
            self.pid = self._proc.pid
            atexit.register(self.stop)
            self._answer(self.timeout)
            return self
        except BaseException:
            self.stop()
            raise

    def _answer(self, timeout: float) -> str:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        got: list[str] = []

        def read() -> None:
            for line in proc.stdout:  # type: ignore[union-attr]
                if line.startswith("@@rc "):
                    got.append(line[5:].rstrip("\n"))
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        if not got:
            alive = proc.poll() is None
            tail = self._log_tail()
            self.stop()
            if alive:
                raise JvmError(f"the Scala JVM did not answer within {timeout:g} s (an endless loop?); it was stopped and the next call starts a new one")
            raise JvmError(f"the Scala JVM stopped (did the program call sys.exit?); the next call starts a new one{': ' + tail if tail else ''}")
        return got[0]

    def _log_tail(self) -> str:
        log = self.folder / "worker.log" if self.folder else None
        if log is None or not log.is_file():
            return ""
        return " | ".join(log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:])

    def request(self, *fields: str, timeout: float) -> str:
        """Send one request (tab-separated fields) and return the worker's answer line."""
        with self._lock:
            self.start()
            assert self._proc is not None and self._proc.stdin is not None
            self._proc.stdin.write("\t".join(fields) + "\n")
            self._proc.stdin.flush()
            try:
                return self._answer(timeout)
            except KeyboardInterrupt:  # a notebook's Interrupt: its answer would come late, so stop it; the next call starts anew
                self.stop()
                raise

    def compile(self, code: str, target: Path, *, package: str | None = None, timeout: float = 120.0) -> str:
        """Compile ``code`` (saved as ``Main.scala``) into ``target``; the compiler's warnings; :class:`JvmError` on an error."""
        target.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._count += 1
            n = self._count
        assert self.folder is not None or self.start().folder is not None
        src = self.folder / f"src{n}"  # type: ignore[operator]
        src.mkdir()
        text = (f"package {package}; " if package else "") + code
        (src / "Main.scala").write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        log = src / "compile.log"
        answer = self.request("compile", str(target), os.pathsep.join(self.classpath()), str(log), str(src / "Main.scala"), timeout=timeout)
        said = log.read_text(encoding="utf-8", errors="replace").strip() if log.is_file() else ""
        said = _relative(said, src).replace(f"package {package}; ", "").replace(f"{package}.", "") if package else _relative(said, src)
        if answer == "ERR":
            lines = [ln for ln in said.splitlines() if not re.fullmatch(r"\d+ (errors?|warnings?) found|\d+ (error|warning)s?", ln.strip())]
            raise JvmError("scalac found an error:\n" + "\n".join(lines[:30]))
        if answer != "OK":
            raise JvmError(f"the Scala compiler failed: {answer}")
        return said

    def stop(self) -> None:
        """Stop the JVM by its PID (close its stdin, then kill it) and remove the folder; safe to call twice."""
        atexit.unregister(self.stop)
        proc, self._proc, self.pid = self._proc, None, None
        if proc is not None and proc.poll() is None:
            try:
                if proc.stdin:
                    proc.stdin.close()
                proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __repr__(self) -> str:
        return f"<ScalaWorker{' (Spark)' if self.spark else ''} {'running' if self.running else 'stopped'}>"


_workers: dict[bool, ScalaWorker] = {}


def _worker(spark: bool) -> ScalaWorker:
    if spark not in _workers:
        _workers[spark] = ScalaWorker(spark=spark)
    return _workers[spark].start()


def stop_scala() -> None:
    """Stop the warm Scala JVMs this process started (they also stop when Python exits)."""
    for worker in _workers.values():
        worker.stop()


def _scala_compile(code: str, folder: Path, timeout: float) -> tuple[str | None, str]:
    worker = _worker(False)
    warnings = worker.compile(code, folder / "classes", timeout=timeout)
    return _scala_main(code), warnings


def run_scala(code: str, *, args: Iterable[str] = (), stdin: str | None = None, files: Mapping[str, Any] | None = None,
              main: str | None = None, timeout: float = 60.0, echo: bool = True) -> JvmResult:
    """Compile ``code`` as Scala 2.13 (on the warm compiler) and run it in a fresh JVM; print and return its output.

    The object that runs is the top-level ``object`` with ``def main(args: Array[String])`` or
    ``extends App`` (or ``main``). Arguments as for :func:`run_java`.
    """
    jars = require_scala()
    _, java = require_java()
    with tempfile.TemporaryDirectory(prefix="rolecourse-scala-run-") as tmp:
        folder = Path(tmp)
        _write_files(folder, files)
        found, warnings = _scala_compile(code, folder, timeout)
        if warnings and echo:
            print(warnings, file=sys.stderr)
        main = main or found
        if main is None:
            raise JvmError("nothing to run: no top-level object has `def main(args: Array[String]): Unit` (or `extends App`)")
        cp = os.pathsep.join(["classes", str(jars["library"])])
        cmd = [java, *JVM_OPTIONS, "-Xmx256m", "-cp", cp, main, *[str(a) for a in args]]
        return _run_jvm(cmd, folder, stdin=stdin, timeout=timeout, echo=echo, what="Scala")


def scala_function(code: str, target: str, *, timeout: float = 10.0) -> Callable[..., Any]:
    """Compile Scala ``code`` once; return a Python function that calls ``target`` (``"Object.method"``) in a fresh JVM.

    Whole numbers go in as ``Int`` (``Long`` when large), numbers with a decimal point as
    ``Double``; lists become ``List``/``Vector``/``Seq``, dicts ``Map``, ``None`` ``None``.
    """
    _check_target(target)
    jars = require_scala()
    compiled = _Compiled("rolecourse-scala-fn-")
    _scala_compile(code, compiled.folder, max(timeout, 60.0))
    return _method_caller(compiled, [str(jars["library"])], target, "Scala", timeout)


def run_spark_scala(code: str, *, main: str | None = None, timeout: float = 120.0, echo: bool = True) -> JvmResult:
    """Compile a Scala Spark program against pyspark's jars and run its ``main`` in the warm Spark JVM.

    ``SparkSession.builder().getOrCreate()`` in the program returns the one local session
    (``local[2]`` on 127.0.0.1, started by the first program, about 10-20 s) that later programs
    reuse; a program that calls ``spark.stop()`` makes the next one start Spark again. Each
    program is compiled into its own package, so a cell can redefine ``object Main``.
    """
    worker = _worker(True)
    found = main or _scala_main(code)
    if found is None:
        raise JvmError("nothing to run: no top-level object has `def main(args: Array[String]): Unit` (or `extends App`)")
    package = f"rc_run{worker._count + 1}"
    assert worker.folder is not None
    warnings = worker.compile(code, worker.folder / "classes", package=package, timeout=timeout)
    if warnings and echo:
        print(warnings, file=sys.stderr)
    out, err = worker.folder / f"{package}.out", worker.folder / f"{package}.err"
    answer = worker.request("run", f"{package}.{found}", str(out), str(err), timeout=timeout)
    stdout = out.read_text(encoding="utf-8", errors="replace") if out.is_file() else ""
    stderr = err.read_text(encoding="utf-8", errors="replace").replace(f"{package}.", "") if err.is_file() else ""
    if echo and stdout:
        print(stdout, end="" if stdout.endswith("\n") else "\n")
    if answer == "EXC":
        lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
        where = [ln.strip() for ln in lines if ln.startswith("\tat ")]
        raise JvmError((lines[0] if lines else "the program threw an exception") + (f" ({where[-1]})" if where else ""))
    if answer != "OK":
        raise JvmError(f"the Spark program could not run: {answer.replace(package + '.', '')}")
    if echo and stderr.strip():
        print(stderr.rstrip(), file=sys.stderr)
    return JvmResult(stdout, stderr, echo)


# --- the cell magics ----------------------------------------------------------------------------


def _parse_magic_line(name: str, line: str) -> tuple[str | None, float | None, list[str]]:
    out: str | None = None
    timeout: float | None = None
    tokens = shlex.split(line)
    args: list[str] = []
    while tokens:
        flag = tokens.pop(0)
        if flag == "--":
            args.extend(tokens)
            break
        if flag not in ("-o", "--output", "-t", "--timeout") or not tokens:
            raise UsageError(f"%%{name}: unexpected {flag!r}; usage: %%{name} [-o pyvar] [-t seconds] [-- program arguments]")
        value = tokens.pop(0)
        if flag in ("-t", "--timeout"):
            try:
                timeout = float(value)
            except ValueError:
                raise UsageError(f"%%{name} -t: expected a number of seconds, found {value!r}") from None
        elif not value.isidentifier():
            raise UsageError(f"%%{name} -o: {value!r} is not a Python variable name")
        else:
            out = value
    return out, timeout, args


def load_ipython_extension(ip: Any) -> None:
    """Register ``%%java``, ``%%scala`` and ``%%spark_scala`` on the IPython shell ``ip`` (``%load_ext rolecourse.ui.jvm``)."""

    def make(name: str, runner: Callable[..., JvmResult], default: float) -> Callable[[str, str], None]:
        def magic(line: str, cell: str) -> None:
            out, timeout, args = _parse_magic_line(name, line)
            kwargs: dict[str, Any] = {"timeout": timeout or default}
            if args:
                kwargs["args"] = args
            result = runner(cell, **kwargs)
            if out:
                ip.user_ns[out] = result

        magic.__doc__ = f"Run the cell as {name.replace('_', ' ')}: `-o name` keeps the JvmResult (its .stdout) in a Python variable."
        return magic

    ip.register_magic_function(make("java", run_java, 30.0), magic_kind="cell", magic_name="java")
    ip.register_magic_function(make("scala", run_scala, 60.0), magic_kind="cell", magic_name="scala")
    ip.register_magic_function(make("spark_scala", run_spark_scala, 120.0), magic_kind="cell", magic_name="spark_scala")
