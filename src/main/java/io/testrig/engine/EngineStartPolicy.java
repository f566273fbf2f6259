package io.testrig.engine;

import io.testrig.core.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whether a command that needs the engine starts dockerd itself before connecting: GitLab's
 * Kubernetes executor runs no image entrypoint
 * (https://docs.gitlab.com/runner/executors/kubernetes/), so in the builder image the first testrig
 * command has to. Only when nothing is configured (DOCKER_HOST unset), no daemon socket exists and
 * dockerd is installed; otherwise it only connects, waiting for a DinD service that may still be
 * starting.
 */
public final class EngineStartPolicy {
  /**
   * {@code --start-engine}: auto starts dockerd under the conditions above; never only connects.
   */
  public enum Mode {
    auto,
    never
  }

  /** Where a daemon started by the policy logs (as {@code testrig engine start}'s default). */
  static final Path DOCKERD_LOG = Path.of("/var/log/testrig-dockerd.log");

  private EngineStartPolicy() {}

  /** Connects to the engine, first starting dockerd when {@link #shouldStart} says so. */
  public static Engine connect(Mode mode, Duration wait, Map<String, String> env) {
    if (wouldStart(mode, env)) {
      return EngineStarter.start(env, "dockerd", List.of(), DOCKERD_LOG, wait).engine();
    }
    return Engine.connect(env, wait);
  }

  /** Whether {@link #connect} would start dockerd first (so a command may connect early if not). */
  public static boolean wouldStart(Mode mode, Map<String, String> env) {
    boolean socket = Files.exists(Path.of(Engine.DEFAULT_HOST.substring("unix://".length())));
    boolean dockerd = Exec.findOnPath("dockerd") != null;
    return shouldStart(mode, env.get("DOCKER_HOST"), socket, dockerd);
  }

  /**
   * The policy itself, without side effects: start only in auto mode, with DOCKER_HOST unset or
   * blank, no socket at the default path, and dockerd on the PATH.
   */
  static boolean shouldStart(
      Mode mode, String dockerHost, boolean defaultSocketExists, boolean dockerdOnPath) {
    boolean noDaemon = (dockerHost == null || dockerHost.isBlank()) && !defaultSocketExists;
    return mode == Mode.auto && noDaemon && dockerdOnPath;
  }
}
