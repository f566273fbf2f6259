package io.testrig.cli;

import io.testrig.rig.Rig;
import io.testrig.run.DownService;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Save the stack's logs, kill and remove its containers, networks and volumes, and wipe"
          + " the run directory with its secrets.",
      "Without -p: every testrig stack brought up from the rig file."
    })
final class DownCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Option(
      names = {"-p", "--project"},
      paramLabel = "NAME",
      description = "Compose project to remove (repeatable).")
  List<String> projects = new ArrayList<>();

  @Mixin ArtifactOptions artifacts;

  @Override
  public Integer call() {
    // With -p and --run-dir nothing comes from the rig file (issue 11: reading and checking it
    // took ~0.1 s); with -p and no rig file there is no run directory to wipe but --run-dir's.
    boolean needed = projects.isEmpty() || (rig.runDir == null && Files.exists(rig.file));
    Supplier<Rig> load = needed ? rig::load : () -> null;
    new DownService(root.redactor, Consoles.output(spec))
        .down(engineOptions::connect, load, projects, rig.runDir, artifacts.dir, rig.file);
    return 0;
  }
}
