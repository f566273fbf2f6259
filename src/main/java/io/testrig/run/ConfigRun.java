package io.testrig.run;

import io.testrig.compose.ProjectCompose;
import io.testrig.compose.ProjectNames;
import io.testrig.compose.ServiceStatus;
import io.testrig.compose.ServiceWatch;
import io.testrig.compose.Stack;
import io.testrig.compose.StackFailedException;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.engine.KeepMarker;
import io.testrig.engine.Labels;
import io.testrig.engine.Reaper;
import io.testrig.report.JUnitReader;
import io.testrig.report.Report;
import io.testrig.report.TestCase;
import io.testrig.report.TestSuite;
import io.testrig.rig.ConfigShape;
import io.testrig.rig.Matrix;
import io.testrig.rig.Rig;
import io.testrig.rig.SuiteSpec;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import io.testrig.suite.RunView;
import io.testrig.suite.SuiteResult;
import io.testrig.suite.SuiteRunner;
import io.testrig.suite.SuiteTarget;
import io.testrig.template.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One matrix config from start to finish: certs and templates, stack up, suites, teardown, wipe.
 * Every phase becomes a testcase, so the report shows where time went and what broke; a failure in
 * one phase skips the later ones but never the teardown and the wipe.
 */
final class ConfigRun {
  private final Rig rig;
  private final Matrix.Config config;
  private final RunService.Options opts;
  // Names this config's project and ephemeral run directory.
  private final String runId;
  // The engine connection, made while this config prepares; joined by engine(), before bring-up.
  private final Supplier<Engine> connect;
  private volatile Engine engine;
  private final Redactor redactor;
  private final Output out;
  private final Cleanup cleanup;
  private final Map<String, String> env;
  // Called once the suites are over, before the teardown: a matrix config gives its slot back
  // there, so the next config's start overlaps this teardown (ConfigScheduler).
  private final Runnable beforeTeardown;

  // Synchronized: the cleanup hook snapshots them (partial report) while this run goes on.
  private final List<TestCase> phases = Collections.synchronizedList(new ArrayList<>());
  private final List<TestSuite> suites = Collections.synchronizedList(new ArrayList<>());
  private volatile ExitCode infra = ExitCode.OK;
  private volatile boolean finished;
  private volatile boolean started;
  private volatile boolean finishedCleanly;
  // What the partial report says about this config after SIGINT/SIGTERM.
  private volatile String phase = "certs and templates";
  private volatile String stackOutcome;
  private volatile String wipeOutcome;
  // Held while a phase writes into the run directory; the wipe waits for it.
  private final ReentrantLock dirLock = new ReentrantLock();
  // What this config's values switch: compose's environment, disabled services, skipped suites.
  private volatile ConfigShape shape;

  /** How long an interrupt's wipe waits for a phase still writing into the run directory. */
  static final Duration WIPE_WAIT = Duration.ofSeconds(30);

  ConfigRun(
      Rig rig,
      Matrix.Config config,
      RunService.Options opts,
      String runId,
      Supplier<Engine> connect,
      Redactor redactor,
      Output out,
      Cleanup cleanup,
      Map<String, String> env,
      Runnable beforeTeardown) {
    this.rig = rig;
    this.config = config;
    this.opts = opts;
    this.runId = runId;
    this.connect = connect;
    this.redactor = redactor;
    this.out = out;
    this.cleanup = cleanup;
    this.env = env;
    this.beforeTeardown = beforeTeardown;
  }

  /** The outcome: this config's testsuites and the worst infrastructure code met (or OK). */
  record Result(Matrix.Config config, List<TestSuite> suites, ExitCode infra) {}

  Result run() {
    if (opts.attached() != null) {
      return runAttached(opts.attached());
    }
    Path artifacts = opts.artifacts().resolve(config.isSingle() ? "" : config.slug()).normalize();
    // Registered before the directory exists: after SIGINT/SIGTERM the registration is refused and
    // this config never starts (issue 7, item 6). The hook's wipe waits for dirLock, so it never
    // races a half-written directory (certs, config.json) that would then outlive the wipe.
    AtomicReference<StackSession> sessionRef = new AtomicReference<>();
    Cleanup.Registration wipe =
        cleanup.register("run directory" + scopeSuffix(), () -> wipeWhenIdle(sessionRef));
    started = true;
    Stack stack = null;
    Cleanup.Registration down = null;
    try {
      StackSession session = openRunDir(runDirOverride(opts.runDir(), config), runId, sessionRef);
      RunDir dir = session.dir();
      if (prepare(session)) {
        if (!rig.stack().isEmpty()) {
          String project = project(opts.project(), config, runId);
          engine(); // a failed connection ends the run here, once (RunService reports it)
          // Registered before bring-up: a SIGTERM while services start must remove them too. Until
          // the Stack exists, the hook removes by labels (project and run id), after it ended the
          // compose child that was creating them (Cleanup's hook, Exec.endAll).
          AtomicReference<Stack> live = new AtomicReference<>();
          down = cleanup.register("stack " + project, () -> removeStack(live, project));
          stack = up(project, session, artifacts);
          if (stack == null) {
            down.cancel(); // StackService removed what it had made
            down = null;
          } else {
            live.set(stack);
          }
        }
        if (rig.stack().isEmpty() || stack != null) {
          suites(runId, stack, dir, artifacts);
        } else {
          skipSuites();
        }
      }
    } catch (TestrigException e) {
      if (e.exitCode() != ExitCode.INTERRUPTED) {
        throw e;
      }
      infra = ExitCode.INTERRUPTED; // a registration refused: the hook is tearing down
    } finally {
      beforeTeardown.run();
      enter("teardown");
      if (stack != null && keepStack()) {
        keep(stack, sessionRef.get().dir(), down, wipe);
      } else {
        teardown(stack, down, wipe);
      }
      finishedCleanly = !cleanup.interrupted();
      finished = true;
    }
    return new Result(config, snapshot(null), infra);
  }

  /** A fresh run id for {@code config}: from the CI job, the config's slug and a random part. */
  static String newRunId(Map<String, String> env, Matrix.Config config) {
    return ProjectNames.runId(env, config.isSingle() ? null : config.slug());
  }

  /** {@code --run-dir} as given for one config; under it, one directory per matrix config. */
  static Path runDirOverride(Path runDir, Matrix.Config config) {
    return runDir == null || config.isSingle() ? runDir : runDir.resolve(config.slug());
  }

  /**
   * {@code testrig test}: only the suites, against the stack that is up, with its run directory and
   * secrets; nothing is prepared, brought up, torn down or wiped.
   */
  private Result runAttached(RunService.Attached a) {
    started = true;
    Path artifacts = opts.artifacts().resolve(config.isSingle() ? "" : config.slug()).normalize();
    RunDir dir = RunDir.locate(rig, a.runDir(), null);
    try {
      Engine engine = engine();
      // Loads config.json: every secret is masked in what the suites print.
      SecretStore store = SecretStore.open(rig, dir, opts.config(), redactor);
      shape =
          ConfigShape.of(
              rig, dir.path(), Values.resolve(rig, store, config.values(), opts.set(), env));
      Map<String, String> suiteEnv = new LinkedHashMap<>(shape.composeEnv());
      Map<String, String> composeEnv = new HashMap<>(engine.environment());
      composeEnv.putAll(suiteEnv);
      List<String> profiles = new ArrayList<>();
      rig.stack().profiles().forEach(p -> profiles.addAll(List.of("--profile", p)));
      List<Path> files = rig.stack().files().stream().map(rig::resolve).toList();
      List<String> command =
          ProjectCompose.of(engine.backend(), a.project(), composeEnv, redactor)
              .withFiles(
                  files, rig.stack().envFiles().stream().map(rig::resolve).toList(), dir.path())
              .command(profiles);
      String runId = ProjectNames.runIdOf(a.project());
      Map<String, String> labels =
          new LinkedHashMap<>(Labels.forRun(runId, ProcessHandle.current(), rig.file(), env));
      SuiteTarget target =
          new SuiteTarget(
              runId,
              a.project() + "_default",
              new SuiteTarget.Compose(command, rig.dir(), composeEnv),
              suiteEnv,
              labels,
              rig.dir(),
              runView(dir));
      runSuites(new SuiteRunner(engine, artifacts, redactor), target, null);
    } catch (TestrigException e) {
      if (e.exitCode() != ExitCode.INTERRUPTED) {
        throw e;
      }
      infra = ExitCode.INTERRUPTED;
    } finally {
      finishedCleanly = !cleanup.interrupted();
      finished = true;
    }
    return new Result(config, snapshot(null), infra);
  }

  /** The engine, once connected (null when the run needs none); the connection's failure throws. */
  private Engine engine() {
    Engine e = engine;
    if (e == null) {
      e = connect.get();
      engine = e;
    }
    return e;
  }

  /** Creates (or reuses) and claims the run directory, holding dirLock so the wipe waits. */
  private StackSession openRunDir(
      Path runDirOverride, String runId, AtomicReference<StackSession> sessionRef) {
    dirLock.lock();
    try {
      StackSession session =
          StackSession.open(
              rig,
              runDirOverride,
              runDirOverride == null ? runId : null,
              redactor,
              ProcessHandle.current());
      sessionRef.set(session);
      return session;
    } finally {
      dirLock.unlock();
    }
  }

  /** Every suite as a skipped phase: the stack did not come up. */
  private void skipSuites() {
    for (SuiteSpec s : rig.suites()) {
      phases.add(
          TestCase.skipped(
              TestCase.PHASE_CLASSNAME, "suite " + s.name(), "the stack did not come up"));
    }
  }

  /** The hook's stack action: the live stack's own teardown, else removal by labels. */
  private void removeStack(AtomicReference<Stack> live, String project) {
    Stack s = live.get();
    Reaper.Removed r;
    if (s != null) {
      r = s.down();
    } else {
      r = StackSession.removeByLabels(engine, project);
    }
    stackOutcome = "stack " + project + " " + StackSession.removedText(r);
  }

  /** Wipes the run directory once no phase is writing into it (bounded: a stuck writer loses). */
  private void wipeWhenIdle(AtomicReference<StackSession> sessionRef) {
    boolean locked = false;
    try {
      locked = dirLock.tryLock(WIPE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      StackSession d = sessionRef.get();
      if (d != null) {
        d.discard();
        wipeOutcome = "run directory " + d.dir().path() + " wiped";
      }
    } catch (RuntimeException e) {
      wipeOutcome = "wiping the run directory failed: " + e.getMessage();
      throw e;
    } finally {
      if (locked) {
        dirLock.unlock();
      }
    }
  }

  /**
   * The "interrupted" testcase's message for this config: in which phase the signal came and what
   * the cleanup really did, so the partial report never claims a teardown that did not happen.
   */
  String interruptedMessage() {
    String stack = stackOutcome;
    if (stack == null) {
      stack = rig.stack().isEmpty() ? "no stack" : "no stack was created yet";
    }
    String dir = wipeOutcome == null ? "run directory not wiped" : wipeOutcome;
    return "the run was interrupted (SIGINT or SIGTERM) during "
        + phase
        + "; "
        + stack
        + "; "
        + dir;
  }

  /** The phase now; it stays at the one the signal came in, for the partial report. */
  private void enter(String p) {
    if (!cleanup.interrupted()) {
      phase = p;
    }
  }

  /** True when this config ended before any signal: the partial report shows it as it ended. */
  boolean finishedCleanly() {
    return finished && finishedCleanly;
  }

  /** False when the run was interrupted before this config began (nothing was created for it). */
  boolean started() {
    return started;
  }

  /**
   * This config's testsuites so far: its phase testcases first, then the suites' own. With {@code
   * interrupted} (for the partial report of a SIGINT/SIGTERM) an unfinished run gets it as a last
   * phase testcase.
   */
  List<TestSuite> snapshot(TestCase interrupted) {
    List<TestCase> cases;
    synchronized (phases) {
      cases = new ArrayList<>(phases);
    }
    if (interrupted != null && !finishedCleanly()) {
      cases.add(interrupted);
    }
    List<TestSuite> all = new ArrayList<>();
    all.add(TestSuite.of("testrig", cases));
    synchronized (suites) {
      all.addAll(suites);
    }
    return config.isSingle()
        ? all
        : all.stream().map(s -> s.forConfig(config.name(), config.slug())).toList();
  }

  boolean finished() {
    return finished;
  }

  Matrix.Config config() {
    return config;
  }

  /** {@code -p} (a matrix config appends its slug), else {@code testrig-<run id>}. */
  static String project(String given, Matrix.Config config, String runId) {
    return given == null
        ? ProjectNames.project(runId)
        : given + (config.isSingle() ? "" : "-" + config.slug());
  }

  private boolean prepare(StackSession session) {
    long t0 = System.nanoTime();
    String title = "certs and templates" + scopeSuffix();
    out.phaseStart(id("prepare"), "Issuing certs and rendering templates" + scopeSuffix());
    dirLock.lock();
    try {
      Prepare.Prepared p = session.prepare(opts.config(), config.values(), opts.set(), env);
      shape = session.shape();
      out.info(
          "    run dir "
              + session.dir().path()
              + ": "
              + (p.pki() == null ? 0 : p.pki().certs().size())
              + " certs, "
              + p.render().files().size()
              + " files");
      phases.add(TestCase.phase(title, since(t0), null, null));
      out.phaseEnd(id("prepare"), true, since(t0));
      return true;
    } catch (TestrigException e) {
      fail(e.exitCode(), e.getMessage());
      phases.add(TestCase.phase(title, since(t0), e.getMessage(), null));
      out.phaseEnd(id("prepare"), false, since(t0));
      return false;
    } finally {
      dirLock.unlock();
    }
  }

  private Stack up(String project, StackSession session, Path artifacts) {
    long t0 = System.nanoTime();
    enter("stack up");
    out.phaseStart(id("up"), "Bringing the stack up" + scopeSuffix());
    try {
      // Cleanup's hook owns SIGINT/SIGTERM teardown, so it can finish before exiting 130.
      Stack stack = session.up(engine(), project, artifacts, out.services(config.name()), false);
      for (ServiceStatus s : stack.services()) {
        phases.add(serviceCase(s, stack.logsDir()));
      }
      out.phaseEnd(id("up"), true, since(t0));
      return stack;
    } catch (StackFailedException e) {
      fail(e.exitCode(), e.getMessage());
      for (ServiceStatus s : e.services()) {
        phases.add(serviceCase(s, artifacts.resolve("logs")));
      }
      if (e.services().isEmpty()) {
        phases.add(TestCase.phase("stack up", since(t0), e.getMessage(), null));
      }
      out.phaseEnd(id("up"), false, since(t0));
      return null;
    } catch (TestrigException e) {
      fail(e.exitCode(), e.getMessage());
      phases.add(TestCase.phase("stack up", since(t0), e.getMessage(), null));
      out.phaseEnd(id("up"), false, since(t0));
      return null;
    }
  }

  private TestCase serviceCase(ServiceStatus s, Path logs) {
    String name = "stack up: " + s.service();
    if (s.ok()) {
      return TestCase.phase(name + " (" + s.how() + ")", s.elapsed(), null, null);
    }
    if (s.state() == ServiceStatus.State.SKIPPED) {
      return TestCase.skipped(
          TestCase.PHASE_CLASSNAME, name, s.message() == null ? "not started" : s.message());
    }
    TestCase c = TestCase.phase(name, s.elapsed(), s.message(), s.message());
    return c.withAttachment(RunService.attachmentPath(logs.resolve(s.service() + ".log")));
  }

  private void suites(String runId, Stack stack, RunDir dir, Path artifacts) {
    if (rig.suites().isEmpty()) {
      return;
    }
    Map<String, String> suiteEnv = new LinkedHashMap<>(shape.composeEnv());
    Path view = runView(dir);
    SuiteTarget target;
    Engine engine = engine();
    if (stack != null) {
      Map<String, String> composeEnv = new HashMap<>(engine.environment());
      composeEnv.putAll(suiteEnv);
      target =
          new SuiteTarget(
              stack.runId(),
              stack.defaultNetwork(),
              new SuiteTarget.Compose(stack.composeCommand(), rig.dir(), composeEnv),
              suiteEnv,
              stack.labels(),
              rig.dir(),
              view);
    } else {
      Map<String, String> labels = Labels.forRun(runId, ProcessHandle.current(), rig.file(), env);
      target = new SuiteTarget(runId, null, null, suiteEnv, labels, rig.dir(), view);
    }
    SuiteRunner runner = new SuiteRunner(engine, artifacts, redactor);
    try (ServiceWatch watch = stack == null ? null : stack.watch()) {
      runSuites(runner, target, watch);
    }
  }

  /** The suites' read-only view of the run directory, made while the wipe waits (dirLock). */
  private Path runView(RunDir dir) {
    dirLock.lock();
    try {
      return RunView.create(dir.path());
    } finally {
      dirLock.unlock();
    }
  }

  private void runSuites(SuiteRunner runner, SuiteTarget target, ServiceWatch watch) {
    for (SuiteSpec spec : rig.suites()) {
      if (!opts.suites().isEmpty() && !opts.suites().contains(spec.name())) {
        continue; // test --suite
      }
      String phase = "suite " + spec.name();
      String skip = shape.skipReason(spec);
      if (skip != null) {
        // Not for this config (when:, or its service is switched off): skipped, with the reason.
        phases.add(TestCase.skipped(TestCase.PHASE_CLASSNAME, phase, skip));
        out.info("    " + phase + scopeSuffix() + ": " + skip);
        continue;
      }
      enter(phase);
      out.phaseStart(id("suite-" + spec.name()), "Running suite " + spec.name() + scopeSuffix());
      long t0 = System.nanoTime();
      try {
        SuiteResult r = runner.run(spec, target);
        boolean ok = collect(spec, r, phase);
        out.phaseEnd(id("suite-" + spec.name()), ok, since(t0));
      } catch (TestrigException e) {
        fail(e.exitCode(), e.getMessage());
        phases.add(TestCase.phase(phase, since(t0), e.getMessage(), null));
        out.phaseEnd(id("suite-" + spec.name()), false, since(t0));
        if (e.exitCode() == ExitCode.INTERRUPTED || e.exitCode() == ExitCode.ENGINE_UNAVAILABLE) {
          return;
        }
      }
      if (watch != null) {
        reportDeaths(watch.deaths());
      }
    }
  }

  /**
   * A stack service that died while the suites ran: an error testcase of its own, naming it, its
   * exit code and log tail (issue 7, item 9); the stack failed, so the run exits 4.
   */
  private void reportDeaths(List<ServiceWatch.Death> deaths) {
    if (cleanup.interrupted()) {
      return; // the hook removed them
    }
    for (ServiceWatch.Death d : deaths) {
      fail(ExitCode.STACK_FAILED, d.message());
      TestCase c = TestCase.phase("stack: " + d.service(), Duration.ZERO, d.message(), d.message());
      Path log = opts.artifacts().resolve(config.isSingle() ? "" : config.slug()).normalize();
      phases.add(
          c.withAttachment(
              RunService.attachmentPath(log.resolve("logs").resolve(d.service() + ".log"))));
    }
  }

  /** Turns a suite's result into testsuites plus a phase testcase; true when all passed. */
  private boolean collect(SuiteSpec spec, SuiteResult r, String phase) {
    String log = r.logFile() == null ? null : RunService.attachmentPath(r.logFile());
    List<TestSuite> read = new ArrayList<>();
    for (Path f : r.junitFiles()) {
      for (TestSuite s : JUnitReader.read(f)) {
        read.add(relabel(s, log, spec));
      }
    }
    Report.Totals totals = Report.of(spec.name(), read).totals();
    String problem = r.problem();
    if (problem == null && totals.tests() == 0) {
      problem = "wrote JUnit XML with no testcases";
    }
    if (problem == null && r.exitCode() != 0 && totals.failures() + totals.errors() == 0) {
      // A runner that crashed after writing a partial report must not look green.
      problem = "exited with " + r.exitCode() + " but its report shows no failure";
    }
    TestCase c = TestCase.phase(phase, r.duration(), problem, problem);
    if (problem != null && log != null) {
      c = c.withAttachment(log);
    }
    phases.add(c);
    suites.addAll(read);
    return problem == null && totals.failures() + totals.errors() == 0;
  }

  /**
   * Attaches the suite log to failed cases, and names a JVM suite's testsuites after the rig's
   * suite rather than the JUnit engine ("JUnit Jupiter"). The matrix config is added in {@link
   * #snapshot}.
   */
  static TestSuite relabel(TestSuite s, String log, SuiteSpec spec) {
    List<TestCase> cases = new ArrayList<>(s.cases().size());
    for (TestCase c : s.cases()) {
      boolean bad = c.status() == TestCase.Status.FAILED || c.status() == TestCase.Status.ERROR;
      cases.add(bad && log != null && c.attachments().isEmpty() ? c.withAttachment(log) : c);
    }
    String name = spec instanceof SuiteSpec.Jvm ? spec.name() : s.name();
    return new TestSuite(
        name, s.timestamp(), s.hostname(), s.properties(), cases, s.systemOut(), s.systemErr());
  }

  private void teardown(Stack stack, Cleanup.Registration down, Cleanup.Registration wipe) {
    long t0 = System.nanoTime();
    out.phaseStart(id("teardown"), "Tearing down and wiping secrets" + scopeSuffix());
    String problem = null;
    if (stack != null) {
      try {
        Reaper.Removed removed = stack.down();
        stackOutcome = "stack " + stack.projectName() + " " + StackSession.removedText(removed);
        if (!removed.kept().isEmpty()) {
          problem = "could not remove " + String.join("; ", removed.kept());
        }
      } catch (RuntimeException e) {
        problem = "teardown failed: " + e.getMessage();
      }
      if (stack.logsProblem() != null) {
        // A service log left empty or cut short (disk full) is reported, never silent.
        problem = (problem == null ? "" : problem + "; ") + stack.logsProblem();
      }
      down.close();
    } else if (down != null) {
      down.close(); // up ended by an unexpected exception: remove by labels what it made
    }
    try {
      wipe.close();
    } catch (RuntimeException e) {
      problem = (problem == null ? "" : problem + "; ") + "wipe failed: " + e.getMessage();
    }
    if (problem != null) {
      fail(ExitCode.IO_FAILURE, problem);
    }
    phases.add(TestCase.phase("teardown", since(t0), problem, null));
    out.phaseEnd(id("teardown"), problem == null, since(t0));
  }

  /** {@code run --keep}: always, or on a failure of this config; never once interrupted. */
  private boolean keepStack() {
    if (cleanup.interrupted() || opts.keep() == RunService.KeepPolicy.NEVER) {
      return false;
    }
    if (opts.keep() == RunService.KeepPolicy.ALWAYS || infra != ExitCode.OK) {
      return true;
    }
    List<TestCase> all = new ArrayList<>(List.copyOf(phases));
    List.copyOf(suites).forEach(s -> all.addAll(s.cases()));
    return all.stream()
        .anyMatch(c -> c.status() == TestCase.Status.FAILED || c.status() == TestCase.Status.ERROR);
  }

  /**
   * Leaves the stack and its run directory up: saves the logs, records the time-to-live ({@link
   * KeepMarker}, which gc respects), drops the teardown and wipe, and says in the console and in
   * the teardown testcase's system-out how to inspect the stack and how to remove it.
   */
  private void keep(Stack stack, RunDir dir, Cleanup.Registration down, Cleanup.Registration wipe) {
    long t0 = System.nanoTime();
    out.phaseStart(id("teardown"), "Keeping the stack" + scopeSuffix());
    String problem = null;
    try {
      stack.saveLogs();
    } catch (RuntimeException e) {
      problem = e.getMessage();
    }
    Instant expires = Instant.now().plus(opts.keepTtl()).truncatedTo(ChronoUnit.SECONDS);
    String rigPath = rig.file() == null ? null : rig.file().toAbsolutePath().toString();
    KeepMarker.write(dir.path(), new KeepMarker(stack.projectName(), expires, rigPath));
    if (!down.cancel() || !wipe.cancel()) {
      // An interrupt began meanwhile: its hook removes the stack and wipes, as for any run.
      teardown(stack, down, wipe);
      return;
    }
    String sel = "-f " + rig.file() + " --run-dir " + dir.path() + " -p " + stack.projectName();
    String text =
        "kept stack "
            + stack.projectName()
            + " and run directory "
            + dir.path()
            + " until "
            + expires
            + " (run --keep)\n  inspect: testrig info "
            + sel
            + "\n           testrig exec "
            + sel
            + " SERVICE [CMD...]\n           testrig logs "
            + sel.replaceFirst("^-f ", "--file ")
            + " [SERVICE]\n  remove:  testrig down "
            + sel;
    stackOutcome = "stack " + stack.projectName() + " kept until " + expires;
    text.lines().forEach(out::info);
    if (problem != null) {
      fail(ExitCode.IO_FAILURE, problem);
    }
    phases.add(TestCase.phase("teardown", since(t0), problem, null).withSystemOut(text));
    out.phaseEnd(id("teardown"), problem == null, since(t0));
  }

  private void fail(ExitCode code, String message) {
    if (cleanup.interrupted()) {
      // The hook is tearing everything down under this run; what fails now is its doing.
      infra = ExitCode.INTERRUPTED;
      return;
    }
    out.error("testrig: " + (config.isSingle() ? "" : "[" + config.name() + "] ") + message);
    if (RunService.severity(code) > RunService.severity(infra)) {
      infra = code;
    }
  }

  private String scopeSuffix() {
    return config.isSingle() ? "" : " [" + config.name() + "]";
  }

  private String id(String phase) {
    return config.isSingle() ? phase : phase + "." + config.slug();
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }
}
