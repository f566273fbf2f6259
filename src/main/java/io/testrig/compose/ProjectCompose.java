package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.ComposeProject;
import io.testrig.core.Exec;
import io.testrig.core.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker compose -p PROJECT ...} for a stack that is already up (the developer's inner loop:
 * {@code info}, {@code exec}, {@code logs}, {@code reload}), always through {@link Exec} with the
 * engine's environment. Compose finds a running project's containers by its labels, so {@code ps},
 * {@code exec}, {@code logs}, {@code kill} and {@code restart} need no compose file; {@link
 * #withFiles} adds the rig's files for {@code config}.
 */
public final class ProjectCompose {
  private final Backend backend;
  private final String project;
  private final Map<String, String> env;
  private final Redactor redactor;
  private final List<Path> files;
  private final List<Path> envFiles;

  private ProjectCompose(
      Backend backend,
      String project,
      Map<String, String> env,
      Redactor redactor,
      List<Path> files,
      List<Path> envFiles) {
    this.backend = backend;
    this.envFiles = List.copyOf(envFiles);
    this.project = project;
    this.env = Map.copyOf(env);
    this.redactor = redactor;
    this.files = List.copyOf(files);
  }

  /**
   * @param engineEnv the engine's environment ({@code Engine.environment()}: host, TLS, API)
   */
  public static ProjectCompose of(
      Backend backend, String project, Map<String, String> engineEnv, Redactor r) {
    return new ProjectCompose(backend, project, engineEnv, r, List.of(), List.of());
  }

  /**
   * The same project with compose files (and the labels override {@code up} left in {@code runDir},
   * when there is one) and {@code TESTRIG_RUN_DIR} set, for commands that read the model.
   */
  public ProjectCompose withFiles(List<Path> composeFiles, List<Path> envFiles, Path runDir) {
    List<Path> all = new ArrayList<>(composeFiles);
    Path override = runDir.resolve("." + LabelOverride.PREFIX + project + ".labels.json");
    if (Files.isRegularFile(override)) {
      all.add(override);
    }
    Map<String, String> e = new LinkedHashMap<>(env);
    e.put("TESTRIG_RUN_DIR", runDir.toString());
    return new ProjectCompose(backend, project, e, redactor, all, envFiles);
  }

  /** The same project with more environment for compose (interpolation of the rig's values). */
  public ProjectCompose withEnv(Map<String, String> more) {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.putAll(more);
    return new ProjectCompose(backend, project, e, redactor, files, envFiles);
  }

  public String project() {
    return project;
  }

  /** The full command line: the compose binary, {@code -p PROJECT}, files, then {@code args}. */
  public List<String> command(List<String> args) {
    List<String> cmd =
        new ArrayList<>(
            backend.compose(new ComposeProject(project, files, envFiles, env, redactor)).command());
    cmd.addAll(args);
    return cmd;
  }

  /** An executor with the engine's environment and output masked in its error messages. */
  public Exec exec() {
    Exec e = new Exec(redactor::redact);
    env.forEach(e::env);
    e.env("COMPOSE_ANSI", "never");
    e.env("COMPOSE_PROGRESS", "plain");
    return e;
  }
}
