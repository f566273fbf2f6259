package io.testrig.cli;

import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Option(names = "--include-config", description = "Also delete the persistent config file.")
  boolean includeConfig;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Rig r = rig.load();
    RunDir dir = RunDir.locate(r, rig.runDir, null);
    boolean existed = dir.exists();
    dir.wipe();
    out.println((existed ? "wiped " : "nothing to wipe at ") + dir.path());
    Path persistent =
        rig.config != null
            ? rig.config
            : r.secrets().config() != null ? r.resolve(r.secrets().config()) : null;
    if (persistent != null) {
      if (includeConfig) {
        try {
          out.println(
              (Files.deleteIfExists(persistent) ? "deleted " : "nothing to delete at ")
                  + persistent);
        } catch (IOException e) {
          throw TestrigException.io(persistent + ": cannot delete: " + e.getMessage(), e);
        }
      } else {
        out.println("kept persistent config " + persistent + " (--include-config deletes it)");
      }
    }
    return 0;
  }
}
