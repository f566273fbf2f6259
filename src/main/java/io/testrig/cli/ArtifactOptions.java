package io.testrig.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where service logs, suite outputs and reports go; GitLab collects this directory. */
final class ArtifactOptions {
  @Option(
      names = "--artifacts",
      defaultValue = "testrig-artifacts",
      paramLabel = "DIR",
      description =
          "Artifact directory: service logs in DIR/logs, suite outputs in DIR/suites, the JUnit"
              + " XML (default: ${DEFAULT-VALUE}).")
  Path dir;
}
