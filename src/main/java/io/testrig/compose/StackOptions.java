package io.testrig.compose;

import io.testrig.core.Redactor;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to bring a stack up. Build with {@link #defaults(Path)} and the {@code with*} methods.
 *
 * @param projectName compose project name; null: {@code rig stack.project}, else derived from the
 *     CI job by {@link ProjectNames#runId} and {@link ProjectNames#project}
 * @param env extra environment for compose (interpolation), e.g. {@code TESTRIG_RUN_DIR}
 * @param artifactDir where logs go ({@code <artifactDir>/logs/<service>.log})
 * @param redactor masks secrets in saved logs and error messages
 * @param progress per-service progress
 * @param owner the process whose death makes the stack garbage for {@code testrig gc}
 * @param shutdownHook tear the stack down when the JVM exits (SIGINT/SIGTERM) before {@link
 *     Stack#close()} ran
 * @param stateDir where the labels override file goes: the run directory, so it is wiped with the
 *     secrets on every path; null: a private {@code testrig-compose-*} temp directory, removed at
 *     teardown and by {@code testrig gc} once its owner is gone
 * @param beforeStart called once the containers are created and before any starts (a matrix config
 *     waits there for its turn to run: run.ConfigScheduler); may throw to stop the bring-up, which
 *     then removes what it created
 */
public record StackOptions(
    String projectName,
    Map<String, String> env,
    Path artifactDir,
    Redactor redactor,
    ProgressListener progress,
    ProcessHandle owner,
    boolean shutdownHook,
    Path stateDir,
    Runnable beforeStart) {

  public StackOptions {
    env = env == null ? Map.of() : Map.copyOf(env);
    redactor = redactor == null ? new Redactor() : redactor;
    progress = progress == null ? ProgressListener.NONE : progress;
    owner = owner == null ? ProcessHandle.current() : owner;
    beforeStart = beforeStart == null ? () -> {} : beforeStart;
  }

  public static StackOptions defaults(Path artifactDir) {
    return new StackOptions(null, null, artifactDir, null, null, null, true, null, null);
  }

  public StackOptions withProjectName(String name) {
    return new StackOptions(
        name, env, artifactDir, redactor, progress, owner, shutdownHook, stateDir, beforeStart);
  }

  public StackOptions withEnv(Map<String, String> e) {
    return new StackOptions(
        projectName,
        e,
        artifactDir,
        redactor,
        progress,
        owner,
        shutdownHook,
        stateDir,
        beforeStart);
  }

  public StackOptions withRedactor(Redactor r) {
    return new StackOptions(
        projectName, env, artifactDir, r, progress, owner, shutdownHook, stateDir, beforeStart);
  }

  public StackOptions withProgress(ProgressListener p) {
    return new StackOptions(
        projectName, env, artifactDir, redactor, p, owner, shutdownHook, stateDir, beforeStart);
  }

  public StackOptions withOwner(ProcessHandle o) {
    return new StackOptions(
        projectName, env, artifactDir, redactor, progress, o, shutdownHook, stateDir, beforeStart);
  }

  public StackOptions withShutdownHook(boolean hook) {
    return new StackOptions(
        projectName, env, artifactDir, redactor, progress, owner, hook, stateDir, beforeStart);
  }

  public StackOptions withStateDir(Path dir) {
    return new StackOptions(
        projectName, env, artifactDir, redactor, progress, owner, shutdownHook, dir, beforeStart);
  }

  public StackOptions withBeforeStart(Runnable gate) {
    return new StackOptions(
        projectName, env, artifactDir, redactor, progress, owner, shutdownHook, stateDir, gate);
  }
}
