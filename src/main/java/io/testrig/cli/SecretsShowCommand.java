package io.testrig.cli;

import io.testrig.run.SecretsService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "List the keys of config.json with their values masked.")
final class SecretsShowCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Spec CommandSpec spec;
  @ParentCommand SecretsCommand parent;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SecretsService.Shown s =
        new SecretsService(rig.load(), rig.runDir, rig.config, parent.root.redactor).show();
    out.println("config: " + s.file() + (s.persistent() ? " (persistent)" : ""));
    if (s.lengths().isEmpty()) {
      out.println("(no secrets yet: `testrig render` generates them)");
    }
    // Only the length is shown: even a prefix would give away entropy.
    s.lengths().forEach((k, n) -> out.printf("%s = ******** (%d chars)%n", k, n));
    return 0;
  }
}
