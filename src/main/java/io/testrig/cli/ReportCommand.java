package io.testrig.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Work with JUnit XML reports.",
    subcommands = {ReportMergeCommand.class})
final class ReportCommand implements Runnable {
  @ParentCommand TestrigCommand root;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "missing subcommand (try 'testrig report merge --help')");
  }
}
