package io.testrig.cli;

import io.testrig.dev.DevService;
import io.testrig.run.SecretsService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "List the keys of config.json with their values masked.",
      "--reveal PATH prints one value (never when CI is set, unless --force)."
    })
final class SecretsShowCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Spec CommandSpec spec;
  @ParentCommand SecretsCommand parent;

  @Option(
      names = "--reveal",
      paramLabel = "PATH",
      description =
          "Print the value of one secret (e.g. password.db.app), unmasked; refused when CI is set"
              + " unless --force.")
  String reveal;

  @Option(names = "--force", description = "With --reveal: print it even when CI is set.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (reveal != null) {
      out.println(
          DevService.reveal(rig.load(), rig.runDir, rig.config, reveal, force, System.getenv()));
      return 0;
    }
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
