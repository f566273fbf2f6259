package io.testrig.cli;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = "Remove testrig-labelled resources whose run is gone.")
final class GcCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new TestrigException(ExitCode.INTERNAL, "'gc' is not implemented yet");
  }
}
