package io.testrig.cli;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "Issue the throw-away CA and the rig's TLS certificates.")
final class CertsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new TestrigException(ExitCode.INTERNAL, "'certs' is not implemented yet");
  }
}
