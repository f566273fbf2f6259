package io.testrig.cli;

import io.testrig.dev.Services;
import io.testrig.dev.StackInfo;
import io.testrig.dev.StackTarget;
import io.testrig.engine.Engine;
import io.testrig.rig.Rig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description = {
      "Print `export` lines for a running stack, for `eval \"$(testrig env)\"`: TESTRIG_PROJECT,"
          + " TESTRIG_RUN_DIR, TESTRIG_CONFIG, TESTRIG_RIG, TESTRIG_EXPIRES,"
          + " TESTRIG_ADDR_<SERVICE>[_<PORT>]; with --secrets also TESTRIG_SECRET_<PATH>.",
      "--secrets is refused when CI is set, unless --force."
    })
final class EnvCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Mixin StackSelect select;
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Option(names = "--secrets", description = "Also export every secret of config.json.")
  boolean secrets;

  @Option(names = "--force", description = "Export the secrets even when CI is set.")
  boolean force;

  @Override
  public Integer call() {
    if (secrets) {
      StackInfo.requireRevealAllowed(System.getenv(), force, "--secrets");
    }
    Rig r = rig.load();
    // The secrets are what the user asked for: they go to a redactor of their own, not to the
    // one masking this command's output. Without --secrets they are masked as everywhere.
    io.testrig.core.Redactor mask = secrets ? new io.testrig.core.Redactor() : root.redactor;
    StackTarget t = select.resolve(r, rig.runDir, rig.config, mask);
    Map<String, Object> values =
        secrets ? StackSelect.secrets(t, rig.config, mask).entries() : null;
    PrintWriter out = spec.commandLine().getOut();
    try (Engine engine = engineOptions.connect()) {
      var services = Services.of(StackSelect.compose(t, engine, root.redactor));
      StackInfo.env(t, services, values).forEach(out::println);
    }
    return 0;
  }
}
