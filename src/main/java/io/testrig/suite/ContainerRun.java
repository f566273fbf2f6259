package io.testrig.suite;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

  private final DockerClient docker;
  private final Redactor redactor;

  ContainerRun(DockerClient docker, Redactor redactor) {
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
    InspectContainerResponse.ContainerState state =
        docker.inspectContainerCmd(id).exec().getState();
    Long code = state.getExitCodeLong();
    boolean oomKilled = Boolean.TRUE.equals(state.getOOMKilled());
    if (!oomKilled && !timedOut && code != null && code == SIGKILL_EXIT) {
      oomKilled = awaitOomFlag(id);
    }
    Path log = saveLog(id, dir.resolve("output.log"));
    List<Path> files;
    boolean missing = false;
    try (InputStream tar = docker.copyArchiveFromContainerCmd(id, reportsDir).exec()) {
      files = ReportFiles.extractXml(tar, dir, redactor);
    } catch (NotFoundException e) {
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
      if (Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getOOMKilled())) {
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
      try (WaitContainerResultCallback cb =
          docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())) {
        cb.awaitCompletion(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TestrigException(
            ExitCode.INTERRUPTED, "interrupted while waiting for suite container " + id, e);
      } catch (IOException e) {
        // Closing the wait stream failed; the state below is what counts.
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
    return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning());
  }

  private void kill(String id) {
    try {
      docker.killContainerCmd(id).exec();
    } catch (NotModifiedException | ConflictException | NotFoundException e) {
      // It stopped in the meantime.
    }
  }

  /** The container's whole log, stdout and stderr, with the engine's timestamps, redacted. */
  private Path saveLog(String id, Path file) {
    SafePaths.requireFileTarget(file, "artifact");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        LogSink sink = new LogSink(w, redactor)) {
      docker
          .logContainerCmd(id)
          .withStdOut(true)
          .withStdErr(true)
          .withTimestamps(true)
          .withFollowStream(false)
          .exec(sink)
          .awaitCompletion(2, TimeUnit.MINUTES);
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
  static final class LogSink extends ResultCallback.Adapter<Frame> {
    private final Writer out;
    private final Redactor redactor;
    private final Map<StreamType, ByteArrayOutputStream> partial = new EnumMap<>(StreamType.class);

    LogSink(Writer out, Redactor redactor) {
      this.out = out;
      this.redactor = redactor;
    }

    @Override
    public synchronized void onNext(Frame frame) {
      ByteArrayOutputStream buf =
          partial.computeIfAbsent(frame.getStreamType(), k -> new ByteArrayOutputStream());
      for (byte b : frame.getPayload()) {
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
