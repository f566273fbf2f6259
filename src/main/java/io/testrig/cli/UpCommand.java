package io.testrig.cli;

import io.testrig.compose.ServiceStatus;
import io.testrig.compose.Stack;
import io.testrig.compose.StackOptions;
import io.testrig.compose.StackService;
import io.testrig.dev.DevService;
import io.testrig.dev.StackInfo;
import io.testrig.engine.Engine;
import io.testrig.rig.Rig;
import io.testrig.run.Orphans;
import io.testrig.run.Prepare;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
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
    Rig r = rig.load();
    PrintWriter out = spec.commandLine().getOut();
    // Same run directory as `render` and `down` for this rig file: certs, configs, config.json.
    RunDir dir = RunDir.resolve(r, rig.runDir);
    // This process owns the stack while it comes up: killed before the stack is ready, gc removes
    // it (and wipes the run directory) at once. Once ready, the keep marker written below makes
    // the stack the developer's until its time-to-live (issue 12, item 1).
    ProcessHandle owner = ProcessHandle.current();
    Orphans.claim(dir, owner);
    try (Engine engine = engineOptions.connect()) {
      SecretStore store = SecretStore.open(r, dir, rig.config, root.redactor);
      Prepare.prepare(r, dir, store, Map.of(), rig.set, System.getenv());
      StackOptions opts =
          StackOptions.defaults(artifacts.dir)
              .withProjectName(project)
              .withRedactor(root.redactor)
              .withProgress(new PlainProgress(out))
              .withOwner(owner)
              .withEnv(Map.of("TESTRIG_RUN_DIR", dir.path().toString()))
              // The labels override lives with the secrets: `down` and gc wipe it with them.
              .withStateDir(dir.path());
      Stack stack = StackService.up(engine, r, opts);
      stack.detach();
      // The info block follows the "is up" line, which needs the expiry kept() records.
      java.io.StringWriter info = new java.io.StringWriter();
      PrintWriter sink = new PrintWriter(info);
      Instant expires =
          DevService.kept(
              engine, r, rig.runDir, rig.config, stack.projectName(), ttl, root.redactor, sink);
      long ready = stack.services().stream().filter(ServiceStatus::ok).count();
      out.printf(
          "stack %s is up (%d services) until %s (--ttl %s); remove it with: testrig down -p %s%n",
          stack.projectName(), ready, expires, StackInfo.compact(ttl), stack.projectName());
      sink.flush();
      out.print(info);
      out.println(stack.projectName());
    } catch (RuntimeException | Error e) {
      // Nothing of a failed `up` stays behind: the stack removed itself, the secrets go too.
      dir.wipe();
      throw e;
    }
    return 0;
  }
}
