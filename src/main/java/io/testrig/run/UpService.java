package io.testrig.run;

import io.testrig.compose.ProjectNames;
import io.testrig.compose.ServiceStatus;
import io.testrig.compose.Stack;
import io.testrig.core.Background;
import io.testrig.core.Redactor;
import io.testrig.dev.DevService;
import io.testrig.engine.Engine;
import io.testrig.engine.KeepMarker;
import io.testrig.rig.Matrix;
import io.testrig.rig.Rig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code testrig up}: the {@link StackSession} path of {@code run}, but the stack outlives the
 * command: {@code testrig down} removes it, and {@code testrig gc} removes it and wipes its run
 * directory once its time-to-live has passed.
 */
public final class UpService {
  /**
   * @param runDir {@code --run-dir}, or null: the rig's ephemeral one, the same for {@code render}
   *     and {@code down}
   * @param config persistent config.json, or null
   * @param set {@code --set} values
   * @param project compose project name, or null ({@code stack.project}, else derived)
   * @param artifacts where the service logs go
   */
  public record Options(
      Path runDir,
      Path config,
      Map<String, String> set,
      String project,
      Path artifacts,
      Duration ttl) {
    public Options {
      set = set == null ? Map.of() : Map.copyOf(set);
      ttl = ttl == null ? DEFAULT_TTL : ttl;
    }

    public Options(
        Path runDir, Path config, Map<String, String> set, String project, Path artifacts) {
      this(runDir, config, set, project, artifacts, null);
    }
  }

  /** How long gc leaves an {@code up} stack alone by default (issue 12, item 1). */
  public static final Duration DEFAULT_TTL = Duration.ofHours(4);

  /**
   * A stack that is up: its project name, how many of its services are ready, its run directory,
   * the end of its time-to-live and what {@code testrig info} prints about it.
   */
  public record Started(String project, long ready, Path runDir, Instant expires, String info) {}

  private final Rig rig;
  private final Options opts;
  private final Redactor redactor;
  private final Output out;
  private final Map<String, String> env;

  public UpService(Rig rig, Options opts, Redactor redactor, Output out, Map<String, String> env) {
    this.rig = rig;
    this.opts = opts;
    this.redactor = redactor;
    this.out = out;
    this.env = env;
  }

  /**
   * As {@link #up(Supplier, ProcessHandle)} owned by this process while the stack comes up: an
   * {@code up} killed before its stack is ready leaves garbage gc removes at once. Once ready, the
   * stack is the developer's until its time-to-live ({@link KeepMarker}), whatever its owner.
   */
  public Started up(Supplier<Engine> connect) {
    return up(connect, ProcessHandle.current());
  }

  /**
   * Claims the run directory for {@code owner}, prepares it, connects and brings the stack up.
   * Nothing of a failed {@code up} stays behind: the stack removed itself and the secrets go too.
   */
  public Started up(Supplier<Engine> connect, ProcessHandle owner) {
    StackSession session = StackSession.open(rig, opts.runDir(), null, redactor, owner);
    // Parallel preflight (issue 11): the engine connection (mostly class loading and a round trip)
    // runs while certs are issued and templates rendered, which need no engine.
    CompletableFuture<Engine> connecting = CompletableFuture.supplyAsync(connect);
    try {
      session.prepare(opts.config(), Map.of(), opts.set(), env);
    } catch (RuntimeException | Error e) {
      connecting.thenAccept(Engine::close);
      session.discard();
      throw e;
    }
    try (Engine engine = joined(connecting)) {
      Stack stack = session.up(engine, opts.project(), opts.artifacts(), out.services(""), true);
      stack.detach();
      long ready = stack.services().stream().filter(ServiceStatus::ok).count();
      DevService.Kept kept =
          DevService.kept(
              engine, rig, opts.runDir(), opts.config(), stack.projectName(), opts.ttl(), redactor);
      return new Started(
          stack.projectName(), ready, session.dir().path(), kept.expires(), kept.info());
    } catch (RuntimeException | Error e) {
      session.discard();
      throw e;
    }
  }

  /**
   * A fresh project name for a stack that names none ({@code -p}, {@code stack.project}), as the
   * bring-up would pick it: {@code testrig-<run id>}.
   */
  public static String freshProject(Map<String, String> env) {
    return ProjectNames.project(ProjectNames.runId(env, null));
  }

  /**
   * The values this {@code up} will resolve, as far as the rig, {@code set} and {@code env} tell
   * (config.json is not read yet: its plain values, if any, are missing here): what the validation
   * pass asks compose with, so the bring-up can reuse compose's answer. A wrong guess costs one
   * more compose process, never a wrong model: the bring-up compares the values it really has. Null
   * when they cannot be guessed (then the validation pass uses the first matrix config's).
   */
  public static Map<String, Object> expectedValues(
      Rig rig, Map<String, String> set, Map<String, String> env) {
    try {
      if (!Matrix.expand(rig).get(0).values().isEmpty()) {
        // A matrix rig is validated with its first config's values (their checks name it).
        return null;
      }
    } catch (RuntimeException e) {
      return null; // a bad matrix: the model rules report it
    }
    return Prepare.expectedValues(rig, Map.of(), set, env);
  }

  /**
   * Connects on a thread of its own, for a command that connects while it does other work first
   * (issue 11: parallel preflight); {@link #joined} takes the engine or the failure.
   */
  public static CompletableFuture<Engine> connecting(Supplier<Engine> connect) {
    return Background.start("testrig-connect", connect);
  }

  /** The connected engine, or the connection's own failure as it was thrown. */
  public static Engine joined(CompletableFuture<Engine> connecting) {
    return Background.join(connecting);
  }
}
