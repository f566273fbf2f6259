package io.testrig.cli;

import io.testrig.run.SecretsService;
import java.nio.file.Path;
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
    Path file =
        new SecretsService(rig.load(), rig.runDir, rig.config, parent.root.redactor).rotate(path);
    spec.commandLine().getOut().println("rotated " + path + " in " + file);
    return 0;
  }
}
