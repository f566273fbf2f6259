package io.testrig.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Work with JUnit XML reports.",
    subcommands = {ReportMergeCommand.class})
final class ReportCommand implements Runnable {
  @ParentCommand TestrigCommand root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    // spec.commandLine(), not a new CommandLine: its err is the injected (redacting) writer.
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }
}
