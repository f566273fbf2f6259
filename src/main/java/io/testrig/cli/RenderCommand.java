package io.testrig.cli;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Render templates with generated secrets into the run directory.")
final class RenderCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new TestrigException(ExitCode.INTERNAL, "'render' is not implemented yet");
  }
}
