package io.testrig.cli;

import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = "Replace one secret with a fresh value (then re-render to use it).")
final class SecretsRotateCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Spec CommandSpec spec;
  @ParentCommand SecretsCommand parent;

  @Parameters(paramLabel = "PATH", description = "Secret path, e.g. password.db.app.")
  String path;

  @Override
  public Integer call() {
    Rig r = rig.load();
    RunDir dir =
        rig.config != null || r.secrets().config() != null
            ? RunDir.locate(r, rig.runDir, null)
            : RunDir.resolve(r, rig.runDir);
    SecretStore store = SecretStore.open(r, dir, rig.config, parent.root.redactor);
    store.rotate(path);
    store.save();
    spec.commandLine().getOut().println("rotated " + path + " in " + store.file());
    return 0;
  }
}
