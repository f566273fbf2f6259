package io.testrig.cli;

import picocli.CommandLine.Option;

/** {@code -p NAME}: which running stack a developer command means (default: the rig's). */
final class StackSelect {
  @Option(
      names = {"-p", "--project"},
      paramLabel = "NAME",
      description =
          "Compose project (default: the stack `testrig up` recorded in the rig's run directory).")
  String project;
}
