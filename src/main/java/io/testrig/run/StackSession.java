package io.testrig.run;

import io.testrig.compose.ProgressListener;
import io.testrig.compose.ProjectNames;
import io.testrig.compose.Stack;
import io.testrig.compose.StackOptions;
import io.testrig.compose.StackService;
import io.testrig.core.Redactor;
import io.testrig.engine.Engine;
import io.testrig.engine.Reaper;
import io.testrig.rig.ConfigShape;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.nio.file.Path;
import java.util.Map;

/**
 * The prepare-and-up path that {@code testrig up} ({@link UpService}) and {@code testrig run}
 * ({@link ConfigRun}) share: claim a run directory for its owner, issue certs and render templates
 * into it, bring the rig's stack up shaped by the config's values ({@link ConfigShape}: {@code
 * TESTRIG_RUN_DIR} and {@code TESTRIG_VALUE_*} set, switched-off services left out). One failure
 * rule for both: a stack that does not come up removes itself ({@link StackService#up}), and {@link
 * #discard()} wipes the run directory with its secrets.
 */
public final class StackSession {
  private final Rig rig;
  private final RunDir dir;
  private final Redactor redactor;
  private final ProcessHandle owner;
  // What the prepared values switch; until prepare, only the run directory reaches compose.
  private volatile ConfigShape shape;

  private StackSession(Rig rig, RunDir dir, Redactor redactor, ProcessHandle owner) {
    this.rig = rig;
    this.dir = dir;
    this.redactor = redactor;
    this.owner = owner;
    this.shape = ConfigShape.plain(rig, dir.path());
  }

  /**
   * Creates (or reuses) the run directory and claims it for {@code owner}: once that process is
   * gone, {@code testrig gc} wipes it ({@link Orphans}).
   *
   * @param override {@code --run-dir}, or null for the ephemeral one
   * @param configSuffix names a matrix config's own ephemeral directory; null for the rig's
   */
  public static StackSession open(
      Rig rig, Path override, String configSuffix, Redactor redactor, ProcessHandle owner) {
    RunDir dir = RunDir.resolve(rig, override, configSuffix);
    Orphans.claim(dir, owner);
    return new StackSession(rig, dir, redactor, owner);
  }

  public RunDir dir() {
    return dir;
  }

  /**
   * Certs, then templates ({@link Prepare}), with secrets from config.json ({@code config}, or the
   * run directory's) and values from {@code overlay} (a matrix config), {@code set} and {@code
   * env}.
   */
  public Prepare.Prepared prepare(
      Path config, Map<String, Object> overlay, Map<String, String> set, Map<String, String> env) {
    SecretStore store = SecretStore.open(rig, dir, config, redactor);
    Prepare.Prepared p = Prepare.prepare(rig, dir, store, overlay, set, env);
    // A bad flag or a value-name collision fails here, before any container exists.
    shape = ConfigShape.of(rig, dir.path(), p.values());
    return p;
  }

  /** How the prepared values shape the stack and the suites (issue 9). */
  public ConfigShape shape() {
    return shape;
  }

  /**
   * Brings the stack up as {@code project} (null: {@code stack.project}, else derived), logs into
   * {@code artifacts}. With {@code signalHook} the stack removes itself when the JVM exits before
   * its teardown; without, the caller's {@link Cleanup} hook owns SIGINT/SIGTERM.
   */
  public Stack up(
      Engine engine,
      String project,
      Path artifacts,
      ProgressListener progress,
      boolean signalHook) {
    StackOptions so =
        StackOptions.defaults(artifacts)
            .withProjectName(project)
            .withEnv(shape.composeEnv())
            .withRedactor(redactor)
            .withProgress(progress)
            .withOwner(owner)
            // The labels override lives with the secrets: every path that wipes them wipes it.
            .withStateDir(dir.path())
            .withShutdownHook(signalHook);
    return StackService.up(engine, shape.rig(), so, shape.disabled());
  }

  /** The failure path of {@code up} and the teardown of {@code run}: the secrets go. */
  public void discard() {
    dir.wipe();
  }

  /**
   * Removes a project's resources by their labels, for when no {@link Stack} exists to tear itself
   * down (a signal came while it was being created).
   */
  public static Reaper.Removed removeByLabels(Engine engine, String project) {
    return Stack.remove(engine, project, ProjectNames.runIdOf(project), false);
  }

  /** "torn down (removed 2 containers, 1 networks, 0 volumes)", plus what could not be removed. */
  static String removedText(Reaper.Removed r) {
    String text =
        String.format(
            "torn down (removed %d containers, %d networks, %d volumes)",
            r.containers().size(), r.networks().size(), r.volumes().size());
    return r.kept().isEmpty()
        ? text
        : text + " but could not remove " + String.join("; ", r.kept());
  }
}
