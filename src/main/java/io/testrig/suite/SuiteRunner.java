package io.testrig.suite;

import io.testrig.backend.Backend;
import io.testrig.backend.BackendException;
import io.testrig.backend.ContainerSpec;
import io.testrig.core.Durations;
import io.testrig.core.Exec;
import io.testrig.core.ExitCode;
import io.testrig.core.FileTrees;
import io.testrig.core.Redactor;
import io.testrig.core.SafePaths;
import io.testrig.core.TestrigException;
import io.testrig.core.Text;
import io.testrig.engine.Engine;
import io.testrig.rig.SuiteSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one test suite against a stack and collects its JUnit XML into {@code
 * <artifactDir>/suites/<name>/}, next to its log ({@code output.log}).
 *
 * <ul>
 *   <li>{@code service}: {@code docker compose ... run --detach --no-deps} of that service (a
 *       service behind a profile is enabled by naming it), so compose applies everything the
 *       service declares; the stack is already up, so its dependencies are not started again.
 *   <li>{@code image} (+ {@code command}): a container created through the backend on the stack
 *       network, the suite's name as network alias, the memory limit, the target's env and labels.
 *   <li>{@code junit}: junit-platform-console-standalone; in the {@code image} when one is given
 *       (the jar and the classpath are copied in), otherwise (or with {@code local: true}) on the
 *       host with the JVM running testrig.
 * </ul>
 *
 * Every container is removed afterwards, whatever happened. Bad rig input throws a {@link
 * TestrigException} ({@link ExitCode#BAD_INPUT}); whatever the suite itself does (fails, is killed,
 * writes nothing) comes back in the {@link SuiteResult}.
 */
public final class SuiteRunner {
  /** Label naming the suite on its container (besides the target's run labels). */
  public static final String SUITE_LABEL = "io.testrig.suite";

  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Engine engine;
  private final Path artifactDir;
  private final Redactor redactor;
  private final Path junitConsole;
  private final Shard shard;

  /** The console launcher comes from TESTRIG_JUNIT_CONSOLE or the builder image's path. */
  public SuiteRunner(Engine engine, Path artifactDir, Redactor redactor) {
    this(engine, artifactDir, redactor, JunitLaunch.consoleJar(System.getenv()));
  }

  /**
   * @param engine may be null when only local JVM suites run
   * @param junitConsole path of junit-platform-console-standalone.jar
   */
  public SuiteRunner(Engine engine, Path artifactDir, Redactor redactor, Path junitConsole) {
    this(engine, artifactDir, redactor, junitConsole, Shard.fromEnv(System.getenv()));
  }

  /**
   * @param shard this job's part of each suite (GitLab's CI_NODE_INDEX of CI_NODE_TOTAL)
   */
  public SuiteRunner(
      Engine engine, Path artifactDir, Redactor redactor, Path junitConsole, Shard shard) {
    this.engine = engine;
    this.artifactDir = artifactDir;
    this.redactor = redactor;
    this.junitConsole = junitConsole;
    this.shard = shard;
  }

  /** Where a suite's files go: {@code <artifactDir>/suites/<name>}. */
  public Path suiteDir(String name) {
    return artifactDir.resolve("suites").resolve(name);
  }

  public SuiteResult run(SuiteSpec spec, SuiteTarget target) {
    boolean local = spec instanceof SuiteSpec.LocalJvm;
    check(spec, target, local);
    spec = shard.spec(spec, target.rigDir());
    target = shard.target(target);
    Path dir = freshDir(spec.name());
    return spec instanceof SuiteSpec.LocalJvm l
        ? runLocal(l, target, dir)
        : runContainer(spec, target, dir);
  }

  /**
   * The console launcher testrig uses: TESTRIG_JUNIT_CONSOLE in {@code env}, else the builder
   * image's path (for the validation pass, which checks it before anything starts).
   */
  public static Path junitConsole(java.util.Map<String, String> env) {
    return JunitLaunch.consoleJar(env);
  }

  private void check(SuiteSpec spec, SuiteTarget target, boolean local) {
    String at = "suites." + spec.name();
    if (spec instanceof SuiteSpec.ComposeService && target.compose() == null) {
      throw TestrigException.badInput(at + ".service: needs a compose stack (stack.files)");
    }
    Exits.memoryBytes(spec.memory(), spec.name());
    if (spec instanceof SuiteSpec.Jvm jvm) {
      JunitLaunch.requireConsole(junitConsole, spec.name());
      JunitLaunch.classpath(jvm, target.rigDir());
    }
    if (!local && engine == null) {
      throw new TestrigException(
          ExitCode.ENGINE_UNAVAILABLE, "suite " + spec.name() + " needs a Docker engine");
    }
  }

  // ---------------------------------------------------------------- containers

  private SuiteResult runContainer(SuiteSpec spec, SuiteTarget target, Path dir) {
    Backend docker = engine.backend();
    String name = containerName(target, spec);
    Map<String, String> labels = new LinkedHashMap<>(target.labels());
    labels.put(SUITE_LABEL, spec.name());
    long start = System.nanoTime();
    RuntimeException failure = null;
    try {
      String id;
      if (spec instanceof SuiteSpec.ComposeService service) {
        String problem = composeRun(service, target, name, labels);
        if (problem != null) {
          return notStarted(spec, start, problem);
        }
        id = name;
      } else {
        Created c = create(docker, spec, target, name, labels);
        if (c.problem() != null) {
          return notStarted(spec, start, c.problem());
        }
        id = c.id();
        if (spec instanceof SuiteSpec.JvmInContainer jvm) {
          upload(docker, id, jvm, target);
        }
        start = System.nanoTime();
        try {
          docker.startContainer(id);
        } catch (BackendException e) {
          // The suite's own fault (e.g. its command is not in the image), not the engine's.
          return notStarted(spec, start, "container did not start: " + redactor.redact(oneLine(e)));
        }
      }
      ContainerRun.Outcome o =
          new ContainerRun(docker, redactor).finish(id, spec.reports(), spec.timeout(), start, dir);
      return result(spec, o);
    } catch (BackendException e) {
      failure =
          new TestrigException(
              ExitCode.ENGINE_UNAVAILABLE,
              "suite " + spec.name() + ": the engine failed: " + redactor.redact(oneLine(e)),
              e);
      throw failure;
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      remove(docker, name, failure);
    }
  }

  /** A created container's id, or why there is none (its image is missing and cannot be pulled). */
  private record Created(String id, String problem) {}

  private Created create(
      Backend docker, SuiteSpec spec, SuiteTarget target, String name, Map<String, String> labels) {
    List<String> command;
    String image;
    if (spec instanceof SuiteSpec.JvmInContainer jvm) {
      image = jvm.image();
      command = new ArrayList<>(List.of("java", "-jar", JunitLaunch.REMOTE_JAR));
      command.addAll(
          JunitLaunch.args(remoteClasspath(jvm, target), jvm.junit().select(), spec.reports()));
    } else {
      SuiteSpec.Image plain = (SuiteSpec.Image) spec;
      image = plain.image();
      command = plain.command();
    }
    Long memory = Exits.memoryBytes(spec.memory(), spec.name());
    List<String> env = new ArrayList<>();
    RunView.containerEnv(target).forEach((k, v) -> env.add(k + "=" + v));
    // The suite's name as network alias, so services can reach it back by name.
    String alias = target.network() == null ? null : spec.name();
    ContainerSpec container =
        new ContainerSpec(
            image,
            name,
            labels,
            env,
            command,
            memory,
            target.network(),
            alias,
            RunView.mounts(target));
    for (int attempt = 0; ; attempt++) {
      try {
        return new Created(docker.createContainer(container), null);
      } catch (BackendException.NotFound e) {
        String pullError = attempt > 0 ? "still missing after the pull" : pull(docker, image);
        if (pullError != null) {
          return new Created(null, "image '" + image + "' is not available: " + pullError);
        }
      }
    }
  }

  private List<String> remoteClasspath(SuiteSpec.Jvm spec, SuiteTarget target) {
    // Same layout as writeTar: entry i lands in /testrig-junit/cp/i[/file name].
    List<String> remote = new ArrayList<>();
    List<Path> cp = JunitLaunch.classpath(spec, target.rigDir());
    for (int i = 0; i < cp.size(); i++) {
      Path p = cp.get(i);
      remote.add(
          JunitLaunch.REMOTE_ROOT
              + "/cp/"
              + i
              + (Files.isDirectory(p) ? "" : "/" + p.getFileName()));
    }
    return remote;
  }

  /** Pulls a missing image; returns null on success, else why it failed. */
  private static String pull(Backend docker, String image) {
    try {
      boolean done = docker.pullImage(image, PULL_TIMEOUT);
      return done ? null : "the pull did not finish within " + PULL_TIMEOUT.toMinutes() + " min";
    } catch (RuntimeException e) {
      // The backend rethrows the pull stream's first error.
      return "not found locally and the pull failed: " + oneLine(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestrigException(ExitCode.INTERRUPTED, "interrupted while pulling " + image, e);
    }
  }

  /** Copies the console launcher and the classpath into the created (not started) container. */
  private void upload(
      Backend docker, String id, SuiteSpec.JvmInContainer spec, SuiteTarget target) {
    List<Path> cp = JunitLaunch.classpath(spec, target.rigDir());
    Path tar = null;
    try {
      tar = Files.createTempFile("testrig-junit-", ".tar");
      try (OutputStream out = Files.newOutputStream(tar)) {
        JunitLaunch.writeTar(junitConsole, cp, out);
      }
      try (InputStream in = Files.newInputStream(tar)) {
        docker.copyTo(id, "/", in);
      }
    } catch (IOException e) {
      throw TestrigException.io(
          "suite " + spec.name() + ": cannot copy the JVM suite into its container", e);
    } finally {
      if (tar != null) {
        try {
          Files.deleteIfExists(tar);
        } catch (IOException e) {
          // A temp file without secrets; the OS cleans /tmp.
        }
      }
    }
  }

  /** Starts a compose service suite detached; returns a problem line when compose failed. */
  private String composeRun(
      SuiteSpec.ComposeService spec, SuiteTarget target, String name, Map<String, String> labels) {
    SuiteTarget.Compose compose = target.compose();
    List<String> cmd = new ArrayList<>(compose.command());
    cmd.addAll(List.of("run", "--detach", "--no-deps", "--name", name));
    labels.forEach((k, v) -> cmd.addAll(List.of("--label", k + "=" + v)));
    // "-e KEY" without a value makes compose take the value from its own environment, so secret
    // values never show up in an argument list (ps, error messages).
    List<String> mountArgs = RunView.composeRunArgs(target);
    target.env().keySet().stream()
        .filter(k -> mountArgs.isEmpty() || !k.equals(RunView.RUN_DIR))
        .forEach(k -> cmd.addAll(List.of("--env", k)));
    cmd.addAll(mountArgs);
    cmd.add(spec.service());
    cmd.addAll(spec.command());
    Exec exec = new Exec(redactor::redact);
    if (compose.workDir() != null) {
      exec.workDir(compose.workDir());
    }
    compose.env().forEach(exec::env);
    target.env().forEach(exec::env);
    Exec.Result r = exec.run(cmd, spec.timeout().plus(Duration.ofMinutes(1)));
    return r.ok()
        ? null
        : "compose could not start service " + spec.service() + ": " + exec.failureMessage(r);
  }

  private void remove(Backend docker, String name, RuntimeException failure) {
    try {
      docker.removeContainer(name);
    } catch (BackendException.NotFound e) {
      // Never created, or already gone.
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        throw new TestrigException(
            ExitCode.ENGINE_UNAVAILABLE,
            "cannot remove suite container " + name + ": " + oneLine(e),
            e);
      }
    }
  }

  private SuiteResult result(SuiteSpec spec, ContainerRun.Outcome o) {
    String signal = Exits.signal(o.exitCode());
    String problem;
    if (o.timedOut()) {
      problem = "timed out after " + Durations.exact(spec.timeout()) + " and was killed";
    } else if (o.oomKilled()) {
      problem =
          "killed by the OOM killer"
              + (spec.memory() == null ? "" : " (memory limit " + spec.memory() + ")");
    } else if (signal != null) {
      problem = "killed by " + signal + " (exit code " + o.exitCode() + ")";
    } else if (o.junitFiles().isEmpty()) {
      problem =
          "wrote no JUnit XML in "
              + spec.reports()
              + (o.reportsMissing() ? " (the directory does not exist)" : "")
              + " (exit code "
              + o.exitCode()
              + ")";
    } else {
      problem = null;
    }
    return new SuiteResult(
        spec.name(),
        o.junitFiles(),
        o.exitCode(),
        o.oomKilled(),
        signal,
        o.timedOut(),
        o.duration(),
        o.logFile(),
        problem);
  }

  private SuiteResult notStarted(SuiteSpec spec, long start, String problem) {
    return new SuiteResult(
        spec.name(),
        List.of(),
        -1,
        false,
        null,
        false,
        Duration.ofNanos(System.nanoTime() - start),
        null,
        problem);
  }

  // ---------------------------------------------------------------- local JVM suites

  private SuiteResult runLocal(SuiteSpec.LocalJvm spec, SuiteTarget target, Path dir) {
    List<String> cp =
        JunitLaunch.classpath(spec, target.rigDir()).stream().map(Path::toString).toList();
    // The JVM running testrig: the builder image's, or the developer's.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, String> env = RunView.localEnv(target);
    List<String> cmd = new ArrayList<>(List.of(java));
    if (target.compose() != null) {
      LocalAddresses a = LocalAddresses.of(target.compose(), engineHost(), redactor);
      if (a.problem() != null) {
        return notStarted(spec, System.nanoTime(), a.problem());
      }
      env.putAll(a.env());
      a.properties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    }
    cmd.addAll(List.of("-jar", junitConsole.toString()));
    cmd.addAll(JunitLaunch.args(cp, spec.junit().select(), dir.toString()));
    Exec exec = new Exec(redactor::redact);
    if (target.rigDir() != null) {
      exec.workDir(target.rigDir());
    }
    env.forEach(exec::env);
    Path log = dir.resolve("output.log");
    long start = System.nanoTime();
    Exec.Result r;
    try {
      r = exec.run(cmd, spec.timeout());
    } catch (TestrigException e) {
      if (e.exitCode() == ExitCode.INTERRUPTED) {
        throw e;
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      boolean timedOut = took.compareTo(spec.timeout()) >= 0;
      writeLog(log, redactor.redact(e.getMessage()) + "\n");
      List<Path> files = ReportFiles.collectLocal(dir, redactor);
      return new SuiteResult(
          spec.name(),
          files,
          -1,
          false,
          timedOut ? "SIGKILL" : null,
          timedOut,
          took,
          log,
          timedOut
              ? "timed out after " + Durations.exact(spec.timeout()) + " and was killed"
              : redactor.redact(e.getMessage()));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    writeLog(log, redactor.redact(r.stdout()) + redactor.redact(r.stderr()));
    List<Path> files = ReportFiles.collectLocal(dir, redactor);
    String signal = Exits.signal(r.exitCode());
    String problem =
        signal != null
            ? "killed by " + signal + " (exit code " + r.exitCode() + ")"
            : files.isEmpty() ? "wrote no JUnit XML (exit code " + r.exitCode() + ")" : null;
    return new SuiteResult(
        spec.name(), files, r.exitCode(), false, signal, false, took, log, problem);
  }

  private static void writeLog(Path log, String text) {
    SafePaths.requireFileTarget(log, "artifact");
    try {
      Files.writeString(log, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TestrigException.io("cannot write " + log + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Where the engine publishes ports: loopback for a local engine, else the engine's host. */
  private String engineHost() {
    return engine == null || engine.isLocal()
        ? "127.0.0.1"
        : java.net.URI.create(engine.host()).getHost();
  }

  private Path freshDir(String name) {
    Path dir = suiteDir(name);
    try {
      if (Files.exists(dir)) {
        // Leftovers of an earlier run in the same artifact directory would count as this run's.
        FileTrees.deleteTree(dir);
      }
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw TestrigException.io("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }

  static String containerName(SuiteTarget target, SuiteSpec spec) {
    String run =
        target.runId() == null ? "" : target.runId().replaceAll("[^A-Za-z0-9_.-]", "") + "-";
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return "testrig-suite-" + run + spec.name() + "-" + HexFormat.of().formatHex(b);
  }

  /** Unlike {@link Text#oneLine(Throwable)}, names the exception when it has no message. */
  private static String oneLine(Throwable e) {
    return Text.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }
}
