package io.testrig.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "secrets",
    mixinStandardHelpOptions = true,
    description = "Show, rotate or wipe generated secrets.",
    subcommands = {SecretsShowCommand.class, SecretsRotateCommand.class, SecretsWipeCommand.class})
final class SecretsCommand implements Runnable {
  @ParentCommand TestrigCommand root;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "missing subcommand: show, rotate or wipe");
  }
}
