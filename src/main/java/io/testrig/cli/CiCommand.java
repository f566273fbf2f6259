package io.testrig.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "ci",
    mixinStandardHelpOptions = true,
    description = "Fan a rig's matrix out on GitLab CI: check configs, generate a child pipeline.",
    subcommands = {CiPipelineCommand.class, CiCheckCommand.class})
final class CiCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    // spec.commandLine(), not a new CommandLine: its err is the injected (redacting) writer.
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }
}
