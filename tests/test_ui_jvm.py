"""Tests for rolecourse.ui.jvm: real Java and Scala compiled and run from Python, and the cell magics.

They start the real JDK (and, for Scala, pyspark's Scala 2.13 jars). Without them they are
skipped, except under ``CI=true``, where a missing JDK or pyspark is a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest

from rolecourse.errors import RolecourseError, UsageError
from rolecourse.ui import jvm
from rolecourse.ui.jvm import (
    JAVA_INSTALL_HINT,
    SCALA_INSTALL_HINT,
    JvmError,
    JvmNotFoundError,
    java_function,
    load_ipython_extension,
    require_java,
    require_scala,
    run_java,
    run_scala,
    run_spark_scala,
    scala_function,
)

ON_CI = os.environ.get("CI") == "true"
HAVE_JAVA = shutil.which("javac") is not None and shutil.which("java") is not None
HAVE_SCALA = HAVE_JAVA and jvm._pyspark_jars() is not None
needs_java = pytest.mark.skipif(not HAVE_JAVA and not ON_CI, reason="no JDK (apt-get install openjdk-17-jdk-headless); required when CI=true")
needs_scala = pytest.mark.skipif(not HAVE_SCALA and not ON_CI, reason="no JDK or pyspark (its jars carry Scala 2.13); required when CI=true")


# -- reading source, without a JVM ----------------------------------------------------------------


def test_java_file_name_and_main_class_are_read_from_the_source():
    """The public class names the file; the class with `static void main` runs, whatever comes first or sits in comments."""
    code = "// public class Fake { static void main(String[] a) {} }\nrecord P(int a) {}\ninterface Shape { double area(); }\npublic final class Demo {\n  public static void main(String[] a) { System.out.println(\"class X {\"); }\n}\n"
    assert jvm._java_file_and_main(code) == ("Demo", "Demo")
    assert jvm._java_file_and_main("class A {}\nclass B { static void main(String[] a) {} }") == ("A", "B")


def test_scala_main_object_is_the_one_with_main_or_app():
    """Case classes without a body and helper objects are skipped; `extends App` or `def main` marks the program."""
    code = "case class Order(id: Int,\n  amount: Double)\nsealed trait Shape\nobject Helpers { val s = \"object X { def main(\" }\nobject Main extends App {\n  println(1)\n}\n"
    assert jvm._scala_main(code) == "Main"
    assert jvm._scala_main("object Job {\n  def main(args: Array[String]): Unit = ()\n}") == "Job"
    assert jvm._scala_main("object Helpers { def f = 1 }") is None


def test_missing_jdk_is_one_line_naming_the_install(monkeypatch):
    """With no javac on the PATH, run_java raises JvmNotFoundError: one line with the apt-get and conda commands."""
    monkeypatch.setattr(jvm.shutil, "which", lambda name: None)
    with pytest.raises(JvmNotFoundError) as err:
        run_java("public class A { public static void main(String[] a) {} }")
    assert str(err.value) == JAVA_INSTALL_HINT and "\n" not in JAVA_INSTALL_HINT
    assert "apt-get install openjdk-17-jdk-headless" in JAVA_INSTALL_HINT
    assert isinstance(err.value, RolecourseError)


@needs_java
def test_missing_pyspark_jars_is_one_line_naming_the_install(monkeypatch):
    """Without pyspark's jars, Scala raises JvmNotFoundError naming pip install; nothing starts."""
    monkeypatch.setattr(jvm, "_pyspark_jars", lambda: None)
    with pytest.raises(JvmNotFoundError) as err:
        run_scala("object Main extends App { println(1) }")
    assert str(err.value) == SCALA_INSTALL_HINT and "pip install" in SCALA_INSTALL_HINT and "\n" not in SCALA_INSTALL_HINT


def test_bad_targets_and_files_are_usage_errors(tmp_path):
    """A method must be named Class.method; a file to copy must be a plain relative name."""
    with pytest.raises(UsageError):
        java_function("class A {}", "justmethod")
    with pytest.raises(UsageError):
        jvm._write_files(tmp_path, {"../escape.txt": "x"})


def test_ci_has_java_and_scala():
    """Under CI=true the JDK and pyspark's Scala jars must be installed (the JVM lessons are tested there)."""
    if not ON_CI:
        pytest.skip("only checked when CI=true")
    assert require_java() and require_scala()["library"].is_file()


# -- Java ---------------------------------------------------------------------------------------


@needs_java
def test_run_java_prints_and_returns_output_with_args_stdin_and_files(capsys):
    """The program's output is printed and returned; args, stdin and files reach it; its folder is temporary."""
    code = (
        "import java.nio.file.*;\nimport java.util.*;\n"
        "public class Echo {\n  public static void main(String[] args) throws Exception {\n"
        "    Scanner in = new Scanner(System.in);\n"
        "    System.out.println(String.join(\"+\", args) + \" \" + in.nextLine() + \" \" + Files.readString(Path.of(\"note.txt\")).strip());\n"
        "  }\n}\n"
    )
    result = run_java(code, args=["a", "b"], stdin="typed\n", files={"note.txt": "hello\n"})
    assert result.stdout == "a+b typed hello\n" and result.lines == ["a+b typed hello"]
    assert capsys.readouterr().out == "a+b typed hello\n"


@needs_java
def test_compile_errors_and_exceptions_are_jvm_errors_with_the_line():
    """javac's message names the file and line (no temporary path); an uncaught exception gives its type, message and line."""
    with pytest.raises(JvmError) as err:
        run_java("public class A {\n  public static void main(String[] a) {\n    int x = \"s\";\n  }\n}\n", echo=False)
    assert "A.java:3: error: incompatible types" in str(err.value) and "/tmp" not in str(err.value)
    with pytest.raises(JvmError) as err:
        run_java("public class B {\n  public static void main(String[] a) {\n    int[] x = new int[2];\n    x[3] = 1;\n  }\n}\n", echo=False)
    assert str(err.value).startswith("java.lang.ArrayIndexOutOfBoundsException: Index 3 out of bounds for length 2") and "B.java:4" in str(err.value)
    with pytest.raises(JvmError, match="nothing to run"):
        run_java("public class C { }", echo=False)


@needs_java
def test_endless_program_stops_at_the_time_limit():
    """A program over its time limit is killed and reported."""
    with pytest.raises(JvmError, match="time limit of 3 s"):
        run_java("public class L { public static void main(String[] a) { while (true) {} } }", timeout=3, echo=False)


@needs_java
def test_java_function_converts_arguments_and_results():
    """Lists, maps, doubles and ints go in by the parameter types; records become dicts, Optional a value or None."""
    code = (
        "import java.util.*;\npublic class Stats {\n"
        "  public record Count(String word, int n) {}\n"
        "  public static double mean(List<Double> xs) { double s = 0; for (double x : xs) s += x; return s / xs.size(); }\n"
        "  public static List<Count> counts(String[] words) { Map<String, Integer> m = new TreeMap<>();\n"
        "    for (String w : words) m.merge(w, 1, Integer::sum);\n"
        "    List<Count> out = new ArrayList<>(); m.forEach((k, v) -> out.add(new Count(k, v))); return out; }\n"
        "  public static Optional<Integer> half(int x) { return x % 2 == 0 ? Optional.of(x / 2) : Optional.empty(); }\n"
        "  public static Map<String, Long> totals(Map<String, Long> m) { return new TreeMap<>(m); }\n"
        "  public static int div(int a, int b) { return a / b; }\n}\n"
    )
    mean = java_function(code, "Stats.mean")
    assert mean([1, 2, 3.5]) == pytest.approx(2.1666666666666665)
    caller = jvm._method_caller(mean._compiled, [], "Stats.counts", "Java", 10)
    assert caller(["b", "a", "b"]) == [{"word": "a", "n": 1}, {"word": "b", "n": 2}]
    assert jvm._method_caller(mean._compiled, [], "Stats.half", "Java", 10)(4) == 2
    assert jvm._method_caller(mean._compiled, [], "Stats.half", "Java", 10)(3) is None
    assert jvm._method_caller(mean._compiled, [], "Stats.totals", "Java", 10)({"b": 2, "a": 5}) == {"a": 5, "b": 2}
    with pytest.raises(JvmError, match=r"ArithmeticException: / by zero \(at Stats.java:10\)"):
        jvm._method_caller(mean._compiled, [], "Stats.div", "Java", 10)(1, 0)
    with pytest.raises(JvmError, match="no public static method nope"):
        jvm._method_caller(mean._compiled, [], "Stats.nope", "Java", 10)(1)


@needs_java
def test_java_magic_runs_the_cell_and_keeps_the_result(capsys):
    """%%java runs the cell; -o keeps the JvmResult; a bad flag is a UsageError."""

    class Shell:
        def __init__(self) -> None:
            self.user_ns: dict[str, object] = {}
            self.magics: dict[str, object] = {}

        def register_magic_function(self, fn, magic_kind, magic_name):
            assert magic_kind == "cell"
            self.magics[magic_name] = fn

    ip = Shell()
    load_ipython_extension(ip)
    assert set(ip.magics) == {"java", "scala", "spark_scala"}
    ip.magics["java"]("-o res -- x y", "public class M { public static void main(String[] a) { System.out.println(a.length); } }")
    assert ip.user_ns["res"].stdout == "2\n"
    with pytest.raises(UsageError):
        ip.magics["java"]("-q", "class A {}")


# -- Scala --------------------------------------------------------------------------------------


@needs_scala
def test_run_scala_compiles_on_the_warm_worker_and_runs():
    """Scala 2.13 compiles (case classes, collections) and runs; errors come back as scalac's message; the worker is reused."""
    result = run_scala("case class Order(id: Int, amount: Double)\nobject Main extends App {\n  println(List(Order(1, 2.5), Order(2, 4.0)).map(_.amount).sum)\n}\n", echo=False)
    assert result.stdout == "6.5\n"
    pid = jvm._workers[False].pid
    with pytest.raises(JvmError, match=r"(?s)Main.scala:2: error: type mismatch.*required: Int"):
        run_scala("object Main extends App {\n  val x: Int = \"s\"\n}\n", echo=False)
    with pytest.raises(JvmError, match="NoSuchElementException: head of empty list"):
        run_scala("object Main extends App { println(List.empty[Int].head) }", echo=False)
    assert jvm._workers[False].pid == pid
    assert jvm.scala_version().startswith("2.13.")


@needs_scala
def test_scala_function_converts_lists_maps_options_and_case_classes():
    """Scala Lists and Maps go in; case classes come back as dicts, tuples as lists, Option as a value or None."""
    code = (
        "case class Stat(name: String, total: Double)\nobject Stats {\n"
        "  def total(xs: List[Double]): Double = xs.sum\n"
        "  def stats(m: Map[String, Double]): List[Stat] = m.toList.sortBy(_._1).map { case (k, v) => Stat(k, v) }\n"
        "  def half(x: Int): Option[Int] = if (x % 2 == 0) Some(x / 2) else None\n"
        "  def pair(x: Int): (Int, String) = (x, x.toString)\n}\n"
    )
    total = scala_function(code, "Stats.total")
    assert total([1.0, 2.5]) == 3.5
    lib = [str(require_scala()["library"])]
    assert jvm._method_caller(total._compiled, lib, "Stats.stats", "Scala", 10)({"b": 2.0, "a": 1.5}) == [{"name": "a", "total": 1.5}, {"name": "b", "total": 2.0}]
    assert jvm._method_caller(total._compiled, lib, "Stats.half", "Scala", 10)(3) is None
    assert jvm._method_caller(total._compiled, lib, "Stats.pair", "Scala", 10)(7) == [7, "7"]


@needs_scala
@pytest.mark.slow
def test_spark_scala_program_runs_in_the_warm_spark_jvm_and_is_stopped():
    """A Dataset program runs on local Spark; a second program reuses the session; stop_scala stops the JVM by its PID."""
    code = (
        "import org.apache.spark.sql.SparkSession\nimport org.apache.spark.sql.functions._\n"
        "case class Sale(region: String, amount: Double)\nobject Main {\n  def main(args: Array[String]): Unit = {\n"
        "    val spark = SparkSession.builder().getOrCreate()\n    import spark.implicits._\n"
        "    val ds = Seq(Sale(\"n\", 1.0), Sale(\"s\", 2.0), Sale(\"n\", 3.5)).toDS()\n"
        "    println(ds.groupBy(\"region\").agg(sum(\"amount\")).orderBy(\"region\").collect().mkString(\",\"))\n"
        "    println(spark.sparkContext.master)\n  }\n}\n"
    )
    try:
        assert run_spark_scala(code, echo=False).stdout == "[n,4.5],[s,2.0]\nlocal[2]\n"
        with pytest.raises(JvmError, match="AnalysisException"):
            run_spark_scala(code.replace('groupBy("region")', 'groupBy("regio")'), echo=False)
        with pytest.raises(JvmError, match="value amout is not a member of Sale") as compile_error:
            run_spark_scala(code.replace("ds.groupBy", "ds.map(_.amout).groupBy"), echo=False)
        assert "rc_run" not in str(compile_error.value)  # the package each program is compiled into is not shown
        worker = jvm._workers[True]
        pid, folder = worker.pid, worker.folder
        assert run_spark_scala(code, echo=False).stdout.startswith("[n,4.5]")
        assert worker.pid == pid
    finally:
        jvm.stop_scala()
    assert not jvm._workers[True].running and folder is not None and not folder.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@needs_scala
@pytest.mark.slow
def test_spark_worker_removes_its_folder_when_python_is_killed():
    """A kernel killed as Jupyter kills it (SIGKILL to its process group, no atexit): the worker JVM, in its own session,
    sees its stdin close, removes its temporary folder and exits."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    child = subprocess.Popen([sys.executable, "-c", (
        "from rolecourse.ui import jvm\n"
        "jvm.run_spark_scala('import org.apache.spark.sql.SparkSession\\nobject Main { def main(args: Array[String]): Unit = "
        "println(SparkSession.builder().getOrCreate().range(3).count()) }', echo=False, timeout=600)\n"
        "print(jvm._workers[True].folder, jvm._workers[True].pid, flush=True)\n"
        "import time; time.sleep(600)\n"
    )], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        folder, pid = child.stdout.readline().split()
        assert Path(folder).is_dir()
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # what jupyter_client's LocalProvisioner.kill does
        child.wait()
    for _ in range(60):
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            break
        time.sleep(0.5)
    else:
        os.kill(int(pid), signal.SIGKILL)
        pytest.fail("the worker JVM did not exit after its stdin closed")
    assert not Path(folder).exists()
