package io.testrig.compose;

import io.testrig.core.Redactor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to bring a stack up. Build with {@link #defaults(Path)} and the {@code with*} methods.
 *
 * @param projectName compose project name; null: {@code rig stack.project}, else derived by {@link
 *     ProjectNames#derive}
 * @param configSuffix a matrix config's short name, part of a derived project name so parallel
 *     matrix entries in one CI job never collide; may be null
 * @param env extra environment for compose (interpolation), e.g. {@code TESTRIG_RUN_DIR}
 * @param artifactDir where logs go ({@code <artifactDir>/logs/<service>.log})
 * @param composeFiles compose files to use instead of the rig's (e.g. rendered {@code .j2} files);
 *     null: the rig's {@code stack.files}
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
    String configSuffix,
    Map<String, String> env,
    Path artifactDir,
    List<Path> composeFiles,
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
    composeFiles = composeFiles == null ? null : List.copyOf(composeFiles);
  }

  public static StackOptions defaults(Path artifactDir) {
    return new StackOptions(null, null, null, artifactDir, null, null, null, null, true, null);
  }

  public StackOptions withProjectName(String name) {
    return new StackOptions(
        name,
        configSuffix,
        env,
        artifactDir,
        composeFiles,
        redactor,
        progress,
        owner,
        shutdownHook,
        stateDir);
  }

  public StackOptions withConfigSuffix(String suffix) {
    return new StackOptions(
        projectName,
        suffix,
        env,
        artifactDir,
        composeFiles,
        redactor,
        progress,
        owner,
        shutdownHook,
        stateDir);
  }

  public StackOptions withEnv(Map<String, String> e) {
    return new StackOptions(
        projectName,
        configSuffix,
        e,
        artifactDir,
        composeFiles,
        redactor,
        progress,
        owner,
        shutdownHook,
        stateDir);
  }

  public StackOptions withComposeFiles(List<Path> files) {
    return new StackOptions(
        projectName,
        configSuffix,
        env,
        artifactDir,
        files,
        redactor,
        progress,
        owner,
        shutdownHook,
        stateDir);
  }

  public StackOptions withRedactor(Redactor r) {
    return new StackOptions(
        projectName,
        configSuffix,
        env,
        artifactDir,
        composeFiles,
        r,
        progress,
        owner,
        shutdownHook,
        stateDir);
  }

  public StackOptions withProgress(ProgressListener p) {
    return new StackOptions(
        projectName,
        configSuffix,
        env,
        artifactDir,
        composeFiles,
        redactor,
        p,
        owner,
        shutdownHook,
        stateDir);
  }

  public StackOptions withOwner(ProcessHandle o) {
    return new StackOptions(
        projectName,
        configSuffix,
        env,
        artifactDir,
        composeFiles,
        redactor,
        progress,
        o,
        shutdownHook,
        stateDir);
  }

  public StackOptions withShutdownHook(boolean hook) {
    return new StackOptions(
        projectName,
        configSuffix,
        env,
        artifactDir,
        composeFiles,
        redactor,
        progress,
        owner,
        hook,
        stateDir);
  }

  public StackOptions withStateDir(Path dir) {
    return new StackOptions(
        projectName,
        configSuffix,
        env,
        artifactDir,
        composeFiles,
        redactor,
        progress,
        owner,
        shutdownHook,
        dir);
  }
}
