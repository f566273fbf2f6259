package io.testrig.core;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The one way testrig starts an external process (docker, docker compose, openssl in tests). It
 * fails early when the binary is not on PATH and names the command and the tail of its output in
 * errors, as testcontainers' LocalDockerCompose does
 * (https://github.com/testcontainers/testcontainers-java, {@code LocalDockerCompose}).
 *
 * <p>Output passes through a redactor before it reaches any message, so a secret that a process
 * echoes never lands in an error line.
 */
public final class Exec {
  /** How many characters of a failed command's output an error message keeps. */
  static final int ERROR_TAIL_CHARS = 2_000;

  /**
   * Every child process running now, so an interrupted run can end them before it removes what they
   * were creating: a {@code compose up --no-start} still running when teardown removed the stack by
   * its labels would create containers and networks after that removal (issue 7, item 7).
   */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  /** Set once {@link #endAll} ran: no new child process starts after it. */
  private static volatile boolean ended;

  private final Map<String, String> environment = new LinkedHashMap<>();
  private final UnaryOperator<String> redactor;
  private Path workDir;

  public Exec(UnaryOperator<String> redactor) {
    this.redactor = redactor;
  }

  public Exec() {
    this(UnaryOperator.identity());
  }

  /** Extra environment for every process this executor starts (on top of the inherited one). */
  public Exec env(String key, String value) {
    environment.put(key, value);
    return this;
  }

  public Exec workDir(Path dir) {
    this.workDir = dir;
    return this;
  }

  /** The result of a finished process. Output is stdout and stderr as separate strings. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs a command to completion and returns its result whatever its exit code. */
  public Result run(List<String> command, Duration timeout) {
    return run(command, timeout, null);
  }

  /** Runs a command, feeding {@code stdin} (may be null), and returns its result. */
  public Result run(List<String> command, Duration timeout, byte[] stdin) {
    requireOnPath(command.get(0));
    CallCount.process(command);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(environment);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    Process p = started(pb, command);
    try {
      return await(p, command, timeout, stdin);
    } finally {
      LIVE.remove(p);
    }
  }

  /**
   * Starts the process and registers it as live, so {@link #endAll} (the signal path) kills it;
   * once that has run nothing new starts: a child started after it would outlive testrig.
   */
  private Process started(ProcessBuilder pb, List<String> command) {
    synchronized (LIVE) {
      if (ended) {
        throw new TestrigException(
            ExitCode.INTERRUPTED, "interrupted before '" + describe(command) + "' started");
      }
      try {
        Process p = pb.start();
        LIVE.add(p);
        return p;
      } catch (IOException e) {
        throw new TestrigException(
            ExitCode.ENGINE_UNAVAILABLE,
            "cannot start '" + describe(command) + "': " + e.getMessage(),
            e);
      }
    }
  }

  /**
   * Runs a command until it ends, passing its stdout and stderr to {@code out} and {@code err} as
   * they arrive (decoded as UTF-8), with this process's stdin when {@code inheritStdin} (an
   * interactive {@code testrig exec}: the child sees the terminal itself), else none. No timeout:
   * for commands the user ends ({@code logs -f}); Ctrl-C reaches the child through the terminal's
   * process group. Returns the exit code.
   */
  public int stream(List<String> command, Writer out, Writer err, boolean inheritStdin) {
    requireOnPath(command.get(0));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(environment);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    pb.redirectInput(
        inheritStdin
            ? ProcessBuilder.Redirect.INHERIT
            : ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = started(pb, command);
    try {
      Thread o = pumpChars(p.getInputStream(), out);
      Thread e = pumpChars(p.getErrorStream(), err);
      int code = p.waitFor();
      o.join();
      e.join();
      return code;
    } catch (InterruptedException ie) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TestrigException(
          ExitCode.INTERRUPTED, "interrupted while running '" + describe(command) + "'", ie);
    } finally {
      LIVE.remove(p);
    }
  }

  /** Copies decoded characters as they arrive (a read returns what is there), then flushes. */
  private static Thread pumpChars(InputStream in, Writer sink) {
    Thread t =
        new Thread(
            () -> {
              char[] buf = new char[8192];
              try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                for (int n; (n = r.read(buf)) >= 0; ) {
                  sink.write(buf, 0, n);
                }
                sink.flush();
              } catch (IOException e) {
                // The reader ends with the process; what arrived was written.
              }
            },
            "exec-stream");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Kills every running child process (and its descendants, e.g. the compose plugin under {@code
   * docker}) and waits up to {@code wait} for them to end; from then on no child process starts.
   * For the interrupt path only: what they were creating is removed by labels afterwards, once
   * nothing can create more. Returns how many were running.
   */
  public static int endAll(Duration wait) {
    List<Process> running;
    synchronized (LIVE) {
      ended = true;
      running = new ArrayList<>(LIVE);
    }
    for (Process p : running) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    long deadline = System.nanoTime() + wait.toNanos();
    for (Process p : running) {
      try {
        p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return running.size();
  }

  private Result await(Process p, List<String> command, Duration timeout, byte[] stdin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread o = pump(p.getInputStream(), out);
    Thread e = pump(p.getErrorStream(), err);
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException ignored) {
      // The process may exit without reading its input; its exit code tells what happened.
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new TestrigException(
            ExitCode.ENGINE_UNAVAILABLE,
            "'" + describe(command) + "' did not finish within " + Durations.approx(timeout));
      }
      o.join(5_000);
      e.join(5_000);
    } catch (InterruptedException ie) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TestrigException(
          ExitCode.INTERRUPTED, "interrupted while running '" + describe(command) + "'", ie);
    }
    return new Result(
        List.copyOf(command),
        p.exitValue(),
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs a command and returns its stdout; a non-zero exit becomes a {@link TestrigException} with
   * {@code failure} as exit code, naming the command and the tail of its (redacted) output.
   */
  public String check(List<String> command, Duration timeout, ExitCode failure) {
    Result r = run(command, timeout);
    if (!r.ok()) {
      throw new TestrigException(failure, failureMessage(r));
    }
    return r.stdout();
  }

  /** A one-line description of a failed result: command, exit code, last output line(s). */
  public String failureMessage(Result r) {
    String output = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
    if (output.length() > ERROR_TAIL_CHARS) {
      output = "..." + output.substring(output.length() - ERROR_TAIL_CHARS);
    }
    return "'"
        + describe(r.command())
        + "' exited with "
        + r.exitCode()
        + (output.isEmpty()
            ? ""
            : ": " + redactor.apply(output).replace('\n', ' ').replace('\r', ' '));
  }

  /** Fails early, with a clear message, when {@code binary} is neither a path nor on PATH. */
  public static void requireOnPath(String binary) {
    if (findOnPath(binary) == null) {
      throw new TestrigException(
          ExitCode.ENGINE_UNAVAILABLE, "'" + binary + "' is not installed or not on PATH");
    }
  }

  /** The resolved path of {@code binary}, or null. */
  public static Path findOnPath(String binary) {
    if (binary.contains(File.separator)) {
      Path p = Path.of(binary);
      return Files.isExecutable(p) ? p : null;
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private String describe(List<String> command) {
    List<String> shown = new ArrayList<>(command.size());
    for (String arg : command) {
      shown.add(redactor.apply(arg));
    }
    return String.join(" ", shown);
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
    Thread t =
        new Thread(
            () -> {
              try (in) {
                in.transferTo(sink);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "exec-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
