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
 */
public record StackOptions(
    String projectName,
    Map<String, String> env,
    Path artifactDir,
    Redactor redactor,
    ProgressListener progress,
    ProcessHandle owner,
    boolean shutdownHook,
    Path stateDir) {

  public StackOptions {
    env = env == null ? Map.of() : Map.copyOf(env);
    redactor = redactor == null ? new Redactor() : redactor;
    progress = progress == null ? ProgressListener.NONE : progress;
    owner = owner == null ? ProcessHandle.current() : owner;
  }

  public static StackOptions defaults(Path artifactDir) {
    return new StackOptions(null, null, artifactDir, null, null, null, true, null);
  }

  public StackOptions withProjectName(String name) {
    return new StackOptions(
        name, env, artifactDir, redactor, progress, owner, shutdownHook, stateDir);
  }

  public StackOptions withEnv(Map<String, String> e) {
    return new StackOptions(
        projectName, e, artifactDir, redactor, progress, owner, shutdownHook, stateDir);
  }

  public StackOptions withRedactor(Redactor r) {
    return new StackOptions(
        projectName, env, artifactDir, r, progress, owner, shutdownHook, stateDir);
  }

  public StackOptions withProgress(ProgressListener p) {
    return new StackOptions(
        projectName, env, artifactDir, redactor, p, owner, shutdownHook, stateDir);
  }

  public StackOptions withOwner(ProcessHandle o) {
    return new StackOptions(
        projectName, env, artifactDir, redactor, progress, o, shutdownHook, stateDir);
  }

  public StackOptions withShutdownHook(boolean hook) {
    return new StackOptions(
        projectName, env, artifactDir, redactor, progress, owner, hook, stateDir);
  }

  public StackOptions withStateDir(Path dir) {
    return new StackOptions(
        projectName, env, artifactDir, redactor, progress, owner, shutdownHook, dir);
  }
}
