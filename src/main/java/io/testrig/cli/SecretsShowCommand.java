package io.testrig.cli;

import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "List the keys of config.json with their values masked.")
final class SecretsShowCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Spec CommandSpec spec;
  @ParentCommand SecretsCommand parent;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Rig r = rig.load();
    RunDir dir = RunDir.locate(r, rig.runDir, null);
    SecretStore store = SecretStore.open(r, dir, rig.config, parent.root.redactor);
    out.println("config: " + store.file() + (store.persistent() ? " (persistent)" : ""));
    Map<String, Object> entries = store.entries();
    if (entries.isEmpty()) {
      out.println("(no secrets yet: `testrig render` generates them)");
    }
    // Only the length is shown: even a prefix would give away entropy.
    entries.forEach(
        (k, v) -> out.printf("%s = ******** (%d chars)%n", k, String.valueOf(v).length()));
    return 0;
  }
}
