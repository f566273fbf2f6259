package io.testrig.cli;

import io.testrig.dev.StackInfo;
import io.testrig.engine.Engine;
import io.testrig.engine.EngineStartPolicy;
import io.testrig.rig.Rig;
import io.testrig.run.Output;
import io.testrig.run.UpService;
import io.testrig.validate.Validation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Issue certs, render templates, bring the rig's compose stack up and wait until every"
          + " service is ready.",
      "The stack stays until `testrig down`, or until its time-to-live (--ttl) has passed and"
          + " `testrig gc` runs; then it prints how to use it (as `testrig info` does)."
    })
final class UpCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Option(
      names = {"-p", "--project"},
      paramLabel = "NAME",
      description = "Compose project name (default: stack.project, else testrig-<id>).")
  String project;

  @Option(
      names = "--ttl",
      defaultValue = "4h",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description =
          "How long `testrig gc` leaves the stack alone (default: ${DEFAULT-VALUE});"
              + " `testrig down` removes it any time.")
  Duration ttl;

  @Mixin ArtifactOptions artifacts;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, String> env = System.getenv();
    // Parallel preflight (issue 11): the engine connects while the rig is validated, unless that
    // would start a daemon, which waits for a valid rig.
    CompletableFuture<Engine> early =
        EngineStartPolicy.wouldStart(engineOptions.startEngine, env)
            ? null
            : UpService.connecting(engineOptions::connect);
    // The project's name is settled before the validation pass, which asks compose under it and
    // with the values the bring-up will have: that then reuses the answer instead of starting
    // compose again (issue 11).
    String[] name = {project};
    Rig valid;
    try {
      valid = validated(env, name);
    } catch (RuntimeException | Error e) {
      if (early != null) {
        early.thenAccept(Engine::close);
      }
      throw e;
    }
    UpService.Options opts =
        new UpService.Options(rig.runDir, rig.config, rig.set, name[0], artifacts.dir, ttl);
    Output progress = Consoles.output(spec);
    Supplier<Engine> connect =
        early == null ? engineOptions::connect : () -> UpService.joined(early);
    UpService.Started s = new UpService(valid, opts, root.redactor, progress, env).up(connect);
    out.printf(
        "stack %s is up (%d services) until %s (--ttl %s); remove it with: testrig down -p %s%n",
        s.project(), s.ready(), s.expires(), StackInfo.compact(ttl), s.project());
    out.print(s.info());
    out.println(s.project());
    return 0;
  }

  /** The validated rig; {@code name[0]} is the project, chosen here when none was given. */
  private Rig validated(Map<String, String> env, String[] name) {
    return rig.loadValidated(
        r -> {
          if (name[0] == null && r.stack().project() == null) {
            name[0] = UpService.freshProject(env);
          }
          return new Validation.ComposeAs(
              name[0] != null ? name[0] : r.stack().project(),
              UpService.expectedValues(r, rig.set, env));
        });
  }
}
