package io.testrig.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description = "Check or start the Docker engine.",
    subcommands = {EngineStatusCommand.class, EngineStartCommand.class})
final class EngineCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: status or start");
  }
}
