package io.testrig.suite;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a suite runs: the stack it tests and what every suite container gets.
 *
 * @param runId the run id (part of container names; also expected in {@code labels})
 * @param network the stack's network; image and JVM suites join it, with the suite's name as
 *     network alias; null runs them on the engine's default bridge
 * @param compose how to call {@code docker compose} for this stack; needed only by suites that name
 *     a compose {@code service}
 * @param env environment for the suite (container env, or the local JVM's); values are secrets as
 *     far as output goes: they only reach the suite, never an argument list
 * @param labels labels for every container a suite creates: at least {@link
 *     io.testrig.engine.Labels#RUN_ID}, {@link io.testrig.engine.Labels#STARTED} and {@link
 *     io.testrig.engine.Labels#OWNER}
 * @param rigDir the rig file's directory: JVM classpath entries resolve against it, and local
 *     suites run in it
 * @param runView the run directory as suites see it ({@link RunView}): mounted read-only at {@link
 *     RunView#CONTAINER_PATH} in every suite container; null mounts nothing
 */
public record SuiteTarget(
    String runId,
    String network,
    Compose compose,
    Map<String, String> env,
    Map<String, String> labels,
    Path rigDir,
    Path runView) {
  /** A target without a view of the run directory. */
  public SuiteTarget(
      String runId,
      String network,
      Compose compose,
      Map<String, String> env,
      Map<String, String> labels,
      Path rigDir) {
    this(runId, network, compose, env, labels, rigDir, null);
  }

  public SuiteTarget {
    env = env == null ? Map.of() : Map.copyOf(env);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /**
   * The compose invocation of the stack, as the compose package runs it.
   *
   * @param command the command up to the subcommand, e.g. {@code [docker, compose, -p, testrig-42,
   *     -f, /rig/compose.yml, --env-file, ...]}; the runner appends {@code run ...}
   * @param workDir working directory of the compose process
   * @param env extra environment of the compose process (DOCKER_HOST, interpolation values)
   */
  public record Compose(List<String> command, Path workDir, Map<String, String> env) {
    public Compose {
      command = List.copyOf(command);
      env = env == null ? Map.of() : Map.copyOf(env);
    }
  }
}
