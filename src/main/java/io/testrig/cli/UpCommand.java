package io.testrig.cli;

import io.testrig.run.Output;
import io.testrig.run.UpService;
import java.io.PrintWriter;
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
    PrintWriter out = spec.commandLine().getOut();
    UpService.Options opts =
        new UpService.Options(rig.runDir, rig.config, rig.set, project, artifacts.dir);
    Output progress = Consoles.output(spec);
    UpService.Started s =
        new UpService(rig.loadValidated(), opts, root.redactor, progress, System.getenv())
            .up(engineOptions::connect);
    out.printf(
        "stack %s is up (%d services); remove it with: testrig down -p %s%n",
        s.project(), s.ready(), s.project());
    out.println(s.project());
    return 0;
  }
}
