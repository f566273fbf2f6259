package io.testrig.suite;

import io.testrig.backend.Backend;
import io.testrig.backend.BackendException;
import io.testrig.backend.ContainerInfo;
import io.testrig.backend.LogChunk;
import io.testrig.backend.LogOptions;
import io.testrig.backend.Subscription;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.SafePaths;
import io.testrig.core.TestrigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The second half of every container suite, however it was started: wait with the suite's timeout,
 * kill on timeout, read the final state (OOMKilled, exit code), save the log and copy the reports
 * out of the stopped container. Removal is the caller's, in a finally.
 */
final class ContainerRun {
  /** How long the kill of a timed-out suite may take to show in its state. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(10);

  /** How long a SIGKILLed container may take to show State.OOMKilled (see awaitOomFlag). */
  private static final Duration OOM_GRACE = Duration.ofSeconds(2);

  /** 128 + 9: the exit code of a main process killed by SIGKILL, as the OOM killer does. */
  private static final long SIGKILL_EXIT = 137;

  private final Backend docker;
  private final Redactor redactor;

  ContainerRun(Backend docker, Redactor redactor) {
    this.docker = docker;
    this.redactor = redactor;
  }

  /** Outcome of the container part; the runner phrases the problem from it. */
  record Outcome(
      int exitCode,
      boolean oomKilled,
      boolean timedOut,
      Duration duration,
      Path logFile,
      List<Path> junitFiles,
      boolean reportsMissing) {}

  Outcome finish(String id, String reportsDir, Duration timeout, long startNanos, Path dir) {
    boolean timedOut = !awaitExit(id, startNanos + timeout.toNanos());
    if (timedOut) {
      kill(id);
      awaitExit(id, System.nanoTime() + KILL_GRACE.toNanos());
    }
    Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
    ContainerInfo state = docker.inspectContainer(id);
    Long code = state.exitCode();
    boolean oomKilled = state.oomKilled();
    if (!oomKilled && !timedOut && code != null && code == SIGKILL_EXIT) {
      oomKilled = awaitOomFlag(id);
    }
    Path log = saveLog(id, dir.resolve("output.log"));
    List<Path> files;
    boolean missing = false;
    try (InputStream tar = docker.copyFrom(id, reportsDir)) {
      files = ReportFiles.extractXml(tar, dir, redactor);
    } catch (BackendException.NotFound e) {
      files = List.of();
      missing = true;
    } catch (IOException e) {
      throw TestrigException.io(
          "cannot copy " + reportsDir + " out of container " + id + ": " + e.getMessage(), e);
    }
    return new Outcome(
        code == null ? -1 : code.intValue(), oomKilled, timedOut, duration, log, files, missing);
  }

  /**
   * Whether the engine marks a SIGKILLed container as OOM-killed within {@link #OOM_GRACE}. The
   * engine handles the kernel's OOM event and the exit event separately (moby daemon/monitor.go),
   * so the exit can be seen first and State.OOMKilled set a moment later; seen here on cgroup v1.
   */
  private boolean awaitOomFlag(String id) {
    long deadline = System.nanoTime() + OOM_GRACE.toNanos();
    while (System.nanoTime() < deadline) {
      sleep(100);
      if (docker.inspectContainer(id).oomKilled()) {
        return true;
      }
    }
    return false;
  }

  /** Waits until the container is not running or the deadline passes; true when it stopped. */
  private boolean awaitExit(String id, long deadlineNanos) {
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return !running(id);
      }
      long before = System.nanoTime();
      try {
        docker.awaitStop(id, Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TestrigException(
            ExitCode.INTERRUPTED, "interrupted while waiting for suite container " + id, e);
      }
      if (!running(id)) {
        return true;
      }
      if (System.nanoTime() - before < 100_000_000L) {
        // The wait stream ended early (engine hiccup): do not spin.
        sleep(200);
      }
    }
  }

  private boolean running(String id) {
    return docker.inspectContainer(id).running();
  }

  private void kill(String id) {
    try {
      docker.killContainer(id);
    } catch (BackendException.NotModified
        | BackendException.Conflict
        | BackendException.NotFound e) {
      // It stopped in the meantime.
    }
  }

  /** The container's whole log, stdout and stderr, with the engine's timestamps, redacted. */
  private Path saveLog(String id, Path file) {
    SafePaths.requireFileTarget(file, "artifact");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      LogSink sink = new LogSink(w, redactor);
      try (Subscription s = docker.logs(id, new LogOptions(true, false), sink::onNext)) {
        s.await(Duration.ofMinutes(2));
      }
      sink.flushPartial();
      return file;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestrigException(
          ExitCode.INTERRUPTED, "interrupted while saving the log of container " + id, e);
    } catch (IOException | UncheckedIOException e) {
      throw TestrigException.io("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestrigException(ExitCode.INTERRUPTED, "interrupted while running a suite", e);
    }
  }

  /**
   * Writes log frames line by line, redacting whole lines (the engine may split a long line into
   * several frames, and a secret must not escape by straddling two of them).
   */
  static final class LogSink {
    private final Writer out;
    private final Redactor redactor;
    private final Map<Boolean, ByteArrayOutputStream> partial = new TreeMap<>();

    LogSink(Writer out, Redactor redactor) {
      this.out = out;
      this.redactor = redactor;
    }

    synchronized void onNext(LogChunk chunk) {
      ByteArrayOutputStream buf =
          partial.computeIfAbsent(chunk.stderr(), k -> new ByteArrayOutputStream());
      for (byte b : chunk.bytes()) {
        if (b == '\n') {
          line(buf);
        } else {
          buf.write(b);
        }
      }
    }

    synchronized void flushPartial() {
      for (ByteArrayOutputStream buf : partial.values()) {
        if (buf.size() > 0) {
          line(buf);
        }
      }
    }

    private void line(ByteArrayOutputStream buf) {
      try {
        out.write(redactor.redact(buf.toString(StandardCharsets.UTF_8)));
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      buf.reset();
    }
  }
}
