package io.testrig.run;

import io.testrig.compose.ProgressListener;
import io.testrig.core.Durations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What every command prints while it works (the one progress abstraction: {@code run}, {@code up}
 * and the stack's per-service events through {@link #services}). Three forms, chosen by {@link
 * #forEnvironment}: plain lines; plain lines inside GitLab's collapsible sections when running in
 * GitLab CI; and on a terminal a live block with one line per service, redrawn in place. All text
 * goes through the injected writer, which masks secrets.
 */
public abstract class Output {
  final PrintWriter out;
  final PrintWriter err;
  final Clock clock;

  Output(PrintWriter out, PrintWriter err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /**
   * GitLab when CI=true or GITLAB_CI is set, a live display when stdout is a terminal, plain lines
   * otherwise.
   */
  public static Output forEnvironment(
      PrintWriter out, PrintWriter err, Function<String, String> env, boolean tty) {
    if (env.apply("GITLAB_CI") != null || "true".equalsIgnoreCase(env.apply("CI"))) {
      return new GitLab(out, err, Clock.systemUTC());
    }
    return tty ? new Live(out, err, Clock.systemUTC()) : new Plain(out, err, Clock.systemUTC());
  }

  /** A phase begins (render, certs, stack up, a suite, teardown). {@code id} is a short slug. */
  public abstract void phaseStart(String id, String title);

  /** A phase ends. */
  public abstract void phaseEnd(String id, boolean ok, Duration took);

  /** A service changed state (starting, healthy, ready, exited 0, failed...). */
  public abstract void service(String scope, String service, String state, Duration elapsed);

  /**
   * The listener a stack coming up reports to ({@link ProgressListener}, called from several
   * threads): each event becomes a {@link #service} line of {@code scope} (a matrix config's name,
   * or empty) with the time since that service's first event.
   */
  public ProgressListener services(String scope) {
    Map<String, Long> started = new ConcurrentHashMap<>();
    return (service, state, detail) -> {
      long first = started.computeIfAbsent(service, s -> clock.millis());
      String name = state.name().toLowerCase(Locale.ROOT);
      String text =
          detail == null || detail.isBlank()
              ? name
              : detail.startsWith(name) ? detail : name + ": " + detail;
      service(scope, service, text, Duration.ofMillis(clock.millis() - first));
    };
  }

  /** A line of information. */
  public synchronized void info(String line) {
    out.println(line);
  }

  /** A one-line error, on the error stream (after what stdout holds so far). */
  public synchronized void error(String line) {
    out.flush();
    err.println(line);
    err.flush();
  }

  /** Plain lines: one per event, greppable. */
  static class Plain extends Output {
    Plain(PrintWriter out, PrintWriter err, Clock clock) {
      super(out, err, clock);
    }

    @Override
    public synchronized void phaseStart(String id, String title) {
      out.println("==> " + title);
    }

    @Override
    public synchronized void phaseEnd(String id, boolean ok, Duration took) {
      out.println("<== " + id + (ok ? " ok" : " FAILED") + " (" + Durations.approx(took) + ")");
    }

    @Override
    public synchronized void service(String scope, String service, String state, Duration elapsed) {
      out.println(
          "    " + prefix(scope) + service + ": " + state + " (" + Durations.approx(elapsed) + ")");
    }
  }

  /**
   * GitLab's collapsible sections: {@code \e[0Ksection_start:<epoch>:<name>\r\e[0K<header>} and a
   * matching section_end (https://docs.gitlab.com/ci/jobs/job_logs/#custom-collapsible-sections).
   * Names allow letters, digits, '_', '.', '-'.
   */
  static final class GitLab extends Plain {
    GitLab(PrintWriter out, PrintWriter err, Clock clock) {
      super(out, err, clock);
    }

    @Override
    public synchronized void phaseStart(String id, String title) {
      out.print(
          "\u001b[0Ksection_start:"
              + clock.instant().getEpochSecond()
              + ":"
              + sectionName(id)
              + "[collapsed=false]\r\u001b[0K");
      out.println(title);
    }

    @Override
    public synchronized void phaseEnd(String id, boolean ok, Duration took) {
      super.phaseEnd(id, ok, took);
      out.print(
          "\u001b[0Ksection_end:"
              + clock.instant().getEpochSecond()
              + ":"
              + sectionName(id)
              + "\r\u001b[0K");
      out.println();
    }

    static String sectionName(String id) {
      return "testrig_" + id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
  }

  /**
   * A terminal: phases as plain lines, and below them a block with one line per service that is
   * redrawn in place (cursor up, erase line) whenever a service changes state.
   */
  static final class Live extends Output {
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;

    Live(PrintWriter out, PrintWriter err, Clock clock) {
      super(out, err, clock);
    }

    @Override
    public synchronized void phaseStart(String id, String title) {
      settle();
      out.println("\u001b[1m==> " + title + "\u001b[0m");
    }

    @Override
    public synchronized void phaseEnd(String id, boolean ok, Duration took) {
      settle();
      out.println(
          (ok ? "\u001b[32m<== " : "\u001b[31m<== ")
              + id
              + (ok ? " ok" : " FAILED")
              + "\u001b[0m ("
              + Durations.approx(took)
              + ")");
    }

    @Override
    public synchronized void service(String scope, String service, String state, Duration elapsed) {
      lines.put(prefix(scope) + service, state + " (" + Durations.approx(elapsed) + ")");
      redraw();
    }

    @Override
    public synchronized void info(String line) {
      settle();
      out.println(line);
    }

    private void redraw() {
      if (drawn > 0) {
        out.print("\u001b[" + drawn + "F");
      }
      for (Map.Entry<String, String> e : lines.entrySet()) {
        out.print("\u001b[2K    " + e.getKey() + ": " + e.getValue() + "\n");
      }
      drawn = lines.size();
      out.flush();
    }

    /** Leaves the current block as it is on screen and starts a new one below it. */
    private void settle() {
      lines.clear();
      drawn = 0;
    }
  }

  static String prefix(String scope) {
    return scope == null || scope.isEmpty() ? "" : "[" + scope + "] ";
  }
}
