package io.testrig.dev;

import io.testrig.compose.ProjectCompose;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.engine.KeepMarker;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The developer's commands on a running stack ({@code info}, {@code env}, {@code exec}, {@code
 * logs}, {@code reload}; issue 12): which stack ({@link StackTarget}), its secrets loaded into the
 * command's redactor before anything is printed, so everything printed is masked, and compose for
 * that project through the engine's backend. The CLI only parses options and calls these.
 */
public final class DevService {
  private final StackTarget target;
  private final Path config;
  private final Redactor redactor;

  /**
   * @param runDir {@code --run-dir}, or null for the rig's
   * @param config {@code --config}, or null
   * @param project {@code -p}, or null for the one stack {@code up} recorded
   */
  public DevService(Rig rig, Path runDir, Path config, String project, Redactor redactor) {
    this.target = StackTarget.resolve(rig, runDir, project);
    this.config = config;
    this.redactor = redactor;
  }

  public StackTarget target() {
    return target;
  }

  private SecretStore secrets(Redactor r) {
    return SecretStore.open(target.rig(), target.dir(), config, r);
  }

  private ProjectCompose compose(Engine engine) {
    return ProjectCompose.of(engine.backend(), target.project(), engine.environment(), redactor);
  }

  /** {@code testrig info}. */
  public void info(Engine engine, PrintWriter out) {
    SecretStore store = secrets(redactor);
    StackInfo.print(
        out,
        target,
        Services.of(engine.backend(), compose(engine)),
        store.entries().size(),
        store.file(),
        Instant.now());
  }

  /**
   * {@code testrig env}; with {@code withSecrets} (refused under CI unless {@code force}) the
   * values go to a redactor of their own, so the one masking the output does not mask them.
   */
  public void env(
      Engine engine, boolean withSecrets, boolean force, Map<String, String> env, PrintWriter out) {
    Map<String, Object> values = null;
    if (withSecrets) {
      StackInfo.requireRevealAllowed(env, force, "--secrets");
    }
    // Asked for, the values go to a redactor of their own: the one masking the output must not
    // know them. Otherwise it does, as for every command.
    SecretStore store = secrets(withSecrets ? new Redactor() : redactor);
    if (withSecrets) {
      values = store.entries();
    }
    StackInfo.env(target, Services.of(engine.backend(), compose(engine)), store.file(), values)
        .forEach(out::println);
  }

  /** {@code testrig exec}: the command's exit code. */
  public int exec(
      Engine engine,
      String service,
      List<String> command,
      boolean tty,
      PrintWriter out,
      PrintWriter err) {
    secrets(redactor); // everything printed is masked
    return Inspect.exec(compose(engine), service, command, tty, redactor, out, err);
  }

  /** {@code testrig logs}: compose's exit code. */
  public int logs(
      Engine engine,
      List<String> services,
      boolean follow,
      boolean timestamps,
      PrintWriter out,
      PrintWriter err) {
    secrets(redactor);
    return Inspect.logs(compose(engine), services, follow, timestamps, redactor, out, err);
  }

  /** {@code testrig reload}. */
  public Reload.Result reload(
      Engine engine, Map<String, String> set, Map<String, String> env, PrintWriter out) {
    return Reload.run(target, secrets(redactor), compose(engine), set, env, out);
  }

  /**
   * {@code testrig secrets show --reveal PATH}: one value, unmasked; refused under CI unless {@code
   * force}. Needs no running stack.
   */
  public static String reveal(
      Rig rig, Path runDir, Path config, String path, boolean force, Map<String, String> env) {
    StackInfo.requireRevealAllowed(env, force, "--reveal");
    RunDir dir = RunDir.locate(rig, runDir, null);
    // A redactor of its own: the one masking the command's output must not know the value.
    SecretStore store = SecretStore.open(rig, dir, config, new Redactor());
    Object v = store.entries().get(path);
    if (v == null) {
      throw TestrigException.badInput(
          "--reveal: no secret " + path + " in " + store.file() + " (see testrig secrets show)");
    }
    return String.valueOf(v);
  }

  /** An {@code up} stack's time-to-live and what {@code info} prints about it. */
  public record Kept(Instant expires, String info) {}

  /**
   * After {@code up}: records the time-to-live ({@link KeepMarker}) and returns it with what {@code
   * info} prints.
   */
  public static Kept kept(
      Engine engine,
      Rig rig,
      Path runDir,
      Path config,
      String project,
      Duration ttl,
      Redactor redactor) {
    RunDir dir = RunDir.locate(rig, runDir, null);
    Instant expires = Instant.now().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
    String rigPath = rig.file() == null ? null : rig.file().toAbsolutePath().toString();
    KeepMarker.write(dir.path(), new KeepMarker(project, expires, rigPath));
    StringWriter info = new StringWriter();
    PrintWriter w = new PrintWriter(info);
    new DevService(rig, runDir, config, project, redactor).info(engine, w);
    w.flush();
    return new Kept(expires, info.toString());
  }
}
