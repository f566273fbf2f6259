package io.testrig.cli;

import io.testrig.rig.Rig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a rig file and what it names without side effects: the checks `run` and `up` start"
          + " with (docs/cli.md lists them).",
      "Every problem is one line; exit 2 when there is one, 3 when the stack needs docker compose"
          + " and it is not installed."
    })
final class ValidateCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Rig r = rig.loadValidated();
    spec.commandLine()
        .getOut()
        .printf(
            "%s: ok (%d template sets, %d certs, %d compose files, %d suites, %d matrix axes)%n",
            rig.file,
            r.templates().size(),
            r.certs().issue().size(),
            r.stack().files().size(),
            r.suites().size(),
            r.matrix().size());
    return 0;
  }
}
