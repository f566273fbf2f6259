package io.testrig.backend.docker;

import io.testrig.backend.ComposeBackend;
import io.testrig.backend.ComposeProject;
import io.testrig.core.Exec;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code docker compose} (the v2 CLI plugin) or a v2 {@code docker-compose} standalone binary,
 * always run through {@link Exec} with the engine's environment and one project's files.
 */
public final class ComposeCli implements ComposeBackend {
  private static volatile List<String> detected;

  private final List<String> base;
  private final Exec exec;

  ComposeCli(ComposeProject project) {
    Map<String, String> env = project.env();
    List<String> b = new ArrayList<>(binary(env));
    b.add("--project-name");
    b.add(project.name());
    for (Path f : project.files()) {
      b.add("--file");
      b.add(f.toString());
    }
    for (Path f : project.envFiles()) {
      b.add("--env-file");
      b.add(f.toString());
    }
    // Compose reads the project directory from the first file; keep that default.
    this.base = List.copyOf(b);
    Redactor redactor = project.redactor();
    this.exec = new Exec(redactor::redact);
    env.forEach(exec::env);
    // No ANSI progress bars in captured output.
    exec.env("COMPOSE_ANSI", "never");
    exec.env("COMPOSE_PROGRESS", "plain");
  }

  /**
   * The compose steps of {@code project} without an engine connection: {@code config} needs only
   * the CLI (the validation pass, issue 9, asks it before anything starts).
   */
  public static ComposeBackend withoutEngine(ComposeProject project) {
    return new ComposeCli(project);
  }

  /** The command prefix: binary, project name, files, env files; append profiles and a verb. */
  @Override
  public List<String> command() {
    return base;
  }

  @Override
  public Exec.Result config(Duration timeout) {
    return run(timeout, List.of("--profile", "*", "config", "--format", "json"));
  }

  @Override
  public Exec.Result build(List<String> profiles, List<String> services, Duration timeout) {
    List<String> args = profileArgs(profiles);
    args.add("build");
    args.addAll(services);
    return run(timeout, args);
  }

  @Override
  public Exec.Result create(List<String> profiles, List<String> only, Duration timeout) {
    List<String> args = profileArgs(profiles);
    args.addAll(List.of("up", "--no-start"));
    if (!only.isEmpty()) {
      args.add("--no-deps");
      args.addAll(only);
    }
    return run(timeout, args);
  }

  private static List<String> profileArgs(List<String> profiles) {
    List<String> args = new ArrayList<>();
    for (String p : profiles) {
      args.add("--profile");
      args.add(p);
    }
    return args;
  }

  /** Runs {@code base + args}; the result whatever its exit code. */
  private Exec.Result run(Duration timeout, List<String> args) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(args);
    return exec.run(cmd, timeout);
  }

  /**
   * The compose v2 command: an installed plugin's binary, else {@code docker compose} when {@code
   * docker compose version} works (a plugin elsewhere), else a standalone {@code docker-compose}
   * that reports version 2 (v1 lacks {@code config --format json} and the label semantics testrig
   * relies on).
   */
  static List<String> binary(Map<String, String> env) {
    List<String> d = detected;
    if (d != null) {
      return d;
    }
    // A plugin counts where the docker CLI that would run it is installed, as before.
    Path plugin = Exec.findOnPath("docker") != null ? installedPlugin(env) : null;
    if (plugin != null) {
      // The plugin binary itself, not `docker compose`: run directly it is compose's standalone
      // mode (https://github.com/docker/compose, cmd/main.go: plugin.RunningStandalone), the same
      // program with the same environment (DOCKER_HOST and the API version come from
      // DockerConnect), without the docker CLI's own start and plugin lookup in front of every
      // call: 0.06-0.07 s against 0.11-0.15 s for `config -q` here (issue 11).
      detected = List.of(plugin.toString());
      return detected;
    }
    Exec e = new Exec();
    env.forEach(e::env);
    if (Exec.findOnPath("docker") != null) {
      Exec.Result r =
          e.run(List.of("docker", "compose", "version", "--short"), Duration.ofSeconds(20));
      if (r.ok()) {
        detected = List.of("docker", "compose");
        return detected;
      }
    }
    if (Exec.findOnPath("docker-compose") != null) {
      Exec.Result r =
          e.run(List.of("docker-compose", "version", "--short"), Duration.ofSeconds(20));
      String v = r.stdout().strip();
      if (r.ok() && (v.startsWith("2") || v.startsWith("v2"))) {
        detected = List.of("docker-compose");
        return detected;
      }
    }
    throw new TestrigException(
        ExitCode.ENGINE_UNAVAILABLE,
        "docker compose v2 is not installed (neither the 'docker compose' plugin nor a v2"
            + " 'docker-compose' binary is on PATH)");
  }

  /**
   * Where the docker CLI looks for plugins on Linux, user directory first
   * (https://github.com/docker/cli, cli-plugins/manager/manager_unix.go): a {@code docker-compose}
   * executable there is the compose v2 plugin (v1 was never a plugin), so {@link #binary} needs no
   * {@code docker compose version} process for it (issue 11: no redundant compose invocations).
   * Other places (config.json's {@code cliPluginsExtraDirs}) still work through that probe.
   */
  static List<Path> pluginDirs(Map<String, String> env) {
    String config = env.getOrDefault("DOCKER_CONFIG", System.getenv("DOCKER_CONFIG"));
    Path user =
        config != null && !config.isBlank()
            ? Path.of(config)
            : Path.of(System.getProperty("user.home"), ".docker");
    return List.of(
        user.resolve("cli-plugins"),
        Path.of("/usr/local/lib/docker/cli-plugins"),
        Path.of("/usr/local/libexec/docker/cli-plugins"),
        Path.of("/usr/lib/docker/cli-plugins"),
        Path.of("/usr/libexec/docker/cli-plugins"));
  }

  /** Forgets the detected command, so a test sees detection run again. */
  static void forgetDetected() {
    detected = null;
  }

  /** The first {@code docker-compose} plugin executable in {@link #pluginDirs}, or null. */
  private static Path installedPlugin(Map<String, String> env) {
    for (Path dir : pluginDirs(env)) {
      Path p = dir.resolve("docker-compose");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** The detected compose version line, for {@code testrig engine status}. */
  static String version(Map<String, String> env) {
    List<String> cmd = new ArrayList<>(binary(env));
    cmd.add("version");
    Exec e = new Exec();
    env.forEach(e::env);
    return e.run(cmd, Duration.ofSeconds(20)).stdout().strip();
  }
}
