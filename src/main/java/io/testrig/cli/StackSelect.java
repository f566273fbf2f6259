package io.testrig.cli;

import io.testrig.compose.ProjectCompose;
import io.testrig.core.Redactor;
import io.testrig.dev.StackTarget;
import io.testrig.engine.Engine;
import io.testrig.rig.Rig;
import io.testrig.secrets.SecretStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which running stack a developer command means ({@link StackTarget}): the rig's, or {@code -p}.
 * Loads the stack's secrets into the command's redactor, so what it prints is masked.
 */
final class StackSelect {
  @Option(
      names = {"-p", "--project"},
      paramLabel = "NAME",
      description =
          "Compose project (default: the stack `testrig up` recorded in the rig's run directory).")
  String project;

  /** The target; its secrets join {@code redactor}. */
  StackTarget resolve(Rig rig, Path runDir, Path config, Redactor redactor) {
    StackTarget t = StackTarget.resolve(rig, runDir, project);
    secrets(t, config, redactor);
    return t;
  }

  /** Opens config.json (read only) so every secret it holds is masked in the output. */
  static SecretStore secrets(StackTarget t, Path config, Redactor redactor) {
    return SecretStore.open(t.rig(), t.dir(), config, redactor);
  }

  static ProjectCompose compose(StackTarget t, Engine engine, Redactor redactor) {
    return ProjectCompose.of(engine.backend(), t.project(), engine.environment(), redactor);
  }
}
