package io.testrig.cli;

import io.testrig.core.Redactor;
import io.testrig.dev.DevService;
import picocli.CommandLine.Option;

/** {@code -p NAME}: which running stack a developer command means (default: the rig's). */
final class StackSelect {
  @Option(
      names = {"-p", "--project"},
      paramLabel = "NAME",
      description =
          "Compose project (default: the stack `testrig up` recorded in the rig's run directory).")
  String project;

  /** The inner-loop service for the selected stack of {@code rig}'s rig file. */
  DevService service(RigOptions rig, Redactor redactor) {
    return new DevService(rig.load(), rig.runDir, rig.config, project, redactor);
  }
}
