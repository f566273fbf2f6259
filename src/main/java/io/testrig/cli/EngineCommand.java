package io.testrig.cli;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description = "Check or start the Docker engine.")
final class EngineCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new TestrigException(ExitCode.INTERNAL, "'engine' is not implemented yet");
  }
}
