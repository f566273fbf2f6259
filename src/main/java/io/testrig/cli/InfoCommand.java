package io.testrig.cli;

import io.testrig.dev.Services;
import io.testrig.dev.StackInfo;
import io.testrig.dev.StackTarget;
import io.testrig.engine.Engine;
import io.testrig.rig.Rig;
import java.time.Instant;
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
    Rig r = rig.load();
    StackTarget t = select.resolve(r, rig.runDir, rig.config, root.redactor);
    int secrets = StackSelect.secrets(t, rig.config, root.redactor).entries().size();
    try (Engine engine = engineOptions.connect()) {
      var services = Services.of(StackSelect.compose(t, engine, root.redactor));
      StackInfo.print(spec.commandLine().getOut(), t, services, secrets, Instant.now());
    }
    return 0;
  }
}
