package io.testrig.cli;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Render, bring the stack up, run the suites, report, tear down and wipe.")
final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new TestrigException(ExitCode.INTERNAL, "'run' is not implemented yet");
  }
}
