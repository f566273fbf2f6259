package io.testrig.cli;

import io.testrig.dev.DevService;
import io.testrig.engine.Engine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Print how to use a running stack: project, run directory, time-to-live, each service with"
          + " its published host:port addresses, and the commands that give the secrets locally.",
      "Never prints a secret."
    })
final class InfoCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Mixin StackSelect select;
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Override
  public Integer call() {
    DevService dev = select.service(rig, root.redactor);
    try (Engine engine = engineOptions.connect()) {
      dev.info(engine, spec.commandLine().getOut());
    }
    return 0;
  }
}
