package io.testrig.cli;

import io.testrig.compose.ServiceStatus;
import io.testrig.compose.Stack;
import io.testrig.compose.StackOptions;
import io.testrig.compose.StackService;
import io.testrig.engine.Engine;
import io.testrig.rig.ConfigShape;
import io.testrig.rig.Rig;
import io.testrig.run.Orphans;
import io.testrig.run.Prepare;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.io.PrintWriter;
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
      "The stack belongs to the calling shell: `testrig down` removes it, and `testrig gc` does"
          + " once that shell is gone."
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

  @Mixin ArtifactOptions artifacts;

  @Override
  public Integer call() {
    Rig r = rig.load();
    PrintWriter out = spec.commandLine().getOut();
    // Same run directory as `render` and `down` for this rig file: certs, configs, config.json.
    RunDir dir = RunDir.resolve(r, rig.runDir);
    // The stack outlives this command; it is garbage once the calling shell is gone, and so are
    // its secrets: gc wipes the run directory then.
    ProcessHandle owner = ProcessHandle.current().parent().orElse(ProcessHandle.current());
    Orphans.claim(dir, owner);
    try (Engine engine = engineOptions.connect()) {
      SecretStore store = SecretStore.open(r, dir, rig.config, root.redactor);
      Prepare.Prepared p = Prepare.prepare(r, dir, store, Map.of(), rig.set, System.getenv());
      ConfigShape shape = ConfigShape.of(r, dir.path(), p.values());
      StackOptions opts =
          StackOptions.defaults(artifacts.dir)
              .withProjectName(project)
              .withRedactor(root.redactor)
              .withProgress(new PlainProgress(out))
              .withOwner(owner)
              .withEnv(shape.composeEnv())
              // The labels override lives with the secrets: `down` and gc wipe it with them.
              .withStateDir(dir.path());
      Stack stack = StackService.up(engine, shape.rig(), opts, shape.disabled());
      stack.detach();
      long ready = stack.services().stream().filter(ServiceStatus::ok).count();
      out.printf(
          "stack %s is up (%d services); remove it with: testrig down -p %s%n",
          stack.projectName(), ready, stack.projectName());
      out.println(stack.projectName());
    } catch (RuntimeException | Error e) {
      // Nothing of a failed `up` stays behind: the stack removed itself, the secrets go too.
      dir.wipe();
      throw e;
    }
    return 0;
  }
}
