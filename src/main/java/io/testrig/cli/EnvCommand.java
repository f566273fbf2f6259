package io.testrig.cli;

import io.testrig.dev.DevService;
import io.testrig.engine.Engine;
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
    DevService dev = select.service(rig, root.redactor);
    try (Engine engine = engineOptions.connect()) {
      dev.env(engine, secrets, force, System.getenv(), spec.commandLine().getOut());
    }
    return 0;
  }
}
