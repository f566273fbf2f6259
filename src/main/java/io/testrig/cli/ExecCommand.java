package io.testrig.cli;

import io.testrig.dev.DevService;
import io.testrig.dev.Inspect;
import io.testrig.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    description = {
      "Run a command (default: a shell) in a service's container of a running stack, with"
          + " `docker compose exec`; secrets are masked in its output.",
      "With a terminal on stdin it is interactive with a TTY. Options go before SERVICE;"
          + " everything after SERVICE is the command. The exit code is the command's."
    })
final class ExecCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Mixin StackSelect select;
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Option(
      names = {"-T", "--no-tty"},
      description = "No TTY even when stdin is a terminal.")
  boolean noTty;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The compose service.")
  String service;

  @Parameters(index = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    DevService dev = select.service(rig, root.redactor);
    try (Engine engine = engineOptions.connect()) {
      return dev.exec(
          engine,
          service,
          command,
          !noTty && Inspect.stdinIsTerminal(),
          spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
  }
}
