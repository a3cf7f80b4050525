import java.io.*;
import java.lang.reflect.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import scala.tools.nsc.Global;
import scala.tools.nsc.Settings;
import scala.tools.nsc.reporters.ConsoleReporter;

/** A warm Scala compiler (and runner of Spark programs) driven by one-line requests on stdin. */
public final class RcScalaWorker {
  public static void main(String[] a) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream reply = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    reply.println("@@rc READY");
    String line;
    while ((line = in.readLine()) != null) {
      String[] p = line.split("\t", -1);
      String answer;
      try {
        answer = p[0].equals("compile") ? compile(p) : run(p);
      } catch (Throwable t) {
        answer = "FAILED " + t;
      }
      reply.println("@@rc " + answer);
    }
    removeOwnFolder();  // stdin closed: the Python side has gone (perhaps killed, so its atexit never ran)
    System.exit(0);  // stop Spark's threads too
  }

  /** Delete the worker's working folder (its own rolecourse-scala-* temporary folder), best effort. */
  private static void removeOwnFolder() {
    Path home = Paths.get("").toAbsolutePath();
    if (home.getFileName() == null || !home.getFileName().toString().startsWith("rolecourse-scala-")) return;
    try (java.util.stream.Stream<Path> walk = Files.walk(home)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> { try { Files.deleteIfExists(f); } catch (IOException e) { /* in use: left */ } });
    } catch (IOException | RuntimeException e) {
      // a file vanished while walking (Spark cleaning up too): what is left stays
    }
  }

  /** compile TAB outdir TAB classpath TAB logfile TAB file... */
  static String compile(String[] p) throws Exception {
    StringWriter sw = new StringWriter();
    Settings s = new Settings();
    s.usejavacp().value_$eq(true);
    s.outdir().value_$eq(p[1]);
    if (!p[2].isEmpty()) s.classpath().value_$eq(p[2]);
    s.deprecation().value_$eq(true);
    ConsoleReporter r = new ConsoleReporter(s, new BufferedReader(new StringReader("")), new PrintWriter(sw, true));
    Global g = new Global(s, r);
    Global.Run run = g.new Run();
    List<String> files = Arrays.asList(p).subList(4, p.length);
    run.compile(scala.jdk.javaapi.CollectionConverters.asScala(files).toList());
    r.finish();
    Files.write(Paths.get(p[3]), sw.toString().getBytes(StandardCharsets.UTF_8));
    return r.hasErrors() ? "ERR" : "OK";
  }

  /** run TAB class TAB outfile TAB errfile: main() in this JVM, its output captured. */
  static String run(String[] p) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    PrintStream po = new PrintStream(out, true, "UTF-8"), pe = new PrintStream(err, true, "UTF-8");
    PrintStream oldOut = System.out, oldErr = System.err;
    String status = "OK";
    System.setOut(po);
    System.setErr(pe);
    try {
      Method main = Class.forName(p[1]).getMethod("main", String[].class);
      scala.Console$.MODULE$.withOut(po, new scala.runtime.AbstractFunction0<Object>() {
        public Object apply() {
          return scala.Console$.MODULE$.withErr(pe, new scala.runtime.AbstractFunction0<Object>() {
            public Object apply() {
              try { main.invoke(null, (Object) new String[0]); }
              catch (InvocationTargetException e) { throw new Wrapped(e.getCause()); }
              catch (IllegalAccessException e) { throw new RuntimeException(e); }
              return null;
            }
          });
        }
      });
    } catch (Wrapped w) {
      Throwable t = w.getCause();
      pe.println(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
      for (StackTraceElement s : t.getStackTrace()) {
        if (s.getClassName().startsWith(p[1].substring(0, p[1].lastIndexOf('.') + 1)) && s.getFileName() != null) { pe.println("\tat " + s); break; }
      }
      status = "EXC";
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    Files.write(Paths.get(p[2]), out.toByteArray());
    Files.write(Paths.get(p[3]), err.toByteArray());
    return status;
  }

  static final class Wrapped extends RuntimeException {
    Wrapped(Throwable t) { super(t); }
  }
}
