package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.ComposeBackend;
import io.testrig.backend.LabelFilter;
import io.testrig.backend.Resource;
import io.testrig.core.Redactor;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.engine.Reaper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compose stack testrig brought up (or is bringing up). {@link #close()} is idempotent and safe
 * from a shutdown hook: it saves the logs, then kills and removes every container, network and
 * volume of the project and of the run id (suite containers labelled with {@link #labels()}
 * included).
 */
public final class Stack implements AutoCloseable {
  private final Engine engine;
  private final String project;
  private final String runId;
  private final Map<String, String> labels;
  private final ComposeBackend compose;
  private final List<String> profiles;
  private final List<String> networks;
  private final Path artifactDir;
  private final Redactor redactor;
  private final boolean graceful;
  private final LabelOverride override;
  private volatile List<ServiceStatus> services = List.of();
  private Thread hook;
  private boolean closed;
  private Reaper.Removed removed;
  private Duration teardownTime;
  private volatile String logsProblem;

  Stack(
      Engine engine,
      String project,
      String runId,
      Map<String, String> labels,
      ComposeBackend compose,
      List<String> profiles,
      List<String> networks,
      Path artifactDir,
      Redactor redactor,
      boolean graceful,
      LabelOverride override) {
    this.engine = engine;
    this.project = project;
    this.runId = runId;
    this.labels = Map.copyOf(labels);
    this.compose = compose;
    this.profiles = List.copyOf(profiles);
    this.networks = List.copyOf(networks);
    this.artifactDir = artifactDir;
    this.redactor = redactor;
    this.graceful = graceful;
    this.override = override;
  }

  /** Compose project name, e.g. {@code testrig-j1234-pg16-ab12}. */
  public String projectName() {
    return project;
  }

  public String runId() {
    return runId;
  }

  /**
   * Labels every resource of this run carries; a suite container started outside compose must carry
   * them too, so teardown and gc find it.
   */
  public Map<String, String> labels() {
    return labels;
  }

  /** The network a container should join to reach the services by name. */
  public String defaultNetwork() {
    return networks.stream()
        .filter(n -> n.equals(project + "_default"))
        .findFirst()
        .orElse(networks.isEmpty() ? null : networks.get(0));
  }

  /** The backend the stack lives on (the watch and the log saver use it). */
  Backend backend() {
    return engine.backend();
  }

  /** One status per enabled service, in model order. */
  public List<ServiceStatus> services() {
    return services;
  }

  void services(List<ServiceStatus> s) {
    services = List.copyOf(s);
  }

  /**
   * A full {@code docker compose} command for this project (files, label override, profiles)
   * followed by {@code args}, e.g. {@code composeCommand("--profile", "suite", "run", "--rm",
   * "tests")}.
   */
  public List<String> composeCommand(String... args) {
    List<String> cmd = new ArrayList<>(compose.command());
    for (String p : profiles) {
      cmd.add("--profile");
      cmd.add(p);
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Where service logs go. */
  public Path logsDir() {
    return artifactDir.resolve("logs");
  }

  /**
   * Saves every service's current log (timestamps, redacted) under {@link #logsDir()}; callable any
   * time before {@link #close()}, which saves them again.
   */
  public void saveLogs() {
    LogSaver.save(
        engine.backend(), containersByService(engine.backend(), project), logsDir(), redactor);
  }

  /**
   * Starts watching the ready services for deaths (while the suites run); close it when they are
   * done.
   */
  public ServiceWatch watch() {
    return new ServiceWatch(this);
  }

  /** The last lines of a service's saved log ({@link #saveLogs()} first), or "(no log)". */
  String tail(String service, int n) {
    Path f = logsDir().resolve(service + ".log");
    try {
      if (Files.exists(f)) {
        return LogSaver.tail(Files.readString(f), n);
      }
    } catch (IOException e) {
      // Unreadable: said as "(no log)"; the saved file's path is in the same message.
    }
    return "(no log)";
  }

  /**
   * Keeps the stack when the JVM exits ({@code testrig up}): removes the shutdown hook. {@code
   * testrig down} or {@code testrig gc} remove it later by its labels.
   */
  public void detach() {
    unhook();
  }

  /** Tears down: logs saved, everything removed. Same as {@link #close()} but reports. */
  public synchronized Reaper.Removed down() {
    if (closed) {
      return removed;
    }
    long t0 = System.nanoTime();
    try {
      saveLogs();
    } catch (RuntimeException e) {
      // Removal must still happen; the caller reports the failure (logsProblem).
      logsProblem = redactor.redact(String.valueOf(e.getMessage()));
    }
    removed = remove(engine.backend(), project, runId, graceful);
    teardownTime = Duration.ofNanos(System.nanoTime() - t0);
    closed = true;
    deleteOverride();
    unhook();
    return removed;
  }

  /**
   * Why saving the service logs at {@link #down()} failed (e.g. "cannot write logs/db.log (No space
   * left on device; ...)"), or null: a log left empty or cut short must be reported, never silent.
   */
  public String logsProblem() {
    return logsProblem;
  }

  /** How long {@link #down()} took, or null before it ran. */
  public Duration teardownTime() {
    return teardownTime;
  }

  /** Idempotent, never throws: for try-with-resources and shutdown hooks. */
  @Override
  public void close() {
    try {
      down();
    } catch (RuntimeException e) {
      PrintStream err = System.err;
      err.println(
          "testrig: teardown of "
              + project
              + " failed: "
              + redactor.redact(String.valueOf(e.getMessage())));
    }
  }

  synchronized void hook() {
    hook = new Thread(this::closeOnShutdown, "testrig-teardown-" + project);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * The shutdown hook's teardown: first the compose child that may still be creating containers is
   * ended, then the stack is removed, then removed again until the engine is quiet (a create the
   * killed compose had already sent may still land), issue 7 item 7.
   */
  private void closeOnShutdown() {
    io.testrig.core.Exec.endAll(Duration.ofSeconds(10));
    close();
    try {
      Reaper.removeUntilQuiet(
          engine.backend(),
          Labels.COMPOSE_PROJECT,
          project,
          Duration.ofSeconds(1),
          Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      System.err.println(
          "testrig: teardown of " + project + " failed: " + redactor.redact(e.getMessage()));
    }
  }

  private synchronized void unhook() {
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook runs (or ran) close(), which is idempotent.
      }
    }
    hook = null;
  }

  private void deleteOverride() {
    if (override != null) {
      override.delete();
    }
  }

  /** Removes a project's and a run's resources (also what {@code testrig down -p} uses). */
  public static Reaper.Removed remove(
      Engine engine, String project, String runId, boolean graceful) {
    return remove(engine.backend(), project, runId, graceful);
  }

  static Reaper.Removed remove(Backend client, String project, String runId, boolean graceful) {
    List<LabelFilter> filters = new ArrayList<>();
    filters.add(LabelFilter.of(Labels.COMPOSE_PROJECT, project));
    if (runId != null) {
      filters.add(LabelFilter.of(Labels.RUN_ID, runId));
    }
    return Reaper.remove(client, filters, l -> true, graceful);
  }

  /** The project's service containers (not one-off ones), by service, sorted by name. */
  static Map<String, List<String>> containersByService(Backend client, String project) {
    return containersByService(
        client.listContainers(LabelFilter.of(Labels.COMPOSE_PROJECT, project)));
  }

  /** {@link #containersByService(Backend, String)} of a project's listed containers. */
  static Map<String, List<String>> containersByService(List<Resource> projectContainers) {
    Map<String, TreeMap<String, String>> byService = new TreeMap<>();
    for (Resource c : projectContainers) {
      Map<String, String> l = c.labels();
      if ("True".equalsIgnoreCase(l.get(Labels.COMPOSE_ONEOFF))
          || l.get(Labels.COMPOSE_SERVICE) == null) {
        continue;
      }
      byService
          .computeIfAbsent(l.get(Labels.COMPOSE_SERVICE), k -> new TreeMap<>())
          .put(c.name(), c.id());
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    byService.forEach((s, m) -> out.put(s, List.copyOf(m.values())));
    return out;
  }
}
