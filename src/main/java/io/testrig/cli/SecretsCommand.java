package io.testrig.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "secrets",
    mixinStandardHelpOptions = true,
    description = "Show, rotate or wipe generated secrets.",
    subcommands = {SecretsShowCommand.class, SecretsRotateCommand.class, SecretsWipeCommand.class})
final class SecretsCommand implements Runnable {
  @ParentCommand TestrigCommand root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: show, rotate or wipe");
  }
}
