package io.testrig.cli;

import io.testrig.run.SecretsService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "wipe",
    mixinStandardHelpOptions = true,
    description =
        "Remove the run directory: config.json, keys and rendered files. Safe to repeat. A"
            + " persistent config (--config, secrets.config) is kept unless --include-config.")
final class SecretsWipeCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Spec CommandSpec spec;
  @ParentCommand SecretsCommand parent;

  @Option(names = "--include-config", description = "Also delete the persistent config file.")
  boolean includeConfig;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SecretsService secrets =
        new SecretsService(rig.load(), rig.runDir, rig.config, parent.root.redactor);
    SecretsService.Wiped w = secrets.wipe();
    out.println((w.existed() ? "wiped " : "nothing to wipe at ") + w.dir());
    Path persistent = secrets.persistentConfig();
    if (persistent != null) {
      if (includeConfig) {
        out.println(
            (secrets.deletePersistentConfig() ? "deleted " : "nothing to delete at ") + persistent);
      } else {
        out.println("kept persistent config " + persistent + " (--include-config deletes it)");
      }
    }
    return 0;
  }
}
