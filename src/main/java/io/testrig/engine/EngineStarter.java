package io.testrig.engine;

import io.testrig.core.Exec;
import io.testrig.core.ExitCode;
import io.testrig.core.SafePaths;
import io.testrig.core.TestrigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code testrig engine start}: starts the builder image's bundled dockerd when no engine answers.
 * GitLab's Kubernetes executor does not run an image's entrypoint
 * (https://docs.gitlab.com/runner/executors/kubernetes/), so the job's first testrig command has to
 * start the daemon itself. Storage is /var/lib/docker (a volume or emptyDir in the pod).
 */
public final class EngineStarter {
  private EngineStarter() {}

  /** What happened: whether a daemon was started, and the engine that now answers. */
  public record Started(boolean started, Engine engine) {}

  /**
   * Returns the engine that answers at DOCKER_HOST (or the default socket); when none answers and
   * DOCKER_HOST names a local socket, starts {@code dockerd} in the background, logging to {@code
   * log}, and waits up to {@code wait} for it.
   *
   * @param extraArgs extra dockerd arguments (e.g. {@code --data-root}, {@code -H})
   */
  public static Started start(
      Map<String, String> env, String dockerd, List<String> extraArgs, Path log, Duration wait) {
    try {
      return new Started(false, Engine.connect(env, Duration.ofMillis(500)));
    } catch (TestrigException e) {
      if (e.exitCode() != ExitCode.ENGINE_UNAVAILABLE) {
        throw e;
      }
    }
    String host = env.get("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      host = Engine.DEFAULT_HOST;
    }
    if (!host.startsWith("unix://")) {
      throw new TestrigException(
          ExitCode.ENGINE_UNAVAILABLE,
          "no Docker engine answers at "
              + host
              + " and it is not a local socket, so testrig starts no daemon (is the docker:dind"
              + " service running?)");
    }
    Exec.requireOnPath(dockerd);
    List<String> args = new ArrayList<>(List.of(dockerd, "-H", host));
    args.addAll(extraArgs);
    // setsid + nohup: the daemon must outlive this command and hold none of its pipes, or Exec
    // would wait for it; `echo $!` reports its pid for the error message.
    String script =
        "setsid nohup \"$@\" >" + shellQuote(log.toString()) + " 2>&1 </dev/null & echo $!";
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", script, "sh"));
    cmd.addAll(args);
    SafePaths.requireFileTarget(log, "dockerd log");
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw TestrigException.io("cannot create " + log.getParent() + ": " + e.getMessage(), e);
    }
    String pid = new Exec().check(cmd, Duration.ofSeconds(10), ExitCode.ENGINE_UNAVAILABLE).strip();
    try {
      return new Started(true, Engine.connect(env, wait));
    } catch (TestrigException e) {
      boolean alive =
          !pid.isEmpty()
              && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
      throw new TestrigException(
          ExitCode.ENGINE_UNAVAILABLE,
          "dockerd "
              + (alive
                  ? "did not answer at " + host + " within " + wait.toSeconds() + " s"
                  : "exited")
              + "; the job container must run privileged (GitLab runner: privileged = true in"
              + " config.toml); last lines of "
              + log
              + ": "
              + tail(log, 5),
          e);
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
