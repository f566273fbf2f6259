package io.testrig.run;

import io.testrig.core.Background;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.engine.Reaper;
import io.testrig.pki.Pki;
import io.testrig.report.FailureSummary;
import io.testrig.report.JUnitWriter;
import io.testrig.report.Report;
import io.testrig.report.TestCase;
import io.testrig.report.TestSuite;
import io.testrig.rig.Matrix;
import io.testrig.rig.Rig;
import io.testrig.rig.SuiteSpec;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code testrig run}: every selected matrix config through {@link ConfigRun}, at most {@code
 * parallel} at once on one engine, each isolated (own project, run directory and secrets); then one
 * JUnit XML with a testsuite of phases per config plus the suites' own testsuites.
 */
public final class RunService {
  /**
   * @param artifacts where logs, suite outputs and the report go
   * @param report the JUnit XML path (default {@code <artifacts>/junit.xml})
   * @param only one matrix config (name or slug); null for all
   * @param parallel how many configs run at once
   * @param project compose project name override (a matrix config appends its slug)
   * @param runDir run directory override (a matrix config gets a subdirectory)
   * @param config persistent config.json, or null for the ephemeral one
   * @param set {@code --set} values
   */
  public record Options(
      Path artifacts,
      Path report,
      String only,
      int parallel,
      String project,
      Path runDir,
      Path config,
      Map<String, String> set,
      KeepPolicy keep,
      Duration keepTtl,
      List<String> suites,
      Attached attached) {
    public Options {
      suites = suites == null ? List.of() : List.copyOf(suites);
      report = report == null ? artifacts.resolve("junit.xml") : report;
      set = set == null ? Map.of() : Map.copyOf(set);
      keep = keep == null ? KeepPolicy.NEVER : keep;
      keepTtl = keepTtl == null ? Duration.ofHours(4) : keepTtl;
      if (parallel < 1) {
        throw TestrigException.badInput("--parallel must be at least 1, got " + parallel);
      }
    }

    /** Without {@code --keep}: every stack is torn down. */
    public Options(
        Path artifacts,
        Path report,
        String only,
        int parallel,
        String project,
        Path runDir,
        Path config,
        Map<String, String> set) {
      this(artifacts, report, only, parallel, project, runDir, config, set, null, null, null, null);
    }
  }

  /**
   * {@code testrig test}: the suites run against a stack that is already up (project and run
   * directory, e.g. from {@code up} or {@code run --keep}); nothing is prepared, brought up, torn
   * down or wiped (issue 12, item 3).
   */
  public record Attached(String project, Path runDir) {}

  /**
   * {@code run --keep}: whether a config's stack and run directory stay up after the run for
   * inspection ({@code exec}, {@code logs}, {@code info}) until {@code down} or their time-to-live
   * (issue 12, item 4). Never after SIGINT/SIGTERM.
   */
  public enum KeepPolicy {
    NEVER,
    ON_FAILURE,
    ALWAYS;

    /** {@code never}, {@code on-failure} or {@code always}. */
    public static KeepPolicy parse(String s) {
      return switch (s) {
        case "never" -> NEVER;
        case "on-failure" -> ON_FAILURE;
        case "always" -> ALWAYS;
        default ->
            throw TestrigException.badInput(
                "--keep: expected on-failure, always or never, got '" + s + "'");
      };
    }
  }

  /** How long the interrupt sweep keeps looking for late creations, at least and at most. */
  static final Duration SWEEP_SETTLE = Duration.ofSeconds(1);

  static final Duration SWEEP_MAX = Duration.ofSeconds(20);

  /** What a run produced. */
  public record Outcome(Report report, Path reportPath, ExitCode exitCode) {}

  private final Rig rig;
  private final Options opts;
  private final Redactor redactor;
  private final Output out;
  private final Cleanup cleanup;
  private final Map<String, String> env;
  // The first selected config's run id, chosen before the validation pass ({@link #firstConfig}).
  private final String firstRunId;

  public RunService(
      Rig rig,
      Options opts,
      Redactor redactor,
      Output out,
      Cleanup cleanup,
      Map<String, String> env) {
    this(rig, opts, redactor, out, cleanup, env, null);
  }

  /**
   * As {@link #RunService(Rig, Options, Redactor, Output, Cleanup, Map)}; the first selected config
   * runs as {@code first} says (its run id), so its bring-up finds the compose model the validation
   * pass asked for it.
   */
  public RunService(
      Rig rig,
      Options opts,
      Redactor redactor,
      Output out,
      Cleanup cleanup,
      Map<String, String> env,
      FirstConfig first) {
    this.rig = rig;
    this.opts = opts;
    this.redactor = redactor;
    this.out = out;
    this.cleanup = cleanup;
    this.env = env;
    this.firstRunId = first == null ? null : first.runId();
  }

  /**
   * How the first selected config will ask compose: its run id (chosen now), project, run directory
   * and expected values. The validation pass asks compose the same way, so that config's bring-up
   * reuses the answer instead of starting compose again (issue 11, as {@code up} does).
   */
  public record FirstConfig(
      String runId, String project, Path runDir, Map<String, Object> values) {}

  /**
   * The first config {@code only} selects (null: the matrix's first), planned before the validation
   * pass; null when it cannot be (a bad matrix or {@code --only}: the run reports it).
   *
   * @param project {@code -p}, or null
   * @param runDir {@code --run-dir}, or null
   */
  public static FirstConfig firstConfig(
      Rig rig,
      String only,
      String project,
      Path runDir,
      Map<String, String> set,
      Map<String, String> env) {
    Matrix.Config c;
    try {
      c = Matrix.select(rig, only).get(0);
    } catch (RuntimeException e) {
      return null;
    }
    String runId = ConfigRun.newRunId(env, c);
    Path dir = ConfigRun.runDirOverride(runDir, c);
    return new FirstConfig(
        runId,
        ConfigRun.project(project, c, runId),
        RunDir.locate(rig, dir, dir == null ? runId : null).path(),
        Prepare.expectedValues(rig, c.values(), set, env));
  }

  /** Whether a run of this rig needs a Docker engine (a stack, or a suite that is not local). */
  public static boolean needsEngine(Rig rig) {
    if (!rig.stack().isEmpty()) {
      return true;
    }
    for (SuiteSpec s : rig.suites()) {
      if (!s.runsOnHostJvm()) {
        return true;
      }
    }
    return false;
  }

  /** Runs the selected configs with an engine from {@code connect} (only called when needed). */
  public Outcome run(Supplier<Engine> connect) {
    checkSuiteNames();
    // Against a running stack without --only: the stack is the rig's own values, one config.
    List<Matrix.Config> configs =
        opts.attached() != null && opts.only() == null
            ? List.of(Matrix.Config.SINGLE)
            : Matrix.select(rig, opts.only());
    // Every config run started so far, in config order; the partial report snapshots them.
    List<ConfigRun> runs = Collections.synchronizedList(new ArrayList<>());
    // If SIGINT/SIGTERM ends the run, the cleanup hook writes what is known so far. Registered
    // first, so the hook runs it last: after the stacks are down and the secrets wiped.
    Cleanup.Registration partial =
        cleanup.register(
            "partial report " + opts.report(), () -> writeReport(interrupted(configs, runs)));
    List<ConfigRun.Result> results = new ArrayList<>();
    CompletableFuture<Engine> connecting = null;
    Cleanup.Registration sweep = null;
    try {
      preflight();
      if (needsEngine(rig)) {
        CompletableFuture<Engine> c = connectAsync(connect);
        connecting = c;
        // Runs after every config's own cleanup (registered before them): whatever this process
        // created that a signal caught half-made (a container a killed compose had already asked
        // for, a suite container being created) carries its owner label and goes here.
        sweep = cleanup.register("leftovers of this run", () -> sweepOwned(joined(c)));
      }
      CompletableFuture<Engine> c = connecting;
      runConfigs(configs, runs, c == null ? () -> null : () -> joined(c), results);
    } catch (RuntimeException ex) {
      if ((sweep != null && !sweep.cancel()) || !partial.cancel()) {
        throw interruptedException(ex);
      }
      // Not a signal: still leave a report of what ran, with the failure as an error testcase.
      writeFailureReport(runs, ex);
      throw ex;
    } finally {
      // Once the hook runs it may still be tearing stacks down with this engine; the JVM is ending.
      if (connecting != null && !cleanup.interrupted()) {
        connecting.thenAccept(Engine::close);
      }
    }
    if ((sweep != null && !sweep.cancel()) || !partial.cancel()) {
      // The hook owns the report and the exit code (130); writing here would race it.
      throw interruptedException(null);
    }
    return finish(runs, results);
  }

  /** {@code test --suite NAME}: each name is one of the rig's suites. */
  private void checkSuiteNames() {
    List<String> known = rig.suites().stream().map(io.testrig.rig.SuiteSpec::name).toList();
    for (String name : opts.suites()) {
      if (!known.contains(name)) {
        throw TestrigException.badInput(
            rig.file() + ": --suite " + name + ": no such suite (suites: " + known + ")");
      }
    }
  }

  /**
   * Runs the configs one after the other, or up to {@code --parallel} at once ({@link
   * ConfigScheduler}: a config's teardown overlaps the next config's start).
   */
  private void runConfigs(
      List<Matrix.Config> configs,
      List<ConfigRun> runs,
      Supplier<Engine> e,
      List<ConfigRun.Result> results) {
    int threads = Math.min(opts.parallel(), configs.size());
    if (threads == 1) {
      for (Matrix.Config c : configs) {
        results.add(start(runs, c, e, () -> {}).run());
      }
      return;
    }
    try (ConfigScheduler scheduler = new ConfigScheduler(threads)) {
      List<Future<ConfigRun.Result>> futures = new ArrayList<>();
      for (Matrix.Config c : configs) {
        for (Future<ConfigRun.Result> f : futures) {
          if (f.isDone()) {
            await(f); // a config that failed unexpectedly stops the rest, as before
          }
        }
        ConfigScheduler.Slot slot = scheduler.acquire();
        ConfigRun r;
        try {
          // Made here, in matrix order: the report lists the configs in the order they started.
          r = start(runs, c, e, slot::release);
        } catch (RuntimeException ex) {
          slot.end();
          throw ex;
        }
        futures.add(scheduler.run(slot, r::run));
      }
      for (Future<ConfigRun.Result> f : futures) {
        results.add(await(f));
      }
    }
  }

  /**
   * The report of what ran, plus {@code ex} as an error testcase; a failure to write is added to
   * it.
   */
  private void writeFailureReport(List<ConfigRun> runs, RuntimeException ex) {
    String message = ex instanceof TestrigException ? ex.getMessage() : String.valueOf(ex);
    TestCase failed = TestCase.phase("run", Duration.ZERO, message, null);
    try {
      writeReport(report(runs).plus(TestSuite.of("testrig", List.of(failed))));
    } catch (RuntimeException reportFailed) {
      ex.addSuppressed(reportFailed);
    }
  }

  /** Writes the report, prints the counts and the summary, and picks the exit code. */
  private Outcome finish(List<ConfigRun> runs, List<ConfigRun.Result> results) {
    Report report = report(runs).ensureNotEmpty();
    JUnitWriter.Result written = JUnitWriter.write(report, opts.report(), redactor);
    ExitCode code = ExitCode.OK;
    for (ConfigRun.Result r : results) {
      if (severity(r.infra()) > severity(code)) {
        code = r.infra();
      }
    }
    Report.Totals t = written.totals(); // a report over GitLab's limits holds an error testcase
    if (code == ExitCode.OK && (report.hasFailures() || t.failures() + t.errors() > 0)) {
      code = ExitCode.TESTS_FAILED;
    }
    out.info(
        String.format(
            "%d tests: %d passed, %d failed, %d errors, %d skipped",
            t.tests(), t.passed(), t.failures(), t.errors(), t.skipped()));
    summary(report, opts.report(), written.overLimits(), out);
    return new Outcome(report, opts.report(), code);
  }

  /**
   * After the counts: the failed and errored testcases (at most {@link FailureSummary#MAX_LISTED},
   * with config, suite, name and first message line) and the report's path, so the job log says
   * what failed and where to look.
   */
  static void summary(Report report, Path path, boolean overLimits, Output out) {
    FailureSummary.lines(report, FailureSummary.MAX_LISTED).forEach(out::info);
    if (overLimits) {
      out.info("  the report was over GitLab's limits: it lists only failed and errored testcases");
    }
    out.info("JUnit XML: " + path);
  }

  /**
   * Bad input that every config would hit alike (the certs, a persistent config.json) fails once
   * here, before any config starts, instead of once per config (issue 7, item 15).
   */
  private void preflight() {
    try {
      Pki.check(rig.certs());
    } catch (TestrigException e) {
      throw e.exitCode() == ExitCode.BAD_INPUT
          ? new TestrigException(e.exitCode(), rig.file() + ": " + e.getMessage(), e)
          : e;
    }
    if (opts.config() != null || rig.secrets().config() != null) {
      // Only reads it; the run directory is not needed for a persistent config.json.
      SecretStore.open(rig, null, opts.config(), redactor);
    }
  }

  private ConfigRun start(
      List<ConfigRun> runs, Matrix.Config c, Supplier<Engine> engine, Runnable beforeTeardown) {
    String runId = firstRunId != null && runs.isEmpty() ? firstRunId : ConfigRun.newRunId(env, c);
    ConfigRun r =
        new ConfigRun(rig, c, opts, runId, engine, redactor, out, cleanup, env, beforeTeardown);
    runs.add(r);
    return r;
  }

  private Report report(List<ConfigRun> runs) {
    List<TestSuite> suites = new ArrayList<>();
    synchronized (runs) {
      // Config order, whatever order parallel configs finished in.
      for (ConfigRun r : runs) {
        suites.addAll(r.snapshot(null));
      }
    }
    return Report.of(rig.displayName(), suites);
  }

  /**
   * The hook's report, config by config in matrix order: a config that finished before the signal
   * as it ended; any other that began with an "interrupted" error saying in which phase the signal
   * came and what its cleanup did; a config that never began as skipped "not started" (issue 7,
   * item 6).
   */
  private Report interrupted(List<Matrix.Config> configs, List<ConfigRun> runs) {
    List<TestSuite> suites = new ArrayList<>();
    int finished = 0;
    int notStarted = 0;
    synchronized (runs) {
      for (Matrix.Config c : configs) {
        ConfigRun r = runs.stream().filter(x -> x.config() == c).findFirst().orElse(null);
        if (r == null || !r.started()) {
          notStarted++;
          TestCase skipped =
              TestCase.skipped(
                  TestCase.PHASE_CLASSNAME,
                  "not started",
                  "the run was interrupted (SIGINT or SIGTERM) before this config began;"
                      + " nothing was created for it");
          // Named as a started config's phases are (ConfigRun.snapshot), so GitLab shows the
          // config.
          TestSuite phases = TestSuite.of("testrig", List.of(skipped));
          suites.add(c.isSingle() ? phases : phases.forConfig(c.name(), c.slug()));
          continue;
        }
        if (r.finishedCleanly()) {
          finished++;
          suites.addAll(r.snapshot(null));
        } else {
          TestCase c0 = TestCase.phase("interrupted", Duration.ZERO, r.interruptedMessage(), null);
          suites.addAll(r.snapshot(c0));
        }
      }
    }
    Report report = Report.of(rig.displayName(), suites);
    if (finished + notStarted < configs.size()) {
      return report; // the unfinished configs carry the error
    }
    TestCase c =
        TestCase.phase(
            "interrupted",
            Duration.ZERO,
            String.format(
                "the run was interrupted (SIGINT or SIGTERM): %d of %d configs had finished, %d"
                    + " were not started",
                finished, configs.size(), notStarted),
            null);
    return report.plus(TestSuite.of("testrig", List.of(c)));
  }

  /** Removes, until the engine is quiet, everything labelled as owned by this process. */
  private static void sweepOwned(Engine engine) {
    Reaper.removeUntilQuiet(
        engine.backend(),
        Labels.OWNER,
        Labels.owner(ProcessHandle.current()),
        SWEEP_SETTLE,
        SWEEP_MAX);
  }

  private static TestrigException interruptedException(RuntimeException cause) {
    return new TestrigException(ExitCode.INTERRUPTED, "interrupted", cause);
  }

  private void writeReport(Report report) {
    JUnitWriter.write(report, opts.report(), redactor);
  }

  /**
   * Parallel preflight (issue 11), as in up: the engine connection (class loading, a round trip,
   * maybe starting dockerd) runs while the first configs issue certs and render templates; a config
   * joins it before its stack comes up (ConfigRun#engine). On a thread of its own: the common pool
   * (one worker on 2 cores) issues certs, and a connection may wait --engine-wait.
   */
  private static CompletableFuture<Engine> connectAsync(Supplier<Engine> connect) {
    return Background.start("testrig-connect", connect);
  }

  /** The connected engine, or the connection's own failure as it was thrown. */
  private static Engine joined(CompletableFuture<Engine> connecting) {
    return Background.join(connecting);
  }

  private static ConfigRun.Result await(Future<ConfigRun.Result> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestrigException(ExitCode.INTERRUPTED, "interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new TestrigException(ExitCode.INTERNAL, String.valueOf(e.getCause()), e.getCause());
    }
  }

  /** How bad an exit code is, to keep the worst of several configs. */
  static int severity(ExitCode code) {
    return switch (code) {
      case OK -> 0;
      case TESTS_FAILED -> 1;
      case STACK_FAILED -> 2;
      case IO_FAILURE -> 3;
      case ENGINE_UNAVAILABLE -> 4;
      case BAD_INPUT -> 5;
      case INTERNAL -> 6;
      case INTERRUPTED -> 7;
    };
  }

  /**
   * A path GitLab can resolve for {@code [[ATTACHMENT|...]]}: relative to the job's working
   * directory (the project directory, where the job's artifacts are collected from) when the file
   * is below it, also when an absolute {@code --artifacts} reaches it through a symbolic link. A
   * file outside stays absolute, and the report writer turns it into a note instead of a link
   * GitLab could never resolve.
   */
  static String attachmentPath(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath();
    if (abs.startsWith(cwd)) {
      return cwd.relativize(abs).toString();
    }
    try {
      Path realCwd = cwd.toRealPath();
      Path parent = abs.getParent();
      Path real = parent == null ? abs : parent.toRealPath().resolve(abs.getFileName());
      return real.startsWith(realCwd) ? realCwd.relativize(real).toString() : abs.toString();
    } catch (java.io.IOException e) {
      return abs.toString();
    }
  }
}
