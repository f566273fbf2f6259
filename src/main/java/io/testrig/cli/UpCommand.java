package io.testrig.cli;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Render, issue certs and bring the stack up until ready.")
final class UpCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new TestrigException(ExitCode.INTERNAL, "'up' is not implemented yet");
  }
}
