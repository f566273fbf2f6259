package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.ComposeBackend;
import io.testrig.backend.ComposeProject;
import io.testrig.backend.LabelFilter;
import io.testrig.backend.Resource;
import io.testrig.core.Exec;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.engine.Reaper;
import io.testrig.rig.Rig;
import io.testrig.rig.StackSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Brings a rig's compose stack up until every service is ready:
 *
 * <ol>
 *   <li>{@code docker compose config --format json} with every profile enabled: the preflight
 *       (compose runs the same loading and validation as {@code config -q}, so an invalid file
 *       fails here, exit 2, before anything exists) and the resolved model in one process;
 *   <li>an override file adding testrig's labels to every service, network and volume;
 *   <li>{@code build} for the rig's build services; {@code up --no-start} to create everything;
 *   <li>{@link Bringup}: start in depends_on order, fast readiness per service.
 * </ol>
 *
 * On any failure the logs are saved, everything is removed and a {@link StackFailedException} names
 * the service, its state and its last log lines.
 */
public final class StackService {
  static final Duration CONFIG_TIMEOUT = Duration.ofSeconds(60);
  static final Duration CREATE_TIMEOUT = Duration.ofMinutes(15);
  static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
  private static final int TAIL_LINES = 5;

  private StackService() {}

  public static Stack up(Engine engine, Rig rig, StackOptions opts) {
    return up(engine, rig, opts, Map.of());
  }

  /**
   * As {@link #up(Engine, Rig, StackOptions)}, with {@code disabled} services (service → why, from
   * {@link io.testrig.rig.Switches}) left out of the stack and reported as skipped ({@link
   * Disabled}).
   */
  public static Stack up(Engine engine, Rig rig, StackOptions opts, Map<String, String> disabled) {
    StackSpec spec = rig.stack();
    String where = rig.file() == null ? "testrig.yml" : rig.file().toString();
    List<Path> files = composeFiles(rig, where);
    List<Path> envFiles = envFiles(rig, where);
    Naming naming = naming(spec, opts, where);
    String project = naming.project();
    Map<String, String> labels = runLabels(rig, opts, naming);
    Map<String, String> env = new LinkedHashMap<>(engine.environment());
    env.putAll(opts.env());
    ComposeProject plain = new ComposeProject(project, files, envFiles, env, opts.redactor());
    ComposeProject asValidated =
        new ComposeProject(project, files, envFiles, opts.env(), opts.redactor());
    ComposeModel model = preflight(engine.backend(), plain, ConfigMemo.recall(asValidated));
    checkServices(model, spec, where);
    List<String> byProfiles = model.enabledServices(spec.profiles());
    List<String> enabled = Disabled.enabled(model, byProfiles, disabled, where);

    LabelOverride override =
        LabelOverride.write(opts.stateDir(), project, model.labelOverride(labels));
    ComposeBackend compose = engine.backend().compose(withOverride(plain, override));
    Stack stack = newStack(engine, naming, labels, compose, model, spec, opts, override);
    if (opts.shutdownHook()) {
      stack.hook();
    }
    // Subscribed while compose creates the containers; closed on every path.
    CompletableFuture<EventWatch> events = EventWatch.opening(engine.backend(), project);
    try {
      build(compose, spec, opts.redactor());
      if (!enabled.isEmpty()) { // with every service disabled, `up` naming none would make all
        List<String> only = disabled.isEmpty() ? List.of() : enabled;
        create(engine.backend(), compose, model, enabled, only, spec, opts.redactor());
      }
      List<ServiceStatus> statuses =
          Disabled.withDisabled(
              model,
              bringUp(engine, project, model, enabled, spec, opts, events),
              byProfiles,
              disabled,
              opts.progress(),
              stack.logsDir());
      stack.services(statuses);
      failOnFailedService(stack, statuses);
      return stack;
    } catch (InterruptedException e) {
      stack.close();
      Thread.currentThread().interrupt();
      throw new TestrigException(
          ExitCode.INTERRUPTED, "interrupted while bringing " + project + " up", e);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    } finally {
      events.thenAccept(EventWatch::close);
    }
  }

  /** The project with the label override file added after the rig's compose files. */
  private static ComposeProject withOverride(ComposeProject p, LabelOverride override) {
    List<Path> files = new ArrayList<>(p.files());
    files.add(override.file());
    return new ComposeProject(p.name(), files, p.envFiles(), p.env(), p.redactor());
  }

  /** The rig's compose files, resolved; a template or a missing file is bad input. */
  private static List<Path> composeFiles(Rig rig, String where) {
    StackSpec spec = rig.stack();
    if (spec.isEmpty()) {
      throw TestrigException.badInput(where + ": stack.files: no compose files given");
    }
    List<Path> files = new ArrayList<>();
    for (String f : spec.files()) {
      if (f.endsWith(".j2")) {
        throw TestrigException.badInput(
            where
                + ": stack.files: "
                + f
                + " is a template; compose files are used as they are and reach rendered"
                + " files through ${TESTRIG_RUN_DIR}");
      }
      files.add(rig.resolve(f));
    }
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw TestrigException.badInput(where + ": stack.files: " + f + ": no such file");
      }
    }
    return files;
  }

  /** The rig's {@code stack.env_files}, resolved; a missing file is bad input. */
  private static List<Path> envFiles(Rig rig, String where) {
    List<Path> envFiles = new ArrayList<>();
    for (String f : rig.stack().envFiles()) {
      Path p = rig.resolve(f);
      if (!Files.isRegularFile(p)) {
        throw TestrigException.badInput(where + ": stack.env_files: " + p + ": no such file");
      }
      envFiles.add(p);
    }
    return envFiles;
  }

  /** A stack's compose project name and the run id its labels carry. */
  private record Naming(String project, String runId) {}

  /** The labels every resource of this run carries (owner, run id, rig, run dir). */
  private static Map<String, String> runLabels(Rig rig, StackOptions opts, Naming naming) {
    Map<String, String> labels =
        Labels.forRun(naming.runId(), opts.owner(), rig.file(), System.getenv());
    if (opts.stateDir() != null) {
      // gc reads a kept stack's time-to-live from there (engine.KeepMarker, issue 12 item 1).
      labels.put(Labels.RUN_DIR, opts.stateDir().toAbsolutePath().toString());
    }
    return labels;
  }

  /** {@code --project}, else {@code stack.project}, else a fresh name from the CI job. */
  private static Naming naming(StackSpec spec, StackOptions opts, String where) {
    String given = opts.projectName() != null ? opts.projectName() : spec.project();
    if (given != null) {
      String project =
          ProjectNames.validate(
              given, opts.projectName() != null ? "--project" : where + ": stack.project");
      return new Naming(project, ProjectNames.runIdOf(project));
    }
    String runId = ProjectNames.runId(System.getenv(), null);
    return new Naming(ProjectNames.project(runId), runId);
  }

  /**
   * {@code docker compose config --format json} with every profile enabled: validates the files (an
   * invalid one is bad input) and returns the resolved model; {@code validated} is the same
   * project's accepted config from this command's validation pass ({@link ConfigMemo}), which
   * spares a second compose process, or null.
   */
  private static ComposeModel preflight(
      Backend backend, ComposeProject project, Exec.Result validated) {
    Exec.Result config =
        validated != null ? validated : backend.compose(project).config(CONFIG_TIMEOUT);
    if (!config.ok()) {
      List<String> names = project.files().stream().map(Path::toString).toList();
      throw TestrigException.badInput(
          "invalid compose file ("
              + String.join(", ", names)
              + "): "
              + firstLine(project.redactor().redact(config.stderr())));
    }
    return ComposeModel.parse(config.stdout());
  }

  /** Every service the rig names in {@code stack.services} and {@code stack.build} exists. */
  private static void checkServices(ComposeModel model, StackSpec spec, String where) {
    List<String> all = model.services();
    for (String s : spec.services().keySet()) {
      if (!all.contains(s)) {
        throw TestrigException.badInput(
            where + ": stack.services." + s + ": no such service in the compose files");
      }
    }
    for (String s : spec.build()) {
      if (!all.contains(s)) {
        throw TestrigException.badInput(
            where + ": stack.build: no service '" + s + "' in the compose files");
      }
    }
  }

  private static Stack newStack(
      Engine engine,
      Naming naming,
      Map<String, String> labels,
      ComposeBackend compose,
      ComposeModel model,
      StackSpec spec,
      StackOptions opts,
      LabelOverride override) {
    String project = naming.project();
    List<String> networks = new ArrayList<>();
    for (String n : model.networkNames()) {
      networks.add(n);
    }
    networks.sort(
        (a, b) ->
            a.equals(project + "_default")
                ? -1
                : b.equals(project + "_default") ? 1 : a.compareTo(b));
    Path artifacts = opts.artifactDir() == null ? Path.of("testrig-artifacts") : opts.artifactDir();
    return new Stack(
        engine,
        project,
        naming.runId(),
        labels,
        compose,
        spec.profiles(),
        networks,
        artifacts,
        opts.redactor(),
        spec.gracefulStop(),
        override);
  }

  /** {@code docker compose build} for the rig's {@code stack.build} services, if any. */
  private static void build(ComposeBackend compose, StackSpec spec, Redactor redactor) {
    if (spec.build().isEmpty()) {
      return;
    }
    Exec.Result b = compose.build(spec.profiles(), spec.build(), BUILD_TIMEOUT);
    if (!b.ok()) {
      throw new StackFailedException(
          "building "
              + String.join(", ", spec.build())
              + " failed: "
              + tailLine(redactor.redact(b.stderr())),
          List.of(),
          null);
    }
  }

  /** {@code docker compose up --no-start}: creates every container, network and volume. */
  private static void create(
      Backend backend,
      ComposeBackend compose,
      ComposeModel model,
      List<String> enabled,
      List<String> only,
      StackSpec spec,
      Redactor redactor) {
    Exec.Result created = compose.create(spec.profiles(), only, CREATE_TIMEOUT);
    if (!created.ok()) {
      throw new StackFailedException(
          createFailure(backend, model, enabled, redactor.redact(created.stderr())),
          List.of(),
          null);
    }
  }

  /** {@link Bringup}: starts the created containers in depends_on order until each is ready. */
  private static List<ServiceStatus> bringUp(
      Engine engine,
      String project,
      ComposeModel model,
      List<String> enabled,
      StackSpec spec,
      StackOptions opts,
      CompletableFuture<EventWatch> watching)
      throws InterruptedException {
    try (EventWatch events = EventWatch.opened(watching)) {
      Map<String, List<String>> containers = Stack.containersByService(engine.backend(), project);
      return new Bringup(engine, model, enabled, spec, containers, opts.progress(), events).run();
    }
  }

  /**
   * Throws for the first failed service, naming its last log lines and its saved log (the logs are
   * saved first).
   */
  private static void failOnFailedService(Stack stack, List<ServiceStatus> statuses) {
    ServiceStatus failed =
        statuses.stream()
            .filter(st -> st.state() == ServiceStatus.State.FAILED)
            .findFirst()
            .orElse(null);
    if (failed == null) {
      return;
    }
    String logsFailed = null;
    try {
      stack.saveLogs();
    } catch (TestrigException e) {
      logsFailed = e.getMessage();
    }
    String msg =
        failed.message()
            + "; last log lines: "
            + stack.tail(failed.service(), TAIL_LINES)
            + "; log: "
            + stack.logsDir().resolve(failed.service() + ".log")
            + (logsFailed == null ? "" : "; " + logsFailed);
    throw new StackFailedException(msg, withMessage(statuses, failed.service(), msg), null);
  }

  private static List<ServiceStatus> withMessage(
      List<ServiceStatus> in, String service, String msg) {
    List<ServiceStatus> out = new ArrayList<>();
    for (ServiceStatus s : in) {
      out.add(
          s.service().equals(service)
              ? new ServiceStatus(s.service(), s.state(), s.how(), s.elapsed(), msg)
              : s);
    }
    return out;
  }

  /** Names the service whose image is missing, when that is why {@code up --no-start} failed. */
  private static String createFailure(
      Backend backend, ComposeModel model, List<String> enabled, String stderr) {
    List<String> missing = new ArrayList<>();
    for (String s : enabled) {
      String image = model.image(s);
      if (image == null || model.hasBuild(s)) {
        continue;
      }
      if (!backend.imageExists(image)) {
        missing.add("service '" + s + "': image '" + image + "'");
      }
    }
    if (!missing.isEmpty()) {
      return String.join(", ", missing)
          + " not found locally and could not be pulled ("
          + tailLine(stderr)
          + ")";
    }
    return "docker compose up failed: " + tailLine(stderr);
  }

  /**
   * What {@link #down} did: what it removed, and why saving the logs failed (null when they were
   * all saved).
   */
  public record Down(Reaper.Removed removed, String logsProblem) {}

  /**
   * Tears down a stack known only by its project name ({@code testrig down}): saves its logs under
   * {@code artifactDir/logs}, then removes its containers, networks and volumes and those of its
   * run id. A log that cannot be written does not stop the removal; it is returned for the caller
   * to report.
   */
  public static Down down(Engine engine, String project, Path artifactDir, Redactor redactor) {
    Backend backend = engine.backend();
    String runId = null;
    // One list for the run id and the logs: each list is a round trip (issue 11).
    List<Resource> found = backend.listContainers(LabelFilter.of(Labels.COMPOSE_PROJECT, project));
    for (Resource c : found) {
      runId = c.labels().getOrDefault(Labels.RUN_ID, runId);
    }
    String logs = null;
    try {
      LogSaver.save(
          backend, Stack.containersByService(found), artifactDir.resolve("logs"), redactor);
    } catch (RuntimeException e) {
      logs = redactor.redact(String.valueOf(e.getMessage()));
    }
    return new Down(Stack.remove(backend, project, runId, false), logs);
  }

  /** Compose projects of testrig stacks brought up from {@code rigFile}. */
  public static List<String> projectsOf(Engine engine, Path rigFile) {
    String path = rigFile.toAbsolutePath().normalize().toString();
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Resource c : engine.backend().listContainers(LabelFilter.of(Labels.RIG, path))) {
      String p = c.labels().get(Labels.COMPOSE_PROJECT);
      if (p != null) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Removes orphaned {@code testrig-compose-*} temp directories (labels override files of stacks
   * brought up without a run directory whose owner is gone); for {@code testrig gc}.
   */
  public static List<Path> sweepLabelOverrides() {
    return LabelOverride.sweep();
  }

  /** {@code docker compose version} of the compose testrig uses with this engine. */
  public static String composeVersion(Engine engine) {
    return engine.backend().composeVersion();
  }

  static String firstLine(String s) {
    for (String l : s.strip().split("\r?\n")) {
      if (!l.isBlank()) {
        return l.strip();
      }
    }
    return "(no output)";
  }

  static String tailLine(String s) {
    String[] lines = s.strip().split("\r?\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i].strip();
      }
    }
    return "(no output)";
  }
}
