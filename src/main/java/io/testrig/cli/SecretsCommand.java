package io.testrig.cli;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "secrets",
    mixinStandardHelpOptions = true,
    description = "Show, rotate or wipe generated secrets.")
final class SecretsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new TestrigException(ExitCode.INTERNAL, "'secrets' is not implemented yet");
  }
}
