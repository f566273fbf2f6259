package io.testrig.cli;

import io.testrig.run.Output;
import picocli.CommandLine.Model.CommandSpec;

/** The one progress output every command prints through, on the command line's writers. */
final class Consoles {
  private Consoles() {}

  /** GitLab sections in CI, a live block on a terminal, plain lines otherwise. */
  static Output output(CommandSpec spec) {
    return Output.forEnvironment(
        spec.commandLine().getOut(),
        spec.commandLine().getErr(),
        System::getenv,
        System.console() != null);
  }
}
